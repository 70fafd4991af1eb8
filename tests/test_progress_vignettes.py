"""Vignettes: courses written as a therapist records them, read against the published rules.

Each expected value is worked out by hand from the source named beside it.
"""

from __future__ import annotations

from datetime import date

import attrs

from _measures_helpers import answers_for, make_case
from ipt_core.domain.course import ExitOutcome
from ipt_core.domain.risk import RiskCode, RiskGrade
from ipt_core.domain.sessions import Answer, Missing, RiskCheck, RiskLevel
from ipt_core.measures import score
from ipt_core.progress import ProgressPolicy, evaluate

FAR = date(2030, 1, 1)


def _hamd(total: int, *, weight_not_assessed: bool = False) -> list[Answer]:
    """A HAM-D-17 rating with this total (item 3, suicide, at 0), item 16 rated 3 ("not assessed")
    when asked: it is then not scored, and the total comes from the other 16 items."""
    answers = answers_for("hamd17", total, skip=(2, 15))
    if weight_not_assessed:
        answers[15] = 3
    return answers


def test_a_psychiatrist_s_weekly_hamd_ratings() -> None:
    # Mr A is rated weekly on the HAM-D-17 by his psychiatrist. Week 1: 24 (very severe, CamCOPS
    # bands: >= 23), his weight not assessed (item 16 = 3, not scored: Guy 1976). Week 4: 18, a fall
    # of 25%: early improvement by Kudlow's 20% [V], not by Gilaberte's 30% at week 4 [V]. Weeks
    # 5-7: 7, 6, 5: three consecutive weekly ratings <= 7, remission as Reynolds 2010 defines it [V];
    # a fall of 79% from 24, a response (>= 50%).
    week1 = _hamd(24, weight_not_assessed=True)
    assert score("hamd17", week1).total == 24
    assert score("hamd17", week1).band == "very_severe"
    assert score("hamd17", week1).not_assessed == ("hamd17_16",)
    ratings = [week1, _hamd(22), _hamd(20), _hamd(18), _hamd(7), _hamd(6), _hamd(5)]
    case = make_case([{"hamd17": r} for r in ratings])

    kudlow = evaluate(case, today=FAR).instruments["hamd17"]
    assert kudlow.early_nonimprovement is False
    assert kudlow.response is True
    assert kudlow.remission is True
    assert kudlow.fall == (24 - 5) / 24

    reynolds = ProgressPolicy(remission_sustained=3, early_falls={"hamd17": 0.3})
    strict = evaluate(case, today=FAR, policy=reynolds).instruments["hamd17"]
    assert strict.early_nonimprovement is True
    assert strict.remission is True
    two_weeks = make_case([{"hamd17": r} for r in ratings[:6]])
    assert evaluate(two_weeks, today=FAR, policy=reynolds).instruments["hamd17"].remission is False


def test_anxiety_led_referral_recovers_though_the_phq9_never_showed_a_depressive_episode() -> None:
    # Ms B is referred for anxiety: PHQ-9 8 (mild), GAD-7 12. She is a case for NHS Talking
    # Therapies on the GAD-7 alone (>= 8 [S]). After six attended sessions her course is completed:
    # PHQ-9 3, GAD-7 4. Recovered (below both thresholds), reliably improved (GAD-7 fell 8 >= 4 [V];
    # the PHQ-9 fell 5 < 6, no reliable rise), so reliably recovered [V]. The PHQ-9 began below
    # CMS159's index score (a PHQ-9 above 9 [V]): its remission and response are not judged.
    phq9 = [8, 7, 6, 5, 4, 3]
    gad7 = [12, 11, 9, 7, 5, 4]
    sessions = [
        {"phq9": answers_for("phq9", p, skip=(8,)), "gad7": answers_for("gad7", g)}
        for p, g in zip(phq9, gad7, strict=True)
    ]
    case = attrs.evolve(make_case(sessions), outcome=ExitOutcome.COMPLETED)
    report = evaluate(case, today=FAR)
    tt = report.talking_therapies
    assert tt is not None
    assert (tt.caseness_at_start, tt.finished_treatment, tt.recovered) == (True, True, True)
    assert (tt.reliably_improved, tt.reliably_deteriorated, tt.reliably_recovered) == (True, False, True)
    assert (report.instruments["phq9"].remission, report.instruments["phq9"].response) == (None, None)
    assert report.instruments["gad7"].response is True  # 12 to 4: a fall of 67%


def test_item_9_declined_then_reviewed_at_the_same_session() -> None:
    # Session 2: Ms C declines PHQ-9 item 9. Nothing about risk can be read from her answers: "risk
    # not assessed" (never "no risk"; Louzon 2016 [V]: 71.6% of suicides had answered "not at all").
    # The therapist asks in the session and records a low-risk check: the flag is kept, reviewed.
    sessions = [
        {"phq9": answers_for("phq9", 14, skip=(8,))},
        {"phq9": [*answers_for("phq9", 12, skip=(8,))[:8], Missing.DECLINED]},
    ]
    case = make_case(sessions)
    report = evaluate(case, today=FAR)
    assert [(f.session, f.code, f.level) for f in report.risk_flags] == [
        (2, RiskCode.RISK_NOT_ASSESSED, RiskGrade.UNKNOWN)
    ]
    assert report.open_risk_flags == report.risk_flags
    checked = attrs.evolve(
        case,
        sessions=(
            case.sessions[0],
            attrs.evolve(case.sessions[1], risk_check=RiskCheck(level=RiskLevel.LOW)),
        ),
    )
    reviewed = evaluate(checked, today=FAR)
    assert reviewed.risk_flags == report.risk_flags  # kept for ever
    assert reviewed.open_risk_flags == ()
    # Item 9 declined: the PHQ-9 is never prorated over it, whatever the policy.
    assert reviewed.instruments["phq9"].points[1].total is None
