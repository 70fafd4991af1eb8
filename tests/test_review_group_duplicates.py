"""Two copies of one member's case given to the group's outcomes: refused, never silently one of them.

The service exports Bea's case twice (this week's file and last month's, which stops before her
last sessions). The group agenda reads every copy, so that the old copy cannot hide an open flag;
the outcomes would have paired the scores of whichever copy came last. They now refuse two
different copies with the path of the second and a code, and accept the same copy given twice.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core.boundary.group_report import group_report_data, render_group_text
from ipt_core.cli import main
from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.testing import sample_group, sample_group_cases

TODAY = date(2025, 9, 1)


def _older(case: ipt_core.Case) -> ipt_core.Case:
    """Last month's export: the same case without its last two sessions."""
    return attrs.evolve(case, sessions=case.sessions[:-2])


def test_two_different_copies_of_a_members_case_are_refused_with_a_path_and_a_code() -> None:
    group = sample_group(6, seed=2)
    cases = list(sample_group_cases(group, seed=2))
    stale = _older(cases[1])
    given_cases = [*cases, stale]
    with pytest.raises(ValidationError) as raised:
        ipt_core.group_outcomes(group, given_cases, today=TODAY)
    (problem,) = raised.value.problems
    assert (problem.path, problem.code) == (f"$.cases[{len(cases)}].id", ProblemCode.DUPLICATE_ID)
    assert "$.cases[1]" in problem.message
    assert stale.id not in str(raised.value)
    # The group report refuses the outcomes in the same words, and still shows the rest (the
    # members' risk first, read from every copy).
    data = group_report_data(group, today=TODAY, cases=given_cases)
    assert data["outcomes"] is None
    assert data["outcomes_problems"] == [
        {"path": problem.path, "code": problem.code, "message": problem.message}
    ]
    assert data["agenda_items"] == group_report_data(group, today=TODAY, cases=cases)["agenda_items"]
    assert "Outcomes not computed" in render_group_text(group, today=TODAY, cases=given_cases)
    assert group_report_data(group, today=TODAY, cases=cases)["outcomes_problems"] == []


def test_the_same_copy_given_twice_is_one_case() -> None:
    group = sample_group(6, seed=2)
    cases = list(sample_group_cases(group, seed=2))
    once = ipt_core.group_outcomes(group, cases, today=TODAY)
    assert ipt_core.group_outcomes(group, [*cases, cases[0]], today=TODAY) == once


def test_a_copy_of_a_case_not_in_the_group_is_ignored_as_before() -> None:
    group = sample_group(6, seed=2)
    cases = list(sample_group_cases(group, seed=2))
    stranger = attrs.evolve(cases[0], id="not-a-member")
    outcomes = ipt_core.group_outcomes(group, [*cases, stranger, _older(stranger)], today=TODAY)
    assert outcomes == ipt_core.group_outcomes(group, cases, today=TODAY)


def test_the_report_command_names_the_case_files_given_twice(tmp_path: Path) -> None:
    group = sample_group(6, seed=2)
    cases = list(sample_group_cases(group, seed=2))
    (tmp_path / "group.json").write_bytes(ipt_core.dumps(group))
    files = []
    for i, case in enumerate([*cases, _older(cases[1])]):
        path = tmp_path / f"case-{i}.json"
        path.write_bytes(ipt_core.dumps(case))
        files += ["--case", str(path)]
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["report", str(tmp_path / "group.json"), "--today", TODAY.isoformat(), *files], out=out, err=err
    )
    assert status == 1
    assert "Next session:" in out.getvalue()  # the report, the members' risk first, is still written
    assert "Outcomes not computed" in out.getvalue()
    assert f"--case file {len(cases) + 1}" in err.getvalue()
    assert "duplicate_id" in err.getvalue()
    assert cases[1].id not in err.getvalue()


@given(st.integers(3, 8), st.integers(0, 30), st.data())
def test_outcomes_never_depend_on_the_order_the_cases_come_in(
    members: int, seed: int, data: st.DataObject
) -> None:
    group = sample_group(members, seed=seed)
    cases = list(sample_group_cases(group, seed=seed))
    shuffled = data.draw(st.permutations(cases))
    repeated = data.draw(st.lists(st.sampled_from(cases), max_size=3))
    assert ipt_core.group_outcomes(group, [*shuffled, *repeated], today=TODAY) == ipt_core.group_outcomes(
        group, cases, today=TODAY
    )
