"""The command under careless or hostile use: bounded reads, no overwritten input, honest exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ipt_core
from ipt_core import cli
from ipt_core.testing import sample_case

SENTINEL = "Zq7SENTINELxx"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ipt_core", *args], capture_output=True, text=True, timeout=120, check=False
    )


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_bytes(ipt_core.dumps(sample_case(sessions=6, people=4)))
    return path


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key"
    path.write_bytes(b"0f3c9a7e2b5d8146aa17c3e9d0b2f485")
    return path


def test_reads_stop_one_byte_past_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (ipt_core.Limits().max_bytes * 3))
    sizes: list[int] = []
    original = cli._read

    def spy(path: str) -> bytes:
        data = original(path)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(cli, "_read", spy)
    for command in (["validate", str(big)], ["migrate", str(big)], ["report", str(big)]):
        status, _out, err = call(*command)
        assert status == 1
        assert "too_large" in err + _out
    assert sizes == [ipt_core.Limits().max_bytes + 1] * 3


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_an_endless_file_is_refused() -> None:
    result = run("validate", "/dev/zero")
    assert result.returncode == 1
    assert "too_large" in result.stdout


def test_report_never_writes_its_svg_over_the_case(case_file: Path) -> None:
    before = case_file.read_bytes()
    status, _out, err = call("report", str(case_file), "--svg", str(case_file))
    assert status == 2
    assert "input file" in err
    assert case_file.read_bytes() == before


def test_redact_and_migrate_never_write_over_their_input(case_file: Path, key_file: Path) -> None:
    before = case_file.read_bytes()
    assert call("redact", str(case_file), "--key-file", str(key_file), "-o", str(case_file))[0] == 2
    assert call("migrate", str(case_file), "-o", str(case_file))[0] == 2
    link = case_file.parent / "link.json"
    link.symlink_to(case_file)
    assert call("migrate", str(case_file), "-o", str(link))[0] == 2
    assert call("redact", str(case_file), "--key-file", str(key_file), "-o", str(key_file))[0] == 2
    assert case_file.read_bytes() == before


def test_an_output_named_dash_is_a_file_and_never_the_input_named_dash(
    case_file: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `-o -` writes a file named `-` (standard output is the default): when the input is that
    # file (`./-`), writing would replace it.
    monkeypatch.chdir(case_file.parent)
    dash = case_file.parent / "-"
    dash.write_bytes(case_file.read_bytes())
    before = dash.read_bytes()
    assert call("migrate", "./-", "-o", "-")[0] == 2
    assert call("redact", "./-", "--key-file", str(key_file), "-o", "-")[0] == 2
    assert call("redact", str(case_file), "--key-file", "./-", "-o", "-")[0] == 2
    assert call("report", "./-", "--svg", "-")[0] == 2
    assert dash.read_bytes() == before


@pytest.mark.parametrize("where", ["a directory", "a missing folder"])
def test_an_output_that_cannot_be_written_is_a_usage_error(
    case_file: Path, tmp_path: Path, where: str
) -> None:
    target = tmp_path if where == "a directory" else tmp_path / "missing" / "out.json"
    for command in (
        ["migrate", str(case_file), "-o", str(target)],
        ["report", str(case_file), "--svg", str(target)],
        ["new", "--protocol", "standard", "-o", str(target)],
    ):
        result = run(*command)
        assert result.returncode == 2, command
        assert "cannot be written" in result.stderr
        assert "Traceback" not in result.stderr


def test_an_input_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "cannot be read: No such file or directory" in result.stderr
    directory = run("report", str(tmp_path))
    assert directory.returncode == 2
    assert "cannot be read" in directory.stderr
    assert "Traceback" not in directory.stderr


def test_new_refuses_zero_sessions() -> None:
    for count in ("0", "-3", "many"):
        result = run("new", "--protocol", "standard", "--sessions", count)
        assert result.returncode == 2
        assert "at least 1" in result.stderr
    status, out, _err = call("new", "--protocol", "standard", "--sessions", "8", "--start", "2025-01-06")
    assert status == 0
    assert json.loads(out)["contract"]["planned_sessions"] == 8


def test_validate_json_reports_every_file_even_unreadable_ones(case_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    document = json.loads(case_file.read_bytes())
    document["notes"] = 7
    bad.write_text(json.dumps(document))
    missing = tmp_path / "missing.json"
    status, out, _err = call("validate", "--json", str(case_file), str(missing), str(bad))
    assert status == 2
    report = json.loads(out)
    assert [(r["file"], r["valid"]) for r in report] == [
        (str(case_file), True),
        (str(missing), False),
        (str(bad), False),
    ]
    assert report[1]["error"] == "cannot be read"
    assert report[2]["problems"] == [
        {"path": "$.notes", "code": "wrong_type", "message": "expected a string"}
    ]


def test_a_weak_key_file_is_a_usage_error_saying_why(case_file: Path, tmp_path: Path) -> None:
    weak = tmp_path / "weak"
    weak.write_bytes(b"\0" * 32)
    status, _out, err = call("redact", str(case_file), "--key-file", str(weak))
    assert status == 2
    assert "one byte repeated" in err


@pytest.mark.parametrize("command", ["report", "redact"])
def test_a_protocol_on_standard_input_is_refused_as_of_the_wrong_kind_not_as_empty(
    command: str, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document of another kind piped in is read once: the error names its kind, it is not 'empty'."""
    protocol = ipt_core.dumps(ipt_core.protocols.get("brief"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(protocol)))
    extra = ["--key-file", str(key_file)] if command == "redact" else []
    status, out, err = call(command, "-", *extra)
    assert status == 1
    assert out == ""
    assert "$.kind: wrong_kind" in err
    assert "empty" not in err


