"""An adversarial review of the boundary: each test is a defect found by attacking it, kept as a guard.

What a user sees when input is wrong: a path, a code and what to fix, never a value from the input;
the command line exits as its documentation says whichever way it is started.
"""

from __future__ import annotations

import copy
import io
import json
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import assert_no_leak
from ipt_core import Problem, ProblemCode, ValidationError, cli
from ipt_core.testing import cases, sample_case

SENTINEL = "Zq7SENTINELxx"


def _bad_case_file(tmp_path: Path) -> Path:
    document = json.loads(ipt_core.dumps(sample_case(sessions=3, people=2)))
    document["contract"]["frequency"] = SENTINEL
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


def test_the_cli_module_run_as_a_script_is_the_command(tmp_path: Path) -> None:
    """``python -m ipt_core.cli validate bad.json`` must not exit 0 having done nothing: a CI job
    calling it that way would pass every invalid document."""
    bad = _bad_case_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "ipt_core.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "$.contract.frequency: not_allowed" in result.stdout
    assert SENTINEL not in result.stdout + result.stderr


def _validate_json(*paths: Path) -> list[dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    cli.main(["validate", "--json", *map(str, paths)], out=out, err=err)
    assert SENTINEL not in out.getvalue() + err.getvalue()
    report: list[dict[str, Any]] = json.loads(out.getvalue())
    return report


def test_validate_json_says_what_to_fix_as_the_text_output_does(tmp_path: Path) -> None:
    """A front end reading ``validate --json`` gets what the text output gives a person: the
    message, the allowed values, and where a syntax error is."""
    bad = _bad_case_file(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_bytes(ipt_core.dumps(sample_case(sessions=2))[:-1] + b",}")
    (enum_entry, syntax_entry) = _validate_json(bad, broken)
    (problem,) = enum_entry["problems"]
    assert problem["path"] == "$.contract.frequency"
    assert problem["code"] == "not_allowed"
    assert "weekly" in problem["message"]
    assert problem["allowed"] == ["twice_weekly", "weekly", "fortnightly", "monthly"]
    (syntax,) = syntax_entry["problems"]
    assert syntax["code"] == "invalid_json"
    assert syntax["line"] == 1
    assert isinstance(syntax["column"], int)
    assert syntax["column"] > 1


# -- what the parser refuses: where it is ---------------------------------------------------------

_VALID = ipt_core.dumps(sample_case(sessions=3, people=2))


def _problem(data: bytes | str) -> Problem:
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(data)
    assert_no_leak(info.value)
    (problem,) = info.value.problems
    return problem


def _placed(problem: Problem) -> str:
    """Where an invalid-JSON problem says the refused place is. Invalid JSON is a problem of the
    whole document (path ``$``, as the conformance suite has it); the message gives the place."""
    assert (problem.path, problem.code) == ("$", ProblemCode.INVALID_JSON)
    _why, at, place = problem.message.rpartition(", at ")
    assert at, problem.message
    return place


def test_a_repeated_key_is_placed_at_the_object_that_repeats_it() -> None:
    problem = _problem(_VALID.replace(b'"rings":3', b'"rings":3,"rings":3'))
    assert _placed(problem) == "$.inventory"
    document = _VALID.decode()
    second = document.index('"number":2')
    problem = _problem(document[:second] + '"notes":"a",' + document[second:])
    assert _placed(problem) == "$.sessions[1]"


def test_the_path_to_a_repeated_key_never_names_a_key_of_the_input() -> None:
    data = _VALID[:-1] + f',"{SENTINEL}":{{"a":1,"a":2}}}}'.encode()
    problem = _problem(data)
    assert _placed(problem) == "$"


def test_nan_and_a_number_of_thousands_of_digits_are_placed_at_their_field() -> None:
    problem = _problem(_VALID.replace(b'"age_at_start":34', b'"age_at_start":NaN'))
    assert _placed(problem) == "$.age_at_start"
    problem = _problem(_VALID.replace(b'"age_at_start":34', b'"age_at_start":' + b"9" * 5000))
    assert _placed(problem) == "$.age_at_start"
    assert "digits" in problem.message


def test_an_escaped_lone_surrogate_is_placed_at_its_text() -> None:
    problem = _problem(_VALID.replace(b'"client_alias":"N."', b'"client_alias":"N\\ud800."'))
    assert _placed(problem) == "$.client_alias"


def test_bytes_that_are_not_utf8_are_placed_by_line_and_column() -> None:
    text = json.dumps(json.loads(_VALID), indent=1).encode()
    at = text.index(b'"N."') + 2
    problem = _problem(text[:at] + b"\xff" + text[at:])
    assert problem.code == ProblemCode.INVALID_JSON
    before = text[:at].decode()
    assert problem.line == before.count("\n") + 1
    assert problem.column == len(before) - before.rfind("\n")
    assert f"line {problem.line}, column {problem.column}" in problem.message


def test_a_raw_lone_surrogate_in_a_text_is_placed_by_line_and_column() -> None:
    text = json.dumps(json.loads(_VALID), indent=1)
    at = text.index('"N."') + 2
    problem = _problem(text[:at] + "\ud800" + text[at:])
    assert problem.code == ProblemCode.INVALID_JSON
    before = text[:at]
    assert (problem.line, problem.column) == (before.count("\n") + 1, len(before) - before.rfind("\n"))


def _path(parts: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _objects_and_numbers(
    value: object, at: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(value, dict):
        if value:
            found.append((at, "object"))
        for key, item in value.items():
            found += _objects_and_numbers(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _objects_and_numbers(item, (*at, i))
    elif type(value) is int and at:
        found.append((at, "number"))
    return found


def _write(value: object, at: tuple[str | int, ...], target: tuple[str | int, ...], spoil: str) -> str:
    """``value`` as JSON, the object at ``target`` with its first key twice (``spoil == "object"``)
    or the number at ``target`` written as NaN."""
    if at == target and spoil == "number":
        return "NaN"
    if isinstance(value, dict):
        items = [f"{json.dumps(k)}:{_write(v, (*at, k), target, spoil)}" for k, v in value.items()]
        if at == target:
            items.append(items[0])
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_write(v, (*at, i), target, spoil) for i, v in enumerate(value)) + "]"
    return json.dumps(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_sessions=3, max_people=3), st.data())
def test_a_repeated_key_or_a_nan_anywhere_is_placed_at_its_path(
    case: ipt_core.Case, data: st.DataObject
) -> None:
    document = json.loads(ipt_core.dumps(case))
    target, spoil = data.draw(st.sampled_from(_objects_and_numbers(document)))
    problem = _problem(_write(document, (), target, spoil).encode())
    assert _placed(problem) == _path(target)


# -- errors travel: to a worker process and back, copied -------------------------------------------


def test_an_unknown_id_error_travels_between_processes_and_copies() -> None:
    """A worker (``concurrent.futures``, ``multiprocessing``) sends an exception back pickled: an
    unknown protocol id must come back as the same error listing the known ids."""
    with pytest.raises(ipt_core.UnknownIdError) as info:
        ipt_core.protocols.get("standrad")
    error = info.value
    pickled = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    for back in (pickled, copy.copy(error), copy.deepcopy(error)):
        assert type(back) is ipt_core.UnknownIdError
        assert str(back) == str(error)
        assert back.known == error.known
        assert "standard" in back.known


# -- edits from Python with arguments of the wrong kind -------------------------------------------


@pytest.mark.parametrize("wrong", [None, SENTINEL, {"id": "p9", "alias": SENTINEL}, 7])
def test_adding_something_that_is_not_a_person_is_a_validation_error_at_its_path(wrong: Any) -> None:
    """As ``with_event``, ``with_session`` and ``with_task`` do: not an ``AttributeError`` about
    ``id`` from inside the library."""
    case = sample_case(sessions=2, people=2)
    with pytest.raises(ValidationError) as info:
        case.with_person(wrong)
    assert_no_leak(info.value)
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("$.inventory.people[2]", ProblemCode.WRONG_TYPE)
    ]


def _raised(call: Any) -> BaseException:
    try:
        call()
    except Exception as exc:  # the test looks at whatever was raised
        return exc
    raise AssertionError("nothing was raised")


def _no_value_in(error: BaseException) -> None:
    """No text of the error, or of any exception chained to it, holds the value given."""
    import traceback

    seen = error
    while seen is not None:
        assert SENTINEL not in "".join(traceback.format_exception(seen)) + repr(seen.args)
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]


def test_a_dispute_stage_that_is_no_stage_lists_the_stages_and_not_what_was_given() -> None:
    formulation = sample_case(sessions=2, people=2).formulation
    assert formulation is not None
    dispute = formulation.focus[0]
    assert isinstance(dispute, ipt_core.RoleDispute)
    error = _raised(lambda: dispute.with_stage(SENTINEL, on=dispute.stage_history[0].on))
    _no_value_in(error)
    assert isinstance(error, ValidationError)
    (problem,) = error.problems
    assert (problem.path, problem.code) == ("$.stage", ProblemCode.NOT_ALLOWED)
    assert problem.allowed == tuple(str(s) for s in ipt_core.DisputeStage)


def test_a_group_member_leaving_for_no_known_reason_lists_the_reasons() -> None:
    from datetime import timedelta

    from ipt_core.testing import sample_group

    group = sample_group()
    member = group.members[0]
    on = group.sessions[-1].date + timedelta(days=1)
    error = _raised(lambda: group.with_exit(member.id, on=on, reason=SENTINEL))
    _no_value_in(error)
    assert isinstance(error, ValidationError)
    assert [(p.path, p.code) for p in error.problems] == [
        ("$.members[0].exit_reason", ProblemCode.NOT_ALLOWED)
    ]
    assert error.problems[0].allowed == tuple(str(r) for r in ipt_core.MemberExit)


def test_an_unknown_member_id_is_a_key_error_that_does_not_repeat_it() -> None:
    from datetime import timedelta

    from ipt_core.testing import sample_group

    group = sample_group()
    on = group.sessions[-1].date + timedelta(days=1)
    outcomes = ipt_core.group_outcomes(group, cases=(), today=on)
    for call in (
        lambda: group.member(SENTINEL),
        lambda: group.with_exit(SENTINEL, on=on, reason=ipt_core.MemberExit.MOVED_AWAY),
        lambda: outcomes.member(SENTINEL),
    ):
        error = _raised(call)
        _no_value_in(error)
        assert isinstance(error, ipt_core.UnknownIdError)
        assert set(error.known) == {m.id for m in group.members}


def test_asking_a_phase_report_for_a_transition_to_no_phase_lists_the_phases() -> None:
    from datetime import date

    report = ipt_core.phases.evaluate(sample_case(sessions=2), today=date(2025, 2, 1))
    error = _raised(lambda: report.transition(SENTINEL))
    _no_value_in(error)
    assert isinstance(error, ValidationError)
    assert error.problems[0].allowed == tuple(str(p) for p in ipt_core.Phase)


def test_adding_something_that_is_not_a_member_is_a_validation_error_at_its_path() -> None:
    from ipt_core.testing import sample_group

    group = sample_group()
    error = _raised(lambda: group.with_member(SENTINEL))  # type: ignore[arg-type]
    _no_value_in(error)
    assert isinstance(error, ValidationError)
    assert [(p.path, p.code) for p in error.problems] == [
        (f"$.members[{len(group.members)}]", ProblemCode.WRONG_TYPE)
    ]


def test_a_record_built_with_the_text_of_a_choice_is_told_to_use_the_member() -> None:
    """``Person(category="partner")`` from Python: "did you mean `partner`?" sends the developer in a
    circle; the message names the member to pass instead."""
    with pytest.raises(ValidationError) as info:
        ipt_core.Person(id="p9", alias="Sam", category="partner", ring=1)  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert (problem.path, problem.code) == ("$.category", ProblemCode.NOT_ALLOWED)
    assert "RelationshipCategory.PARTNER" in problem.message
    assert "did you mean" not in problem.message
    assert problem.allowed == tuple(str(c) for c in ipt_core.RelationshipCategory)


# -- settings from Python ----------------------------------------------------------------------------


def _given(field: str, value: object) -> dict[str, Any]:
    return {field: value}


@pytest.mark.parametrize("field", ["response_instruments", "early_instruments", "primary_instruments"])
def test_a_misspelt_instrument_in_a_progress_policy_is_refused_with_the_known_ids(field: str) -> None:
    """``response_instruments=("phq-9",)`` silently turned the response check off for the PHQ-9;
    the mappings beside it already refused a misspelt id."""
    from ipt_core.progress import ProgressPolicy

    with pytest.raises(ValidationError) as info:
        ProgressPolicy(**_given(field, ("phq9", "phq-9")))
    assert_no_leak(info.value)
    (problem,) = info.value.problems
    assert (problem.path, problem.code) == (f"$.{field}[1]", ProblemCode.NOT_ALLOWED)
    assert "phq9" in problem.allowed
    with pytest.raises(ValidationError) as info:
        ProgressPolicy(**_given(field, "phq9"))  # a text is not a tuple of ids (read letter by letter)
    assert [(p.path, p.code) for p in info.value.problems] == [(f"$.{field}", ProblemCode.WRONG_TYPE)]


@pytest.mark.parametrize("field", ["scoring", "talking_therapies", "risk"])
def test_a_progress_policy_refuses_settings_of_the_wrong_kind(field: str) -> None:
    """``ProgressPolicy(risk="strict")`` was accepted, to fail later inside ``evaluate`` with an
    ``AttributeError``."""
    from ipt_core.progress import ProgressPolicy

    with pytest.raises(ValidationError) as info:
        ProgressPolicy(**_given(field, SENTINEL))
    assert_no_leak(info.value)
    assert [(p.path, p.code) for p in info.value.problems] == [(f"$.{field}", ProblemCode.WRONG_TYPE)]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=8), max_size=4))
