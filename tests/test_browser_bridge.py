"""The browser example's Python bridge, on CPython: JSON in and out, the library's answers unchanged,
and no value from a document in what it reports. (``make test-js`` runs it under Pyodide.)"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

from hypothesis import given
from hypothesis import strategies as st

import ipt_core
from ipt_core import measures
from ipt_core.testing import sample_case

BROWSER = Path(__file__).resolve().parent.parent / "examples" / "browser"


def _bridge() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ipt_bridge", BROWSER / "ipt_bridge.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("ipt_bridge", module)
    spec.loader.exec_module(module)
    return module


bridge = _bridge()

answer = st.one_of(st.none(), st.integers(0, 3))


@given(st.lists(answer, min_size=9, max_size=9))
def test_a_phq9_scored_through_the_bridge_is_the_library_s_score(answers: list[int | None]) -> None:
    shown = json.loads(bridge.score_answers("phq9", json.dumps(answers)))
    expected = measures.score("phq9", answers)
    assert shown["ok"] is True
    assert (shown["total"], shown["band"], shown["complete"]) == (
        expected.total,
        expected.band,
        expected.complete,
    )
    assert [f["code"] for f in shown["risk_flags"]] == [f.code.value for f in expected.risk_flags]
    assert ("phq9_item9" in [f["code"] for f in shown["risk_flags"]]) == (
        answers[8] is not None and answers[8] >= 1
    )


@given(st.lists(st.integers(0, 3), min_size=7, max_size=7))
def test_a_complete_gad7_has_the_sum_for_its_total(answers: list[int]) -> None:
    shown = json.loads(bridge.score_answers("gad7", json.dumps(answers)))
    assert shown["total"] == sum(answers)
    assert shown["band"] == measures.score("gad7", answers).band


def test_the_page_offers_the_library_s_items_in_order() -> None:
    offered = {i["id"]: i for i in json.loads(bridge.instruments())}
    assert list(offered) == ["phq9", "gad7"]
    assert [item["id"] for item in offered["phq9"]["items"]] == [f"phq9_{n}" for n in range(1, 10)]
    assert [item["number"] for item in offered["gad7"]["items"]] == list(range(1, 8))
    assert offered["phq9"]["attribution"] == measures.get_instrument("phq9").attribution


def test_a_client_s_case_opened_in_the_page_gives_the_library_s_agenda() -> None:
    case = sample_case(sessions=6, seed=3)
    today = case.sessions[-1].date
    shown = json.loads(bridge.open_case(ipt_core.dumps(case), today.isoformat()))
    agenda = ipt_core.next_steps(case, today=today)
    assert shown["ok"] is True
    assert shown["headline"] == agenda.headline
    assert [i["code"] for i in shown["items"]] == [i.code for i in agenda.items]


secret = st.text(alphabet="abcdefghijklmnopqrstuvwxyzSECRT", min_size=12, max_size=30).map(
    lambda s: f"SECRET{s}"
)


@given(secret, st.sampled_from(["id", "contract", "notes", "sessions", "client_alias", "outcome"]))
def test_a_case_that_does_not_load_is_reported_without_its_values(value: str, field: str) -> None:
    document = {"kind": "case", "schema_version": 1, "id": 7, "contract": 3, field: {"x": value, value: 1}}
    shown = bridge.open_case(json.dumps(document).encode(), date(2025, 3, 1).isoformat())
    problems = json.loads(shown)["problems"]
    assert problems
    assert all(p["path"].startswith("$") and p["code"] for p in problems)
    assert "SECRET" not in shown
