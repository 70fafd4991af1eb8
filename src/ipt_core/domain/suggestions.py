"""Which problem areas a case's evidence points to: the area most closely tied to the onset first.

IPT chooses the area most associated with the onset or maintenance of the episode (S1; S5).
:func:`assess_problem_areas` reads the timeline and the inventory, ties
each piece of evidence to the onset by its date (:class:`~ipt_core.domain.timeline.OnsetWindow`, a
graded setting: anticipated events count by when they are expected), and ranks the areas by that tie,
then by the kind and amount of evidence. The residual area (interpersonal deficits, or role insecurity
in IPT for social anxiety) is offered only when nothing points to another area *and* the inventory
shows impoverished or repeatedly failed relationships (S5 ch.8; S3 p.21; S27); a field left blank is
unknown, never evidence of isolation. Evidence points into the case by path and speaks in ordinal,
general words ("a death 8 months before onset"), never quoting the case's text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

import attrs

from ipt_core.domain._days import setting_of
from ipt_core.domain.case import Case
from ipt_core.domain.inventory import ContactFrequency, Person
from ipt_core.domain.phases import resolve_protocol
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.timeline import (
    DAYS_PER_MONTH,
    DatePrecision,
    EventCategory,
    EventKind,
    LifeEvent,
    OnsetWindow,
)

__all__ = [
    "DEFAULT_SUGGESTION_WINDOW",
    "MAIN_AREAS",
    "RESIDUAL_AREAS",
    "AreaAssessment",
    "AreaSuggestion",
    "Evidence",
    "assess_problem_areas",
    "suggest_problem_areas",
]

DEFAULT_SUGGESTION_WINDOW: Final = OnsetWindow()
"""The onset window suggestions use unless told otherwise (see :class:`OnsetWindow` for its sources)."""
MAIN_AREAS: Final = (AreaKind.GRIEF, AreaKind.ROLE_DISPUTE, AreaKind.ROLE_TRANSITION)
"""The three areas tied to events (S1; S5)."""
RESIDUAL_AREAS: Final = (AreaKind.INTERPERSONAL_DEFICITS, AreaKind.ROLE_INSECURITY)
"""Areas chosen only when no other applies: deficits (S5 ch.8) and role insecurity (S27)."""
REPEATED: Final = 2
"""Relationships that ended or broke off "repeatedly": more than once (S5 ch.8, "repeatedly failed")."""

_NOUNS: Final = {
    EventKind.DEATH: "a death",
    EventKind.DISPUTE_START: "the start of a dispute",
    EventKind.JOB_CHANGE: "a job change",
    EventKind.JOB_LOSS: "a job loss",
    EventKind.MOVE: "a move",
    EventKind.BIRTH: "a birth",
    EventKind.ILLNESS: "an illness",
    EventKind.RETIREMENT: "a retirement",
    EventKind.SEPARATION: "a separation",
    EventKind.MIGRATION: "a migration",
    EventKind.RELATIONSHIP_START: "a new relationship",
    EventKind.EDUCATION: "a change in education",
    EventKind.OTHER_LIFE_CHANGE: "a life change",
    EventKind.OTHER: "an event",
}
_AREAS_OF: Final = {
    EventCategory.DEATH: ((AreaKind.GRIEF, "death"),),
    EventCategory.DISPUTE: ((AreaKind.ROLE_DISPUTE, "dispute"),),
    EventCategory.LIFE_CHANGE: ((AreaKind.ROLE_TRANSITION, "life_change"),),
}


@attrs.frozen
class Evidence:
    """One piece of evidence for a problem area, pointing into the case (never quoting it)."""

    code: str
    """What kind of evidence (``death_near_onset``, ``in_conflict``, ``isolated``, ...)."""
    path: str
    """Where in the case it is (``$.timeline.events[2]``)."""
    text: str
    """An ordinal reason a front end can show: ``a death 8 months before onset``."""
    weight: float = 1.0
    """How closely it is tied to the onset, from 0 to 1 (:class:`OnsetWindow`); residual evidence: 0."""
    months_from_onset: int | None = None
    """Signed months from onset (negative: before); ``None`` when it has no date or there is no onset."""
    anticipated: bool = False
    """An expected or feared event, counted by when it is expected."""
    direct: bool = True
    """Evidence of the area's own kind (a death for grief); ``False``: only pointing towards it."""


@attrs.frozen
class AreaSuggestion:
    """A problem area the case's evidence points to, with the evidence and the protocol's labels."""

    kind: AreaKind
    label: str
    lay_label: str
    evidence: tuple[Evidence, ...]
    """Strongest tie to onset first."""
    reason: str = ""
    """Why, in words a front end can show: the strongest evidence's text."""
    weight: float = 0.0
    """The strongest tie to onset among the evidence (0 for a residual area)."""
    rank: int = 0
    """Its place among the suggestions, 1 first."""
    residual: bool = False
    """A residual area, offered because nothing points elsewhere."""