def test_a_progress_policy_holds_only_known_instrument_ids(ids: list[str]) -> None:
    from ipt_core.measures import INSTRUMENTS
    from ipt_core.progress import ProgressPolicy

    problems: tuple[Problem, ...] = ()
    try:
        ProgressPolicy(response_instruments=tuple(ids))
    except ValidationError as error:
        problems = error.problems
    assert [p.path for p in problems] == [
        f"$.response_instruments[{i}]" for i, given in enumerate(ids) if given not in INSTRUMENTS
    ]
    assert all(p.code == ProblemCode.NOT_ALLOWED for p in problems)


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"options": None}, "$.options"),
        ({"options": 7}, "$.options"),
        ({"policy": SENTINEL}, "$.policy"),
        ({"policy": {"prorate": True}}, "$.policy"),
    ],
)
def test_scoring_with_options_or_a_policy_of_the_wrong_kind_says_which(
    arguments: dict[str, Any], path: str
) -> None:
    """``score("phq9", answers, options=None)`` raised "'NoneType' object is not iterable" and a
    policy of the wrong kind an ``AttributeError`` about ``bands``."""
    for instrument, answers in (("phq9", [1] * 9), ("wsas", [1] * 5)):
        with pytest.raises(ValidationError) as info:
            ipt_core.measures.score(instrument, answers, **arguments)
        assert_no_leak(info.value)
        assert [(p.path, p.code) for p in info.value.problems] == [(path, ProblemCode.WRONG_TYPE)]


