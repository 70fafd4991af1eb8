"""The codec's fast path: generated, exact builders that accept a valid document or give up.

For each domain class a builder is generated (as cattrs does) from the fields' :class:`Spec` and
types. It checks exact JSON types, ranges, lengths, id forms, field rules (``unique_by``) and the
key set, builds the frozen object with ``object.__new__`` and its checked dict as ``__dict__``
(skipping attrs' per-field validators and converters, whose checks it has already made), and then
runs the class's own invariants (``__attrs_post_init__``). A case runs them with what its builders
gathered on the way in a per-document :func:`context` (every reference, and whether every answer
record plainly fits its instrument), instead of walking its records again. On any doubt it raises
:class:`Slow`, and the caller runs the detailed cattrs path (``_detailed``), which finds every
problem with its path and code. The two paths accept the same documents and build equal objects
(``tests/test_codec_fastpath.py`` checks this).

Nothing here builds messages: a failure says only "slow path", never what was wrong or with what.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, Final, Union, get_args, get_origin

import attrs

from ipt_core.boundary import _json
from ipt_core.domain._fields import ID_PATTERN, spec_of
from ipt_core.domain.measures.instruments import FITS, near_instrument
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.domain.sessions import ANSWER_MAX, ITEMS_PER_INSTRUMENT_MAX, Missing
from ipt_core.domain.timeline import FuzzyDate

__all__ = ["Slow", "builder", "static_depth"]

_ID_RE: Final = re.compile(ID_PATTERN)
DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""The one written form of a calendar date (``YYYY-MM-DD``), matched whole; both paths use it."""
_CACHE_MAX: Final = 4096
"""Bound on each cache of already-validated small values (ids, dates), so input cannot grow them."""


class Slow(Exception):
    """The fast path declines this input; run the detailed path. Carries nothing."""


_SLOW: Final = Slow()

# -- scalar checks with bounded caches of values already found valid ----------------------------

_IDS: set[str] = set()
_DATES: dict[str, date] = {}
_FUZZY: dict[str, FuzzyDate] = {}


def _id(value: object) -> str:
    if value in _IDS:  # only strings are ever added, and only strings equal strings
        return value
    if type(value) is not str or not 1 <= len(value) <= 64 or not _ID_RE.fullmatch(value):
        raise _SLOW
    if len(_IDS) >= _CACHE_MAX:
        _IDS.clear()
    _IDS.add(value)
    return value


def _date(value: object) -> date:
    found = _DATES.get(value) if type(value) is str else None
    if found is not None:
        return found
    if type(value) is not str or not DATE_RE.fullmatch(value):
        raise _SLOW
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise _SLOW from None
    if len(_DATES) >= _CACHE_MAX:
        _DATES.clear()
    _DATES[value] = parsed
    return parsed


def _fuzzy(value: object) -> FuzzyDate:
    found = _FUZZY.get(value) if type(value) is str else None
    if found is not None:
        return found
    if type(value) is not str:
        raise _SLOW
    parsed = FuzzyDate.parse(value)  # raises ValidationError: the caller turns it into Slow
    if len(_FUZZY) >= _CACHE_MAX:
        _FUZZY.clear()
    _FUZZY[value] = parsed
    return parsed


_MISSING: Final = Missing._value2member_map_
_COMMON_HIGH: Final = min(1440, ANSWER_MAX)
"""Answers from 0 to this (item scores; minutes of a day) that are all ``int`` (not ``bool``, not
``float``, both of which compare equal to some) need no other check."""


def small_ints(values: tuple[Any, ...], low: int, high: int) -> bool:
    """Whether every one of ``values`` is an ``int`` (not a ``bool``) from ``low`` to ``high``.

    Shared by the builders and compiled with them (see :data:`COMPILED`): uses builtins only."""
    for x in values:  # noqa: SIM110 - a loop: all() over a generator is slower, compiled or not
        if type(x) is not int or x < low or x > high:
            return False
    return True


COMPILED: Final = (small_ints,)
"""Functions the builders call that the compiled module defines itself, from the same source."""


def _parser_key(name: str) -> str:
    """``name`` as the JSON parser's own text for that key: orjson keeps one text per key it has
    read (while its cache holds it), so a look-up with it matches by identity, not by comparing
    letters. Equal to ``name`` whatever the parser does."""
    key: str = next(iter(_json.read(f'{{"{name}":0}}'.encode())))
    return key