@attrs.frozen
class AreaAssessment:
    """The suggested areas, best first, and what is not yet recorded that would inform the choice."""

    suggestions: tuple[AreaSuggestion, ...]
    gaps: tuple[Evidence, ...]
    """Missing records (no onset, supportiveness left blank, an empty inventory), each with a path."""

    @property
    def insufficient(self) -> bool:
        """No area can be suggested from what is recorded."""
        return not self.suggestions

    @property
    def reason(self) -> str:
        """The first suggestion's reason, or why the evidence is insufficient to judge."""
        if self.suggestions:
            return self.suggestions[0].reason
        if self.gaps:
            return "insufficient evidence to judge: " + "; ".join(g.text for g in self.gaps)
        return "insufficient evidence to judge: nothing recorded points to a problem area"


def suggest_problem_areas(
    case: Case, protocol: Protocol | None = None, *, window: OnsetWindow = DEFAULT_SUGGESTION_WINDOW
) -> list[AreaSuggestion]:
    """Problem areas the timeline and the inventory point to, most closely tied to the onset first.

    A death points to grief (an expected one, to a role transition: grief needs a death), the
    start of a dispute or a relationship in conflict to a role dispute, a life change to a role
    transition (an illness also to grief for the lost healthy self where IPSRT allows it), each
    weighed by how close its date is to the onset (``window``); the residual area only when none of
    these applies and the inventory shows isolation or repeatedly failed relationships (S5 ch.8;
    S27). Only areas the protocol allows as a focus are suggested. See
    :func:`assess_problem_areas` for what is missing when nothing can be suggested.
    """
    return list(assess_problem_areas(case, protocol, window=window).suggestions)


def assess_problem_areas(
    case: Case, protocol: Protocol | None = None, *, window: OnsetWindow = DEFAULT_SUGGESTION_WINDOW
) -> AreaAssessment:
    """The suggestions of :func:`suggest_problem_areas`, with the gaps in what is recorded.

    The result does not depend on the order people or events were entered (apart from the paths
    that point to them): evidence and areas are ranked by their content, then by id and enum order.
    """
    used, _ = resolve_protocol(case, protocol)
    window = setting_of(window, OnsetWindow, "window", "an OnsetWindow, such as OnsetWindow()")
    allowed = used.focus_kinds()
    found: dict[AreaKind, list[tuple[Evidence, str, int | None]]] = {k: [] for k in AreaKind}
    for kind, item, record, days in (*_event_evidence(case, window), *_people_evidence(case, window)):
        if item.weight > 0:
            found[kind].append((item, record, days))

    gaps = _gaps(case)
    residual = not any(found[k] for k in AreaKind if k not in RESIDUAL_AREAS)
    if residual:
        for kind in RESIDUAL_AREAS:
            found[kind].extend((e, "", None) for e in _residual_evidence(case, window))

    ranked: list[tuple[tuple[object, ...], AreaSuggestion]] = []
    for order, kind in enumerate(AreaKind):
        items = sorted(found[kind], key=_evidence_key)
        option = used.area_option(kind)
        if not items or kind not in allowed or option is None:
            continue
        evidence = tuple(e for e, _, _ in items)
        top = evidence[0]
        closest = min((abs(d) for e, _, d in items if d is not None and e.weight == top.weight), default=None)
        key = (
            -top.weight,
            math.inf if closest is None else closest,
            not any(e.direct for e in evidence if e.weight == top.weight),
            -math.fsum(sorted(e.weight for e in evidence)),
            -len(evidence),
            order,
        )
        reason = "; ".join(e.text for e in evidence) if kind in RESIDUAL_AREAS else top.text
        suggestion = AreaSuggestion(
            kind, option.label, option.lay_label, evidence, reason, top.weight, 0, kind in RESIDUAL_AREAS
        )
        ranked.append((key, suggestion))
    ranked.sort(key=lambda pair: pair[0])
    suggestions = tuple(attrs.evolve(s, rank=n) for n, (_, s) in enumerate(ranked, start=1))
    return AreaAssessment(suggestions, gaps)


def _evidence_key(item: tuple[Evidence, str, int | None]) -> tuple[object, ...]:
    evidence, record, days = item
    return (
        -evidence.weight,
        not evidence.direct,
        math.inf if days is None else abs(days),
        evidence.code,
        record,
    )


def _event_evidence(case: Case, window: OnsetWindow) -> Iterable[tuple[AreaKind, Evidence, str, int | None]]:
    onset = case.timeline.onset
    for i, event in enumerate(case.timeline.events):
        areas = _AREAS_OF.get(event.category, ())
        if event.category is EventCategory.DEATH and event.anticipated:
            # Grief needs a death (S46; S3): an expected one is a transition.
            areas = _AREAS_OF[EventCategory.LIFE_CHANGE]
        if event.kind is EventKind.ILLNESS:
            areas = (*areas, (AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF, "illness"))
        if not areas:
            continue
        path = f"$.timeline.events[{i}]"
        if onset is None:
            text = f"{_phrase(event)} (the onset is not recorded)"
            for kind, stem in areas:
                yield (
                    kind,
                    Evidence(f"{stem}_undated", path, text, window.undated, None, event.anticipated),
                    event.id,
                    None,
                )
            continue
        tie = window.tie(event.when, onset)
        about = _approximate(event, case)
        same_year = event.when.overlaps(onset) and DatePrecision.YEAR in (
            event.when.precision,
            onset.precision,
        )
        when = "in the same year as the onset" if same_year else _when(tie.days, tie.months, about)
        text = f"{_phrase(event)} {when}"
        for kind, stem in areas:
            code = f"{stem}_near_onset" if tie.within else f"{stem}_outside_window"
            yield (
                kind,
                Evidence(code, path, text, tie.weight, tie.months, event.anticipated),
                event.id,
                tie.days,
            )


