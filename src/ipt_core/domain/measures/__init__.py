"""Measures: the instruments as data, and the scoring rules over them."""

from ipt_core.domain.measures.instruments import (
    INSTRUMENTS,
    Aggregation,
    Band,
    BandTable,
    Instrument,
    Item,
    all_instruments,
    get_instrument,
)
from ipt_core.domain.measures.scoring import (
    AnswersInput,
    ProrationRounding,
    Score,
    ScoringPolicy,
    score,
    score_record,
)

__all__ = [
    "INSTRUMENTS",
    "Aggregation",
    "AnswersInput",
    "Band",
    "BandTable",
    "Instrument",
    "Item",
    "ProrationRounding",
    "Score",
    "ScoringPolicy",
    "all_instruments",
    "get_instrument",
    "score",
    "score_record",
]
