"""Start-up cost of ipt_core against pydantic, each in a fresh interpreter, in the same run.

Two comparisons, each as a ratio to a pydantic baseline timed in the same rounds:

- ``import ipt_core`` against ``import pydantic`` (both import lazily: a name's module loads on
  first use);
- import and first real use: ``import ipt_core`` then ``loads`` of the sample case, and ``import
  ipt_core`` then ``measures.score`` of a PHQ-9, against ``import pydantic`` then a small model of
  three classes (a case with sessions of answers) defined and one document validated.

For information, the time to import ipt_core and resolve every public name (a program that uses
everything pays this). Each child interpreter runs with bytecode caching on (as an installed wheel
has its ``.pyc`` files), after one warm-up run per snippet that writes them. The snippets run in
alternating rounds so that drift of a shared machine hits both sides alike; the figures are the
median of the rounds.

Run: ``python benchmarks/import_time.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_TIMED = "import time\nt = time.perf_counter()\n{body}\nprint(time.perf_counter() - t)\n"

_PYDANTIC_MODEL = """
import pydantic
from datetime import date

class Answer(pydantic.BaseModel):
    item: int = pydantic.Field(ge=1, le=9)
    value: int = pydantic.Field(ge=0, le=3)

class Session(pydantic.BaseModel):
    number: int = pydantic.Field(ge=1)
    date: date
    answers: list[Answer] = []

class Case(pydantic.BaseModel):
    id: str = pydantic.Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    sessions: list[Session]

Case.model_validate_json(DOCUMENT)
"""

_PYDANTIC_DOCUMENT = (
    '{"id": "c1", "sessions": ['
    + ", ".join(
        f'{{"number": {n}, "date": "2024-01-{n:02d}", "answers": ['
        + ", ".join(f'{{"item": {i}, "value": {(n + i) % 4}}}' for i in range(1, 10))
        + "]}"
        for n in range(1, 17)
    )
    + "]}"
)

SNIPPETS: dict[str, str] = {
    "import pydantic": "import pydantic",
    "import ipt_core": "import ipt_core",
    "import pydantic + model + validate": f"DOCUMENT = {_PYDANTIC_DOCUMENT!r}\n{_PYDANTIC_MODEL}",
    "import ipt_core + loads(sample)": "import ipt_core\nipt_core.loads(DOCUMENT)",
    "import ipt_core + score(phq9)": (
        'import ipt_core\nipt_core.measures.score("phq9", (1, 2, 1, 0, 2, 1, 1, 0, 0))'
    ),
    "import ipt_core + every name": "import ipt_core\nfor name in ipt_core.__all__: getattr(ipt_core, name)",
}
"""What each child interpreter times (``DOCUMENT`` is set before the clock starts)."""

COMPARISONS = (
    ("import ipt_core", "import pydantic"),
    ("import ipt_core + loads(sample)", "import pydantic + model + validate"),
    ("import ipt_core + score(phq9)", "import pydantic + model + validate"),
    ("import ipt_core + every name", "import pydantic + model + validate"),
)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as for an installed package
    return env


def run_once(name: str, document: Path) -> float:
    """Seconds the snippet ``name`` takes in a fresh interpreter."""
    body = SNIPPETS[name]
    setup = f"DOCUMENT = open({str(document)!r}, 'rb').read()\n" if "ipt_core" in body else ""
    code = setup + _TIMED.format(body=body)
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=_child_env()
    ).stdout
    return float(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else 15

    import ipt_core  # noqa: PLC0415 - the parent only writes the document
    from ipt_core.testing import sample_case  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "sample.json"
        document.write_bytes(ipt_core.dumps(sample_case()))
        for name in SNIPPETS:  # warm-up: writes the bytecode caches, fills the OS file cache
            run_once(name, document)
        times: dict[str, list[float]] = {name: [] for name in SNIPPETS}
        for _ in range(rounds):
            for name in SNIPPETS:
                times[name].append(run_once(name, document))

    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    best = {name: min(values) * 1000 for name, values in times.items()}
    print(f"{'':36} {'median':>9} {'best':>9}")
    for name in SNIPPETS:
        print(f"{name:36} {median[name]:6.1f} ms {best[name]:6.1f} ms")
    print()
    for ours, theirs in COMPARISONS:
        ratio = median[ours] / median[theirs]
        print(f"{ours:36} {ratio:5.2f}x {theirs}  (best {best[ours] / best[theirs]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
