"""Edits of the course's record on a case: the contract's and the formulation's agreement, the onset,
the termination review, the exit outcome and the safety plan.

Each returns a new case, checked as a case built from the same fields would be, and refuses with a
:class:`ValidationError` naming the path in the case document and a code, never the value given. A
day that is a ``datetime`` (naive or aware) is a ``TypeError`` saying what to pass, as everywhere a
day is taken.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core as ipt
from ipt_core import (
    Case,
    ExitOutcome,
    FuzzyDate,
    ProblemCode,
    SafetyPlan,
    TerminationReview,
    ValidationError,
)
from ipt_core.testing import cases, fuzzy_dates, safety_plans, sample_case

SECRET = "Nicola-fears-redundancy"  # noqa: S105 - clinical text, not a password
"""A value that stands for clinical content: no error may repeat it."""


def _problems(build: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        build()
    assert SECRET not in str(caught.value)
    assert all(SECRET not in repr(p) for p in caught.value.problems)
    return [(p.path, p.code) for p in caught.value.problems]


def _whole(record: Any, **changes: Any) -> Any:
    """What the full construction gives for the same fields: the record, or its problems."""
    try:
        return attrs.evolve(record, **changes)
    except ValidationError as error:
        return [(p.path, p.code) for p in error.problems]


def _edit(build: Any) -> Case | list[tuple[str, str]]:
    try:
        result = build()
    except ValidationError as error:
        return [(p.path, p.code) for p in error.problems]
    assert isinstance(result, Case)
    return result


# -- a vignette: Nicola's course, recorded as the therapist would ------------------------------------


def test_nicolas_course_is_recorded_with_the_edit_methods() -> None:
    case = sample_case(sessions=16)
    assert case.formulation is not None
    presented = case.sessions[2].date
    case = case.agree_contract(on=case.contract.start)
    assert case.contract.agreed_on == case.contract.start
    case = case.agree_formulation(on=presented, presented_on=presented)
    assert case.formulation is not None
    assert case.formulation.agreed_on == presented
    assert case.formulation.presented_on == presented
    case = case.with_onset(FuzzyDate(2024, 10, circa=True))
    assert case.timeline.onset == FuzzyDate(2024, 10, circa=True)
    review = TerminationReview(
        announced_in_session=12,
        gains=("talked with her partner about her fears",),
        attribution="we talk instead of me going quiet",
        warning_signs=("withdrawing when work is uncertain",),
        contingency_plan="tell her partner early; book a review session",
        maintenance_offered=True,
        maintenance_accepted=False,
    )
    case = case.with_termination(review)
    assert case.termination == review
    case = case.with_outcome(ExitOutcome.COMPLETED)
    assert case.outcome is ExitOutcome.COMPLETED
    assert ipt.loads(ipt.dumps(case), Case) == case


def test_an_agreement_to_the_formulation_keeps_the_day_it_was_presented() -> None:
    case = sample_case(sessions=4)
    assert case.formulation is not None
    day = case.sessions[1].date
    presented = case.agree_formulation(on=day, presented_on=day)
    again = presented.agree_formulation(on=day + timedelta(days=7))
    assert again.formulation is not None
    assert again.formulation.presented_on == day
    assert again.formulation.agreed_on == day + timedelta(days=7)


def test_the_outcome_may_be_given_as_its_text_or_cleared() -> None:
    case = sample_case(sessions=2)
    assert case.with_outcome("dropped_out").outcome is ExitOutcome.DROPPED_OUT
    assert case.with_outcome(ExitOutcome.COMPLETED).with_outcome(None).outcome is None


def test_the_onset_may_be_a_plain_date_or_cleared() -> None:
    case = sample_case(sessions=2)
    assert case.with_onset(date(2024, 10, 2)).timeline.onset == FuzzyDate(2024, 10, 2)
    assert case.with_onset(None).timeline.onset is None


def test_a_safety_plan_is_set_and_cleared() -> None:
    case = sample_case(sessions=2)
    plan = SafetyPlan(reviewed_on=date(2025, 1, 20), warning_signs=("not sleeping",))
    assert case.with_safety_plan(plan).safety_plan == plan
    assert case.with_safety_plan(plan).with_safety_plan(None).safety_plan is None


# -- refusals: the path in the case document and a code, never the value -------------------------------


def test_agreeing_to_a_formulation_never_made_is_missing_at_the_formulation() -> None:
    case = Case(id="c", contract=sample_case(sessions=0).contract)
    assert _problems(lambda: case.agree_formulation(on=date(2025, 3, 17))) == [
        ("$.formulation", ProblemCode.MISSING)
    ]


def test_agreeing_before_it_was_ever_presented_points_at_the_presentation() -> None:
    case = sample_case(sessions=3)
    assert case.formulation is not None
    case = case.with_formulation(attrs.evolve(case.formulation, presented_on=None, agreed_on=None))
    assert _problems(lambda: case.agree_formulation(on=date(2025, 3, 17))) == [
        ("$.formulation.presented_on", ProblemCode.MISSING)
    ]


def test_agreeing_before_the_presentation_is_out_of_order_at_its_path() -> None:
    case = sample_case(sessions=3)
    day = date(2025, 3, 17)
    assert _problems(lambda: case.agree_formulation(on=day, presented_on=day + timedelta(days=1))) == [
        ("$.formulation.agreed_on", ProblemCode.ORDER)
    ]


def test_a_contract_agreed_long_before_it_starts_is_out_of_order_at_its_path() -> None:
    case = sample_case(sessions=1)
    assert _problems(lambda: case.agree_contract(on=case.contract.start - timedelta(days=3650))) == [
        ("$.contract.agreed_on", ProblemCode.ORDER)
    ]


def test_a_termination_announced_in_a_session_never_held_is_a_dangling_reference() -> None:
    case = sample_case(sessions=3)
    review = TerminationReview(announced_in_session=40, attribution=SECRET)
    assert _problems(lambda: case.with_termination(review)) == [
        ("$.termination.announced_in_session", ProblemCode.DANGLING_REFERENCE)
    ]


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda c: c.with_termination(SECRET), "$.termination"),
        (lambda c: c.with_safety_plan(SECRET), "$.safety_plan"),
        (lambda c: c.with_onset(SECRET), "$.timeline.onset"),
        (lambda c: c.with_onset(12), "$.timeline.onset"),
        (lambda c: c.with_outcome(SECRET), "$.outcome"),
        (lambda c: c.with_outcome(3), "$.outcome"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_at_its_path(edit: Any, path: str) -> None:
    case = sample_case(sessions=2)
    problems = _problems(lambda: edit(case))
    assert [p for p, _ in problems] == [path]
    assert problems[0][1] in (ProblemCode.WRONG_TYPE, ProblemCode.NOT_ALLOWED)


@pytest.mark.parametrize(
    "day",
    [datetime(2031, 3, 17, 9, 0), datetime(2031, 3, 17, 9, 0, tzinfo=UTC), None, "2031-03-17"],
    ids=["naive", "aware", "none", "text"],
)
@pytest.mark.parametrize("method", ["agree_contract", "agree_formulation"])
def test_a_day_that_is_not_a_date_is_a_type_error_naming_the_parameter(method: str, day: Any) -> None:
    case = sample_case(sessions=3)
    with pytest.raises(TypeError, match=r"^on must be a datetime\.date") as caught:
        getattr(case, method)(on=day)
    assert "2031" not in str(caught.value)


def test_a_datetime_onset_is_a_type_error_saying_what_to_pass() -> None:
    case = sample_case(sessions=2)
    with pytest.raises(TypeError, match=r"not a datetime"):
        case.with_onset(datetime(2024, 10, 2, tzinfo=UTC))


# -- properties: each edit gives exactly what the full construction gives ---------------------------


@settings(max_examples=60, deadline=None)
@given(cases(max_sessions=4), st.data())
def test_the_edits_agree_with_the_full_construction(case: Case, data: st.DataObject) -> None:
    numbers = [s.number for s in case.sessions]
    announced = data.draw(st.none() | st.sampled_from([*numbers, 999]), label="announced")
    review = TerminationReview(announced_in_session=announced)
    assert _edit(lambda: case.with_termination(review)) == _whole(case, termination=review)
    outcome = data.draw(st.none() | st.sampled_from(ExitOutcome), label="outcome")
    assert _edit(lambda: case.with_outcome(outcome)) == _whole(case, outcome=outcome)
    onset = data.draw(st.none() | fuzzy_dates(), label="onset")
    timeline = attrs.evolve(case.timeline, onset=onset)
    assert _edit(lambda: case.with_onset(onset)) == _whole(case, timeline=timeline)
    plan = data.draw(st.none() | safety_plans(), label="plan")
    assert _edit(lambda: case.with_safety_plan(plan)) == _whole(case, safety_plan=plan)
    day = data.draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)), label="day")
    try:
        contract = attrs.evolve(case.contract, agreed_on=day)
    except ValidationError:
        assert isinstance(_edit(lambda: case.agree_contract(on=day)), list)
    else:
        assert _edit(lambda: case.agree_contract(on=day)) == _whole(case, contract=contract)


@settings(max_examples=60, deadline=None)
@given(cases(max_sessions=4), st.data())
def test_an_agreement_to_the_formulation_agrees_with_the_full_construction(
    case: Case, data: st.DataObject
) -> None:
    day = data.draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)), label="agreed")
    presented = data.draw(st.none() | st.dates(date(2020, 1, 1), date(2030, 12, 31)), label="presented")
    found = _edit(lambda: case.agree_formulation(on=day, presented_on=presented))
    formulation = case.formulation
    if formulation is None:
        assert found == [("$.formulation", ProblemCode.MISSING)]
        return
    shown = presented or formulation.presented_on
    if shown is None:
        assert found == [("$.formulation.presented_on", ProblemCode.MISSING)]
        return
    alone = _whole(formulation, agreed_on=day, presented_on=shown)  # the formulation's own checks
    if isinstance(alone, list):
        assert found == [(path.replace("$", "$.formulation", 1), code) for path, code in alone]
    else:
        assert found == _whole(case, formulation=alone)


# -- a risk check recorded on the session whose answers it reviews -----------------------------------


def test_a_risk_check_recorded_on_the_session_it_reviews_closes_its_flag() -> None:
    """Week 5 of a course: item 9 of the PHQ-9 above 0; the clinician calls two days later and
    records the risk check on the week-5 record, so the flag is reviewed."""
    case = sample_case(sessions=4)
    day = case.sessions[-1].date + timedelta(days=7)
    answers = ipt.InstrumentAnswers("phq9", (2, 2, 2, 2, 1, 2, 1, 1, 1))
    case = case.with_session(ipt.SessionRecord(number=5, date=day, measures=(answers,)))
    assert [flag.session for flag in ipt.open_risk_flags(case)] == [5]
    check = ipt.RiskCheck(level=ipt.RiskLevel.LOW, safety_plan_reviewed=True)
    reviewed = case.with_risk_check(5, check)
    assert reviewed.sessions[-1].risk_check == check
    assert reviewed.sessions[:-1] == case.sessions[:-1]
    assert ipt.open_risk_flags(reviewed) == ()
    assert reviewed == attrs.evolve(case, sessions=(*case.sessions[:-1], reviewed.sessions[-1]))


def test_a_risk_check_on_a_session_never_held_is_a_dangling_reference() -> None:
    case = sample_case(sessions=3)
    check = ipt.RiskCheck(level=ipt.RiskLevel.LOW, notes=SECRET)
    assert _problems(lambda: case.with_risk_check(9, check)) == [
        ("$.sessions", ProblemCode.DANGLING_REFERENCE)
    ]


def test_a_risk_check_of_the_wrong_kind_is_refused_at_its_path() -> None:
    case = sample_case(sessions=3)
    assert _problems(lambda: case.with_risk_check(2, SECRET)) == [  # type: ignore[arg-type]
        ("$.sessions[1].risk_check", ProblemCode.WRONG_TYPE)
    ]


@pytest.mark.parametrize("number", ["2", 2.0, True, None])
def test_a_session_number_that_is_not_an_integer_is_a_type_error(number: Any) -> None:
    case = sample_case(sessions=3)
    with pytest.raises(TypeError, match=r"^session must be a session number"):
        case.with_risk_check(number, ipt.RiskCheck(level=ipt.RiskLevel.NONE))


@settings(max_examples=60, deadline=None)
@given(cases(max_sessions=4), st.data())
def test_a_risk_check_agrees_with_the_full_construction(case: Case, data: st.DataObject) -> None:
    if not case.sessions:
        return
    at = data.draw(st.integers(0, len(case.sessions) - 1), label="at")
    level = data.draw(st.none() | st.sampled_from(ipt.RiskLevel), label="level")
    check = None if level is None else ipt.RiskCheck(level=level)
    revised = attrs.evolve(case.sessions[at], risk_check=check)
    sessions = (*case.sessions[:at], revised, *case.sessions[at + 1 :])
    # ``correcting``: any check may replace any other (without it, lowering a check that raised a
    # flag is refused, see test_risk_review_paths.py).
    edited = case.with_risk_check(case.sessions[at].number, check, correcting=True)
    assert edited == attrs.evolve(case, sessions=sessions)
    carried = edited.__dict__.get("_ipt_edit_index")
    if carried is not None:
        from ipt_core.domain import _edits

        assert carried == _edits.index_of(attrs.evolve(edited))
