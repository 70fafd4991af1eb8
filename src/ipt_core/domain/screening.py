"""Screening for a protocol's exclusion criteria: one record per criterion screened, with its result.

A protocol lists the reasons it is not indicated (IPT-A: acute suicidality, psychosis, bipolar
disorder, ...; :class:`~ipt_core.domain.protocols.ExclusionCriterion`). A case records each screen
as a :class:`Screening`: the criterion's id, the result (present, absent or unknown) and the day.
The latest result on or before a day counts; a record dated later does not count yet.
:func:`screening_status` reads them against the protocol: a present criterion means the protocol
is not indicated and the client is referred on (alternative treatment); an unknown or unscreened
one keeps the screen open.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain._days import case_of, day_of, setting_of
from ipt_core.errors import Problem, ProblemCode

if TYPE_CHECKING:
    from ipt_core.domain.case import Case
    from ipt_core.domain.protocols import Protocol

__all__ = ["CriterionStatus", "ScreenResult", "Screening", "screening_problems", "screening_status"]


class ScreenResult(StrEnum):
    """The result of screening for one exclusion criterion."""

    PRESENT = "present"
    """The criterion applies: the protocol is not indicated; refer on."""
    ABSENT = "absent"
    UNKNOWN = "unknown"
    """Screened without a conclusion: still to be settled before treatment goes on."""


@attrs.frozen(slots=False)
class Screening:
    """One screen for one of the protocol's exclusion criteria (an enrolment screen, not a
    diagnosis)."""

    criterion: str = f.ident(description="The id of one of the protocol's exclusion criteria.")
    result: ScreenResult = f.choice(ScreenResult)
    on: date = f.day(description="The day of the screen; before it the result does not count.")


@attrs.frozen
class CriterionStatus:
    """Where one exclusion criterion of the protocol stands for a case on a day."""

    criterion: str
    label: str
    result: ScreenResult | None
    """The latest result on or before the day; ``None`` when not screened by then."""
    on: date | None = attrs.field(repr=False)
    """The day of that result (sensitive: left out of the ``repr``, as the case's dates are)."""
    path: str
    """Where the result is recorded (``$.screening[2]``), or would be (``$.screening``)."""
    source: str

    @property
    def settled(self) -> bool:
        """Whether the screen has a conclusion (present or absent)."""
        return self.result in (ScreenResult.PRESENT, ScreenResult.ABSENT)


def screening_status(case: Case, protocol: Protocol, *, today: date) -> tuple[CriterionStatus, ...]:
    """Each exclusion criterion of ``protocol`` with the latest result ``case`` records for it on or
    before ``today``."""
    from ipt_core.domain.protocols import Protocol  # noqa: PLC0415 - protocols imports this module

    case, today = case_of(case), day_of(today)
    protocol = setting_of(protocol, Protocol, "protocol", "a Protocol, such as protocols.get('adolescent')")
    latest: dict[str, tuple[int, Screening]] = {}
    for i, record in enumerate(case.screening):
        if record.on > today:
            continue
        seen = latest.get(record.criterion)
        if seen is None or record.on >= seen[1].on:
            latest[record.criterion] = (i, record)
    found: list[CriterionStatus] = []
    for criterion in protocol.exclusion_criteria:
        hit = latest.get(criterion.id)
        if hit is None:
            found.append(
                CriterionStatus(criterion.id, criterion.label, None, None, "$.screening", criterion.source)
            )
        else:
            i, record = hit
            found.append(
                CriterionStatus(
                    criterion.id,
                    criterion.label,
                    record.result,
                    record.on,
                    f"$.screening[{i}]",
                    criterion.source,
                )
            )
    return tuple(found)


def screening_problems(
    screening: tuple[Screening, ...], protocol: Protocol, *, today: date | None = None
) -> list[Problem]:
    """A problem for every screening record naming a criterion ``protocol`` does not list (with
    ``today``, only records dated on or before it)."""
    known = {c.id for c in protocol.exclusion_criteria}
    return [
        Problem(
            f"$.screening[{i}].criterion",
            ProblemCode.DANGLING_REFERENCE,
            "not an exclusion criterion of the case's protocol",
        )
        for i, record in enumerate(screening)
        if record.criterion not in known and (today is None or record.on <= today)
    ]
