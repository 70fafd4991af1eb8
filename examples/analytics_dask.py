"""The service outcome table of a folder of case files, computed with Dask and in process.

Each partition of files is loaded and added to an ``OutcomeAccumulator`` (map); the partition
accumulators are merged (reduce). Integer tallies make the result exactly the in-process one.

Run: ``python examples/analytics_dask.py [FOLDER] [--workers N] [--cases N]``. Without a folder,
a temporary one is filled with generated cases first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import dask
import dask.bag as db

import ipt_core
from ipt_core.analytics import OutcomeAccumulator, OutcomeTable, service_outcomes
from ipt_core.testing import sample_cohort


def write_cohort(folder: Path, count: int) -> list[Path]:
    """Write ``count`` generated cases, one JSON document per file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, case in enumerate(sample_cohort(count)):
        path = folder / f"case-{i:06d}.json"
        path.write_bytes(ipt_core.dumps(case))
        paths.append(path)
    return paths


def read_cases(paths: Iterable[Path]) -> Iterator[ipt_core.Case]:
    """Load each file lazily, so memory stays constant however many there are."""
    for path in paths:
        yield ipt_core.loads(path.read_bytes())


def _partition(paths: Iterable[str]) -> list[OutcomeAccumulator]:
    return [OutcomeAccumulator().add_all(read_cases(Path(p) for p in paths))]


def _start_method() -> str | None:
    """``fork`` where the platform's processes are forked safely (Linux): each worker starts with
    ipt_core already imported, where a spawned one starts a fresh interpreter and imports it
    again, about two seconds per compute on a small machine. Elsewhere, Dask's default."""
    return "fork" if sys.platform == "linux" else None


def with_dask(
    paths: list[Path], *, workers: int = 2, partitions: int | None = None, start_method: str | None = None
) -> OutcomeTable:
    """The outcome table computed by Dask over ``paths`` with ``workers`` processes, started by
    ``start_method`` (``fork``, ``spawn``, ``forkserver``; default: fork on Linux)."""
    bag = db.from_sequence([str(p) for p in paths], npartitions=partitions or max(1, workers * 4))  # type: ignore[no-untyped-call]
    merged = bag.map_partitions(_partition).fold(lambda a, b: a.merge(b), initial=OutcomeAccumulator())
    # One task at a time to a worker: Dask's process pool otherwise sends tasks in batches of six,
    # so with a few partitions one worker does most of them while the other waits.
    options: dict[str, object] = {"scheduler": "processes", "num_workers": workers, "chunksize": 1}
    method = start_method or _start_method()
    if method is not None:
        options["multiprocessing.context"] = method
    with dask.config.set(options):
        result: OutcomeAccumulator = merged.compute()
    return result.table()


def in_process(paths: list[Path]) -> OutcomeTable:
    """The same table, streamed in this process."""
    return service_outcomes(read_cases(paths))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cases", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        paths = sorted(folder.glob("*.json")) or write_cohort(folder, args.cases)
        distributed = with_dask(paths, workers=args.workers)
        local = in_process(paths)
        print(f"{len(paths)} cases; Dask ({args.workers} workers) equals in-process: {distributed == local}")
        for row in (*distributed.rows, distributed.total):
            rate = row.recovery_rate
            print(
                f"{row.protocol:>10} {row.area:>24}: {row.cases:5d} cases, "
                f"finished {row.finished_treatment}, recovery "
                f"{'-' if rate is None else f'{rate:.1%}'}, reliable improvement "
                f"{row.reliably_improved}, deterioration {row.reliably_deteriorated}"
            )
        return 0 if distributed == local else 1


if __name__ == "__main__":
    raise SystemExit(main())
