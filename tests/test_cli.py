"""The ipt-core command, driven as a subprocess the way a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ipt_core
from ipt_core.testing import sample_case

SENTINEL = "Zq7SENTINELxx"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ipt_core", *args],
        input=None if stdin is None else stdin.decode(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_bytes(ipt_core.dumps(sample_case(sessions=6, people=4)))
    return path


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "schema", "score", "migrate"):
        assert command in result.stdout


def test_validate_accepts_valid_documents(case_file: Path) -> None:
    result = run("validate", str(case_file))
    assert result.returncode == 0
    assert "valid" in result.stdout


def test_validate_reports_paths_and_codes_but_no_values(case_file: Path, tmp_path: Path) -> None:
    document = json.loads(case_file.read_bytes())
    document["inventory"]["people"][0]["category"] = SENTINEL
    document["contract"]["planned_sessions"] = SENTINEL
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = run("validate", str(case_file), str(bad))
    assert result.returncode == 1
    assert "$.inventory.people[0].category: not_allowed" in result.stdout
    assert "$.contract.planned_sessions: wrong_type" in result.stdout
    assert SENTINEL not in result.stdout + result.stderr
    report = json.loads(run("validate", "--json", str(bad)).stdout)
    assert report[0]["valid"] is False
    found = [(p["path"], p["code"]) for p in report[0]["problems"]]
    assert ("$.contract.planned_sessions", "wrong_type") in found


def test_validate_reads_stdin_and_shows_progress(case_file: Path) -> None:
    assert run("validate", "-", stdin=case_file.read_bytes()).returncode == 0
    result = run("validate", "--progress", str(case_file), str(case_file))
    assert "2/2" in result.stderr


def test_an_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "missing.json")).returncode == 2


def test_schema_prints_the_shipped_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == ipt_core.json_schema(ipt_core.Case)
    assert run("schema", "nonsense").returncode == 2


def test_score_prints_total_band_and_flags() -> None:
    result = run("score", "phq9", "1", "1", "1", "1", "1", "1", "1", "1", "1")
    assert result.returncode == 0
    assert "total 9, band mild" in result.stdout
    assert "RISK FLAG phq9_item9" in result.stdout
    data = json.loads(run("score", "--json", "gad7", "3", "3", "3", "3", "3", "3", "3").stdout)
    assert (data["total"], data["band"]) == (21, "severe")


def test_score_refuses_bad_answers_with_a_path() -> None:
    result = run("score", "phq9", "1", "1", "1", "1", "1", "1", "1", "1", "9")
    assert result.returncode == 1
    assert "$.answers[8]: out_of_range" in result.stderr
    assert run("score", "phq9", SENTINEL).returncode == 2
    assert SENTINEL not in run("score", "phq9", SENTINEL).stderr


def test_score_missing_answers_are_not_zero() -> None:
    result = run("score", "--json", "phq9", "1", "1", "1", "1", "1", "1", "1", "skipped", "0")
    data = json.loads(result.stdout)
    assert data["total"] is None
    assert data["complete"] is False


def test_migrate_writes_the_current_version(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert run("migrate", str(case_file), "-o", str(out)).returncode == 0
    assert out.read_bytes() == case_file.read_bytes()


def test_help_lists_the_other_commands() -> None:
    result = run("--help")
    for command in ("report", "new", "redact"):
        assert command in result.stdout
    for command in ("validate", "schema", "score", "migrate", "report", "new", "redact"):
        assert run(command, "--help").returncode == 0


def test_report_in_every_format(case_file: Path, tmp_path: Path) -> None:
    text = run("report", str(case_file), "--today", "2025-03-01")
    assert text.returncode == 0
    assert "phase" in text.stdout
    assert "Next session:" in text.stdout
    markdown = run("report", str(case_file), "--today", "2025-03-01", "--format", "markdown")
    assert markdown.stdout.startswith("# Case ")
    svg = tmp_path / "chart.svg"
    data = json.loads(
        run("report", str(case_file), "--today", "2030-01-01", "--format", "json", "--svg", str(svg)).stdout
    )
    assert [p["session"] for p in data["instruments"]["phq9"]["points"]] == [1, 2, 3, 4, 5, 6]
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg.read_text(encoding="utf-8"))  # noqa: S314
    assert root.tag.endswith("svg")
    assert len([e for e in root.iter() if e.tag.endswith("polyline")]) == 2


def test_report_as_of_a_date_leaves_out_later_sessions(case_file: Path) -> None:
    data = json.loads(run("report", str(case_file), "--today", "2025-01-20", "--format", "json").stdout)
    assert [p["session"] for p in data["instruments"]["phq9"]["points"]] == [1, 2, 3]


def test_new_makes_a_valid_case_for_every_protocol(tmp_path: Path) -> None:
    for protocol in ipt_core.protocols.all():
        out = tmp_path / f"{protocol.id}.json"
        result = run("new", "--protocol", protocol.id, "--start", "2025-01-06", "-o", str(out))
        assert result.returncode == 0, result.stderr
        case = ipt_core.loads(out.read_bytes())
        assert case.contract.protocol_id == protocol.id
        assert case.contract.planned_sessions == protocol.sessions.default_sessions
    assert run("new", "--protocol", "no-such-protocol").returncode == 2


def test_redact_pseudonymises_with_a_key(case_file: Path, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"a-secret-key-of-32-bytes-exactly")
    result = run("redact", str(case_file), "--key-file", str(key))
    assert result.returncode == 0
    redacted = ipt_core.loads(result.stdout.encode())
    original = ipt_core.loads(case_file.read_bytes())
    assert redacted == ipt_core.redact(original, key=b"a-secret-key-of-32-bytes-exactly")
    assert {p.alias for p in original.inventory.people}.isdisjoint(p.alias for p in redacted.inventory.people)
    short = tmp_path / "short"
    short.write_bytes(b"short")
    assert run("redact", str(case_file), "--key-file", str(short)).returncode == 2
