"""``ipt_core.testing`` without hypothesis: the samples work, the strategies say what to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run in a fresh interpreter where importing hypothesis fails, as on an install without the extra.
_BLOCK_HYPOTHESIS = textwrap.dedent(
    """
    import importlib.abc, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "hypothesis" or name.startswith("hypothesis."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    """
)


def _run(body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCK_HYPOTHESIS + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_sample_case_needs_no_hypothesis() -> None:
    result = _run(
        """
        from ipt_core.testing import sample_case
        print(len(sample_case(sessions=4).sessions))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4"


def test_a_strategy_without_hypothesis_says_which_extra_to_install() -> None:
    result = _run(
        """
        import ipt_core.testing
        try:
            ipt_core.testing.cases
        except ModuleNotFoundError as error:
            print(error.name)
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    name, message = result.stdout.strip().splitlines()
    assert name == "hypothesis"
    assert "ipt-core[testing]" in message


def test_an_unknown_name_is_an_attribute_error() -> None:
    result = _run(
        """
        import ipt_core.testing
        try:
            ipt_core.testing.no_such_strategy
        except AttributeError as error:
            print("no_such_strategy" in str(error))
        """
    )
    assert result.stdout.strip() == "True", result.stderr
