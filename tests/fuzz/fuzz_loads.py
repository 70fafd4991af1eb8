"""Coverage-guided fuzzing of ``ipt_core.loads`` with atheris: only ``ValidationError`` may leave it.

Standalone: ``python tests/fuzz/fuzz_loads.py -max_total_time=60`` (any libFuzzer flag works;
``-runs=N`` for a fixed number of inputs). The seed corpus is the golden fixtures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports():
    import ipt_core
    from ipt_core import ValidationError

SENTINEL = b"ZQXSENTINEL"
LIMITS = ipt_core.Limits(max_bytes=64 * 1024, max_problems=10)


def _library_locals(exc: BaseException) -> str:
    """The locals of the library's frames in the traceback, as an error tracker records them."""
    found: list[str] = []
    tb = exc.__traceback__
    while tb is not None:
        if "ipt_core" in tb.tb_frame.f_code.co_filename:
            found.extend(repr(value) for value in tb.tb_frame.f_locals.values())
        tb = tb.tb_next
    return "".join(found)


def test_one_input(data: bytes) -> None:
    """Load ``data``; anything but success or ``ValidationError`` is a finding (atheris reports it),
    and so is an error that shows the input, in its text or in its frames' locals, or that lists
    more problems than the limit."""
    for payload in (data, data.decode("utf-8", errors="replace")):
        try:
            ipt_core.loads(payload, limits=LIMITS)
        except ValidationError as exc:
            if SENTINEL in data and SENTINEL.decode() in repr(exc) + str(exc) + _library_locals(exc):
                raise AssertionError("an input value leaked into an error") from None
            if len(exc.problems) > LIMITS.max_problems + 1:
                raise AssertionError("more problems listed than the limit") from None


def seeds() -> list[bytes]:
    """The golden documents, as a starting corpus."""
    return [p.read_bytes() for p in sorted((Path(__file__).parent.parent / "fixtures").glob("v*/*.json"))]


def main(argv: list[str]) -> None:
    corpus = Path(__file__).parent / "corpus"
    corpus.mkdir(exist_ok=True)
    for i, seed in enumerate(seeds()):
        (corpus / f"seed-{i}.json").write_bytes(seed)
    atheris.Setup([argv[0], *argv[1:], str(corpus)], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
