"""Helpers shared by the measures and progress tests (answers that reach a given total, cases)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from ipt_core.domain.case import Case
from ipt_core.domain.contract import TreatmentContract
from ipt_core.domain.measures.instruments import Instrument, get_instrument
from ipt_core.domain.sessions import Answer, InstrumentAnswers, SessionRecord


def answers_for(instrument_id: str, total: int, *, skip: tuple[int, ...] = ()) -> list[Answer]:
    """Answers (in item order) whose scored items sum to ``total``, filling items from the first.

    Items at the indexes in ``skip`` are left at their minimum (PHQ-9 item 9, for instance).
    """
    instrument: Instrument = get_instrument(instrument_id)
    items = instrument.scored_items
    answers: list[Answer] = [i.minimum for i in items]
    rest = total - sum(i.minimum for i in items)
    for index, item in enumerate(items):
        if index in skip:
            continue
        top = item.maximum
        if instrument_id == "hamd17" and item.id == "hamd17_16":
            top = 2  # 3 means "not assessed"
        add = min(rest, top - item.minimum)
        answers[index] = item.minimum + add
        rest -= add
    assert rest == 0, "total out of range"
    return answers


def make_case(
    sessions: Sequence[Mapping[str, Sequence[Answer]]],
    *,
    attended: tuple[bool, ...] | None = None,
    start: date = date(2024, 1, 8),
    case_id: str = "c1",
) -> Case:
    """A case whose session ``n`` (1-based, weekly) holds the answers in ``sessions[n - 1]``."""
    from ipt_core.domain.sessions import Attendance

    records = []
    for number, measures in enumerate(sessions, start=1):
        went = True if attended is None else attended[number - 1]
        records.append(
            SessionRecord(
                number=number,
                date=start + timedelta(weeks=number - 1),
                attendance=Attendance.ATTENDED if went else Attendance.DID_NOT_ATTEND,
                measures=tuple(
                    InstrumentAnswers(instrument=k, answers=tuple(v)) for k, v in measures.items()
                ),
            )
        )
    return Case(
        id=case_id,
        contract=TreatmentContract(protocol_id="ipt_standard", start=start, planned_sessions=12),
        sessions=tuple(records),
    )
