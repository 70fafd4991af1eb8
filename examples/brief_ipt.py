"""A brief IPT (IPT-B) course: an engagement session, then 8 sessions with a 2-session initial phase.

Prints the clinician's agenda and the phase report at every session. Run:
``python examples/brief_ipt.py``.
"""

from __future__ import annotations

from _show import show

from ipt_core import Phase, protocols
from ipt_core.testing import Step, simulate_course


def main() -> None:
    protocol = protocols.get("brief")
    print(
        f"{protocol.name}: {protocol.sessions.default_sessions} sessions + engagement "
        f"({protocol.sessions.source})"
    )

    def report(step: Step) -> None:
        print(f"-- session {step.session}")
        show(step)

    case = simulate_course(protocol, case_id="brief-1", on_step=report)
    if case.phase is not Phase.COMPLETED:
        raise SystemExit("the course did not complete")
    print(f"finished: {case.phase.value}; phases: {', '.join(c.phase.value for c in case.phase_history)}")


if __name__ == "__main__":
    main()
