"""ipt_core: a pure-domain model of Interpersonal Psychotherapy (IPT).

The domain (``ipt_core.domain``): the interpersonal inventory, the timeline, problem areas, the
formulation, the treatment contract, sessions and the :class:`Case` aggregate. The boundary
(``ipt_core.boundary``): the JSON codec (:func:`dumps`, :func:`loads`), the JSON Schema
(:func:`json_schema`) and document upgrades. Every public name is listed here.
"""

from __future__ import annotations

from typing import Any

# Public submodules, importable as attributes of the package: ipt_core.measures.score(...), ...
from ipt_core import agenda, analytics, fhir, measures, phases, progress, protocols, risk
from ipt_core.boundary.codec import Limits, dumps, loads
from ipt_core.boundary.documents import SCHEMA_VERSION
from ipt_core.boundary.redaction import opaque_id, pseudonym, redact
from ipt_core.domain.agenda import (
    Agenda,
    AgendaItem,
    next_steps,
)
from ipt_core.domain.case import Case
from ipt_core.domain.contract import Frequency, Renegotiation, TreatmentContract
from ipt_core.domain.course import (
    ExitOutcome,
    Phase,
    PhaseChange,
    TaskRecord,
    TerminationReview,
)
from ipt_core.domain.formulation import Formulation
from ipt_core.domain.group import (
    Facilitator,
    FacilitatorRole,
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    MemberAttendance,
    MemberExit,
    PreGroupMeeting,
)
from ipt_core.domain.group_agenda import GroupAgenda, GroupAgendaItem, next_steps_group
from ipt_core.domain.group_outcomes import GroupOutcomes, MemberOutcome, group_outcomes
from ipt_core.domain.group_rules import GroupReport, MemberStatus, evaluate_group
from ipt_core.domain.inventory import (
    ContactFrequency,
    Expectation,
    InterpersonalInventory,
    NetworkSummary,
    Person,
    RelationshipCategory,
)
from ipt_core.domain.phases import Finding, PhaseReport, TaskState, TaskStatus, Transition
from ipt_core.domain.problem_areas import (
    AreaKind,
    DisputeStage,
    Grief,
    GriefForLostHealthySelf,
    InterpersonalDeficits,
    ProblemArea,
    RoleDispute,
    RoleInsecurity,
    RoleTransition,
    StageChange,
)
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.risk import (
    RiskCode,
    RiskFlag,
    RiskGrade,
    RiskSettings,
    open_risk_flags,
    risk_flags,
)
from ipt_core.domain.safety import Escalation, SafetyPlan
from ipt_core.domain.screening import CriterionStatus, Screening, ScreenResult, screening_status
from ipt_core.domain.sessions import (
    Answer,
    Attendance,
    CommunicationAnalysis,
    DecisionAnalysis,
    DecisionOption,
    Incident,
    InstrumentAnswers,
    Missing,
    RiskCheck,
    RiskLevel,
    RolePlay,
    SessionRecord,
    Technique,
    WorkAtHome,
)
from ipt_core.domain.suggestions import (
    AreaAssessment,
    AreaSuggestion,
    Evidence,
    assess_problem_areas,
    suggest_problem_areas,
)
from ipt_core.domain.timeline import (
    DatePrecision,
    EventCategory,
    EventKind,
    FuzzyDate,
    LifeEvent,
    OnsetTie,
    OnsetWindow,
    Timeline,
)
from ipt_core.errors import Problem, ProblemCode, TransitionError, UnknownIdError, ValidationError


def json_schema(cls: type[Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``cls`` (default: the ``Case`` document).

    Derived from the attrs model through pydantic, which is imported on first use so that
    ``import ipt_core`` stays light. See :func:`ipt_core.boundary.schema.json_schema`.
    """
    from ipt_core.boundary import schema  # noqa: PLC0415 - deferred: pydantic is only needed here

    return schema.json_schema(cls)


__version__ = "0.1.0.dev0"

__all__ = [
    "SCHEMA_VERSION",
    "Agenda",
    "AgendaItem",
    "Answer",
    "AreaAssessment",
    "AreaKind",
    "AreaSuggestion",
    "Attendance",
    "Case",
    "CommunicationAnalysis",
    "ContactFrequency",
    "CriterionStatus",
    "DatePrecision",
    "DecisionAnalysis",
    "DecisionOption",
    "DisputeStage",
    "Escalation",
    "EventCategory",
    "EventKind",
    "Evidence",
    "ExitOutcome",
    "Expectation",
    "Finding",
    "Formulation",
    "Frequency",
    "FuzzyDate",
    "Grief",
    "GriefForLostHealthySelf",
    "Incident",
    "InstrumentAnswers",
    "InterpersonalDeficits",
    "InterpersonalInventory",
    "LifeEvent",
    "Limits",
    "Missing",
    "NetworkSummary",
    "OnsetTie",
    "OnsetWindow",
    "Person",
    "Phase",
    "PhaseChange",
    "PhaseReport",
    "Problem",
    "ProblemArea",
    "ProblemCode",
    "Protocol",
    "RelationshipCategory",
    "Renegotiation",
    "RiskCheck",
    "RiskCode",
    "RiskFlag",
    "RiskGrade",
    "RiskLevel",
    "RiskSettings",
    "RoleDispute",
    "RoleInsecurity",
    "RolePlay",
    "RoleTransition",
    "SafetyPlan",
    "ScreenResult",
    "Screening",
    "SessionRecord",
    "StageChange",
    "TaskRecord",
    "TaskState",
    "TaskStatus",
    "Technique",
    "TerminationReview",
    "Timeline",
    "Transition",
    "TransitionError",
    "TreatmentContract",
    "UnknownIdError",
    "ValidationError",
    "WorkAtHome",
    "__version__",
    "agenda",
    "analytics",
    "assess_problem_areas",
    "dumps",
    "fhir",
    "json_schema",
    "loads",
    "measures",
    "next_steps",
    "opaque_id",
    "open_risk_flags",
    "phases",
    "progress",
    "protocols",
    "pseudonym",
    "redact",
    "risk",
    "risk_flags",
    "screening_status",
    "suggest_problem_areas",
]

__all__ += [
    "Facilitator",
    "FacilitatorRole",
    "Group",
    "GroupAgenda",
    "GroupAgendaItem",
    "GroupAttendance",
    "GroupOutcomes",
    "GroupReport",
    "GroupSession",
    "Member",
    "MemberAttendance",
    "MemberExit",
    "MemberOutcome",
    "MemberStatus",
    "PreGroupMeeting",
    "evaluate_group",
    "group_outcomes",
    "next_steps_group",
]