Fit = tuple[int, int, frozenset[int], frozenset[str]]


def _bounds(fit: Fit) -> tuple[int, int, int, int, frozenset[str]]:
    """An instrument's quick fit with its shared item range as bounds (an empty range: ``1, 0``)."""
    required, most, values, options = fit
    return required, most, min(values, default=1), max(values, default=0), options


_FIT_BOUNDS: Final = {key: _bounds(fit) for key, fit in FITS.items()}


def _answers(value: object) -> tuple[Any, ...]:
    if type(value) is not list or len(value) > ITEMS_PER_INSTRUMENT_MAX:
        raise _SLOW
    answers = tuple(value)
    if small_ints(answers, -ANSWER_MAX, ANSWER_MAX):
        return answers
    out: list[Any] = []
    for item in value:
        if item is None:
            out.append(None)
        elif type(item) is int:
            if not -ANSWER_MAX <= item <= ANSWER_MAX:
                raise _SLOW
            out.append(item)
        elif type(item) is str and item in _MISSING:
            out.append(_MISSING[item])
        else:
            raise _SLOW
    return tuple(out)


# -- type inspection ----------------------------------------------------------------------------


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    """``(T, nullable)`` for ``T | None``; ``(tp, False)`` otherwise. ProblemArea stays whole."""
    if get_origin(tp) in (Union, types.UnionType):
        args = get_args(tp)
        if type(None) in args:
            rest = tuple(a for a in args if a is not type(None))
            return (rest[0] if len(rest) == 1 else Union[rest]), True  # noqa: UP007
    return tp, False


def _element(tp: Any) -> Any:
    args = get_args(tp)
    if get_origin(tp) is not tuple or len(args) != 2 or args[1] is not Ellipsis:
        raise TypeError("expected tuple[T, ...]")
    return args[0]


def _is_area(tp: Any) -> bool:
    return bool(tp == ProblemArea)


# -- code generation ----------------------------------------------------------------------------

Builder = Callable[[Any, list[Any]], Any]
_BUILDERS: dict[type[Any], Builder] = {}
_DEPTHS: dict[Any, int] = {}

KEYS: Final = 0
"""Slot of a build context: the number of object keys read (the caller checks it against the
document's colons, so a repeated key is found without a second parse)."""
REF_SLOTS: Final = {"person": 1, "event": 2, "area": 3}
"""Slots of a build context: every reference read, by the kind of record it names."""
UNFITTED: Final = 4
"""Slot of a build context: set when an answer record was not shown to fit its instrument."""


GENERATED: Final = "ipt_core_generated"
"""Key of a generated builder's ``__dict__`` holding its ``(source, globals)``."""


def context() -> list[Any]:
    """A fresh build context (see the slot constants above) for one document."""
    return [0, [], [], [], 0]


def builder(cls: type[Any]) -> Builder:
    """The fast builder of ``cls``: ``build(data, context) -> obj``; raises :class:`Slow`.

    The builder records in the :func:`context` the keys it read, the references it met and
    whether every answer record fitted its instrument; a case's invariants use the last two
    instead of walking the built records again.
    """
    found = _BUILDERS.get(cls)
    if found is None:
        found = _generate(cls, extra_keys=0)
        _BUILDERS[cls] = found
    return found


def root_builder(cls: type[Any]) -> Builder:
    """As :func:`builder`, for a root document whose envelope keys (two) sit beside the fields."""
    return _generate(cls, extra_keys=2)


def _area_builder() -> Builder:
    """The builder of a problem area: by its ``area`` tag, the builder of that kind of area."""
    env: dict[str, Any] = {"SLOW": _SLOW, "dict_": dict, "type_": type}
    lines = ["def build(d, counter):", "    if type_(d) is not dict_:", "        raise SLOW"]
    lines.append('    tag = d["area"]')  # KeyError, TypeError: the caller takes the detailed path
    for index, (kind, cls) in enumerate(AREA_TYPES.items()):
        env[f"tag_{index}"] = kind.value
        env[f"sub_{index}"] = _generate(cls, extra_keys=1)
        lines += [f"    if tag == tag_{index}:", f"        return sub_{index}(d, counter)"]
    lines.append("    raise SLOW")
    return _defined("\n".join(lines), "<ipt_core fast builder ProblemArea>", env)


