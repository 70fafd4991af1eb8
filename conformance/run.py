"""Run the ipt_core conformance suite: JSON cases of inputs and expected outputs.

``run(directory)`` reads every case file under ``directory`` (``scoring/``, ``validation/``,
``outcomes/``, ``next-steps/``), runs each case through ipt_core and returns a JSON-serialisable
summary; ``python conformance/run.py [directory]`` prints it and exits 1 when a case fails.

This file needs only the standard library and ipt_core, reads nothing but the directory it is
given, and starts no process or thread, so that it runs unchanged on CPython and under Pyodide
(import it as a plain file). The format is described in ``conformance/README.md``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import ipt_core
from ipt_core import measures, progress
from ipt_core.errors import ValidationError

__all__ = ["SUITES", "TOLERANCE", "check_case", "load_file", "main", "run"]

SUITES: dict[str, str] = {
    "scoring": "scoring",
    "validation": "validation",
    "outcomes": "outcomes",
    "next-steps": "next_steps",
}
"""The folders the runner reads, and the suite each folder's files must declare."""

TOLERANCE = 0.0005
"""A non-integer number in ``expected`` matches an actual number within this distance (expected
values are written to at most three decimals)."""

Json = Any


# --- comparing --------------------------------------------------------------------------------------


def _same(expected: Json, actual: Json, where: str, found: list[str]) -> None:
    """Append to ``found`` each place where ``actual`` differs from ``expected`` (exact, except for
    non-integer numbers, which match within :data:`TOLERANCE`; ``true`` never matches ``1``)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        if expected is not actual:
            found.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
        return
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        exact = isinstance(expected, int) and isinstance(actual, int)
        if (expected != actual) if exact else abs(expected - actual) > TOLERANCE:
            found.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                found.append(f"{where}.{key}: expected {_show(expected[key])}, got nothing")
            elif key not in expected:
                found.append(f"{where}.{key}: not expected, got {_show(actual[key])}")
            else:
                _same(expected[key], actual[key], f"{where}.{key}", found)
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            found.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
            return
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _same(e, a, f"{where}[{index}]", found)
        return
    if expected != actual or type(expected) is not type(actual):
        found.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")


def _show(value: Json) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _compare(expected: Mapping[str, Json], actual: Mapping[str, Json]) -> list[str]:
    """Compare the keys ``expected`` names (a case may leave some out); each compared in full."""
    found: list[str] = []
    for key in sorted(expected):
        if key not in actual:
            found.append(f"{key}: expected {_show(expected[key])}, but the result has no {key}")
        else:
            _same(expected[key], actual[key], key, found)
    return found


def _problems(error: ValidationError) -> list[dict[str, str]]:
    """The problems of a refusal as ``{"path", "code"}``, sorted (their order is not part of the
    contract; their number is)."""
    return sorted(({"path": p.path, "code": p.code} for p in error.problems), key=_problem_key)


def _problem_key(problem: Mapping[str, str]) -> tuple[str, str]:
    return (problem["path"], problem["code"])


def _refused(expected: Mapping[str, Json], error: ValidationError) -> list[str]:
    if "problems" not in expected:
        return [f"refused with {_show(_problems(error))}, expected a result"]
    wanted = sorted(expected["problems"], key=_problem_key)
    found: list[str] = []
    _same(wanted, _problems(error), "problems", found)
    return found


# --- scoring ----------------------------------------------------------------------------------------


def _flag(flag: Any, *, with_session: bool = False) -> dict[str, Json]:
    data: dict[str, Json] = {
        "code": str(flag.code),
        "level": str(flag.level),
        "instrument": flag.instrument,
        "item": flag.item,
    }
    if with_session:
        data["session"] = flag.session
    return data


def _policy(data: Mapping[str, Json] | None) -> measures.ScoringPolicy | None:
    if data is None:
        return None
    tables = {
        instrument: measures.BandTable(
            tuple(measures.Band(band["id"], Fraction(band["minimum"])) for band in table["bands"]),
            source=table["source"],
        )
        for instrument, table in data.get("bands", {}).items()
    }
    return measures.ScoringPolicy(
        prorate=data.get("prorate", False), max_missing=data.get("max_missing", {}), bands=tables
    )


def _score(data: Mapping[str, Json]) -> dict[str, Json]:
    result = measures.score(
        data["instrument"],
        data["answers"],
        options=tuple(data.get("options", ())),
        policy=_policy(data.get("policy")),
    )
    return {
        "total": result.total,
        "band": result.band,
        "complete": result.complete,
        "prorated": result.prorated,
        "risk_flags": [_flag(f) for f in result.risk_flags],
        "missing": list(result.missing),
        "not_assessed": list(result.not_assessed),
        "subscales": dict(result.subscales),
        "answers": dict(result.answers),
        "options": list(result.options),
        "range": None if result.range is None else list(result.range),
    }


# --- validation -------------------------------------------------------------------------------------

_KINDS: dict[str, type[Any]] = {"case": ipt_core.Case, "protocol": ipt_core.Protocol, "group": ipt_core.Group}


def _document_text(data: Mapping[str, Json]) -> str:
    if "text" in data:
        text: str = data["text"]
        return text
    return json.dumps(data["document"], ensure_ascii=False)


def _validate(data: Mapping[str, Json]) -> dict[str, Json]:
    loaded = ipt_core.loads(_document_text(data), _KINDS[data["kind"]])
    result: dict[str, Json] = {"valid": True}
    if "document" in data:
        result["round_trip"] = json.loads(ipt_core.dumps(loaded)) == data["document"]
    return result


# --- outcomes ---------------------------------------------------------------------------------------


def _tt(outcome: progress.TalkingTherapiesOutcome) -> dict[str, Json]:
    return {
        "caseness_at_start": outcome.caseness_at_start,
        "finished_treatment": outcome.finished_treatment,
        "recovered": outcome.recovered,
        "reliably_improved": outcome.reliably_improved,
        "reliably_deteriorated": outcome.reliably_deteriorated,
        "reliably_recovered": outcome.reliably_recovered,
        "no_reliable_change": outcome.no_reliable_change,
    }


def _outcome(data: Mapping[str, Json]) -> dict[str, Json]:
    function = data["function"]
    arguments = dict(data["arguments"])
    if function == "reliable_change":
        change = progress.reliable_change(**arguments)
        return {
            "change": change.change,
            "s_diff": change.s_diff,
            "rci": change.rci,
            "reliable": change.reliable,
            "threshold": change.threshold,
        }
    if function == "clinical_significance_cutoffs":
        cutoffs = progress.clinical_significance_cutoffs(**arguments)
        return {"a": cutoffs.a, "b": cutoffs.b, "c": cutoffs.c}
    if function == "talking_therapies_outcome":
        settings = arguments.pop("settings", None)
        outcome = progress.talking_therapies_outcome(
            settings=None if settings is None else progress.TalkingTherapiesSettings(**settings),
            **arguments,
        )
        return _tt(outcome)
    if function == "evaluate":
        case = ipt_core.loads(json.dumps(data["case"], ensure_ascii=False), ipt_core.Case)
        report = progress.evaluate(case, today=date.fromisoformat(arguments["today"]))
        tt = report.talking_therapies
        return {
            "instruments": {
                key: {
                    "baseline": None if track.baseline is None else track.baseline.total,
                    "latest": None if track.latest is None else track.latest.total,
                    "change": track.change,
                    "response": track.response,
                    "remission": track.remission,
                    "early_nonimprovement": track.early_nonimprovement,
                }
                for key, track in sorted(report.instruments.items())
            },
            "treatment_sessions": report.treatment_sessions,
            "ended": report.ended,
            "talking_therapies": None if tt is None else _tt(tt),
        }
    raise ValueError(f"unknown outcomes function {function!r}")


# --- next steps -------------------------------------------------------------------------------------


def _next_steps(data: Mapping[str, Json]) -> dict[str, Json]:
    case = ipt_core.loads(json.dumps(data["case"], ensure_ascii=False), ipt_core.Case)
    today = date.fromisoformat(data["today"])
    agenda = ipt_core.next_steps(case, today=today)
    return {
        "session": agenda.session,
        "phase": str(agenda.phase),
        "protocol": agenda.protocol_id,
        "contracted_sessions": agenda.contracted_sessions,
        "items": [{"code": item.code, "blocking": item.blocking} for item in agenda.items],
        "open_risk_flags": [_flag(f, with_session=True) for f in ipt_core.open_risk_flags(case, today=today)],
    }


# --- running ----------------------------------------------------------------------------------------

_RUNNERS: dict[str, Callable[[Mapping[str, Json]], dict[str, Json]]] = {
    "scoring": _score,
    "validation": _validate,
    "outcomes": _outcome,
    "next_steps": _next_steps,
}


def check_case(suite: str, case: Mapping[str, Json]) -> list[str]:
    """How the library's result for one case differs from its expectation (empty: it passes)."""
    expected = case.get("expected")
    if not isinstance(expected, dict) or not isinstance(case.get("input"), dict):
        return ["a case needs an input and an expected object"]
    try:
        actual = _RUNNERS[suite](case["input"])
    except ValidationError as error:
        return _refused(expected, error)
    except Exception as error:  # a conformance run reports every failure as a mismatch
        return [f"raised {type(error).__name__}: {error}"]
    if "problems" in expected:
        return [f"expected a refusal with {_show(expected['problems'])}, got a result"]
    return _compare(expected, actual)


