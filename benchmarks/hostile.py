"""Cost of hostile documents against a valid one of the same size, all under the default limits.

Each input is loaded a few times; the best wall time, the problems reported and the peak memory
traced (``tracemalloc``) are printed beside those of a valid case of about the same size, and the
time as a multiple of ``json.loads`` on the same bytes (a ratio that a busy machine disturbs less). Run:
``python benchmarks/hostile.py`` (``--size`` in bytes; the default is the size limit).
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import attrs

import ipt_core
from ipt_core.testing import sample_case, sample_group

_HEAD = '{"kind":"case","schema_version":1,'


def _valid(size: int) -> bytes:
    """A valid case just under ``size`` bytes: sessions with long notes."""
    case = sample_case(sessions=16, people=4)
    last = case.sessions[-1]
    sessions = list(case.sessions)
    note = "a plain session note. " * 400  # about 9 KB
    out = ipt_core.dumps(case)
    roomy = ipt_core.Limits(max_bytes=2 * size)
    while True:
        number = sessions[-1].number + 1
        sessions.append(attrs.evolve(last, number=number, notes=note))
        trial = ipt_core.dumps(attrs.evolve(case, sessions=tuple(sessions)), limits=roomy)
        if len(trial) > size:
            return out
        out = trial


def _fill(prefix: str, unit: str, suffix: str, size: int) -> bytes:
    count = (size - len(prefix) - len(suffix)) // len(unit)
    body = unit * count
    return (prefix + body.rstrip(",") + suffix).encode()


def _inputs(size: int) -> Iterator[tuple[str, bytes]]:
    yield "valid case (long notes)", _valid(size)
    yield "valid case (1000 sessions)", ipt_core.dumps(sample_case(sessions=1000, people=12))
    yield "sessions: [0,0,...]", _fill(_HEAD + '"sessions":[', "0,", "]}", size)
    yield "sessions: [{},{},...]", _fill(_HEAD + '"sessions":[', "{},", "]}", size)
    yield "sessions: [[],[],...]", _fill(_HEAD + '"sessions":[', "[],", "]}", size)
    # a thousand sessions (the most a case holds), each with lists of wrong items at their maximum
    zeros = ",".join(["0"] * 200)
    session = (
        f'{{"measures":[{",".join(["0"] * 50)}],"incidents":[{zeros}],"decisions":[{zeros}],'
        f'"role_plays":[{zeros}],"work_at_home":[{zeros}]}}'
    )
    sessions = ",".join([session] * 1000)
    yield "1000 sessions of wrong items", (_HEAD + '"sessions":[' + sessions + "]}").encode()
    keys = ",".join(f'"k{i}":0' for i in range(size // 10))
    yield "unknown keys: {k0:0, k1:0, ...}", (_HEAD + keys + "}").encode()[:size].rsplit(b",", 1)[0] + b"}"
    yield "nesting to the depth limit", _fill(_HEAD + '"notes":[', "[" * 29 + "]" * 29 + ",", "]}", size)
    yield "escapes in one text", _fill(_HEAD + '"notes":"', "\\u00e9", '"}', size)
    yield "many short unknown texts", _fill(_HEAD + '"notes":["', 'a","', '"]}', size)
    valid = _valid(size)
    yield "valid case, last value wrong", valid.replace(b'"notes":""}', b'"notes":0}', 1)[:-1] + b',"x":0}'
    near = ",".join(f'"sessions{i:x}":0' for i in range(size // 14))
    yield "near-miss keys: {sessions0:0, ...}", (_HEAD + near + "}").encode()[:size].rsplit(b",", 1)[0] + b"}"
    big = _HEAD + '"x":[10000000000000000000,'
    yield "a number past 64 bits, then [[],...]", _fill(big, "[],", "]}", size)


def _group(*, late: bool) -> bytes:
    """A group at its limits: 100 members at each of 1000 sessions (``late``: every member joins
    after the last session, so each attendance is a problem, found by the group's own checks)."""
    doc: dict[str, Any] = json.loads(ipt_core.dumps(sample_group()))
    joined = "2099-01-01" if late else "2020-01-01"
    doc["members"] = [
        {"id": f"m{i}", "case_id": f"c{i}", "alias": f"A{i}", "joined": joined} for i in range(100)
    ]
    doc["pre_group_meetings"] = []
    attendance = [{"member": f"m{i}", "status": "attended"} for i in range(100)]
    doc["sessions"] = [
        {
            "number": s + 1,
            "date": (date(2020, 1, 2) + timedelta(days=s)).isoformat(),
            "phase": "middle",
            "attendance": attendance,
        }
        for s in range(1000)
    ]
    return json.dumps(doc, separators=(",", ":")).encode()


def _group_inputs() -> Iterator[tuple[str, bytes]]:
    yield "valid group (100 members, 1000 sessions)", _group(late=False)
    yield "group: 100 000 attendances of non-members", _group(late=True)


def _measure(load: Callable[[], object], repeat: int) -> tuple[float, int]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        load()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    load()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=ipt_core.Limits().max_bytes)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1 MiB inputs, one run each (as `make bench`)")
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.repeat = 1024 * 1024, 1
    base = None
    print(f"{'input':36} {'bytes':>9} {'seconds':>8} {'x valid':>8} {'x json':>7}", end="")
    print(f" {'peak MiB':>9} {'problems':>9}")
    inputs: list[tuple[str, bytes, type[Any]]] = [
        (label, raw, ipt_core.Case) for label, raw in _inputs(args.size)
    ]
    inputs += [(label, raw, ipt_core.Group) for label, raw in _group_inputs()]
    for label, raw, cls in inputs:
        data = raw
        problems = 0

        def load(data: bytes = data, cls: type[Any] = cls) -> None:
            nonlocal problems
            try:
                ipt_core.loads(data, cls)
            except ipt_core.ValidationError as exc:
                problems = len(exc.problems)

        seconds, peak = _measure(load, args.repeat)

        def parse(data: bytes = data) -> None:
            json.loads(data)

        plain, _ = _measure(parse, args.repeat)
        base = base or seconds
        ratio = seconds / base
        print(
            f"{label:36} {len(data):>9} {seconds:>8.3f} {ratio:>8.1f} {seconds / plain:>7.1f} "
            f"{peak / 2**20:>9.1f} {problems:>9}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
