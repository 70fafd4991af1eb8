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


def first_refused(text: str) -> tuple[str, str] | None:
    """The path of the first thing the strict parse refuses in ``text`` (a repeated key, NaN or
    Infinity, an integer too long to read, a lone surrogate) and why; ``None`` if none is found.

    ``text`` must already be known not to nest past what a parser survives. The search goes down
    one branch only: at each level, the first child whose subtree holds a mark (found by writing
    it, at the writer's speed); so the cost is a parse and a few writings of the document.
    """
    try:
        node: Any = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=lambda _: _NOT_A_NUMBER, parse_int=_integer
        )
    except (ValueError, RecursionError):
        return None
    known = _known_keys()
    path = "$"
    while True:
        if type(node) is _Mark:
            return path, node.why
        if type(node) is str:
            return (path, _SURROGATE) if not _clean(node) else None
        if type(node) is dict:
            keys = list(node)
            if not _clean(keys):
                return path, _SURROGATE  # in a key (never named)
            at = _first_unclean(list(node.values()))
            if at is None:
                return None
            key = keys[at]
            path, node = (f"{path}.{key}" if key in known else path), node[key]
        elif type(node) is list:
            at = _first_unclean(node)
            if at is None:
                return None
            path, node = f"{path}[{at}]", node[at]
        else:
            return None


def _first_unclean(items: list[Any]) -> int | None:
    """The index of the first item holding a mark or a lone surrogate, by halving the list (each
    half written at the writer's speed, so about twice the list's length is written in all)."""
    if _clean(items):
        return None
    low, high = 0, len(items)
    while high - low > 1:
        middle = (low + high) // 2
        if _clean(items[low:middle]):
            low = middle
        else:
            high = middle
    return low


_SEARCHED: Final = (dict, list, str, _Mark)


def _refuse(_value: object) -> Any:
    raise TypeError


def _clean(node: object) -> bool:
    """Whether ``node`` holds no mark and no lone surrogate."""
    try:
        json.dumps(node, ensure_ascii=False, check_circular=False, default=_refuse).encode("utf-8")
    except (TypeError, ValueError):  # (UnicodeEncodeError is a ValueError)
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
