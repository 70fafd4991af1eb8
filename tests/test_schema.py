"""The JSON Schema is derived from the model, shipped in the package, and never drifts."""

from __future__ import annotations

import jsonschema

import ipt_core
from ipt_core.boundary.documents import ROOT_KINDS
from ipt_core.boundary.schema import shipped_schema


def test_every_root_schema_is_a_valid_draft_2020_12_schema() -> None:
    for cls in ROOT_KINDS:
        schema = ipt_core.json_schema(cls)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_shipped_schemas_equal_the_derived_ones() -> None:
    # Regenerate with: python -m ipt_core.boundary.schema
    for cls, kind in ROOT_KINDS.items():
        assert shipped_schema(kind) == ipt_core.json_schema(cls), f"{kind} schema is stale"


def test_the_schema_refuses_unknown_keys_and_requires_the_envelope() -> None:
    schema = ipt_core.json_schema(ipt_core.Case)
    assert schema["additionalProperties"] is False
    assert {"kind", "schema_version", "id", "contract"} <= set(schema["required"])
    assert schema["properties"]["kind"]["const"] == "case"


def test_personal_fields_are_marked_sensitive_in_the_schema() -> None:
    person = ipt_core.json_schema(ipt_core.Case)["$defs"]["Person"]["properties"]
    assert person["alias"]["x-ipt-sensitive"] is True
    assert person["notes"]["x-ipt-sensitive"] is True
    assert "x-ipt-sensitive" not in person["category"]


def test_references_are_marked_with_their_target() -> None:
    defs = ipt_core.json_schema(ipt_core.Case)["$defs"]
    assert defs["RoleDispute"]["properties"]["other_party"]["x-ipt-ref"] == "person"
    assert defs["LifeEvent"]["properties"]["people"]["x-ipt-ref"] == "person"


def test_json_schema_returns_a_fresh_copy() -> None:
    first = ipt_core.json_schema()
    first["title"] = "changed"
    assert ipt_core.json_schema()["title"] != "changed"


def test_the_area_union_is_discriminated_by_its_tag() -> None:
    defs = ipt_core.json_schema(ipt_core.Case)["$defs"]
    focus = defs["Formulation"]["properties"]["focus"]["items"]
    assert focus["discriminator"]["propertyName"] == "area"
    assert len(focus["oneOf"]) == len(ipt_core.AreaKind)
