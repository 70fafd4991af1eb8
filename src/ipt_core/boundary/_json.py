"""The codec's JSON back end: orjson where it is installed, else the standard library's ``json``.

orjson is an accelerator, not a requirement: where it cannot be installed (CPython in WebAssembly,
Pyodide, whose ``sys.platform`` is ``"emscripten"``), the standard library does the same work more
slowly. The codec calls two functions, :func:`read` and :func:`write`, and both back ends give them
one meaning, so every document is written to the same bytes and every input gets the same answer
and the same problems (``tests/test_json_backends.py`` runs one corpus through both):

- ``read(text)``: the parsed value, or ``ValueError`` where orjson refuses: text that is not JSON,
  invalid UTF-8, ``NaN`` and ``Infinity``, an escaped surrogate that is not part of a pair, nesting
  past the parser's depth. (The codec's strict parser, the standard library with every check on,
  names the problem.) The back ends may read a number the codec refuses anyway differently: orjson
  reads an integer past 64 bits as a float, the standard library as an integer.
- ``write(data, default)``: compact UTF-8 JSON bytes (``,`` and ``:`` with no spaces, text as UTF-8
  rather than ``\\u`` escapes), with ``default`` called for values JSON has no type for; dates are
  written ``YYYY-MM-DD`` and enumerations as their values; a number with a fraction as orjson
  spells it, a value that is not a number (NaN, infinity) as ``null``. ``TypeError`` or
  ``ValueError`` where orjson refuses: a text that is not valid Unicode, an integer outside 64
  bits, a map with a key that is not a text (a record's own map). (Nesting is shallow in every
  document the model can hold, well within both writers.)

The back end is chosen once, at import: orjson if it can be imported, unless the environment
variable ``IPT_CORE_JSON`` is ``json`` (to test or measure the standard library back end with
orjson installed). It never changes afterwards.
"""

from __future__ import annotations

import json
import operator
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from itertools import accumulate, repeat
from typing import Any, Final

import attrs

__all__ = ["NAME", "PARSER_DEPTH", "nests_deeper", "read", "write"]

Default = Callable[[Any], Any]

# -- nesting a parser can take ------------------------------------------------------------------

PARSER_DEPTH: Final = 500
"""The deepest nesting the codec lets a recursive JSON parser enter (a valid document nests fewer
than 12 levels). The standard library's parser recurses once per level: under Pyodide a few
thousand levels overflow the WebAssembly stack, which kills the interpreter instead of raising
``RecursionError``, and on CPython 3.11 it raises ``RecursionError`` near 1 000 levels less the
caller's own depth. Below both, the answer to a deep document is the same everywhere."""

_MARKS: Final = bytes.maketrans(b"{}", b"[]")
_NOT_MARKS: Final = bytes(byte for byte in range(256) if byte not in b'[]{}"')
_STEPS: Final = bytes.maketrans(b"[]", b"\x02\x00")


def nests_deeper(text: str | bytes, levels: int = PARSER_DEPTH) -> bool:
    """Whether a parser reading ``text`` might nest deeper than ``levels`` (``False``: it cannot).

    Until a parser meets its first error, every backslash in the text escapes something inside a
    string, so with the escaped backslashes and quotes taken out, the strings lie between one
    ``"`` and the next. Between strings, each ``[`` or ``{`` opens a level and each ``]`` or ``}``
    closes one. Linear in the text, with whole-text operations and one step per few hundred
    brackets; a text with no more than ``levels`` opening brackets is cleared by counting them.
    """
    if isinstance(text, str):
        if text.count("[") + text.count("{") <= levels:
            return False
        data = text.encode("utf-8", "surrogatepass")
    elif text.count(b"[") + text.count(b"{") <= levels:
        return False
    else:
        data = text
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    between = b"".join(data.translate(_MARKS, _NOT_MARKS).split(b'"')[::2])  # brackets only
    return _deeper(between, levels)


