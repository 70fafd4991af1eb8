"""The model reference page, generated from the field metadata: every field, enum and problem code.

``python -m ipt_core.boundary.reference docs/reference/model.md`` writes it; a test fails when the
page in the docs and the generated text differ, so a new field appears once the page is written
again. Everything comes from the model itself: each field's type and :class:`~ipt_core.domain._fields.Spec`
(constraints, sensitivity, references, description), the attribute docstrings written under the
fields and enum members, and the docstrings of :class:`~ipt_core.errors.ProblemCode`.
"""

from __future__ import annotations

import sys
import types
import typing
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Final, Union, get_args, get_origin

import attrs

from ipt_core import _hints
from ipt_core._docs import attribute_docs, own_doc
from ipt_core.boundary.documents import ROOT_KINDS, SCHEMA_VERSION
from ipt_core.domain import _fields as f
from ipt_core.domain.course import Phase
from ipt_core.domain.problem_areas import AREA_TYPES, AreaKind, ProblemArea
from ipt_core.domain.protocols import BUILTIN_PROTOCOLS
from ipt_core.domain.sessions import Answer, Missing
from ipt_core.domain.timeline import FuzzyDate
from ipt_core.errors import ProblemCode

__all__ = ["model_reference", "records", "write"]

_EXTRA_ENUMS: Final = (Phase,)
"""Enums a reader meets outside the documents' fields (a case's phase is read from its history)."""


def records() -> list[type[Any]]:
    """Every record class the root documents hold, each once, in the order a reader meets them."""
    found: list[type[Any]] = []
    queue: list[Any] = list(ROOT_KINDS)
    while queue:
        cls = queue.pop(0)
        if cls in found:
            continue
        found.append(cls)
        attrs.resolve_types(cls)
        for field in attrs.fields(cls):
            queue.extend(t for t in _classes_in(field.type) if t not in found)
    return found


def _classes_in(tp: Any) -> list[type[Any]]:
    if tp == ProblemArea:
        return list(AREA_TYPES.values())
    if isinstance(tp, type) and attrs.has(tp) and tp is not FuzzyDate:
        return [tp]
    return [found for arg in get_args(tp) for found in _classes_in(arg)]


def _enums() -> list[type[Enum]]:
    found: list[type[Enum]] = []
    for cls in records():
        for field in attrs.fields(cls):
            for enum in _enums_in(field.type):
                if enum not in found:
                    found.append(enum)
    found.extend(e for e in _EXTRA_ENUMS if e not in found)
    return found


def _enums_in(tp: Any) -> list[type[Enum]]:
    if isinstance(tp, type) and issubclass(tp, Enum):
        return [tp]
    return [found for arg in get_args(tp) for found in _enums_in(arg)]


# -- docstrings written under attributes ----------------------------------------------------------


_attribute_docs = attribute_docs
"""The docstrings written under a class's attributes (fields, enum members), by name."""


def _summary(cls: type[Any]) -> str:
    return own_doc(cls).split("\n\n")[0].replace("\n", " ")


def _cell(text: str) -> str:
    """Text fit for one table cell: one line, no pipe breaking the table."""
    return " ".join(text.split()).replace("|", "\\|")


def _anchor(name: str) -> str:
    return name.lower()


# -- types and constraints in words ---------------------------------------------------------------


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    if tp != Answer and get_origin(tp) in (Union, types.UnionType):
        args = get_args(tp)
        if type(None) in args:
            rest = tuple(a for a in args if a is not type(None))
            return (rest[0] if len(rest) == 1 else Union[rest]), True  # noqa: UP007
    return tp, False


def _type_words(tp: Any, spec: f.Spec | None) -> str:
    inner, nullable = _strip_optional(tp)
    words = _one_type(inner, spec)
    return f"{words} or null" if nullable else words


def _one_type(tp: Any, spec: f.Spec | None) -> str:
    args = get_args(tp)
    if get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return f"list of {_one_type(args[0], spec)}"
    if tp == Answer:
        return "answer (integer, null or " + ", ".join(f"`{m.value}`" for m in Missing) + ")"
    if tp == ProblemArea:
        return "[problem area](#problem-areas) (tagged by `area`)"
    if tp is FuzzyDate:
        return "approximate date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `~` before for about)"
    if tp is date:
        return "date (`YYYY-MM-DD`)"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "integer"
    if tp is str:
        if spec is not None and spec.kind == "id":
            return "id"
        if spec is not None and spec.ref is not None:
            return f"id of {f.article(spec.ref)} {spec.ref}"
        return "text"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return f"[{tp.__name__}](#{_anchor(tp.__name__)})"
    if isinstance(tp, type) and attrs.has(tp):
        return f"[{tp.__name__}](#{_anchor(tp.__name__)})"
    return _cell(str(tp))


def _constraints(spec: f.Spec | None) -> str:
    if spec is None:
        return ""
    parts: list[str] = []
    if spec.pattern is not None:
        parts.append("letters, digits, `_`, `.`, `-`; starts with a letter or digit")
    if spec.min_length is not None and spec.max_length is not None:
        parts.append(f"{spec.min_length}–{spec.max_length} characters")
    elif spec.max_length is not None:
        parts.append(f"at most {spec.max_length} characters")
    if spec.ge is not None and spec.le is not None:
        parts.append(f"{spec.ge}–{spec.le}")
    elif spec.ge is not None:
        parts.append(f"at least {spec.ge}")
    elif spec.le is not None:
        parts.append(f"at most {spec.le}")
    if spec.min_items is not None:
        parts.append("at least one item" if spec.min_items == 1 else f"at least {spec.min_items} items")
    if spec.max_items is not None:
        parts.append(f"at most {spec.max_items} items")
    if spec.unique_by is not None:
        parts.append(f"no two with the same `{spec.unique_by}`")
    if spec.kind == "enum_items":
        parts.append("each at most once")
    if spec.sensitive:
        parts.append("**sensitive**")
    return "; ".join(parts)


