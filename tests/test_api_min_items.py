"""A list field that may not be empty says so everywhere: validation, the schema, the TypeScript types.

A protocol plans at least an initial and a termination phase and offers at least one problem area,
so ``loads`` refuses an empty ``phases`` or ``areas``. The JSON Schema used to give both a default of
``[]``, a document the schema accepted and ``loads`` refused. The least number of items is now part of
the field's :class:`~ipt_core.domain._fields.Spec` (``min_items``), read by construction, the schema
(``minItems``, and the key is required) and the reference docs.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import ProblemCode, Protocol, ValidationError
from ipt_core.domain import _fields as f
from ipt_core.testing import protocols

ROOT = Path(__file__).resolve().parent.parent
_PROTOCOL_SCHEMA = ipt_core.json_schema(Protocol)
_VALIDATOR = jsonschema.Draft202012Validator(
    _PROTOCOL_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)

_PROTOCOL_RULES = {ProblemCode.MISSING, ProblemCode.TOO_SHORT, ProblemCode.INCONSISTENT, ProblemCode.ORDER}
"""A protocol's own rules between its items (an initial and a termination phase, an area that may be
the focus, tasks in a planned phase), which a JSON Schema does not state."""


def _min_items(cls: type[Any], name: str) -> int | None:
    spec = f.spec_of(attrs.fields_dict(cls)[name])
    assert spec is not None
    return spec.min_items


def test_the_spec_of_a_protocols_phases_and_areas_gives_their_least_length() -> None:
    assert _min_items(Protocol, "phases") == 2  # an initial and a termination phase
    assert _min_items(Protocol, "areas") == 1  # an area that may be the focus


@pytest.mark.parametrize(("name", "least"), [("phases", 2), ("areas", 1)])
def test_the_schema_requires_the_list_and_states_its_least_length(name: str, least: int) -> None:
    prop = _PROTOCOL_SCHEMA["properties"][name]
    assert prop["minItems"] == least
    assert "default" not in prop
    assert name in _PROTOCOL_SCHEMA["required"]


def test_the_shipped_protocol_schema_says_the_same() -> None:
    shipped = json.loads((ROOT / "src/ipt_core/schemas/protocol.v1.schema.json").read_text("utf-8"))
    assert shipped["properties"]["phases"]["minItems"] == 2
    assert {"phases", "areas"} <= set(shipped["required"])


def test_the_typescript_types_require_the_lists_with_their_least_length() -> None:
    types = (ROOT / "js/types/protocol.v1.d.ts").read_text("utf-8")
    assert "phases: [PhasePlan, PhasePlan, ...PhasePlan[]];" in types
    assert "areas: [AreaOption, ...AreaOption[]];" in types


@pytest.mark.parametrize("name", ["phases", "areas"])
def test_building_a_protocol_with_an_empty_list_is_too_short_at_its_path(name: str) -> None:
    standard = ipt_core.protocols.get("standard")
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(standard, **{name: ()})  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in caught.value.problems] == [(f"$.{name}", ProblemCode.TOO_SHORT)]
    assert "item" in caught.value.problems[0].message


@pytest.mark.parametrize("name", ["phases", "areas"])
@pytest.mark.parametrize("delete", [False, True])
def test_loads_and_the_schema_both_refuse_an_empty_or_absent_list(name: str, delete: bool) -> None:
    document = json.loads(ipt_core.dumps(ipt_core.protocols.get("standard")))
    if delete:
        del document[name]
    else:
        document[name] = []
    assert not _VALIDATOR.is_valid(document)
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(json.dumps(document), Protocol)
    assert ("$." + name, ProblemCode.TOO_SHORT) in [(p.path, p.code) for p in caught.value.problems]


def test_the_reference_docs_give_the_least_length() -> None:
    model = (ROOT / "docs/reference/model.md").read_text("utf-8")
    assert "at least 2 items" in model


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(protocols(), st.data())
def test_the_schema_and_loads_agree_on_a_protocols_phases_and_areas(
    protocol: Protocol, data: st.DataObject
) -> None:
    """Any sub-list of the phases or areas, or none at all: the schema never refuses what ``loads``
    accepts, and what it accepts ``loads`` refuses only for a rule between items."""
    document = json.loads(ipt_core.dumps(protocol))
    name = data.draw(st.sampled_from(["phases", "areas"]), label="field")
    changed = copy.deepcopy(document)
    if data.draw(st.booleans(), label="delete"):
        del changed[name]
    else:
        kept = data.draw(st.lists(st.sampled_from(range(len(document[name]))), unique=True), label="kept")
        changed[name] = [document[name][i] for i in sorted(kept)]
    schema_accepts = _VALIDATOR.is_valid(changed)
    try:
        loaded = ipt_core.loads(json.dumps(changed), Protocol)
    except ValidationError as error:
        problems = error.problems
        assert all("$." in p.path for p in problems)
        least = _min_items(Protocol, name) or 0
        if name not in changed or len(changed[name]) < least:
            assert not schema_accepts
            assert [(p.path, p.code) for p in problems] == [(f"$.{name}", ProblemCode.TOO_SHORT)]
        elif schema_accepts:
            assert {p.code for p in problems} <= _PROTOCOL_RULES, [str(p) for p in problems]
    else:
        assert schema_accepts, "loads accepted a protocol the schema refuses"
        assert len(getattr(loaded, name)) >= (_min_items(Protocol, name) or 0)


@settings(max_examples=60, deadline=None)
@given(protocols())
def test_drawn_protocols_hold_at_least_the_least_number_of_items(protocol: Protocol) -> None:
    for field in attrs.fields(Protocol):
        spec = f.spec_of(field)
        if spec is not None and spec.min_items is not None:
            assert len(getattr(protocol, field.name)) >= spec.min_items, field.name