def _defined(source: str, name: str, env: dict[str, Any]) -> Builder:
    """The function ``build`` that ``source`` defines, with its ``(source, globals)`` kept on it."""
    namespace: dict[str, Any] = {}
    exec(compile(source, name, "exec"), env, namespace)  # noqa: S102 - the codec's own generated source
    built: Builder = namespace["build"]
    built.__dict__[GENERATED] = (source, env)  # what the compiled builders are written from (_native)
    return built


def _sub_builder(tp: Any) -> Builder:
    if _is_area(tp):
        return _area_builder()
    if not (isinstance(tp, type) and attrs.has(tp)):
        raise TypeError("no fast builder for this type")
    return builder(tp)


def static_depth(tp: Any) -> int:
    """The deepest nesting (objects and lists, the object itself being 1) a valid ``tp`` can have."""
    if _is_area(tp):
        return max(static_depth(cls) for cls in AREA_TYPES.values())
    known = _DEPTHS.get(tp)
    if known is not None:
        return known
    attrs.resolve_types(tp)
    deepest = 0
    for field in attrs.fields(tp):
        spec = spec_of(field)
        kind = spec.kind if spec is not None else ""
        inner, _ = _strip_optional(field.type)
        if kind == "value":
            deepest = max(deepest, static_depth(inner))
        elif kind == "items":
            deepest = max(deepest, 1 + static_depth(_element(inner)))
        elif get_origin(inner) is tuple:
            deepest = max(deepest, 1)
    _DEPTHS[tp] = 1 + deepest
    return 1 + deepest


def _dict_setter(cls: type[Any]) -> Callable[[Any, dict[str, Any]], None]:
    """The setter of the instance ``__dict__`` of ``cls`` (the ``__dict__`` descriptor's ``__set__``)."""
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get("__dict__")
        if descriptor is not None and hasattr(descriptor, "__set__"):
            return descriptor.__set__  # type: ignore[no-any-return]
    raise TypeError("the fast path builds records that keep a __dict__")