# -- FHIR export -----------------------------------------------------------------------------------


def _fhir_calls(**given: Any) -> list[Any]:
    from datetime import date

    from ipt_core import fhir

    when = date(2025, 3, 3)
    result = ipt_core.measures.score("phq9", [1] * 9)
    case = sample_case(sessions=3, people=2)
    flag = next(iter(ipt_core.risk_flags(case)), None)
    calls = [
        lambda: fhir.questionnaire_response("phq9", [1] * 9, authored=when, **given),
        lambda: fhir.observation(result, effective=when, derived_from="QuestionnaireResponse/q1", **given),
    ]
    if flag is not None:
        calls.append(lambda: fhir.risk_flag(flag, open=True, **{"subject": "Patient/p1", **given}))
    return calls


@pytest.mark.parametrize("bad", [f"{SENTINEL} x", "", "a" * 65, 7, "é"])
def test_a_fhir_resource_id_that_fhir_refuses_is_refused_before_it_is_written(bad: Any) -> None:
    """A FHIR id is 1-64 of ``A-Z a-z 0-9 - .``: the export wrote any value as given (an invalid
    resource, and a name typed as an id sent on to the server)."""
    for call in _fhir_calls(id=bad):
        error = _raised(call)
        _no_value_in(error)
        assert isinstance(error, ValidationError)
        assert [(p.path, p.code) for p in error.problems] == [
            ("$.id", ProblemCode.WRONG_TYPE if bad == 7 else ProblemCode.PATTERN)
        ]


