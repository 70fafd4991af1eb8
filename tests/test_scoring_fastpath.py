"""The fast scoring path equals the general one, for every instrument, and the views built on it
(progress, risk flags, the outcome table) equal what the general path and the public functions give.

The fast path (:func:`_fast_total`, a plan compiled per instrument and option set) serves complete
integer answers; everything else goes to the general rules. These properties compare the two on
inputs that reach both: complete answers (the fast path must take them) and answers with the
kinds of fault the general path reports (missing, wrong type, out of range, "not assessed", maps
by item id, unknown or repeated options), under the default and other scoring policies.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ipt_core.analytics import OutcomeAccumulator, case_measures
from ipt_core.domain.case import Case
from ipt_core.domain.contract import TreatmentContract
from ipt_core.domain.course import ExitOutcome, Phase, PhaseChange
from ipt_core.domain.measures.scoring import (
    _fast_total,
    _plan_for,
    _plans,
    _record_total,
    _score_general,
)
from ipt_core.domain.sessions import (
    Attendance,
    InstrumentAnswers,
    Missing,
    RiskCheck,
    RiskLevel,
    SessionRecord,
)
from ipt_core.errors import ValidationError
from ipt_core.measures import (
    INSTRUMENTS,
    Band,
    BandTable,
    Instrument,
    Score,
    ScoringPolicy,
    score,
    score_record,
)
from ipt_core.progress import TalkingTherapiesSettings, evaluate, talking_therapies_outcome
from ipt_core.risk import open_risk_flags, risk_flags

ALL = sorted(INSTRUMENTS.values(), key=lambda i: i.id)


def _outcome(run: object) -> tuple[str, object]:
    """A score, or the problems of the error it raised, so two paths compare either way."""
    try:
        return "score", run()  # type: ignore[operator]
    except ValidationError as error:
        return "error", error.problems


def _complete(instrument: Instrument) -> st.SearchStrategy[tuple[int, ...]]:
    """Every item, or every required and scored item, answered in range (never "not assessed")."""
    last_needed = max(n for n, i in enumerate(instrument.items) if i.required or i.scored)
    return st.integers(last_needed + 1, len(instrument.items)).flatmap(
        lambda count: st.tuples(
            *(
                st.sampled_from([v for v in range(item.minimum, item.maximum + 1) if v != item.not_assessed])
                for item in instrument.items[:count]
            )
        )
    )


def _answer(instrument: Instrument, index: int) -> st.SearchStrategy[object]:
    item = instrument.items[index]
    usual = st.integers(item.minimum, item.maximum)
    faults = st.sampled_from(
        [
            None,
            *Missing,
            "declined",
            item.maximum + 1,
            item.minimum - 1,
            True,
            False,
            float(item.minimum),
            [item.minimum],
        ]
    )
    return st.one_of(usual, usual, usual, usual, usual, usual, faults)


@st.composite
def _answers(draw: st.DrawFn, instrument: Instrument) -> object:
    """Answers to ``instrument``: mostly complete, some with one or more faults, in a tuple, a
    list or a map by item id."""
    items = instrument.items
    count = draw(
        st.sampled_from([len(items), len(items), instrument.required_count, len(items) + 1])
        | st.integers(0, len(items))
    )
    values = [draw(_answer(instrument, n % len(items))) for n in range(count)]
    if draw(st.booleans()):  # some answers exactly as a record's fast path sees them
        values = [
            draw(st.integers(i.minimum, i.maximum)) for i in items[: max(count, instrument.required_count)]
        ]
    shape = draw(st.sampled_from(["tuple", "tuple", "list", "map"]))
    if shape == "map":
        return {item.id: value for item, value in zip(items, values, strict=False)}
    return tuple(values) if shape == "tuple" else values


def _options(instrument: Instrument) -> st.SearchStrategy[object]:
    known = list(instrument.options)
    return st.one_of(
        st.just(()),
        st.lists(st.sampled_from(known), unique=True).map(tuple) if known else st.just(()),
        st.lists(st.sampled_from([*known, "unknown"]), max_size=3).map(tuple),
        st.lists(st.sampled_from([*known, "unknown"]), max_size=2),
    )


def _policies(instrument: Instrument) -> st.SearchStrategy[ScoringPolicy | None]:
    custom: st.SearchStrategy[ScoringPolicy | None] = st.none()
    if instrument.bands is not None:
        low, high = instrument.bands.bands[0].minimum, instrument.bands.bands[-1].minimum + 3
        custom = st.integers(int(low) + 1, int(high)).map(
            lambda cut: ScoringPolicy(
                bands={
                    instrument.id: BandTable(
                        (Band("below", Fraction(low)), Band("above", Fraction(cut))),
                        source="a service's cut-off",
                    )
                }
            )
        )
    return st.one_of(
        st.none(),
        st.just(ScoringPolicy()),
        st.just(ScoringPolicy(prorate=True)),
        st.just(ScoringPolicy(prorate=True, max_missing={instrument.id: 3})),
        custom,
    )


@settings(max_examples=600)
@given(st.data())
def test_score_equals_the_general_path_for_every_instrument(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(ALL))
    answers = data.draw(_answers(instrument))
    options = data.draw(_options(instrument))
    policy = data.draw(_policies(instrument))
    fast = _outcome(lambda: score(instrument.id, answers, options=options, policy=policy))  # type: ignore[arg-type]
    general = _outcome(lambda: _score_general(instrument.id, answers, options=options, policy=policy))  # type: ignore[arg-type]
    assert fast == general


@pytest.mark.parametrize("instrument", ALL, ids=lambda i: i.id)
@settings(max_examples=60)
@given(data=st.data())
def test_complete_answers_take_the_fast_path_and_agree(instrument: Instrument, data: st.DataObject) -> None:
    answers = data.draw(_complete(instrument))
    options = (
        data.draw(st.lists(st.sampled_from(instrument.options), unique=True).map(tuple))
        if instrument.options
        else ()
    )
    policy = data.draw(_policies(instrument))
    plan = _plan_for(instrument, options)
    assert plan is not None, "every instrument and set of its options is compiled"
    found = _fast_total(plan, answers, policy)
    assert found is not None, "complete integer answers are the fast path's"
    general = _score_general(instrument.id, answers, options=options, policy=policy)
    assert found == (general.total, general.band)
    assert general.complete
    assert not general.prorated
    assert score(instrument.id, answers, options=options, policy=policy) == general
    record = InstrumentAnswers(instrument=instrument.id, answers=answers, options=options)
    assert _record_total(record, policy) == found


@settings(max_examples=300)
@given(st.data())
def test_a_record_totals_as_score_record_does(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(ALL))
    raw = data.draw(_answers(instrument))
    assume(isinstance(raw, tuple))
    answers = tuple(a for a in raw if a is None or isinstance(a, Missing) or type(a) is int)  # type: ignore[attr-defined]
    options = (
        data.draw(st.lists(st.sampled_from(instrument.options), unique=True).map(tuple))
        if instrument.options
        else ()
    )
    record = InstrumentAnswers(instrument=instrument.id, answers=answers, options=options)
    policy = data.draw(_policies(instrument))
    found = _record_total(record, policy)
    general = _outcome(lambda: _score_general(instrument.id, answers, options=options, policy=policy))
    if found is not None:
        kind, result = general
        assert kind == "score"
        assert isinstance(result, Score)
        assert found == (result.total, result.band)
        assert result.complete
        assert not result.prorated
    assert _outcome(lambda: score_record(record, policy=policy)) == general


def test_every_instrument_is_compiled_for_every_order_of_its_options() -> None:
    for instrument in ALL:
        plans = _plans(instrument.id)
        assert () in plans
        assert all(plan is not None for plan in plans.values())
        for option in instrument.options:
            assert plans[(option,)] is not None


def test_the_scoring_rules_in_the_instrument_data_name_real_items_and_options() -> None:
    for instrument in ALL:
        ids = {item.id for item in instrument.items}
        for option, dropped in instrument.unscored_by_option.items():
            assert option in instrument.options
            assert set(dropped) <= {item.id for item in instrument.scored_items}
        for item in instrument.items:
            if item.not_assessed is not None:
                assert item.minimum <= item.not_assessed <= item.maximum
        assert ids
    assert INSTRUMENTS["wsas"].unscored_by_option == {"retired": ("wsas_1",)}
    assert [i.id for i in INSTRUMENTS["hamd17"].items if i.not_assessed is not None] == ["hamd17_16"]


# --- vignettes ------------------------------------------------------------------------------------


def test_a_complete_phq9_with_the_difficulty_item_is_scored_by_the_fast_path() -> None:
    # Week 3: nine items answered, item 9 "several days", and "somewhat difficult" on item 10.
    answers = (2, 2, 1, 2, 1, 2, 1, 1, 1, 1)
    plan = _plan_for(INSTRUMENTS["phq9"], ())
    assert plan is not None
    assert _fast_total(plan, answers, None) == (13, "moderate")
    result = score("phq9", answers)
    assert result == _score_general("phq9", answers)
    assert (result.total, result.band, result.range) == (13, "moderate", (0, 27))
    assert [f.code for f in result.risk_flags] == ["phq9_item9"]


def test_a_retired_clients_wsas_leaves_out_work() -> None:
    # A retired client rates home management 5, social leisure 4, private leisure 2, relationships 6;
    # the work item is recorded as 8 but is not scored when the record says "retired".
    answers = (8, 5, 4, 2, 6)
    plan = _plan_for(INSTRUMENTS["wsas"], ("retired",))
    assert plan is not None
    assert _fast_total(plan, answers, None) == (17, "significant")
    result = score("wsas", answers, options=["retired"])
    assert result == _score_general("wsas", answers, options=["retired"])
    assert result.range == (0, 32)


def test_a_hamd_with_weight_not_assessed_goes_to_the_general_path() -> None:
    # A telephone rating: weight (item 16) could not be assessed and is rated 3.
    answers = [2, 1, 0, 1, 1, 0, 2, 1, 1, 2, 1, 1, 1, 0, 1, 3, 0]
    plan = _plan_for(INSTRUMENTS["hamd17"], ())
    assert plan is not None
    assert _fast_total(plan, answers, None) is None
    result = score("hamd17", answers)
    assert result.not_assessed == ("hamd17_16",)
    assert result.total == 15
    assert result.range == (0, 50)


# --- the views built on scores --------------------------------------------------------------------

START = date(2024, 1, 8)


@st.composite
def _courses(draw: st.DrawFn) -> Case:
    """A course of weekly sessions with PHQ-9, GAD-7 and other measures, mostly complete."""
    count = draw(st.integers(0, 10))
    sessions = []
    for number in range(1, count + 1):
        chosen = draw(st.lists(st.sampled_from(ALL), unique_by=lambda i: i.id, max_size=4))
        measures = []
        for instrument in chosen:
            if draw(st.integers(0, 4)):
                answers: tuple[object, ...] = draw(_complete(instrument))
            else:
                answers = tuple(
                    draw(st.integers(i.minimum, i.maximum) | st.sampled_from([None, *Missing]))
                    for i in instrument.items[: instrument.required_count]
                )
            options = (
                draw(st.lists(st.sampled_from(instrument.options), unique=True)) if instrument.options else []
            )
            measures.append(InstrumentAnswers(instrument.id, answers, tuple(options)))  # type: ignore[arg-type]
        sessions.append(
            SessionRecord(
                number=number,
                date=START + timedelta(weeks=number - 1),
                attendance=draw(
                    st.sampled_from([Attendance.ATTENDED, Attendance.ATTENDED, Attendance.DID_NOT_ATTEND])
                ),
                measures=tuple(measures),
                risk_check=draw(st.none() | st.builds(RiskCheck, level=st.sampled_from(RiskLevel))),
            )
        )
    history: tuple[PhaseChange, ...] = ()
    outcome = None
    ends = draw(st.booleans())
    if sessions and ends:
        history = (PhaseChange(Phase.COMPLETED, sessions[-1].date),)
        outcome = ExitOutcome.COMPLETED
    return Case(
        id="c1",
        contract=TreatmentContract(protocol_id="ipt_standard", start=START, planned_sessions=12),
        sessions=tuple(sessions),
        phase_history=history,
        outcome=outcome,
    )


@settings(max_examples=120, deadline=None)
@given(_courses(), st.integers(0, 12))
def test_evaluate_charts_what_the_general_path_scores(case: Case, weeks: int) -> None:
    today = START + timedelta(weeks=weeks)
    report = evaluate(case, today=today)
    held = [s for s in case.sessions if s.date <= today]
    for name, progress in report.instruments.items():
        expected = []
        for session in held:
            record = session.answers(name)
            if record is not None:
                result = _score_general(record.instrument, record.answers, options=record.options)
                expected.append((session.number, result.total, result.band, result.complete, result.prorated))
        assert [(p.session, p.total, p.band, p.complete, p.prorated) for p in progress.points] == expected
    assert report.risk_flags == risk_flags(case, today=today)
    assert report.open_risk_flags == open_risk_flags(case, today=today)
    assert report.attended_sessions == sum(1 for s in held if s.attended)


def _reference_table_counts(cases: list[Case]) -> dict[str, int]:
    """The outcome counts of the whole service, by the general path and the public outcome rules."""
    counts = dict.fromkeys(
        ("cases", "finished", "paired", "recovered", "improved", "deteriorated", "phq9"), 0
    )
    settings_ = TalkingTherapiesSettings()
    for case in cases:
        counts["cases"] += 1
        attended = [s for s in case.sessions if s.attended]
        firsts: list[dict[str, int]] = []
        for ordered in (attended, attended[::-1]):
            found: dict[str, int] = {}
            for name in ("phq9", "gad7"):
                for session in ordered:
                    record = session.answers(name)
                    if record is not None:
                        total = _score_general(name, record.answers, options=record.options).total
                        if isinstance(total, int):
                            found[name] = total
                            break
            firsts.append(found)
        measures = case_measures(case)
        assert (dict(measures.first), dict(measures.last)) == (firsts[0], firsts[1])
        treatment = sum(1 for s in attended if s.number >= 1)
        ended = case.phase in {Phase.COMPLETED} or case.outcome is not None
        if not settings_.finished(treatment_sessions=treatment, ended=ended):
            continue
        counts["finished"] += 1
        first, last = firsts
        if len(first) < 2 or len(last) < 2:
            continue
        outcome = talking_therapies_outcome(first, last, attended_sessions=treatment, ended=ended)
        counts["paired"] += 1
        counts["recovered"] += outcome.recovered
        counts["improved"] += outcome.reliably_improved
        counts["deteriorated"] += outcome.reliably_deteriorated
        counts["phq9"] += last["phq9"] - first["phq9"]
    return counts


@settings(max_examples=60, deadline=None)
@given(st.lists(_courses(), max_size=6))
def test_the_outcome_table_counts_what_the_general_path_scores(cases: list[Case]) -> None:
    total = OutcomeAccumulator().add_all(cases).table().total
    assert _reference_table_counts(cases) == {
        "cases": total.cases,
        "finished": total.finished_treatment,
        "paired": total.with_paired_scores,
        "recovered": total.recovered,
        "improved": total.reliably_improved,
        "deteriorated": total.reliably_deteriorated,
        "phq9": total.phq9_change_sum,
    }
