"""Bad input to score(): a ValidationError with a path and a code, never the value."""

from __future__ import annotations

import pytest

from ipt_core.domain.sessions import InstrumentAnswers, Missing
from ipt_core.errors import ProblemCode, ValidationError
from ipt_core.measures import ScoringPolicy, score, score_record


def _problems(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in exc.value.problems]


def test_unknown_instrument() -> None:
    with pytest.raises(ValidationError) as exc:
        score("beck-secret-name", [0])
    assert _problems(exc) == [("$.instrument", ProblemCode.NOT_ALLOWED)]
    assert "beck" not in str(exc.value)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([0] * 8, [("$.answers", ProblemCode.TOO_SHORT)]),
        ([0] * 11, [("$.answers", ProblemCode.TOO_LONG)]),
        ([0] * 8 + [4], [("$.answers[8]", ProblemCode.OUT_OF_RANGE)]),
        ([-1] + [0] * 8, [("$.answers[0]", ProblemCode.OUT_OF_RANGE)]),
        ([True] + [0] * 8, [("$.answers[0]", ProblemCode.WRONG_TYPE)]),
        ([1.0] + [0] * 8, [("$.answers[0]", ProblemCode.WRONG_TYPE)]),
        (["2"] + [0] * 8, [("$.answers[0]", ProblemCode.WRONG_TYPE)]),
        ("000000000", [("$.answers", ProblemCode.WRONG_TYPE)]),
        (
            [5, 0, 0, 0, 0, 0, 0, 0, 9],
            [
                ("$.answers[0]", ProblemCode.OUT_OF_RANGE),
                ("$.answers[8]", ProblemCode.OUT_OF_RANGE),
            ],
        ),
    ],
    ids=["short", "long", "item9-4", "negative", "bool", "float", "text", "string", "two"],
)
def test_bad_sequences(answers: object, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(ValidationError) as exc:
        score("phq9", answers)  # type: ignore[arg-type]
    assert _problems(exc) == expected


def test_messages_never_hold_the_value() -> None:
    with pytest.raises(ValidationError) as exc:
        score("wsas", [0, 0, 0, 0, 98765])
    assert "98765" not in str(exc.value)
    assert "98765" not in repr(exc.value)


def test_mapping_by_item_id() -> None:
    answers = {f"phq9_{n}": 1 for n in range(1, 10)}
    assert score("phq9", answers).total == 9
    answers["phq9_9"] = 7
    with pytest.raises(ValidationError) as exc:
        score("phq9", answers)
    assert _problems(exc) == [("$.answers.phq9_9", ProblemCode.OUT_OF_RANGE)]


def test_mapping_unknown_key_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as exc:
        score("gad7", {"gad7_1": 1, "Jane Doe": 2})
    assert _problems(exc) == [("$.answers", ProblemCode.UNKNOWN_KEY)]
    assert "Jane" not in str(exc.value)


def test_mapping_absent_items_are_missing_not_zero() -> None:
    result = score("gad7", {"gad7_1": 3})
    assert result.total is None
    assert not result.complete
    assert len(result.missing) == 6


@pytest.mark.parametrize(
    "marker",
    [None, Missing.SKIPPED, Missing.DECLINED, Missing.UNKNOWN, "skipped", "declined", "unknown"],
)
def test_missing_markers_are_never_zero(marker: object) -> None:
    result = score("gad7", [0, 0, 0, 0, 0, 0, marker])
    assert result.total is None
    assert result.missing == ("gad7_7",)


def test_unknown_option() -> None:
    with pytest.raises(ValidationError) as exc:
        score("phq9", [0] * 9, options=["retired"])
    assert _problems(exc) == [("$.options[0]", ProblemCode.NOT_ALLOWED)]


def test_policy_refuses_unknown_instrument_and_negative_limit() -> None:
    with pytest.raises(ValidationError):
        ScoringPolicy(max_missing={"phq9": -1})
    with pytest.raises(ValidationError):
        ScoringPolicy(max_missing={"nope": 1})


def test_score_record_uses_the_session_options() -> None:
    record = InstrumentAnswers(instrument="wsas", answers=(None, 2, 2, 2, 2), options=("retired",))
    assert score_record(record).total == 8
