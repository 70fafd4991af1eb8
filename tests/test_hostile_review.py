"""An adversarial review of the boundary: each test is a defect found by attacking it, kept as a guard.

What a user sees when input is wrong: a path, a code and what to fix, never a value from the input;
the command line exits as its documentation says whichever way it is started.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ipt_core
from ipt_core.testing import sample_case

SENTINEL = "Zq7SENTINELxx"


def _bad_case_file(tmp_path: Path) -> Path:
    document = json.loads(ipt_core.dumps(sample_case(sessions=3, people=2)))
    document["contract"]["frequency"] = SENTINEL
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


def test_the_cli_module_run_as_a_script_is_the_command(tmp_path: Path) -> None:
    """``python -m ipt_core.cli validate bad.json`` must not exit 0 having done nothing: a CI job
    calling it that way would pass every invalid document."""
    bad = _bad_case_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "ipt_core.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "$.contract.frequency: not_allowed" in result.stdout
    assert SENTINEL not in result.stdout + result.stderr
