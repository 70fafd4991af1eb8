"""Protocols as data: the built-in registry, user protocols as documents, and the case check."""

from __future__ import annotations

import json
from datetime import date

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

from ipt_core import (
    Case,
    Formulation,
    InterpersonalDeficits,
    RoleInsecurity,
    TreatmentContract,
    ValidationError,
    dumps,
    json_schema,
    loads,
    protocols,
)
from ipt_core.domain.course import Phase
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.protocols import PhasePlan, Protocol, SessionPlan
from ipt_core.testing import cases
from ipt_core.testing import protocols as protocol_strategy

REQUIRED_IDS = {
    "standard",
    "stuart",
    "brief",
    "group-who",
    "adolescent",
    "maintenance",
    "ipsrt",
    "ptsd",
    "social-anxiety",
    "telephone",
    "internet-guided",
    "blended",
    "self-guided-8-week",
}


def test_registry_has_every_required_protocol() -> None:
    assert {p.id for p in protocols.all()} >= REQUIRED_IDS
    for protocol_id in REQUIRED_IDS:
        assert protocols.get(protocol_id).id == protocol_id


def test_unknown_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        protocols.get("no-such-protocol")


def test_registry_is_immutable() -> None:
    with pytest.raises(TypeError):
        protocols.BUILTIN_PROTOCOLS["x"] = protocols.get("standard")  # type: ignore[index]


def test_published_numbers() -> None:
    standard = protocols.get("standard")
    assert (standard.sessions.min_sessions, standard.sessions.max_sessions) == (12, 16)
    standard_initial = standard.phase_plan(Phase.INITIAL)
    assert standard_initial is not None
    assert (standard_initial.min_sessions, standard_initial.max_sessions) == (1, 3)
    brief = protocols.get("brief")
    assert brief.sessions.default_sessions == 8
    assert brief.sessions.pre_treatment_sessions == 1
    initial = brief.phase_plan(Phase.INITIAL)
    assert initial is not None
    assert initial.max_sessions == 2
    group = protocols.get("group-who")
    assert group.group is not None
    assert (group.group.min_members, group.group.max_members) == (6, 10)
    assert [(p.phase, p.min_sessions, p.max_sessions) for p in group.phases] == [
        (Phase.PRE_TREATMENT, 1, 1),
        (Phase.INITIAL, 1, 1),
        (Phase.MIDDLE, 6, 6),
        (Phase.TERMINATION, 1, 1),
    ]
    labels = {a.kind: a.lay_label for a in group.areas}
    assert labels[AreaKind.ROLE_TRANSITION].startswith("life changes")
    assert labels[AreaKind.INTERPERSONAL_DEFICITS] == "loneliness/social isolation"
    adolescent = protocols.get("adolescent")
    assert adolescent.ages is not None
    assert (adolescent.ages.min_age, adolescent.ages.max_age) == (12, 18)
    assert len(adolescent.parent_contacts) == 3
    assert adolescent.exclusion_criteria
    assert adolescent.task("sick_role").label == "assign the limited sick role"
    assert protocols.get("ptsd").sessions.default_sessions == 14
    assert protocols.get("maintenance").sessions.frequency.value == "monthly"
    assert protocols.get("ipsrt").allows_focus(AreaKind.GRIEF_FOR_LOST_HEALTHY_SELF)
    assert protocols.get("ipsrt").social_rhythm_metric.used
    assert protocols.get("social-anxiety").allows_focus(AreaKind.ROLE_INSECURITY)
    assert not protocols.get("social-anxiety").allows_focus(AreaKind.INTERPERSONAL_DEFICITS)
    stuart = protocols.get("stuart")
    assert not stuart.allows_focus(AreaKind.INTERPERSONAL_DEFICITS)
    assert stuart.area_option(AreaKind.INTERPERSONAL_DEFICITS) is not None
    guided = protocols.get("self-guided-8-week")
    assert not guided.therapist
    assert guided.mood_tracking.used
    assert guided.self_chosen_focus.used
    assert [m.week for m in guided.modules] == list(range(1, 9))


@pytest.mark.parametrize("protocol", protocols.all(), ids=lambda p: p.id)
def test_every_number_has_a_source(protocol: Protocol) -> None:
    assert protocol.source
    assert protocol.sessions.source
    assert all(p.source for p in protocol.phases)
    assert all(a.source for a in protocol.areas)
    assert all(t.source for t in protocol.tasks)
    assert all(m.source for m in protocol.measures)
    assert protocol.termination_notice.source


