"""Public API for measures: score questionnaires and rating scales, and read the instruments.

``score(instrument_id, answers, *, options=(), policy=None) -> Score``; the instruments (items,
LOINC codes, band tables with their sources, attributions) are data: :func:`get_instrument`,
:func:`all_instruments`. See ``docs/measures.md``.
"""

from ipt_core.domain.measures import (
    INSTRUMENTS,
    Aggregation,
    AnswersInput,
    Band,
    BandTable,
    Instrument,
    Item,
    Score,
    ScoringPolicy,
    all_instruments,
    get_instrument,
    score,
    score_record,
)
from ipt_core.domain.risk import RiskCode, RiskFlag, RiskGrade, risk_flags

__all__ = [
    "INSTRUMENTS",
    "Aggregation",
    "AnswersInput",
    "Band",
    "BandTable",
    "Instrument",
    "Item",
    "RiskCode",
    "RiskFlag",
    "RiskGrade",
    "Score",
    "ScoringPolicy",
    "all_instruments",
    "get_instrument",
    "risk_flags",
    "score",
    "score_record",
]
