"""Field builders for the domain model: one place that says what each field may hold.

Every field of the model is built here, so that its constraints (length, range, id form), whether it
holds personal or clinical content, and whether it refers to a person or an event are written once,
as attrs metadata. Construction checks them; the codec, the JSON Schema, redaction and the
hypothesis strategies all read the same metadata.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, TypeVar, get_args

import attrs

from ipt_core import _docs, _hints
from ipt_core.errors import Problem, ProblemCode, UnknownIdError, ValidationError

ID_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
"""Ids are short opaque keys chosen by the caller (``p1``, ``partner``, ``ev-2024-03``), matched
whole with ``fullmatch`` (a trailing newline is not an id)."""
_ID_RE: Final = re.compile(ID_PATTERN)

ALIAS_MAX: Final = 80
LABEL_MAX: Final = 200
TEXT_MAX: Final = 10_000
ITEMS_MAX: Final = 200
SESSIONS_MAX: Final = 1_000

ID_OF: Final = operator.attrgetter("id")
"""The ``id`` of a record (for ``map`` over records that carry one)."""

NOT_A_TUPLE: Final = (
    "expected a tuple (a record keeps its lists as tuples, as its type says; loads reads JSON lists)"
)
"""The message when a list field is built from anything but a tuple: construction refuses what the
type refuses, so mypy and the running code agree."""

_NOT_A_DAY: Final = (
    "expected a date, not a datetime: pass its .date(), the day where the service is (a datetime's day "
    "depends on its time zone)"
)
"""The message when a datetime is given for a calendar date (a ``datetime`` is a ``date`` to Python)."""

META: Final = "ipt"
"""The key under which each field's :class:`Spec` is kept in attrs metadata."""


@attrs.frozen
class Spec:
    """What a field may hold, read by validation, the codec, the schema, redaction and strategies."""

    kind: str
    """``text``, ``alias``, ``id``, ``ref``, ``int``, ``bool``, ``enum``, ``date``, ``items`` or ``value``."""
    sensitive: bool = False
    """Personal or clinical content: hidden from ``repr``, removed or pseudonymised by redaction."""
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None
    pattern: str | None = None
    max_items: int | None = None
    unique_by: str | None = None
    """For a list of records: the field whose value no two records of the list share."""
    ref: str | None = None
    """``person``, ``event`` or ``area`` where the field refers to an id elsewhere in the case."""
    description: str = ""
    omit_default: bool = False
    """Left out of a written document while it holds its default: a field added to a released
    format, so that documents written before it re-dump byte for byte."""
    min_items: int | None = None
    """For a list: the fewest items it may hold. A list that may not be empty is required in the
    JSON Schema (``minItems``, no default), whatever its default in Python."""


def spec_of(field: attrs.Attribute[Any]) -> Spec | None:
    """The :class:`Spec` of an attrs field, if it was built here."""
    value = field.metadata.get(META)
    return value if isinstance(value, Spec) else None


def _fail(path: str, code: str, message: str = "") -> ValidationError:
    return ValidationError([Problem(path, code, message)])


def _path(attribute: attrs.Attribute[Any], index: int | None = None) -> str:
    base = f"$.{attribute.name}"
    return base if index is None else f"{base}[{index}]"


_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")
"""A lone surrogate: a code point no UTF-8 document can hold."""


def _check_text(value: object, path: str, spec: Spec) -> None:
    if type(value) is not str:
        raise _fail(path, ProblemCode.WRONG_TYPE, "expected a string")
    if not value.isascii() and _SURROGATE_RE.search(value):
        raise _fail(path, ProblemCode.INVALID_VALUE, "a text that is not valid Unicode")
    if spec.min_length is not None and len(value) < spec.min_length:
        least = spec.min_length
        raise _fail(path, ProblemCode.TOO_SHORT, f"at least {least} character{'' if least == 1 else 's'}")
    if spec.max_length is not None and len(value) > spec.max_length:
        raise _fail(path, ProblemCode.TOO_LONG, f"at most {spec.max_length} characters")
    if spec.pattern is not None and not _ID_RE.fullmatch(value):
        raise _fail(path, ProblemCode.PATTERN, "an id: letters, digits, '_', '.', '-'; 1-64")


