"""Public API for cohort analytics: the NHS Talking Therapies service outcome table.

``service_outcomes(cases, by=("protocol", "area"))`` streams cases in constant memory;
:class:`OutcomeAccumulator` adds and merges partitions for distributed engines (see
``examples/analytics_dask.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipt_core import _lazy
from ipt_core.domain import analytics as _analytics
from ipt_core.domain.analytics import *  # noqa: F403 - the public names are those of the module

if TYPE_CHECKING:
    from ipt_core.domain.group_outcomes import (
        UNGROUPED,
        GroupOutcomes,
        MemberOutcome,
        group_of_cases,
        group_outcomes,
        outcomes_by_group,
    )

__all__: list[str] = []
__all__ += _analytics.__all__
__all__ += [
    "UNGROUPED",
    "GroupOutcomes",
    "MemberOutcome",
    "group_of_cases",
    "group_outcomes",
    "outcomes_by_group",
]

# The group outcomes import the group model: their names are imported when a program first uses one of them.
if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.from_module(globals(), "ipt_core.domain.group_outcomes")