def load_file(path: str) -> dict[str, Json]:
    """One case file, parsed with the standard library (numbers as in the file)."""
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Json] = json.load(handle)
    return data


def run(directory: str) -> dict[str, Json]:
    """Run every case under ``directory``; the result is plain JSON data:
    ``{"passed": n, "failed": n, "files": n, "results": [{"file", "suite", "id", "passed",
    "mismatches"}]}``, in file and case order."""
    results: list[dict[str, Json]] = []
    files = 0
    for folder, suite in SUITES.items():
        where = os.path.join(directory, folder)
        if not os.path.isdir(where):
            continue
        for name in sorted(os.listdir(where)):
            if not name.endswith(".json"):
                continue
            files += 1
            relative = f"{folder}/{name}"
            try:
                document = load_file(os.path.join(where, name))
            except (OSError, ValueError) as error:
                results.append(_failure(relative, suite, "", f"the file cannot be read: {error}"))
                continue
            declared = document.get("suite") if isinstance(document, dict) else None
            cases = document.get("cases") if isinstance(document, dict) else None
            seen: set[str] = set()
            if declared != suite or not isinstance(cases, list):
                results.append(_failure(relative, suite, "", f"the file declares suite {declared!r}"))
                continue
            for case in cases:
                if not isinstance(case, dict):
                    results.append(_failure(relative, suite, "", "a case is a JSON object"))
                    continue
                case_id = case.get("id", "")
                mismatches = check_case(suite, case)
                if case_id in seen:
                    mismatches = [f"duplicate case id {case_id!r}", *mismatches]
                seen.add(case_id)
                results.append(
                    {
                        "file": relative,
                        "suite": suite,
                        "id": case_id,
                        "passed": not mismatches,
                        "mismatches": mismatches,
                    }
                )
    failed = sum(1 for r in results if not r["passed"])
    return {"files": files, "passed": len(results) - failed, "failed": failed, "results": results}


def _failure(file: str, suite: str, case_id: str, why: str) -> dict[str, Json]:
    return {"file": file, "suite": suite, "id": case_id, "passed": False, "mismatches": [why]}


def main(argv: list[str]) -> int:
    """``python conformance/run.py [directory] [--json]``: print a summary (or the full result as
    JSON); exit 1 when a case fails or no case was found."""
    flags = [a for a in argv if a.startswith("--")]
    paths = [a for a in argv if not a.startswith("--")]
    directory = paths[0] if paths else os.path.dirname(os.path.abspath(__file__))
    summary = run(directory)
    if "--json" in flags:
        print(json.dumps(summary, indent=2, sort_keys=True))
    else:
        for result in summary["results"]:
            if not result["passed"]:
                print(f"FAIL {result['file']} {result['id']}")
                for mismatch in result["mismatches"]:
                    print(f"    {mismatch}")
        print(
            f"{summary['passed']} passed, {summary['failed']} failed, in {summary['files']} files "
            f"(ipt_core {ipt_core.__version__})"
        )
    return 1 if summary["failed"] or not summary["results"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
