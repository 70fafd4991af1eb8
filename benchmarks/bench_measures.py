"""Scoring and progress evaluation over generated cohorts of 1k, 10k and 100k cases.

Usage: ``python benchmarks/bench_measures.py [--quick]`` (``--quick``: 1k and 10k only). Reports
cases per second for each cohort and the time ratio between cohorts, which stays close to the size
ratio when the cost grows linearly. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from ipt_core.domain.case import Case
from ipt_core.domain.contract import TreatmentContract
from ipt_core.domain.sessions import InstrumentAnswers, SessionRecord
from ipt_core.measures import score_record
from ipt_core.progress import evaluate

START = date(2024, 1, 8)
SESSIONS = 8
TODAY = date(2030, 1, 1)


def make_cohort(size: int, seed: int = 4) -> list[Case]:
    """``size`` cases of 8 weekly sessions, each with a PHQ-9 and a GAD-7 that drift downwards."""
    rng = random.Random(seed)  # noqa: S311 - synthetic cohorts, not security
    cases = []
    for n in range(size):
        level = rng.uniform(0.8, 2.6)
        sessions = []
        for s in range(1, SESSIONS + 1):
            drift = level * (1 - 0.08 * s) + rng.uniform(-0.4, 0.4)
            phq9 = tuple(max(0, min(3, round(drift + rng.uniform(-0.7, 0.7)))) for _ in range(9))
            gad7 = tuple(max(0, min(3, round(drift + rng.uniform(-0.7, 0.7)))) for _ in range(7))
            sessions.append(
                SessionRecord(
                    number=s,
                    date=START + timedelta(weeks=s - 1),
                    measures=(
                        InstrumentAnswers(instrument="phq9", answers=phq9),
                        InstrumentAnswers(instrument="gad7", answers=gad7),
                    ),
                )
            )
        cases.append(
            Case(
                id=f"c{n}",
                contract=TreatmentContract(protocol_id="ipt_standard", start=START, planned_sessions=12),
                sessions=tuple(sessions),
            )
        )
    return cases


def run(size: int) -> tuple[float, float]:
    """Seconds to score every record, and to evaluate every case, of a cohort of ``size``."""
    cohort = make_cohort(size)
    began = time.perf_counter()
    for case in cohort:
        for session in case.sessions:
            for record in session.measures:
                score_record(record)
    scored = time.perf_counter() - began
    began = time.perf_counter()
    for case in cohort:
        evaluate(case, today=TODAY)
    evaluated = time.perf_counter() - began
    return scored, evaluated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k cases only")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    print(f"{'cases':>8} {'score s':>9} {'score cases/s':>14} {'eval s':>9} {'eval cases/s':>13}")
    previous: tuple[int, float, float] | None = None
    for size in sizes:
        scored, evaluated = run(size)
        print(
            f"{size:>8} {scored:>9.2f} {size / scored:>14,.0f} {evaluated:>9.2f} {size / evaluated:>13,.0f}"
        )
        if previous is not None:
            p_size, p_scored, p_eval = previous
            print(
                f"{'':>8} x{size // p_size} cases: score time x{scored / p_scored:.1f}, "
                f"evaluate time x{evaluated / p_eval:.1f} (linear = x{size // p_size})"
            )
        previous = (size, scored, evaluated)


if __name__ == "__main__":
    main()