def _generate(cls: type[Any], *, extra_keys: int) -> Builder:
    """Generate the builder of ``cls``; ``extra_keys`` envelope keys (kind, tag) sit beside its fields.

    The domain's records keep their fields in ``__dict__`` (``slots=False``), so a document whose
    every key is present is checked field by field, the converted values are written back into the
    parsed dict itself (which nothing else holds), and that dict becomes the object's ``__dict__``.
    """
    attrs.resolve_types(cls)
    if "__slots__" in cls.__dict__ and "__dict__" not in cls.__slots__:
        raise TypeError("the fast path builds records that keep a __dict__")
    env: dict[str, Any] = {
        "cls": cls,
        "new": object.__new__,
        "set_dict": _dict_setter(cls),
        "SLOW": _SLOW,
        "_id": _id,
        "IDS": _IDS,
        "DATES": _DATES,
        "FUZZY": _FUZZY,
        "_date": _date,
        "_fuzzy": _fuzzy,
        "_answers": _answers,
        "list_": list,
        "dict_": dict,
        "str_": str,
        "int_": int,
        "tuple_": tuple,
        "len_": len,
        "set_": set,
        "type_": type,
        "small_ints": small_ints,
        "COMMON_HIGH": _COMMON_HIGH,
        "EMPTY": [],
        "EMPTY_TEXT": "",
        "FITS": _FIT_BOUNDS,
        "near_instrument": near_instrument,
    }
    fields = attrs.fields(cls)
    names = {f.name for f in fields}
    answer_record = _is_answer_record(cls)
    envelope = [] if extra_keys == 0 else (["area"] if extra_keys == 1 else ["kind", "schema_version"])
    if not fields:
        raise TypeError("the fast path builds records with at least one field")
    # Every key present (the usual case): ``d[name]`` raises TypeError unless ``d`` is a mapping,
    # and the parser makes no other mapping than dict, so the type is checked in the other branch.
    lines = [
        "def build(d, counter):",
        "    o = new(cls)",
        f"    if len_(d) == {len(fields) + extra_keys}:",
    ]
    checks: list[list[str]] = []
    converts: list[bool] = []
    for index, field in enumerate(fields):
        spec = spec_of(field)
        if spec is None:
            raise TypeError(f"{cls.__name__}.{field.name} has no Spec")
        tp, nullable = _strip_optional(field.type)
        nullable = nullable and not spec.omit_default  # written only when set, never as null
        role = field.name if answer_record and field.name in ("answers", "options") else ""
        body = _check_lines(spec.kind, spec, tp, nullable, index, env, fits=role)
        checks.append(body)
        converts.append(not (spec.kind in _KEPT_AS_PARSED and spec.max_items is None))
        env[f"K_{index}"] = _parser_key(field.name)
        lines.append(f"        v = d[K_{index}]")
        lines += ["        " + line for line in body]
        if converts[index]:
            lines.append(f"        d[K_{index}] = v")
    lines += [f"        del d[{key!r}]" for key in envelope]
    lines += [
        f"        counter[{KEYS}] += {len(fields) + extra_keys}",
        "        set_dict(o, d)",
        "    else:",
        "        if type(d) is not dict_:",
        "            raise SLOW",
        f"        n = {extra_keys}",
        "        od = {}",
    ]
    for key in envelope:
        lines += [f"        if {key!r} not in d:", "            raise SLOW"]
    for index, field in enumerate(fields):
        name = field.name
        if field.default is attrs.NOTHING:
            lines += [f"        v = d[K_{index}]", "        n += 1"]
            lines += ["        " + line for line in checks[index]]
        else:
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                env[f"factory_{index}"] = default.factory
                absent = f"factory_{index}()"
            else:
                env[f"default_{index}"] = default
                absent = f"default_{index}"
            lines += [f"        if K_{index} in d:", f"            v = d[K_{index}]", "            n += 1"]
            lines += ["            " + line for line in checks[index]]
            lines += ["        else:", f"            v = {absent}"]
        lines.append(f"        od[{name!r}] = v")
    lines += [
        "        if n != len_(d):",
        "            raise SLOW",
        f"        counter[{KEYS}] += n",
        "        set_dict(o, od)",
    ]
    if names & set(envelope):
        raise TypeError("a field is named like an envelope key")
    if _checks_with_context(cls):  # a case: its invariants, with what the builders found
        refs = ", ".join(f"{kind!r}: counter[{slot}]" for kind, slot in REF_SLOTS.items())
        lines += [
            f"    if o._invariant_problems({{{refs}}}, measures_fit=not counter[{UNFITTED}]):",
            "        raise SLOW",
        ]
    else:
        post = getattr(cls, "__attrs_post_init__", None)
        if post is not None:
            env["post"] = post
            lines.append("    post(o)")
    lines.append("    return o")
    source = "\n".join(lines)
    return _defined(source, f"<ipt_core fast builder {cls.__name__}>", env)


def _checks_with_context(cls: type[Any]) -> bool:
    """Whether ``cls`` checks its invariants with ``_invariant_problems`` (as a case does), and
    its ``__attrs_post_init__`` is the one that method belongs with (not a subclass's own)."""
    for klass in cls.__mro__:
        if "_invariant_problems" in klass.__dict__:
            return getattr(cls, "__attrs_post_init__", None) is klass.__dict__.get("__attrs_post_init__")
    return False


def _is_answer_record(cls: type[Any]) -> bool:
    """Whether ``cls`` holds answers to an instrument named before them, and the options used."""
    kinds = [(field.name, _kind_of(field)) for field in attrs.fields(cls)]
    return kinds[:2] == [("instrument", "id"), ("answers", "answers")] and "options" in dict(kinds)


def _kind_of(field: attrs.Attribute[Any]) -> str:
    spec = spec_of(field)
    return "" if spec is None else spec.kind


_KEPT_AS_PARSED: Final = frozenset({"text", "alias", "id", "ref", "int", "bool"})
"""Field kinds whose checked JSON value is already the model's value (no conversion to store).
A list of texts or ids is converted to a tuple, so those kinds are kept only when scalar."""