def _deeper(brackets: bytes, levels: int) -> bool:
    """Whether a string of ``[`` and ``]``, read left to right, goes deeper than ``levels``.

    It is read in pieces, each counted at once; only a piece whose opening brackets could take it
    past ``levels`` is read bracket by bracket.
    """
    size = max(16, levels // 2)
    depth = 0
    for start in range(0, len(brackets), size):
        piece = brackets[start : start + size]
        opening = piece.count(b"[")
        if depth + opening > levels:
            steps = map(operator.sub, piece.translate(_STEPS), repeat(1))
            if max(accumulate(steps, initial=depth)) > levels:
                return True
        depth += 2 * opening - len(piece)
    return False


# -- the standard library back end --------------------------------------------------------------

_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")
"""An escaped surrogate, perhaps a lone one (or a false alarm after an escaped backslash)."""


def _refuse_constant(_name: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON")


_DECODER: Final = json.JSONDecoder(parse_constant=_refuse_constant)


def _stdlib_read(text: str | bytes) -> Any:
    if nests_deeper(text):
        raise ValueError("the document may nest past the parser's depth")
    if not isinstance(text, str):
        text = text.decode("utf-8")  # invalid UTF-8 raises UnicodeDecodeError, a ValueError
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise ValueError("the document nests past the parser's depth") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        try:  # only escapes can bring a lone surrogate into valid UTF-8 text
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("an escaped surrogate that is not part of a pair") from None
    return value


_STRING: Final = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
_LONG_INTEGER: Final = re.compile(r"-?[0-9]{19,}")
"""Floats are written with at most 17 digits, so a run of 19 or more outside a text is an integer."""
_INT64: Final = range(-(2**63), 2**64)
"""The integers orjson writes: signed and unsigned 64-bit."""
_DIGITS_AS_ZEROS: Final = bytes.maketrans(b"123456789", b"000000000")


def _native(default: Default) -> Default:
    """``default`` behind what orjson writes itself and ``json`` does not (a ``str`` enumeration
    ``json`` writes itself, as its text)."""

    def encode(obj: object) -> Any:
        if isinstance(obj, date):
            return obj.isoformat()
        if isinstance(obj, Enum):
            return obj.value
        found = default(obj)
        keyed = _KEYED.get(type(obj))
        if keyed is None:
            keyed = _KEYED[type(obj)] = _keyed_fields(type(obj))
        if keyed:
            _text_keys(found[name] for name in keyed)
        return found

    return encode


_KEYED: Final[dict[type[Any], tuple[str, ...]]] = {}
"""By record class, the fields whose type is a map with keys that may not be texts (filled on first
use, from the class's field types)."""


def _keyed_fields(cls: type[Any]) -> tuple[str, ...]:
    if not attrs.has(cls):
        return ()
    return tuple(
        field.name
        for field in attrs.fields(cls)
        if isinstance(field.type, str) and _MAP_TYPE.match(field.type) and not _TEXT_KEYED.match(field.type)
    )


_MAP_TYPE: Final = re.compile(r"(?:dict|Mapping|MappingProxyType)\[")
_TEXT_KEYED: Final = re.compile(r"(?:dict|Mapping|MappingProxyType)\[str,")


def _text_keys(maps: Iterable[Any]) -> None:
    """``TypeError`` where one of ``maps`` has a key that is not a text: orjson refuses one, where
    ``json`` writes a number key as a text."""
    for value in maps:
        if type(value) is dict:
            for key in value:
                if type(key) is not str:
                    raise TypeError("a map with a key that is not a text")


_ORJSON_NUMBER: Final = re.compile(
    r'"(?:[^"\\]|\\.)*+"|(-?)([0-9])(?:\.([0-9]+))?e-0?([0-9]+)|-?Infinity|NaN'
)
"""A text (kept as it is), or a number the standard library spells otherwise than orjson: an
exponent below -4 (``1e-05``), or a value that is not a number (``NaN``, ``Infinity``)."""


def _as_orjson(found: re.Match[str]) -> str:
    """orjson's spelling of a number :data:`_ORJSON_NUMBER` found: ``null`` for a value that is not
    a number; exponent -5 written out (``0.00001``); below it, an exponent without padding (``1e-6``)."""
    token = found[0]
    if token[0] == '"':
        return token
    if found[2] is None:
        return "null"
    sign, first, rest, exponent = found[1], found[2], found[3] or "", int(found[4])
    if exponent == 5:
        return f"{sign}0.0000{first}{rest}"
    return f"{sign}{first}{'.' + rest if rest else ''}e-{exponent}"


_WRITER: Final[dict[str, Any]] = {
    "ensure_ascii": False,
    "separators": (",", ":"),
    "check_circular": False,
    "allow_nan": False,
}
_SMALL_EXPONENT: Final = re.compile(rb"e-0[5-9](?<=[0-9]e-0[5-9])")
"""A number the standard library writes with a padded exponent below -4 (a look for ``e-0`` first,
which is quick, then for the digit before it)."""


def _stdlib_write(data: Any, default: Default) -> bytes:
    encode = _native(default)
    if type(data) is dict:  # the root record, written by the codec before any call of ``default``
        _text_keys(data.values())
    respell = False
    try:
        try:
            text = json.dumps(data, default=encode, **_WRITER)
        except ValueError:  # NaN or an infinity (never in a document): orjson writes null
            text = json.dumps(data, default=encode, **{**_WRITER, "allow_nan": True})
            respell = True
    except RecursionError:  # orjson refuses past 254 levels (a valid document has fewer than 12)
        raise ValueError("the data nests too deeply") from None
    written = text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    if b"0" * 19 in written.translate(_DIGITS_AS_ZEROS):  # (a quick look for 19 digits in a row)
        for number in _LONG_INTEGER.findall(_STRING.sub("", text)):
            if int(number) not in _INT64:
                raise TypeError("an integer outside 64 bits")
    if respell or _SMALL_EXPONENT.search(written):  # (a document has no fractions)
        written = _ORJSON_NUMBER.sub(_as_orjson, text).encode("utf-8")
    return written


# -- the choice ---------------------------------------------------------------------------------


def _choose() -> tuple[str, Callable[[str | bytes], Any], Callable[[Any, Default], bytes]]:
    wanted = os.environ.get("IPT_CORE_JSON", "")
    if wanted not in ("", "orjson", "json"):
        raise ImportError("IPT_CORE_JSON is orjson or json (or unset: orjson where it is installed)")
    if wanted != "json":
        try:
            import orjson  # noqa: PLC0415 - optional: absent under Pyodide
        except ImportError:
            if wanted == "orjson":
                raise
        else:
            return "orjson", orjson.loads, orjson.dumps  # called as dumps(data, default)
    return "json", _stdlib_read, _stdlib_write


_CHOSEN: Final = _choose()
NAME: Final = _CHOSEN[0]
"""The back end in use: ``"orjson"`` or ``"json"``."""
read: Final = _CHOSEN[1]
write: Final = _CHOSEN[2]
