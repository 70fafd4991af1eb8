"""The detailed path's second look: the problems a document's first problems hid.

A record's own checks (a case's references, session order, answers that fit their instrument) run
only on a record that could be built, so a document with a wrong type in one place and a dangling
reference in another would report the first alone. Here the refused values are replaced by
stand-ins (unknown keys dropped, a field with a default left to its default, an id given a fresh
one), the document is built again, and what that finds is added, a few rounds at most. A problem at
or below a replaced value is not repeated, and where a stand-in could itself break a rule between
fields (a date, a number, a yes/no, a choice), problems of such rules are left out, so nothing
reported comes from a stand-in.
"""

from __future__ import annotations

import re
import types
from enum import Enum
from typing import Any, Final, Union, get_args, get_origin

import attrs

from ipt_core import _hints
from ipt_core.boundary import _detailed
from ipt_core.domain._fields import spec_of
from ipt_core.domain.problem_areas import AREA_TYPES, AreaKind, ProblemArea
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["further_problems"]

_ROUNDS: Final = 3
"""Rebuilds tried at most, so a broken document costs a bounded number of passes."""
_SEGMENT: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")
_ORDER_KINDS: Final = frozenset({"date", "int", "value", "items"})
"""Stand-ins that could put dates or numbers out of order (an ``order`` problem is then left out)."""
_VALUE_KINDS: Final = frozenset({"date", "int", "bool", "enum", "enum_items", "value", "items", "answers"})
"""Stand-ins that could contradict another field (an ``inconsistent`` problem is then left out)."""


def further_problems(body: Any, cls: type[Any], found: list[Problem], *, most: int) -> list[Problem]:
    """Problems the ``found`` ones hid, found on ``body`` with stand-ins for the refused values.

    ``body`` is changed in place: it is the caller's parsed document, not read again (a copy of a
    large refused document would double the peak memory of refusing it). Once ``most`` problems
    are known, no further look is taken (they would not be shown), so at most ``most`` values are
    replaced in a round, whatever the number of problems.
    """
    if type(body) is not dict or not attrs.has(cls) or len(found) >= most:
        return []
    data = body
    state = _State()
    known = {(p.path, p.code) for p in found}
    replaced: list[str] = []
    added: list[Problem] = []
    pending = list(found)
    for _ in range(_ROUNDS):
        for problem in pending:
            if not _repair(data, cls, problem, state):
                return added
            if problem.code != ProblemCode.UNKNOWN_KEY:  # the record stays; only its extra keys went
                replaced.append(problem.path)
        try:
            _detailed.CONVERTER.structure(data, cls)
        except _detailed.STRUCTURE_ERRORS as exc:
            built = _built(exc)
            fresh = exc.problems if isinstance(exc, ValidationError) else tuple(_detailed.problems(exc, "$"))
        except Exception:
            return added
        else:
            return added
        pending = [p for p in fresh if (p.path, p.code) not in known]
        if not pending:
            break
        known.update((p.path, p.code) for p in pending)
        added.extend(_kept(pending, replaced, state))
        if built or len(pending) >= most or len(found) + len(added) >= most:
            break
    return added


def _built(exc: BaseException) -> bool:
    """Whether every field was read and only the record's own checks failed (so all of them ran)."""
    if isinstance(exc, ValidationError):
        return True
    subs = getattr(exc, "exceptions", ())
    return bool(subs) and all(
        isinstance(sub, ValidationError) and not getattr(sub, "__notes__", None) for sub in subs
    )


def _kept(problems: list[Problem], replaced: list[str], state: _State) -> list[Problem]:
    """The problems that cannot come from a stand-in made so far."""
    skip = set()
    if state.kinds & _ORDER_KINDS:
        skip.add(ProblemCode.ORDER)
    if state.kinds & _VALUE_KINDS:
        skip.add(ProblemCode.INCONSISTENT)
    gone = set(replaced)
    return [p for p in problems if p.code not in skip and not _within(p.path, gone)]


