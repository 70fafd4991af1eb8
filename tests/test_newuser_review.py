"""What a new user meets: the public API used as an app developer would use it, held to what the docs say.

Each test here stands for something a newcomer saw go wrong (or checked and found right) while
following the README, the docs and the examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import Case, ProblemCode, ValidationError
from ipt_core.testing import sample_case

# -- every edit refuses what is not a record alike --------------------------------------------------

_EDITS: dict[str, tuple[Callable[[Case, Any], Case], str]] = {
    "with_person": (Case.with_person, "$.inventory.people[{people}]"),
    "with_event": (Case.with_event, "$.timeline.events[{events}]"),
    "with_task": (Case.with_task, "$.tasks[{tasks}]"),
    "with_session": (Case.with_session, "$.sessions[{sessions}]"),
}

_NOT_RECORDS = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=12),
    st.dictionaries(st.sampled_from(["id", "alias", "number"]), st.text(max_size=8), max_size=3),
    st.lists(st.integers(), max_size=3),
)


def _where(case: Case, template: str) -> str:
    return template.format(
        people=len(case.inventory.people),
        events=len(case.timeline.events),
        tasks=len(case.tasks),
        sessions=len(case.sessions),
    )


def test_a_person_sent_as_a_plain_dict_is_refused_with_a_path_and_a_code() -> None:
    # A front end that forgets to read the JSON into a Person (ipt_core.loads(raw, ipt_core.Person)).
    case = sample_case(sessions=2, people=3)
    with pytest.raises(ValidationError) as raised:
        case.with_person({"id": "partner", "alias": "Sam", "category": "partner"})  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in raised.value.problems] == [
        ("$.inventory.people[3]", ProblemCode.WRONG_TYPE)
    ]
    assert "Sam" not in str(raised.value)


@settings(max_examples=60, deadline=None)
@given(edit=st.sampled_from(sorted(_EDITS)), value=_NOT_RECORDS)
def test_every_edit_refuses_a_value_that_is_not_its_record_the_same_way(edit: str, value: object) -> None:
    case = sample_case(sessions=2, people=3)
    method, template = _EDITS[edit]
    with pytest.raises(ValidationError) as raised:
        method(case, value)
    assert [(p.path, p.code) for p in raised.value.problems] == [(_where(case, template), ProblemCode.WRONG_TYPE)]
    if isinstance(value, str) and len(value) > 3:
        assert value not in str(raised.value)
    assert ipt_core.loads(ipt_core.dumps(case)) == case  # the case it was made to is unchanged
