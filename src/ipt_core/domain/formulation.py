"""The interpersonal formulation: the link the therapist proposes between the episode and a problem area.

The client's agreement to it is the gate into the middle phase (S4 ch. 5; S3).
"""

from __future__ import annotations

from datetime import date

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["MAX_FOCAL_AREAS", "Formulation"]

MAX_FOCAL_AREAS = 2
"""One focal area by default, two at most where the protocol allows (a setting: S5 says to try to focus
on one; "at most two" is not verified as a rule in the manuals, so protocols may set a lower limit)."""

_AREA_CLASSES = tuple(AREA_TYPES.values())


@attrs.frozen(slots=False)
class Formulation:
    """Diagnosis, the evidence of severity, the focal problem area(s) and the linking statement."""

    diagnosis: str = f.text(max_length=f.LABEL_MAX, description="The working diagnosis.")
    severity_evidence: str = f.text(description="What shows the severity (e.g. a rating scale).")
    focus: tuple[ProblemArea, ...] = f.items(
        _AREA_CLASSES, max_items=MAX_FOCAL_AREAS, description="The focal problem area(s)."
    )
    other_areas: tuple[ProblemArea, ...] = f.items(
        _AREA_CLASSES, description="Areas noted but not chosen as the focus."
    )
    linking_statement: str = f.text(description="How the episode is linked to the interpersonal situation.")
    presented_on: date | None = f.day(optional=True)
    """When the therapist presented the formulation to the client."""
    agreed_on: date | None = f.day(optional=True, description="When the client agreed to it.")

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if self.agreed_on is not None:
            if self.presented_on is None:
                problems.append(
                    Problem("$.agreed_on", ProblemCode.INCONSISTENT, "agreed but never presented")
                )
            elif self.agreed_on < self.presented_on:
                problems.append(Problem("$.agreed_on", ProblemCode.ORDER, "agreed before it was presented"))
            if not self.focus:
                problems.append(Problem("$.focus", ProblemCode.INCONSISTENT, "agreed without a focal area"))
        if problems:
            raise ValidationError(problems)

    @property
    def agreed(self) -> bool:
        """Whether the client has agreed to the formulation."""
        return self.agreed_on is not None

    def areas(self) -> tuple[ProblemArea, ...]:
        """The focal areas, then the other noted areas."""
        return (*self.focus, *self.other_areas)
