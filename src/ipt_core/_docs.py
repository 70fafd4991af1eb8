"""A record's docstring with its fields listed, made when it is first read.

attrs keeps a record's fields out of its class, so ``help(ipt_core.Case)`` would show the class's
summary and the long signature of ``__init__``, and nothing of what each field means. Each record's
``__doc__`` is replaced by a :class:`FieldDocs`, a descriptor that ``type.__doc__`` calls on first
read: the class's own docstring followed by its fields, each with its type and its description (the
field's :class:`~ipt_core.domain._fields.Spec` description, or the docstring written under it).
Nothing is read or built at import: only ``help()``, ``inspect.getdoc`` or ``__doc__`` make it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FieldDocs", "document", "field_docs_made", "own_doc"]

_MADE = [0]


class FieldDocs:
    """A class's ``__doc__``: its own docstring, then its fields, made on first read."""

    __slots__ = ("own", "text")

    def __init__(self, own: str | None) -> None:
        self.own = own
        self.text: str | None = None

    def __get__(self, _instance: object, owner: type[Any] | None = None) -> str | None:
        if self.text is None and owner is not None:
            self.text = _with_fields(owner, self.own)
            _MADE[0] += 1
        return self.text if self.text is not None else self.own


def document(cls: type[Any]) -> None:
    """Have ``cls``'s docstring list its fields when first read (once per class; cheap)."""
    if "__attrs_attrs__" in cls.__dict__ and not isinstance(cls.__dict__.get("__doc__"), FieldDocs):
        cls.__doc__ = FieldDocs(cls.__dict__.get("__doc__"))  # type: ignore[assignment]


def own_doc(cls: type[Any]) -> str:
    """The class's own docstring, cleaned, without the field list (for the JSON Schema)."""
    import inspect  # noqa: PLC0415 - only where a schema or reference is made

    found = cls.__dict__.get("__doc__")
    if isinstance(found, FieldDocs):
        return inspect.cleandoc(found.own or "")
    return inspect.getdoc(cls) or ""


def field_docs_made() -> int:
    """How many field lists have been made so far (for tests: none at import)."""
    return _MADE[0]


def attribute_docs(cls: type[Any]) -> dict[str, str]:
    """The docstrings written under a class's attributes (fields, enum members), by name."""
    import ast  # noqa: PLC0415 - read only when a docstring or reference is made
    import inspect  # noqa: PLC0415
    import itertools  # noqa: PLC0415
    import textwrap  # noqa: PLC0415

    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, following in itertools.pairwise(body):
        name = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
        elif (
            isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ):
            name = node.targets[0].id
        if (
            name is not None
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[name] = inspect.cleandoc(following.value.value)
    return docs


def _with_fields(cls: type[Any], own: str | None) -> str:
    import inspect  # noqa: PLC0415
    import typing  # noqa: PLC0415

    from ipt_core.domain._fields import _record_types, spec_of  # noqa: PLC0415 - it imports this module

    written = attribute_docs(cls)
    try:
        hints = typing.get_type_hints(cls)
    except Exception:
        hints = {}
    lines = [inspect.cleandoc(own or ""), "", "Fields:"]
    for field in getattr(cls, "__attrs_attrs__", ()):
        spec = spec_of(field)
        kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", str(field.type))
        notes = [str(kind)]
        if spec is not None and spec.sensitive:
            notes.append("sensitive")
        words = (
            (spec.description if spec is not None else "")
            or written.get(field.name, "")
            or "; ".join(own_doc(c).split("\n\n")[0] for c in _record_types(hints.get(field.name)))
        )
        words = " ".join(words.split())
        lines.append(f"    {field.name} ({', '.join(notes)})" + (f": {words}" if words else ""))
    return "\n".join(lines).lstrip("\n")
