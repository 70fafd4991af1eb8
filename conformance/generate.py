"""Write the mechanical part of the conformance suite: the band-edge scoring cases.

``python conformance/generate.py`` reads the published band tables written out by hand in
``sources/published-bands.json`` (not the library's own tables) and writes
``scoring/band-edges.json``: for every banded instrument, the lowest and the highest total of every
band, with answers that add up to it. A test checks the file is what this script writes, and that
the published tables agree with the library's.

``canonical(data)`` is the one layout of every file in the suite (sorted keys, 2-space indent,
short lists of numbers on one line); the tests hold every case file to it.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

__all__ = ["BAND_EDGES", "band_edge_cases", "band_edges", "canonical", "case_files", "main", "reformat"]

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join("sources", "published-bands.json")
BAND_EDGES = os.path.join("scoring", "band-edges.json")

_SCALAR_LIST = re.compile(r"\[\n\s*([^\[\]{}\n]*(?:\n\s*[^\[\]{}\n]*)*?)\n\s*\]")


def canonical(data: Any) -> str:
    """``data`` as the suite writes JSON: sorted keys, 2-space indent, a final newline, and each
    list holding only scalars (numbers, strings, ``null``) on one line."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)

    def inline(match: re.Match[str]) -> str:
        parts = [part.strip() for part in match.group(1).split("\n")]
        return "[" + " ".join(parts) + "]"

    return _SCALAR_LIST.sub(inline, text) + "\n"


def _answers(maxima: list[int], minimum: int, target: int, last: int | None) -> list[int]:
    """Answers at ``minimum`` raised item by item (the suicide item ``last``, 1-based, raised last)
    until they add up to ``target``."""
    answers = [minimum] * len(maxima)
    order = [i for i in range(len(maxima)) if i + 1 != last] + ([last - 1] if last else [])
    left = target - minimum * len(maxima)
    for index in order:
        step = min(left, maxima[index] - minimum)
        answers[index] += step
        left -= step
    if left:
        raise ValueError(f"total {target} is out of reach")
    return answers


def _mean_total(total: int, count: int) -> float:
    """The mean of ``count`` answers adding up to ``total``, to 2 decimals (halves up)."""
    exact = Decimal(total) / Decimal(count)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def band_edge_cases(source: dict[str, Any]) -> list[dict[str, Any]]:
    """One case for the lowest and one for the highest total of every published band."""
    cases: list[dict[str, Any]] = []
    for instrument in source["instruments"]:
        key = instrument["id"]
        maxima: list[int] = instrument["item_maxima"]
        minimum: int = instrument["item_minimum"]
        count = len(maxima)
        mean = instrument["aggregation"] == "mean"
        for band in instrument["bands"]:
            for edge in ("lowest", "highest"):
                published = Fraction(str(band[edge]))
                if mean:  # the reachable item sum whose mean is nearest the edge, inside the band
                    scaled = published * count
                    target = math.ceil(scaled) if edge == "lowest" else math.floor(scaled)
                    total: float | int = _mean_total(target, count)
                else:
                    target = int(published)
                    total = target
                what = "mean" if mean else "total"
                cases.append(
                    {
                        "id": f"{key}.{band['id']}.{edge}",
                        "description": (
                            f"{key} {what} {total}: the {edge} {what} of the {band['id']} band "
                            f"({band['lowest']} to {band['highest']})"
                        ),
                        "input": {
                            "instrument": key,
                            "answers": _answers(maxima, minimum, target, instrument.get("suicide_item")),
                        },
                        "expected": {
                            "band": band["id"],
                            "complete": True,
                            "prorated": False,
                            "range": instrument["range"],
                            "total": total,
                        },
                        "source": instrument["source"],
                    }
                )
    return cases


def band_edges(directory: str = HERE) -> dict[str, Any]:
    """The band-edge case file, from the published tables under ``directory``."""
    with open(os.path.join(directory, SOURCE), encoding="utf-8") as handle:
        source = json.load(handle)
    return {
        "suite": "scoring",
        "description": (
            "Every band edge of every banded instrument: the lowest and the highest total of each "
            "published band. Generated by conformance/generate.py from sources/published-bands.json; "
            "do not edit by hand. Risk flags are left out here (see risk-flags.json)."
        ),
        "generated_by": "conformance/generate.py",
        "cases": band_edge_cases(source),
    }


def case_files(directory: str = HERE) -> list[str]:
    """Every case file of the suite, relative to ``directory``, in the order the runner reads them."""
    found: list[str] = []
    for folder in ("scoring", "validation", "outcomes", "next-steps"):
        where = os.path.join(directory, folder)
        if os.path.isdir(where):
            found.extend(f"{folder}/{name}" for name in sorted(os.listdir(where)) if name.endswith(".json"))
    return found


def reformat(directory: str = HERE) -> list[str]:
    """Rewrite every case file in the canonical layout (its content unchanged); the files changed."""
    changed: list[str] = []
    for relative in case_files(directory):
        path = os.path.join(directory, relative)
        with open(path, encoding="utf-8") as handle:
            current = handle.read()
        text = canonical(json.loads(current))
        if text != current:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            changed.append(relative)
    return changed


def main(argv: list[str]) -> int:
    """Write the generated files (``--check``: only say whether they are up to date; ``--format``:
    also lay out the hand-written case files canonically)."""
    if "--format" in argv:
        for relative in reformat():
            print(f"reformatted {relative}")
    path = os.path.join(HERE, BAND_EDGES)
    text = canonical(band_edges())
    if "--check" in argv:
        with open(path, encoding="utf-8") as handle:
            current = handle.read()
        if current != text:
            print(f"{BAND_EDGES} is out of date: run python conformance/generate.py")
            return 1
        return 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {BAND_EDGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
