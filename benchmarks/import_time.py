"""``import ipt_core`` time against ``import pydantic``, each in a fresh interpreter, same run.

Run: ``python benchmarks/import_time.py`` (``--quick`` for fewer runs).
"""

from __future__ import annotations

import argparse
import subprocess
import sys


def import_time(module: str, runs: int) -> float:
    """Best wall time of ``import module`` in a fresh interpreter, in milliseconds."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = [
        float(
            subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return min(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 10
    ours = import_time("ipt_core", runs)
    theirs = import_time("pydantic", runs)
    print(f"import pydantic  {theirs:7.1f} ms")
    print(f"import ipt_core  {ours:7.1f} ms   {ours / theirs:5.2f}x import pydantic")
    return 0


if __name__ == "__main__":
    sys.exit(main())
