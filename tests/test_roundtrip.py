"""The codec is lossless for every valid case, and every document it writes matches the schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import ipt_core
from ipt_core.boundary.schema import model_for
from ipt_core.testing import cases, sample_case

VALIDATOR = jsonschema.Draft202012Validator(ipt_core.json_schema(ipt_core.Case))


@given(cases())
def test_loads_dumps_round_trip(case: ipt_core.Case) -> None:
    data = ipt_core.dumps(case)
    again = ipt_core.loads(data)
    assert again == case
    assert ipt_core.dumps(again) == data


@given(cases())
def test_every_dumped_case_matches_the_json_schema(case: ipt_core.Case) -> None:
    document = json.loads(ipt_core.dumps(case))
    VALIDATOR.validate(document)


@given(cases())
def test_the_derived_pydantic_model_accepts_every_dumped_case(case: ipt_core.Case) -> None:
    model_for(ipt_core.Case).model_validate_json(ipt_core.dumps(case))


@given(cases())
def test_loads_accepts_str_and_bytearray(case: ipt_core.Case) -> None:
    data = ipt_core.dumps(case)
    assert ipt_core.loads(data.decode("utf-8")) == case
    assert ipt_core.loads(bytearray(data), ipt_core.Case) == case


def test_documents_carry_their_kind_and_version_first() -> None:
    document: dict[str, Any] = json.loads(ipt_core.dumps(sample_case(sessions=2, people=2)))
    assert list(document)[:2] == ["kind", "schema_version"]
    assert document["kind"] == "case"
    assert document["schema_version"] == ipt_core.SCHEMA_VERSION


def test_problem_areas_are_tagged_on_the_wire() -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=4, people=3)))
    focus = document["formulation"]["focus"][0]
    assert focus["area"] == "role_dispute"
    assert document["formulation"]["other_areas"][0]["area"] == "role_transition"


@pytest.mark.parametrize("sessions", [0, 1, 16, 40])
def test_sample_cases_round_trip(sessions: int) -> None:
    case = sample_case(sessions=sessions, people=5, seed=sessions)
    assert ipt_core.loads(ipt_core.dumps(case)) == case


def test_non_root_types_round_trip_without_an_envelope() -> None:
    person = sample_case(sessions=1, people=1).inventory.people[0]
    data = ipt_core.dumps(person)
    assert b'"kind"' not in data
    assert ipt_core.loads(data, ipt_core.Person) == person


def test_dumps_refuses_what_is_not_a_domain_object() -> None:
    with pytest.raises(TypeError):
        ipt_core.dumps({"id": "x"})
