"""Safety: the client's safety plan, and what an open risk flag means for a course, as protocol data.

The safety plan follows the Stanley & Brown Safety Planning Intervention (Stanley B, Brown GK.
Safety Planning Intervention: a brief intervention to mitigate suicide risk. Cogn Behav Pract
2012;19:256-264): seven steps, written with the client, reviewed when risk changes. Every text in
it is clinical content (hidden from ``repr``, removed by redaction).

An :class:`Escalation` says, for one grade of flag, what an open flag of that grade means for a
course of a protocol: whether the weekly modules pause, whether crisis resources come first, whether
a safety plan is asked for. No IPT manual retrieved specifies an escalation protocol (IPT-A-SCI,
S36, builds a safety plan and no more), so the built-in defaults are settings, each with the source
it leans on.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain.risk import RiskGrade

__all__ = [
    "SELF_GUIDED_ESCALATION",
    "THERAPIST_ESCALATION",
    "Escalation",
    "SafetyPlan",
    "builtin_escalation",
]


def _steps(description: str) -> Any:
    return f.texts(description=description)


@attrs.frozen(slots=False)
class SafetyPlan:
    """A written safety plan (Stanley & Brown 2012), made with the client; the date it was made or
    last reviewed."""

    reviewed_on: date = f.day(description="When the plan was made or last reviewed.")
    warning_signs: tuple[str, ...] = _steps("Step 1: warning signs that a crisis may be developing.")
    coping_strategies: tuple[str, ...] = _steps("Step 2: internal coping strategies, done alone.")
    distractions: tuple[str, ...] = _steps("Step 3: people and social settings that provide distraction.")
    people_to_ask: tuple[str, ...] = _steps("Step 4: people to ask for help.")
    professionals: tuple[str, ...] = _steps(
        "Step 5: professionals and agencies (crisis services) to contact in a crisis."
    )
    safe_environment: tuple[str, ...] = _steps("Step 6: making the environment safe (means restriction).")
    reasons_for_living: tuple[str, ...] = _steps("The reasons for living the client names.")


@attrs.frozen(slots=False)
class Escalation:
    """What an open risk flag of one grade means for a course of a protocol, until it is reviewed."""

    grade: RiskGrade = f.choice(RiskGrade)
    pause_modules: bool = f.flag(
        default=False, description="The weekly modules are not offered while such a flag is open."
    )
    crisis_resources_first: bool = f.flag(
        default=False, description="The agenda shows the service's crisis resources before anything else."
    )
    safety_plan: bool = f.flag(
        default=False,
        description="A safety plan is asked for, and its review when it is older than the flag.",
    )
    source: str = f.text(max_length=f.LABEL_MAX, sensitive=False, description="The source or 'setting'.")


_SPI: Final = "Stanley & Brown 2012 (Safety Planning Intervention)"
_SETTING: Final = "setting: no IPT manual consulted specifies an escalation"
_CRISIS: Final = (
    "setting: crisis resources on a suicide-item flag, as some apps do (not a published standard [S])"
)

THERAPIST_ESCALATION: Final = (
    Escalation(RiskGrade.HIGH, safety_plan=True, source=f"{_SPI}; the service owns the crisis pathway"),
    Escalation(RiskGrade.ELEVATED, source=f"{_SETTING}: review at the next contact"),
    Escalation(RiskGrade.UNKNOWN, source=f"{_SETTING}: assess risk at the next contact"),
)
"""The default for a protocol with a therapist: every open flag leads the agenda until a risk check
reviews it; a high one asks for a safety plan."""

SELF_GUIDED_ESCALATION: Final = (
    Escalation(
        RiskGrade.HIGH,
        pause_modules=True,
        crisis_resources_first=True,
        safety_plan=True,
        source=f"{_SPI}; setting: crisis resources first, modules paused until a review [S]",
    ),
    Escalation(RiskGrade.ELEVATED, crisis_resources_first=True, source=_CRISIS),
    Escalation(RiskGrade.UNKNOWN, crisis_resources_first=True, source=_CRISIS),
)
"""The default for a programme with no therapist: no one reads every answer, so an open flag shows
crisis resources first, and a high one pauses the weekly modules until a review is recorded."""


def builtin_escalation(therapist: bool) -> tuple[Escalation, ...]:
    """The default escalation of a built-in protocol, by whether it has a therapist."""
    return THERAPIST_ESCALATION if therapist else SELF_GUIDED_ESCALATION