def _check_int(value: object, path: str, spec: Spec) -> None:
    if type(value) is not int:
        raise _fail(path, ProblemCode.WRONG_TYPE, "expected an integer")
    if (spec.ge is not None and value < spec.ge) or (spec.le is not None and value > spec.le):
        raise _fail(path, ProblemCode.OUT_OF_RANGE, _range_words(spec))


def _range_words(spec: Spec) -> str:
    """``between 0 and 120`` / ``at least 1`` / ``at most 5``: the range a number must lie in."""
    if spec.ge is not None and spec.le is not None:
        return f"a whole number between {spec.ge} and {spec.le}"
    if spec.ge is not None:
        return f"a whole number of at least {spec.ge}"
    return f"a whole number of at most {spec.le}"


def _not_a_member(path: str, enum: type[Enum], value: object) -> ValidationError:
    allowed = _hints.enum_values(enum)
    member = next((m for m in enum if type(value) is str and m.value == value), None)
    if member is not None:  # the member's text, as JSON holds it: name the member to pass instead
        kind = enum.__name__
        message = (
            f"{article(kind)} {kind} member, not its text: pass {kind}.{member.name} "
            f"(or {kind}({member.value!r}))"
        )
    else:
        message = _hints.closed_set(enum.__name__, allowed, value)
    return ValidationError([Problem(path, ProblemCode.NOT_ALLOWED, message, allowed=allowed)])


