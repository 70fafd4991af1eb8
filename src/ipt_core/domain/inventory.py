"""The interpersonal inventory: the important people in the client's life and how each relationship is.

Every person here is a third party whose details are personal data, so people are held under an
alias the user chooses (never a required real name) and every descriptive field is marked sensitive.
"""

from __future__ import annotations

import operator
from collections import Counter
from enum import StrEnum

import attrs

from ipt_core.domain import _fields as f
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "ContactFrequency",
    "Expectation",
    "InterpersonalInventory",
    "NetworkSummary",
    "Person",
    "RelationshipCategory",
]

DEFAULT_RINGS = 3
"""Rings of the closeness circle by default (centre = the client): a setting; closeness circle of
Dietz, Weinberg & Mufson 2018 (S17, three concentric circles)."""
MAX_RINGS = 4
"""Four rings are allowed where a service uses a finer circle (S18: a centre and 3-4 circles)."""

_RING = operator.attrgetter("ring")
_RINGS_UP_TO = {n: frozenset({None, *range(1, n + 1)}) for n in range(DEFAULT_RINGS, MAX_RINGS + 1)}
"""For each allowed number of rings, the rings a person may be in (``None``: not placed)."""


class RelationshipCategory(StrEnum):
    """What the person is to the client."""

    PARTNER = "partner"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    OTHER_FAMILY = "other_family"
    FRIEND = "friend"
    COLLEAGUE = "colleague"
    SUPERVISOR = "supervisor"
    ACQUAINTANCE = "acquaintance"
    OTHER = "other"


class ContactFrequency(StrEnum):
    """How often the client and the person are in contact."""

    DAILY = "daily"
    SEVERAL_TIMES_A_WEEK = "several_times_a_week"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    LESS_THAN_MONTHLY = "less_than_monthly"
    NO_CONTACT = "no_contact"


@attrs.frozen(slots=False)
class Expectation:
    """One expectation in a relationship and whether it is being met (``None``: not yet known)."""

    text: str = f.label()
    """The expectation in words."""
    met: bool | None = f.flag()
    """Whether it is met (null: not assessed)."""


@attrs.frozen(slots=False)
class Person:
    """One important person in the client's life, as the client describes the relationship."""

    id: str = f.ident()
    """The person's id in the case (not a name)."""
    alias: str = f.alias(description="A name the user chooses; need not be the real name.")
    category: RelationshipCategory = f.choice(RelationshipCategory)
    """What the person is to the client."""
    ring: int | None = f.integer(
        ge=1, le=MAX_RINGS, optional=True, description="Closeness ring, 1 = closest to the client."
    )
    deceased: bool = f.flag(default=False)
    """Whether the person has died (a grief focus needs this)."""
    contact_frequency: ContactFrequency | None = f.choice(ContactFrequency, optional=True)
    """How often they are in contact."""
    shared_activities: tuple[str, ...] = f.texts()
    """What they do together."""
    satisfying: tuple[str, ...] = f.texts(description="Satisfying aspects of the relationship.")
    unsatisfying: tuple[str, ...] = f.texts(description="Unsatisfying aspects of the relationship.")
    client_expectations: tuple[Expectation, ...] = f.items(Expectation)
    other_expectations: tuple[Expectation, ...] = f.items(Expectation)
    wished_changes: tuple[str, ...] = f.texts()
    """What the client would like to change in the relationship."""
    supportive: bool | None = f.flag()
    """Whether the person supports the client (null: not assessed)."""
    confidant: bool | None = f.flag()
    """Whether the client confides in the person (null: not assessed)."""
    in_conflict: bool | None = f.flag()
    """Whether the relationship is in conflict (null: not assessed)."""
    knows_about_difficulties: bool | None = f.flag()
    """Whether the person knows about the client's difficulties (null: not assessed)."""
    changed_near_onset: bool | None = f.flag()
    """Whether the relationship changed near the onset of the episode (null: not assessed)."""
    notes: str = f.text()
    """The therapist's free notes on the relationship."""


@attrs.frozen(slots=False)
class NetworkSummary:
    """Counts that describe the client's network at a glance (no personal data)."""

    people: int
    by_category: dict[str, int]
    by_ring: dict[int, int]
    unplaced: int
    supportive: int
    confidants: int
    in_conflict: int
    deceased: int
    know_about_difficulties: int
    changed_near_onset: int
    supportive_unknown: int = 0
    """Living people whose supportiveness is left blank and who are not confidants: unknown, not absent."""

    @property
    def isolation(self) -> bool | None:
        """Whether the inventory shows isolation: ``None`` when it cannot be judged.

        ``False`` when a living person is supportive or a confidant; ``True`` when the inventory
        lists people and no living one is, with supportiveness recorded for each of them; ``None``
        when nobody is listed or a living person's supportiveness is left blank (a blank field is
        unknown, not absent).
        """
        if self.supportive or self.confidants:
            return False
        if self.people == 0 or self.supportive_unknown:
            return None
        return True

    @property
    def isolated(self) -> bool:
        """The inventory shows isolation (:attr:`isolation` is ``True``): a pointer towards deficits.

        Supportiveness left blank never counts as isolation.
        """
        return self.isolation is True


