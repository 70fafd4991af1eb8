"""The JSON codec: ``dumps`` and ``loads``.

Loading is strict: exact JSON types (a boolean is not a number, a number is not a text), unknown
keys refused, closed tagged unions with an explicit tag map, dates in one form only. A document
goes first through the fast path (``_fast``: generated builders that accept a valid document or
give up) and otherwise through the detailed cattrs path (``_detailed``, imported on first need),
which finds every problem. JSON is parsed and written by orjson where it is installed, else by the
standard library, with the same results (``_json``). Whatever is wrong, the caller gets
:class:`~ipt_core.errors.ValidationError` with paths and codes, built outside any ``except`` block
so that no exception carrying an input value is chained to it.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Mapping
from typing import Any, Final, TypeVar, cast, overload

import attrs

from ipt_core import _hints
from ipt_core.boundary import _fast, _json, _native, migrations
from ipt_core.boundary.documents import ROOT_KINDS, SCHEMA_VERSION
from ipt_core.domain.case import Case
from ipt_core.errors import Problem, ProblemCode, ValidationError, capped

__all__ = ["Limits", "dumps", "loads", "to_data"]

T = TypeVar("T")


def _positive_int(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int or value < 1:
        raise TypeError(f"Limits.{attribute.name} is a whole number of at least 1")


@attrs.frozen
class Limits:
    """Bounds checked before a document is parsed or built, so hostile input fails fast."""

    max_bytes: int = attrs.field(default=4 * 1024 * 1024, validator=_positive_int)
    """A case with a thousand sessions is a few hundred kilobytes; 4 MiB leaves ample room."""
    max_depth: int = attrs.field(default=32, validator=_positive_int)
    """A valid document nests fewer than 12 levels. (Past 500 levels a document is refused whatever
    this says, before a parser can recurse that deep.)"""
    max_problems: int = attrs.field(default=100, validator=_positive_int)
    """Checking stops once this many problems are found; the list ends with a
    ``too_many_problems`` problem. This bounds the cost of refusing a hostile document."""


DEFAULT_LIMITS: Final = Limits()
_NOT_LIMITS: Final = "limits is a Limits, such as Limits(max_bytes=8 * 1024 * 1024), or None for the defaults"


class _Bad(Exception):
    """A problem found by a structure hook: only a code and a message of ours, never a value."""

    def __init__(
        self,
        code: str,
        message: str = "",
        *,
        expected: str = "",
        allowed: tuple[str, ...] = (),
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.expected = expected
        self.allowed = allowed
        self.line = line
        self.column = column

    def problem(self, path: str) -> Problem:
        """The problem this reports, at ``path``."""
        return Problem(path, self.code, self.message, self.expected, self.allowed, self.line, self.column)


# -- documents ----------------------------------------------------------------------------------


def to_data(obj: Any) -> Any:
    """The JSON-ready form of a domain object (a root document gets its ``kind`` and version)."""
    from ipt_core.boundary import _detailed  # noqa: PLC0415 - cattrs is imported on first need

    data = _detailed.CONVERTER.unstructure(obj)
    kind = ROOT_KINDS.get(type(obj))
    if kind is not None:
        return {"kind": kind, "schema_version": SCHEMA_VERSION, **data}
    return data


def dumps(obj: Any, *, limits: Limits | None = None) -> bytes:
    """The object as compact UTF-8 JSON; a root document carries its kind and schema version.

    The document is one ``loads`` accepts with the same ``limits`` (default: the default limits):
    a record the model allows but larger than ``limits.max_bytes`` (thousands of sessions of long
    notes, say) raises :class:`~ipt_core.ValidationError` with code ``too_large`` rather than
    writing a document that would then be refused.
    """
    if limits is not None and not isinstance(limits, Limits):
        raise TypeError(_NOT_LIMITS)
    dump = _DOCUMENT_DUMPERS.get(type(obj)) or _document_dumper(type(obj))
    data = dump(obj)
    try:
        raw = _json.write(data, _fast.encode_default)
    except (TypeError, ValueError):
        problems = [
            Problem(
                "$",
                ProblemCode.INVALID_VALUE,
                "a value JSON cannot hold: a text that is not valid Unicode, a number out of range, "
                "or an object that is not part of a case, protocol or group document (such as a score "
                "or a report)",
            )
        ]
    else:
        if len(raw) <= (limits or DEFAULT_LIMITS).max_bytes:
            return raw
        problems = [Problem("$", ProblemCode.TOO_LARGE, "the document would exceed the size limit")]
        del raw
    del obj, data  # the error's traceback keeps this frame: no content among its locals
    raise ValidationError(problems)


_DOCUMENT_DUMPERS: Final[dict[type[Any], _fast.Dumper]] = {}


def _document_dumper(cls: type[Any]) -> _fast.Dumper:
    """The dumper of ``cls``; for a root document, it writes the kind and schema version first."""
    if not attrs.has(cls):
        raise TypeError("dumps takes an ipt_core domain object")
    kind = ROOT_KINDS.get(cls)
    found = _fast.dumper(cls) if kind is None else _fast.document_dumper(cls, kind, SCHEMA_VERSION)
    _DOCUMENT_DUMPERS[cls] = found
    return found


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
        except UnicodeEncodeError as exc:
            raise _not_unicode(data, exc.start, "text that is not valid Unicode") from None
        if size > limits.max_bytes:
            raise _Bad(ProblemCode.TOO_LARGE, "the document exceeds the size limit")
        text = data
    elif isinstance(data, bytes | bytearray | memoryview):
        if isinstance(data, memoryview) and _released(data):
            raise _Bad(ProblemCode.WRONG_TYPE, "a released memoryview")
        size = data.nbytes if isinstance(data, memoryview) else len(data)  # bytes, whatever the format
        if size > limits.max_bytes:
            raise _Bad(ProblemCode.TOO_LARGE, "the document exceeds the size limit")
        raw = data if type(data) is bytes else bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start].decode("utf-8")  # (valid up to where decoding stopped)
            raise _not_unicode(before, len(before), "not UTF-8") from None
    else:
        raise _Bad(ProblemCode.WRONG_TYPE, "loads takes bytes or str")
    if text.startswith("\ufeff"):
        raise _Bad(ProblemCode.INVALID_JSON, "a byte-order mark is not allowed")
    return text


def _not_unicode(text: str, offset: int, what: str) -> _Bad:
    """The error for a document that is not Unicode from ``offset`` on (``text`` holds at least
    what comes before it): the line and column where it stops being so."""
    from ipt_core.boundary import _where  # noqa: PLC0415 - only a refused document needs it

    line, column = _where.line_and_column(text, offset)
    return _Bad(ProblemCode.INVALID_JSON, f"{what} at line {line}, column {column}", line=line, column=column)


def _released(view: memoryview) -> bool:
    try:
        view.nbytes  # noqa: B018 - raises ValueError once the view is released
    except ValueError:
        return True
    return False


def _parse(text: str, limits: Limits) -> Any:
    """The parsed document, refusing NaN, Infinity, duplicate keys, unpaired surrogates and depth.

    Past the parser, every check is made on the text with whole-string operations (no step per
    value), so a document of millions of tiny values costs little more than its parse.
    """
    quick = _parse_quick(text, limits)
    if quick is not _UNPARSED:
        return quick
    if _json.nests_deeper(text):  # before the parser recurses past what the interpreter survives
        raise _Bad(ProblemCode.TOO_DEEP, "the document nests too deeply")
    try:
        parsed = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except _Bad:
        _refused_at(text)
        raise
    except RecursionError:
        raise _Bad(ProblemCode.TOO_DEEP, "the document nests too deeply") from None
    except json.JSONDecodeError as exc:
        message, line, column = _hints.json_syntax(exc, text)
        raise _Bad(ProblemCode.INVALID_JSON, message, line=line, column=column) from None
    except (ValueError, TypeError):
        _refused_at(text, long_numbers=True)
        raise _Bad(ProblemCode.INVALID_JSON, "not valid JSON") from None
    _check_text_depth(_skeleton(text), limits.max_depth)
    if "\\u" in text and not _encodable(parsed):
        _refused_at(text)
        raise _Bad(ProblemCode.INVALID_JSON, "an escaped surrogate that is not part of a pair")
    return parsed


def _refused_at(text: str, *, long_numbers: bool = False) -> None:
    """Raise the error saying where what the strict parse refused in ``text`` is, where it can be
    found (a repeated key, NaN, a number too long, a lone surrogate); else return. Invalid JSON is
    a problem of the whole document (its path is ``$``, as the conformance suite has it): the JSON
    path of the place is in the message."""
    from ipt_core.boundary import _where  # noqa: PLC0415 - only a refused document needs it

    found = _where.first_refused(text, long_numbers=long_numbers)
    if found is not None:
        path, why = found
        raise _Bad(ProblemCode.INVALID_JSON, f"{why}, at {path}")


_UNPARSED: Final = object()
_LONG_NUMBER: Final = re.compile(r"[0-9]{19}")
_STRING: Final = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
"""A JSON string. Used only on text a parser has accepted, where every string is closed, so each
is matched once, left to right: linear."""
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]+")
_BRACES_AS_BRACKETS: Final = str.maketrans("{}", "[]")


def _skeleton(text: str) -> str:
    """The text of a parsed document without its strings: structure, numbers and literals."""
    return _STRING.sub("", text) if '"' in text else text


def _check_text_depth(skeleton: str, max_depth: int) -> None:
    """Refuse a document nesting deeper than ``max_depth``, from its :func:`_skeleton`.

    Each pass removes the innermost (empty) objects and lists: a replacement does not look again
    at what it made, so a pass removes one level exactly, and a document of depth ``d`` is gone
    after ``d`` passes.
    """
    brackets = _NOT_BRACKET.sub("", skeleton).translate(_BRACES_AS_BRACKETS)
    for _ in range(max_depth):
        if not brackets:
            return
        brackets = brackets.replace("[]", "")
    if brackets:
        raise _Bad(ProblemCode.TOO_DEEP, "the document nests too deeply")


def _parse_quick(text: str, limits: Limits) -> Any:
    """The document as the JSON back end reads it, when that is plainly the strict parse, else
    ``_UNPARSED``.

    The back end (``_json``) refuses NaN, Infinity and unpaired surrogates itself. A repeated key is
    found by counting colons outside strings: one per key in the text, against one per key in a
    writing of what the back end read (which kept one of each repeated key). Anything in doubt goes
    to the strict parser, which names the problem.
    """
    if _LONG_NUMBER.search(text):
        return _UNPARSED  # orjson reads an integer past 64 bits as a float; the strict parser does not
    try:
        parsed = _json.read(text)
    except ValueError:
        return _UNPARSED
    skeleton = _skeleton(text)
    _check_text_depth(skeleton, min(limits.max_depth, _json.PARSER_DEPTH))  # as the strict parse
    keys = skeleton.count(":")
    if keys:
        try:  # (orjson's writer reserves memory by the hundred megabytes for a long list)
            written = json.dumps(parsed, separators=(",", ":"), check_circular=False)
        except RecursionError:  # nesting past the interpreter's limit: let the strict parser say
            return _UNPARSED
        if _skeleton(written).count(":") != keys:
            return _UNPARSED
    return parsed


def _encodable(parsed: Any) -> bool:
    """Whether every text in the parsed document is valid Unicode (a lone surrogate is not)."""
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_depth(root: Any, max_depth: int) -> None:
    """Refuse a tree deeper than ``max_depth``, walking it level by level (each node once)."""
    level: list[Any] = [root] if type(root) in _NESTED else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            raise _Bad(ProblemCode.TOO_DEEP, "the document nests too deeply")
        below: list[Any] = []
        for node in level:
            if node:  # an empty object or list holds nothing to walk
                below += [v for v in (node.values() if type(node) is dict else node) if type(v) in _NESTED]
        level = below


_NESTED: Final = (dict, list)


def _envelope(parsed: Any, kind: str) -> dict[str, Any]:
    if type(parsed) is not dict:
        raise _Bad(ProblemCode.WRONG_TYPE, "a document is a JSON object")
    if "kind" not in parsed:
        raise ValidationError.single(
            "$.kind", ProblemCode.MISSING, f'a document names its kind: add "kind": "{kind}"'
        )
    if parsed["kind"] != kind:
        given = parsed["kind"]
        if type(given) is str and given in ROOT_KINDS.values():
            message = f"expected the kind `{kind}`; read it as the kind it names"
        else:
            kinds = ", ".join(sorted(ROOT_KINDS.values()))
            message = f"expected the kind `{kind}` (the kinds of document: {kinds})"
        raise ValidationError([Problem("$.kind", ProblemCode.WRONG_KIND, message, allowed=(kind,))])
    if "schema_version" not in parsed:
        raise ValidationError.single(
            "$.schema_version", ProblemCode.MISSING, f'add "schema_version": {SCHEMA_VERSION}'
        )
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
    if not (isinstance(cls, type) and attrs.has(cls)):  # attrs.has answers yes for an instance too
        raise TypeError("loads builds ipt_core domain objects: pass the class (ipt_core.Case, say)")
    if limits is not None and not isinstance(limits, Limits):
        raise TypeError(_NOT_LIMITS)
    collecting = gc.isenabled()
    if collecting:  # a parsed document holds no cycles: collecting while it is built is wasted work
        gc.disable()
    try:
        found = _load(data, cls, limits or DEFAULT_LIMITS)
    finally:
        if collecting:
            gc.enable()
    # The error's traceback keeps this frame, whose locals anything may print (error trackers,
    # ``capture_locals``): the document must not be among them when the error is raised.
    del data
    if isinstance(found, list):
        raise ValidationError(found)
    return found


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
        return [exc.problem("$")]
    fast = None if raw else _load_fast(text, cls, limits)
    if fast is not None:
        return fast
    from ipt_core.boundary import _detailed  # noqa: PLC0415 - cattrs is imported on first need

    with _detailed.budget(limits.max_problems) as spent:
        found = _load_detailed(text, cls, limits)
    if isinstance(found, list):
        return capped(found, limits.max_problems, stopped=spent[0] >= spent[1])
    return found


def _load_detailed(text: str, cls: type[T], limits: Limits) -> T | list[Problem]:
    from ipt_core.boundary import _detailed, _repair  # noqa: PLC0415 - cattrs is imported on first need

    body: Any = None
    try:
        parsed = _parse(text, limits)
        kind = ROOT_KINDS.get(cls)
        body = _envelope(parsed, kind) if kind is not None else parsed
        return _detailed.CONVERTER.structure(body, cls)
    except ValidationError as exc:
        return list(exc.problems)
    except _detailed.STRUCTURE_ERRORS as exc:
        found = _detailed.problems(exc, "$")
        return found + _repair.further_problems(body, cls, found, most=limits.max_problems)
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
        if cls is Case:  # compiled where the package was built with a C compiler
            build = _native.case_builder(build) or build
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
        parsed = _json.read(text)
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
        if colons != counter[_fast.KEYS] and not _no_duplicate_keys(text, colons, counter[_fast.KEYS]):
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
    return colons == keys + _string_colons(_json.read(text))


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
    from ipt_core.boundary import _detailed  # noqa: PLC0415 - cattrs is imported on first need

    most = DEFAULT_LIMITS.max_problems
    with _detailed.budget(most) as spent:
        try:
            return _detailed.CONVERTER.structure(data, cls)
        except _detailed.STRUCTURE_ERRORS as exc:
            problems = capped(_detailed.problems(exc, "$"), most, stopped=spent[0] >= spent[1])
    del data  # the error's traceback keeps this frame: no input among its locals
    raise ValidationError(problems)
