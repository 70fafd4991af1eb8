"""The JSON codec: ``dumps`` and ``loads`` through one cattrs converter, configured here only.

Loading is strict: exact JSON types (a boolean is not a number, a number is not a text), unknown
keys refused, closed tagged unions with an explicit tag map, dates in one form only. Whatever is
wrong, the caller gets :class:`~ipt_core.errors.ValidationError` with paths and codes, built outside
any ``except`` block so that no exception carrying an input value is chained to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any, Final, TypeVar, cast, get_args, get_origin, overload

import attrs
import cattrs
import orjson
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ipt_core.boundary import _fast, migrations
from ipt_core.boundary.documents import ROOT_KINDS, SCHEMA_VERSION
from ipt_core.domain.case import Case
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.domain.sessions import Answer, Missing
from ipt_core.domain.timeline import FuzzyDate
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["Limits", "dumps", "loads", "to_data"]

T = TypeVar("T")

_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@attrs.frozen
class Limits:
    """Bounds checked before a document is parsed or built, so hostile input fails fast."""

    max_bytes: int = 4 * 1024 * 1024
    """A case with a thousand sessions is a few hundred kilobytes; 4 MiB leaves ample room."""
    max_depth: int = 32
    """A valid document nests fewer than 12 levels."""


DEFAULT_LIMITS: Final = Limits()


class _Bad(Exception):
    """A problem found by a structure hook: only a code and a message of ours, never a value."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message


# -- structure hooks (strict) -------------------------------------------------------------------


def _str(value: object, _: object) -> str:
    if type(value) is str:
        return value
    raise _Bad(ProblemCode.WRONG_TYPE, "expected a string")


def _int(value: object, _: object) -> int:
    if type(value) is int:
        return value
    raise _Bad(ProblemCode.WRONG_TYPE, "expected an integer")


def _bool(value: object, _: object) -> bool:
    if type(value) is bool:
        return value
    raise _Bad(ProblemCode.WRONG_TYPE, "expected true or false")


def _date(value: object, _: object) -> date:
    if type(value) is not str:
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a date string")
    if not _DATE_RE.fullmatch(value):
        raise _Bad(ProblemCode.PATTERN, "a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    raise _Bad(ProblemCode.INVALID_VALUE, "no such date")


def _fuzzy_date(value: object, _: object) -> FuzzyDate:
    if type(value) is not str:
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a date string")
    return FuzzyDate.parse(value)


def _answer(value: object, _: object) -> Answer:
    if value is None or type(value) is int:
        return cast(Answer, value)
    if type(value) is str:
        member = Missing._value2member_map_.get(value)
        if member is not None:
            return cast(Missing, member)
        raise _Bad(ProblemCode.NOT_ALLOWED, "skipped, declined, unknown, an integer or null")
    raise _Bad(ProblemCode.WRONG_TYPE, "an integer, a missing reason or null")


def _enum_hook(enum: type[Enum]) -> Callable[[object, object], Enum]:
    members = enum._value2member_map_

    def structure(value: object, _: object) -> Enum:
        if type(value) is str:
            member = members.get(value)
            if member is not None:
                return member
            raise _Bad(ProblemCode.NOT_ALLOWED, f"one of the {enum.__name__} values")
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a string")

    return structure


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_optional(tp: Any) -> bool:
    args = get_args(tp)
    return len(args) == 2 and type(None) in args and tp != Answer


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(date, _date)
    conv.register_structure_hook(FuzzyDate, _fuzzy_date)
    conv.register_structure_hook_func(lambda t: t == Answer, _answer)
    conv.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_hook)

    def tuple_factory(tp: Any) -> Callable[[object, object], tuple[Any, ...]]:
        element = get_args(tp)[0]
        inner = conv.get_structure_hook(element)

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected a list")
            out: list[Any] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(inner(item, element))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ index {i}", i, element))
                    errors.append(exc)
            if errors:
                raise IterableValidationError("list", errors, tp)
            return tuple(out)

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_tuple, tuple_factory)

    def optional_factory(tp: Any) -> Callable[[object, object], Any]:
        (element,) = (a for a in get_args(tp) if a is not type(None))
        inner = conv.get_structure_hook(element)

        def structure(value: object, _: object) -> Any:
            return None if value is None else inner(value, element)

        return structure

    conv.register_structure_hook_factory(_is_optional, optional_factory)

    def attrs_factory(cls: type[Any]) -> Callable[[object, object], Any]:
        generated = make_dict_structure_fn(cls, conv)

        def structure(value: object, _: object) -> Any:
            if type(value) is not dict:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected an object")
            return generated(value, cls)

        return structure

    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t is not FuzzyDate and not getattr(t, "__parameters__", ()),
        attrs_factory,
    )

    # The problem-area union: an explicit tag map, never "whatever class this string names".
    area_hooks = {kind.value: conv.get_structure_hook(cls) for kind, cls in AREA_TYPES.items()}
    area_classes = {kind.value: cls for kind, cls in AREA_TYPES.items()}

    def structure_area(value: object, _: object) -> ProblemArea:
        if type(value) is not dict:
            raise _Bad(ProblemCode.WRONG_TYPE, "expected an object")
        tag = value.get("area")
        if tag is None:
            raise _Bad(ProblemCode.MISSING, "an 'area' tag")
        if type(tag) is not str or tag not in area_hooks:
            raise _Bad(ProblemCode.NOT_ALLOWED, "an 'area' tag naming a known problem area")
        body = {k: v for k, v in value.items() if k != "area"}
        return cast(ProblemArea, area_hooks[tag](body, area_classes[tag]))

    conv.register_structure_hook_func(lambda t: t == ProblemArea, structure_area)

    # -- unstructuring ---------------------------------------------------------------------------
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(FuzzyDate, str)
    for kind, cls in AREA_TYPES.items():
        body_fn = make_dict_unstructure_fn(cls, conv)

        def unstructure_area(
            obj: Any, _tag: str = kind.value, _fn: Callable[[Any], dict[str, Any]] = body_fn
        ) -> dict[str, Any]:
            return {"area": _tag, **_fn(obj)}

        conv.register_unstructure_hook(cls, unstructure_area)
    return conv


