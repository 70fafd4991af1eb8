"""The cost of one edit of a case (``with_session`` and the other ``with_*`` methods) by its size.

Each edit is timed on cases of 2, 25, 50 and 100 sessions (the sample case, cut to that many
sessions), the sizes in alternation, round after round, so that drift of a shared machine hits
them alike. Printed: the best time per edit at each size and the ratio of the 100-session time to
the 2-session time (1.0 when an edit costs the same whatever the case's length). Last, a course
recorded session by session from none: the mean cost per append over the whole course, and the
ratio of a 100-session course's mean to a 2-session course's. Then the same for a group
(``Group.with_session``: a group of 10 members, one session appended at each size, and a group
recorded session by session).

Run: ``python benchmarks/appends.py`` (``--quick`` for a short run). No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import functools
import platform
import sys
import timeit
from collections.abc import Callable
from datetime import timedelta

import attrs

from ipt_core import (
    Case,
    EventKind,
    FuzzyDate,
    Group,
    LifeEvent,
    Person,
    Phase,
    RelationshipCategory,
    TaskRecord,
)
from ipt_core.testing import sample_case, sample_group

SIZES = (2, 25, 50, 100)


def _cases() -> tuple[Case, dict[int, Case]]:
    """The source case (101 sessions) and, for each size, the case cut to that many sessions."""
    source = sample_case(sessions=max(SIZES) + 1)
    return source, {n: attrs.evolve(source, sessions=source.sessions[:n]) for n in SIZES}


def _edits(source: Case) -> dict[str, Callable[[Case], Case]]:
    """Each edit, as a function of the case it is made to."""
    person = Person(id="p-new", category=RelationshipCategory.FRIEND, alias="an old friend")
    event = LifeEvent(id="e-new", kind=EventKind.MOVE, when=FuzzyDate(2025, 3, None))
    formulation = source.formulation
    assert formulation is not None
    reworded = attrs.evolve(formulation, linking_statement="mood fell as the arguments grew")

    def session(case: Case) -> Case:
        return case.with_session(source.sessions[len(case.sessions)])

    def task(case: Case) -> Case:
        last = case.sessions[-1]
        return case.with_task(TaskRecord("interpersonal_inventory", last.date, session=last.number))

    def phase(case: Case) -> Case:
        on = max(case.sessions[-1].date, case.phase_history[-1].on)
        return case.with_phase(Phase.DROPPED_OUT, on=on)  # a step that is always allowed

    def renegotiate(case: Case) -> Case:
        on = case.sessions[-1].date + timedelta(weeks=2)  # after the contract was agreed
        return case.renegotiate(on=on, planned_sessions=len(case.sessions) + 4, reason="more time")

    return {
        "with_session": session,
        "with_person": lambda case: case.with_person(person),
        "with_event": lambda case: case.with_event(event),
        "with_formulation": lambda case: case.with_formulation(reworded),
        "with_task": task,
        "renegotiate": renegotiate,
        "with_phase": phase,
    }


def _course(source: Case, sessions: int) -> Callable[[], Case]:
    """Recording ``sessions`` sessions one at a time, from a case with none."""
    empty = attrs.evolve(source, sessions=(), tasks=(), phase_history=source.phase_history[:1])
    records = source.sessions[:sessions]

    def run() -> Case:
        case = empty
        for record in records:
            case = case.with_session(record)
        return case

    return run


def _groups() -> tuple[Group, dict[int, Group]]:
    """The source group (10 members, 101 sessions) and, for each size, the group cut to that many."""
    source = sample_group(10, sessions=max(SIZES) + 1)
    return source, {n: attrs.evolve(source, sessions=source.sessions[:n]) for n in SIZES}


def _group_course(source: Group, sessions: int) -> Callable[[], Group]:
    """Recording ``sessions`` group sessions one at a time, from a group with none."""
    empty = attrs.evolve(source, sessions=())
    records = source.sessions[:sessions]

    def run() -> Group:
        group = empty
        for record in records:
            group = group.with_session(record)
        return group

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    args = parser.parse_args(argv)
    rounds, number = (5, 200) if args.quick else (15, 1_000)

    source, cases = _cases()
    edits = _edits(source)
    for edit in edits.values():  # each edit is valid at every size
        for case in cases.values():
            edit(case)
    group_source, group_sizes = _groups()

    def group_session(group: Group) -> Group:
        return group.with_session(group_source.sessions[len(group.sessions)])

    edits_of_groups = {"group.with_session": group_session}
    best: dict[tuple[str, int], float] = {}
    for _ in range(rounds):
        for name, group_edit in edits_of_groups.items():
            for n, group in group_sizes.items():
                took = timeit.timeit(functools.partial(group_edit, group), number=number) / number * 1e6
                best[name, n] = min(best.get((name, n), took), took)
        for n in SIZES:
            repeat = max(1, number // n)
            took = timeit.timeit(_group_course(group_source, n), number=repeat) / repeat * 1e6
            best["group course", n] = min(best.get(("group course", n), took / n), took / n)
        for name, edit in edits.items():
            for n, case in cases.items():
                took = timeit.timeit(functools.partial(edit, case), number=number) / number * 1e6
                best[name, n] = min(best.get((name, n), took), took)
        for n in SIZES:
            took = timeit.timeit(_course(source, n), number=max(1, number // n)) / max(1, number // n) * 1e6
            best["course", n] = min(best.get(("course", n), took / n), took / n)

    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"{rounds} rounds of {number} edits per size; best time per edit (us), sizes in sessions")
    print(f"{'':26}" + "".join(f"{n:>9}" for n in SIZES) + f"{'100/2':>9}")
    for name in (*edits, "course", *edits_of_groups, "group course"):
        label = f"{name} (per append)" if name.endswith("course") else name
        row = "".join(f"{best[name, n]:9.1f}" for n in SIZES)
        print(f"{label:26}{row}{best[name, 100] / best[name, 2]:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
