"""The seed scenario, end to end: Nicola, a role dispute with her partner and a feared job loss.

Nicola and her partner argue a lot; she is becoming distant and irritable but does not want the
relationship to end. Her job is at risk in a restructure. Her previous relationship broke down after
her partner was made redundant, and she fears her partner will leave if she loses her job, so she
distances herself in anticipation. In therapy she names these fears and voices them to her partner,
which leads to a long, positive talk.

Run: ``python examples/nicola.py [output.json]`` (writes the case as JSON, then loads it back).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import attrs

import ipt_core
from ipt_core import (
    Case,
    CommunicationAnalysis,
    DisputeStage,
    EventKind,
    Expectation,
    Formulation,
    FuzzyDate,
    Incident,
    InstrumentAnswers,
    InterpersonalInventory,
    LifeEvent,
    Person,
    RelationshipCategory,
    RiskCheck,
    RiskLevel,
    RoleDispute,
    RolePlay,
    RoleTransition,
    SessionRecord,
    TaskRecord,
    Technique,
    Timeline,
    TreatmentContract,
    phases,
    progress,
)

START = date(2025, 3, 3)


def week(n: int) -> date:
    """The date of the session in week ``n`` (week 1 is the first session)."""
    return START + timedelta(weeks=n - 1)


def build_case() -> Case:
    """Nicola's case as a therapist's tool would record it over her first six sessions."""
    inventory = InterpersonalInventory(
        people=(
            Person(
                id="partner",
                alias="Sam",
                category=RelationshipCategory.PARTNER,
                ring=1,
                shared_activities=("cooking", "weekend walks"),
                satisfying=("affectionate", "makes her laugh"),
                unsatisfying=("frequent arguments", "she withdraws, he pushes"),
                client_expectations=(
                    Expectation("will stay if I lose my job", met=None),
                    Expectation("gives me space when I am stressed", met=False),
                ),
                other_expectations=(Expectation("tell me what is wrong", met=False),),
                wished_changes=("talk about the job worries together",),
                supportive=True,
                confidant=False,
                in_conflict=True,
                knows_about_difficulties=False,
                changed_near_onset=True,
            ),
            Person(
                id="colleague",
                alias="Priya",
                category=RelationshipCategory.COLLEAGUE,
                ring=2,
                shared_activities=("lunch",),
                supportive=True,
                confidant=True,
                knows_about_difficulties=True,
            ),
            Person(
                id="manager",
                alias="Mr K",
                category=RelationshipCategory.SUPERVISOR,
                ring=3,
                unsatisfying=("vague about the restructure",),
                supportive=False,
            ),
            Person(
                id="former-partner",
                alias="J",
                category=RelationshipCategory.OTHER,
                ring=3,
                notes="relationship ended after his redundancy",
                changed_near_onset=False,
            ),
        )
    )
    timeline = Timeline(
        events=(
            LifeEvent(
                id="past-breakup",
                kind=EventKind.SEPARATION,
                when=FuzzyDate(2019, circa=True),
                people=("former-partner",),
                description="previous relationship broke down after he was made redundant",
            ),
            LifeEvent(
                id="restructure",
                kind=EventKind.JOB_CHANGE,
                when=FuzzyDate(2024, 11),
                people=("manager", "colleague"),
                description="company restructure announced; her role is at risk",
                mood_effect="sleeping badly, more irritable at home",
            ),
            LifeEvent(
                id="arguments",
                kind=EventKind.DISPUTE_START,
                when=FuzzyDate(2024, 12),
                people=("partner",),
                description="arguments at home become frequent",
            ),
            LifeEvent(
                id="job-loss",
                kind=EventKind.JOB_LOSS,
                when=FuzzyDate(2025, 6, circa=True),
                description="possible redundancy when the restructure completes",
                anticipated=True,
            ),
        ),
        onset=FuzzyDate(2024, 12),
    )
    dispute = RoleDispute(
        id="dispute",
        other_party="partner",
        stage=DisputeStage.RENEGOTIATION,
        sliding_towards=DisputeStage.IMPASSE,
        client_expectations=("he will leave if I lose my job, as happened before",),
        other_expectations=("to be let in, not shut out",),
        issues=("her withdrawal and irritability", "unspoken fear of being left"),
        events=("arguments", "past-breakup"),
    ).with_stage(DisputeStage.RENEGOTIATION, on=week(2), note="still talking, but less")
    transition = RoleTransition(
        id="job",
        old_role="secure in her job",
        new_role="possibly redundant",
        anticipated=True,
        losses=("income", "confidence"),
        supports_needed=("partner", "colleague"),
        people=("partner", "manager"),
        events=("restructure", "job-loss"),
    )
    formulation = Formulation(
        diagnosis="major depressive episode",
        severity_evidence="PHQ-9 in the moderate band at assessment",
        focus=(dispute,),
        other_areas=(transition,),
        linking_statement=(
            "Your low mood began when the restructure put your job at risk. Because your last "
            "relationship ended after a redundancy, you fear Sam will leave too, so you pull away "
            "first; the arguments that follow deepen your low mood. We will work on the dispute "
            "with Sam: naming the fear and saying it to him."
        ),
        presented_on=week(3),
        agreed_on=week(3),
    )
    phq9 = [
        (2, 2, 2, 2, 1, 2, 1, 1, 0),
        (2, 2, 2, 1, 1, 2, 1, 1, 0),
        (2, 1, 2, 1, 1, 2, 1, 0, 0),
        (1, 1, 2, 1, 1, 1, 1, 0, 0),
        (1, 1, 1, 1, 0, 1, 1, 0, 0),
        (1, 0, 1, 1, 0, 1, 0, 0, 0),
    ]
    gad7 = [
        (2, 2, 2, 1, 1, 2, 2),
        (2, 2, 1, 1, 1, 2, 1),
        (1, 2, 1, 1, 1, 1, 1),
        (1, 1, 1, 1, 0, 1, 1),
        (1, 1, 1, 0, 0, 1, 1),
        (1, 0, 1, 0, 0, 1, 0),
    ]
    sessions = []
    for n in range(1, 7):
        middle = n >= 4
        incidents: tuple[Incident, ...] = ()
        role_plays: tuple[RolePlay, ...] = ()
        if n == 4:
            incidents = (
                Incident(
                    person="partner",
                    summary="Sam asked why she was quiet; she snapped and left the room",
                    mood_link="felt low and alone all evening",
                    analysis=CommunicationAnalysis(
                        client_said="Nothing's wrong, leave it.",
                        other_said="You never tell me anything.",
                        client_intended="to stop him seeing how scared she is",
                        client_felt="afraid he would leave",
                        effect="both withdrew; no talk for two days",
                        alternatives=("I'm scared about work and what it means for us.",),
                    ),
                ),
            )
            role_plays = (
                RolePlay(
                    person="partner",
                    scenario="telling Sam about her fear of losing him if she loses the job",
                    outcome="found words she could use",
                ),
            )
        if n == 5:
            incidents = (
                Incident(
                    person="partner",
                    summary="she told Sam her fears; they talked for hours",
                    mood_link="felt lighter and closer the next day",
                ),
            )
        sessions.append(
            SessionRecord(
                number=n,
                date=week(n),
                measures=(
                    InstrumentAnswers("phq9", phq9[n - 1]),
                    InstrumentAnswers("gad7", gad7[n - 1]),
                ),
                risk_check=RiskCheck(level=RiskLevel.NONE),
                techniques=(
                    (Technique.COMMUNICATION_ANALYSIS, Technique.ROLE_PLAY)
                    if n == 4
                    else (Technique.LINKING_MOOD_AND_EVENTS,)
                    if middle
                    else (Technique.SYMPTOM_REVIEW, Technique.INTERPERSONAL_INVENTORY)
                ),
                incidents=incidents,
                role_plays=role_plays,
                focus_area="dispute" if middle else None,
                mood_rating=3 + n,
                mood_link="arguments at home, then low mood" if n < 5 else "closer after the talk",
            )
        )
    case = Case(
        id="nicola",
        client_alias="Nicola",
        contract=TreatmentContract(
            protocol_id="standard", start=START, planned_sessions=16, agreed_on=week(3)
        ),
        inventory=inventory,
        timeline=timeline,
        formulation=formulation,
        sessions=tuple(sessions),
        tasks=(
            TaskRecord("psychoeducation", on=week(1), session=1),
            TaskRecord("sick_role", on=week(1), session=1),
            TaskRecord("medication_evaluation", on=week(2), session=2),
        ),
    )
    # The gate into the middle phase is her agreement to the formulation (and the contract).
    case = phases.advance(case, "middle", on=week(4), reason="Nicola agreed to the formulation")
    # After the long, positive talk in week 5 the dispute is no longer sliding towards impasse.
    resolved = attrs.evolve(
        dispute.with_stage(DisputeStage.RENEGOTIATION, on=week(5), note="a long, positive talk"),
        sliding_towards=None,
    )
    return case.with_formulation(attrs.evolve(formulation, focus=(resolved,)))


def plural(count: int, noun: str) -> str:
    """``no incident``, ``1 incident``, ``2 incidents``: a count in words for people to read."""
    if count == 0:
        return f"no {noun}"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def yes_no(value: bool | None) -> str:
    """A judgement in words; ``None`` (not judged yet) is said so."""
    return "not judged" if value is None else ("yes" if value else "no")


def words(value: str) -> str:
    """An enum value as words (``job_change`` -> ``job change``)."""
    return value.replace("_", " ")


def summary(case: Case) -> str:
    """A readable summary a therapist could skim (it shows the client's own aliases)."""
    lines = [f"Case {case.id}: {case.protocol_id} IPT, phase {case.phase.value}"]
    contract = case.contract
    lines.append(
        f"Contract: {contract.current_sessions} {contract.current_frequency.value} sessions "
        f"from {contract.start.isoformat()}; {len(case.sessions)} held"
    )
    lines.append("Closeness circle:")
    for ring, people in case.inventory.circle().items():
        names = ", ".join(f"{p.alias} ({p.category.value})" for p in people) or "-"
        lines.append(f"  ring {ring}: {names}")
    net = case.inventory.summary()
    lines.append(
        f"Network: {net.people} people, {net.supportive} supportive, {plural(net.confidants, 'confidant')}, "
        f"{net.in_conflict} in conflict"
    )
    near = case.timeline.near_onset()
    lines.append("Near onset: " + "; ".join(f"{e.when} {words(e.kind.value)}" for e in near))
    for suggestion in ipt_core.suggest_problem_areas(case):
        evidence = "; ".join(e.text for e in suggestion.evidence)
        lines.append(f"Suggested {suggestion.rank}: {suggestion.label} ({evidence})")
    if case.formulation is not None:
        for area in case.formulation.focus:
            if isinstance(area, RoleDispute):
                other = case.inventory.person(area.other_party).alias
                drift = f", sliding towards {area.sliding_towards.value}" if area.sliding_towards else ""
                lines.append(f"Focus: role dispute with {other} ({area.stage.value}{drift})")
                for change in area.stage_history:
                    lines.append(f"  {change.on.isoformat()}: {change.stage.value} - {change.note}")
                linked = (case.timeline.event(e) for e in area.events)
                lines.append(
                    "  linked events: " + "; ".join(f"{e.when} {words(e.kind.value)}" for e in linked)
                )
        for area in case.formulation.other_areas:
            anticipated = " (anticipated)" if getattr(area, "anticipated", False) else ""
            lines.append(f"Also noted: {area.KIND.value.replace('_', ' ')}{anticipated}")
        agreed = case.formulation.agreed_on
        lines.append(f"Formulation agreed: {agreed.isoformat() if agreed else 'not yet'}")
    for record in case.sessions:
        lines.append(
            f"  session {record.number} ({record.date.isoformat()}): mood {record.mood_rating}/10, "
            f"{plural(len(record.incidents), 'incident')}; "
            + ", ".join(words(t.value) for t in record.techniques)
        )
    return "\n".join(lines)


def progress_summary(case: Case, today: date) -> str:
    """Her PHQ-9 and GAD-7 trajectory, the progress report and any risk flags."""
    report = progress.evaluate(case, today=today)
    lines = ["Progress:"]
    for instrument in ("phq9", "gad7"):
        track = report.instruments[instrument]
        points = ", ".join(f"s{p.session}: {p.total} ({words(p.band or 'no band')})" for p in track.points)
        lines.append(f"  {instrument}: {points}")
        lines.append(
            f"    change {track.change:+d} from baseline; response {yes_no(track.response)}, "
            f"remission {yes_no(track.remission)}, "
            f"early non-improvement {yes_no(track.early_nonimprovement)}"
        )
    outcome = report.talking_therapies
    if outcome is not None and not outcome.finished_treatment:
        # NHS Talking Therapies judges recovery only for a course that has ended.
        lines.append(
            f"  Talking Therapies: caseness at start {yes_no(outcome.caseness_at_start)}; recovery is "
            "judged once the course has ended"
        )
    elif outcome is not None:
        lines.append(
            f"  Talking Therapies: caseness at start {yes_no(outcome.caseness_at_start)}, recovered "
            f"{yes_no(outcome.recovered)}, reliably improved {yes_no(outcome.reliably_improved)}"
        )
    lines.append(risk_picture(case, today))
    return "\n".join(lines)


def risk_picture(case: Case, today: date) -> str:
    """Every risk flag of the course, from every source, and the ones still open: for Nicola, whose
    PHQ-9 item 9 stays at 0 and whose therapist's risk checks find no risk, the picture is empty."""
    flags = ipt_core.risk_flags(case, today=today)
    still_open = ipt_core.open_risk_flags(case, today=today)
    lines = [f"Risk picture: {len(flags)} flags raised, {len(still_open)} open"]
    lines += [f"  session {f.session}: {ipt_core.risk.flag_source(f)} ({f.level})" for f in flags]
    plan = "none made" if case.safety_plan is None else f"reviewed {case.safety_plan.reviewed_on}"
    lines.append(f"  safety plan: {plan}")
    return "\n".join(lines)


def phase_summary(case: Case, today: date) -> str:
    """Where the course is, what is still open, and what the next session should cover."""
    report = phases.evaluate(case, today=today)
    lines = [f"Phase: {report.phase.value}"]
    lines.extend(f"  open ({'blocking' if t.blocking else 'advice'}): {t.label}" for t in report.open)
    agenda = ipt_core.next_steps(case, today=today)
    lines.append(f"Next session: {agenda.headline}")
    lines.extend(f"  - {item.text}" for item in agenda.items)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    case = build_case()
    print(summary(case))
    print(progress_summary(case, today=week(6)))
    print(phase_summary(case, today=week(6)))
    data = ipt_core.dumps(case)
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.gettempdir()) / "nicola.case.json"
    out.write_bytes(data)
    again = ipt_core.loads(out.read_bytes())
    if again != case or ipt_core.dumps(again) != data:
        raise SystemExit("the case did not survive the round trip")
    print(f"Wrote {len(data)} bytes to {out}; loaded back identical.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
