"""Risk flags raised by answers: the library raises them, the front end owns wording and pathway.

PHQ-9 item 9 (thoughts of death or self-harm) above 0 always raises a flag, graded by its value,
whatever the total; a missing item 9 raises "risk not assessed". Nothing suppresses a flag
(measures-and-progress.md §1.3, §10.3).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

import attrs

from ipt_core.domain.sessions import Missing

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = [
    "PHQ9_ITEM9",
    "RiskCode",
    "RiskFlag",
    "RiskGrade",
    "phq9_item9_flags",
    "risk_flags",
]

PHQ9_ITEM9: Final = "phq9_9"
_PHQ9_ITEM9_INDEX: Final = 8
_PHQ9_ITEM9_MAX: Final = 3


class RiskCode(StrEnum):
    """Stable codes of risk flags."""

    PHQ9_ITEM9 = "phq9_item9"
    """PHQ-9 item 9 answered above 0."""
    RISK_NOT_ASSESSED = "risk_not_assessed"
    """PHQ-9 item 9 missing (skipped, declined, unknown, not asked or unusable)."""


class RiskGrade(StrEnum):
    """How urgent a flag is, graded by the answer (measures-and-progress.md §1.3, §10.3)."""

    ELEVATED = "elevated"
    """Item 9 = 1, "several days": still a flag (Louzon 2016: HR 1.75 [V])."""
    HIGH = "high"
    """Item 9 = 2 or 3: substantially higher short-term risk (Simon 2013; Rossom 2017 [V])."""
    UNKNOWN = "unknown"
    """Risk could not be assessed from the answers."""


ITEM9_HIGH_FROM: Final = 2
"""§1.3/§10.3 [V]: "more than half the days" (2) or "nearly every day" (3) grade as high."""


@attrs.frozen
class RiskFlag:
    """A risk flag: what raised it and how urgent it is. It never holds text from the input."""

    code: RiskCode
    level: RiskGrade
    instrument: str
    item: str
    session: int | None = None
    """The session the answers came from (set by :func:`risk_flags`)."""


def phq9_item9_flags(answer: object, *, instrument: str = "phq9") -> tuple[RiskFlag, ...]:
    """The flags one PHQ-9 item-9 answer raises. Anything that is not a usable 0-3 answer (missing,
    out of range, not an integer) raises "risk not assessed": a bad answer never hides risk."""
    if type(answer) is int and 0 <= answer <= _PHQ9_ITEM9_MAX:
        if answer == 0:
            return ()
        level = RiskGrade.HIGH if answer >= ITEM9_HIGH_FROM else RiskGrade.ELEVATED
        return (RiskFlag(RiskCode.PHQ9_ITEM9, level, instrument, PHQ9_ITEM9),)
    return (RiskFlag(RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN, instrument, PHQ9_ITEM9),)


def risk_flags(case: Case) -> tuple[RiskFlag, ...]:
    """Every risk flag the answers recorded in ``case`` raise, each with its session number, in
    session order. Lenient by design: an unusable item-9 answer raises "risk not assessed" rather
    than an error, so that no record can hide a flag."""
    found: list[RiskFlag] = []
    for session in case.sessions:
        for record in session.measures:
            if record.instrument != "phq9":
                continue
            answers = record.answers
            answer: object = (
                answers[_PHQ9_ITEM9_INDEX] if len(answers) > _PHQ9_ITEM9_INDEX else Missing.UNKNOWN
            )
            found.extend(attrs.evolve(flag, session=session.number) for flag in phq9_item9_flags(answer))
    return tuple(found)