@pytest.mark.parametrize("protocol", protocols.all(), ids=lambda p: p.id)
def test_builtin_round_trips_and_matches_schema(protocol: Protocol) -> None:
    data = dumps(protocol)
    assert loads(data, Protocol) == protocol
    jsonschema.validate(json.loads(data), json_schema(Protocol))
    assert json.loads(data)["kind"] == "protocol"


@settings(max_examples=60, deadline=None)
@given(protocol_strategy())
def test_generated_protocols_round_trip(protocol: Protocol) -> None:
    assert loads(dumps(protocol), Protocol) == protocol


def _doc(protocol: Protocol) -> dict[str, object]:
    data: dict[str, object] = json.loads(dumps(protocol))
    return data


def test_negative_sessions_are_refused() -> None:
    doc = _doc(protocols.get("standard"))
    doc["sessions"]["min_sessions"] = -1  # type: ignore[index]
    with pytest.raises(ValidationError) as info:
        loads(json.dumps(doc), Protocol)
    assert any(p.path == "$.sessions.min_sessions" for p in info.value.problems)


def test_phase_longer_than_course_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(
            protocols.get("brief"),
            phases=(
                PhasePlan(Phase.INITIAL, 1, 2),
                PhasePlan(Phase.MIDDLE, 9, None),
                PhasePlan(Phase.TERMINATION),
            ),
        )
    assert "inconsistent" in info.value.codes
    with pytest.raises(ValidationError):
        attrs.evolve(
            protocols.get("brief"),
            phases=(PhasePlan(Phase.INITIAL, 1, 20), PhasePlan(Phase.TERMINATION)),
        )


def test_unknown_area_is_refused() -> None:
    doc = _doc(protocols.get("standard"))
    doc["areas"][0]["kind"] = "astrology"  # type: ignore[index]
    with pytest.raises(ValidationError) as info:
        loads(json.dumps(doc), Protocol)
    assert info.value.problems[0].path == "$.areas[0].kind"
    assert "astrology" not in str(info.value)


def test_inconsistent_session_plan_is_refused() -> None:
    with pytest.raises(ValidationError):
        SessionPlan(10, 8, 9)


def test_user_protocol_round_trips() -> None:
    mine = attrs.evolve(protocols.get("standard"), id="clinic-x", name="Our 10-session IPT")
    mine = attrs.evolve(mine, sessions=attrs.evolve(mine.sessions, min_sessions=10, default_sessions=10))
    assert loads(dumps(mine), Protocol) == mine


def _case(protocol_id: str, *areas: object) -> Case:
    return Case(
        id="c1",
        contract=TreatmentContract(protocol_id=protocol_id, start=date(2025, 1, 6), planned_sessions=14),
        formulation=Formulation(focus=areas),  # type: ignore[arg-type]
    )


def test_case_with_a_focus_its_builtin_protocol_refuses() -> None:
    with pytest.raises(ValidationError) as info:
        _case("standard", RoleInsecurity(id="a1"))
    (problem,) = info.value.problems
    assert problem.code == "not_allowed_by_protocol"
    assert problem.path == "$.formulation.focus[0]"
    with pytest.raises(ValidationError):
        _case("stuart", InterpersonalDeficits(id="a1"))
    assert _case("social-anxiety", RoleInsecurity(id="a1")).focal_areas()


def test_case_with_a_user_protocol_is_not_checked_at_construction() -> None:
    assert _case("clinic-x", RoleInsecurity(id="a1")).protocol_id == "clinic-x"


def test_refused_case_document_reports_the_path() -> None:
    case = _case("social-anxiety", RoleInsecurity(id="a1"))
    doc = json.loads(dumps(case))
    doc["contract"]["protocol_id"] = "standard"
    with pytest.raises(ValidationError) as info:
        loads(json.dumps(doc))
    assert [p.code for p in info.value.problems] == ["not_allowed_by_protocol"]


@settings(max_examples=60, deadline=None)
@given(cases())
def test_generated_cases_respect_their_builtin_protocol(case: Case) -> None:
    if case.protocol_id in protocols.BUILTIN_PROTOCOLS:
        protocol = protocols.get(case.protocol_id)
        assert all(protocol.allows_focus(a.KIND) for a in case.focal_areas())
