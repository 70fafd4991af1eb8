"""An adversarial review of the boundary: each test is a defect found by attacking it, kept as a guard.

What a user sees when input is wrong: a path, a code and what to fix, never a value from the input;
the command line exits as its documentation says whichever way it is started.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ipt_core
from ipt_core.testing import sample_case

SENTINEL = "Zq7SENTINELxx"


def _bad_case_file(tmp_path: Path) -> Path:
    document = json.loads(ipt_core.dumps(sample_case(sessions=3, people=2)))
    document["contract"]["frequency"] = SENTINEL
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    return path


def test_the_cli_module_run_as_a_script_is_the_command(tmp_path: Path) -> None:
    """``python -m ipt_core.cli validate bad.json`` must not exit 0 having done nothing: a CI job
    calling it that way would pass every invalid document."""
    bad = _bad_case_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "ipt_core.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "$.contract.frequency: not_allowed" in result.stdout
    assert SENTINEL not in result.stdout + result.stderr


def _validate_json(*paths: Path) -> list[dict[str, object]]:
    import io

    from ipt_core import cli

    out, err = io.StringIO(), io.StringIO()
    cli.main(["validate", "--json", *map(str, paths)], out=out, err=err)
    assert SENTINEL not in out.getvalue() + err.getvalue()
    report: list[dict[str, object]] = json.loads(out.getvalue())
    return report


def test_validate_json_says_what_to_fix_as_the_text_output_does(tmp_path: Path) -> None:
    """A front end reading ``validate --json`` gets what the text output gives a person: the
    message, the allowed values, and where a syntax error is."""
    bad = _bad_case_file(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_bytes(ipt_core.dumps(sample_case(sessions=2))[:-1] + b",}")
    (enum_entry, syntax_entry) = _validate_json(bad, broken)
    (problem,) = enum_entry["problems"]  # type: ignore[misc]
    assert problem["path"] == "$.contract.frequency"
    assert problem["code"] == "not_allowed"
    assert "weekly" in problem["message"]
    assert problem["allowed"] == ["twice_weekly", "weekly", "fortnightly", "monthly"]
    (syntax,) = syntax_entry["problems"]  # type: ignore[misc]
    assert syntax["code"] == "invalid_json"
    assert syntax["line"] == 1
    assert isinstance(syntax["column"], int)
    assert syntax["column"] > 1
