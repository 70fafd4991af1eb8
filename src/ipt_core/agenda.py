"""What the next session should cover (``next_steps``) and which problem areas the evidence points
to (``suggest_problem_areas``). See docs/phases.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipt_core import _lazy
from ipt_core.domain import agenda as _agenda
from ipt_core.domain.agenda import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.suggestions import (
    AreaAssessment,
    AreaSuggestion,
    Evidence,
    assess_problem_areas,
    suggest_problem_areas,
)

if TYPE_CHECKING:
    from ipt_core.domain.group_agenda import GroupAgenda, GroupAgendaItem, next_steps_group

__all__: list[str] = []
__all__ += _agenda.__all__
__all__ += ["AreaAssessment", "AreaSuggestion", "Evidence", "assess_problem_areas", "suggest_problem_areas"]
__all__ += ["GroupAgenda", "GroupAgendaItem", "next_steps_group"]

# The group agenda imports the group model: their names are imported when a program first uses one of them.
if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.from_module(globals(), "ipt_core.domain.group_agenda")
