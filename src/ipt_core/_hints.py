"""How a problem says what to fix, in words built from the schema or the parser, never the input.

Every function here takes what the library knows (the keys a record defines, an enum's members, an
instrument's items, the known ids, the parser's position) and returns text and structured details
for a :class:`~ipt_core.errors.Problem`. An input value may be read to choose among the allowed
ones (the nearest key to a typo), but only the allowed one is ever named.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any, Final

import attrs

__all__ = [
    "answers_expected",
    "closed_set",
    "json_syntax",
    "known_ids",
    "listed",
    "nearest",
    "unknown_id",
    "unknown_keys",
]

_LIST_MAX: Final = 24
SUGGEST_FROM: Final = 20
"""Unknown keys of one object looked at for a suggestion: each look costs a fuzzy match against
every allowed key, so a document of a hundred thousand near-miss keys must not look at them all."""
"""Allowed values named in a message at most (the structured ``allowed`` field holds them all)."""


def listed(values: Sequence[str]) -> str:
    """``a, b, c`` (with ``and N more`` past :data:`_LIST_MAX`)."""
    shown = ", ".join(values[:_LIST_MAX])
    if len(values) > _LIST_MAX:
        shown += f", and {len(values) - _LIST_MAX} more"
    return shown


def nearest(given: object, allowed: Iterable[str]) -> str | None:
    """The allowed value closest to ``given`` (case aside), if one is close; only it is returned."""
    if type(given) is not str or not given or len(given) > 200:
        return None
    by_folded = {value.casefold(): value for value in allowed}
    folded = given.casefold()
    if folded in by_folded:
        return by_folded[folded]
    squashed = {k.replace("_", "").replace("-", ""): v for k, v in by_folded.items()}
    key = folded.replace("_", "").replace("-", "").replace(" ", "")
    if key in squashed:
        return squashed[key]
    import difflib  # noqa: PLC0415 - only a refused value needs it; importing it costs start-up

    found = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.75)
    return by_folded[found[0]] if found else None


def _did_you_mean(suggestion: str | None) -> str:
    return f"; did you mean `{suggestion}`?" if suggestion else ""


def closed_set(what: str, allowed: Sequence[str], given: object = None) -> str:
    """``one of the X values: a, b, c; did you mean `b`?`` (the suggestion only when one is close)."""
    return f"one of the {what} values: {listed(allowed)}{_did_you_mean(nearest(given, allowed))}"


def enum_values(enum: type[Enum]) -> tuple[str, ...]:
    """The wire values of an enum's members, in their declared order."""
    return tuple(str(member.value) for member in enum)


def record_keys(cls: type[Any]) -> tuple[str, ...]:
    """The keys a record of ``cls`` defines on the wire (its fields, and ``area`` for a problem area)."""
    keys = tuple(field.name for field in attrs.fields(cls))
    kind = getattr(cls, "KIND", None)
    return ("area", *keys) if isinstance(kind, Enum) else keys


def unknown_keys(cls: type[Any], extra: Iterable[object]) -> tuple[str, tuple[str, ...]]:
    """The message for keys ``cls`` does not define, and the keys it allows.

    The unknown keys themselves are input: they pick the suggestions but are never named.
    """
    allowed = record_keys(cls)
    looked_at = heapq.nsmallest(SUGGEST_FROM, (key for key in extra if type(key) is str))
    suggestions = sorted({s for key in looked_at if (s := nearest(key, allowed)) is not None})
    message = f"a key this object does not define; the keys allowed here: {listed(allowed)}"
    if len(suggestions) == 1:
        message += _did_you_mean(suggestions[0])
    elif suggestions:
        message += "; did you mean " + " or ".join(f"`{s}`" for s in suggestions) + "?"
    return message, allowed


_JSON_HINTS: Final = {
    "Expecting value": "a value is missing here (a trailing comma, or the document ends early?)",
    "Expecting property name enclosed in double quotes": (
        "a key in double quotes is expected here (a trailing comma before `}`?)"
    ),
    # (a trailing comma, however the parser words it: see _trailing_comma)
    "Trailing comma before `}`": "a trailing comma before `}`",
    "Trailing comma before `]`": "a trailing comma before `]`",
    "Expecting ',' delimiter": "a `,` or a closing bracket is missing here",
    "Expecting ':' delimiter": "a `:` is missing after a key here",
    "Extra data": "the document goes on after its end (two documents, or an extra bracket?)",
    "Unterminated string starting at": 'a text starts here and is never closed with `"`',
    "Invalid control character at": "a raw line break or control character inside a text; escape it",
    "Invalid \\escape": "an unknown backslash escape inside a text",
    "Invalid \\uXXXX escape": "a `\\u` escape needs four hexadecimal digits",
}


