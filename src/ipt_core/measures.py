"""Public API for measures: score questionnaires and rating scales, and read the instruments.

``score(instrument_id, answers, *, options=(), policy=None) -> Score``; the instruments (items,
LOINC codes, band tables with their sources, attributions) are data: :func:`get_instrument`,
:func:`all_instruments`. See ``docs/measures.md``.
"""

from ipt_core.domain import measures as _measures
from ipt_core.domain.measures import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.risk import RiskCode, RiskFlag, RiskGrade, risk_flags

__all__: list[str] = []
__all__ += _measures.__all__
__all__ += ["RiskCode", "RiskFlag", "RiskGrade", "risk_flags"]
