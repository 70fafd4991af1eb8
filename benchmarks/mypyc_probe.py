"""Whether compiling the generated builders to C (mypyc) would make ``loads`` meet its targets.

The codec's fast path runs builders generated in Python for each record class
(``ipt_core.boundary._fast``). This probe writes the builders of the whole case tree into one
module and compiles it with mypyc (a C compiler and mypy's ``mypyc`` must be installed):

- each builder's globals become module constants (``Final``), read at import from a registry the
  probe fills with the generated builders' own globals, so compiled code reads them as C
  statics; the builtins the builders use (``len``, ``type``, ``str``, ...) are named directly, and
  the builders call each other directly;
- the compiled builders are checked to build cases equal to ``ipt_core.loads``' from every
  document.

Then, per document, in alternating rounds with the collector off: ``json.loads`` (the baseline of
the targets) and ``orjson.loads``; ``ipt_core.loads``; ``orjson.loads`` + the generated builders
(invariants included); ``orjson.loads`` + the same builders compiled. ``--dict-globals`` compiles
them with their globals left in the module's dict instead, as plain generated code would be.

Nothing is asserted; private names of the codec are used. The build takes about a minute.

Run: ``python benchmarks/mypyc_probe.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import platform
import subprocess
import sys
import tempfile
import tokenize
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import orjson
from loads_profile import per_document

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


_BUILTINS = {
    "list_": "list",
    "dict_": "dict",
    "str_": "str",
    "int_": "int",
    "tuple_": "tuple",
    "len_": "len",
    "set_": "set",
    "map_": "map",
    "type_": "type",
}
"""The builders' names for builtins, and the builtins they stand for."""


def module_source(builders: list[Generated], *, constants: bool = True) -> str:
    """One module holding builder ``i`` as ``b{i}``; its globals as ``g{i}_{name}``, module
    constants read from the registry ``ipt_env.ENVS[i]`` (or, without ``constants``, set later)."""
    index = {id(function): i for i, (_, _, function) in enumerate(builders)}
    lines = ["from typing import Any, Final", "", "import ipt_env", ""]
    bodies: list[str] = []
    for i, (source, env, _) in enumerate(builders):
        direct = {name for name, value in env.items() if callable(value) and id(value) in index}
        for name in env:
            if name == "__builtins__" or name in direct or (constants and name in _BUILTINS):
                continue
            value = f"ipt_env.ENVS[{i}][{name!r}]" if constants else "None"
            lines.append(f"g{i}_{name}: {'Final[Any]' if constants else 'Any'} = {value}")
        tokens = []
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            name = token.string if token.type == tokenize.NAME else ""
            if constants and name in _BUILTINS:
                tokens.append(token._replace(string=_BUILTINS[name]))
            elif name in direct:
                tokens.append(token._replace(string=f"b{index[id(env[name])]}"))
            elif name in env:
                tokens.append(token._replace(string=f"g{i}_{name}"))
            elif name == "build":
                tokens.append(token._replace(string=f"b{i}"))
            else:
                tokens.append(token)
        body = tokenize.untokenize(tokens)
        bodies += [
            "",
            body.replace(f"def b{i}(d, counter):", f"def b{i}(d: Any, counter: list[Any]) -> Any:", 1),
        ]
    return "\n".join(lines + bodies) + "\n"


def compiled(builders: list[Generated], where: Path, *, constants: bool = True) -> Callable[..., Any]:
    """The root builder compiled by mypyc, with the generated builders' globals."""
    (where / "ipt_env.py").write_text("from typing import Any\n\nENVS: list[dict[str, Any]] = []\n")
    (where / "ipt_builders.py").write_text(module_source(builders, constants=constants))
    mypyc = Path(sys.executable).with_name("mypyc")
    subprocess.run([str(mypyc), "ipt_builders.py"], cwd=where, check=True, capture_output=True)  # noqa: S603
    (where / "ipt_builders.py").unlink()  # import the extension, not the source
    sys.path.insert(0, str(where))
    registry: ModuleType = importlib.import_module("ipt_env")
    registry.ENVS[:] = [env for _, env, _ in builders]
    module: ModuleType = importlib.import_module("ipt_builders")
    if not constants:
        for i, (_, env, _) in enumerate(builders):
            for name, value in env.items():
                if hasattr(module, f"g{i}_{name}"):
                    setattr(module, f"g{i}_{name}", value)
    root: Callable[..., Any] = getattr(module, f"b{len(builders) - 1}")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    parser.add_argument("--dict-globals", action="store_true", help="leave the globals in the module's dict")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 9
    builders = generated_builders()
    python_root = builders[-1][2]
    with tempfile.TemporaryDirectory() as where:
        c_root = compiled(builders, Path(where), constants=not args.dict_globals)
        kind = "globals in the module's dict" if args.dict_globals else "globals as constants"
        versions = f"python {platform.python_version()} on {platform.machine()}"
        print(f"{versions}; {len(builders)} builders compiled, {kind}")
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
                    best[name] = min(best[name], per_document(function, raws, max(1, number // 3)))
            print(label)
            for name, value in best.items():
                print(f"  {name:26s} {value:8.1f} us  {value / best['json.loads']:5.2f}x json.loads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