def _people_evidence(case: Case, window: OnsetWindow) -> Iterable[tuple[AreaKind, Evidence, str, int | None]]:
    for i, person in enumerate(case.inventory.people):
        path = f"$.inventory.people[{i}]"
        near = person.changed_near_onset is True
        # "Changed around the onset" has no date of its own: full weight, but no place in time.
        weight = 1.0 if near else window.undated
        months = days = None
        at = " that changed around the onset" if near else ""
        if person.deceased:
            if near:
                text = "an important person died around the onset"
                yield AreaKind.GRIEF, Evidence("loss_near_onset", path, text, 1.0), person.id, None
            continue
        unmet = any(e.met is False for e in (*person.client_expectations, *person.other_expectations))
        if person.in_conflict and unmet:
            text = f"a relationship in conflict with unmet expectations{at}"
            evidence = Evidence("non_reciprocal_expectations", path, text, weight, months)
        elif person.in_conflict:
            text = f"a relationship in conflict{at}"
            evidence = Evidence("in_conflict", path, text, weight, months, direct=False)
        elif unmet and near:
            text = "unmet expectations in a relationship that changed around the onset"
            evidence = Evidence("expectations_changed", path, text, 1.0, direct=False)
        else:
            continue
        yield AreaKind.ROLE_DISPUTE, evidence, person.id, days


def _residual_evidence(case: Case, window: OnsetWindow) -> tuple[Evidence, ...]:
    """Evidence for a residual area, or nothing when the inventory does not show it."""
    summary = case.inventory.summary()
    failed = _failed_relationships(case)
    if summary.isolation is not True and failed < REPEATED:
        return ()
    found: list[Evidence] = []
    if case.timeline.onset is not None:
        months = round(window.before_limit.days / DAYS_PER_MONTH)
        text = f"no death, dispute or life change within {months} months of the onset"
        found.append(Evidence("no_event_near_onset", "$.timeline", text, 0.0))
    if summary.isolation is True:
        text = f"no supportive person or confidant among the {summary.people} people in the inventory"
        found.append(Evidence("isolated", "$.inventory", text, 0.0))
    if failed >= REPEATED:
        text = f"{failed} relationships ended or broken off"
        found.append(Evidence("repeated_failed_relationships", "$.inventory", text, 0.0))
    return tuple(found)


def _failed_relationships(case: Case) -> int:
    """Relationships that ended (a separation on the timeline) or broke off (a living person with no
    contact), each person counted once."""
    separations = [e for e in case.timeline.events if e.kind is EventKind.SEPARATION and not e.anticipated]
    involved = {p for e in separations for p in e.people}
    estranged = [p for p in case.inventory.people if _estranged(p) and p.id not in involved]
    return len(separations) + len(estranged)


def _estranged(person: Person) -> bool:
    return not person.deceased and person.contact_frequency is ContactFrequency.NO_CONTACT


def _gaps(case: Case) -> tuple[Evidence, ...]:
    gaps: list[Evidence] = []
    if case.timeline.onset is None:
        gaps.append(
            Evidence("onset_unknown", "$.timeline.onset", "the onset of the episode is not recorded", 0.0)
        )
    summary = case.inventory.summary()
    if summary.people == 0:
        gaps.append(Evidence("inventory_empty", "$.inventory.people", "no one is in the inventory yet", 0.0))
    elif summary.isolation is None:
        n = summary.supportive_unknown
        text = f"whether {n} {'person is' if n == 1 else 'people are'} supportive is not recorded"
        gaps.append(Evidence("supportiveness_unknown", "$.inventory.people", text, 0.0))
    return tuple(gaps)


def _phrase(event: LifeEvent) -> str:
    noun = _NOUNS[event.kind]
    return f"{noun} expected" if event.anticipated else noun


def _approximate(event: LifeEvent, case: Case) -> bool:
    onset = case.timeline.onset
    dates = (event.when,) if onset is None else (event.when, onset)
    return any(d.circa or d.precision is DatePrecision.YEAR for d in dates)


def _when(days: int, months: int, about: bool) -> str:
    if days == 0:
        return "around the onset"
    side = "before" if days < 0 else "after"
    if months == 0:
        return f"in the weeks {side} onset"
    n = abs(months)
    return f"{'about ' if about else ''}{n} month{'s' if n != 1 else ''} {side} onset"
