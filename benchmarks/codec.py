"""Codec speed: ``ipt_core.loads``/``dumps`` of ``sample_case()`` against ``json.loads``/``json.dumps``.

Both sides are measured in the same run, on the same document, best of several repeats, and
printed as ratios (lower is better). Run: ``python benchmarks/codec.py`` (``--quick`` for a
short run).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import timeit
from collections.abc import Callable

import ipt_core
from ipt_core.testing import sample_case


def best(fn: Callable[[], object], repeat: int, number: int) -> float:
    """Best time of one call, in microseconds."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    args = parser.parse_args(argv)
    repeat, number = (3, 50) if args.quick else (7, 300)

    case = sample_case()
    raw = ipt_core.dumps(case)
    doc = json.loads(raw)
    assert ipt_core.loads(raw) == case

    json_loads = best(lambda: json.loads(raw), repeat, number)
    json_dumps = best(lambda: json.dumps(doc), repeat, number)
    json_dumps_compact = best(
        lambda: json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), repeat, number
    )
    loads = best(lambda: ipt_core.loads(raw), repeat, number)
    dumps = best(lambda: ipt_core.dumps(case), repeat, number)

    print(f"python {platform.python_version()} on {platform.machine()}; sample_case(): {len(raw)} bytes")
    print(f"json.loads                  {json_loads:9.1f} us")
    print(f"json.dumps                  {json_dumps:9.1f} us")
    print(f"json.dumps (compact, utf-8) {json_dumps_compact:9.1f} us")
    print(f"ipt_core.loads              {loads:9.1f} us   {loads / json_loads:5.2f}x json.loads")
    print(f"ipt_core.dumps              {dumps:9.1f} us   {dumps / json_dumps:5.2f}x json.dumps")
    print(f"                                          {dumps / json_dumps_compact:5.2f}x compact json.dumps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
