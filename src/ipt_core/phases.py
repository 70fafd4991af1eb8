"""The phase engine: ``evaluate(case, protocol=None, *, today)`` and ``advance(case, to, *, on)``.

See docs/phases.md for the gates, the tasks and the transitions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipt_core import _lazy
from ipt_core.domain import phases as _phases
from ipt_core.domain.phases import *  # noqa: F403 - the public names are those of the module

if TYPE_CHECKING:
    from ipt_core.domain.group_rules import GroupReport, GroupRules, MemberStatus, evaluate_group, group_rules

__all__: list[str] = []
__all__ += _phases.__all__
__all__ += ["GroupReport", "GroupRules", "MemberStatus", "evaluate_group", "group_rules"]

# The group rules import the group model: their names are imported when a program first uses one of them.
if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.from_module(globals(), "ipt_core.domain.group_rules")
