"""Redaction hides ids, keeps every interval and order, never fails on a valid case, refuses weak keys."""

from __future__ import annotations

import hmac
import sys
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import Case, FuzzyDate
from ipt_core.agenda import suggest_problem_areas
from ipt_core.boundary.redaction import _dates, opaque_id, pseudonym, redact
from ipt_core.testing import cases

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
import nicola

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEY = b"0f3c9a7e2b5d8146aa17c3e9d0b2f485"


def _days_from_start(case: Case) -> list[int]:
    return [(d - case.contract.start).days for d in _dates(case)]


def _near_onset(case: Case) -> list[str]:
    return [e.id for e in case.timeline.near_onset()]


def _suggestions(case: Case) -> list[tuple[str, list[tuple[str, str]]]]:
    # Areas in rank order; the evidence of an area as a set: evidence of equal weight is ordered by
    # record id, and redaction replaces the ids.
    return [(s.kind.value, sorted((e.code, e.path) for e in s.evidence)) for s in suggest_problem_areas(case)]


def _check(case: Case) -> Case:
    redacted = redact(case, key=KEY)
    assert _days_from_start(redacted) == _days_from_start(case)
    assert [type(d) for d in _dates(redacted)] == [type(d) for d in _dates(case)]
    assert _near_onset(redacted) == [opaque_id(i, key=KEY) for i in _near_onset(case)]
    assert _suggestions(redacted) == _suggestions(case)
    assert [e.when.precision for e in redacted.timeline.events] == [
        e.when.precision for e in case.timeline.events
    ]
    # every reference resolves: the case's own invariants check them, and the document loads
    assert ipt_core.loads(ipt_core.dumps(redacted)) == redacted
    return redacted


def test_nicola_keeps_every_interval_and_suggestion_and_loses_her_ids() -> None:
    case = nicola.build_case()
    redacted = _check(case)
    raw = ipt_core.dumps(redacted).decode()
    ids = {case.id} | {p.id for p in case.inventory.people} | {e.id for e in case.timeline.events}
    assert len(ids) > 5
    for original in ids:
        assert f'"id":"{original}"' not in raw
    redacted_ids = {p.id for p in redacted.inventory.people} | {e.id for e in redacted.timeline.events}
    assert all(i.startswith("r-") for i in redacted_ids)  # and every reference resolves to one of them
    assert redacted.id == opaque_id(case.id, key=KEY)


def test_ids_like_dates_or_names_do_not_survive() -> None:
    case = nicola.build_case()
    raw = ipt_core.dumps(case)
    event = case.timeline.events[0].id
    renamed = ipt_core.loads(
        raw.replace(f'"{event}"'.encode(), b'"ev-2024-03"').replace(
            f'"{case.id}"'.encode(), b'"nicola-smith"'
        )
    )
    assert renamed.id == "nicola-smith"
    redacted = ipt_core.dumps(redact(renamed, key=KEY)).decode()
    assert "nicola-smith" not in redacted
    assert "ev-2024-03" not in redacted


@pytest.mark.parametrize(
    "when",
    [
        FuzzyDate(1),
        FuzzyDate(1, 6, 1),
        FuzzyDate(1, 1, 1),
        FuzzyDate(9999),
        FuzzyDate(9999, 12, 31),
        FuzzyDate(1900, 2),
    ],
)
def test_very_early_and_late_dates_are_redacted_without_failing(when: FuzzyDate) -> None:
    case = nicola.build_case()
    events = case.timeline.events
    moved = attrs.evolve(case.timeline, events=(attrs.evolve(events[0], when=when), *events[1:]))
    _check(attrs.evolve(case, timeline=moved))


@_SETTINGS
@given(cases(max_sessions=4, max_people=4), st.data())
def test_redaction_keeps_intervals_order_and_references(case: Case, data: st.DataObject) -> None:
    events = case.timeline.events
    move = bool(events) and data.draw(st.booleans(), label="move an event far")
    if move:
        far = data.draw(
            st.sampled_from([FuzzyDate(1), FuzzyDate(1, 6, 1), FuzzyDate(9999, 12), FuzzyDate(2100, 2, 28)])
        )
        index = data.draw(st.integers(0, len(events) - 1))
        changed = attrs.evolve(events[index], when=far)
        case = attrs.evolve(
            case,
            timeline=attrs.evolve(case.timeline, events=(*events[:index], changed, *events[index + 1 :])),
        )
    _check(case)


@pytest.mark.parametrize(
    "key",
    [
        b"",
        b"short",
        b"x" * 15,
        b"\0" * 16,
        b"k" * 64,
        "a text key of enough length",
        None,
        12345678901234567890,
    ],
)
def test_weak_keys_are_refused_everywhere(key: Any) -> None:
    case = nicola.build_case()
    for call in (
        lambda: redact(case, key=key),
        lambda: pseudonym("Sam", key=key),
        lambda: opaque_id("p1", key=key),
    ):
        with pytest.raises(ValueError, match="key"):
            call()


def test_a_good_key_of_sixteen_bytes_is_accepted() -> None:
    assert pseudonym("Sam", key=bytes(range(16))).startswith("P-")
    assert opaque_id("p1", key=bytes(range(16))) != pseudonym("p1", key=bytes(range(16)))


def test_the_same_id_under_two_keys_differs() -> None:
    assert opaque_id("nicola", key=KEY) != opaque_id("nicola", key=KEY[::-1])
    assert date(2000, 1, 1)  # the epoch is a plain date


def test_a_long_key_is_hashed_once_and_gives_the_same_pseudonyms(monkeypatch: pytest.MonkeyPatch) -> None:
    """A megabyte key costs one pass over it, not one per alias and id, and changes no pseudonym
    (HMAC hashes a key longer than its block first, RFC 2104)."""
    long_key = bytes(range(256)) * 4096
    case = nicola.build_case()
    expected_alias = pseudonym(case.inventory.people[0].alias, key=long_key)
    expected_id = opaque_id(case.id, key=long_key)
    key_bytes_hashed: list[int] = []
    real_new = hmac.new

    def spy(key: bytes, *args: Any, **kwargs: Any) -> Any:
        key_bytes_hashed.append(len(key))
        return real_new(key, *args, **kwargs)

    monkeypatch.setattr(hmac, "new", spy)  # the module redaction calls
    redacted = redact(case, key=long_key)
    assert redacted.inventory.people[0].alias == expected_alias
    assert redacted.id == expected_id
    assert len(key_bytes_hashed) > 10
    assert sum(key_bytes_hashed) < 2 * len(long_key)
