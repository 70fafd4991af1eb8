"""Printing helpers shared by the course examples."""

from __future__ import annotations

from ipt_core.testing import Step


def show(step: Step, *, lay: bool = False, who: str = "") -> None:
    """Print the agenda a session started from and the phase report after it."""
    prefix = f"[{who}] " if who else ""
    print(f"{prefix}agenda: {step.agenda.render(lay=lay)}")
    report = step.report
    blocking = ", ".join(t.id for t in report.blocking) or "none"
    advice = ", ".join(t.id for t in report.advice) or "none"
    allowed = ", ".join(p.value for p in report.allowed) or "none"
    print(
        f"{prefix}report: phase {report.phase.value}; done {len(report.done)}/{len(report.tasks)}; "
        f"blocking: {blocking}; advice: {advice}; may move to: {allowed}"
    )
