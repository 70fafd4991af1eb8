"""The command-line page is generated from the argument parser and never drifts from it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ipt_core._cli_reference import EXIT_STATUS, cli_reference
from ipt_core.cli import build_parser

PAGE = Path(__file__).parent.parent / "docs" / "cli.md"


def _commands() -> dict[str, argparse.ArgumentParser]:
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_the_page_in_the_docs_is_the_generated_one() -> None:
    # Regenerate with: python -m ipt_core._cli_reference docs/cli.md
    assert PAGE.read_text(encoding="utf-8") == cli_reference(), "docs/cli.md is stale"


def test_every_command_and_option_is_on_the_page() -> None:
    page = cli_reference()
    commands = _commands()
    assert {"validate", "schema", "score", "migrate", "report", "new", "redact"} <= set(commands)
    for name, sub in commands.items():
        assert f"\n## {name}\n" in page
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}`" in page, (name, option)


def test_every_built_in_command_says_what_its_exit_status_means() -> None:
    assert set(EXIT_STATUS) <= set(_commands())
    for name in ("validate", "report", "new", "redact"):
        assert EXIT_STATUS[name] in cli_reference()
