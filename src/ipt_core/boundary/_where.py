"""Where in a document the strict parse refused it, for the error: a JSON path or a line and column.

Called only once a document has been refused, so its cost is never paid by a valid one. Nothing it
returns holds a value from the input: a path names only the fields of the model (a key the model
does not define stops the path at the object holding it, as an unknown key is reported there).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Final

import attrs

__all__ = ["INT_DIGITS", "first_refused", "line_and_column"]

INT_DIGITS: Final = 4300
"""The most digits of an integer Python reads from text (``sys.get_int_max_str_digits``)."""


class _Mark:
    """A value the strict parse refuses, and why (the mark of a marking parse, which a writer of
    JSON refuses too, so a whole subtree can be searched for one at once)."""

    def __init__(self, why: str) -> None:
        self.why = why


_NOT_A_NUMBER: Final = _Mark("NaN and Infinity are not JSON")
_HUGE: Final = _Mark(f"a number of more than {INT_DIGITS} digits")
_SURROGATE: Final = "an escaped surrogate that is not part of a pair"


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Mark:
    result = dict(pairs)
    return _Mark("a key appears twice in this object") if len(result) != len(pairs) else result


def _integer(text: str) -> int | _Mark:
    return _HUGE if len(text) - text.startswith("-") > INT_DIGITS else int(text)


def first_refused(text: str, *, long_numbers: bool = False) -> tuple[str, str] | None:
    """The path of the first thing the strict parse refuses in ``text`` (a repeated key, NaN or
    Infinity, an integer too long to read, a lone surrogate) and why; ``None`` if none is found.

    ``long_numbers``: look for integers too long to read too (reading each integer costs a call).
    ``text`` must already be known not to nest past what a parser survives. The search goes down
    one branch: at each level, the first child whose subtree holds a mark, found by halving the
    children and writing each half (at the writer's speed). What it writes in all is bounded by a
    few times the text: past that (a mark deep in a large subtree), it gives up with ``None``.
    """
    try:
        node: Any = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=lambda _: _NOT_A_NUMBER,
            parse_int=_integer if long_numbers else None,
        )
    except (ValueError, RecursionError):
        return None
    clean = _Writer(budget=_BUDGET * len(text))
    known = _known_keys()
    path = "$"
    named = True  # the path names each step (until a key the model does not define)
    while True:  # each step goes to the first child that may hold a mark; a leaf shows if one did
        if type(node) is _Mark:
            return path, node.why
        if type(node) is str:
            return (path, _SURROGATE) if not _encodable(node) else None
        if type(node) is dict:
            keys = list(node)
            if not all(map(_encodable, keys)):
                return path, _SURROGATE  # in a key (never named)
            at = _first_unclean(list(node.values()), clean)
            if at is None:
                return None
            key = keys[at]
            named = named and key in known
            path, node = (f"{path}.{key}" if named else path), node[key]
        elif type(node) is list:
            at = _first_unclean(node, clean)
            if at is None:
                return None
            path, node = (f"{path}[{at}]" if named else path), node[at]
        else:
            return None


_BUDGET: Final = 8
"""The most the search writes, as a multiple of the text's length."""


class _Spent(Exception):
    """The search has written all it may."""


class _Writer:
    """Tells whether a subtree holds no mark and no lone surrogate, by writing it whole (a mark is
    written as a lone surrogate), within a budget of characters written."""

    def __init__(self, budget: int) -> None:
        self.left = budget

    def __call__(self, node: object) -> bool:
        if self.left <= 0:
            raise _Spent
        written = json.dumps(node, ensure_ascii=False, check_circular=False, default=_as_surrogate)
        self.left -= len(written)
        return _encodable(written)


def _first_unclean(items: list[Any], clean: _Writer) -> int | None:
    """The index of the first item holding a mark or a lone surrogate, by halving the list (the
    first half written each time: about the list's length written in all): the last item if none
    does (what the caller finds there tells), ``None`` for no items or once the budget is spent."""
    if not items:
        return None
    low, high = 0, len(items)
    try:
        while high - low > 1:
            middle = (low + high) // 2
            if clean(items[low:middle]):
                low = middle
            else:
                high = middle
    except _Spent:
        return None
    return low


def _as_surrogate(_mark: object) -> str:
    return "\ud800"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _known_keys() -> frozenset[str]:
    """Every key the documents' model defines (the fields of every record, the envelope's keys)."""
    from ipt_core.boundary.documents import ROOT_KINDS  # noqa: PLC0415 - imported on first error
    from ipt_core.domain._fields import _record_types  # noqa: PLC0415

    names = {"kind", "schema_version", "area"}
    seen: set[type[Any]] = set()
    todo = list(ROOT_KINDS)
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        attrs.resolve_types(cls)
        for field in attrs.fields(cls):
            names.add(field.name)
            todo.extend(_record_types(field.type))
    return frozenset(names)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both 1-based, the column in characters) of ``text[offset]``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)
