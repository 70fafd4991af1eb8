"""Build hook: compile the case's fast builders to C with mypyc, where a C compiler is at hand.

``src/ipt_core/boundary/_fast_native.py`` (generated from the model, see
``ipt_core.boundary._native``) is compiled in a scratch directory and the extension modules are
added to the wheel, which is then tagged for this platform and Python. For an editable install
they are written next to the source instead. If compiling fails (no compiler, no Python headers)
the wheel is built without them and ipt_core runs its interpreted builders: the same results,
more slowly. Set ``IPT_CORE_BUILDERS=python`` to build a pure-Python wheel on purpose (the
Pyodide wheel is built so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = ("ipt_core", "boundary", "_fast_native")
SOURCES = ("_fast_native.py", "_native_env.py")


class NativeBuilders(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled builders to a wheel when they can be built."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or not _wanted():
            return
        package = Path(self.root, "src", *MODULE[:-1])
        with tempfile.TemporaryDirectory() as scratch:
            try:
                built = _compile(package, Path(scratch))
            except (OSError, subprocess.CalledProcessError) as exc:
                output = [getattr(exc, "stdout", None), getattr(exc, "stderr", None)]
                detail = "".join(part for part in output if part) or str(exc)
                self.app.display_warning(
                    "ipt_core: the compiled builders could not be built; the interpreted ones will "
                    f"run (same results, slower). {detail[-2000:]}"
                )
                return
            if version == "editable":  # replace what an earlier editable install compiled
                for stale in package.glob(f"{MODULE[-1]}*{_suffix()}"):
                    stale.unlink()
            for path in built:
                if version == "editable":
                    shutil.copy2(path, package / path.name)
                else:
                    kept = Path(self.directory, ".native", path.name)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, kept)
                    build_data["force_include"][str(kept)] = "/".join((*MODULE[:-1], path.name))
        if version != "editable":
            build_data["pure_python"] = False
            build_data["infer_tag"] = True


def _wanted() -> bool:
    return (
        os.environ.get("IPT_CORE_BUILDERS") != "python"
        and sys.implementation.name == "cpython"
        and sys.platform != "emscripten"
    )


def _suffix() -> str:
    return str(sysconfig.get_config_var("EXT_SUFFIX") or ".so")


def _compile(package: Path, scratch: Path) -> list[Path]:
    """Compile the generated module in ``scratch``; the extension modules it made."""
    target = scratch.joinpath(*MODULE[:-1])
    target.mkdir(parents=True)
    for depth in range(1, len(MODULE)):
        scratch.joinpath(*MODULE[:depth], "__init__.py").touch()
    for name in SOURCES:
        shutil.copy2(package / name, target / name)
    subprocess.run(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-m", "mypyc", "/".join(MODULE) + ".py"],
        cwd=scratch,
        check=True,
        capture_output=True,
        text=True,
    )
    built = sorted(target.glob(f"{MODULE[-1]}*{_suffix()}"))
    if not built:
        raise OSError("mypyc made no extension module")
    return built