def article(word: str) -> str:
    """``a`` or ``an`` before ``word`` (by its first letter: ``an EventKind``, ``a RiskLevel``)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def no_such_id(what: str, known: tuple[str, ...], given: object) -> UnknownIdError:
    """The error of a look-up by an id that names nothing: the known ids, never the one given (a
    caller may have passed an alias or a name where the id belongs)."""
    return UnknownIdError(_hints.unknown_id(what, known, given), known)


_E = TypeVar("_E", bound=Enum)


def as_member(enum: type[_E], value: object, path: str) -> _E:
    """``value`` as a member of ``enum``: a member, or its text (as a form or JSON sends it).

    Anything else raises :class:`ValidationError` at ``path`` with the allowed values, never the
    value (free text typed into a choice may be anything)."""
    if isinstance(value, enum):
        return value
    for member in enum:
        if type(value) is str and member.value == value:
            return member
    raise _not_a_member(path, enum, value)


def _scalar_validator(spec: Spec, check: Callable[[object, str, Spec], None], optional: bool) -> Any:
    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        check(value, _path(attribute), spec)

    return validate


def _items_validator(spec: Spec, check: Callable[[object, str, Spec], None] | None) -> Any:
    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise _fail(_path(attribute), ProblemCode.WRONG_TYPE, NOT_A_TUPLE)
        if spec.max_items is not None and len(value) > spec.max_items:
            raise _fail(_path(attribute), ProblemCode.TOO_LONG, f"at most {spec.max_items} items")
        if spec.min_items is not None and len(value) < spec.min_items:
            raise _fail(_path(attribute), ProblemCode.TOO_SHORT, _least_items(spec.min_items))
        if check is not None:
            for i, item in enumerate(value):
                check(item, _path(attribute, i), spec)
        if spec.unique_by is not None and len(value) > 1:
            key = spec.unique_by
            problems = duplicates([getattr(item, key) for item in value], f"{_path(attribute)}[{{}}].{key}")
            if problems:
                raise ValidationError(problems)

    return validate


def _least_items(least: int) -> str:
    return "at least one item" if least == 1 else f"at least {least} items"


def _meta(spec: Spec) -> dict[str, Spec]:
    return {META: spec}


_NO_DEFAULT: Any = attrs.NOTHING


def text(
    *,
    max_length: int = TEXT_MAX,
    sensitive: bool = True,
    default: str | None = "",
    optional: bool = False,
    description: str = "",
) -> Any:
    """Free text (clinical content unless said otherwise); empty by default."""
    spec = Spec("text", sensitive=sensitive, max_length=max_length, description=description)
    return attrs.field(
        default=_NO_DEFAULT if default is None and not optional else default,
        validator=_scalar_validator(spec, _check_text, optional),
        repr=not sensitive,
        metadata=_meta(spec),
    )


def label(*, default: str | None = None, sensitive: bool = True, description: str = "") -> Any:
    """A short required text such as a role name or a diagnosis (1 to 200 characters)."""
    spec = Spec("text", sensitive=sensitive, min_length=1, max_length=LABEL_MAX, description=description)
    return attrs.field(
        default=_NO_DEFAULT if default is None else default,
        validator=_scalar_validator(spec, _check_text, False),
        repr=not sensitive,
        metadata=_meta(spec),
    )


def alias(*, description: str = "") -> Any:
    """The name a user chooses for a person: personal data, never required to be a real name."""
    spec = Spec("alias", sensitive=True, min_length=1, max_length=ALIAS_MAX, description=description)
    return attrs.field(
        validator=_scalar_validator(spec, _check_text, False),
        repr=False,
        metadata=_meta(spec),
    )


def ident(*, description: str = "") -> Any:
    """A required id, unique in its scope."""
    spec = Spec("id", pattern=ID_PATTERN, min_length=1, max_length=64, description=description)
    return attrs.field(validator=_scalar_validator(spec, _check_text, False), metadata=_meta(spec))


def ref(to: str, *, optional: bool = False, description: str = "") -> Any:
    """A reference to the id of a person, an event or a problem area elsewhere in the case."""
    spec = Spec("ref", pattern=ID_PATTERN, min_length=1, max_length=64, ref=to, description=description)
    return attrs.field(
        default=None if optional else _NO_DEFAULT,
        validator=_scalar_validator(spec, _check_text, optional),
        metadata=_meta(spec),
    )


def refs(to: str, *, description: str = "") -> Any:
    """A list of references (see :func:`ref`); empty by default."""
    spec = Spec(
        "ref",
        pattern=ID_PATTERN,
        min_length=1,
        max_length=64,
        ref=to,
        max_items=ITEMS_MAX,
        description=description,
    )
    return attrs.field(
        default=(),
        validator=_items_validator(spec, _check_text),
        metadata=_meta(spec),
    )


def texts(*, max_length: int = TEXT_MAX, max_items: int = ITEMS_MAX, description: str = "") -> Any:
    """A list of short clinical texts (aspects, expectations, issues, ...); empty by default."""
    spec = Spec(
        "text",
        sensitive=True,
        min_length=1,
        max_length=max_length,
        max_items=max_items,
        description=description,
    )
    return attrs.field(
        default=(),
        validator=_items_validator(spec, _check_text),
        repr=False,
        metadata=_meta(spec),
    )


def integer(
    *,
    ge: int | None = None,
    le: int | None = None,
    default: int | None = None,
    optional: bool = False,
    description: str = "",
) -> Any:
    """An integer within ``[ge, le]``; optional fields default to ``None``."""
    spec = Spec("int", ge=ge, le=le, description=description)
    if optional:
        field_default: Any = None
    elif default is None:
        field_default = _NO_DEFAULT
    else:
        field_default = default
    return attrs.field(
        default=field_default,
        validator=_scalar_validator(spec, _check_int, optional),
        metadata=_meta(spec),
    )


def flag(*, default: bool | None = None, description: str = "") -> Any:
    """A yes/no answer; ``None`` (the default) means not yet assessed.

    With a ``bool`` default the field is a plain yes/no and ``None`` is refused.
    """
    spec = Spec("bool", description=description)
    nullable = default is None

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and nullable:
            return
        if type(value) is not bool:
            raise _fail(_path(attribute), ProblemCode.WRONG_TYPE, "expected true or false")

    return attrs.field(default=default, validator=validate, metadata=_meta(spec))


def choice(
    enum: type[Enum],
    *,
    default: Any = _NO_DEFAULT,
    optional: bool = False,
    description: str = "",
) -> Any:
    """A member of a closed set; optional choices default to ``None``."""
    spec = Spec("enum", description=description)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, enum):
            raise _not_a_member(_path(attribute), enum, value)

    return attrs.field(
        default=None if optional and default is _NO_DEFAULT else default,
        validator=validate,
        metadata=_meta(spec),
    )


def choices(enum: type[Enum], *, description: str = "") -> Any:
    """A list of distinct members of a closed set; empty by default."""
    spec = Spec("enum_items", max_items=len(enum), description=description)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise _fail(_path(attribute), ProblemCode.WRONG_TYPE, NOT_A_TUPLE)
        for i, item in enumerate(value):
            if not isinstance(item, enum):
                raise _not_a_member(_path(attribute, i), enum, item)
        if len(set(value)) != len(value):
            raise _fail(_path(attribute), ProblemCode.DUPLICATE_ID, "an entry is listed twice")

    return attrs.field(default=(), validator=validate, metadata=_meta(spec))


def day(
    *, optional: bool = False, sensitive: bool = True, description: str = "", omit_default: bool = False
) -> Any:
    """A calendar date (an identifier under HIPAA, so marked sensitive by default); with
    ``omit_default`` (optional dates only), left out of a written document while unset."""
    spec = Spec("date", sensitive=sensitive, description=description, omit_default=omit_default)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if type(value) is not date:
            raise _fail(
                _path(attribute),
                ProblemCode.WRONG_TYPE,
                _NOT_A_DAY if isinstance(value, datetime) else "expected a date",
            )

    return attrs.field(
        default=None if optional else _NO_DEFAULT,
        validator=validate,
        repr=not sensitive,
        metadata=_meta(spec),
    )


def items(
    cls: type[Any] | tuple[type[Any], ...],
    *,
    max_items: int = ITEMS_MAX,
    unique_by: str | None = None,
    description: str = "",
    omit_default: bool = False,
    min_items: int | None = None,
) -> Any:
    """A list of nested records of the given class(es); empty by default.

    With ``unique_by``, no two records of the list may share that field's value; with
    ``omit_default``, the list is left out of a written document while it is empty; with
    ``min_items``, it holds at least that many records (the empty default is then refused, and the
    schema makes the list required).
    """
    spec = Spec(
        "items",
        max_items=max_items,
        unique_by=unique_by,
        description=description,
        omit_default=omit_default,
        min_items=min_items,
    )

    exact = cls if isinstance(cls, tuple) else (cls,)
    for record in exact:  # help() on a record lists its fields
        _docs.document(record)

    def check(value: object, path: str, _spec: Spec) -> None:
        # exactly the model's classes: a subclass could hold what no document can (see ``dumps``)
        if type(value) not in exact:
            raise _fail(path, ProblemCode.WRONG_TYPE, "expected a record of the right kind")

    return attrs.field(
        default=(),
        validator=_items_validator(spec, check),
        metadata=_meta(spec),
    )


def value(
    cls: type[Any] | tuple[type[Any], ...],
    *,
    optional: bool = False,
    default: Any = _NO_DEFAULT,
    description: str = "",
    omit_default: bool = False,
) -> Any:
    """A nested record (or ``None`` where optional); with ``omit_default``, left out of a written
    document while it holds its default (see :attr:`Spec.omit_default`)."""
    spec = Spec("value", description=description, omit_default=omit_default)
    exact = cls if isinstance(cls, tuple) else (cls,)
    for record in exact:  # help() on a record lists its fields
        _docs.document(record)

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if type(value) not in exact:
            raise _fail(_path(attribute), ProblemCode.WRONG_TYPE, "expected a record")

    if default is _NO_DEFAULT and optional:
        default = None
    return attrs.field(default=default, validator=validate, metadata=_meta(spec))


def unique(values: list[tuple[str, str]], code: str = ProblemCode.DUPLICATE_ID) -> list[Problem]:
    """Problems for every ``(path, id)`` whose id was already seen."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for path, key in values:
        if key in seen:
            problems.append(Problem(path, code, "this id is already used"))
        seen.add(key)
    return problems


