"""The conformance suite (``conformance/``): every case passes on CPython, the runner catches a wrong
expectation, the files follow their schema and layout, and the generated band edges match both the
generator and the library's own band tables."""

from __future__ import annotations

import ast
import importlib.util
import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipt_core import measures

ROOT = Path(__file__).resolve().parent.parent / "conformance"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"conformance_{name}", ROOT / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


runner = _module("run")
generator = _module("generate")


def _files() -> list[str]:
    found: list[str] = generator.case_files(str(ROOT))
    return found


def _load(relative: str, root: Path = ROOT) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / relative).read_text(encoding="utf-8"))
    return data


# --- the suite passes -------------------------------------------------------------------------------


def test_every_case_passes_on_cpython() -> None:
    summary = runner.run(str(ROOT))
    failures = [r for r in summary["results"] if not r["passed"]]
    assert failures == []
    assert summary["failed"] == 0
    assert summary["passed"] == sum(len(_load(f)["cases"]) for f in _files())


def test_every_suite_has_cases() -> None:
    suites = {_load(f)["suite"] for f in _files()}
    assert suites == {"scoring", "validation", "outcomes", "next_steps"}


def test_the_result_is_plain_json_data() -> None:
    summary = runner.run(str(ROOT))
    assert json.loads(json.dumps(summary)) == summary


def test_every_built_in_instrument_is_scored_in_the_suite() -> None:
    scored = {
        case["input"]["instrument"]
        for f in _files()
        if _load(f)["suite"] == "scoring"
        for case in _load(f)["cases"]
    }
    assert {i.id for i in measures.all_instruments()} <= scored


def test_the_command_line_exits_0_when_all_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main([str(ROOT)]) == 0
    assert "0 failed" in capsys.readouterr().out


# --- the runner detects a wrong expectation ---------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "suite"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _mutated(tmp_path: Path, relative: str, case_id: str, change: Callable[[dict[str, Any]], None]) -> Path:
    root = _copy(tmp_path)
    data = _load(relative, root)
    (case,) = [c for c in data["cases"] if c["id"] == case_id]
    change(case)
    (root / relative).write_text(json.dumps(data), encoding="utf-8")
    return root


def _failed(root: Path) -> list[tuple[str, str]]:
    summary = runner.run(str(root))
    return [(r["file"], r["id"]) for r in summary["results"] if not r["passed"]]


def _set(path: list[str | int], value: object) -> Callable[[dict[str, Any]], None]:
    def change(case: dict[str, Any]) -> None:
        target: Any = case
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("relative", "case_id", "path", "value"),
    [
        ("scoring/band-edges.json", "phq9.moderate.lowest", ["expected", "total"], 11),
        ("scoring/band-edges.json", "phq9.moderate.lowest", ["expected", "band"], "mild"),
        ("scoring/band-edges.json", "mspss.high.lowest", ["expected", "total"], 5.1),
        (
            "scoring/risk-flags.json",
            "phq9.item9.1.lowest-total",
            ["expected", "risk_flags", 0, "level"],
            "high",
        ),
        ("scoring/risk-flags.json", "phq9.item9.0", ["expected", "risk_flags"], [{"code": "phq9_item9"}]),
        ("scoring/missing-answers.json", "phq9.one-missing.no-policy", ["expected", "total"], 8),
        ("scoring/missing-answers.json", "phq9.one-missing.prorated", ["expected", "prorated"], False),
        ("scoring/refusals.json", "phq9.too-few", ["expected", "problems", 0, "code"], "too_long"),
        (
            "scoring/refusals.json",
            "phq9.out-of-range.above",
            ["expected", "problems", 0, "path"],
            "$.answers[1]",
        ),
        ("scoring/refusals.json", "phq9.too-many", ["expected"], {"total": 10}),
        ("scoring/risk-flags.json", "phq9.item9.0", ["expected"], {"problems": [{"path": "$", "code": "x"}]}),
    ],
)
def test_a_wrong_expectation_fails(
    tmp_path: Path, relative: str, case_id: str, path: list[str | int], value: object
) -> None:
    root = _mutated(tmp_path, relative, case_id, _set(path, value))
    assert _failed(root) == [(relative, case_id)]


