"""Public API for cohort analytics: the NHS Talking Therapies service outcome table.

``service_outcomes(cases, by=("protocol", "area"))`` streams cases in constant memory;
:class:`OutcomeAccumulator` adds and merges partitions for distributed engines (see
``examples/analytics_dask.py``).
"""

from ipt_core.domain import analytics as _analytics
from ipt_core.domain import group_outcomes as _group_outcomes
from ipt_core.domain.analytics import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.group_outcomes import *  # noqa: F403 - the public names are those of the module

__all__: list[str] = []
__all__ += _analytics.__all__
__all__ += _group_outcomes.__all__
