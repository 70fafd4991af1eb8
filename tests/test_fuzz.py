"""Runs the atheris harness for a bounded number of inputs (atheris is in the dev extra on Linux)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).parent / "fuzz" / "fuzz_loads.py"


def test_fuzz_loads_for_a_bounded_run(tmp_path: Path) -> None:
    if sys.platform.startswith("linux"):
        import atheris  # type: ignore[import-untyped]  # noqa: F401 - a missing fuzzer must fail the suite
    else:
        pytest.skip("atheris is installed on Linux only")
    result = subprocess.run(
        [sys.executable, str(HARNESS), "-runs=20000", "-max_total_time=25", f"-artifact_prefix={tmp_path}/"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
