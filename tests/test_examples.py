"""The examples run as a user would run them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import ipt_core

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_nicola_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "nicola.json"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "nicola.py"), str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "Focus: role dispute with Sam" in result.stdout
    # The feared redundancy adds evidence of its own, counted by when it is expected.
    assert (
        "Suggested 2: role transition (a job change 1 month before onset; a job loss expected "
        in result.stdout
    )
    assert "Risk picture: 0 flags raised, 0 open" in result.stdout
    assert "loaded back identical" in result.stdout
    # Words, not Python literals, and the agenda as a list of short lines.
    assert not re.search(r"\b(None|True|False)\b|\(s\)", result.stdout)
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Next session: "))
    assert lines[start + 1].startswith("  - ")
    assert max(len(line) for line in lines[start:]) < 120
    case = ipt_core.loads(out.read_bytes())
    assert case.id == "nicola"
    assert json.loads(out.read_bytes())["kind"] == "case"
    focus = case.focal_areas()[0]
    assert isinstance(focus, ipt_core.RoleDispute)
    assert focus.stage is ipt_core.DisputeStage.RENEGOTIATION
    assert case.formulation is not None
    assert case.formulation.agreed
    assert any(isinstance(a, ipt_core.RoleTransition) and a.anticipated for a in case.formulation.other_areas)