@pytest.mark.parametrize("bad", ["", "  ", 7, None])
def test_a_fhir_subject_that_is_no_reference_is_refused(bad: Any) -> None:
    for call in _fhir_calls(subject=bad)[:2] if bad is None else _fhir_calls(subject=bad):
        if bad is None:
            call()  # no subject is allowed where it is optional
            continue
        error = _raised(call)
        assert isinstance(error, ValidationError)
        assert [p.path for p in error.problems] == ["$.subject"]


def test_fhir_ids_and_references_the_library_accepts_are_written_as_given() -> None:
    for call in _fhir_calls(id="qr-1.a", subject="Patient/p1"):
        resource = call()
        assert resource["id"] == "qr-1.a"
        assert resource["subject"] == {"reference": "Patient/p1"}


def test_a_case_report_given_member_cases_says_they_are_for_a_group(tmp_path: Path) -> None:
    """``report case.json --case other.json`` ignored ``--case`` (even a file that does not exist) and
    exited 0, as if the cases had been read; a group report refuses ``--svg`` the same way."""
    case_file = tmp_path / "case.json"
    case_file.write_bytes(ipt_core.dumps(sample_case(sessions=2)))
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["report", str(case_file), "--case", str(tmp_path / "missing.json")], out=out, err=err)
    assert status == 2
    assert "--case" in err.getvalue()
    assert out.getvalue() == ""


