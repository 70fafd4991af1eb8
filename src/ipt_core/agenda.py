"""What the next session should cover (``next_steps``) and which problem areas the evidence points
to (``suggest_problem_areas``). See docs/phases.md."""

from __future__ import annotations

from ipt_core.domain.agenda import (
    AREA_GUIDES,
    STAGE_GUIDES,
    Agenda,
    AgendaItem,
    AreaGuide,
    FocusSummary,
    ItemKind,
    Strategy,
    next_steps,
)
from ipt_core.domain.group_agenda import GroupAgenda, GroupAgendaItem, next_steps_group
from ipt_core.domain.suggestions import (
    AreaAssessment,
    AreaSuggestion,
    Evidence,
    assess_problem_areas,
    suggest_problem_areas,
)

__all__ = [
    "AREA_GUIDES",
    "STAGE_GUIDES",
    "Agenda",
    "AgendaItem",
    "AreaAssessment",
    "AreaGuide",
    "AreaSuggestion",
    "Evidence",
    "FocusSummary",
    "ItemKind",
    "Strategy",
    "assess_problem_areas",
    "next_steps",
    "suggest_problem_areas",
]
__all__ += ["GroupAgenda", "GroupAgendaItem", "next_steps_group"]
