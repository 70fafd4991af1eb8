"""Whether compiling the generated builders to C (mypyc) would make ``loads`` meet its targets.

The codec's fast path runs builders generated in Python for each record class
(``ipt_core.boundary._fast``). This probe writes the builders of the whole case tree into one
module (each builder's globals renamed apart and declared), compiles it with mypyc (a C compiler
and mypy's ``mypyc`` must be installed), gives the compiled functions the same globals as the
generated ones (the compiled builders call each other), checks that both build equal cases from
every document, then times, per document, in alternating rounds with the collector off:

- ``json.loads`` (the baseline of the targets) and ``orjson.loads``;
- ``ipt_core.loads``;
- ``orjson.loads`` + the generated builders (invariants included);
- ``orjson.loads`` + the same builders compiled by mypyc.

Nothing is asserted; private names of the codec are used. The build takes about 20 s.

Run: ``python benchmarks/mypyc_probe.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import json
import platform
import subprocess
import sys
import tempfile
import time
import tokenize
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import orjson

import ipt_core
from ipt_core.boundary import _fast
from ipt_core.domain.case import Case
from ipt_core.testing import sample_case, sample_cohort

Generated = tuple[str, dict[str, Any], Callable[..., Any]]


def generated_builders() -> list[Generated]:
    """Every builder of the case tree, generated afresh: ``(source, globals, function)``, the
    root last."""
    found: list[Generated] = []
    sources: dict[int, str] = {}

    def keep_source(source: str, name: str, mode: str) -> CodeType:
        code = compile(source, name, mode)
        sources[id(code)] = source
        return code

    def keep_function(code: CodeType, env: dict[str, Any], namespace: dict[str, Any]) -> None:
        exec(code, env, namespace)  # noqa: S102 - the codec's own generated source
        found.append((sources[id(code)], env, namespace["build"]))

    saved = dict(_fast._BUILDERS)
    _fast._BUILDERS.clear()
    _fast.compile = keep_source  # type: ignore[attr-defined]
    _fast.exec = keep_function  # type: ignore[attr-defined]
    try:
        _fast.root_builder(Case)
    finally:
        del _fast.compile, _fast.exec  # type: ignore[attr-defined]
        _fast._BUILDERS.clear()
        _fast._BUILDERS.update(saved)
    return found


def module_source(builders: list[Generated]) -> str:
    """One module holding builder ``i`` as ``b{i}``, its globals as ``g{i}_{name}``."""
    lines = ["from typing import Any", ""]
    bodies: list[str] = []
    for i, (source, env, _) in enumerate(builders):
        lines += [f"g{i}_{name}: Any = None" for name in env if name != "__builtins__"]
        tokens = []
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            name = token.string if token.type == tokenize.NAME else ""
            if name in env:
                tokens.append(token._replace(string=f"g{i}_{name}"))
            elif name == "build":
                tokens.append(token._replace(string=f"b{i}"))
            else:
                tokens.append(token)
        bodies += ["", tokenize.untokenize(tokens)]
    return "\n".join(lines + bodies) + "\n"


def compiled(builders: list[Generated], where: Path) -> Callable[..., Any]:
    """The root builder compiled by mypyc, its globals set as the generated ones'."""
    (where / "ipt_builders.py").write_text(module_source(builders))
    mypyc = Path(sys.executable).with_name("mypyc")
    subprocess.run([str(mypyc), "ipt_builders.py"], cwd=where, check=True, capture_output=True)  # noqa: S603
    (where / "ipt_builders.py").unlink()  # import the extension, not the source
    sys.path.insert(0, str(where))
    module: ModuleType = importlib.import_module("ipt_builders")
    index = {id(function): i for i, (_, _, function) in enumerate(builders)}
    for i, (_, env, _) in enumerate(builders):
        for name, value in env.items():
            if name == "__builtins__":
                continue
            at = index.get(id(value)) if callable(value) else None
            setattr(module, f"g{i}_{name}", value if at is None else getattr(module, f"b{at}"))
    root: Callable[..., Any] = getattr(module, f"b{len(builders) - 1}")
    return root


def _per_document(function: Callable[[bytes], object], raws: list[bytes], number: int) -> float:
    collecting = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            for raw in raws:
                function(raw)
        return (time.perf_counter() - start) / number / len(raws) * 1e6
    finally:
        if collecting:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 9
    builders = generated_builders()
    python_root = builders[-1][2]
    with tempfile.TemporaryDirectory() as where:
        c_root = compiled(builders, Path(where))
        print(
            f"python {platform.python_version()} on {platform.machine()}; {len(builders)} builders compiled"
        )
        sizes = {
            "small (2 sessions)": ([ipt_core.dumps(sample_case(sessions=2, seed=s)) for s in range(6)], 100),
            "sample (16)": ([ipt_core.dumps(sample_case(sessions=16, seed=s)) for s in range(6)], 30),
            "cohort": ([ipt_core.dumps(case) for case in sample_cohort(120)], 8),
        }
        for label, (raws, number) in sizes.items():
            for raw in raws:
                if c_root(orjson.loads(raw), _fast.context()) != ipt_core.loads(raw):
                    raise SystemExit("the compiled builders built another case")
            parts: dict[str, Callable[[bytes], object]] = {
                "json.loads": json.loads,
                "orjson.loads": orjson.loads,
                "ipt_core.loads": ipt_core.loads,
                "orjson.loads + builders": lambda raw: python_root(orjson.loads(raw), _fast.context()),
                "the same, compiled": lambda raw: c_root(orjson.loads(raw), _fast.context()),
            }
            best = dict.fromkeys(parts, float("inf"))
            for _ in range(rounds):
                for name, function in parts.items():
                    best[name] = min(best[name], _per_document(function, raws, max(1, number // 3)))
            print(label)
            for name, value in best.items():
                print(f"  {name:26s} {value:8.1f} us  {value / best['json.loads']:5.2f}x json.loads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