def test_a_key_file_longer_than_read_is_refused_not_cut_short(case_file: Path, tmp_path: Path) -> None:
    """A key is used whole or not at all: a cut key would give other pseudonyms than the library's."""
    long_key = tmp_path / "long.key"
    long_key.write_bytes(bytes(range(256)) * 20)  # 5120 bytes
    status, out, err = call("redact", str(case_file), "--key-file", str(long_key))
    assert status == 2
    assert out == ""
    assert "at most 4096 bytes" in err


def test_a_key_file_of_exactly_the_most_bytes_gives_the_library_pseudonyms(
    case_file: Path, tmp_path: Path
) -> None:
    key = (bytes(range(33, 127)) * 50)[:4096]
    path = tmp_path / "most.key"
    path.write_bytes(key)
    status, out, _err = call("redact", str(case_file), "--key-file", str(path))
    assert status == 0
    original = ipt_core.loads(case_file.read_bytes())
    assert ipt_core.loads(out.encode()) == ipt_core.redact(original, key=key)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", SENTINEL, "case.json"],
        [SENTINEL],
        ["report", "--phq9-item9-high-from", SENTINEL, "case.json"],
        ["report", "--hamd-item3-flag-from", "1.5" + SENTINEL, "case.json"],
        ["validate", "case.json", "--" + SENTINEL],
        ["validate", "case.json", "--json", SENTINEL + "=1", "--" + SENTINEL + "-x"],
        ["schema", "case", SENTINEL],
        ["validate", "case.json", "--json=" + SENTINEL],
        ["report", "--format=" + SENTINEL, "case.json"],
    ],
)
def test_usage_errors_do_not_repeat_what_was_typed(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped option value may be a client's name or a diagnosis pasted in the wrong place: the
    usage error says what was expected (the choices, the kind of value), not what was typed."""
    status = cli.main(args)
    captured = capsys.readouterr()
    assert status == 2
    assert SENTINEL not in captured.err + captured.out
    assert "error:" in captured.err


def test_usage_errors_still_say_what_to_type(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report", "--format", "htm", "case.json"]) == 2
    err = capsys.readouterr().err
    assert "--format" in err
    assert "'text', 'markdown', 'json'" in err
    assert cli.main(["report", "--phq9-item9-high-from", "two", "case.json"]) == 2
    assert "whole number" in capsys.readouterr().err
