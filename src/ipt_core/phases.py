"""The phase engine: ``evaluate(case, protocol=None, *, today)`` and ``advance(case, to, *, on)``.

See docs/phases.md for the gates, the tasks and the transitions.
"""

from __future__ import annotations

from ipt_core.domain.group_rules import GroupReport, GroupRules, MemberStatus, evaluate_group, group_rules
from ipt_core.domain.phases import (
    EXIT_PHASES,
    SIDE_EXITS,
    Finding,
    PhaseReport,
    TaskState,
    TaskStatus,
    Transition,
    TransitionKind,
    advance,
    current_phase,
    evaluate,
    resolve_protocol,
    task_statuses,
)

__all__ = [
    "EXIT_PHASES",
    "SIDE_EXITS",
    "Finding",
    "PhaseReport",
    "TaskState",
    "TaskStatus",
    "Transition",
    "TransitionKind",
    "advance",
    "current_phase",
    "evaluate",
    "resolve_protocol",
    "task_statuses",
]
__all__ += ["GroupReport", "GroupRules", "MemberStatus", "evaluate_group", "group_rules"]
