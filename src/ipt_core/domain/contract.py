"""The treatment contract: a fixed number of sessions, agreed at the start, changed only on the record."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain._days import day_of
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["Frequency", "Renegotiation", "TreatmentContract"]

_AGREE_BEFORE_START = timedelta(days=365)
"""A contract may be agreed before the first session (e.g. at a pre-group meeting), but not by more
than a year: a sanity bound on data entry, not a clinical rule."""


class Frequency(StrEnum):
    """How often sessions take place."""

    TWICE_WEEKLY = "twice_weekly"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


@attrs.frozen(slots=False)
class Renegotiation:
    """An explicit, recorded change to the contract, with its reason."""

    on: date = f.day()
    """The day the contract was changed."""
    planned_sessions: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    """The number of sessions from then on."""
    reason: str = f.label()
    """Why, in the therapist's words."""
    frequency: Frequency | None = f.choice(Frequency, optional=True)
    """The frequency from then on (null: unchanged)."""


@attrs.frozen(slots=False)
class TreatmentContract:
    """The agreement on format, length and frequency of treatment.

    ``planned_sessions`` and ``frequency`` are what was first agreed; every later change is a
    :class:`Renegotiation` and the current terms are derived from the last one.
    """

    protocol_id: str = f.ident(description="The protocol (format) the treatment follows.")
    start: date = f.day(description="The date treatment starts.")
    planned_sessions: int = f.integer(ge=1, le=f.SESSIONS_MAX)
    """The number of sessions agreed at the start."""
    frequency: Frequency = f.choice(Frequency, default=Frequency.WEEKLY)
    """How often sessions take place."""
    session_minutes: int | None = f.integer(ge=5, le=480, optional=True)
    """The length of a session in minutes, where agreed."""
    agreed_on: date | None = f.day(optional=True, description="When the client agreed to it.")
    renegotiations: tuple[Renegotiation, ...] = f.items(Renegotiation)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if self.agreed_on is not None and self.start - self.agreed_on > _AGREE_BEFORE_START:
            problems.append(Problem("$.agreed_on", ProblemCode.ORDER, "long before treatment started"))
        previous = self.agreed_on or self.start
        for i, change in enumerate(self.renegotiations):
            if self.agreed_on is None:
                problems.append(
                    Problem(
                        f"$.renegotiations[{i}]",
                        ProblemCode.INCONSISTENT,
                        "a contract not yet agreed cannot be renegotiated",
                    )
                )
                break
            if change.on < previous:
                problems.append(Problem(f"$.renegotiations[{i}].on", ProblemCode.ORDER, "dates go backwards"))
            previous = max(previous, change.on)
        if problems:
            raise ValidationError(problems)

    @property
    def agreed(self) -> bool:
        """Whether the client has agreed to the contract."""
        return self.agreed_on is not None

    @property
    def current_sessions(self) -> int:
        """The number of sessions now contracted (after any renegotiation)."""
        return self.renegotiations[-1].planned_sessions if self.renegotiations else self.planned_sessions

    def sessions_on(self, day: date) -> int:
        """The number of sessions contracted on ``day``: a renegotiation dated later does not count
        yet."""
        day = day_of(day, "day")
        sessions = self.planned_sessions
        for change in self.renegotiations:
            if change.on <= day:
                sessions = change.planned_sessions
        return sessions

    @property
    def current_frequency(self) -> Frequency:
        """The session frequency now contracted."""
        for change in reversed(self.renegotiations):
            if change.frequency is not None:
                return change.frequency
        return self.frequency

    def renegotiate(
        self,
        *,
        on: date,
        planned_sessions: int,
        reason: str,
        frequency: Frequency | str | None = None,
    ) -> TreatmentContract:
        """The contract after an explicit renegotiation (the only way its terms change); a problem
        is reported at the place of the new renegotiation in the contract."""
        try:
            change = Renegotiation(
                on=on,
                planned_sessions=planned_sessions,
                reason=reason,
                frequency=_frequency(frequency),
            )
        except ValidationError as error:
            raise error.under(f"$.renegotiations[{len(self.renegotiations)}]") from None
        return attrs.evolve(self, renegotiations=(*self.renegotiations, change))


def _frequency(value: object) -> Any:
    """``value`` as a :class:`Frequency` where it names one; otherwise as given, for the field's
    own check to refuse with the allowed values (and without the value)."""
    try:
        return None if value is None else Frequency(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return value
