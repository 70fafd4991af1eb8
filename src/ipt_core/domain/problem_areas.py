"""IPT's problem areas, each its own type: the interpersonal problem the treatment works on.

The four areas of the Weissman/Klerman model (grief, role dispute, role transition, interpersonal
deficits) and the two that adaptations add (role insecurity in IPT for social anxiety; grief for the
lost healthy self in IPSRT) form one closed, tagged union, :data:`ProblemArea`; on the wire the tag is
``"area"``. Sources: S1; S5; S7; S8; S12; S24; S27.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Final

import attrs

from ipt_core.domain import _fields as f
from ipt_core.domain.timeline import FuzzyDate, fuzzy_date
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "AREA_TYPES",
    "AreaKind",
    "DisputeStage",
    "Grief",
    "GriefForLostHealthySelf",
    "InterpersonalDeficits",
    "ProblemArea",
    "RoleDispute",
    "RoleInsecurity",
    "RoleTransition",
    "StageChange",
]


class AreaKind(StrEnum):
    """The tag of each problem area (the ``"area"`` key on the wire)."""

    GRIEF = "grief"
    ROLE_DISPUTE = "role_dispute"
    ROLE_TRANSITION = "role_transition"
    INTERPERSONAL_DEFICITS = "interpersonal_deficits"
    ROLE_INSECURITY = "role_insecurity"
    GRIEF_FOR_LOST_HEALTHY_SELF = "grief_for_lost_healthy_self"


class DisputeStage(StrEnum):
    """The stage of a role dispute (Weissman et al., S5; aims S44)."""

    RENEGOTIATION = "renegotiation"
    """Both still talk and try to settle their differences, unsuccessfully."""
    IMPASSE = "impasse"
    """Discussion has stopped; silence, resentment, smouldering conflict."""
    DISSOLUTION = "dissolution"
    """The relationship is irretrievably broken; the work is ending it and mourning it."""


@attrs.frozen(slots=False)
class StageChange:
    """A stage the dispute was assessed to be in, and when."""

    stage: DisputeStage = f.choice(DisputeStage)
    """The stage reached."""
    on: date = f.day()
    """The day it was judged."""
    note: str = f.text()
    """A free note."""


@attrs.frozen(slots=False)
class Grief:
    """Grief: depression following the death of someone important (a death is required;
    other losses are role transitions in the Weissman profile)."""

    KIND: ClassVar[AreaKind] = AreaKind.GRIEF

    id: str = f.ident()
    """The area's id in the case."""
    deceased: str = f.ref("person", description="The person who died (deceased in the inventory).")
    date_of_death: FuzzyDate | None = fuzzy_date(optional=True)
    """When the person died, where known."""
    circumstances: str = f.text()
    """The circumstances of the death."""
    events: tuple[str, ...] = f.refs("event", description="Timeline events this area links to.")
    relationship_reconstruction: tuple[str, ...] = f.texts(
        description="The relationship with the deceased as reconstructed in treatment."
    )
    new_relationships: tuple[str, ...] = f.texts(
        description="Interests and relationships that begin to fill the gap."
    )
    notes: str = f.text()
    """The therapist's free notes."""


@attrs.frozen(slots=False)
class RoleDispute:
    """Role dispute: non-reciprocal expectations between the client and another person."""

    KIND: ClassVar[AreaKind] = AreaKind.ROLE_DISPUTE

    id: str = f.ident()
    """The area's id in the case."""
    other_party: str = f.ref("person", description="The person the dispute is with (alive).")
    stage: DisputeStage = f.choice(DisputeStage)
    """The dispute's current stage."""
    stage_history: tuple[StageChange, ...] = f.items(
        StageChange, description="Each assessment of the stage, oldest first; the last is current."
    )
    sliding_towards: DisputeStage | None = f.choice(
        DisputeStage, optional=True, description="A stage the dispute is drifting towards."
    )
    client_expectations: tuple[str, ...] = f.texts()
    """What the client expects of the other party."""
    other_expectations: tuple[str, ...] = f.texts()
    """What the other party expects of the client."""
    issues: tuple[str, ...] = f.texts(description="What the dispute is about.")
    events: tuple[str, ...] = f.refs("event")
    """Ids of the timeline events linked to the dispute."""
    notes: str = f.text()
    """The therapist's free notes."""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for i in range(1, len(self.stage_history)):
            if self.stage_history[i].on < self.stage_history[i - 1].on:
                problems.append(Problem(f"$.stage_history[{i}].on", ProblemCode.ORDER, "dates go backwards"))
        if self.stage_history and self.stage_history[-1].stage is not self.stage:
            problems.append(
                Problem("$.stage", ProblemCode.INCONSISTENT, "differs from the last recorded stage")
            )
        if problems:
            raise ValidationError(problems)

    def with_stage(self, stage: DisputeStage | str, *, on: date, note: str = "") -> RoleDispute:
        """The dispute assessed at ``stage`` on ``on``; the change joins the history."""
        change = StageChange(stage=f.member_or_given(DisputeStage, stage), on=on, note=note)
        return attrs.evolve(self, stage=change.stage, stage_history=(*self.stage_history, change))


