"""Session records: what happened in each session, including questionnaire answers and middle-phase work.

Answers are kept raw, by instrument id and in item order, so that scoring rules can change without
rewriting history; a missing answer is recorded as missing (skipped, declined, unknown or null), never
as 0.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Final

import attrs

from ipt_core.domain import _fields as f
from ipt_core.errors import ProblemCode, ValidationError

__all__ = [
    "Answer",
    "Attendance",
    "CommunicationAnalysis",
    "DecisionAnalysis",
    "DecisionOption",
    "Incident",
    "InstrumentAnswers",
    "Missing",
    "RiskCheck",
    "RiskLevel",
    "RolePlay",
    "SessionRecord",
    "Technique",
    "WorkAtHome",
]

ANSWER_MAX: Final = 100_000
"""Bound on one raw answer (items are small integers; a time of day is minutes after midnight)."""
ITEMS_PER_INSTRUMENT_MAX: Final = 100


class Missing(StrEnum):
    """Why an answer is missing. ``null`` on the wire means not asked / not recorded."""

    SKIPPED = "skipped"
    DECLINED = "declined"
    UNKNOWN = "unknown"


Answer = int | Missing | None
"""One raw answer: the item's value, a reason it is missing, or ``None`` (not asked)."""


def _answers_field() -> Any:
    spec = f.Spec(
        "answers",
        sensitive=False,
        ge=-ANSWER_MAX,
        le=ANSWER_MAX,
        max_items=ITEMS_PER_INSTRUMENT_MAX,
    )

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is not tuple:
            raise ValidationError.single("$.answers", ProblemCode.WRONG_TYPE, f.NOT_A_TUPLE)
        if len(value) > ITEMS_PER_INSTRUMENT_MAX:
            raise ValidationError.single("$.answers", ProblemCode.TOO_LONG, "too many answers")
        for i, item in enumerate(value):
            if item is None or isinstance(item, Missing):
                continue
            if type(item) is not int:
                raise ValidationError.single(
                    f"$.answers[{i}]",
                    ProblemCode.WRONG_TYPE,
                    "an integer, a missing reason or null",
                )
            if not -ANSWER_MAX <= item <= ANSWER_MAX:
                raise ValidationError.single(f"$.answers[{i}]", ProblemCode.OUT_OF_RANGE)

    return attrs.field(validator=validate, metadata={f.META: spec})


@attrs.frozen(slots=False)
class InstrumentAnswers:
    """The raw answers to one instrument in one session, in item order."""

    instrument: str = f.ident(description="The instrument's id, e.g. phq9, gad7, wsas.")
    answers: tuple[Answer, ...] = _answers_field()
    """The raw answers in item order: an integer, a missing reason, or null (not asked)."""
    options: tuple[str, ...] = f.refs(
        "option", description="Instrument options that change scoring (e.g. wsas: retired)."
    )


class Attendance(StrEnum):
    """Whether the session took place with the client."""

    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED_BY_CLIENT = "cancelled_by_client"
    CANCELLED_BY_SERVICE = "cancelled_by_service"


class RiskLevel(StrEnum):
    """The clinician's judgement of risk at a session's risk check."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


@attrs.frozen(slots=False)
class RiskCheck:
    """A risk check made in the session. The library raises flags; the service owns the pathway."""

    level: RiskLevel = f.choice(RiskLevel)
    """The risk the therapist judged."""
    safety_plan_reviewed: bool | None = f.flag()
    """Whether a safety plan was reviewed (null: not recorded)."""
    notes: str = f.text()
    """The therapist's free notes on risk."""


class Technique(StrEnum):
    """IPT techniques used in a session (Weissman et al. 2000, S6; S4; S16; S42)."""

    SYMPTOM_REVIEW = "symptom_review"
    PSYCHOEDUCATION = "psychoeducation"
    SICK_ROLE = "sick_role"
    INTERPERSONAL_INVENTORY = "interpersonal_inventory"
    TIMELINE = "timeline"
    LINKING_MOOD_AND_EVENTS = "linking_mood_and_events"
    EXPLORATORY = "exploratory"
    CLARIFICATION = "clarification"
    ENCOURAGEMENT_OF_AFFECT = "encouragement_of_affect"
    COMMUNICATION_ANALYSIS = "communication_analysis"
    DECISION_ANALYSIS = "decision_analysis"
    ROLE_PLAY = "role_play"
    USE_OF_THERAPEUTIC_RELATIONSHIP = "use_of_therapeutic_relationship"
    WORK_AT_HOME = "work_at_home"
    TERMINATION_REVIEW = "termination_review"


