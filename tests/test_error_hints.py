"""Each problem says what to fix, from the schema or the parser, and still never repeats the input.

Vignettes first (the mistakes a new user makes with a hand-written file), then properties.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import assert_no_leak
from ipt_core import Case, Person, ProblemCode, RelationshipCategory, UnknownIdError, ValidationError
from ipt_core._hints import nearest
from ipt_core.domain.measures.instruments import INSTRUMENTS, get_instrument
from ipt_core.testing import cases, sample_case

SECRET = "Zq7HINTSECRET"  # noqa: S105 - a marker, not a password


def _load_error(data: str | bytes, cls: type[Any] | None = None) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(data, cls)
    return excinfo.value


def _document(sessions: int = 5, people: int = 2) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ipt_core.dumps(sample_case(sessions=sessions, people=people)))
    return document


def _nowhere(exc: BaseException, text: str) -> None:
    """``text`` (typed in the test itself, so the traceback's source lines are left out) is not shown."""
    shown = [str(exc), repr(exc), *(str(note) for note in getattr(exc, "__notes__", []))]
    if isinstance(exc, ValidationError):
        shown.extend(f"{p!r}|{p.message}|{p.expected}|{p.allowed}" for p in exc.problems)
    for found in shown:
        assert text not in found, "an input value leaked into an error"
    assert exc.__cause__ is None


# -- JSON syntax: line and column ---------------------------------------------------------------


def test_a_trailing_comma_is_placed_by_line_and_column() -> None:
    text = '{\n  "kind": "case",\n  "schema_version": 1,\n}'
    (problem,) = _load_error(text).problems
    assert problem.code == ProblemCode.INVALID_JSON
    assert (problem.line, problem.column) == (4, 1)
    assert "line 4, column 1" in problem.message
    assert "trailing comma" in problem.message


def test_a_missing_brace_is_placed_at_the_end() -> None:
    text = '{"kind": "case",\n "schema_version": 1'
    (problem,) = _load_error(text).problems
    assert problem.line == 2
    assert problem.column == len(' "schema_version": 1') + 1
    assert "closing bracket" in problem.message


def test_an_empty_file_says_so() -> None:
    for empty in ("", "   \n", b""):
        (problem,) = _load_error(empty).problems
        assert problem.code == ProblemCode.INVALID_JSON
        assert "empty" in problem.message


def test_a_syntax_error_does_not_repeat_the_text_around_it() -> None:
    text = '{"kind": "case", "notes": "' + SECRET + '" "x": 1}'
    error = _load_error(text)
    assert error.problems[0].line == 1
    _nowhere(error, SECRET)


@given(st.text(alphabet='{}[],:"a1 \n', max_size=40))
def test_every_syntax_error_has_a_position_or_says_the_file_is_empty(text: str) -> None:
    try:
        ipt_core.loads(text)
    except ValidationError as exc:
        for problem in exc.problems:
            if problem.code == ProblemCode.INVALID_JSON and problem.message.startswith("not valid JSON at"):
                assert problem.line is not None
                assert problem.column is not None
                assert 1 <= problem.line <= text.count("\n") + 1


# -- unknown keys: the allowed keys and the nearest one -----------------------------------------


def test_a_typo_in_a_key_names_the_key_meant_and_not_the_typo() -> None:
    document = _document()
    document["inventroy"] = document.pop("inventory")
    error = _load_error(json.dumps(document))
    problem = error.problems[0]
    assert (problem.path, problem.code) == ("$", ProblemCode.UNKNOWN_KEY)
    assert "did you mean `inventory`?" in problem.message
    assert problem.allowed == tuple(f.name for f in attrs.fields(Case))
    _nowhere(error, "inventroy")


def test_an_unknown_key_inside_a_record_lists_that_records_keys() -> None:
    document = _document()
    document["inventory"]["people"][0]["nick_name"] = "Sam"
    problem = _load_error(json.dumps(document)).problems[0]
    assert problem.path == "$.inventory.people[0]"
    assert problem.allowed == tuple(f.name for f in attrs.fields(Person))
    assert "category" in problem.message
    assert "did you mean" not in problem.message  # nothing close: no guess


def test_an_unknown_key_in_a_problem_area_allows_its_tag() -> None:
    document = _document()
    document["formulation"]["focus"][0]["stge"] = "impasse"
    problem = _load_error(json.dumps(document)).problems[0]
    assert problem.allowed[0] == "area"
    assert "did you mean `stage`?" in problem.message


@given(st.text(min_size=1, max_size=12))
def test_an_unknown_key_is_never_named(suffix: str) -> None:
    document = _document(sessions=1, people=1)
    key = SECRET + suffix
    document["contract"][key] = 1
    error = _load_error(json.dumps(document))
    assert error.codes == {ProblemCode.UNKNOWN_KEY}
    assert_no_leak(error, SECRET)


@pytest.mark.parametrize("key", [f.name for f in attrs.fields(Case) if len(f.name) >= 5])
def test_a_swapped_pair_of_letters_is_matched_to_the_key(key: str) -> None:
    typo = key[0] + key[2] + key[1] + key[3:]
    assert nearest(typo, [f.name for f in attrs.fields(Case)]) == key


# -- closed sets: every allowed value ------------------------------------------------------------


def test_a_capitalised_category_lists_the_categories() -> None:
    document = _document()
    document["inventory"]["people"][1]["category"] = "Partner"
    error = _load_error(json.dumps(document))
    problem = error.problems[0]
    assert problem.code == ProblemCode.NOT_ALLOWED
    assert problem.allowed == tuple(c.value for c in RelationshipCategory)
    assert "did you mean `partner`?" in problem.message
    _nowhere(error, "Partner")


def test_building_a_person_with_an_unknown_category_lists_the_categories() -> None:
    with pytest.raises(ValidationError) as excinfo:
        Person(id="p1", alias="Sam", category="Partner")  # type: ignore[arg-type]
    (problem,) = excinfo.value.problems
    assert problem.allowed == tuple(c.value for c in RelationshipCategory)
    assert "other_family" in problem.message
    _nowhere(excinfo.value, "Partner")


def test_an_unknown_area_tag_lists_the_areas() -> None:
    document = _document()
    document["formulation"]["focus"][0]["area"] = SECRET
    error = _load_error(json.dumps(document))
    assert error.problems[0].allowed == tuple(k.value for k in ipt_core.AreaKind)
    assert "role_dispute" in error.problems[0].message
    assert_no_leak(error, SECRET)


# -- instruments: the expected count and range --------------------------------------------------


def test_six_gad7_answers_say_seven_are_expected_and_their_range() -> None:
    document = _document()
    six = [1, 2, 1, 0, 2, 1]
    document["sessions"][0]["measures"][1] = {"instrument": "gad7", "answers": six, "options": []}
    (problem,) = _load_error(json.dumps(document)).problems
    assert problem.path == "$.sessions[0].measures[1].answers"
    assert problem.code == ProblemCode.TOO_SHORT
    assert "GAD-7 expects 7 answers, each 0-3" in problem.message
    assert problem.expected.startswith("GAD-7 expects 7 answers")


def test_an_answer_out_of_range_names_its_item_and_range() -> None:
    document = _document()
    document["sessions"][0]["measures"][0]["answers"][8] = 4
    (problem,) = _load_error(json.dumps(document)).problems
    assert problem.path == "$.sessions[0].measures[0].answers[8]"
    assert problem.message == "item 9 of PHQ-9 is scored 0-3"


def test_scoring_an_unknown_instrument_lists_the_known_ids() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.measures.score("PHQ9", [0] * 9)
    (problem,) = excinfo.value.problems
    assert problem.allowed == tuple(INSTRUMENTS)
    assert "did you mean `phq9`?" in problem.message
    _nowhere(excinfo.value, "PHQ9")


def test_scoring_too_few_answers_says_how_many() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.measures.score("gad7", [1] * 6)
    assert "GAD-7 expects 7 answers, each 0-3" in excinfo.value.problems[0].message


def test_an_option_an_instrument_does_not_know_lists_its_options() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.measures.score("wsas", [0] * 5, options=[SECRET])
    assert "retired" in excinfo.value.problems[0].message
    # A Python call: the caller's arguments sit in the call's frames, as in the caller's own.
    assert_no_leak(excinfo.value, SECRET, frame_locals=False)


# -- ids of built-in data: a KeyError that lists the known ids ---------------------------------


def test_an_unknown_protocol_is_a_key_error_listing_the_protocols() -> None:
    with pytest.raises(KeyError) as excinfo:
        ipt_core.protocols.get("nope")
    error = excinfo.value
    assert isinstance(error, UnknownIdError)
    assert set(error.known) == {p.id for p in ipt_core.protocols.all()}
    assert "standard" in str(error)
    assert "self-guided-8-week" in str(error)
    assert "nope" not in str(error)


def test_a_near_miss_protocol_id_is_suggested() -> None:
    with pytest.raises(UnknownIdError) as excinfo:
        ipt_core.protocols.get("group_who")
    assert "did you mean `group-who`?" in str(excinfo.value)


def test_an_unknown_instrument_is_a_key_error_listing_the_instruments() -> None:
    with pytest.raises(KeyError) as excinfo:
        get_instrument("PHQ-9")
    assert isinstance(excinfo.value, UnknownIdError)
    assert "did you mean `phq9`?" in str(excinfo.value)


# -- every problem of a document in one go -------------------------------------------------------


def test_a_typo_and_sessions_out_of_order_are_both_reported() -> None:
    # A therapist's hand-edited file: a capitalised category, and a session numbered as the first.
    document = _document()
    document["inventory"]["people"][0]["category"] = "Partner"
    document["sessions"][2]["number"] = 1
    error = _load_error(json.dumps(document))
    assert {(p.path, p.code) for p in error.problems} == {
        ("$.inventory.people[0].category", ProblemCode.NOT_ALLOWED),
        ("$.sessions[2].number", ProblemCode.ORDER),
    }


def test_a_misspelt_key_and_a_dangling_reference_are_both_reported() -> None:
    document = _document()
    document["inventroy"] = document.pop("inventory")
    document["sessions"][4]["incidents"][0]["person"] = SECRET
    error = _load_error(json.dumps(document))
    assert [(p.path, p.code) for p in error.problems] == [
        ("$", ProblemCode.UNKNOWN_KEY),
        ("$.sessions[4].incidents[0].person", ProblemCode.DANGLING_REFERENCE),
    ]
    assert_no_leak(error, SECRET)


def test_a_wrong_type_a_misfit_measure_and_a_dangling_event_are_all_reported() -> None:
    document = _document()
    document["inventory"]["people"][0]["alias"] = 7
    document["sessions"][1]["measures"][0]["answers"] = [0] * 11  # the PHQ-9 has ten items
    document["formulation"]["focus"][0]["events"] = [SECRET]
    error = _load_error(json.dumps(document))
    assert {(p.path, p.code) for p in error.problems} == {
        ("$.inventory.people[0].alias", ProblemCode.WRONG_TYPE),
        ("$.sessions[1].measures[0].answers", ProblemCode.TOO_LONG),
        ("$.formulation.focus[0].events[0]", ProblemCode.DANGLING_REFERENCE),
    }
    assert_no_leak(error, SECRET)


def test_a_stand_in_never_causes_a_problem_of_its_own() -> None:
    # The session's date is refused; its stand-in must not be reported as out of order.
    document = _document()
    document["sessions"][3]["date"] = "next tuesday"
    error = _load_error(json.dumps(document))
    assert [(p.path, p.code) for p in error.problems] == [("$.sessions[3].date", ProblemCode.PATTERN)]


@settings(max_examples=25, deadline=None)
@given(cases(max_sessions=4, max_people=3), st.data())
def test_a_wrong_type_does_not_hide_a_dangling_reference(case: Case, data: st.DataObject) -> None:
    document: dict[str, Any] = json.loads(ipt_core.dumps(case))
    document["client_alias"] = 7
    people = document["inventory"]["people"]
    if not people:
        return
    person = data.draw(st.integers(0, len(people) - 1))
    people[person]["id"] = "zz-" + SECRET  # every reference to this person now dangles
    if not any(r.target == case.inventory.people[person].id for r in _references(case)):
        return
    error = _load_error(json.dumps(document))
    codes = {p.code for p in error.problems}
    assert ProblemCode.WRONG_TYPE in codes
    assert ProblemCode.DANGLING_REFERENCE in codes
    assert_no_leak(error, SECRET)


@attrs.frozen
class _Ref:
    path: str
    target: str


def _references(case: Case) -> list[_Ref]:
    from ipt_core.domain._fields import iter_refs

    return [_Ref(path, target) for path, kind, target in iter_refs(case) if kind == "person"]


@pytest.mark.parametrize(
    ("text", "path", "fix"),
    [
        ('{"schema_version": 1}', "$.kind", 'add "kind": "case"'),
        ('{"kind": "protocol", "schema_version": 1}', "$.kind", "expected the kind `case`"),
        ('{"kind": "case"}', "$.schema_version", 'add "schema_version": 1'),
    ],
)
def test_the_envelope_says_what_to_add(text: str, path: str, fix: str) -> None:
    (problem,) = _load_error(text).problems
    assert problem.path == path
    assert fix in problem.message


@given(st.text(max_size=30), st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=12))
def test_a_suggestion_is_always_an_allowed_value(given_text: str, allowed: list[str]) -> None:
    found = nearest(given_text, allowed)
    assert found is None or found in allowed


@given(st.text(max_size=20))
def test_a_closed_set_message_never_repeats_what_was_given(suffix: str) -> None:
    from ipt_core._hints import closed_set

    values = tuple(c.value for c in RelationshipCategory)
    message = closed_set("RelationshipCategory", values, SECRET + suffix)
    assert SECRET not in message
    assert all(c.value in message for c in RelationshipCategory)