def _check_lines(  # noqa: PLR0917 - one generator step, called in one place
    kind: str, spec: Any, tp: Any, nullable: bool, index: int, env: dict[str, Any], *, fits: str = ""
) -> list[str]:
    """Lines that check ``v`` (and convert it in place) for one field.

    ``fits`` names the field of an answer record (``answers`` or ``options``) that is also checked
    against the record's instrument: the same quick test as the case's own check of measures,
    which the case then skips. A record this test cannot clear is flagged in the context for that
    check, not refused.
    """
    body: list[str]
    if kind in ("text", "alias") and spec.max_items is None:
        low = spec.min_length or 0
        if low:
            body = [f"if type(v) is not str_ or not {low} <= len_(v) <= {spec.max_length}:", "    raise SLOW"]
        else:  # the empty text (one object in CPython; any other passes the full check) is common
            body = [
                f"if v is not EMPTY_TEXT and (type(v) is not str_ or len_(v) > {spec.max_length}):",
                "    raise SLOW",
            ]
    elif kind in ("text", "alias"):
        body = [
            "if v == EMPTY:",  # only an empty list equals []
            "    v = ()",
            "else:",
            f"    if type(v) is not list_ or len_(v) > {spec.max_items}:",
            "        raise SLOW",
            "    for x in v:",
            f"        if type(x) is not str_ or not {spec.min_length or 0} <= len_(x) <= {spec.max_length}:",
            "            raise SLOW",
            "    v = tuple_(v)",
        ]
    elif kind in ("id", "ref") and spec.max_items is None:
        body = ["if v not in IDS:", "    v = _id(v)"]
        if kind == "ref" and spec.ref in REF_SLOTS:
            body.append(f"counter[{REF_SLOTS[spec.ref]}].append(v)")
    elif kind == "ref":
        body = [
            "if v == EMPTY:",
            "    v = ()",
            "else:",
            f"    if type(v) is not list_ or len_(v) > {spec.max_items}:",
            "        raise SLOW",
            "    v = tuple_([x if x in IDS else _id(x) for x in v])",
        ]
        if spec.ref in REF_SLOTS:
            body.append(f"    counter[{REF_SLOTS[spec.ref]}].extend(v)")
        if fits == "options":  # ``fit``: the instrument's, set by the answers' check before
            body += [
                "    if fit is not None and not fit[4].issuperset(v):",
                f"        counter[{UNFITTED}] = 1",
            ]
    elif kind == "int":
        conditions = ["type(v) is not int_"]
        if spec.ge is not None:
            conditions.append(f"v < {spec.ge}")
        if spec.le is not None:
            conditions.append(f"v > {spec.le}")
        body = [f"if {' or '.join(conditions)}:", "    raise SLOW"]
    elif kind == "bool":
        body = ["if v is not True and v is not False:", "    raise SLOW"]
    elif kind == "enum":
        if not (isinstance(tp, type) and issubclass(tp, Enum)):
            raise TypeError("an enum field without an enum type")
        env[f"members_{index}"] = tp._value2member_map_
        body = [f"v = members_{index}[v]"]  # keys are strings: anything else is a KeyError
    elif kind == "enum_items":
        element = _element(tp)
        members = f"members_{index}"
        env[members] = element._value2member_map_
        body = [
            "if type(v) is not list_:",
            "    raise SLOW",
            "ln = len_(v)",
            "if ln == 0:",
            "    v = ()",
            "elif ln == 1:",
            f"    v = ({members}[v[0]],)",
            "elif ln == 2:",  # members are singletons: distinct values are distinct objects
            f"    v = ({members}[v[0]], {members}[v[1]])",
            "    if v[0] is v[1]:",
            "        raise SLOW",
            "elif ln == 3:",
            f"    v = ({members}[v[0]], {members}[v[1]], {members}[v[2]])",
            "    if v[0] is v[1] or v[0] is v[2] or v[1] is v[2]:",
            "        raise SLOW",
            "else:",
            f"    v = tuple_([{members}[x] for x in v])",
            "    if len_(set_(v)) != ln:",
            "        raise SLOW",
        ]
    elif kind == "date":
        body = ["w = DATES.get(v)", "v = _date(v) if w is None else w"]
    elif kind == "fuzzy_date":
        body = ["w = FUZZY.get(v)", "v = _fuzzy(v) if w is None else w"]
    elif kind == "answers":
        common = "v = w if small_ints(w, 0, COMMON_HIGH) else _answers(v)"
        body = [
            f"if type(v) is not list_ or len_(v) > {ITEMS_PER_INSTRUMENT_MAX}:",
            "    raise SLOW",
            "w = tuple_(v)",
        ]
        if fits == "answers":  # the instrument, already checked, is the record's first field
            body += [
                "fit = FITS.get(d[K_0])",
                "if fit is not None and fit[0] <= len_(w) <= fit[1] and small_ints(w, fit[2], fit[3]):",
                "    v = w",  # integers that fit the instrument, and so lie in range
                "else:",
                "    if fit is not None or near_instrument(d[K_0]) is not None:",
                f"        counter[{UNFITTED}] = 1",
                f"    {common}",
            ]
        else:
            body.append(common)
    elif kind == "value":
        env[f"sub_{index}"] = _sub_builder(tp)
        body = [f"v = sub_{index}(v, counter)"]
    elif kind == "items":
        env[f"sub_{index}"] = _sub_builder(_element(tp))
        limit = spec.max_items if spec.max_items is not None else 10**9
        sub = f"sub_{index}"
        body = ["if v == EMPTY:", "    v = ()", "else:"]
        inner = ["if type(v) is not list_:", "    raise SLOW", "ln = len_(v)"]
        key = spec.unique_by
        if limit >= 2:  # short lists (the usual case) skip the comprehension's frame
            inner += [
                "if ln == 1:",
                f"    v = ({sub}(v[0], counter),)",
                "elif ln == 2:",
                f"    v = ({sub}(v[0], counter), {sub}(v[1], counter))",
                *([f"    if v[0].{key} == v[1].{key}:", "        raise SLOW"] if key else []),
                f"elif ln > {limit}:",
                "    raise SLOW",
                "else:",
                f"    v = tuple_([{sub}(x, counter) for x in v])",
                *([f"    if len_(set_([x.{key} for x in v])) != ln:", "        raise SLOW"] if key else []),
            ]
        else:
            inner += [f"if ln > {limit}:", "    raise SLOW", f"v = tuple_([{sub}(x, counter) for x in v])"]
        body += ["    " + line for line in inner]
    else:
        raise TypeError(f"no fast check for kind {kind!r}")
    if nullable:
        return ["if v is not None:", *("    " + line for line in body)]
    return body


