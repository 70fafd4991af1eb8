"""Shared helpers for the boundary tests: sentinel-filled cases and leak checks."""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Iterator
from typing import Any

import attrs

from ipt_core.domain._fields import ALIAS_MAX, spec_of
from ipt_core.errors import ValidationError

SENTINEL = "ZQXSENTINEL"
"""A marker no message of the library could contain by chance."""


def fill_sentinels(obj: Any, counter: Iterator[int] | None = None) -> Any:
    """``obj`` with a unique sentinel in every text and alias field (lists of texts get one each)."""
    counter = counter if counter is not None else itertools.count()
    cls = type(obj)
    if not attrs.has(cls):
        return obj
    changes: dict[str, Any] = {}
    for field in attrs.fields(cls):
        spec = spec_of(field)
        if spec is None:
            continue
        value = getattr(obj, field.name)
        if spec.kind in ("text", "alias"):
            limit = min(spec.max_length or ALIAS_MAX, ALIAS_MAX)
            if isinstance(value, str):
                changes[field.name] = f"{SENTINEL}{next(counter)}x"[:limit]
            elif isinstance(value, tuple):
                changes[field.name] = (*value, f"{SENTINEL}{next(counter)}x")
        elif spec.kind == "items":
            changes[field.name] = tuple(fill_sentinels(item, counter) for item in value)
        elif spec.kind == "value" and value is not None:
            changes[field.name] = fill_sentinels(value, counter)
    return attrs.evolve(obj, **changes)


def library_locals(exc: BaseException) -> list[str]:
    """The locals of every frame of the library in the traceback of ``exc``, as an error tracker
    would record them (``capture_locals``); the test's own frames are the caller's business."""
    found: list[str] = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if "ipt_core" in code.co_filename and "/tests/" not in code.co_filename:
            found.extend(f"{name}={value!r}" for name, value in tb.tb_frame.f_locals.items())
        tb = tb.tb_next
    return found


def all_locals(exc: BaseException) -> str:
    """The traceback of ``exc`` with the locals of every frame, formatted as tools print it."""
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


def exception_texts(exc: BaseException, *, frame_locals: bool = True) -> list[str]:
    """Every text an exception exposes: message, repr, problems, notes, and the same for every
    exception chained to it, plus the formatted traceback and the locals of the library's frames."""
    seen: set[int] = set()
    found: list[str] = ["".join(traceback.format_exception(exc))]
    if frame_locals:
        found.extend(library_locals(exc))
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.extend((str(current), repr(current)))
        found.extend(repr(arg) for arg in current.args)
        found.extend(str(note) for note in getattr(current, "__notes__", []))
        if isinstance(current, ValidationError):
            found.extend(f"{p.path}|{p.code}|{p.message}|{p!r}" for p in current.problems)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for chained in (current.__cause__, current.__context__):
            if chained is not None:
                stack.append(chained)
    return found


def assert_no_leak(exc: BaseException, marker: str = SENTINEL, *, frame_locals: bool = True) -> None:
    """Fail if ``marker`` appears anywhere an exception shows its content.

    ``frame_locals=False`` for a record built in Python: the constructor's frames hold the
    arguments the caller passed (and so does the caller's own frame), so only what the error itself
    shows is checked; the locals guarantee covers reading documents (``loads``, ``dumps``)."""
    for text in exception_texts(exc, frame_locals=frame_locals):
        assert marker not in text, "an input value leaked into an error"


def json_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every ``(path, value)`` in a parsed JSON document, the root first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from json_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from json_paths(value, (*path, index))


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced (``...`` deletes a dict key)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if not rest and value is ...:
            del copy[head]
        else:
            copy[head] = replaced(data[head], rest, value)
        return copy
    items = list(data)
    items[head] = replaced(items[head], rest, value)
    return items


def rich_case() -> Any:
    """A small case that uses every record type of the model (for sentinel and fixture tests)."""
    from datetime import date

    from ipt_core import (
        CommunicationAnalysis,
        DecisionAnalysis,
        DecisionOption,
        Expectation,
        Grief,
        GriefForLostHealthySelf,
        Incident,
        InterpersonalDeficits,
        Person,
        RelationshipCategory,
        RoleInsecurity,
        RolePlay,
        TerminationReview,
        WorkAtHome,
    )
    from ipt_core.testing import sample_case

    base = sample_case(sessions=4, people=3)
    grandparent = Person(
        id="gp",
        alias="Gran",
        category=RelationshipCategory.OTHER_FAMILY,
        deceased=True,
        client_expectations=(Expectation("visits"),),
        notes="died in spring",
    )
    case = base.with_person(grandparent)
    assert case.formulation is not None
    formulation = attrs.evolve(
        case.formulation,
        other_areas=(
            *case.formulation.other_areas,
            Grief(id="g1", deceased="gp", circumstances="illness", relationship_reconstruction=("close",)),
            InterpersonalDeficits(id="d1", past_patterns=("withdraws",), target_relationships=("p2",)),
            RoleInsecurity(id="r1", feared_situations=("meetings",)),
            GriefForLostHealthySelf(id="h1", losses=("energy",)),
        ),
    )
    last = case.sessions[-1]
    session = attrs.evolve(
        last,
        incidents=(
            Incident(
                person="p1",
                summary="row",
                analysis=CommunicationAnalysis(client_said="x", alternatives=("ask",)),
            ),
        ),
        decisions=(
            DecisionAnalysis(
                situation="job",
                options=(DecisionOption("stay", pros=("pay",), cons=("stress",)), DecisionOption("leave")),
                chosen=0,
                outcome="stayed",
            ),
        ),
        role_plays=(RolePlay(person="p1", scenario="talk", outcome="calmer"),),
        work_at_home=(WorkAtHome(task="write it down", done=True),),
        notes="a note",
    )
    case = attrs.evolve(
        case,
        formulation=formulation,
        sessions=(*case.sessions[:-1], session),
        termination=TerminationReview(
            announced_in_session=last.number,
            gains=("more open",),
            attribution="talking",
            warning_signs=("sleep",),
        ),
        notes="case note",
    )
    contract = case.contract.renegotiate(on=date(2025, 2, 10), planned_sessions=18, reason="more time")
    case = attrs.evolve(case, contract=contract)
    return attrs.evolve(case, safety_plan=_safety_plan(date(2025, 2, 3)))


def _safety_plan(on: Any) -> Any:
    """A safety plan with one entry in every step (Stanley & Brown 2012)."""
    from ipt_core import SafetyPlan

    return SafetyPlan(
        reviewed_on=on,
        warning_signs=("cannot sleep",),
        coping_strategies=("a walk",),
        distractions=("the cafe",),
        people_to_ask=("Sam",),
        professionals=("the crisis line",),
        safe_environment=("medicines kept by Sam",),
        reasons_for_living=("my daughter",),
    )
