"""The group document: a WHO group recorded as facilitators would record it, its invariants, and
bad input refused with a path and a code, never a value."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

import ipt_core
from _boundary_helpers import SENTINEL, assert_no_leak, fill_sentinels, json_paths, replaced
from ipt_core import (
    Facilitator,
    FacilitatorRole,
    Group,
    GroupAttendance,
    GroupSession,
    Member,
    MemberAttendance,
    MemberExit,
    Phase,
    PreGroupMeeting,
    ValidationError,
)
from ipt_core.testing import sample_group

A = GroupAttendance.ATTENDED
M = GroupAttendance.MISSED
E = GroupAttendance.EXCUSED
MONDAY = date(2025, 3, 17)


def _village_group() -> Group:
    """Lay facilitators in a village health post start a group for six women (a vignette)."""
    names = ["Aisha", "Beatrice", "Grace", "Joy", "Mercy", "Ruth"]
    members = tuple(
        Member(f"w{i + 1}", f"case-w{i + 1}", name, joined=MONDAY - timedelta(days=10))
        for i, name in enumerate(names)
    )
    meetings = tuple(PreGroupMeeting(m.id, MONDAY - timedelta(days=8 - i)) for i, m in enumerate(members))
    return Group(
        id="kiboga-1",
        protocol_id="group-who",
        facilitators=(
            Facilitator("f1", "Sarah", FacilitatorRole.LEAD),
            Facilitator("f2", "Esther", FacilitatorRole.CO_FACILITATOR),
        ),
        members=members,
        pre_group_meetings=meetings,
        sessions=(
            GroupSession(
                1,
                MONDAY,
                Phase.INITIAL,
                tuple(MemberAttendance(m.id, A if m.id != "w4" else M) for m in members),
                notes="everyone shared why they came",
            ),
        ),
    )


def test_a_village_group_is_recorded_and_round_trips() -> None:
    group = _village_group()
    raw = ipt_core.dumps(group)
    assert json.loads(raw)["kind"] == "group"
    assert ipt_core.loads(raw, Group) == group
    assert ipt_core.dumps(ipt_core.loads(raw, Group)) == raw
    assert group.first_attended("w1") == group.sessions[0]
    assert group.first_attended("w4") is None
    assert group.attendance_of("w4") == ((group.sessions[0], M),)
    assert group.next_session_number() == 2
    assert group.start == MONDAY - timedelta(days=10)


def test_the_cli_loader_picks_a_group_by_its_kind() -> None:
    from ipt_core.cli import load_document

    assert load_document(ipt_core.dumps(_village_group())) == _village_group()


def test_changes_return_checked_groups() -> None:
    group = _village_group()
    later = group.with_session(
        GroupSession(2, MONDAY + timedelta(days=7), Phase.MIDDLE, (MemberAttendance("w1", A),))
    )
    assert later.sessions[-1].number == 2
    left = later.with_exit("w4", on=MONDAY + timedelta(days=3), reason="dropped_out")
    assert left.member("w4").exit_reason is MemberExit.DROPPED_OUT
    assert [m.id for m in left.members_on(MONDAY + timedelta(days=5))] == ["w1", "w2", "w3", "w5", "w6"]
    with pytest.raises(ValidationError) as caught:  # w4 cannot come after leaving
        left.with_session(
            GroupSession(3, MONDAY + timedelta(days=14), Phase.MIDDLE, (MemberAttendance("w4", A),))
        )
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.sessions[2].attendance[0].member", "inconsistent")
    ]


def test_missing_cases_are_named_not_required() -> None:
    group = _village_group()
    assert group.missing_cases({"case-w1": object(), "case-w2": object()}) == (
        "case-w3",
        "case-w4",
        "case-w5",
        "case-w6",
    )
    assert group.missing_cases([]) == group.case_ids()


# -- bad input ----------------------------------------------------------------------------------


def _problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(json.dumps(doc), Group)
    return [(p.path, p.code) for p in caught.value.problems]


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(ipt_core.dumps(_village_group()))
    return doc


def test_a_missing_member_reference_is_refused_with_its_path() -> None:
    doc = _doc()
    doc["sessions"][0]["attendance"][2]["member"] = "w99"
    doc["pre_group_meetings"][1]["member"] = "nobody"
    assert sorted(_problems(doc)) == [
        ("$.pre_group_meetings[1].member", "dangling_reference"),
        ("$.sessions[0].attendance[2].member", "dangling_reference"),
    ]


def test_attending_before_joining_is_refused() -> None:
    doc = _doc()
    doc["members"][3]["joined"] = (MONDAY + timedelta(days=1)).isoformat()
    assert _problems(doc) == [("$.sessions[0].attendance[3].member", "inconsistent")]


def test_attending_after_leaving_is_refused() -> None:
    doc = _doc()
    doc["members"][0]["left"] = (MONDAY - timedelta(days=1)).isoformat()
    doc["members"][0]["exit_reason"] = "moved_away"
    assert _problems(doc) == [("$.sessions[0].attendance[0].member", "inconsistent")]


def test_two_sessions_with_one_number_are_refused() -> None:
    doc = _doc()
    doc["sessions"].append({**doc["sessions"][0], "date": (MONDAY + timedelta(days=7)).isoformat()})
    assert _problems(doc) == [("$.sessions[1].number", "duplicate_id")]


def test_sessions_out_of_order_are_refused() -> None:
    doc = _doc()
    second = {**doc["sessions"][0], "number": 2, "date": (MONDAY - timedelta(days=1)).isoformat()}
    doc["sessions"].append(second)
    assert _problems(doc) == [("$.sessions[1].date", "order")]
    doc["sessions"][1] = {**second, "number": 0, "date": MONDAY.isoformat()}
    assert ("$.sessions[1].number", "out_of_range") in _problems(doc)


def test_duplicate_ids_are_refused() -> None:
    doc = _doc()
    doc["facilitators"][1]["id"] = "f1"
    assert _problems(doc) == [("$.facilitators[1].id", "duplicate_id")]
    doc = _doc()
    doc["members"][1]["id"] = "w1"
    assert ("$.members[1].id", "duplicate_id") in _problems(doc)
    doc = _doc()
    doc["members"][2]["case_id"] = "case-w1"
    assert _problems(doc) == [("$.members[2].case_id", "duplicate_id")]


def test_one_member_counted_twice_in_a_session_is_refused() -> None:
    doc = _doc()
    doc["sessions"][0]["attendance"][1]["member"] = "w1"
    assert _problems(doc) == [("$.sessions[0].attendance[1].member", "duplicate_id")]


def test_a_member_leaving_before_joining_or_a_reason_without_a_day_is_refused() -> None:
    doc = _doc()
    doc["members"][5]["exit_reason"] = "dropped_out"
    assert _problems(doc) == [("$.members[5].exit_reason", "inconsistent")]
    doc["members"][5]["left"] = "2020-01-01"
    assert ("$.members[5].left", "order") in _problems(doc)


def test_a_case_document_is_not_a_group() -> None:
    raw = ipt_core.dumps(ipt_core.testing.sample_case())
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(raw, Group)
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.kind", "wrong_kind")]


# -- no value in any error ----------------------------------------------------------------------

_SENTINEL_DOC: dict[str, Any] = json.loads(ipt_core.dumps(fill_sentinels(sample_group())))


def _corruptions(doc: dict[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for path, value in json_paths(doc):
        where = "/".join(str(p) for p in path)
        if isinstance(value, dict):
            found.append((f"unknown key @ {where}", replaced(doc, path, {**value, SENTINEL: SENTINEL})))
        elif isinstance(value, list):
            found.append((f"sentinel item @ {where}", replaced(doc, path, [*value, SENTINEL])))
        elif isinstance(value, str):
            found.append((f"sentinel value @ {where}", replaced(doc, path, f"{SENTINEL}-9")))
            found.append((f"number for text @ {where}", replaced(doc, path, 7)))
        else:
            found.append((f"sentinel for scalar @ {where}", replaced(doc, path, SENTINEL)))
        if path and isinstance(path[-1], str):
            found.append((f"deleted @ {where}", replaced(doc, path, ...)))
    return found


def test_the_sentinel_group_carries_sentinels_in_aliases_and_notes() -> None:
    raw = json.dumps(_SENTINEL_DOC)
    assert raw.count(SENTINEL) > 20
    assert ipt_core.loads(raw, Group) == fill_sentinels(sample_group())


def _load_error(doc: dict[str, Any]) -> ValidationError | None:
    try:
        ipt_core.loads(json.dumps(doc), Group)
    except ValidationError as error:
        return error
    return None


def test_no_corrupted_group_leaks_a_value() -> None:
    refused = 0
    for label, doc in _corruptions(_SENTINEL_DOC):
        error = _load_error(doc)
        if error is None:
            continue  # still a valid group (an optional field deleted, say)
        refused += 1
        try:
            assert_no_leak(error)
        except AssertionError:
            pytest.fail(f"leak for corruption: {label}")
        assert all(p.path.startswith("$") and p.code for p in error.problems)
    assert refused > 300


def test_dangling_references_with_sentinel_ids_leak_nothing() -> None:
    doc = _doc()
    doc["sessions"][0]["attendance"][0]["member"] = f"{SENTINEL}x"
    doc["pre_group_meetings"][0]["member"] = f"{SENTINEL}y"
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(json.dumps(doc), Group)
    assert_no_leak(caught.value)
    group = _village_group()
    with pytest.raises(ValidationError) as built:
        attrs.evolve(group, pre_group_meetings=(PreGroupMeeting(f"{SENTINEL}z", MONDAY),))
    assert_no_leak(built.value, frame_locals=False)


def test_repr_hides_aliases_dates_and_notes() -> None:
    text = repr(fill_sentinels(sample_group()))
    assert SENTINEL not in text
    assert "2025-" not in text


def test_the_golden_group_loads_and_dumps_identically() -> None:
    for path in sorted((Path(__file__).parent / "fixtures" / "groups").glob("v*/*.json")):
        raw = path.read_bytes()
        group = ipt_core.loads(raw, Group)
        assert ipt_core.dumps(group) == raw
        assert len(group.sessions) == 8