def duplicates(ids: list[str], path: str) -> list[Problem]:
    """Problems for every id in ``ids`` already seen before it; ``path`` has one ``{}`` for the index.

    The common case, no duplicate, costs one set; the paths are built only when there is one.
    """
    if len(set(ids)) == len(ids):
        return []
    return unique([(path.format(i), key) for i, key in enumerate(ids)])


def resolves(obj: object, known: dict[str, frozenset[str]]) -> bool:
    """Whether every reference below ``obj`` to a kind in ``known`` names a known id.

    The quick check run on every case built; :func:`iter_refs` finds the paths when it fails.
    A checker generated for the class and the kinds in ``known`` answers first; it says yes only
    when every reference resolves, and on any doubt (a miss, or a record of a class it was not
    generated for) the generic walk :func:`_resolves_walk` gives the answer.
    """
    key = (type(obj), tuple(known))
    check = _RESOLVERS.get(key)
    if check is None:
        check = _resolver(type(obj), key[1])
        if len(_RESOLVERS) < _RESOLVERS_MAX:
            _RESOLVERS[key] = check
    return check(obj, known) or _resolves_walk(obj, known)


def _resolves_walk(obj: object, known: dict[str, frozenset[str]]) -> bool:
    """The generic form of :func:`resolves`: a walk over the fields named in each class's plan."""
    cls = type(obj)
    plan = _REF_PLANS.get(cls)
    if plan is None:
        if not attrs.has(cls):
            return True
        plan = _ref_plan(cls)
    for name, kind, target in plan:
        value = getattr(obj, name)
        if target is not None:
            ids = known.get(target)
            if ids is None:
                continue
            if isinstance(value, str):
                if value not in ids:
                    return False
            elif isinstance(value, tuple) and not ids.issuperset(value):
                return False
        elif kind == "items":
            for item in value:
                if not _resolves_walk(item, known):
                    return False
        elif value is not None and not _resolves_walk(value, known):
            return False
    return True


