"""The self-guided 8-week programme, driven by a simulated user week by week (no therapist).

Each week the user opens the app, sees the week's agenda in lay words (the module, the tasks, the
mood tracker, the questionnaire), does it, and the app shows the phase report. Run:
``python examples/self_guided_8_week.py``.
"""

from __future__ import annotations

from _show import show

from ipt_core import Phase, protocols
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.testing import Step, simulate_course


def main() -> None:
    protocol = protocols.get("self-guided-8-week")
    print(f"{protocol.name} ({protocol.sessions.source})")

    def report(step: Step) -> None:
        print(f"-- week {step.session}")
        show(step, lay=True)

    case = simulate_course(protocol, case_id="app-user", focus=AreaKind.ROLE_TRANSITION, on_step=report)
    if case.phase is not Phase.COMPLETED:
        raise SystemExit("the course did not complete")
    print(f"finished: {case.phase.value} after {len(case.sessions)} weeks")


if __name__ == "__main__":
    main()