def test_a_wrong_expectation_in_each_suite_fails(tmp_path: Path) -> None:
    """One mutation in every file, other than the scoring ones above: each is caught."""
    root = _copy(tmp_path)
    changed: list[tuple[str, str]] = []
    for relative in _files():
        if relative.startswith("scoring/"):
            continue
        data = _load(relative, root)
        case = data["cases"][0]
        expected = case["expected"]
        if "problems" in expected:
            expected["problems"][0]["code"] = "not_a_code"
        elif "items" in expected:
            expected["items"] = [*reversed(expected["items"]), {"code": "extra", "blocking": False}]
        elif "valid" in expected:
            case["expected"] = {"problems": [{"path": "$", "code": "invalid_value"}]}
        else:
            key = sorted(expected)[0]
            value = expected[key]
            expected[key] = (not value) if isinstance(value, bool) else "changed"
        (root / relative).write_text(json.dumps(data), encoding="utf-8")
        changed.append((relative, case["id"]))
    assert changed
    assert _failed(root) == changed


def test_the_command_line_exits_1_on_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _mutated(tmp_path, "scoring/band-edges.json", "gad7.mild.highest", _set(["expected", "total"], 10))
    assert runner.main([str(root)]) == 1
    out = capsys.readouterr().out
    assert "FAIL scoring/band-edges.json gad7.mild.highest" in out
    assert "total: expected 10, got 9" in out