def test_placing_a_refused_value_writes_a_bounded_multiple_of_the_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A NaN at the bottom of a large subtree nested many levels deep: the search for its path
    stops after a few times the document's length is written, and the error is still given."""
    from ipt_core.boundary import _where

    written: list[int] = []
    original = _where._Writer.__call__

    def spy(self: Any, node: object) -> bool:
        found = original(self, node)
        written.append(len(json.dumps(node, default=lambda _: "")))
        return found

    monkeypatch.setattr(_where._Writer, "__call__", spy)
    inner = "[" + "0," * 100_000 + "NaN]"
    text = '{"kind":"case","schema_version":1,"notes":' + "[" * 20 + inner + ",0]" * 20 + "}"
    problem = _problem(text)
    assert problem.code == ProblemCode.INVALID_JSON
    assert sum(written) <= (8 + 1) * len(text)  # without a budget: about 20 times (once per level)


# -- command-line arguments: one form, as in documents ------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("day", ["20250303", "2025-W10-1", "２０２５-03-03", "2025-03-03 "])
def test_a_date_argument_takes_the_one_form_documents_take(
    day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--start 2025-W10-1`` or ``--start 20250303`` were read as dates (``date.fromisoformat``
    takes them); a document takes YYYY-MM-DD only, and so does the command."""
    status, out, _err = _cli("new", "--protocol", "standard", "--start", day)
    assert (status, out) == (2, "")
    assert "YYYY-MM-DD" in capsys.readouterr().err  # (argparse writes its errors to sys.stderr)


def test_a_date_argument_that_does_not_exist_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, _err = _cli("new", "--protocol", "standard", "--start", "2025-02-30")
    assert status == 2
    assert "no such date" in capsys.readouterr().err


@pytest.mark.parametrize(("sessions", "answer"), [("１６", "３"), ("١٦", "٣"), ("1_6", "0_1")])
def test_number_arguments_take_ascii_digits_only(sessions: str, answer: str) -> None:
    """``int()`` reads other scripts' digits and underscores: ``--sessions １６`` made 16 sessions and
    ``score phq9 ٣ ...`` scored an answer of 3."""
    status, out, _err = _cli("new", "--protocol", "standard", "--sessions", sessions)
    assert (status, out) == (2, "")
    status, out, _err = _cli("score", "phq9", answer, *["1"] * 8)
    assert (status, out) == (2, "")


@pytest.mark.parametrize("limits", [5, "4MB", {"max_bytes": 10}])
def test_limits_of_the_wrong_kind_are_a_type_error_saying_what_to_pass(limits: Any) -> None:
    """``loads(data, limits=5)`` raised "'int' object has no attribute 'max_bytes'"."""
    case = sample_case(sessions=1)
    for call in (
        lambda: ipt_core.loads(ipt_core.dumps(case), limits=limits),
        lambda: ipt_core.dumps(case, limits=limits),
    ):
        error = _raised(call)
        assert type(error) is TypeError
        assert "Limits" in str(error)


def test_a_kind_that_names_no_document_lists_the_kinds() -> None:
    """``"kind": "caes"`` was told to be read "as the kind it names", which is none."""
    problem = _problem(_VALID.replace(b'"kind":"case"', b'"kind":"caes"'))
    assert (problem.path, problem.code) == ("$.kind", ProblemCode.WRONG_KIND)
    assert problem.allowed == ("case",)
    assert "case" in problem.message
    assert "as the kind it names" not in problem.message
    problem = _problem(_VALID.replace(b'"kind":"case"', b'"kind":"group"'))
    assert "as the kind it names" in problem.message  # a group: read it as a group


def test_below_a_key_the_model_does_not_define_the_path_stays_there() -> None:
    """A repeated key under an unknown key holding a known one: the place is the object holding the
    unknown key, not a path that reads as if the known key were there."""
    data = _VALID[:-1] + f',"{SENTINEL}":{{"notes":{{"a":1,"a":2}}}}}}'.encode()
    assert _placed(_problem(data)) == "$"
