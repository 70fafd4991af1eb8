"""Results travel between processes (a Dask worker returns its reports): every result pickles and
deep-copies to an equal value, read-only maps included."""

from __future__ import annotations

import copy
import pickle
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import measures, phases, progress
from ipt_core.agenda import next_steps
from ipt_core.domain.measures.instruments import INSTRUMENTS
from ipt_core.testing import cases, complete_answers, sample_case

_DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def _travels(value: object) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(value, protocol=protocol)) == value  # noqa: S301 - our own bytes
    assert copy.deepcopy(value) == value


def test_the_progress_report_of_a_course_travels_to_another_process() -> None:
    """A research pipeline evaluates Nicola's course in a worker and sends the report back."""
    report = progress.evaluate(sample_case(), today=date(2025, 6, 1))
    assert report.instruments  # the read-only map of instruments is what could not be pickled
    _travels(report)
    _travels(progress.ProgressPolicy())
    _travels(measures.ScoringPolicy(max_missing={"phq9": 1}))


def test_every_instrument_travels() -> None:
    for instrument in INSTRUMENTS.values():
        _travels(instrument)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_score_travels(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(sorted(INSTRUMENTS)))
    answers = data.draw(complete_answers(instrument))
    _travels(measures.score(instrument, answers))


@settings(max_examples=40, deadline=None)
@given(cases(), _DAYS)
def test_every_report_of_a_case_travels(case: ipt_core.Case, today: date) -> None:
    _travels(case)
    _travels(progress.evaluate(case, today=today))
    _travels(phases.evaluate(case, today=today))
    _travels(next_steps(case, today=today))
    _travels(ipt_core.risk_flags(case))