def test_the_command_line_prints_the_result_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main([str(ROOT), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["failed"] == 0
    assert printed == runner.run(str(ROOT))


def test_an_empty_directory_fails(tmp_path: Path) -> None:
    assert runner.main([str(tmp_path)]) == 1


def test_a_duplicate_case_id_fails(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    data = _load("scoring/risk-flags.json", root)
    data["cases"].append(data["cases"][0])
    (root / "scoring/risk-flags.json").write_text(json.dumps(data), encoding="utf-8")
    assert ("scoring/risk-flags.json", data["cases"][0]["id"]) in _failed(root)


def test_a_broken_file_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "scoring" / "broken.json").write_text('{"suite": "scoring", "cases": [', encoding="utf-8")
    (root / "outcomes" / "wrong-suite.json").write_text('{"suite": "scoring", "cases": []}', encoding="utf-8")
    assert set(_failed(root)) == {("scoring/broken.json", ""), ("outcomes/wrong-suite.json", "")}


def test_true_never_matches_1() -> None:
    found: list[str] = []
    runner._same(1, True, "x", found)
    runner._same(True, 1, "y", found)
    runner._same(1.0, 1, "z", found)
    assert [f.split(":")[0] for f in found] == ["x", "y"]


# --- the format --------------------------------------------------------------------------------------


def test_every_file_follows_the_schema() -> None:
    schema = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for relative in _files():
        errors = [f"{relative}: {e.json_path}: {e.message}" for e in validator.iter_errors(_load(relative))]
        assert errors == []


def test_the_schema_refuses_a_malformed_case() -> None:
    schema = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    good = _load("scoring/risk-flags.json")
    assert validator.is_valid(good)
    for bad_case in (
        {"id": "x", "description": "no expectation", "input": {"instrument": "phq9", "answers": []}},
        {
            "id": "x",
            "description": "d",
            "input": {"instrument": "phq9", "answers": []},
            "expected": {"ttl": 3},
        },
        {"id": "Bad Id", "description": "d", "input": {"instrument": "phq9", "answers": []}, "expected": {}},
    ):
        assert not validator.is_valid({**good, "cases": [bad_case]})


def test_every_file_is_laid_out_canonically() -> None:
    for relative in _files():
        text = (ROOT / relative).read_text(encoding="utf-8")
        hint = f"run python conformance/generate.py --format ({relative})"
        assert text == generator.canonical(json.loads(text)), hint


def test_case_ids_are_unique_in_each_file() -> None:
    for relative in _files():
        ids = [c["id"] for c in _load(relative)["cases"]]
        assert len(ids) == len(set(ids)), relative


def test_the_generated_band_edges_are_up_to_date() -> None:
    written = (ROOT / generator.BAND_EDGES).read_text(encoding="utf-8")
    assert written == generator.canonical(generator.band_edges())
    assert generator.main(["--check"]) == 0


def test_canonical_layout_keeps_the_data() -> None:
    data = {"b": [1, 2, [3, "a [b]"]], "a": {"x": [], "y": [None, "q"]}}
    assert json.loads(generator.canonical(data)) == data
    assert '"y": [null, "q"]' in generator.canonical(data)


# --- the published tables agree with the library's -------------------------------------------------


def _published() -> dict[str, Any]:
    return _load("sources/published-bands.json")


def test_the_published_band_tables_are_the_librarys_defaults() -> None:
    for published in _published()["instruments"]:
        instrument = measures.get_instrument(published["id"])
        assert instrument.bands is not None
        minima = [(b.id, b.minimum) for b in instrument.bands.bands]
        lowest = [(b["id"], Fraction(str(b["lowest"]))) for b in published["bands"]]
        assert minima == lowest, published["id"]


def test_the_published_bands_cover_the_range_without_overlap() -> None:
    for published in _published()["instruments"]:
        bands = published["bands"]
        assert bands[0]["lowest"] == published["range"][0]
        assert bands[-1]["highest"] == published["range"][1]
        for below, above in itertools.pairwise(bands):
            assert Fraction(str(below["highest"])) < Fraction(str(above["lowest"]))
            if published["aggregation"] == "sum":
                assert below["highest"] + 1 == above["lowest"], published["id"]


def test_the_published_item_ranges_are_the_librarys() -> None:
    for published in _published()["instruments"]:
        instrument = measures.get_instrument(published["id"])
        scored = instrument.scored_items
        assert len(scored) == len(published["item_maxima"])
        assert all(i.minimum == published["item_minimum"] for i in scored)
        tops = [i.maximum for i in scored]
        if published["id"] == "hamd17":
            tops[15] = 2  # item 16's value 3 is "not assessed", not a score (Guy 1976)
        assert tops == published["item_maxima"]
        lowest_answers = [i.minimum for i in scored]
        assert list(measures.score(published["id"], lowest_answers).range or ()) == published["range"]


def test_every_instrument_is_published_or_unbanded() -> None:
    data = _published()
    listed = {i["id"] for i in data["instruments"]} | {i["id"] for i in data["unbanded"]}
    assert listed == {i.id for i in measures.all_instruments()}
    for unbanded in data["unbanded"]:
        assert measures.get_instrument(unbanded["id"]).bands is None


# --- the runner runs under Pyodide ------------------------------------------------------------------

_ALLOWED_IMPORTS = {"__future__", "json", "os", "sys", "collections.abc", "datetime", "fractions", "typing"}


def test_the_runner_needs_only_the_standard_library_and_ipt_core() -> None:
    tree = ast.parse((ROOT / "run.py").read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    outside = {m for m in modules if m.split(".")[0] != "ipt_core" and m not in _ALLOWED_IMPORTS}
    assert outside == set()


@pytest.mark.parametrize("blocked", [("pydantic",), ("orjson",), ("pydantic", "orjson")])
def test_the_suite_runs_without_pydantic_or_orjson(blocked: tuple[str, ...]) -> None:
    """Pyodide has neither pydantic nor orjson: the suite passes with either or both missing."""
    code = (
        "import sys, runpy\n"
        f"for name in {blocked!r}: sys.modules[name] = None\n"
        f"summary = runpy.run_path({str(ROOT / 'run.py')!r})['run']({str(ROOT)!r})\n"
        "print(summary['failed'], summary['passed'] > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "0 True"), done.stderr


# --- properties of the comparison and the layout ----------------------------------------------------

_SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
_JSON = st.recursive(
    _SCALARS | st.floats(allow_nan=False, allow_infinity=False, width=32),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)
_EXACT_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


def _strictly_equal(a: object, b: object) -> bool:
    """Equality that tells ``True`` from ``1`` at every depth."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_strictly_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_strictly_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@given(_JSON)
def test_a_value_matches_itself(value: object) -> None:
    found: list[str] = []
    runner._same(value, value, "$", found)
    assert found == []


@given(_EXACT_JSON, _EXACT_JSON)
def test_values_without_fractions_match_only_when_strictly_equal(a: object, b: object) -> None:
    found: list[str] = []
    runner._same(a, b, "$", found)
    assert (found == []) == _strictly_equal(a, b)


@given(_JSON)
def test_the_canonical_layout_keeps_any_data(value: object) -> None:
    text = generator.canonical(value)
    assert json.loads(text) == value
    assert generator.canonical(json.loads(text)) == text
