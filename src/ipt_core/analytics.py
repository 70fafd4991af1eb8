"""Public API for cohort analytics: the NHS Talking Therapies service outcome table.

``service_outcomes(cases, by=("protocol", "area"))`` streams cases in constant memory;
:class:`OutcomeAccumulator` adds and merges partitions for distributed engines (see
``examples/analytics_dask.py``).
"""

from ipt_core.domain.analytics import (
    ALL,
    GROUPINGS,
    OutcomeAccumulator,
    OutcomeRow,
    OutcomeTable,
    case_measures,
    service_outcomes,
)
from ipt_core.domain.group_outcomes import (
    UNGROUPED,
    GroupOutcomes,
    MemberOutcome,
    group_of_cases,
    group_outcomes,
    outcomes_by_group,
)

__all__ = [
    "ALL",
    "GROUPINGS",
    "OutcomeAccumulator",
    "OutcomeRow",
    "OutcomeTable",
    "case_measures",
    "service_outcomes",
]
__all__ += [
    "UNGROUPED",
    "GroupOutcomes",
    "MemberOutcome",
    "group_of_cases",
    "group_outcomes",
    "outcomes_by_group",
]