# -- dumping ------------------------------------------------------------------------------------

Dumper = Callable[[Any], Any]
_DUMPERS: dict[type[Any], Dumper] = {FuzzyDate: str}


def dumper(cls: type[Any]) -> Dumper:
    """A generated function giving the JSON-ready dict of a ``cls`` object, one level deep.

    Nested records are left as objects: the encoder calls :func:`encode_default` for each.
    Problem areas carry their ``"area"`` tag first.
    """
    found = _DUMPERS.get(cls)
    if found is None:
        head = [f"'area': {cls.KIND.value!r}"] if cls in AREA_TYPES.values() else []
        found = _DUMPERS[cls] = _generate_dumper(cls, head)
    return found


def document_dumper(cls: type[Any], kind: str, version: int) -> Dumper:
    """As :func:`dumper`, for a root document: its ``kind`` and ``schema_version`` come first."""
    return _generate_dumper(cls, [f"'kind': {kind!r}", f"'schema_version': {version!r}"])


def _generate_dumper(cls: type[Any], head: list[str]) -> Dumper:
    fields = attrs.fields(cls)
    omitted = [f for f in fields if (spec := spec_of(f)) is not None and spec.omit_default]
    entries = [*head, *(f"{f.name!r}: o.{f.name}" for f in fields if f not in omitted)]
    env: dict[str, Any] = {}
    lines = ["def dump(o):", "    d = {" + ", ".join(entries) + "}"]
    for field in omitted:  # a field added to a released format: written only when set
        default = env[f"default_{field.name}"] = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            raise TypeError("a field left out at its default needs a plain default")
        name = field.name
        lines += [f"    if o.{name} != default_{name}:", f"        d[{name!r}] = o.{name}"]
    source = "\n".join([*lines, "    return d"])
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<ipt_core dumper {cls.__name__}>", "exec"), env, namespace)  # noqa: S102
    return namespace["dump"]  # type: ignore[no-any-return]


def encode_default(obj: object) -> Any:
    """The encoder's hook for values it does not know: domain records, via their dumper."""
    found = _DUMPERS.get(type(obj))
    if found is not None:
        return found(obj)
    if attrs.has(type(obj)):
        return dumper(type(obj))(obj)
    raise TypeError("not an ipt_core domain value")
