"""What the next session should cover (``next_steps``) and which problem areas the evidence points
to (``suggest_problem_areas``). See docs/phases.md."""

from __future__ import annotations

from ipt_core.domain import agenda as _agenda
from ipt_core.domain import group_agenda as _group_agenda
from ipt_core.domain.agenda import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.group_agenda import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.suggestions import (
    AreaAssessment,
    AreaSuggestion,
    Evidence,
    assess_problem_areas,
    suggest_problem_areas,
)

__all__: list[str] = []
__all__ += _agenda.__all__
__all__ += ["AreaAssessment", "AreaSuggestion", "Evidence", "assess_problem_areas", "suggest_problem_areas"]
__all__ += _group_agenda.__all__
