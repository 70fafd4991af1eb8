"""The shipped JSON Schema and ``loads`` agree on documents one change away from a valid one.

A front end validating with the schema alone must never accept what ``loads`` then refuses for a
reason the schema can state (a type, a range, a length, a pattern, a closed set, a required key), and
never refuse what ``loads`` accepts. What only ``loads`` can check is named here: references between
parts of the document, order, fields that contradict each other, and answers checked against their
instrument's items.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import ProblemCode, ValidationError
from ipt_core.testing import cases, groups, protocols

_CROSS_FIELD = {
    ProblemCode.DANGLING_REFERENCE,
    ProblemCode.ORDER,
    ProblemCode.INCONSISTENT,
    ProblemCode.DUPLICATE_ID,
    ProblemCode.NOT_ALLOWED_BY_PROTOCOL,
}
"""Codes of rules between parts of a document, which a JSON Schema does not state."""

_VALIDATORS = {
    cls: jsonschema.Draft202012Validator(
        ipt_core.json_schema(cls), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for cls in (ipt_core.Case, ipt_core.Group, ipt_core.Protocol)
}

_VALUES: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(
        [None, "", " ", "x", "x" * 81, "x" * 10_001, 0, -1, 1, 2, 1.5, True, False, [], {}, ["x"], [None]]
    ),
    st.sampled_from(["2025-02-28", "2025-02-30", "2025-1-1", "2025", "~2025-02", "0000-01-01", "9999-12-31"]),
    st.sampled_from(["weekly", "partner", "middle", "attended", "role_dispute", "phq9", "a-b.c_9", "a" * 65]),
    st.integers(-(2**40), 2**40),
    st.text(max_size=12),
)


def _leaves(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at] if at and at[0] not in ("kind", "schema_version") else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _leaves(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _leaves(item, (*at, i))
    return found


def _changed(document: dict[str, Any], at: tuple[Any, ...], value: Any, *, delete: bool) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    parent = changed
    for step in at[:-1]:
        parent = parent[step]
    if delete:
        del parent[at[-1]]
    else:
        parent[at[-1]] = value
    return changed


def _only_loads_can_check(problem: ipt_core.Problem) -> bool:
    if problem.code in _CROSS_FIELD:
        return True
    if ".measures[" in problem.path and (".answers" in problem.path or ".options" in problem.path):
        return True  # each instrument's own item count and ranges
    if problem.code == ProblemCode.INVALID_VALUE and problem.message in ("no such date", "no such day"):
        return True  # the pattern allows the 29th of February of every year
    # A protocol's own rules: an area that may be the focus, an initial and a termination phase, a
    # default number of sessions between the least and the most (the least number of areas and
    # phases is the schema's too: ``minItems``, and both keys are required).
    if problem.path in ("$.areas", "$.phases"):
        return problem.code != ProblemCode.TOO_SHORT or "focus" in problem.message
    return problem.path == "$.sessions.default_sessions"


def _check(obj: Any, data: st.DataObject) -> None:
    cls = type(obj)
    document = json.loads(ipt_core.dumps(obj))
    at = data.draw(st.sampled_from(_leaves(document)), label="path")
    delete = isinstance(at[-1], str) and data.draw(st.booleans(), label="delete")
    changed = _changed(document, at, None if delete else data.draw(_VALUES, label="value"), delete=delete)
    schema_accepts = _VALIDATORS[cls].is_valid(changed)
    problems: tuple[ipt_core.Problem, ...] = ()
    try:
        ipt_core.loads(json.dumps(changed), cls)
    except ValidationError as error:
        problems = error.problems
    if not problems:
        assert schema_accepts, "loads accepted a document the schema refuses"
    elif schema_accepts:
        assert all(_only_loads_can_check(p) for p in problems), [str(p) for p in problems]


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(cases(max_sessions=3, max_people=3), st.data())
def test_a_changed_case(case: ipt_core.Case, data: st.DataObject) -> None:
    _check(case, data)


@_SETTINGS
@given(groups(max_members=4, max_sessions=3), st.data())
def test_a_changed_group(group: ipt_core.Group, data: st.DataObject) -> None:
    _check(group, data)


@_SETTINGS
@given(protocols(), st.data())
def test_a_changed_protocol(protocol: ipt_core.Protocol, data: st.DataObject) -> None:
    _check(protocol, data)


@pytest.mark.parametrize("cls", [ipt_core.Case, ipt_core.Group, ipt_core.Protocol])
def test_an_unknown_key_anywhere_is_refused_by_both(cls: type[Any]) -> None:
    from ipt_core.testing import sample_case, sample_group

    samples = {ipt_core.Case: sample_case(sessions=2), ipt_core.Group: sample_group()}
    document = json.loads(ipt_core.dumps(samples.get(cls) or ipt_core.protocols.get("standard")))
    for at in _leaves(document):
        parent: Any = document
        for step in at[:-1]:
            parent = parent[step]
        if not isinstance(parent, dict):
            continue
        changed = _changed(document, (*at[:-1], "zz_unknown"), 1, delete=False)
        assert not _VALIDATORS[cls].is_valid(changed), at
        with pytest.raises(ValidationError):
            ipt_core.loads(json.dumps(changed), cls)