_Resolver = Callable[[object, dict[str, frozenset[str]]], bool]
_RESOLVERS: dict[tuple[type[Any], tuple[str, ...]], _Resolver] = {}
_RESOLVERS_MAX: Final = 256
"""Bound on the generated checkers kept (one per root class and set of kinds; a handful in use)."""
_INLINE_MAX: Final = 8
"""Nesting beyond which (or on a cycle) the generated checker defers to the generic walk."""


def _relevant(cls: type[Any], kinds: tuple[str, ...], seen: frozenset[type[Any]] = frozenset()) -> bool:
    """Whether a record of ``cls`` can hold a reference to one of ``kinds``."""
    if not attrs.has(cls) or cls in seen:
        return cls in seen
    for name, _kind, target in _ref_plan(cls):
        if target is not None:
            if target in kinds:
                return True
        elif any(_relevant(t, kinds, seen | {cls}) for t in _record_types(_field_type(cls, name))):
            return True
    return False


def _field_type(cls: type[Any], name: str) -> Any:
    return attrs.fields_dict(cls)[name].type


def _resolver(cls: type[Any], kinds: tuple[str, ...]) -> _Resolver:
    """Generate the reference checker of ``cls`` for the reference kinds ``kinds``.

    Records that cannot hold such a reference are not visited; nested records are checked inline.
    Scalar references are ``str`` or ``None`` and lists of references are tuples (the fields'
    validators ensure it); anything else, or a record of an unexpected class, answers no, and the
    caller then walks generically.
    """
    if not attrs.has(cls):
        return _always
    env: dict[str, Any] = {"walk": _resolves_walk}
    lines = ["def check(o, known):"]
    lines += [f"    k{i} = known[{kind!r}]" for i, kind in enumerate(kinds)]
    if kinds:  # a kind mapped to None is skipped by the walk: leave that case to it
        absent = " or ".join(f"k{i} is None" for i in range(len(kinds)))
        lines += [f"    if {absent}:", "        return False"]
    _emit_checks(cls, "o", kinds, lines, "    ", env, (cls,))
    lines.append("    return True")
    namespace: dict[str, Any] = {}
    source = "\n".join(lines)
    exec(compile(source, f"<ipt_core reference checker {cls.__name__}>", "exec"), env, namespace)  # noqa: S102
    return namespace["check"]  # type: ignore[no-any-return]


def _bind(env: dict[str, Any], prefix: str, value: object) -> str:
    """A fresh name in the generated code's namespace for ``value``."""
    name = f"{prefix}_{len(env)}"
    env[name] = value
    return name


def _always(_obj: object, _known: dict[str, frozenset[str]]) -> bool:
    return True