def _within(path: str, gone: set[str]) -> bool:
    """Whether ``path`` or a path above it is in ``gone`` (one look per level of the path)."""
    return path in gone or any(path[: m.start()] in gone for m in _SEGMENT.finditer(path, 1))


@attrs.define
class _State:
    stand_ins: int = 0
    kinds: set[str] = attrs.field(factory=set)
    """The kinds of the fields given a stand-in."""

    def fresh_id(self) -> str:
        self.stand_ins += 1
        return f"zz-stand-in-{self.stand_ins}"


def _repair(data: Any, cls: type[Any], problem: Problem, state: _State) -> bool:
    """Replace the value ``problem`` refused by a stand-in; ``False`` where none can be made."""
    segments = [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(problem.path, 1)]
    node, tp = data, cls
    parent: Any = None
    last: tuple[str | None, str | None] = (None, None)
    field: attrs.Attribute[Any] | None = None
    for name, index in segments:
        parent, last = node, (name, index)
        if name is not None:
            record = _record_class(tp, node)
            if record is None or type(node) is not dict or name not in attrs.fields_dict(record):
                return False
            field = attrs.fields_dict(record)[name]
            tp = _strip_optional(field.type)
            node = node.get(name)
        else:
            position = int(index or 0)
            if type(node) is not list or position >= len(node) or get_origin(tp) is not tuple:
                return False
            tp = get_args(tp)[0]
            node = node[position]
    if problem.code == ProblemCode.UNKNOWN_KEY:
        record = _record_class(tp, node)
        if record is None or type(node) is not dict:
            return False
        allowed = _hints.record_keys(record)
        for looked, key in enumerate([k for k in node if k not in allowed]):
            value = node.pop(key)
            # The key a typo most likely meant, if that one is absent: its content is then read
            # there, so that what it holds is checked too (for the first few unknown keys only).
            meant = _hints.nearest(key, allowed) if looked < _hints.SUGGEST_FROM else None
            if meant is not None and meant not in node:
                node[meant] = value
        return True
    if field is None or parent is None:
        return False
    return _stand_in(parent, last, field, state)


def _stand_in(
    parent: Any, at: tuple[str | None, str | None], field: attrs.Attribute[Any], state: _State
) -> bool:
    spec = spec_of(field)
    if spec is None:
        return False
    name, index = at
    state.kinds.add(spec.kind)
    if name is not None:
        if field.default is not attrs.NOTHING:
            parent.pop(name, None)
            return True
        value = _scalar(spec.kind, spec, state)
        if value is None and spec.kind == "enum":
            enum = _strip_optional(field.type)
            value = next(iter(enum)).value if isinstance(enum, type) and issubclass(enum, Enum) else None
        if value is None:
            return False
        parent[name] = value
        return True
    # an item of a list of scalars
    position = int(index or 0)
    if spec.kind == "enum_items":
        del parent[position]
        return True
    value = _scalar(spec.kind, spec, state)
    if value is None:
        return False
    parent[position] = value
    return True


def _scalar(kind: str, spec: Any, state: _State) -> Any:
    if kind in ("id", "ref"):
        return state.fresh_id()
    if kind in ("text", "alias"):
        return "x" * max(1, spec.min_length or 0)
    if kind == "int":
        return spec.ge if spec.ge is not None else (spec.le if spec.le is not None else 0)
    if kind == "bool":
        return False
    if kind == "date":
        return "2000-01-01"
    return None


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        rest = tuple(a for a in get_args(tp) if a is not type(None))
        if len(rest) == 1:
            return rest[0]
    return tp


def _record_class(tp: Any, node: Any) -> type[Any] | None:
    """The attrs class a JSON object at a place of type ``tp`` is read as (a problem area by its tag)."""
    if tp == ProblemArea:
        tag = node.get("area") if type(node) is dict else None
        if type(tag) is not str or tag not in AreaKind._value2member_map_:
            return None
        return AREA_TYPES[AreaKind(tag)]
    if isinstance(tp, type) and attrs.has(tp):
        attrs.resolve_types(tp)
        return tp
    return None
