"""Codec speed: ``ipt_core.loads``/``dumps`` against ``json.loads``/``json.dumps``, on three sizes.

Three sizes of case, each as several subjects (``sample_case`` with different seeds: other
answers, attendance, people), so that the caches of a run are no warmer than an application's:
small (2 sessions), sample (16) and large (40). Each timed call goes once through the subjects of
one size. Baseline and subject are timed in alternation, size after size, round after round, so
that drift of a shared machine hits both alike, and printed as ratios (lower is better): the
ratio of the best times, and the median of the ratios within each round.

Run: ``python benchmarks/codec.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import timeit
from collections.abc import Callable
from typing import Any

import ipt_core
from ipt_core.testing import sample_case

SIZES: dict[str, int] = {"small": 2, "sample": 16, "large": 40}
"""Sessions per case of each size."""
SUBJECTS = 6
"""Cases of each size (different seeds), taken in turn."""


def paired(baseline: Callable[[], object], subject: Callable[[], object], number: int) -> tuple[float, float]:
    """One round: the time of one call of each (microseconds), baseline first."""
    base = timeit.timeit(baseline, number=number) / number * 1e6
    timed = timeit.timeit(subject, number=number) / number * 1e6
    return base, timed


def _summary(pairs: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Best baseline, best subject, ratio of the bests, median of the per-round ratios."""
    base = min(b for b, _ in pairs)
    subject = min(s for _, s in pairs)
    return base, subject, subject / base, statistics.median(s / b for b, s in pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    args = parser.parse_args(argv)
    rounds, calls = (5, 2_000) if args.quick else (15, 12_000)

    subjects = {
        size: [sample_case(sessions=n, seed=seed) for seed in range(SUBJECTS)] for size, n in SIZES.items()
    }
    raws = {size: [ipt_core.dumps(case) for case in cases] for size, cases in subjects.items()}
    docs = {size: [json.loads(raw) for raw in found] for size, found in raws.items()}
    for size, cases in subjects.items():
        assert [ipt_core.loads(raw) for raw in raws[size]] == cases

    def each(function: Callable[[Any], object], items: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for item in items:
                function(item)

        return run

    timings: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(rounds):
        for size, sessions in SIZES.items():
            number = max(3, calls // (sessions + 4) // SUBJECTS)  # about as many bytes for each size
            for operation, parse, write in (
                ("loads", json.loads, ipt_core.loads),
                ("dumps", json.dumps, ipt_core.dumps),
            ):
                inputs: list[Any] = raws[size] if operation == "loads" else docs[size]
                ours: list[Any] = raws[size] if operation == "loads" else subjects[size]
                pair = paired(each(parse, inputs), each(write, ours), number)
                timings.setdefault((size, operation), []).append(pair)

    print(f"python {platform.python_version()} on {platform.machine()}")
    print(
        f"{rounds} rounds; {SUBJECTS} subjects per size, taken in turn; times are per document;"
        " ratio of the bests, then the median of per-round ratios"
    )
    for size, n in SIZES.items():
        mean_bytes = sum(map(len, raws[size])) // SUBJECTS
        print(f"{size} ({n} sessions, {mean_bytes} bytes):")
        for operation in ("loads", "dumps"):
            base, subject, best, median = _summary(timings[size, operation])
            per_document = subject / SUBJECTS
            print(
                f"  json.{operation} {base / SUBJECTS:8.1f} us   ipt_core.{operation} {per_document:8.1f} us"
                f"   {best:5.2f}x   (median {median:5.2f}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