_CONVERTER: Final = _make_converter()


# -- errors -------------------------------------------------------------------------------------


def _problems(exc: BaseException, path: str) -> list[Problem]:
    """Turn the exception tree cattrs raised into problems (codes and paths only)."""
    if isinstance(exc, ValidationError):
        return [p.under(path) for p in exc.problems]
    if isinstance(exc, _Bad):
        return [Problem(path, exc.code, exc.message)]
    if isinstance(exc, ForbiddenExtraKeysError):
        # The key itself came from the input, so it is not repeated here.
        return [Problem(path, ProblemCode.UNKNOWN_KEY, "a key this object does not define")]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        for sub in exc.exceptions:
            found.extend(_problems(sub, _sub_path(sub, path)))
        return found
    if isinstance(exc, KeyError):
        return [Problem(path, ProblemCode.MISSING, "a required field is absent")]
    return [Problem(path, ProblemCode.INVALID_VALUE)]


def _sub_path(exc: BaseException, path: str) -> str:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return f"{path}.{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"{path}[{note.index}]"
    return path


# -- documents ----------------------------------------------------------------------------------


def to_data(obj: Any) -> Any:
    """The JSON-ready form of a domain object (a root document gets its ``kind`` and version)."""
    data = _CONVERTER.unstructure(obj)
    kind = ROOT_KINDS.get(type(obj))
    if kind is not None:
        return {"kind": kind, "schema_version": SCHEMA_VERSION, **data}
    return data


def dumps(obj: Any) -> bytes:
    """The object as compact UTF-8 JSON; a root document carries its kind and schema version."""
    if not attrs.has(type(obj)):
        raise TypeError("dumps takes an ipt_core domain object")
    cls = type(obj)
    kind = ROOT_KINDS.get(cls)
    data = _fast.dumper(cls)(obj)
    if kind is not None:
        data = {"kind": kind, "schema_version": SCHEMA_VERSION, **data}
    try:
        return orjson.dumps(data, default=_fast.encode_default)
    except orjson.JSONEncodeError:
        problems = [Problem("$", ProblemCode.INVALID_VALUE, "a text that is not valid Unicode")]
    raise ValidationError(problems)


