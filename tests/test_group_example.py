"""The WHO group example runs a real group to its end and prints the group report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_who_group_example_runs_a_group_with_a_drop_out() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "group_who.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("pre-group meeting on") == 7
    assert out.count("-- group session") == 8
    assert "[chen] finished: dropped_out" in out
    assert out.count("finished: completed") == 6
    assert "Group who-group-1 (group-who): completed, 8 of 8 sessions held, 6 active members" in out
    assert "Chen: left (dropped out)" in out
    assert "loneliness/social isolation" in out
    assert "Findings:" not in out  # the example group follows the protocol's plan
    # Eli's item-9 answer at session 4 leads the next agenda, and the clinician's check closes it
    assert out.count("seen alone before the session") == 1
    assert "[eli] seen alone before the session (elevated risk flag)" in out
    assert out.count("meet each of these members on their own before the next group meeting") == 1
    assert "not checked" not in out  # the agenda reads the members' cases
