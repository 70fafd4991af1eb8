"""Public API for risk and safety: every risk flag of a course (``risk_flags``), the ones still open
until a clinician's risk check reviews them (``open_risk_flags``), the cut-offs that grade them
(``RiskSettings``), the safety plan (``SafetyPlan``) and what an open flag means for a protocol's
course (``Escalation``). See docs/risk.md."""

from __future__ import annotations

from ipt_core.domain import risk as _risk
from ipt_core.domain import safety as _safety
from ipt_core.domain.risk import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.safety import *  # noqa: F403 - the public names are those of the module

__all__: list[str] = []
__all__ += _risk.__all__
__all__ += _safety.__all__