def _reject_constant(_name: str) -> Any:
    raise _Bad(ProblemCode.INVALID_JSON, "NaN and Infinity are not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Bad(ProblemCode.INVALID_JSON, "a key appears twice in one object")
    return result


def _text(data: object, limits: Limits) -> str:
    """The document as text, after the size limit and the encoding are checked (nothing parsed)."""
    if isinstance(data, str):
        if len(data) > limits.max_bytes:  # a character is at least one byte
            raise _Bad(ProblemCode.TOO_LARGE, "the document exceeds the size limit")
        try:
            size = len(data.encode("utf-8"))
        except UnicodeEncodeError:
            raise _Bad(ProblemCode.INVALID_JSON, "text that is not valid Unicode") from None
        if size > limits.max_bytes:
            raise _Bad(ProblemCode.TOO_LARGE, "the document exceeds the size limit")
        text = data
    elif isinstance(data, bytes | bytearray | memoryview):
        size = data.nbytes if isinstance(data, memoryview) else len(data)  # bytes, whatever the format
        if size > limits.max_bytes:
            raise _Bad(ProblemCode.TOO_LARGE, "the document exceeds the size limit")
        try:
            text = (data if type(data) is bytes else bytes(data)).decode("utf-8")
        except UnicodeDecodeError:
            raise _Bad(ProblemCode.INVALID_JSON, "not UTF-8") from None
    else:
        raise _Bad(ProblemCode.WRONG_TYPE, "loads takes bytes or str")
    if text.startswith("\ufeff"):
        raise _Bad(ProblemCode.INVALID_JSON, "a byte-order mark is not allowed")
    return text


def _parse(text: str, limits: Limits) -> Any:
    """The parsed document, refusing NaN, Infinity, duplicate keys, unpaired surrogates and depth."""
    try:
        parsed = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except _Bad:
        raise
    except RecursionError:
        raise _Bad(ProblemCode.TOO_DEEP, "the document nests too deeply") from None
    except (ValueError, TypeError):
        raise _Bad(ProblemCode.INVALID_JSON, "not valid JSON") from None
    _check_depth(parsed, limits.max_depth)
    if "\\u" in text and not _encodable(parsed):
        raise _Bad(ProblemCode.INVALID_JSON, "an escaped surrogate that is not part of a pair")
    return parsed


def _encodable(parsed: Any) -> bool:
    """Whether every text in the parsed document is valid Unicode (a lone surrogate is not)."""
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_depth(root: Any, max_depth: int) -> None:
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise _Bad(ProblemCode.TOO_DEEP, "the document nests too deeply")
        if type(node) is dict:
            stack.extend((v, depth + 1) for v in node.values() if type(v) in (dict, list))
        elif type(node) is list:
            stack.extend((v, depth + 1) for v in node if type(v) in (dict, list))


def _envelope(parsed: Any, kind: str) -> dict[str, Any]:
    if type(parsed) is not dict:
        raise _Bad(ProblemCode.WRONG_TYPE, "a document is a JSON object")
    if "kind" not in parsed:
        raise ValidationError.single("$.kind", ProblemCode.MISSING, "a document names its kind")
    if parsed["kind"] != kind:
        raise ValidationError.single("$.kind", ProblemCode.WRONG_KIND, f"expected {kind!r}")
    if "schema_version" not in parsed:
        raise ValidationError.single("$.schema_version", ProblemCode.MISSING)
    body = {k: v for k, v in parsed.items() if k not in ("kind", "schema_version")}
    return migrations.upgrade(kind, parsed["schema_version"], body)


@overload
def loads(
    data: bytes | bytearray | memoryview | str, cls: None = None, *, limits: Limits | None = None
) -> Case: ...


@overload
def loads(data: bytes | bytearray | memoryview | str, cls: type[T], *, limits: Limits | None = None) -> T: ...


def loads(
    data: bytes | bytearray | memoryview | str,
    cls: type[Any] | None = None,
    *,
    limits: Limits | None = None,
) -> Any:
    """Read a document of type ``cls`` (default :class:`~ipt_core.Case`) from JSON.

    Raises :class:`~ipt_core.ValidationError` for every kind of invalid input, listing each problem
    with its path and code.
    """
    if cls is None:
        cls = Case
    if not attrs.has(cls):
        raise TypeError("loads builds ipt_core domain objects")
    problems = _load(data, cls, limits or DEFAULT_LIMITS)
    if isinstance(problems, list):
        raise ValidationError(problems)
    return problems


def _load(data: Any, cls: type[T], limits: Limits) -> T | list[Problem]:
    """The object, or the problems found; never lets an exception escape with an input value."""
    # UTF-8 bytes go to the fast path as they are (the parser checks the encoding itself).
    raw = type(data) is bytes and len(data) <= limits.max_bytes and not data.startswith(_BOM)
    fast = _load_fast(data, cls, limits) if raw else None
    if fast is not None:
        return fast
    try:
        text = _text(data, limits)
    except _Bad as exc:
        return [Problem("$", exc.code, exc.message)]
    fast = None if raw else _load_fast(text, cls, limits)
    if fast is not None:
        return fast
    try:
        parsed = _parse(text, limits)
        kind = ROOT_KINDS.get(cls)
        body = _envelope(parsed, kind) if kind is not None else parsed
        return _CONVERTER.structure(body, cls)
    except ValidationError as exc:
        return list(exc.problems)
    except (ClassValidationError, IterableValidationError, _Bad) as exc:
        return _problems(exc, "$")
    except RecursionError:
        return [Problem("$", ProblemCode.TOO_DEEP, "the document nests too deeply")]
    except Exception:
        return [Problem("$", ProblemCode.INVALID_VALUE)]


_FAST: Final[dict[type[Any], tuple[_fast.Builder, int] | None]] = {}


def _fast_builder(cls: type[Any]) -> tuple[_fast.Builder, int] | None:
    """The fast builder for ``cls`` and the deepest nesting a valid document of it can have."""
    if cls in _FAST:
        return _FAST[cls]
    try:
        build = _fast.root_builder(cls) if cls in ROOT_KINDS else _fast.builder(cls)
        found: tuple[_fast.Builder, int] | None = (build, _fast.static_depth(cls))
    except TypeError:  # a class the fast path cannot build: always take the detailed path
        found = None
    _FAST[cls] = found
    return found


_BOM: Final = "\ufeff".encode()


def _load_fast(text: str | bytes, cls: type[T], limits: Limits) -> T | None:
    """The object if the document is valid and plainly so; ``None`` to run the detailed path.

    A valid document is parsed once, without the duplicate-key hook: each structural ``:`` of a
    document is one key, so when the colons in the text equal the keys read (and no escape
    could hide a colon or a surrogate), no key was repeated. Otherwise the text is parsed
    again with every check on.
    """
    found = _fast_builder(cls)
    if found is None:
        return None
    build, depth = found
    counter = _fast.context()
    try:
        parsed = orjson.loads(text)
        kind = ROOT_KINDS.get(cls)
        if kind is not None and (
            type(parsed) is not dict
            or parsed.get("kind") != kind
            or type(parsed.get("schema_version")) is not int
            or parsed["schema_version"] != SCHEMA_VERSION
        ):
            return None
        if depth > limits.max_depth:
            _check_depth(parsed, limits.max_depth)
        colons = text.count(":") if isinstance(text, str) else text.count(b":")
        obj = build(parsed, counter)  # consumes the parsed tree: its dicts become the objects'
        if colons != counter[0] and not _no_duplicate_keys(text, colons, counter[0]):
            _parse(text if isinstance(text, str) else text.decode("utf-8"), limits)
    except Exception:
        return None
    return cast(T, obj)


def _no_duplicate_keys(text: str | bytes, colons: int, keys: int) -> bool:
    """Whether the text held no key twice, knowing the builder read ``keys`` keys.

    Each key of the text is followed by one structural colon, so the ``colons`` of the text = its
    keys + the colons inside its strings. When that equals ``keys`` + the colons in the parsed
    strings, no key was dropped as a duplicate. An escaped colon (``\\u003a``) could break the
    count, so the caller re-parses with the duplicate check whenever this says no.
    """
    if colons == keys:
        return True
    if isinstance(text, str):
        if "\\u003a" in text or "\\u003A" in text:
            return False
    elif b"\\u003a" in text or b"\\u003A" in text:
        return False
    return colons == keys + _string_colons(orjson.loads(text))


def _string_colons(root: Any) -> int:
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            for key, value in node.items():
                count += key.count(":")
                if type(value) is str:
                    count += value.count(":")
                elif type(value) in (dict, list):
                    stack.append(value)
        elif type(node) is list:
            for value in node:
                if type(value) is str:
                    count += value.count(":")
                elif type(value) in (dict, list):
                    stack.append(value)
    return count


def structure(data: Mapping[str, Any], cls: type[T]) -> T:
    """Build ``cls`` from already-parsed JSON data (no envelope), raising ``ValidationError``."""
    try:
        return _CONVERTER.structure(data, cls)
    except (ClassValidationError, IterableValidationError, _Bad, ValidationError) as exc:
        problems = _problems(exc, "$")
    raise ValidationError(problems)
