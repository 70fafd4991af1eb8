"""The self-guided 8-week programme, driven by a simulated user week by week (no therapist).

Each week the user opens the app, sees the week's agenda in lay words (the module, the tasks, the
mood tracker, the questionnaire), does it, and the app shows the phase report. Then the same
programme from week 4 again, in a week where the user answers PHQ-9 item 9 above 0: the open flag
pauses the weekly modules and puts crisis resources first, until the service records a review.
Run: ``python examples/self_guided_8_week.py``.
"""

from __future__ import annotations

from datetime import timedelta

from _show import show

from ipt_core import (
    Case,
    InstrumentAnswers,
    Phase,
    RiskCheck,
    RiskLevel,
    SessionRecord,
    next_steps,
    open_risk_flags,
    protocols,
)
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.testing import Step, simulate_course


def risk_week(case: Case) -> None:
    """Week 5 with PHQ-9 item 9 answered "more than half the days", then what the app shows."""
    last = case.sessions[-1]
    answers = (2, 2, 1, 1, 1, 1, 1, 1, 2)  # item 9 (the last) = 2
    week5 = SessionRecord(
        number=last.number + 1,
        date=last.date + timedelta(weeks=1),
        measures=(InstrumentAnswers("phq9", answers),),
    )
    case = case.with_session(week5)
    print("-- week 6, after a week-5 questionnaire with item 9 above 0")
    agenda = next_steps(case, today=week5.date + timedelta(days=6))
    print(f"agenda: {agenda.render(lay=True)}")
    print(f"  modules offered: {[i.code for i in agenda.items if i.kind == 'module'] or 'none (paused)'}")
    print(f"  open flags: {[(f.session, f.code.value, f.level.value) for f in open_risk_flags(case)]}")

    # The service's clinician calls two days later and records a risk check on the week-5 record
    # whose answers it reviews: the flag is reviewed. (A new session record would count as a week
    # of the programme, and the paused week's module would be skipped.)
    reviewed = case.with_risk_check(week5.number, RiskCheck(level=RiskLevel.LOW))
    print("-- after the service records a review (a risk check)")
    agenda = next_steps(reviewed, today=week5.date + timedelta(days=6))
    print(f"agenda: {agenda.render(lay=True)}")
    print(f"  modules offered: {[i.code for i in agenda.items if i.kind == 'module'] or 'none'}")
    print(f"  open flags: {len(open_risk_flags(reviewed))}")


def main() -> None:
    protocol = protocols.get("self-guided-8-week")
    print(f"{protocol.name} ({protocol.sessions.source})")
    steps: list[Step] = []

    def report(step: Step) -> None:
        steps.append(step)
        print(f"-- week {step.session}")
        show(step, lay=True)

    case = simulate_course(protocol, case_id="app-user", focus=AreaKind.ROLE_TRANSITION, on_step=report)
    if case.phase is not Phase.COMPLETED:
        raise SystemExit("the course did not complete")
    print(f"finished: {case.phase.value} after {len(case.sessions)} weeks")

    print("\nThe same programme, a week where risk is raised:")
    risk_week(steps[3].case)


if __name__ == "__main__":
    main()
