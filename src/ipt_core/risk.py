"""Public API for risk and safety: every risk flag of a course (``risk_flags``), the ones still open
until a clinician's risk check reviews them (``open_risk_flags``), the cut-offs that grade them
(``RiskSettings``), the safety plan (``SafetyPlan``) and what an open flag means for a protocol's
course (``Escalation``). See docs/risk.md."""

from __future__ import annotations

from ipt_core.domain.risk import (
    CLOCK_SKEW,
    DEFAULT_RISK_SETTINGS,
    HAMD_SUICIDE_ITEM,
    PHQ9_ITEM9,
    RISK_CHECK,
    RiskCode,
    RiskFlag,
    RiskGrade,
    RiskSettings,
    dated_just_ahead,
    flag_source,
    hamd_item3_flags,
    open_risk_flags,
    phq2_flags,
    phq9_item9_flags,
    risk_flags,
    session_risk_flags,
)
from ipt_core.domain.safety import (
    SELF_GUIDED_ESCALATION,
    THERAPIST_ESCALATION,
    Escalation,
    SafetyPlan,
    builtin_escalation,
)

__all__ = [
    "CLOCK_SKEW",
    "DEFAULT_RISK_SETTINGS",
    "HAMD_SUICIDE_ITEM",
    "PHQ9_ITEM9",
    "RISK_CHECK",
    "SELF_GUIDED_ESCALATION",
    "THERAPIST_ESCALATION",
    "Escalation",
    "RiskCode",
    "RiskFlag",
    "RiskGrade",
    "RiskSettings",
    "SafetyPlan",
    "builtin_escalation",
    "dated_just_ahead",
    "flag_source",
    "hamd_item3_flags",
    "open_risk_flags",
    "phq2_flags",
    "phq9_item9_flags",
    "risk_flags",
    "session_risk_flags",
]