def json_syntax(exc: json.JSONDecodeError, text: str) -> tuple[str, int | None, int | None]:
    """What is wrong with the JSON and where: ``(message, line, column)``.

    The parser's own message is mapped to one of ours (it is a fixed phrase of the parser); the
    position comes from the parser too. Nothing of the text is repeated.
    """
    if not text.strip():
        return "the document is empty: a JSON object is expected", None, None
    exc = _trailing_comma(exc, text)
    hint = _JSON_HINTS.get(exc.msg, "not valid JSON here")
    return f"not valid JSON at line {exc.lineno}, column {exc.colno}: {hint}", exc.lineno, exc.colno


_JSON_SPACE: Final = re.compile(r"[ \t\n\r]*")
_BEFORE_CLOSING: Final = {  # the parser's message at a closing bracket after a comma: which bracket
    "Expecting property name enclosed in double quotes": "}",  # Python 3.11 and 3.12
    "Expecting value": "]",
    "Illegal trailing comma before end of object": "}",  # Python 3.13 on, at the comma
    "Illegal trailing comma before end of array": "]",
}


def _trailing_comma(exc: json.JSONDecodeError, text: str) -> json.JSONDecodeError:
    """``exc``, or the same error for a trailing comma whatever the Python version.

    Python 3.13 reports a trailing comma at the comma ("Illegal trailing comma before end of
    object"); 3.11 and 3.12 at the closing bracket after it ("Expecting property name ...",
    "Expecting value"). Either way it is placed at the closing bracket, as 3.11 places it, and
    named a trailing comma, so an error has the same line, column and words on every version.
    """
    closing = _BEFORE_CLOSING.get(exc.msg)
    if closing is None:
        return exc
    pos = exc.pos
    if exc.msg.startswith("Illegal"):  # at the comma: move on to the bracket
        spaces = _JSON_SPACE.match(text, pos + 1)
        pos = spaces.end() if spaces else pos + 1
    if text[pos : pos + 1] != closing or not text[:pos].rstrip(" \t\n\r").endswith(","):
        return exc
    return json.JSONDecodeError(f"Trailing comma before `{closing}`", text, pos)


def known_ids(known: Sequence[str], given: object = None) -> str:
    """``the known ids: a, b; did you mean `a`?`` (the suggestion only when one is close)."""
    return f"the known ids: {listed(known)}{_did_you_mean(nearest(given, known))}"


def unknown_id(what: str, known: Sequence[str], given: object = None) -> str:
    """``no X with this id; the known ids: a, b; did you mean `a`?``"""
    return f"no {what} with this id; {known_ids(known, given)}"


def answers_expected(name: str, minimum: int, maximum: int, ranges: Sequence[tuple[int, int]]) -> str:
    """What an instrument expects of a list of answers: ``7 answers, each 0-3``."""
    count = f"{minimum}" if minimum == maximum else f"{minimum} to {maximum}"
    noun = "answer" if maximum == 1 else "answers"
    distinct = sorted(set(ranges))
    if len(distinct) == 1:
        low, high = distinct[0]
        each = f"each {low}-{high}"
    else:
        each = "item by item: " + ", ".join(f"{low}-{high}" for low, high in ranges)
    return f"{name} expects {count} {noun}, {each} (or null, or a missing reason)"


FIXES: Final = {
    "invalid_json": "Fix the syntax at the line and column given (a trailing comma, a missing bracket or "
    "quote); save the file as UTF-8 without a byte-order mark; use null, not NaN.",
    "too_large": "Split the document, or raise `Limits.max_bytes` if the size is expected.",
    "too_many_problems": "Fix the problems listed first and load the document again; the rest are "
    "reported then (`Limits.max_problems` sets how many are listed at once).",
    "too_deep": "Nest less; a valid document nests fewer than 12 levels (`Limits.max_depth`).",
    "wrong_kind": "Read the document with the class its `kind` names, or fix `kind`.",
    "unsupported_version": "Upgrade ipt_core, or set `schema_version` to a version it knows.",
    "missing": "Add the field; the message and the reference name what it holds.",
    "unknown_key": "Remove the key or correct its spelling: the message lists the keys allowed and "
    "the one a typo most likely meant.",
    "wrong_type": 'Give a value of the JSON type the message names (`true`, not `"yes"`; `3`, not `"3"`).',
    "invalid_value": "Give a value the field accepts (a date that exists, a known protocol id).",
    "not_allowed": "Use one of the values the message lists (`allowed` holds them all).",
    "out_of_range": "Give a number within the range the message names.",
    "too_short": "Add items or characters up to the minimum the message names (for answers: the "
    "instrument's count).",
    "too_long": "Shorten the text or the list to the maximum the message names.",
    "pattern": "Write the value in the form named: ids use letters, digits, `_`, `.`, `-` (up to 64); "
    "dates are `YYYY-MM-DD`.",
    "duplicate_id": "Give each record in this list its own id.",
    "dangling_reference": "Refer to an id that exists in the case, or add the person, event or area "
    "it names.",
    "order": "Number sessions in increasing order and keep dates from going backwards.",
    "inconsistent": "Make the fields agree, as the message says (e.g. mark the person as deceased "
    "for a grief focus).",
    "not_allowed_by_protocol": "Choose what the case's protocol allows, or a protocol that allows it.",
}
"""For each problem code, what to do about it (shown in the model reference)."""