@attrs.frozen(slots=False)
class RoleTransition:
    """Role transition: a change of life role the client struggles with (it may be anticipated)."""

    KIND: ClassVar[AreaKind] = AreaKind.ROLE_TRANSITION

    id: str = f.ident()
    """The area's id in the case."""
    old_role: str = f.label()
    """The role left."""
    new_role: str = f.label()
    """The role taken on."""
    anticipated: bool = f.flag(default=False, description="The change is expected, not yet made.")
    losses: tuple[str, ...] = f.texts(description="What the old role gave that is lost.")
    gains: tuple[str, ...] = f.texts(description="What the new role offers.")
    skills_needed: tuple[str, ...] = f.texts()
    """Skills the new role asks for."""
    supports_needed: tuple[str, ...] = f.texts()
    """Supports the new role asks for."""
    people: tuple[str, ...] = f.refs("person")
    """Ids of the people the transition involves."""
    events: tuple[str, ...] = f.refs("event")
    """Ids of the timeline events linked to it."""
    notes: str = f.text()
    """The therapist's free notes."""


@attrs.frozen(slots=False)
class InterpersonalDeficits:
    """Interpersonal deficits (social isolation): chosen only when no other area applies."""

    KIND: ClassVar[AreaKind] = AreaKind.INTERPERSONAL_DEFICITS

    id: str = f.ident()
    """The area's id in the case."""
    past_patterns: tuple[str, ...] = f.texts(description="Patterns in past relationships.")
    target_relationships: tuple[str, ...] = f.refs("person", description="Relationships to renew or build.")
    goals: tuple[str, ...] = f.texts()
    """The goals agreed for the work."""
    events: tuple[str, ...] = f.refs("event")
    """Ids of the timeline events linked to it."""
    notes: str = f.text()
    """The therapist's free notes."""


@attrs.frozen(slots=False)
class RoleInsecurity:
    """Role insecurity (IPT for social anxiety, Lipsitz): feeling unsure and inadequate in social
    roles, with avoidance."""

    KIND: ClassVar[AreaKind] = AreaKind.ROLE_INSECURITY

    id: str = f.ident()
    """The area's id in the case."""
    feared_situations: tuple[str, ...] = f.texts()
    """Social situations the client fears."""
    avoided_roles: tuple[str, ...] = f.texts()
    """Roles the client avoids."""
    people: tuple[str, ...] = f.refs("person")
    """Ids of the people involved."""
    events: tuple[str, ...] = f.refs("event")
    """Ids of the timeline events linked to it."""
    notes: str = f.text()
    """The therapist's free notes."""


@attrs.frozen(slots=False)
class GriefForLostHealthySelf:
    """Grief for the lost healthy self (IPSRT): mourning the self before the illness."""

    KIND: ClassVar[AreaKind] = AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF

    id: str = f.ident()
    """The area's id in the case."""
    losses: tuple[str, ...] = f.texts(description="What the illness took away.")
    acceptance_goals: tuple[str, ...] = f.texts()
    """The goals for accepting the change."""
    events: tuple[str, ...] = f.refs("event")
    """Ids of the timeline events linked to it."""
    notes: str = f.text()
    """The therapist's free notes."""


ProblemArea = (
    Grief | RoleDispute | RoleTransition | InterpersonalDeficits | RoleInsecurity | GriefForLostHealthySelf
)
"""A problem area: one of the closed set of area types (tag ``"area"`` on the wire)."""

AREA_TYPES: Final[dict[AreaKind, type[ProblemArea]]] = {
    cls.KIND: cls
    for cls in (
        Grief,
        RoleDispute,
        RoleTransition,
        InterpersonalDeficits,
        RoleInsecurity,
        GriefForLostHealthySelf,
    )
}
"""The explicit tag map of the union: the only classes the codec will ever build."""
