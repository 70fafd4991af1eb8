"""Scoring and progress evaluation: against ``json.loads``, and over cohorts of 1k to 100k cases.

Usage: ``python benchmarks/bench_measures.py [--quick] [--versus-json-only]``.

1. ``progress.evaluate`` against ``json.loads`` of the same case (``sample_case`` with 2, 8, 16 and
   40 sessions, as the bytes ``dumps`` writes). Each round times ``json.loads`` and ``evaluate``
   alternately, ``evaluate`` on copies of the case each loaded afresh (so nothing the first call
   leaves behind in the objects could help the next); the ratio of the best times and the median of
   the per-round ratios are printed, and the time per session (linear in sessions).
2. Scoring every record, and evaluating every case, of cohorts of 1k, 10k and 100k cases
   (``--quick``: 1k and 10k): cases per second and the time ratio between cohorts, which stays
   close to the size ratio when the cost grows linearly.

No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta

import ipt_core
from ipt_core.domain.case import Case
from ipt_core.domain.contract import TreatmentContract
from ipt_core.domain.sessions import InstrumentAnswers, SessionRecord
from ipt_core.measures import score_record
from ipt_core.progress import evaluate
from ipt_core.testing import sample_case

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


def versus_json(sessions: int, rounds: int, copies: int = 10) -> tuple[float, float, float]:
    """Best seconds of ``json.loads`` and of ``evaluate`` on the sample case with ``sessions``
    sessions, and the median of the per-round ratios."""
    raw = ipt_core.dumps(sample_case(sessions=sessions))
    loads_best = evaluate_best = float("inf")
    ratios = []
    for _ in range(rounds):
        cases = [ipt_core.loads(raw) for _ in range(copies)]  # fresh objects every round
        began = time.perf_counter()
        for _ in range(copies):
            json.loads(raw)
        parsed = (time.perf_counter() - began) / copies
        began = time.perf_counter()
        for case in cases:
            evaluate(case, today=TODAY)
        evaluated = (time.perf_counter() - began) / copies
        loads_best = min(loads_best, parsed)
        evaluate_best = min(evaluate_best, evaluated)
        ratios.append(evaluated / parsed)
    return loads_best, evaluate_best, statistics.median(ratios)


def report_versus_json(rounds: int) -> None:
    print("progress.evaluate against json.loads of the same case (sample_case):")
    header = ("sessions", "bytes", "json.loads", "evaluate", "ratio", "median", "per session")
    widths = (9, 7, 11, 9, 6, 7, 12)
    print(" ".join(f"{name:>{width}}" for name, width in zip(header, widths, strict=True)))
    for sessions in (2, 8, 16, 40):
        size = len(ipt_core.dumps(sample_case(sessions=sessions)))
        parsed, evaluated, median = versus_json(sessions, rounds)
        print(
            f"{sessions:>9} {size:>7} {parsed * 1e6:>9.1f}us {evaluated * 1e6:>7.1f}us "
            f"{evaluated / parsed:>5.2f}x {median:>6.2f}x {evaluated / sessions * 1e6:>10.1f}us"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k and 10k cases only; fewer rounds")
    parser.add_argument("--versus-json-only", action="store_true", help="only evaluate against json.loads")
    args = parser.parse_args()
    report_versus_json(rounds=30 if args.quick else 100)
    if args.versus_json_only:
        return
    print()
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
