"""The command-line reference page, generated from the ``ipt-core`` argument parser.

``python -m ipt_core._cli_reference docs/cli.md`` writes it; a test fails when the page in the docs
and the generated text differ, so a new command or option appears once the page is written again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final

from ipt_core.cli import build_parser

__all__ = ["cli_reference"]

_WIDTH: Final = 100
"""Usage lines are wrapped at this width whatever the terminal, so the page is the same everywhere."""

EXIT_STATUS: Final = {
    "validate": "0 all valid, 1 some invalid, 2 a file cannot be read",
    "schema": "0, or 2 for an unknown kind",
    "score": "0 scored, 1 invalid answers, 2 an answer that is not a number or a missing reason",
    "migrate": "0, 1 when the document is invalid, 2 when it cannot be read",
    "report": "0, 1 when the case is invalid, 2 when it cannot be read",
    "new": "0, 1 when the case cannot be made, 2 for an unknown protocol",
    "redact": "0, 1 when the case is invalid, 2 when it or the key cannot be read or the key cannot be used",
}
"""What each command's exit status means (a command not listed: :data:`_EXIT_DEFAULT`)."""
_EXIT_DEFAULT: Final = "0 on success, 2 on a usage error"

_EXAMPLES: Final = """\
## Examples

```console
$ ipt-core score phq9 1 1 1 1 1 1 1 1 1
phq9: total 9, band mild
every scored item answered; not prorated
RISK FLAG phq9_item9 (elevated) item phq9_9
$ ipt-core validate cases/*.json
$ ipt-core new --protocol brief --start 2025-03-03 -o case.json
$ ipt-core report case.json --today 2025-06-02 --format markdown --svg chart.svg
$ ipt-core redact case.json --key-file secret.key -o shared.json
```

Error output names the path and code of each problem and what is expected, never a value from the
document.
"""


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    found: list[tuple[str, str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            found.extend((name, helps.get(name, ""), sub) for name, sub in action.choices.items())
    return found


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _argument_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            name = ", ".join(f"`{o}`" for o in action.option_strings)
            if action.nargs != 0:
                name += f" `{action.metavar or action.dest.upper()}`"
        else:
            metavar = action.metavar if isinstance(action.metavar, str) else action.dest
            name = f"`{metavar}`" + (" ..." if action.nargs in ("+", "*") else "")
        details: list[str] = []
        if action.choices is not None:
            details.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
        if action.required and action.option_strings:
            details.append("required")
        if action.default not in (None, False, argparse.SUPPRESS) and action.nargs != 0:
            details.append(f"default `{action.default}`")
        if action.nargs == "?":
            details.append("optional")
        rows.append(f"| {name} | {_cell(action.help or '')} | {'; '.join(details)} |")
    return rows


def cli_reference() -> str:
    """The command-line reference page (Markdown)."""
    parser = build_parser()
    commands = _subcommands(parser)
    lines = [
        "# The command line",
        "",
        "<!-- Generated from the argument parser by `python -m ipt_core._cli_reference docs/cli.md`; "
        "do not edit by hand. -->",
        "",
        "Installed with the package as `ipt-core` (and available as `python -m ipt_core`). "
        f"{parser.description or ''}",
        "",
        "| Command | What it does | Exit status |",
        "|---|---|---|",
    ]
    lines += [
        f"| [`{name}`](#{name}) | {_cell(text)} | {EXIT_STATUS.get(name, _EXIT_DEFAULT)} |"
        for name, text, _ in commands
    ]
    lines.append("")
    for name, text, sub in commands:
        lines += [
            f"## {name}",
            "",
            f"{text[0].upper()}{text[1:]}." if text else "",
            "",
            "```text",
            _usage(sub),
            "```",
            "",
            "| Argument | Meaning | Values |",
            "|---|---|---|",
            *_argument_rows(sub),
            "",
        ]
    lines.append(_EXAMPLES)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    Path(sys.argv[1] if len(sys.argv) > 1 else "docs/cli.md").write_text(cli_reference(), encoding="utf-8")
