"""What a WHO group's facilitator reads near the end of the group: counts in words, singular or plural."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from ipt_core.agenda import next_steps_group
from ipt_core.testing import sample_group, sample_group_cases


def _ending_soon(session_before: int, seed: int = 1) -> tuple[str, str] | None:
    group = sample_group(8, seed=seed)
    cases = list(sample_group_cases(group, seed=seed))
    day = group.sessions[session_before - 1].date + timedelta(days=1)
    agenda = next_steps_group(group, today=day, cases=cases)
    found = [(i.text, i.lay_text) for i in agenda.items if i.code == "group.middle.ending_soon"]
    return found[0] if found else None


def test_the_reminder_before_the_last_group_session_says_one_session_remains() -> None:
    """Group session 7 of 8: one session, the last, remains after it."""
    assert _ending_soon(6) == (
        "remind the group that 1 session remains after this one",
        "remind everyone the group ends in 1 more meeting",
    )
    assert _ending_soon(5) == (
        "remind the group that 2 sessions remain after this one",
        "remind everyone the group ends in 2 more meetings",
    )


@given(st.integers(1, 7), st.integers(0, 5))
def test_no_group_agenda_text_says_session_s(session_before: int, seed: int) -> None:
    group = sample_group(8, seed=seed)
    day = group.sessions[session_before - 1].date + timedelta(days=1)
    agenda = next_steps_group(group, today=day, cases=list(sample_group_cases(group, seed=seed)))
    assert "(s)" not in agenda.render() + agenda.render(lay=True)
