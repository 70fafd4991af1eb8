"""Cohort analytics throughput: cases per second in process, and with Dask on 2 workers.

Usage: ``python benchmarks/bench_analytics.py [--quick]``. The cohort is written as one JSON file
per case; both runs load every file and build the service outcome table, so they do the same work.
The in-process run is the baseline of the Dask run, measured in the same run. No timing is
asserted anywhere.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

from analytics_dask import in_process, with_dask, write_cohort


def main() -> int:
    parser = argparse.ArgumentParser(description="cohort analytics throughput")
    parser.add_argument("--quick", action="store_true", help="2,000 cases instead of 20,000")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    size = 2_000 if args.quick else 20_000
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_cohort(Path(scratch), size)
        start = time.perf_counter()
        local = in_process(paths)
        local_s = time.perf_counter() - start
        start = time.perf_counter()
        distributed = with_dask(paths, workers=args.workers)
        dask_s = time.perf_counter() - start
    print(f"cases: {size}")
    print(f"in process:          {local_s:7.2f} s  {size / local_s:9.0f} cases/s")
    print(f"Dask, {args.workers} workers:     {dask_s:7.2f} s  {size / dask_s:9.0f} cases/s")
    print(f"speed-up over in process: {local_s / dask_s:.2f}x; equal tables: {local == distributed}")
    return 0 if local == distributed else 1


if __name__ == "__main__":
    raise SystemExit(main())
