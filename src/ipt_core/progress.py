"""Public API for progress: reliable change, NHS Talking Therapies outcomes and case progress.

See ``docs/progress.md``.
"""

from ipt_core.domain.progress import (
    RCI_CRITERION,
    ClinicalSignificanceCutoffs,
    ExitSuggestion,
    FocalAreaRating,
    InstrumentProgress,
    ProgressPolicy,
    ProgressReport,
    RatingPoint,
    ReliableChange,
    TalkingTherapiesOutcome,
    TalkingTherapiesSettings,
    clinical_significance_cutoffs,
    course_ended,
    evaluate,
    reliable_change,
    talking_therapies_outcome,
)

__all__ = [
    "RCI_CRITERION",
    "ClinicalSignificanceCutoffs",
    "ExitSuggestion",
    "FocalAreaRating",
    "InstrumentProgress",
    "ProgressPolicy",
    "ProgressReport",
    "RatingPoint",
    "ReliableChange",
    "TalkingTherapiesOutcome",
    "TalkingTherapiesSettings",
    "clinical_significance_cutoffs",
    "course_ended",
    "evaluate",
    "reliable_change",
    "talking_therapies_outcome",
]
