"""Nicola's course as the course-schedule tests record it: weekly sessions from 6 January 2025, a
role dispute with her partner Sam, the formulation and the contract agreed in session 2, the
middle phase from week 3."""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from ipt_core import (
    Case,
    Formulation,
    InterpersonalInventory,
    Person,
    Phase,
    RelationshipCategory,
    RoleDispute,
    SessionRecord,
    TerminationReview,
    TreatmentContract,
)
from ipt_core.domain.problem_areas import DisputeStage
from ipt_core.phases import advance

START = date(2025, 1, 6)


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def nicola(sessions: int = 16) -> Case:
    """Nicola's course, sessions 1 and 2 held, in the middle phase."""
    case = Case(
        id="nicola",
        contract=TreatmentContract(
            protocol_id="standard", start=week(1), planned_sessions=sessions, agreed_on=week(1)
        ),
        inventory=InterpersonalInventory(
            people=(Person(id="sam", alias="Sam", category=RelationshipCategory.PARTNER, in_conflict=True),)
        ),
        formulation=Formulation(
            focus=(RoleDispute(id="dispute", other_party="sam", stage=DisputeStage.RENEGOTIATION),),
            presented_on=week(2),
            agreed_on=week(2),
        ),
    )
    for n in (1, 2):
        case = case.with_session(SessionRecord(number=n, date=week(n)))
    return advance(case, Phase.MIDDLE, on=week(2) + timedelta(days=1))


def held(case: Case, numbers: range) -> Case:
    """``case`` with sessions ``numbers`` held, each in its week."""
    for n in numbers:
        case = case.with_session(SessionRecord(number=n, date=week(n)))
    return case


def announced(case: Case, session: int) -> Case:
    """``case`` with the end of treatment announced in ``session``."""
    review = case.termination or TerminationReview()
    return attrs.evolve(case, termination=attrs.evolve(review, announced_in_session=session))
