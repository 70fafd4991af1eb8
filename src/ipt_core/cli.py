"""The ``ipt-core`` command: check documents, print schemas, score questionnaires, report on cases.

This is the edge of the library: it reads files and the clock, so the domain does not have to.
Error output never contains a value from a document, only paths and codes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final, NoReturn, TextIO

import ipt_core
from ipt_core.boundary import report
from ipt_core.boundary._json import nests_deeper
from ipt_core.boundary.documents import ROOT_TYPES
from ipt_core.boundary.redaction import checked_key
from ipt_core.domain.risk import DEFAULT_RISK_SETTINGS, RiskSettings, flag_source
from ipt_core.domain.sessions import Missing
from ipt_core.errors import ValidationError

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
KEY_FILE_MAX_BYTES = 4096
"""The largest key file ``redact --key-file`` reads (whitespace at the key's ends is removed)."""


class _Progress:
    """A one-line progress bar on stderr for batch runs (only when stderr is a terminal or forced)."""

    def __init__(self, total: int, *, stream: TextIO, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = enabled and total > 1

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _read(path: str) -> bytes:
    """At most the size limit and one byte of the file (enough for ``loads`` to refuse a larger one)."""
    most = ipt_core.Limits().max_bytes + 1
    if path == "-":
        return sys.stdin.buffer.read(most)
    with Path(path).open("rb") as stream:
        return stream.read(most)


def _why(error: OSError) -> str:
    """Why a path cannot be read or written, in the system's words (never the file's content)."""
    return error.strerror or type(error).__name__


def _same_file(first: str, second: str | None) -> bool:
    """Whether ``second`` (an output path) names the file ``first`` (an input path).

    An input ``-`` is standard input, no file; an output ``-`` is a file of that name."""
    if second is None or first == "-":
        return False
    one, other = Path(first), Path(second)
    try:
        if one.exists() and other.exists():
            return one.samefile(other)
        return one.resolve() == other.resolve()
    except OSError:
        return False


def _refuse_overwrite(source: str, target: str | None, err: TextIO) -> bool:
    """Report, and say so, when an output path would write over the input."""
    if _same_file(source, target):
        err.write(f"{target}: is the input file; choose another output path\n")
        return True
    return False


def _write(path: str, data: bytes, err: TextIO) -> int:
    """Write ``data`` to ``path``; on failure, say why (exit 2)."""
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        err.write(f"{path}: cannot be written: {_why(error)}\n")
        return EXIT_USAGE
    return EXIT_OK


_WHOLE: Final = re.compile(r"-?[0-9]{1,18}")
"""A whole number in ASCII digits, as in a document (``int()`` also reads other scripts' digits
and underscores)."""
_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""A date in the one form a document takes (``date.fromisoformat`` also reads ``20250303`` and
week dates)."""


def _positive(text: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise argparse.ArgumentTypeError("a whole number of at least 1")
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("a whole number of at least 1")
    return value


def _document_type(data: bytes) -> type[Any]:
    """The root type a document names in its ``kind`` (a Case when it names none we know)."""
    if len(data) > ipt_core.Limits().max_bytes:
        return ipt_core.Case  # refused by its size whatever its kind
    try:  # (a parser must not recurse past its depth: under Pyodide that ends the interpreter)
        kind = None if nests_deeper(data) else json.loads(data).get("kind")
    except (ValueError, AttributeError, RecursionError):
        kind = None
    return ROOT_TYPES.get(kind, ipt_core.Case) if isinstance(kind, str) else ipt_core.Case


def load_document(data: bytes) -> Any:
    """Load any root document by its kind (raises ``ValidationError``)."""
    return ipt_core.loads(data, _document_type(data))


def _open_flags(document: object, risk: RiskSettings = DEFAULT_RISK_SETTINGS) -> list[dict[str, Any]]:
    """The open risk flags of a case document (sessions and sources, never answers), graded with
    the service's cut-offs ``risk``."""
    if not isinstance(document, ipt_core.Case):
        return []
    return [
        {
            "session": f.session,
            "code": str(f.code),
            "level": str(f.level),
            "source": flag_source(f),
        }
        for f in ipt_core.open_risk_flags(document, settings=risk)
    ]


def _problems_text(error: ValidationError) -> list[str]:
    return [f"  {p.path}: {p.code}" + (f" ({p.message})" if p.message else "") for p in error.problems]


def _problem_data(problem: ipt_core.Problem) -> dict[str, Any]:
    """A problem for ``validate --json``: its path and code, and what to fix where the library
    knows it (the message, what is expected, the allowed values, the line and column)."""
    data: dict[str, Any] = {"path": problem.path, "code": problem.code}
    if problem.message:
        data["message"] = problem.message
    if problem.expected:
        data["expected"] = problem.expected
    if problem.allowed:
        data["allowed"] = list(problem.allowed)
    if problem.line is not None:
        data["line"] = problem.line
    if problem.column is not None:
        data["column"] = problem.column
    return data


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    risk = _risk_settings(args, err)
    if risk is None:
        return EXIT_USAGE
    progress = _Progress(len(args.files), stream=err, enabled=args.progress or err.isatty())
    invalid = unreadable = 0
    report: list[dict[str, Any]] = []
    for name in args.files:
        try:
            data = _read(name)
        except OSError as error:
            unreadable += 1
            err.write(f"{name}: cannot be read: {_why(error)}\n")
            report.append({"file": name, "valid": False, "error": "cannot be read", "reason": _why(error)})
            progress.step()
            continue
        try:
            document = load_document(data)
        except ValidationError as error:
            invalid += 1
            problems = [_problem_data(p) for p in error.problems]
            report.append({"file": name, "valid": False, "problems": problems})
            if not args.json:
                out.write(f"{name}: invalid\n" + "\n".join(_problems_text(error)) + "\n")
        else:
            flags = _open_flags(document, risk)
            entry: dict[str, Any] = {"file": name, "valid": True}
            if flags:
                entry["open_risk_flags"] = flags
            report.append(entry)
            if not args.json and (flags or not args.quiet):  # an open risk flag is never quiet
                out.write(f"{name}: valid\n" if not flags else f"{name}: valid; OPEN RISK FLAGS first:\n")
                out.writelines(
                    f"  ! session {f['session']}: {f['source']} — {f['code']} ({f['level']})\n" for f in flags
                )
        progress.step()
    if args.json:
        out.write(json.dumps(report, indent=2) + "\n")
    if unreadable:
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    cls = ROOT_TYPES.get(args.kind)
    if cls is None:
        err.write(f"unknown kind; choose one of: {', '.join(sorted(ROOT_TYPES))}\n")
        return EXIT_USAGE
    out.write(json.dumps(ipt_core.json_schema(cls), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _answer(text: str) -> int | Missing | None:
    lowered = text.strip().lower()
    if lowered in ("null", "none", "-", ""):
        return None
    if lowered in Missing._value2member_map_:
        return Missing(lowered)
    if not _WHOLE.fullmatch(lowered):
        raise argparse.ArgumentTypeError("an answer is an integer, skipped, declined, unknown or null")
    return int(lowered)


def _score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        result = ipt_core.measures.score(
            args.instrument,
            list(args.answers),
            options=tuple(args.option or ()),
            policy=ipt_core.measures.ScoringPolicy(prorate=True) if args.prorate else None,
        )
    except ValidationError as error:
        err.write("cannot score:\n" + "\n".join(_problems_text(error)) + "\n")
        return EXIT_INVALID
    flags = [{"code": f.code, "level": f.level, "item": f.item} for f in result.risk_flags]
    if args.json:
        data = {
            "instrument": args.instrument,
            "total": result.total if isinstance(result.total, int | None) else float(result.total),
            "band": result.band,
            "complete": result.complete,
            "prorated": result.prorated,
            "risk_flags": flags,
            "subscales": {k: float(v) if v is not None else None for k, v in result.subscales.items()},
        }
        out.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    out.write(_score_text(args.instrument, result))
    for flag in flags:
        out.write(f"RISK FLAG {flag['code']} ({flag['level']}) item {flag['item']}\n")
    for name, value in result.subscales.items():
        out.write(f"subscale {name}: {value}\n")
    return EXIT_OK


def _score_text(instrument: str, result: ipt_core.measures.Score) -> str:
    """The total, band and completeness of a score, in words (no ``None``/``True``/``False``)."""
    total = "not scored" if result.total is None else str(result.total)
    band = "none" if result.band is None else result.band.replace("_", " ")
    if result.complete:
        answered = "every scored item answered"
    else:
        answered = f"{len(result.missing)} scored item{'s' if len(result.missing) != 1 else ''} missing"
    prorated = "prorated" if result.prorated else "not prorated"
    return f"{instrument}: total {total}, band {band}\n{answered}; {prorated}\n"


def _emit(document: Any, output: str | None, out: TextIO, err: TextIO | None = None) -> int:
    """Write a document as JSON to ``output``, or to standard output."""
    try:
        data = ipt_core.dumps(document)
    except ValidationError as error:  # larger than the size limit: it could not be read back
        (err or sys.stderr).write("cannot write the document:\n" + "\n".join(_problems_text(error)) + "\n")
        return EXIT_INVALID
    if output:
        return _write(output, data, err or sys.stderr)
    out.write(data.decode("utf-8") + "\n")
    return EXIT_OK


def _load_file(name: str, err: TextIO, load: Callable[[bytes], Any]) -> Any:
    """The document in file ``name``, or the exit status after reporting why it cannot be had."""
    try:
        data = _read(name)
    except OSError as error:
        err.write(f"{name}: cannot be read: {_why(error)}\n")
        return EXIT_USAGE
    try:
        return load(data)
    except ValidationError as error:
        err.write(f"{name}: invalid\n" + "\n".join(_problems_text(error)) + "\n")
        return EXIT_INVALID


def _migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if _refuse_overwrite(args.file, args.output, err):
        return EXIT_USAGE
    document = _load_file(args.file, err, load_document)
    if isinstance(document, int):
        return document
    return _emit(document, args.output, out, err)


def _case_or_group(data: bytes) -> Any:
    """A case or a group document; a document of another kind is refused as a case refuses it
    (read once: standard input cannot be read again)."""
    document = load_document(data)
    if isinstance(document, ipt_core.Case | ipt_core.Group):
        return document
    return ipt_core.loads(data, ipt_core.Case)


def _load_case(name: str, err: TextIO) -> ipt_core.Case | int:
    result: ipt_core.Case | int = _load_file(name, err, ipt_core.loads)
    return result


_RISK_OPTIONS: dict[str, str] = {
    "phq9_item9_high_from": "PHQ-9 item 9 at or above N is high risk",
    "hamd_item3_flag_from": "HAM-D item 3 at or above N raises a flag (1 only: every positive rating does)",
    "hamd_item3_high_from": "HAM-D item 3 at or above N is high risk",
    "phq2_positive_from": "a PHQ-2 total at or above N is a positive screen",
}
"""The report's options for the service's own risk cut-offs (:class:`RiskSettings` fields)."""


def _risk_settings(args: argparse.Namespace, err: TextIO) -> RiskSettings | None:
    """The risk cut-offs the options give (the defaults for those not given); ``None`` after
    writing why, when they are out of range or do not fit together."""
    given = {name: getattr(args, name) for name in _RISK_OPTIONS if getattr(args, name) is not None}
    if not given:
        return DEFAULT_RISK_SETTINGS
    try:
        return RiskSettings(**given)
    except ValueError as error:
        message = str(error)
        for name in _RISK_OPTIONS:
            message = message.replace(name, "--" + name.replace("_", "-"))
        err.write(f"risk cut-offs: {message}\n")
        return None


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if _refuse_overwrite(args.file, args.svg, err):
        return EXIT_USAGE
    risk = _risk_settings(args, err)
    if risk is None:
        return EXIT_USAGE
    case = _load_file(args.file, err, _case_or_group)
    if isinstance(case, ipt_core.Group):
        return _report_group(case, args, out, err, risk)
    if isinstance(case, int):
        return case
    if args.case:
        err.write("--case names a group's member cases; leave it out for the report of a case\n")
        return EXIT_USAGE
    today = args.today or date.today()  # the command is the edge: the domain takes "today" as given
    if args.format == "json":
        out.write(json.dumps(report.report_data(case, today=today, risk_settings=risk), indent=2) + "\n")
    elif args.format == "markdown":
        out.write(report.render_markdown(case, today=today, risk_settings=risk))
    else:
        out.write(report.render_text(case, today=today, risk_settings=risk))
    if args.svg:
        return _write(args.svg, report.trajectory_svg(case, today=today).encode("utf-8"), err)
    return EXIT_OK


def _report_group(
    group: ipt_core.Group,
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    risk: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> int:
    """The group report; with ``--case`` files, the group's outcomes from the members' cases."""
    from ipt_core.boundary import group_report  # noqa: PLC0415 - only a group report needs it

    if args.svg:
        err.write("a group has no measure chart of its own; leave out --svg (chart a member's case)\n")
        return EXIT_USAGE
    cases: list[ipt_core.Case] | None = None
    if args.case:
        cases = []
        for name in args.case:
            case = _load_case(name, err)
            if isinstance(case, int):
                return case
            cases.append(case)
    today = args.today or date.today()  # the command is the edge: the domain takes "today" as given
    data = group_report.group_report_data(group, today=today, cases=cases, risk_settings=risk)
    if args.format == "json":
        out.write(json.dumps(data, indent=2) + "\n")
    elif args.format == "markdown":
        out.write(group_report.render_group_markdown(group, today=today, cases=cases, risk_settings=risk))
    else:
        out.write(group_report.render_group_text(group, today=today, cases=cases, risk_settings=risk))
    if data["outcomes_problems"]:  # two different copies of a member's case among the --case files
        lines = [
            re.sub(r"\$\.cases\[(\d+)\](\.id)?", _case_file, f"  {p['path']}: {p['code']} ({p['message']})")
            for p in data["outcomes_problems"]
        ]
        err.write("the group's outcomes are not reported:\n" + "\n".join(lines) + "\n")
        return EXIT_INVALID
    return EXIT_OK


def _case_file(match: re.Match[str]) -> str:
    """``$.cases[3]`` as the command's user gave it: ``--case file 4``."""
    return f"--case file {int(match.group(1)) + 1}"


def _new_group(args: argparse.Namespace, protocol: ipt_core.Protocol, out: TextIO, err: TextIO) -> int:
    if protocol.group is None:
        formats = ", ".join(p.id for p in ipt_core.protocols.all() if p.group is not None)
        err.write(f"not a group protocol; choose one of: {formats}\n")
        return EXIT_USAGE
    try:
        group = ipt_core.Group(id=args.id, protocol_id=protocol.id)
    except ValidationError as error:
        err.write("cannot create the group:\n" + "\n".join(_problems_text(error)) + "\n")
        return EXIT_INVALID
    return _emit(group, args.output, out)


def _new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        protocol = ipt_core.protocols.get(args.protocol)
    except KeyError:
        known = ", ".join(p.id for p in ipt_core.protocols.all())
        err.write(f"unknown protocol; choose one of: {known}\n")
        return EXIT_USAGE
    if args.group:
        return _new_group(args, protocol, out, err)
    planned = protocol.sessions.default_sessions if args.sessions is None else args.sessions
    try:
        case = ipt_core.Case(
            id=args.id,
            contract=ipt_core.TreatmentContract(
                protocol_id=protocol.id,
                start=args.start or date.today(),
                planned_sessions=planned,
                frequency=protocol.sessions.frequency,
                session_minutes=protocol.sessions.session_minutes,
            ),
        )
    except ValidationError as error:
        err.write("cannot create the case:\n" + "\n".join(_problems_text(error)) + "\n")
        return EXIT_INVALID
    return _emit(case, args.output, out, err)


def _redact(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if _refuse_overwrite(args.file, args.output, err) or _refuse_overwrite(args.key_file, args.output, err):
        return EXIT_USAGE
    try:
        with Path(args.key_file).open("rb") as stream:
            key = stream.read(KEY_FILE_MAX_BYTES + 1)
    except OSError as error:
        err.write(f"the key file cannot be read: {_why(error)}\n")
        return EXIT_USAGE
    if len(key) > KEY_FILE_MAX_BYTES:  # a key cut short would give other pseudonyms than the library's
        err.write(f"the key cannot be used: a key file holds at most {KEY_FILE_MAX_BYTES} bytes\n")
        return EXIT_USAGE
    key = key.strip()
    try:
        checked_key(key)
    except ValueError as error:
        err.write(f"the key cannot be used: {error}\n")
        return EXIT_USAGE
    case = _load_file(args.file, err, _case_or_group)
    if isinstance(case, int):
        return case
    return _emit(ipt_core.redact(case, key=key), args.output, out, err)


def _iso_date(text: str) -> date:
    if not _DAY.fullmatch(text):
        raise argparse.ArgumentTypeError("a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("no such date (a date as YYYY-MM-DD)") from None


def _integer(text: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise argparse.ArgumentTypeError("a whole number")
    return int(text)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors say what was expected, never what was typed: an option's
    value typed in the wrong place may be a client's name or a diagnosis."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            raise argparse.ArgumentError(action, f"not one of the choices ({choices})")

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            message = "unrecognized arguments (see --help for the options of each command)"
        elif ": ignored explicit argument " in message:
            message = message.partition(": ignored explicit argument ")[0] + ": takes no value"
        elif message.startswith("ambiguous option: ") and " could match " in message:
            # argparse (3.11 to 3.13) repeats what was typed, with any "=value" after the option
            options = message.rpartition(" could match ")[2]  # ours, never typed
            message = f"ambiguous option: it abbreviates more than one of {options}"
        super().error(message)


Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


def _add_risk_options(command: argparse.ArgumentParser) -> None:
    """The options for the service's own risk cut-offs (``report`` and ``validate`` grade the same)."""
    for name, text in _RISK_OPTIONS.items():
        command.add_argument(
            "--" + name.replace("_", "-"),
            type=_integer,
            metavar="N",
            help=f"the service's risk cut-off, signed off clinically: {text} "
            f"(default {getattr(DEFAULT_RISK_SETTINGS, name)})",
        )


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser (also used to document it)."""
    parser = _Parser(
        prog="ipt-core",
        description="Check IPT documents, print their JSON Schema, score questionnaires, report on cases.",
    )
    parser.add_argument("--version", action="version", version=f"ipt-core {ipt_core.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check documents (and show a case's open risk flags); exit 1 if any is invalid"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="JSON documents ('-' for stdin)")
    validate.add_argument("--json", action="store_true", help="print a JSON report")
    validate.add_argument("--quiet", "-q", action="store_true", help="print only invalid files")
    validate.add_argument("--progress", action="store_true", help="show a progress bar")
    _add_risk_options(validate)
    validate.set_defaults(handler=_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of a document kind")
    schema.add_argument("kind", nargs="?", default="case", help="document kind (default: case)")
    schema.set_defaults(handler=_schema)

    score = commands.add_parser("score", help="score a questionnaire: total, band and risk flags")
    score.add_argument("instrument", help="phq9, phq2, gad7, gad2, wsas, hamd17, mspss, ucla3, ...")
    score.add_argument(
        "answers",
        nargs="+",
        type=_answer,
        metavar="ANSWER",
        help="answers in item order: integers, or skipped/declined/unknown/null",
    )
    score.add_argument("--option", action="append", help="an instrument option (wsas: retired)")
    score.add_argument("--prorate", action="store_true", help="prorate where the rule allows it")
    score.add_argument("--json", action="store_true", help="print JSON")
    score.set_defaults(handler=_score)

    migrate = commands.add_parser("migrate", help="upgrade a document to the current schema version")
    migrate.add_argument("file", metavar="FILE", help="the document ('-' for stdin)")
    migrate.add_argument("-o", "--output", help="write here instead of standard output")
    migrate.set_defaults(handler=_migrate)

    rep = commands.add_parser("report", help="the phase and progress report of a case or a group")
    rep.add_argument("file", metavar="FILE", help="the case or group ('-' for stdin)")
    rep.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="the output form")
    rep.add_argument("--today", type=_iso_date, help="the date to report as of (default: today)")
    rep.add_argument("--svg", metavar="OUT", help="also write the measure trajectory as an SVG chart")
    rep.add_argument(
        "--case",
        action="append",
        metavar="CASE",
        help="for a group: a member's case file (repeatable), read for outcomes and open risk flags",
    )
    _add_risk_options(rep)
    rep.set_defaults(handler=_report)

    new = commands.add_parser("new", help="a valid new case (or, with --group, group) to start from")
    new.add_argument("--protocol", required=True, help="a protocol id, e.g. standard, brief, group-who")
    new.add_argument("--id", default="new-case", help="the case id (default: new-case)")
    new.add_argument("--start", type=_iso_date, help="treatment start (default: today)")
    new.add_argument("--sessions", type=_positive, help="planned sessions (default: the protocol's)")
    new.add_argument("-o", "--output", help="write here instead of standard output")
    new.add_argument("--group", action="store_true", help="a new group (with --protocol group-who)")
    new.set_defaults(handler=_new)

    red = commands.add_parser("redact", help="a de-identified copy of a case or a group (keyed pseudonyms)")
    red.add_argument("file", metavar="FILE", help="the case or group ('-' for stdin)")
    red.add_argument("--key-file", required=True, help="a file holding the secret key (16 to 4096 bytes)")
    red.add_argument("-o", "--output", help="write here instead of standard output")
    red.set_defaults(handler=_redact)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; returns its exit status (0 ok, 1 invalid input, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    handler: Handler = args.handler
    return handler(args, out or sys.stdout, err or sys.stderr)


if __name__ == "__main__":  # ``python -m ipt_core.cli``, as ``python -m ipt_core``
    raise SystemExit(main())
