"""Where ``ipt_core.loads`` spends its time, per document, on the small case and on cohort cases.

Two kinds of document: the small case (``sample_case(sessions=2)``, six seeds: twelve people of
eighteen fields each) and cohort cases (``sample_cohort``, as ``benchmarks/bench_analytics.py``
reads them). For each, in alternating rounds with the collector off (as ``loads`` runs):

- ``json.loads`` and ``orjson.loads`` of the same bytes (the baseline and the back end's parse);
- ``ipt_core.loads`` whole;
- the back end's parse plus the builders ``loads`` uses, invariants included (``_fast``, compiled
  where the package was built with a C compiler: ``IPT_CORE_BUILDERS=python`` for the interpreted
  ones), without the codec around them;
- the case's invariants alone (``Case._invariant_problems`` with what the builders gathered);
- counting ``:`` in the bytes (the repeated-key check of a valid document).

The rest of ``loads`` (the envelope, the checks before parsing, the call itself) is the whole less
the parts. Records and keys per document are counted, so the cost per record is shown. Private
names of the codec are used here to take it apart; nothing is asserted.

Run: ``python benchmarks/loads_profile.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs
import orjson

import ipt_core
from ipt_core.boundary import _fast, codec
from ipt_core.domain.case import Case
from ipt_core.testing import sample_case, sample_cohort


def _records(obj: Any) -> int:
    cls: Any = type(obj)
    if attrs.has(cls):
        return 1 + sum([_records(getattr(obj, field.name)) for field in attrs.fields(cls)])
    if isinstance(obj, tuple):
        return sum(map(_records, obj))
    return 0


def per_document(function: Callable[[Any], object], items: list[Any], number: int) -> float:
    """Microseconds per item of one timed pass, ``number`` times over the items, collector off."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            for item in items:
                function(item)
        return (time.perf_counter() - start) / number / len(items) * 1e6
    finally:
        if collecting:
            gc.enable()


def profile(label: str, raws: list[bytes], rounds: int, number: int) -> None:
    built = codec._fast_builder(Case)
    assert built is not None
    build = built[0]

    def parse_and_build(raw: bytes) -> object:
        return build(orjson.loads(raw), _fast.context())

    gathered = []
    for raw in raws:
        context = _fast.context()
        case = build(orjson.loads(raw), context)
        refs = {kind: context[slot] for kind, slot in _fast.REF_SLOTS.items()}
        gathered.append((case, refs, not context[_fast.UNFITTED]))

    def invariants(item: tuple[Case, dict[str, list[str]], bool]) -> object:
        return item[0]._invariant_problems(item[1], measures_fit=item[2])

    parts: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "json.loads": (json.loads, raws),
        "orjson.loads": (orjson.loads, raws),
        "ipt_core.loads": (ipt_core.loads, raws),
        "orjson.loads + builders": (parse_and_build, raws),
        "invariants": (invariants, gathered),
        "count ':'": (lambda raw: raw.count(b":"), raws),
    }
    times: dict[str, list[float]] = {name: [] for name in parts}
    for _ in range(rounds):
        for name, (function, items) in parts.items():
            times[name].append(per_document(function, items, number))
    best = {name: min(found) for name, found in times.items()}
    median = {name: statistics.median(found) for name, found in times.items()}
    cases = [ipt_core.loads(raw) for raw in raws]
    records = sum(map(_records, cases)) / len(cases)
    keys = sum(raw.count(b":") for raw in raws) / len(raws)
    size = sum(map(len, raws)) / len(raws)
    base = best["json.loads"]
    kind = "interpreted" if hasattr(build, "__code__") else "compiled"
    print(f"{label}: {len(raws)} documents, {size:.0f} bytes, {records:.1f} records, {keys:.0f} keys each")
    print(f"  (the {kind} builders)")
    for name in parts:
        ratio = best[name] / base
        print(f"  {name:26s} {best[name]:7.1f} us  (median {median[name]:7.1f})  {ratio:5.2f}x json.loads")
    builders = best["orjson.loads + builders"] - best["orjson.loads"] - best["invariants"]
    rest = best["ipt_core.loads"] - best["orjson.loads + builders"] - best["count ':'"]
    per_record = builders / records * 1000
    print(f"  builders without invariants {builders:6.1f} us  ({per_record:.0f} ns per record)")
    print(f"  the rest of loads           {rest:6.1f} us  (envelope, checks before parsing, the call)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else 15
    small = [ipt_core.dumps(sample_case(sessions=2, seed=seed)) for seed in range(6)]
    cohort = [ipt_core.dumps(case) for case in sample_cohort(120)]
    for raw in small + cohort:  # warm: builders generated, caches of ids and dates filled
        ipt_core.loads(raw)
    print(f"python {platform.python_version()} on {platform.machine()}; {rounds} rounds, best and median")
    profile("small (2 sessions)", small, rounds, 100 if args.quick else 300)
    profile("cohort (sample_cohort)", cohort, rounds, 5 if args.quick else 15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
