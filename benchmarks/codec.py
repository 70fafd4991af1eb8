"""Codec speed: ``ipt_core.loads``/``dumps`` of ``sample_case()`` against ``json.loads``/``json.dumps``.

Both sides are measured in the same run, on the same document, in alternating rounds (so that
drift of a shared machine hits both alike), and printed as ratios (lower is better): the ratio of
the best times, and the median of the ratios within each round. Run: ``python benchmarks/codec.py``
(``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import timeit
from collections.abc import Callable

import ipt_core
from ipt_core.testing import sample_case


def paired(
    baseline: Callable[[], object], subject: Callable[[], object], rounds: int, number: int
) -> tuple[float, float, float, float]:
    """Both timed in alternation, round after round, so drift of the machine hits both alike.

    Returns the best time of one call of each (microseconds), the ratio of those bests, and the
    median over rounds of the ratio within a round.
    """
    base_times: list[float] = []
    subject_times: list[float] = []
    for _ in range(rounds):
        base_times.append(timeit.timeit(baseline, number=number) / number * 1e6)
        subject_times.append(timeit.timeit(subject, number=number) / number * 1e6)
    ratios = [s / b for s, b in zip(subject_times, base_times, strict=True)]
    best_base, best_subject = min(base_times), min(subject_times)
    return best_base, best_subject, best_subject / best_base, statistics.median(ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    args = parser.parse_args(argv)
    rounds, number = (5, 40) if args.quick else (15, 150)

    case = sample_case()
    raw = ipt_core.dumps(case)
    doc = json.loads(raw)
    assert ipt_core.loads(raw) == case

    json_loads, loads, loads_best, loads_median = paired(
        lambda: json.loads(raw), lambda: ipt_core.loads(raw), rounds, number
    )
    json_dumps, dumps, dumps_best, dumps_median = paired(
        lambda: json.dumps(doc), lambda: ipt_core.dumps(case), rounds, number
    )
    compact, _, _, compact_median = paired(
        lambda: json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(),
        lambda: ipt_core.dumps(case),
        rounds,
        number,
    )

    print(f"python {platform.python_version()} on {platform.machine()}; sample_case(): {len(raw)} bytes")
    print(f"{rounds} rounds of {number} calls; ratio of the bests, then the median of per-round ratios")
    print(f"json.loads                  {json_loads:9.1f} us")
    print(f"json.dumps                  {json_dumps:9.1f} us")
    print(f"json.dumps (compact, utf-8) {compact:9.1f} us")
    print(
        f"ipt_core.loads              {loads:9.1f} us   {loads_best:5.2f}x json.loads"
        f"   (median {loads_median:5.2f}x)"
    )
    print(
        f"ipt_core.dumps              {dumps:9.1f} us   {dumps_best:5.2f}x json.dumps"
        f"   (median {dumps_median:5.2f}x)"
    )
    print(f"                                          {compact_median:5.2f}x compact json.dumps (median)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
