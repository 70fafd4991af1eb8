"""The phase engine: ``evaluate(case, protocol=None, *, today)`` and ``advance(case, to, *, on)``.

See docs/phases.md for the gates, the tasks and the transitions.
"""

from __future__ import annotations

from ipt_core.domain import group_rules as _group_rules
from ipt_core.domain import phases as _phases
from ipt_core.domain.group_rules import *  # noqa: F403 - the public names are those of the module
from ipt_core.domain.phases import *  # noqa: F403 - the public names are those of the module

__all__: list[str] = []
__all__ += _phases.__all__
__all__ += _group_rules.__all__
