"""What must not change with the Python version ipt_core runs on (3.11, 3.12 and 3.13 are tested).

The standard library words some answers differently from one version to the next: the JSON parser
places a trailing comma elsewhere from 3.13 on, ``date.fromisoformat`` reads more forms than a
document allows, argparse repeats some of what was typed. ipt_core gives the same problems (path,
code, line, column, words) and the same usage errors on every version. The whole suite runs on
another version with ``make test-py PY=python3.13`` (see CONTRIBUTING.md); the drift tests of the
generated files (schemas, reference pages, compiled builders' module) then check that generating
them on that version gives the same bytes.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import ProblemCode, ValidationError, cli
from ipt_core._hints import json_syntax
from ipt_core.testing import sample_case

SENTINEL = "Zq7PYVERSIONxx"

# -- a trailing comma: where and how it is reported ---------------------------------------------

_WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=6)
_LEAVES = st.one_of(st.integers(-999, 999), st.booleans(), st.none(), _WORDS)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=4) | st.dictionaries(_WORDS, inner, min_size=1, max_size=4)
    ),
    max_leaves=12,
)
_CONTAINERS = st.one_of(
    st.lists(_VALUES, min_size=1, max_size=4), st.dictionaries(_WORDS, _VALUES, min_size=1, max_size=4)
)


def _with_trailing_comma(document: Any, indent: int | None, which: int, space: str) -> tuple[str, int]:
    """``document`` written as JSON with a comma (and ``space``) after the last member of one of its
    non-empty containers; the text, and the position of that container's closing bracket."""
    text = json.dumps(document, indent=indent)  # no bracket inside a text: the words are letters
    closings = [i for i, char in enumerate(text) if char in "]}" and text[:i].rstrip()[-1] not in "[{"]
    closing = closings[which % len(closings)]
    last = len(text[:closing].rstrip())
    text = text[:last] + "," + space + text[last:]
    return text, closing + 1 + len(space)


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    return text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)


@given(
    _CONTAINERS,
    st.sampled_from([None, 0, 2, 4]),
    st.integers(0, 50),
    st.text(alphabet=" \t\n\r", max_size=3),
)
def test_a_trailing_comma_is_placed_at_its_closing_bracket(
    document: Any, indent: int | None, which: int, space: str
) -> None:
    """Python 3.13 places a trailing comma at the comma, 3.11 and 3.12 at the bracket after it:
    every version reports it at the bracket, as a trailing comma before that bracket."""
    text, closing = _with_trailing_comma(document, indent, which, space)
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(text)
    (problem,) = excinfo.value.problems
    line, column = _line_and_column(text, closing)
    assert (problem.path, problem.code) == ("$", ProblemCode.INVALID_JSON)
    assert (problem.line, problem.column) == (line, column)
    bracket = text[closing]
    assert (
        problem.message
        == f"not valid JSON at line {line}, column {column}: a trailing comma before `{bracket}`"
    )


@given(_CONTAINERS, st.sampled_from([None, 2]), st.integers(0, 50), st.text(alphabet=" \n", max_size=3))
def test_both_parsers_words_for_a_trailing_comma_give_one_problem(
    document: Any, indent: int | None, which: int, space: str
) -> None:
    """The error each version's parser raises (whichever version runs this test) is turned into the
    same message, line and column."""
    text, closing = _with_trailing_comma(document, indent, which, space)
    comma = len(text[:closing].rstrip(" \t\n\r")) - 1
    bracket = text[closing]
    if bracket == "}":
        old = json.JSONDecodeError("Expecting property name enclosed in double quotes", text, closing)
        new = json.JSONDecodeError("Illegal trailing comma before end of object", text, comma)
    else:
        old = json.JSONDecodeError("Expecting value", text, closing)
        new = json.JSONDecodeError("Illegal trailing comma before end of array", text, comma)
    assert json_syntax(old, text) == json_syntax(new, text)
    assert json_syntax(old, text)[1:] == _line_and_column(text, closing)


@pytest.mark.parametrize(
    ("text", "line", "column", "hint"),
    [
        ('{"a": , "b": 1}', 1, 7, "a value is missing here"),  # not a trailing comma
        ("[1, , 2]", 1, 5, "a value is missing here"),
        ('{"a": 1, , "b": 2}', 1, 10, "a key in double quotes is expected here"),
        ('{"a": [1,}', 1, 10, "a value is missing here"),  # a comma, then the wrong bracket
        ('{"a": 1,\n\n  "b": 2,\n}', 4, 1, "a trailing comma before `}`"),
        ("[\r\n  1,\r\n]", 3, 1, "a trailing comma before `]`"),
    ],
)
def test_other_syntax_errors_are_not_called_a_trailing_comma(
    text: str, line: int, column: int, hint: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(text)
    (problem,) = excinfo.value.problems
    assert (problem.line, problem.column) == (line, column)
    assert hint in problem.message


# -- dates: one form only, whatever date.fromisoformat reads ------------------------------------

# date.fromisoformat reads each of these on Python 3.11 and later; a document never holds them.
_OTHER_DATE_FORMS = ["20250106", "2025-W02-1", "2025W021", "2025-006", "2025006", "２０２５-０１-０６"]


@pytest.mark.parametrize("form", _OTHER_DATE_FORMS)
def test_a_date_in_another_iso_form_is_refused_with_its_path(form: str) -> None:
    document = json.loads(ipt_core.dumps(sample_case()))
    document["contract"]["start"] = form
    with pytest.raises(ValidationError) as excinfo:
        ipt_core.loads(json.dumps(document))
    assert [(p.path, p.code) for p in excinfo.value.problems] == [("$.contract.start", ProblemCode.PATTERN)]


@pytest.mark.parametrize("form", _OTHER_DATE_FORMS)
def test_the_command_line_takes_a_date_in_one_form_only(
    form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["report", "--today", form, "case.json"]) == 2
    err = capsys.readouterr().err
    assert "a date as YYYY-MM-DD" in err
    assert form not in err


# -- usage errors: never what was typed ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--ph=" + SENTINEL, "case.json"],  # an abbreviation of two options, with a value
        ["report", "--phq=" + SENTINEL, "case.json"],
        ["score", "--pro=" + SENTINEL, "phq9", "1"],  # an abbreviation of a flag, with a value
        ["validate", "case.json", "-q" + SENTINEL],
        ["report", "--today=" + SENTINEL, "case.json"],
        ["score", "phq9", SENTINEL],
        [SENTINEL + "=1"],
    ],
)
def test_a_usage_error_does_not_repeat_what_was_typed(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert SENTINEL not in captured.out + captured.err
    assert "error:" in captured.err


def test_an_ambiguous_abbreviation_names_the_options_it_could_mean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["report", "--ph=" + SENTINEL, "case.json"]) == 2
    err = capsys.readouterr().err
    assert "ambiguous option" in err
    assert "--phq9-item9-high-from" in err
    assert "--phq2-positive-from" in err


def test_the_versions_tested_are_the_versions_declared() -> None:
    """The classifiers name exactly the CPython versions CONTRIBUTING.md records as tested (a
    packager running the suite on a newer Python is not stopped by this test)."""
    root = Path(__file__).parents[1]
    project = tomllib.loads(root.joinpath("pyproject.toml").read_text("utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    declared = {
        c.rpartition(" :: ")[2]
        for c in project["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    }
    tested = set(
        re.findall(
            r"^\| CPython (3\.[0-9]+)\.[0-9]+ \|", root.joinpath("CONTRIBUTING.md").read_text("utf-8"), re.M
        )
    )
    assert declared == tested == {"3.11", "3.12", "3.13"}
