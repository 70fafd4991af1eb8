"""Cohort analytics throughput: the service outcome table from one JSON file per case.

Usage::

    python benchmarks/bench_analytics.py [--quick] [--cases N] [--rounds R] [--workers W]
                                         [--no-dask] [--scaling]

Every run writes a generated cohort (``sample_cohort``), one JSON file per case, and reports:

1. **Per core**: ``ipt_core`` (``loads`` with full validation, then ``service_outcomes``) against a
   data engineer's plain loop that makes the identical table from the same files with ``orjson``
   and the same outcome rules, no validation. The two are timed in alternating rounds and the
   tables must be equal; the ratio (best times, and the median of the per-round ratios) is the
   figure to compare across machines.
2. **Where the time goes**, per case, on the first 2,000 cases held in memory: reading the file,
   ``orjson.loads``, ``ipt_core.loads``, the accumulator (``OutcomeAccumulator.add``) and the plain
   loop's rules.
3. **Dask** (``examples/analytics_dask.py``) on ``--workers`` processes against the in-process
   run, and the engine's fixed cost (a compute over a handful of files), from which the cohort
   size at which two workers pay off is estimated.
4. With ``--scaling``: the in-process table over 1k, 10k and 100k cases, each in a fresh process,
   with its time and peak resident memory (linear time, constant memory).

No timing is asserted anywhere; the exit status says whether the tables were equal.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from analytics_dask import in_process, read_cases, with_dask, write_cohort

import ipt_core
from ipt_core.analytics import ALL, GROUPINGS, OutcomeAccumulator, OutcomeRow, OutcomeTable
from ipt_core.progress import TalkingTherapiesSettings

# --- the plain loop --------------------------------------------------------------------------------

_TERMINAL = frozenset({"completed", "alternative_treatment", "dropped_out", "crisis_referral"})
_COUNTS = (
    "cases",
    "with_paired_scores",
    "finished_treatment",
    "caseness_at_start",
    "recovered",
    "reliably_improved",
    "reliably_deteriorated",
    "reliably_recovered",
    "no_reliable_change",
    "dropped_out",
    "phq9_change_sum",
    "gad7_change_sum",
)
_ITEMS = {"phq9": 9, "gad7": 7}


def _total(session: dict[str, object], instrument: str) -> int | None:
    for record in session["measures"]:  # type: ignore[attr-defined]
        if record["instrument"] == instrument:
            scored = record["answers"][: _ITEMS[instrument]]
            if len(scored) == _ITEMS[instrument] and all(type(a) is int for a in scored):
                return sum(scored)  # type: ignore[no-any-return]
            return None
    return None


def _first(sessions: Iterable[dict[str, object]], instrument: str) -> int | None:
    for session in sessions:
        total = _total(session, instrument)
        if total is not None:
            return total
    return None


def plain_table(blobs: Iterable[bytes], settings: TalkingTherapiesSettings | None = None) -> OutcomeTable:
    """The service outcome table as a data engineer would make it: orjson and the NHS Talking
    Therapies rules written out, no validation (the same rules as ``ipt_core.analytics``)."""
    s = settings or TalkingTherapiesSettings()
    tallies: dict[tuple[str, str], list[int]] = {}
    for blob in blobs:
        doc = orjson.loads(blob)
        focus = (doc.get("formulation") or {}).get("focus") or ()
        key = (doc["contract"]["protocol_id"], focus[0]["area"] if focus else "unformulated")
        tally = tallies.setdefault(key, [0] * len(_COUNTS))
        tally[0] += 1
        history = doc.get("phase_history") or ()
        phase = history[-1]["phase"] if history else None
        outcome = doc.get("outcome")
        tally[9] += outcome == "dropped_out" or phase == "dropped_out"
        attended = [x for x in doc["sessions"] if x["attendance"] == "attended"]
        treatment = sum(1 for x in attended if x["number"] >= s.treatment_from_session)
        ended = phase in _TERMINAL or outcome is not None
        finished = (ended or not s.requires_ended) and treatment >= s.min_attended_sessions
        tally[2] += finished
        if not finished:
            continue
        first = {k: _first(attended, k) for k in _ITEMS}
        last = {k: _first(reversed(attended), k) for k in _ITEMS}
        if None in first.values() or None in last.values():
            continue
        rc = {"phq9": s.phq9_reliable_change, "gad7": s.gad7_reliable_change}
        fell = [first[k] - last[k] >= rc[k] for k in rc]  # type: ignore[operator]
        rose = [last[k] - first[k] >= rc[k] for k in rc]  # type: ignore[operator]
        improved = any(fell) and not any(rose)
        deteriorated = any(rose) and not (s.deterioration_requires_no_improvement and any(fell))
        case_at_start = first["phq9"] >= s.phq9_caseness or first["gad7"] >= s.gad7_caseness  # type: ignore[operator]
        case_at_end = last["phq9"] >= s.phq9_caseness or last["gad7"] >= s.gad7_caseness  # type: ignore[operator]
        recovered = case_at_start and not case_at_end
        for index, value in (
            (1, True),
            (3, case_at_start),
            (4, recovered),
            (5, improved),
            (6, deteriorated),
            (7, improved and recovered),
            (8, not improved and not deteriorated),
        ):
            tally[index] += value
        tally[10] += last["phq9"] - first["phq9"]  # type: ignore[operator]
        tally[11] += last["gad7"] - first["gad7"]  # type: ignore[operator]
    rows = tuple(OutcomeRow(p, a, *t) for (p, a), t in sorted(tallies.items()))
    total = [sum(t[i] for t in tallies.values()) for i in range(len(_COUNTS))]
    return OutcomeTable(by=GROUPINGS, rows=rows, total=OutcomeRow(ALL, ALL, *total))


def _read(paths: Iterable[Path]) -> Iterable[bytes]:
    for path in paths:
        yield path.read_bytes()


# --- timing ----------------------------------------------------------------------------------------


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


def per_core(paths: list[Path], rounds: int, chunk: int = 20) -> bool:
    """ipt_core against the plain loop, alternating chunk by chunk so that the machine's drift hits
    both alike; prints the ratio and returns whether the tables are equal."""
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    ours = [float("inf")] * len(chunks)
    plain = [float("inf")] * len(chunks)
    ratios: list[float] = []
    for _ in range(rounds):
        for k, part in enumerate(chunks):
            t_ours, _ = _timed(lambda part=part: OutcomeAccumulator().add_all(read_cases(part)))  # type: ignore[misc]
            t_plain, _ = _timed(lambda part=part: plain_table(_read(part)))  # type: ignore[misc]
            ours[k] = min(ours[k], t_ours)
            plain[k] = min(plain[k], t_plain)
            ratios.append(t_ours / t_plain)
    equal = in_process(paths) == plain_table(_read(paths))
    n = len(paths)
    t_ours, t_plain = sum(ours), sum(plain)
    print(f"cases: {n}, in chunks of {chunk}, {rounds} alternating rounds (best of each chunk)")
    print(f"  ipt_core (loads + service_outcomes) {n / t_ours:9.0f} cases/s  {t_ours / n * 1e6:7.1f} us/case")
    print(
        f"  plain orjson loop, same table       {n / t_plain:9.0f} cases/s  {t_plain / n * 1e6:7.1f} us/case"
    )
    print(
        f"  ratio ipt_core / plain: {t_ours / t_plain:.2f}x (best), "
        f"{statistics.median(ratios):.2f}x (median per chunk); equal tables: {equal}"
    )
    return equal


def breakdown(paths: list[Path], repeat: int = 5, chunk: int = 10) -> None:
    """Per case: read, orjson.loads, ipt_core.loads, the accumulator, the plain rules. Every step
    runs on each chunk of cases in turn, in every round, and the best time of each step on each
    chunk is kept, so that the differences (the accumulator: loads and add, less loads) are taken
    between times measured moments apart."""
    subset = paths[:2000]
    blobs = [p.read_bytes() for p in subset]
    n = len(subset)
    accumulator = OutcomeAccumulator()

    def read(part: range) -> None:
        for i in part:
            subset[i].read_bytes()

    def parse(part: range) -> None:
        for i in part:
            orjson.loads(blobs[i])  # nothing kept: no collection of everything built so far

    def load(part: range) -> None:
        for i in part:
            ipt_core.loads(blobs[i])

    def load_add(part: range) -> None:
        # The accumulator on a case just loaded, as when streaming.
        for i in part:
            accumulator.add(ipt_core.loads(blobs[i]))

    def plain(part: range) -> None:
        plain_table(blobs[i] for i in part)

    steps: dict[str, Callable[[range], None]] = {
        "read": read,
        "parse": parse,
        "load": load,
        "load_add": load_add,
        "plain": plain,
    }
    parts = [range(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    best = {name: [float("inf")] * len(parts) for name in steps}
    for _ in range(repeat):
        for k, part in enumerate(parts):
            for name, step in steps.items():
                seconds, _ = _timed(lambda step=step, part=part: step(part))  # type: ignore[misc]
                best[name][k] = min(best[name][k], seconds)
    us = {name: sum(times) / n * 1e6 for name, times in best.items()}
    add = us["load_add"] - us["load"]
    rules = us["plain"] - us["parse"]
    whole = us["read"] + us["load_add"]
    print(
        f"where the time goes, per case (first {n} cases in memory, best of {repeat} per chunk of {chunk}):"
    )
    print(f"  read file       {us['read']:7.1f} us")
    print(f"  orjson.loads    {us['parse']:7.1f} us")
    print(f"  ipt_core.loads  {us['load']:7.1f} us  ({us['load'] / whole:.0%} of read + loads + add)")
    print(f"  accumulator add {add:7.1f} us  ({add / whole:.0%})")
    print(f"  plain rules     {rules:7.1f} us  (after orjson.loads)")
    floor = (us["read"] + us["load"]) / (us["read"] + us["plain"])
    print(f"  with a free accumulator, ipt_core / plain would be {floor:.2f}x: the rest is loads")


def dask_run(paths: list[Path], workers: int) -> bool:
    """Dask on ``workers`` processes against in process; the engine's fixed cost; pay-off size."""
    local_s, local = _timed(lambda: in_process(paths))
    dask_s, distributed = _timed(lambda: with_dask(paths, workers=workers))
    fixed = min(_timed(lambda: with_dask(paths[:8], workers=workers))[0] for _ in range(2))
    spawned = min(
        _timed(lambda: with_dask(paths[:8], workers=workers, start_method="spawn"))[0] for _ in range(2)
    )
    n = len(paths)
    per_case = local_s / n
    print(f"Dask ({workers} workers) on {n} cases: {dask_s:.2f} s against {local_s:.2f} s in process")
    print(f"  speed-up {local_s / dask_s:.2f}x; equal tables: {local == distributed}")
    print(
        f"  engine's fixed cost (a compute over 8 files): {fixed:.2f} s; with spawned workers {spawned:.2f} s"
    )
    # With a fixed cost F and a per-case cost c split over W workers, W workers give a speed-up
    # s = n c / (F + n c / W); s >= 1.6 needs n >= 1.6 F / (c (1 - 1.6 / W)).
    if workers > 1.6:
        needed = 1.6 * fixed / (per_case * (1 - 1.6 / workers))
        print(
            f"  1.6x needs about {needed:,.0f} cases at {per_case * 1e6:.0f} us/case (if the cores are free)"
        )
    return local == distributed


