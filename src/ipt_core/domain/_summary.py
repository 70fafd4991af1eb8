"""Short and readable forms of a case: a one-line ``repr`` and a multi-line summary.

Neither holds a field marked sensitive (no alias, no clinical text, no date), so both may be shown
in a log or a debugger without exposing the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipt_core.errors import ValidationError

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = ["case_repr", "case_summary"]


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _words(value: str) -> str:
    return value.replace("_", " ")


def case_repr(case: Case) -> str:
    """``Case(id='c1', protocol='standard', phase='middle', people=3, events=2, areas=2, sessions=8)``."""
    return (
        f"Case(id={case.id!r}, protocol={case.protocol_id!r}, phase={case.phase.value!r}, "
        f"people={len(case.inventory.people)}, events={len(case.timeline.events)}, "
        f"areas={len(case.areas())}, sessions={len(case.sessions)})"
    )


def case_summary(case: Case) -> str:
    """The case in a few lines of words: contract, people, focus, sessions, latest scores, course."""
    contract = case.contract
    minutes = "" if contract.session_minutes is None else f", {contract.session_minutes} minutes each"
    agreed = "agreed" if contract.agreed else "not yet agreed"
    lines = [
        f"Case {case.id}: protocol {case.protocol_id}, phase {_words(case.phase.value)}",
        f"  contract: {_count(contract.current_sessions, 'session')}, "
        f"{_words(contract.current_frequency.value)}{minutes}; {agreed}",
        _people_line(case),
        f"  timeline: {_count(len(case.timeline.events), 'event')}",
        _formulation_line(case),
        _sessions_line(case),
    ]
    scores = _scores_line(case)
    if scores:
        lines.append(scores)
    phases = [_words(change.phase.value) for change in case.phase_history]
    lines.append(f"  phases: {', '.join(phases) if phases else 'none recorded (initial)'}")
    lines.append(f"  tasks done: {len(case.tasks)}")
    ending = "reviewed" if case.termination is not None else "not yet reviewed"
    outcome = "not recorded" if case.outcome is None else _words(case.outcome.value)
    lines.append(f"  ending: {ending}; outcome {outcome}")
    return "\n".join(lines)


def _people_line(case: Case) -> str:
    inventory = case.inventory
    details = [
        f"{len(inventory.supporters())} supportive",
        f"{len(inventory.confidants())} confidant{'s' if len(inventory.confidants()) != 1 else ''}",
        f"{len(inventory.in_conflict())} in conflict",
    ]
    return f"  inventory: {_count(len(inventory.people), 'person', 'people')} ({', '.join(details)})"


def _formulation_line(case: Case) -> str:
    formulation = case.formulation
    if formulation is None:
        return "  formulation: none yet"
    focus = ", ".join(f"{_words(a.KIND.value)} ({a.id})" for a in formulation.focus) or "none chosen"
    others = ", ".join(f"{_words(a.KIND.value)} ({a.id})" for a in formulation.other_areas)
    state = "agreed" if formulation.agreed_on is not None else "not yet agreed"
    text = f"  formulation: focus {focus}"
    if others:
        text += f"; other areas {others}"
    return f"{text}; {state}"


def _sessions_line(case: Case) -> str:
    if not case.sessions:
        return "  sessions: none recorded"
    attended = len(case.attended_sessions())
    return (
        f"  sessions: {len(case.sessions)} recorded, {attended} attended, "
        f"last number {case.sessions[-1].number}"
    )


def _scores_line(case: Case) -> str:
    from ipt_core.domain.measures.instruments import INSTRUMENTS, short_name  # noqa: PLC0415
    from ipt_core.domain.measures.scoring import score  # noqa: PLC0415 - scoring needs the case module

    for session in reversed(case.sessions):
        shown: list[str] = []
        for record in session.measures:
            instrument = INSTRUMENTS.get(record.instrument)
            if instrument is None:
                continue
            try:
                result = score(record.instrument, record.answers, options=record.options)
            except ValidationError:
                continue
            if result.total is None:
                continue
            band = "" if result.band is None else f" ({_words(result.band)})"
            shown.append(f"{short_name(instrument)} {result.total}{band}")
        if shown:
            return f"  latest scores (session {session.number}): {', '.join(shown)}"
    return ""
