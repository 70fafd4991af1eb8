"""Screening for a protocol's exclusion criteria: recorded, checked, shown, and acted on."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipt_core import (
    Case,
    ExitOutcome,
    Phase,
    ProblemCode,
    Screening,
    ScreenResult,
    TaskRecord,
    TransitionError,
    TreatmentContract,
    ValidationError,
    dumps,
    loads,
    protocols,
)
from ipt_core.agenda import next_steps
from ipt_core.boundary.report import render_markdown, render_text, report_data
from ipt_core.phases import TaskState, TransitionKind, advance, evaluate
from ipt_core.testing import cases

START = date(2025, 9, 1)
CRITERIA = [c.id for c in protocols.get("adolescent").exclusion_criteria]


def _teen(*screens: Screening) -> Case:
    """A 15-year-old starting IPT-A, the contract agreed at the first session."""
    return Case(
        id="teen",
        contract=TreatmentContract(
            protocol_id="adolescent", start=START, planned_sessions=12, agreed_on=START
        ),
        age_at_start=15,
        screening=screens,
    )


def _all_absent_but(criterion: str, result: ScreenResult, on: date = START) -> tuple[Screening, ...]:
    return tuple(Screening(c, result if c == criterion else ScreenResult.ABSENT, on) for c in CRITERIA)


def test_an_adolescent_with_active_psychosis_is_referred_on() -> None:
    case = _teen(*_all_absent_but("psychosis", ScreenResult.PRESENT))
    report = evaluate(case, today=START)
    (finding,) = [f for f in report.findings if f.code == "exclusion_present"]
    assert finding.blocking
    assert finding.path == f"$.screening[{CRITERIA.index('psychosis')}].result"
    assert {t.id: t.state for t in report.tasks}["exclusion_screen"] is TaskState.DONE

    with pytest.raises(TransitionError) as info:
        advance(case, Phase.MIDDLE, on=START)
    assert "exclusion_present" in {p.code for p in info.value.unmet}
    referral = report.transition(Phase.ALTERNATIVE_TREATMENT)
    assert referral is not None
    assert referral.kind is TransitionKind.REFERRAL
    assert referral.allowed
    referred = advance(case, Phase.ALTERNATIVE_TREATMENT, on=START)
    assert referred.phase is Phase.ALTERNATIVE_TREATMENT
    assert referred.outcome is ExitOutcome.ALTERNATIVE_TREATMENT

    agenda = next_steps(case, today=START)
    first = agenda.items[0]
    assert first.code == "screening.present.psychosis"
    assert first.blocking
    assert "psychotic" in first.text

    data = report_data(case, today=START)
    assert {"criterion": "psychosis", "label": "psychotic", "result": "present", "on": "2025-09-01"} in data[
        "screening"
    ]
    assert "psychotic: present" in render_text(case, today=START)
    assert "## Exclusion screening" in render_markdown(case, today=START)


def test_an_unknown_result_blocks_until_screened() -> None:
    case = _teen(*_all_absent_but("bipolar", ScreenResult.UNKNOWN))
    report = evaluate(case, today=START)
    assert {t.id: t.state for t in report.tasks}["exclusion_screen"] is TaskState.OPEN
    assert "exclusion_not_screened" in {f.code for f in report.findings if f.blocking}
    assert Phase.ALTERNATIVE_TREATMENT not in report.allowed
    agenda = next_steps(case, today=START)
    (pending,) = [i for i in agenda.items if i.code == "screening.pending"]
    assert pending.text.endswith("bipolar disorder")
    assert pending.blocking
    assert "task.exclusion_screen" not in {i.code for i in agenda.items}

    # Settled a week later: the later screen is the one that counts.
    settled = attrs.evolve(
        case, screening=(*case.screening, Screening("bipolar", ScreenResult.ABSENT, START + timedelta(7)))
    )
    assert {t.id: t.state for t in evaluate(settled, today=START + timedelta(7)).tasks}[
        "exclusion_screen"
    ] is TaskState.DONE
    # ... but not before it was done.
    assert {t.id: t.state for t in evaluate(settled, today=START).tasks}["exclusion_screen"] is TaskState.OPEN


def test_a_bare_task_record_no_longer_stands_for_the_screen() -> None:
    case = attrs.evolve(_teen(), tasks=(TaskRecord(task="exclusion_screen", on=START),))
    report = evaluate(case, today=START)
    assert {t.id: t.state for t in report.tasks}["exclusion_screen"] is TaskState.OPEN
    assert "exclusion_not_screened" in {f.code for f in report.findings}


def test_a_criterion_the_protocol_does_not_list_is_a_problem_with_path_and_code() -> None:
    with pytest.raises(ValidationError) as info:
        _teen(Screening("not-a-criterion", ScreenResult.ABSENT, START))
    (problem,) = info.value.problems
    assert problem.path == "$.screening[0].criterion"
    assert problem.code == ProblemCode.DANGLING_REFERENCE
    assert "not-a-criterion" not in str(info.value)

    raw = dumps(_teen(Screening("psychosis", ScreenResult.ABSENT, START)))
    with pytest.raises(ValidationError) as info:
        loads(raw.replace(b'"psychosis"', b'"nonsense"'))
    assert {p.path for p in info.value.problems} == {"$.screening[0].criterion"}
    assert b"nonsense" not in str(info.value).encode()

    # Under a user-defined protocol the engine checks it when the protocol is passed.
    mine = attrs.evolve(protocols.get("adolescent"), id="clinic-teen")
    case = attrs.evolve(_teen(), contract=attrs.evolve(_teen().contract, protocol_id="clinic-teen"))
    case = attrs.evolve(case, screening=(Screening("nonsense", ScreenResult.ABSENT, START),))
    report = evaluate(case, mine, today=START)
    assert any(f.code == ProblemCode.DANGLING_REFERENCE and f.blocking for f in report.findings)


def test_screening_round_trips() -> None:
    case = _teen(*_all_absent_but("active_substance_abuse", ScreenResult.UNKNOWN))
    assert loads(dumps(case)) == case


def test_old_documents_without_the_new_fields_still_load_and_redump_identically() -> None:
    case = _teen()
    raw = dumps(case)
    assert b'"screening"' not in raw  # no screen recorded: a document written before it existed
    assert loads(raw) == case
    assert dumps(loads(raw)) == raw
    screened = _teen(*_all_absent_but("active_substance_abuse", ScreenResult.UNKNOWN))
    assert b'"screening":[' in dumps(screened)


@settings(max_examples=120, deadline=None)
@given(cases(), st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31)))
def test_a_present_criterion_always_blocks_and_refers_on(case: Case, day: date) -> None:
    report = evaluate(case, today=day)
    present = [f for f in report.findings if f.code == "exclusion_present"]
    if not present:
        # Without a present criterion, a referral is offered only to a course that has held every
        # contracted session short of termination (the formulation never agreed).
        stalled = report.contracted_sessions_held and report.transition(Phase.TERMINATION) is None
        assert (
            report.transition(Phase.ALTERNATIVE_TREATMENT) is None
            or report.phase is Phase.TERMINATION
            or stalled
        )
        return
    assert all(f.blocking for f in present)
    assert not any(t.allowed for t in report.transitions if t.kind is TransitionKind.NEXT)
    if report.phase is not Phase.TERMINATION:
        referral = report.transition(Phase.ALTERNATIVE_TREATMENT)
        assert referral is not None
        assert referral.kind is TransitionKind.REFERRAL