_CHILD = """
import resource, sys, time
from pathlib import Path
sys.path.insert(0, {examples!r})
from analytics_dask import in_process
paths = sorted(Path({folder!r}).glob("*.json"))[:{count}]
began = time.perf_counter()
in_process(paths)
seconds = time.perf_counter() - began
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def scaling(folder: Path, sizes: list[int]) -> None:
    """The in-process table over growing cohorts, each in a fresh process: time and peak memory."""
    examples = str(Path(__file__).resolve().parent.parent / "examples")
    print("scaling (each size in a fresh process):")
    previous: tuple[int, float] | None = None
    for size in sizes:
        code = _CHILD.format(examples=examples, folder=str(folder), count=size)
        out = subprocess.run(  # noqa: S603 - this interpreter, on code written here
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds, peak_kib = out.stdout.split()
        line = f"  {size:>7} cases {float(seconds):7.2f} s  {size / float(seconds):7.0f} cases/s"
        line += f"  peak RSS {int(peak_kib) / 1024:6.1f} MiB"
        if previous is not None:
            line += f"  time x{float(seconds) / previous[1]:.1f} for x{size // previous[0]} cases"
        print(line)
        previous = (size, float(seconds))


def main() -> int:
    parser = argparse.ArgumentParser(description="cohort analytics throughput")
    parser.add_argument("--quick", action="store_true", help="2,000 cases instead of 20,000")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--scaling", action="store_true", help="1k, 10k and 100k cases in fresh processes")
    args = parser.parse_args()
    size = args.cases or (2_000 if args.quick else 20_000)
    equal = True
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = write_cohort(folder, max(size, 100_000) if args.scaling else size)
        chosen = paths[:size]
        equal = per_core(chosen, args.rounds) and equal
        breakdown(chosen)
        if not args.no_dask:
            equal = dask_run(chosen, args.workers) and equal
        if args.scaling:
            scaling(folder, [1_000, 10_000, 100_000])
    return 0 if equal else 1


if __name__ == "__main__":
    raise SystemExit(main())
