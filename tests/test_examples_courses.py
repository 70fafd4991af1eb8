"""The course examples run, and every protocol's simulated course runs from first to last session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipt_core import Phase, dumps, loads, protocols
from ipt_core.protocols import Protocol
from ipt_core.testing import Step, simulate_course

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("name", ["group_who.py", "brief_ipt.py", "self_guided_8_week.py"])
def test_example_runs(name: str) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "agenda:" in result.stdout
    assert "report:" in result.stdout
    assert "finished: completed" in result.stdout
    if name == "self_guided_8_week.py":
        paused, resumed = result.stdout.split("-- after the service records a review")
        assert "modules offered: none (paused)" in paused
        assert "see the crisis contacts" in paused.split("agenda:")[-1].split(";")[0]
        # The programme resumes where it paused: the paused week's module is offered, none skipped.
        assert "modules offered: ['module.6']" in resumed
        assert "agenda: week 6 of 8" in resumed


@pytest.mark.parametrize("protocol", protocols.all(), ids=lambda p: p.id)
def test_every_protocol_runs_from_first_to_last_session(protocol: Protocol) -> None:
    steps: list[Step] = []
    case = simulate_course(protocol, on_step=steps.append)
    assert case.phase is Phase.COMPLETED
    numbers = [s.number for s in case.sessions]
    assert numbers[-1] == protocol.sessions.default_sessions
    assert numbers[0] == (0 if protocol.sessions.pre_treatment_sessions else 1)
    assert all(step.agenda.items or step.agenda.phase is Phase.COMPLETED for step in steps)
    assert loads(dumps(case)) == case
