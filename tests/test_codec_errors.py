"""Whatever loads is fed, only ValidationError comes out, with paths and codes and no input values."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import assert_no_leak
from ipt_core import ProblemCode, ValidationError
from ipt_core.testing import any_value, cases, sample_case

SENTINEL = "Zq7SENTINELxx"


def _assert_no_leak(exc: ValidationError, secret: str) -> None:
    assert_no_leak(exc, secret)
    assert exc.__cause__ is None
    assert exc.__context__ is None


def _load_error(data: bytes | str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(data)
    return excinfo.value


@given(st.binary(max_size=300))
def test_random_bytes_raise_only_validation_error(data: bytes) -> None:
    problems: tuple[ipt_core.Problem, ...] = ()
    try:
        ipt_core.loads(data)
    except ValidationError as exc:
        problems = exc.problems
    else:
        pytest.fail("random bytes were accepted as a case")
    assert problems
    assert all(p.path.startswith("$") for p in problems)


@given(any_value())
def test_random_json_raises_only_validation_error(value: Any) -> None:
    with pytest.raises(ValidationError):
        ipt_core.loads(json.dumps(value))


@given(cases(max_sessions=3), st.data())
def test_truncated_documents_raise_only_validation_error(case: ipt_core.Case, data: st.DataObject) -> None:
    document = ipt_core.dumps(case)
    cut = data.draw(st.integers(0, len(document) - 1))
    error = _load_error(document[:cut])
    assert error.codes <= {ProblemCode.INVALID_JSON}


def _paths_to_scalars(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths_to_scalars(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _paths_to_scalars(v, (*path, i))]
    return [path]


def _set(document: Any, path: tuple[Any, ...], new: Any) -> None:
    for key in path[:-1]:
        document = document[key]
    document[path[-1]] = new


def _json_path(path: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)


@given(cases(max_sessions=3), st.data())
def test_a_wrong_type_anywhere_is_reported_at_its_path(case: ipt_core.Case, data: st.DataObject) -> None:
    document = json.loads(ipt_core.dumps(case))
    paths = [p for p in _paths_to_scalars(document) if p[0] not in ("kind", "schema_version")]
    path = data.draw(st.sampled_from(paths))
    old = _lookup(document, path)
    # A value of another JSON type than the one there; None is allowed where fields are optional.
    new = data.draw(
        st.sampled_from([[SENTINEL], {"x": SENTINEL}, 1.5]).filter(lambda v: type(v) is not type(old))
    )
    _set(document, path, new)
    error = _load_error(json.dumps(document))
    target = _json_path(path)
    assert any(target.startswith(p.path) for p in error.problems), (target, error.problems)
    _assert_no_leak(error, SENTINEL)


def _lookup(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


@given(cases(max_sessions=3), st.data())
def test_unknown_keys_are_refused_without_naming_them(case: ipt_core.Case, data: st.DataObject) -> None:
    document = json.loads(ipt_core.dumps(case))
    objects = _object_paths(document)
    path = data.draw(st.sampled_from(objects))
    target = _lookup(document, path) if path else document
    target[SENTINEL] = SENTINEL
    error = _load_error(json.dumps(document))
    assert ProblemCode.UNKNOWN_KEY in error.codes
    _assert_no_leak(error, SENTINEL)


def _object_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        found.append(path)
        for k, v in value.items():
            found.extend(_object_paths(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.extend(_object_paths(v, (*path, i)))
    return found


@given(st.sampled_from(["category", "contact_frequency"]))
def test_an_enum_value_outside_the_set_is_not_echoed(field: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=1, people=2)))
    document["inventory"]["people"][1][field] = SENTINEL
    error = _load_error(json.dumps(document))
    assert error.problems[0].path == f"$.inventory.people[1].{field}"
    assert error.problems[0].code == ProblemCode.NOT_ALLOWED
    _assert_no_leak(error, SENTINEL)


def test_invariant_errors_report_paths_inside_the_document() -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=3, people=2)))
    document["sessions"][2]["number"] = 1
    document["inventory"]["people"][1]["id"] = "p1"
    error = _load_error(json.dumps(document))
    paths = {p.path: p.code for p in error.problems}
    assert paths["$.inventory.people[1].id"] == ProblemCode.DUPLICATE_ID


def test_a_dangling_reference_in_a_document_names_its_path_not_its_id() -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=5, people=2)))
    document["sessions"][4]["incidents"][0]["person"] = SENTINEL
    error = _load_error(json.dumps(document))
    assert error.problems[0].path == "$.sessions[4].incidents[0].person"
    assert error.problems[0].code == ProblemCode.DANGLING_REFERENCE
    _assert_no_leak(error, SENTINEL)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"a": NaN}', ProblemCode.INVALID_JSON),
        ('{"a": 1, "a": 2}', ProblemCode.INVALID_JSON),
        ("[" * 5000 + "]" * 5000, ProblemCode.TOO_DEEP),
        ('{"kind": "case", "schema_version": 99}', ProblemCode.UNSUPPORTED_VERSION),
        ('{"kind": "case", "schema_version": "1"}', ProblemCode.UNSUPPORTED_VERSION),
        ('{"kind": "person", "schema_version": 1}', ProblemCode.WRONG_KIND),
        ('{"schema_version": 1}', ProblemCode.MISSING),
        ("1" * 5000, ProblemCode.INVALID_JSON),
        ("", ProblemCode.INVALID_JSON),
    ],
)
def test_malformed_documents_get_their_own_codes(text: str, code: str) -> None:
    assert code in _load_error(text).codes


def test_size_and_depth_limits_are_configurable() -> None:
    data = ipt_core.dumps(sample_case(sessions=2, people=2))
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(data, limits=ipt_core.Limits(max_bytes=100))
    assert excinfo.value.codes == {ProblemCode.TOO_LARGE}
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(data, limits=ipt_core.Limits(max_depth=3))
    assert excinfo.value.codes == {ProblemCode.TOO_DEEP}


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "4096", None])
def test_limits_must_be_whole_numbers_of_at_least_one(bad: object) -> None:
    with pytest.raises(TypeError):
        ipt_core.Limits(max_bytes=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ipt_core.Limits(max_depth=bad)  # type: ignore[arg-type]
    assert ipt_core.Limits(max_bytes=1, max_depth=1) == ipt_core.Limits(1, 1)


def test_booleans_are_not_numbers_and_numbers_are_not_text() -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=1, people=1)))
    document["contract"]["planned_sessions"] = True
    document["id"] = 7
    error = _load_error(json.dumps(document))
    assert {p.path for p in error.problems} == {"$.contract.planned_sessions", "$.id"}
    assert error.codes == {ProblemCode.WRONG_TYPE}


@given(st.text(max_size=12))
def test_dates_have_one_form_only(text: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=1, people=1)))
    document["contract"]["start"] = text
    assume(len(text) != 10 or text[4] != "-")
    error = _load_error(json.dumps(document))
    assert error.problems[0].path == "$.contract.start"


def test_a_field_written_only_when_set_refuses_null() -> None:
    """``safety_plan`` is written only when the case has one, never as ``null``. A document that
    spells it ``null`` would load but dump back without the key, so it is refused, at its path;
    the schema agrees (the key may be absent; when present it is a plan)."""
    document = json.loads(ipt_core.dumps(sample_case()))
    document.pop("safety_plan", None)
    assert ipt_core.loads(json.dumps(document)).safety_plan is None  # absent: no plan
    document["safety_plan"] = None
    error = _load_error(json.dumps(document))
    assert [(p.path, p.code) for p in error.problems] == [("$.safety_plan", ProblemCode.WRONG_TYPE)]
    schema = ipt_core.json_schema(ipt_core.Case)["properties"]["safety_plan"]
    assert "null" not in json.dumps(schema)
    assert "safety_plan" not in ipt_core.json_schema(ipt_core.Case)["required"]


@pytest.mark.parametrize("cls", [sample_case(), ipt_core.Case, "Case", dict, None.__class__])
def test_loads_takes_a_domain_class_not_an_object_or_a_name(cls: object) -> None:
    """An instance passed where its class belongs (attrs.has answers yes for both) is a TypeError
    that says what to pass, as a name or another class is; never an error from deep inside."""
    if cls is ipt_core.Case:
        assert ipt_core.loads(ipt_core.dumps(sample_case()), cls) == sample_case()
        return
    with pytest.raises(TypeError, match="loads builds ipt_core domain objects"):
        ipt_core.loads(b"{}", cls)  # type: ignore[call-overload]