def _emit_checks(  # noqa: PLR0917 - one generator step, recursive
    cls: type[Any],
    var: str,
    kinds: tuple[str, ...],
    lines: list[str],
    indent: str,
    env: dict[str, Any],
    stack: tuple[type[Any], ...],
) -> None:
    depth = len(stack)
    fields = attrs.fields_dict(cls)
    for name, kind, target in _ref_plan(cls):
        if target is not None:
            if target not in kinds:
                continue
            ids = f"k{kinds.index(target)}"
            spec = spec_of(fields[name])
            if spec is not None and spec.max_items is None:  # one reference: a str or None
                lines += [
                    f"{indent}v = {var}.{name}",
                    f"{indent}if v is not None and v not in {ids}:",
                    f"{indent}    return False",
                ]
            else:  # a tuple of references
                lines += [
                    f"{indent}v = {var}.{name}",
                    f"{indent}if v and not {ids}.issuperset(v):",
                    f"{indent}    return False",
                ]
            continue
        classes = _record_types(fields[name].type)
        wanted = [t for t in classes if _relevant(t, kinds)]
        if not wanted:
            continue
        item = f"x{depth}"
        if kind == "items":
            lines.append(f"{indent}for {item} in {var}.{name}:")
        else:
            lines += [f"{indent}{item} = {var}.{name}", f"{indent}if {item} is not None:"]
        inner = indent + "    "
        skip = _bind(env, "skip", frozenset(t for t in classes if t not in wanted))
        lines.append(f"{inner}t = {item}.__class__")
        for n, sub in enumerate(wanted):
            lines.append(f"{inner}{'if' if n == 0 else 'elif'} t is {_bind(env, sub.__name__, sub)}:")
            if sub in stack or depth >= _INLINE_MAX:
                lines += [f"{inner}    if not walk({item}, known):", f"{inner}        return False"]
            else:
                body_start = len(lines)
                _emit_checks(sub, item, kinds, lines, inner + "    ", env, (*stack, sub))
                if len(lines) == body_start:
                    lines.append(f"{inner}    pass")
        lines += [f"{inner}elif t not in {skip}:", f"{inner}    return False"]


def iter_refs(obj: object, path: str = "$") -> list[tuple[str, str, str]]:
    """Every reference below ``obj`` as ``(path, target kind, id)``, found from field metadata."""
    found: list[tuple[str, str, str]] = []
    _collect_refs(obj, path, found)
    return found


_RefPlan = tuple[tuple[str, str, str | None], ...]
_REF_PLANS: dict[type[Any], _RefPlan] = {}


def _ref_plan(cls: type[Any]) -> _RefPlan:
    """The fields of ``cls`` that hold references or records that may hold them (computed once).

    Read on every case built, so nested records that can never hold a reference are left out.
    """
    plan = _REF_PLANS.get(cls)
    if plan is not None:
        return plan
    attrs.resolve_types(cls)
    entries: list[tuple[str, str, str | None]] = []
    for field in attrs.fields(cls):
        spec = spec_of(field)
        if spec is None:
            continue
        if spec.ref is not None:
            entries.append((field.name, spec.kind, spec.ref))
        elif spec.kind in ("items", "value") and any(_ref_plan(t) for t in _record_types(field.type)):
            entries.append((field.name, spec.kind, None))
    plan = tuple(entries)
    _REF_PLANS[cls] = plan
    return plan


def _record_types(tp: Any) -> list[type[Any]]:
    """The attrs classes named anywhere in a type (``tuple[X, ...]``, ``X | None``, unions)."""
    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return [found for arg in get_args(tp) for found in _record_types(arg)]


def _collect_refs(obj: object, path: str, found: list[tuple[str, str, str]]) -> None:
    cls = type(obj)
    plan = _REF_PLANS.get(cls)
    if plan is None:
        if not attrs.has(cls):
            return
        plan = _ref_plan(cls)
    for name, kind, target in plan:
        value = getattr(obj, name)
        if target is not None:
            if isinstance(value, str):
                found.append((f"{path}.{name}", target, value))
            elif isinstance(value, tuple):
                found.extend((f"{path}.{name}[{i}]", target, v) for i, v in enumerate(value))
        elif kind == "items":
            for i, item in enumerate(value):
                _collect_refs(item, f"{path}.{name}[{i}]", found)
        elif value is not None:
            _collect_refs(value, f"{path}.{name}", found)
