"""The ipt-core command takes a group wherever it takes a case (driven in process: main(argv))."""

from __future__ import annotations

import io
import json
from pathlib import Path

import ipt_core
from ipt_core.cli import main
from ipt_core.testing import sample_group, sample_group_cases


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _files(tmp_path: Path) -> tuple[Path, list[Path]]:
    group = sample_group()
    path = tmp_path / "group.json"
    path.write_bytes(ipt_core.dumps(group))
    cases = []
    for case in sample_group_cases(group):
        case_path = tmp_path / f"{case.id}.json"
        case_path.write_bytes(ipt_core.dumps(case))
        cases.append(case_path)
    return path, cases


def test_validate_reads_a_group_and_reports_its_problems_by_path(tmp_path: Path) -> None:
    path, _ = _files(tmp_path)
    assert run("validate", str(path)) == (0, f"{path}: valid\n", "")
    doc = json.loads(path.read_bytes())
    doc["sessions"][1]["number"] = 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    code, out, _ = run("validate", str(bad))
    assert code == 1
    assert "$.sessions[1].number: duplicate_id" in out


def test_report_on_a_group_with_its_members_cases(tmp_path: Path) -> None:
    path, cases = _files(tmp_path)
    args = ["report", str(path), "--today", "2025-06-01"]
    for case in cases[:3]:
        args += ["--case", str(case)]
    code, out, err = run(*args)
    assert (code, err) == (0, "")
    assert "Group group-1 (group-who): completed, 8 of 8 sessions held" in out
    assert "Chen: left (dropped out)" in out
    assert "cases not given: group-1-m4" in out
    code, out, _ = run("report", str(path), "--today", "2025-03-20", "--format", "json")
    data = json.loads(out)
    assert data["phase"] == "middle"
    assert data["outcomes"] is None
    assert [m["member"] for m in data["members"]][:2] == ["m1", "m2"]
    code, out, _ = run("report", str(path), "--today", "2025-03-20", "--format", "markdown")
    assert out.startswith("# Group report")


def test_new_group_is_a_valid_empty_group(tmp_path: Path) -> None:
    code, out, _ = run("new", "--group", "--protocol", "group-who", "--id", "village-2")
    assert code == 0
    group = ipt_core.loads(out.strip(), ipt_core.Group)
    assert (group.id, group.protocol_id, group.members) == ("village-2", "group-who", ())
    code, _, err = run("new", "--group", "--protocol", "group-who", "--id", "not an id")
    assert code == 1
    assert "$.id: pattern" in err


def test_redact_a_group(tmp_path: Path) -> None:
    path, _ = _files(tmp_path)
    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef-group")
    code, out, _ = run("redact", str(path), "--key-file", str(key))
    assert code == 0
    redacted = ipt_core.loads(out.strip(), ipt_core.Group)
    assert all(m.alias.startswith("P-") for m in redacted.members)
    assert "Amara" not in out


def test_new_group_refuses_a_protocol_that_is_not_a_group_format() -> None:
    code, out, err = run("new", "--group", "--protocol", "standard", "--id", "village-3")
    assert (code, out) == (2, "")
    assert "group-who" in err


def test_a_group_report_with_unreadable_or_wrong_case_files_says_which_file(tmp_path: Path) -> None:
    path, _ = _files(tmp_path)
    missing = tmp_path / "nowhere.json"
    code, out, err = run("report", str(path), "--today", "2025-06-01", "--case", str(missing))
    assert (code, out) == (2, "")
    assert err.startswith(f"{missing}: cannot be read")
    code, out, err = run("report", str(path), "--today", "2025-06-01", "--case", str(path))
    assert (code, out) == (1, "")
    assert "$.kind: wrong_kind" in err


def test_a_group_report_asked_for_an_svg_chart_says_it_has_none(tmp_path: Path) -> None:
    # A group has no measure trajectory of its own: `--svg` wrote nothing and exited 0.
    path, _ = _files(tmp_path)
    chart = tmp_path / "chart.svg"
    code, out, err = run("report", str(path), "--today", "2025-06-01", "--svg", str(chart))
    assert (code, out) == (2, "")
    assert "--svg" in err
    assert not chart.exists()
