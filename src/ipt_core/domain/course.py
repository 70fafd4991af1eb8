"""The course of treatment: phases, the tasks done, the termination review and the exit outcome."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from ipt_core.domain import _fields as f

__all__ = [
    "TERMINAL_PHASES",
    "ExitOutcome",
    "Phase",
    "PhaseChange",
    "TaskRecord",
    "TerminationReview",
]


class Phase(StrEnum):
    """Where a course of IPT is (phases: S1, S3, S7; engagement and pre-group sessions: S11, S14)."""

    PRE_TREATMENT = "pre_treatment"
    """Optional: the IPT-B engagement session, the WHO pre-group meeting."""
    INITIAL = "initial"
    MIDDLE = "middle"
    TERMINATION = "termination"
    CONTINUATION = "continuation"
    """A continuation contract after acute treatment."""
    MAINTENANCE = "maintenance"
    """A maintenance contract (e.g. monthly IPT-M)."""
    COMPLETED = "completed"
    ALTERNATIVE_TREATMENT = "alternative_treatment"
    DROPPED_OUT = "dropped_out"
    CRISIS_REFERRAL = "crisis_referral"


TERMINAL_PHASES = frozenset(
    {Phase.COMPLETED, Phase.ALTERNATIVE_TREATMENT, Phase.DROPPED_OUT, Phase.CRISIS_REFERRAL}
)
"""Phases a course does not leave."""


class ExitOutcome(StrEnum):
    """How acute treatment ended (Markowitz, S3 p. 25)."""

    COMPLETED = "completed"
    CONTINUATION_CONTRACT = "continuation_contract"
    MAINTENANCE_CONTRACT = "maintenance_contract"
    ALTERNATIVE_TREATMENT = "alternative_treatment"
    DROPPED_OUT = "dropped_out"
    CRISIS_REFERRAL = "crisis_referral"


@attrs.frozen(slots=False)
class PhaseChange:
    """The course entered ``phase`` on ``on``."""

    phase: Phase = f.choice(Phase)
    """The phase entered."""
    on: date = f.day()
    """The day it was entered."""
    reason: str = f.text()
    """Why, in the therapist's words."""


@attrs.frozen(slots=False)
class TaskRecord:
    """A protocol task done (psychoeducation, sick role, medication evaluation, ...)."""

    task: str = f.ident(description="The task's id in the protocol, e.g. sick_role.")
    on: date = f.day()
    """The day the task was done."""
    session: int | None = f.integer(ge=0, le=f.SESSIONS_MAX, optional=True)
    """The session it was done in, if any."""
    note: str = f.text()
    """A free note on the task."""


@attrs.frozen(slots=False)
class TerminationReview:
    """The work of ending: gains, feelings about ending, warning signs, plans, maintenance."""

    announced_in_session: int | None = f.integer(
        ge=0,
        le=f.SESSIONS_MAX,
        optional=True,
        description="The session in which the end of treatment was announced.",
    )
    gains: tuple[str, ...] = f.texts()
    """The gains the client names."""
    attribution: str = f.text(description='The client’s answer to "why are you feeling better?"')
    feelings_about_ending: str = f.text()
    """What the client feels about the ending."""
    warning_signs: tuple[str, ...] = f.texts()
    """Early signs of relapse the client will watch for."""
    contingency_plan: str = f.text()
    """What the client will do if the signs appear."""
    maintenance_offered: bool | None = f.flag()
    """Whether continuation or maintenance treatment was offered (null: not yet discussed)."""
    maintenance_accepted: bool | None = f.flag()
    """Whether the client accepted it (null: not decided)."""
    on: date | None = f.day(
        optional=True,
        omit_default=True,
        description="When the review was recorded; before this day its content does not count.",
    )