def _default_words(field: attrs.Attribute[Any]) -> str:
    default = field.default
    spec = f.spec_of(field)
    if default is attrs.NOTHING or (spec is not None and spec.min_items):  # an empty list is refused
        return "**required**"
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return "empty record"
    if default is None:
        return "null"
    if isinstance(default, Enum):
        return f"`{default.value}`"
    if isinstance(default, bool):
        return "true" if default else "false"
    if default == ():
        return "empty list"
    if default == "":
        return "empty text"
    return f"`{default}`"


# -- the page -------------------------------------------------------------------------------------


def _record_section(cls: type[Any], lines: list[str]) -> None:
    docs = _attribute_docs(cls)
    hints = typing.get_type_hints(cls)
    lines += [f"### {cls.__name__}", "", _summary(cls), ""]
    kind = ROOT_KINDS.get(cls)
    area = getattr(cls, "KIND", None) if cls in AREA_TYPES.values() else None
    lines += ["| Field | Type | Default | Constraints | Description |", "|---|---|---|---|---|"]
    if kind is not None:
        lines += [
            f"| `kind` | text | **required** | `{kind}` | The document's kind. |",
            f"| `schema_version` | integer | **required** | `{SCHEMA_VERSION}` "
            "| The document format version. |",
        ]
    if isinstance(area, Enum):
        lines.append(f"| `area` | text | **required** | `{area.value}` | The area's tag. |")
    for field in attrs.fields(cls):
        spec = f.spec_of(field)
        description = (
            (spec.description if spec is not None else "")
            or docs.get(field.name, "")
            or "; ".join(_summary(c) for c in _classes_in(hints[field.name]) if c not in AREA_TYPES.values())
        )
        lines.append(
            f"| `{field.name}` | {_type_words(hints[field.name], spec)} | {_default_words(field)} "
            f"| {_constraints(spec)} | {_cell(description)} |"
        )
    lines.append("")


def _lay_labels() -> dict[Enum, str]:
    """Lay labels of problem areas: the standard protocol's, then the first other protocol's."""
    labels: dict[Enum, str] = {}
    ordered = sorted(BUILTIN_PROTOCOLS.values(), key=lambda p: p.id != "standard")
    for protocol in ordered:
        for option in protocol.areas:
            if option.lay_label and option.kind not in labels:
                labels[option.kind] = option.lay_label
    return labels


def _enum_section(enum: type[Enum], lines: list[str], lay: dict[Enum, str]) -> None:
    docs = _attribute_docs(enum)
    lines += [f"### {enum.__name__}", "", _summary(enum), ""]
    with_lay = any(member in lay for member in enum)
    if with_lay:
        lines += ["| Value | Lay label | Meaning |", "|---|---|---|"]
    else:
        lines += ["| Value | Meaning |", "|---|---|"]
    for member in enum:
        meaning = _cell(docs.get(member.name, ""))
        if with_lay:
            lines.append(f"| `{member.value}` | {_cell(lay.get(member, ''))} | {meaning} |")
        else:
            lines.append(f"| `{member.value}` | {meaning} |")
    lines.append("")


def _codes_section(lines: list[str]) -> None:
    docs = _attribute_docs(ProblemCode)
    lines += [
        "| Code | Found when | How to fix it |",
        "|---|---|---|",
    ]
    for name, code in vars(ProblemCode).items():
        if name.isupper() and isinstance(code, str):
            lines.append(f"| `{code}` | {_cell(docs.get(name, ''))} | {_cell(_hints.FIXES[code])} |")
    lines.append("")


def model_reference() -> str:
    """The model reference page (Markdown)."""
    lines = [
        "# The model, field by field",
        "",
        "<!-- Generated from the field metadata by `python -m ipt_core.boundary.reference "
        "docs/reference/model.md`; do not edit by hand. -->",
        "",
        "Every record of the documents `ipt_core` reads and writes, every field with its JSON type, "
        "its default, its constraints and what it means; every closed set of values; and every "
        "problem code `loads` may report, with what to do about it. Fields marked **sensitive** "
        "hold personal or clinical content: they are hidden from `repr` and removed or "
        "pseudonymised by redaction. A record refuses any key it does not list.",
        "",
        "## Documents and records",
        "",
    ]
    area_classes = set(AREA_TYPES.values())
    for cls in records():
        if cls in area_classes:
            continue
        _record_section(cls, lines)
    lines += [
        "## Problem areas",
        "",
        "A problem area is one of the records below, told apart by its `area` tag "
        f"({', '.join(f'`{k.value}`' for k in AreaKind)}).",
        "",
    ]
    for cls in AREA_TYPES.values():
        _record_section(cls, lines)
    lines += ["## Closed sets of values", ""]
    lay = _lay_labels()
    for enum in _enums():
        _enum_section(enum, lines, lay)
    lines += [
        "## Problem codes",
        "",
        "Each problem of a `ValidationError` has a JSON path, one of these codes and a message that "
        "says what is expected; it never repeats a value from the input.",
        "",
    ]
    _codes_section(lines)
    return "\n".join(lines).rstrip("\n") + "\n"


def write(path: Path) -> None:
    """Write the page to ``path``."""
    path.write_text(model_reference(), encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/reference/model.md"))
