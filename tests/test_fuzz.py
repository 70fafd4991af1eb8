"""Runs the atheris harness for a bounded number of inputs (skipped only where atheris is absent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).parent / "fuzz" / "fuzz_loads.py"


def test_fuzz_loads_for_a_bounded_run(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    result = subprocess.run(  # noqa: S603 - our own interpreter and harness
        [sys.executable, str(HARNESS), "-runs=20000", "-max_total_time=25", f"-artifact_prefix={tmp_path}/"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
