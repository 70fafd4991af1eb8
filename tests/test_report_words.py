"""Reports speak in words and lists, and the chart reads each instrument against its own scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_core import Case, InstrumentAnswers
from ipt_core.agenda import next_steps
from ipt_core.boundary import report
from ipt_core.testing import cases, sample_case

_LITERALS = re.compile(r"\b(True|False)\b|\bNone\b(?! raised)|\(s\)")
"""Python literals and ``(s)`` plurals; "None raised." is English."""
_SVG = "{http://www.w3.org/2000/svg}"


@settings(max_examples=25, deadline=None)
@given(cases(max_sessions=6, max_people=3))
def test_reports_hold_no_python_literals(case: Case) -> None:
    today = date(2030, 1, 1)
    for text in (report.render_text(case, today=today), report.render_markdown(case, today=today)):
        assert not _LITERALS.search(text), _LITERALS.search(text)


def test_the_next_session_is_a_list_of_short_lines() -> None:
    case = sample_case()
    text = report.render_text(case, today=date(2025, 2, 10))
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Next session: "))
    items = []
    for line in lines[start + 1 :]:
        if not line.startswith("  - "):
            break
        items.append(line[4:])
    data = report.report_data(case, today=date(2025, 2, 10))
    assert items == data["next_session_items"]
    assert len(items) >= 3
    assert all(len(line) < 120 for line in lines[start : start + 1 + len(items)])
    markdown = report.render_markdown(case, today=date(2025, 2, 10))
    assert "\n".join(f"- {item}" for item in items) in markdown


def _with_scores(phq9: tuple[int, ...], gad7: tuple[int, ...]) -> Case:
    case = sample_case(sessions=3)
    sessions = [
        attrs.evolve(s, measures=(InstrumentAnswers("phq9", phq9), InstrumentAnswers("gad7", gad7)))
        for s in case.sessions
    ]
    return attrs.evolve(case, sessions=tuple(sessions))


def _panels(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return {g.get("aria-label", "").split()[0]: g for g in root.iter(f"{_SVG}g")}


def _tick_y(panel: ET.Element, value: int) -> float:
    for text in panel.iter(f"{_SVG}text"):
        if text.text == str(value) and text.get("text-anchor") == "end":
            return float(text.get("y", "0")) - 4
    raise AssertionError(f"no tick {value}")


def test_a_gad7_of_12_and_a_phq9_of_13_are_each_read_on_their_own_axis() -> None:
    case = _with_scores((2, 2, 2, 2, 2, 1, 1, 1, 0), (2, 2, 2, 2, 2, 1, 1))
    panels = _panels(report.trajectory_svg(case, today=date(2030, 1, 1)))
    assert set(panels) == {"PHQ-9", "GAD-7"}
    for name, value, below, above in (("PHQ-9", 13, 10, 15), ("GAD-7", 12, 10, 15)):
        panel = panels[name]
        circles = [float(c.get("cy", "0")) for c in panel.iter(f"{_SVG}circle")]
        assert len(circles) == 3
        low, high = _tick_y(panel, below), _tick_y(panel, above)
        expected = low + (high - low) * (value - below) / (above - below)
        assert all(abs(cy - expected) < 0.2 for cy in circles), (name, circles, expected)
    # The panels do not overlap: every GAD-7 mark lies below every PHQ-9 mark on the page.
    phq_bottom = _tick_y(panels["PHQ-9"], 0)
    gad_top = _tick_y(panels["GAD-7"], 21)
    assert gad_top > phq_bottom


def test_each_panel_shades_its_bands_and_labels_its_axis() -> None:
    panels = _panels(report.trajectory_svg(sample_case(), today=date(2030, 1, 1)))
    phq9 = panels["PHQ-9"]
    labels = [t.text for t in phq9.iter(f"{_SVG}text")]
    for tick in ("0", "5", "10", "15", "20", "27"):
        assert tick in labels
    for band in ("minimal", "mild", "moderate", "moderately severe", "severe"):
        assert band in labels
    assert len(list(phq9.iter(f"{_SVG}rect"))) == 5
    assert "PHQ-9 (0–27)" in labels


def test_a_report_as_of_a_day_counts_the_sessions_held_and_contracted_on_that_day() -> None:
    # Nicola's course is read as of her sixth session; two more sessions are already on the record
    # and, after them, the contract was renegotiated to 20 sessions. As of that day: 6 of 16.
    case = sample_case(sessions=8)
    today = case.sessions[5].date
    case = case.renegotiate(on=case.sessions[-1].date, planned_sessions=20, reason="more time")
    data = report.report_data(case, today=today)
    assert (data["sessions_held"], data["sessions_contracted"]) == (6, 16)
    assert "6 of 16 sessions" in report.render_text(case, today=today)
    assert "**sessions** 6 of 16" in report.render_markdown(case, today=today)
    later = report.report_data(case, today=case.sessions[-1].date)
    assert (later["sessions_held"], later["sessions_contracted"]) == (8, 20)


@settings(max_examples=25, deadline=None)
@given(cases(max_sessions=6, max_people=3), st.integers(-30, 200))
def test_the_report_counts_as_the_agenda_and_the_phase_report_do(case: Case, days: int) -> None:
    today = case.contract.start + timedelta(days=days)
    data = report.report_data(case, today=today)
    # The contracted sessions up to the last one held (the agenda's "session N" is the next one);
    # an engagement or pre-group session (numbered 0) is not a contracted session.
    assert data["sessions_held"] == max(0, next_steps(case, today=today).session - 1)
    assert data["sessions_contracted"] == case.contract.sessions_on(today)


def test_the_hamd_panel_runs_to_the_published_maximum_of_52() -> None:
    # Hamilton 1960 / Guy 1976 via CamCOPS hamd.py: 17 scored items, total 0-52; item 16's 3 means
    # "not assessed" and is never scored, so it adds at most 2. A clinician rates HAM-D 24, then 15.
    case = sample_case(sessions=2)
    ratings = (
        (3, 2, 1, 2, 1, 1, 2, 2, 1, 2, 2, 1, 1, 1, 1, 1, 0),  # 24
        (2, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 3, 1),  # 15, weight not assessed
    )
    sessions = [
        attrs.evolve(s, measures=(InstrumentAnswers("hamd17", answers),))
        for s, answers in zip(case.sessions, ratings, strict=True)
    ]
    case = attrs.evolve(case, sessions=tuple(sessions))
    panel = _panels(report.trajectory_svg(case, today=date(2030, 1, 1)))["HAM-D-17"]
    labels = [t.text for t in panel.iter(f"{_SVG}text")]
    assert "HAM-D-17 (0–52)" in labels
    assert "52" in labels
    assert "53" not in labels


def test_the_ucla3_panel_runs_from_the_published_minimum_of_3() -> None:
    # Hughes, Waite, Hawkley & Cacioppo 2004: three items scored 1-3, total 3-9; no total below 3
    # exists, so the axis starts there. The client feels lonely at first (7), less so later (4).
    case = sample_case(sessions=2)
    sessions = [
        attrs.evolve(s, measures=(InstrumentAnswers("ucla3", answers),))
        for s, answers in zip(case.sessions, ((3, 2, 2), (2, 1, 1)), strict=True)
    ]
    case = attrs.evolve(case, sessions=tuple(sessions))
    panel = _panels(report.trajectory_svg(case, today=date(2030, 1, 1)))["UCLA"]
    labels = [t.text for t in panel.iter(f"{_SVG}text")]
    assert "UCLA 3-item Loneliness Scale (3–9)" in labels
    assert "0" not in labels
    low, high = _tick_y(panel, 3), _tick_y(panel, 9)
    circles = [float(c.get("cy", "0")) for c in panel.iter(f"{_SVG}circle")]
    expected = [low + (high - low) * (total - 3) / 6 for total in (7, 4)]
    assert all(abs(cy - e) < 0.2 for cy, e in zip(circles, expected, strict=True)), (circles, expected)
