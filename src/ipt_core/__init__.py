"""ipt_core: a pure-domain model of Interpersonal Psychotherapy (IPT).

The domain (``ipt_core.domain``): the interpersonal inventory, the timeline, problem areas, the
formulation, the treatment contract, sessions and the :class:`Case` aggregate. The boundary
(``ipt_core.boundary``): the JSON codec (:func:`dumps`, :func:`loads`), the JSON Schema
(:func:`json_schema`) and document upgrades. Every public name is listed here.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time

# The package imports lazily (PEP 562): ``import ipt_core`` loads only this file, and each name below
# imports its module on first use, so a program pays only for what it uses. mypy and the docs read
# the imports in this block; at run time ``__getattr__`` finds each name's module in ``_EXPORTS``.
# A new public name goes into this block, into ``_EXPORTS`` and into ``__all__``
# (``tests/test_lazy_import.py`` checks that the three agree).
if TYPE_CHECKING:
    from typing import Any, Final

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
    from ipt_core.errors import (
        ArgumentKindError,
        Problem,
        ProblemCode,
        TransitionError,
        UnknownIdError,
        ValidationError,
    )

_SUBMODULES: Final = ("agenda", "analytics", "fhir", "measures", "phases", "progress", "protocols", "risk")
"""The public submodules, importable as attributes of the package: ``ipt_core.measures.score(...)``."""

_EXPORTS: Final[dict[str, tuple[str, ...]]] = {
    # module: the names of __all__ it defines (the same names as the imports above, for mypy)
    "ipt_core.boundary.codec": ("Limits", "dumps", "loads"),
    "ipt_core.boundary.documents": ("SCHEMA_VERSION",),
    "ipt_core.boundary.redaction": ("opaque_id", "pseudonym", "redact"),
    "ipt_core.domain.agenda": ("Agenda", "AgendaItem", "next_steps"),
    "ipt_core.domain.case": ("Case",),
    "ipt_core.domain.contract": ("Frequency", "Renegotiation", "TreatmentContract"),
    "ipt_core.domain.course": ("ExitOutcome", "Phase", "PhaseChange", "TaskRecord", "TerminationReview"),
    "ipt_core.domain.formulation": ("Formulation",),
    "ipt_core.domain.group": (
        "Facilitator",
        "FacilitatorRole",
        "Group",
        "GroupAttendance",
        "GroupSession",
        "Member",
        "MemberAttendance",
        "MemberExit",
        "PreGroupMeeting",
    ),
    "ipt_core.domain.group_agenda": ("GroupAgenda", "GroupAgendaItem", "next_steps_group"),
    "ipt_core.domain.group_outcomes": ("GroupOutcomes", "MemberOutcome", "group_outcomes"),
    "ipt_core.domain.group_rules": ("GroupReport", "MemberStatus", "evaluate_group"),
    "ipt_core.domain.inventory": (
        "ContactFrequency",
        "Expectation",
        "InterpersonalInventory",
        "NetworkSummary",
        "Person",
        "RelationshipCategory",
    ),
    "ipt_core.domain.phases": ("Finding", "PhaseReport", "TaskState", "TaskStatus", "Transition"),
    "ipt_core.domain.problem_areas": (
        "AreaKind",
        "DisputeStage",
        "Grief",
        "GriefForLostHealthySelf",
        "InterpersonalDeficits",
        "ProblemArea",
        "RoleDispute",
        "RoleInsecurity",
        "RoleTransition",
        "StageChange",
    ),
    "ipt_core.domain.protocols": ("Protocol",),
    "ipt_core.domain.risk": (
        "RiskCode",
        "RiskFlag",
        "RiskGrade",
        "RiskSettings",
        "open_risk_flags",
        "risk_flags",
    ),
    "ipt_core.domain.safety": ("Escalation", "SafetyPlan"),
    "ipt_core.domain.screening": ("CriterionStatus", "Screening", "ScreenResult", "screening_status"),
    "ipt_core.domain.sessions": (
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
    ),
    "ipt_core.domain.suggestions": (
        "AreaAssessment",
        "AreaSuggestion",
        "Evidence",
        "assess_problem_areas",
        "suggest_problem_areas",
    ),
    "ipt_core.domain.timeline": (
        "DatePrecision",
        "EventCategory",
        "EventKind",
        "FuzzyDate",
        "LifeEvent",
        "OnsetTie",
        "OnsetWindow",
        "Timeline",
    ),
    "ipt_core.errors": (
        "ArgumentKindError",
        "Problem",
        "ProblemCode",
        "TransitionError",
        "UnknownIdError",
        "ValidationError",
    ),
}

_MODULE_OF: Final = {name: module for module, names in _EXPORTS.items() for name in names}
_MODULE_OF.update({name: f"ipt_core.{name}" for name in _SUBMODULES})


def json_schema(cls: type[Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``cls`` (default: the ``Case`` document).

    Derived from the attrs model through pydantic, which is imported on first use so that
    ``import ipt_core`` stays light. See :func:`ipt_core.boundary.schema.json_schema`. Where
    pydantic is not installed (Pyodide), the schema of a root document (``Case``, ``Group``,
    ``Protocol``) is the one shipped in the package, which equals the derived one; any other class
    raises ``ModuleNotFoundError`` naming pydantic. What is not a domain class raises ``TypeError``.
    """
    import attrs  # noqa: PLC0415 - the package imports lazily

    if cls is not None and not (isinstance(cls, type) and attrs.has(cls)):
        raise TypeError("json_schema takes an ipt_core domain class")
    try:
        from ipt_core.boundary import schema  # noqa: PLC0415 - deferred: pydantic is only needed here
    except ModuleNotFoundError as error:
        if error.name != "pydantic":
            raise
        from ipt_core.boundary.documents import ROOT_KINDS  # noqa: PLC0415
        from ipt_core.boundary.shipped import shipped_schema  # noqa: PLC0415
        from ipt_core.domain.case import Case  # noqa: PLC0415

        kind = ROOT_KINDS.get(Case if cls is None else cls)
        if kind is None:
            raise
        return shipped_schema(kind)
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
    "ArgumentKindError",
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


if not TYPE_CHECKING:  # mypy sees the imports above, so that a misspelt name is still an error

    def __getattr__(name: str) -> Any:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module 'ipt_core' has no attribute {name!r}")
        value = importlib.import_module(module)
        if name not in _SUBMODULES:
            value = getattr(value, name)
            _document(value)
        globals()[name] = value  # the next look-up finds it without calling here
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _document(value: object) -> None:
    """A record's ``help()`` lists its fields (made when first read; nothing done here but a mark)."""
    if isinstance(value, type) and "__attrs_attrs__" in value.__dict__:
        from ipt_core._docs import document  # noqa: PLC0415 - imported with the record's module

        document(value)
