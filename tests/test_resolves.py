"""The generated reference checker answers as the generic walk does, for any set of known ids."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipt_core import Case
from ipt_core.domain import _fields as f
from ipt_core.testing import cases, sample_case

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _known(case: Case) -> dict[str, frozenset[str]]:
    return {
        "person": case.inventory.ids(),
        "event": case.timeline.ids(),
        "area": frozenset(a.id for a in case.areas()),
    }


def _refs(case: Case) -> list[tuple[str, str]]:
    return [(kind, target) for _, kind, target in f.iter_refs(case) if kind in ("person", "event", "area")]


@_SETTINGS
@given(cases(max_sessions=4, max_people=4), st.data())
def test_the_generated_checker_agrees_with_the_walk(case: Case, data: st.DataObject) -> None:
    known = _known(case)
    assert f.resolves(case, known) is True
    assert f._resolves_walk(case, known) is True
    refs = _refs(case)
    if refs:
        kind, target = data.draw(st.sampled_from(refs))
        fewer = {**known, kind: known[kind] - {target}}
        assert f.resolves(case, fewer) is False
        assert f._resolves_walk(case, fewer) is False
    keep = data.draw(st.lists(st.sampled_from(sorted(known)), unique=True))
    subset = {kind: known[kind] for kind in keep}
    assert f.resolves(case, subset) is f._resolves_walk(case, subset) is True
    emptied: dict[str, frozenset[str]] = {kind: frozenset() for kind in keep}
    assert f.resolves(case, emptied) is f._resolves_walk(case, emptied)


def test_kinds_the_model_does_not_know_are_ignored() -> None:
    case = sample_case()
    known = {**_known(case), "option": frozenset(), "unknown": frozenset()}
    assert f.resolves(case, known) is f._resolves_walk(case, known)


def test_a_record_without_references_always_resolves() -> None:
    assert f.resolves(sample_case().contract, {"person": frozenset()}) is True
    assert f.resolves("not a record", {"person": frozenset()}) is True
