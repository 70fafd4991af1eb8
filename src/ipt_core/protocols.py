"""The protocols (formats) of IPT, as data: ``get(protocol_id)`` and ``all()``.

Built-in ids: ``standard``, ``stuart``, ``brief``, ``group-who``, ``adolescent``, ``maintenance``,
``ipsrt``, ``ptsd``, ``social-anxiety``, ``telephone``, ``internet-guided``, ``blended`` and
``self-guided-8-week``. A user-defined :class:`Protocol` is a document like a case: build it in
Python or read it with ``ipt_core.loads(data, Protocol)``; a bad one raises ``ValidationError``.
See docs/protocols.md for every protocol and its numbers, with sources.
"""

from __future__ import annotations

from ipt_core.domain.protocols import (
    ACUTE_PHASES,
    BUILTIN_PROTOCOLS,
    AgeRange,
    AreaOption,
    Delivery,
    Escalation,
    ExclusionCriterion,
    Feature,
    GroupSize,
    MeasureSchedule,
    Module,
    ParentContact,
    PhasePlan,
    Protocol,
    SessionPlan,
    TaskApplies,
    TaskSpec,
    TerminationNotice,
    focus_problems,
    get,
)
from ipt_core.domain.protocols import all_protocols as all

__all__ = [
    "ACUTE_PHASES",
    "BUILTIN_PROTOCOLS",
    "AgeRange",
    "AreaOption",
    "Delivery",
    "Escalation",
    "ExclusionCriterion",
    "Feature",
    "GroupSize",
    "MeasureSchedule",
    "Module",
    "ParentContact",
    "PhasePlan",
    "Protocol",
    "SessionPlan",
    "TaskApplies",
    "TaskSpec",
    "TerminationNotice",
    "all",
    "focus_problems",
    "get",
]
