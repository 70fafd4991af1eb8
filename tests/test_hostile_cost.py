"""Hostile documents under the size limit cost bounded work: lengths before items, capped problems.

No test here times anything: each counts what the detailed path did (problems spent against the
budget) or checks what it reported.
"""

from __future__ import annotations

import json
import tracemalloc
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import Limits, ProblemCode, ValidationError, _hints
from ipt_core.boundary import _detailed, _repair, codec
from ipt_core.domain.group import Group
from ipt_core.testing import sample_case, sample_group

_HEAD: dict[str, Any] = {"kind": "case", "schema_version": 1}


def _error(doc: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(json.dumps(doc), **kwargs)
    return info.value


@pytest.fixture
def spent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many problems the detailed path counted against its budget, call by call."""
    calls: list[int] = []
    original = _detailed._spend

    def spy(count: int) -> None:
        calls.append(count)
        original(count)

    monkeypatch.setattr(_detailed, "_spend", spy)
    return calls


def test_a_list_longer_than_its_maximum_is_refused_by_length_alone(spent: list[int]) -> None:
    error = _error({**_HEAD, "sessions": [0] * 100_000})
    assert [(p.path, p.code) for p in error.problems if p.path.startswith("$.sessions")] == [
        ("$.sessions", ProblemCode.TOO_LONG)
    ]
    assert sum(spent) < 10  # the items were never read: no problem was counted for any of them


def test_nested_lists_are_refused_by_length_before_their_items() -> None:
    doc = json.loads(ipt_core.dumps(sample_case(sessions=2)))
    doc["sessions"][1]["techniques"] = ["x"] * 500
    doc["sessions"][1]["measures"] = [0] * 51
    error = _error(doc)
    assert {(p.path, p.code) for p in error.problems} == {
        ("$.sessions[1].techniques", ProblemCode.TOO_LONG),
        ("$.sessions[1].measures", ProblemCode.TOO_LONG),
    }


def test_problems_are_capped_with_a_final_too_many_problems() -> None:
    doc = {**_HEAD, "sessions": [{} for _ in range(1000)]}
    error = _error(doc)
    most = Limits().max_problems
    assert len(error.problems) == most + 1
    assert error.problems[-1].code == ProblemCode.TOO_MANY_PROBLEMS
    assert error.problems[-1].path == "$"
    assert all(p.code != ProblemCode.TOO_MANY_PROBLEMS for p in error.problems[:-1])


def test_checking_stops_once_the_budget_is_spent(spent: list[int]) -> None:
    zeros = [0] * 200
    session = {"incidents": zeros, "decisions": zeros, "role_plays": zeros, "work_at_home": zeros}
    error = _error({**_HEAD, "sessions": [session] * 1000}, limits=Limits(max_problems=7))
    assert len(error.problems) == 8
    assert error.problems[-1].code == ProblemCode.TOO_MANY_PROBLEMS
    assert "checking stopped" in error.problems[-1].message
    # 800 000 wrong items: the walk stopped a few problems past the budget, not at the end
    assert sum(spent) < 20


def test_a_small_number_of_problems_is_listed_whole() -> None:
    doc = json.loads(ipt_core.dumps(sample_case(sessions=3)))
    for session in doc["sessions"]:
        session["mood_rating"] = "high"
    error = _error(doc)
    assert [p.path for p in error.problems] == [f"$.sessions[{i}].mood_rating" for i in range(3)]


def test_a_released_memoryview_is_a_validation_error() -> None:
    view = memoryview(ipt_core.dumps(sample_case(sessions=1)))
    view.release()
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(view)
    assert info.value.codes == {ProblemCode.WRONG_TYPE}


def test_long_integers_keep_their_code_on_the_quick_parse() -> None:
    doc = json.loads(ipt_core.dumps(sample_case(sessions=1)))
    doc["sessions"][0]["mood_rating"] = 10**30
    assert _error(doc).codes == {ProblemCode.OUT_OF_RANGE}


_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.sampled_from(["id", "x", "date"]), inner),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_JUNK, min_size=0, max_size=1500), st.integers(1, 30))
def test_any_list_of_junk_gives_at_most_the_cap_plus_one_problems(items: list[Any], most: int) -> None:
    doc = {**_HEAD, "sessions": items, "tasks": items}
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(json.dumps(doc), limits=Limits(max_problems=most))
    assert len(info.value.problems) <= most + 1
    if len(info.value.problems) == most + 1:
        assert info.value.problems[-1].code == ProblemCode.TOO_MANY_PROBLEMS


def _walk_refuses(value: Any, most: int) -> bool:
    try:
        codec._check_depth(value, most)
    except codec._Bad:
        return True
    return False


def _text_refuses(text: str, most: int) -> bool:
    try:
        codec._check_text_depth(codec._skeleton(text), most)
    except codec._Bad:
        return True
    return False


_TREES = st.recursive(
    st.none() | st.integers(-(10**15), 10**15) | st.text(alphabet='ab:"\\[]{}', max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(alphabet='k:"[{', max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_TREES, st.integers(1, 12))
def test_the_depth_read_from_the_text_is_the_depth_of_the_tree(tree: Any, most: int) -> None:
    for text in (json.dumps(tree), json.dumps(tree, indent=1), json.dumps(tree, ensure_ascii=False)):
        assert _text_refuses(text, most) == _walk_refuses(tree, most)


@settings(max_examples=200, deadline=None)
@given(_TREES)
def test_a_repeated_key_anywhere_is_found_by_the_quick_parse(tree: Any) -> None:
    text = json.dumps({"a": tree, "b": [tree, {"x": 1, "y": tree}]})
    assert codec._parse_quick(text, Limits()) is not codec._UNPARSED
    repeated = text.replace('"y":', '"x":', 1)
    assert codec._parse_quick(repeated, Limits()) is codec._UNPARSED
    with pytest.raises(codec._Bad):
        codec._parse(repeated, Limits())


def test_structure_caps_its_problems_too() -> None:
    with pytest.raises(ValidationError) as info:
        codec.structure({"sessions": [{} for _ in range(1000)]}, ipt_core.Case)
    assert len(info.value.problems) == Limits().max_problems + 1
    assert info.value.problems[-1].code == ProblemCode.TOO_MANY_PROBLEMS


def test_many_unknown_keys_look_for_a_suggestion_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Keys close to a real one make each suggestion search costly: 200 000 of them took seconds.
    calls: list[object] = []
    original = _hints.nearest

    def spy(given: object, allowed: Any) -> str | None:
        calls.append(given)
        return original(given, allowed)

    monkeypatch.setattr(_hints, "nearest", spy)
    doc = json.loads(ipt_core.dumps(sample_case(sessions=1)))
    doc.update({f"sessions{i:x}": 0 for i in range(5000)})
    doc["sessions"][0].update({f"notes{i:x}": 0 for i in range(5000)})
    error = _error(doc)
    assert {(p.path, p.code) for p in error.problems} == {
        ("$", ProblemCode.UNKNOWN_KEY),
        ("$.sessions[0]", ProblemCode.UNKNOWN_KEY),
    }
    messages = {p.path: p.message for p in error.problems}
    assert messages["$"].endswith("did you mean `sessions`?")
    assert messages["$.sessions[0]"].endswith("did you mean `notes`?")
    assert len(calls) <= 200  # a few keys per object, not one search per key


def test_the_second_look_does_not_copy_a_large_refused_document() -> None:
    # A million empty lists under an unknown key, beside a number past 64 bits: the second look
    # for hidden problems changed a deep copy of the whole tree, more than doubling peak memory.
    size = 1024 * 1024
    items = ",".join(["[]"] * (size // 3))
    raw = f'{{"kind":"case","schema_version":1,"x":[10000000000000000000,{items}]}}'.encode()
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            ipt_core.loads(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 60 * len(raw)  # the parsed tree once (about 45 times its text), not twice


def _group_whose_members_all_join_late(sessions: int, members: int) -> bytes:
    # Every attendance record names a member who joins after the session: one problem each,
    # found by the group's own checks (so not counted against the budget as they are found).
    doc = json.loads(ipt_core.dumps(sample_group()))
    doc["members"] = [
        {"id": f"m{i}", "case_id": f"c{i}", "alias": f"A{i}", "joined": "2099-01-01", "left": None}
        for i in range(members)
    ]
    doc["pre_group_meetings"] = []
    doc["sessions"] = [
        {
            "number": s + 1,
            "date": (date(2020, 1, 1) + timedelta(days=s)).isoformat(),
            "phase": "middle",
            "attendance": [{"member": f"m{i}", "status": "attended"} for i in range(members)],
            "notes": "",
        }
        for s in range(sessions)
    ]
    return json.dumps(doc).encode()


def test_a_group_with_thousands_of_problems_gets_a_bounded_second_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 20 000 problems from the group's own checks: the second look replaced every refused value
    # (and compared each new problem with each replaced path), seconds for a 4 MiB group.
    calls: list[str] = []
    original = _repair._repair

    def spy(data: Any, cls: Any, problem: Any, state: Any) -> bool:
        calls.append(problem.path)
        return original(data, cls, problem, state)

    monkeypatch.setattr(_repair, "_repair", spy)
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(_group_whose_members_all_join_late(200, 100), Group)
    problems = info.value.problems
    most = Limits().max_problems
    assert len(problems) == most + 1
    assert problems[-1].code == ProblemCode.TOO_MANY_PROBLEMS
    assert {p.code for p in problems[:-1]} == {ProblemCode.INCONSISTENT}
    assert len(calls) <= 2 * most


def test_the_last_problem_of_a_cut_list_says_how_many_more_were_found_and_when_checking_stopped() -> None:
    from ipt_core.errors import Problem, ProblemCode, capped

    found = [
        Problem(f"$.people[{i}].ring", ProblemCode.OUT_OF_RANGE, "beyond the circle's rings")
        for i in range(1002)
    ]
    assert capped(found, 100)[-1].message == "and 902 more"
    stopped = capped(found, 100, stopped=True)
    assert len(stopped) == 101
    assert stopped[-1].message == "and at least 902 more: checking stopped at the problem limit (100 listed)"
    assert capped(found[:40], 100, stopped=True)[-1].message == (
        "and more: checking stopped at the problem limit (40 listed)"
    )
