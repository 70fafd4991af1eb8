"""What an app developer meets on a first afternoon with ``import ipt_core``: wrong types, ``None``,
datetimes where a day belongs, settings passed in the wrong place.

Each mistake is refused at once with a clear error: a ``TypeError`` naming the parameter and what to
pass when an argument of a function is of the wrong kind, a :class:`ValidationError` with a path and a
code when a record's field is. Neither ever repeats the value given (it may be a diagnosis or a name),
and neither is an ``AttributeError`` from deep inside the library.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

import ipt_core as ipt
from ipt_core import ProblemCode, ValidationError
from ipt_core.testing import sample_case

SECRET = "Zq-low-mood-since-divorce"  # noqa: S105 - clinical text, not a password
"""A value standing for clinical content: no error may repeat it."""
WRONG: Any = SECRET
"""The same value, passed where the types say something else goes."""
TODAY = date(2025, 3, 10)
CASE = sample_case(sessions=6)


# -- settings and protocols passed where they do not belong ------------------------------------------


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: ipt.next_steps(CASE, today=TODAY, risk_settings=WRONG), "risk_settings"),
        (lambda: ipt.risk_flags(CASE, settings=WRONG), "settings"),
        (lambda: ipt.open_risk_flags(CASE, settings=WRONG), "settings"),
        (lambda: ipt.risk.session_risk_flags(CASE.sessions[0], settings=WRONG), "settings"),
        (lambda: ipt.risk.session_risk_flags(WRONG), "session"),
        (lambda: ipt.progress.evaluate(CASE, today=TODAY, policy=WRONG), "policy"),
        (lambda: ipt.suggest_problem_areas(CASE, window=WRONG), "window"),
        (lambda: ipt.assess_problem_areas(CASE, window=WRONG), "window"),
        (lambda: ipt.screening_status(CASE, WRONG, today=TODAY), "protocol"),
        (lambda: ipt.phases.current_phase(WRONG), "case"),
        (lambda: ipt.fhir.case_risk_flags(WRONG, subject="Patient/1"), "case"),
    ],
)
def test_an_argument_of_the_wrong_kind_is_a_type_error_naming_it(call: Callable[[], Any], name: str) -> None:
    with pytest.raises(TypeError) as caught:
        call()
    message = str(caught.value)
    assert message.startswith(f"{name} must be "), message
    assert "not str" in message
    assert SECRET not in message


def test_an_argument_of_the_wrong_kind_is_also_a_validation_error_at_its_parameter() -> None:
    """Either ``except`` catches it: a caller's mistake (TypeError) and a refusal with a path and a
    code (ValidationError), and it survives a trip to a worker process whole."""
    with pytest.raises(ValidationError) as caught:
        ipt.progress.evaluate(CASE, today=TODAY, policy=WRONG)
    error = caught.value
    assert isinstance(error, TypeError)
    assert isinstance(error, ipt.ArgumentKindError)
    assert [(p.path, p.code) for p in error.problems] == [("$.policy", ipt.ProblemCode.WRONG_TYPE)]
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(again) is type(error)
    assert (str(again), again.problems) == (str(error), error.problems)
    assert SECRET not in repr(error)


def test_the_default_settings_still_apply_when_none_are_given() -> None:
    assert ipt.progress.evaluate(CASE, today=TODAY, policy=None) == ipt.progress.evaluate(CASE, today=TODAY)
    assert ipt.risk_flags(CASE) == ipt.risk_flags(CASE, settings=ipt.RiskSettings())


# -- a datetime where a day belongs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "when", [datetime(2031, 3, 3, 9, 30), datetime(2031, 3, 3, 9, 30, tzinfo=UTC)], ids=["naive", "aware"]
)
def test_a_datetime_in_a_records_date_says_to_pass_its_day(when: datetime) -> None:
    with pytest.raises(ValidationError) as caught:
        ipt.SessionRecord(number=1, date=when)
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$.date", ProblemCode.WRONG_TYPE)
    assert "not a datetime" in problem.message
    assert ".date()" in problem.message
    assert "2031" not in str(caught.value)


@pytest.mark.parametrize(
    "when", [datetime(2031, 3, 3, 9, 30), datetime(2031, 3, 3, 9, 30, tzinfo=UTC)], ids=["naive", "aware"]
)
def test_an_exact_fuzzy_date_is_made_from_a_day_not_a_datetime(when: datetime) -> None:
    with pytest.raises(TypeError, match=r"not a datetime") as caught:
        ipt.FuzzyDate.of(when)
    assert "2031" not in str(caught.value)
    assert ipt.FuzzyDate.of(date(2031, 3, 3)) == ipt.FuzzyDate(2031, 3, 3)


def test_a_renegotiation_dated_with_a_datetime_says_to_pass_its_day() -> None:
    with pytest.raises(ValidationError) as caught:
        CASE.renegotiate(on=datetime(2031, 3, 3, 9, 30), planned_sessions=18, reason="more time")
    (problem,) = caught.value.problems
    assert (problem.path, problem.code) == ("$.contract.renegotiations[0].on", ProblemCode.WRONG_TYPE)
    assert "not a datetime" in problem.message


# -- messages in words a person reads ----------------------------------------------------------------


def test_a_one_character_minimum_is_singular() -> None:
    with pytest.raises(ValidationError) as caught:
        CASE.renegotiate(on=TODAY, planned_sessions=18, reason="")
    assert caught.value.problems[0].message == "at least 1 character"


def test_a_member_named_with_a_vowel_takes_an() -> None:
    with pytest.raises(ValidationError) as caught:
        ipt.LifeEvent(id="e", kind="job_change", when=ipt.FuzzyDate(2024))  # type: ignore[arg-type]
    assert caught.value.problems[0].message.startswith("an EventKind member, not its text")
    with pytest.raises(ValidationError) as caught:
        ipt.Person(id="p", alias="Sam", category="partner")  # type: ignore[arg-type]
    assert caught.value.problems[0].message.startswith("a RelationshipCategory member, not its text")