@attrs.frozen(slots=False)
class CommunicationAnalysis:
    """A detailed reconstruction of one exchange: who said what, meant what, felt what."""

    client_said: str = f.text()
    """What the client said."""
    other_said: str = f.text()
    """What the other person said."""
    client_intended: str = f.text()
    """What the client meant to convey."""
    client_felt: str = f.text()
    """What the client felt."""
    effect: str = f.text(description="What the exchange led to.")
    alternatives: tuple[str, ...] = f.texts(description="Other ways it could have been said.")


@attrs.frozen(slots=False)
class Incident:
    """An interpersonal incident since the last session, linked to mood."""

    person: str | None = f.ref("person", optional=True)
    """The id of the person involved."""
    summary: str = f.text()
    """What happened, in brief."""
    mood_link: str = f.text(description="How the incident and the client's mood were linked.")
    analysis: CommunicationAnalysis | None = f.value(CommunicationAnalysis, optional=True)


@attrs.frozen(slots=False)
class DecisionOption:
    """One option considered in a decision analysis."""

    description: str = f.label()
    """The option in words."""
    pros: tuple[str, ...] = f.texts()
    """What speaks for it."""
    cons: tuple[str, ...] = f.texts()
    """What speaks against it."""


@attrs.frozen(slots=False)
class DecisionAnalysis:
    """Options, their pros and cons, the choice and how it went."""

    situation: str = f.text()
    """The situation that calls for a decision."""
    options: tuple[DecisionOption, ...] = f.items(DecisionOption)
    chosen: int | None = f.integer(
        ge=0, le=f.ITEMS_MAX, optional=True, description="Index of the chosen option."
    )
    outcome: str = f.text()
    """What the client decided or did."""

    def __attrs_post_init__(self) -> None:
        if self.chosen is not None and self.chosen >= len(self.options):
            raise ValidationError.single(
                "$.chosen", ProblemCode.DANGLING_REFERENCE, "no option at this index"
            )


@attrs.frozen(slots=False)
class RolePlay:
    """A rehearsal of a conversation, with the therapist in the other person's role."""

    person: str | None = f.ref("person", optional=True)
    """The id of the person whose part was played."""
    scenario: str = f.text()
    """What was rehearsed."""
    outcome: str = f.text()
    """How it went."""


@attrs.frozen(slots=False)
class WorkAtHome:
    """A task between sessions, where the protocol uses them (IPT-A, group IPT)."""

    task: str = f.label()
    """What the client agreed to do between sessions."""
    done: bool | None = f.flag()
    """Whether it was done (null: not yet reviewed)."""


@attrs.frozen(slots=False)
class SessionRecord:
    """One session: when, whether it happened, the answers given and the work done."""

    number: int = f.integer(
        ge=0, le=f.SESSIONS_MAX, description="0 for a pre-treatment (engagement) session."
    )
    date: date = f.day()
    """The day the session took place (or was due, when missed)."""
    attendance: Attendance = f.choice(Attendance, default=Attendance.ATTENDED)
    """Whether the client attended, did not attend, or the session was cancelled (and by whom)."""
    measures: tuple[InstrumentAnswers, ...] = f.items(InstrumentAnswers, max_items=50, unique_by="instrument")
    risk_check: RiskCheck | None = f.value(RiskCheck, optional=True)
    techniques: tuple[Technique, ...] = f.choices(Technique)
    """The IPT techniques used in the session."""
    incidents: tuple[Incident, ...] = f.items(Incident)
    decisions: tuple[DecisionAnalysis, ...] = f.items(DecisionAnalysis)
    role_plays: tuple[RolePlay, ...] = f.items(RolePlay)
    work_at_home: tuple[WorkAtHome, ...] = f.items(WorkAtHome)
    focus_area: str | None = f.ref("area", optional=True, description="The problem area worked on.")
    mood_rating: int | None = f.integer(
        ge=0, le=10, optional=True, description="The client's own mood rating, 0 (worst) to 10."
    )
    mood_link: str = f.text(description="The link drawn between mood and events this week.")
    notes: str = f.text()
    """The therapist's free notes on the session."""

    @property
    def attended(self) -> bool:
        """Whether the client attended."""
        return self.attendance is Attendance.ATTENDED

    def answers(self, instrument: str) -> InstrumentAnswers | None:
        """The answers to ``instrument`` in this session, if it was given."""
        for answers in self.measures:
            if answers.instrument == instrument:
                return answers
        return None