@attrs.frozen(slots=False)
class InterpersonalInventory:
    """The important people, with a closeness circle of ``rings`` rings around the client."""

    people: tuple[Person, ...] = f.items(Person)
    rings: int = f.integer(ge=DEFAULT_RINGS, le=MAX_RINGS, default=DEFAULT_RINGS)
    """The number of rings of the closeness circle (3, or 4 where a service uses a finer circle)."""

    def __attrs_post_init__(self) -> None:
        people, rings = self.people, self.rings
        problems = f.duplicates(list(map(f.ID_OF, people)), "$.people[{}].id")
        if not _RINGS_UP_TO.get(rings, frozenset()).issuperset(map(_RING, people)):
            problems.extend(
                Problem(f"$.people[{i}].ring", ProblemCode.OUT_OF_RANGE, "beyond the circle's rings")
                for i, p in enumerate(people)
                if p.ring is not None and p.ring > rings
            )
        if problems:
            raise ValidationError(problems)

    def __len__(self) -> int:
        return len(self.people)

    def __repr__(self) -> str:
        """A short form: the number of people and rings (each person's own repr hides their alias)."""
        return f"InterpersonalInventory(people={len(self.people)}, rings={self.rings})"

    def person(self, person_id: str) -> Person:
        """The person with this id (``KeyError`` if there is none)."""
        for person in self.people:
            if person.id == person_id:
                return person
        raise KeyError(person_id)

    def ids(self) -> frozenset[str]:
        """The ids of everyone in the inventory."""
        return frozenset(map(f.ID_OF, self.people))

    def circle(self) -> dict[int, tuple[Person, ...]]:
        """The closeness circle ring by ring, ring 1 (closest) first; every ring is present."""
        return {ring: tuple(p for p in self.people if p.ring == ring) for ring in range(1, self.rings + 1)}

    def unplaced(self) -> tuple[Person, ...]:
        """People not yet placed in a ring."""
        return tuple(p for p in self.people if p.ring is None)

    def living(self) -> tuple[Person, ...]:
        """People who are alive."""
        return tuple(p for p in self.people if not p.deceased)

    def supporters(self) -> tuple[Person, ...]:
        """Living people the client finds supportive."""
        return tuple(p for p in self.people if p.supportive and not p.deceased)

    def confidants(self) -> tuple[Person, ...]:
        """Living people the client confides in."""
        return tuple(p for p in self.people if p.confidant and not p.deceased)

    def in_conflict(self) -> tuple[Person, ...]:
        """Living people the client is in conflict with."""
        return tuple(p for p in self.people if p.in_conflict and not p.deceased)

    def deceased(self) -> tuple[Person, ...]:
        """People who have died."""
        return tuple(p for p in self.people if p.deceased)

    def changed_near_onset(self) -> tuple[Person, ...]:
        """People whose relationship with the client changed near the onset of the episode."""
        return tuple(p for p in self.people if p.changed_near_onset)

    def summary(self) -> NetworkSummary:
        """Counts of the network by category, ring and role."""
        categories = Counter(p.category.value for p in self.people)
        rings = Counter(p.ring for p in self.people if p.ring is not None)
        return NetworkSummary(
            people=len(self.people),
            by_category={c.value: categories[c.value] for c in RelationshipCategory},
            by_ring={ring: rings[ring] for ring in range(1, self.rings + 1)},
            unplaced=len(self.unplaced()),
            supportive=len(self.supporters()),
            confidants=len(self.confidants()),
            in_conflict=len(self.in_conflict()),
            deceased=len(self.deceased()),
            know_about_difficulties=sum(1 for p in self.living() if p.knows_about_difficulties),
            changed_near_onset=len(self.changed_near_onset()),
            supportive_unknown=sum(1 for p in self.living() if p.supportive is None and not p.confidant),
        )

    def with_person(self, person: Person) -> InterpersonalInventory:
        """The inventory with ``person`` added, or replacing the person with the same id."""
        if not isinstance(person, Person):  # refused by the list's own check, at its place
            return attrs.evolve(self, people=(*self.people, person))
        kept = tuple(p for p in self.people if p.id != person.id)
        if len(kept) == len(self.people):
            return attrs.evolve(self, people=(*self.people, person))
        return attrs.evolve(self, people=tuple(person if p.id == person.id else p for p in self.people))
