"""Put everything the browser example and the Node tests load into ``examples/browser/vendor/``.

Run from a fresh clone after ``npm ci`` in ``js/`` (``make test-js`` does both)::

    python js/prepare.py

It copies Pyodide's core files from ``js/node_modules/pyodide``, builds the ipt_core wheel from the
working tree, downloads the pinned pure-Python wheels of ``js/wheels.txt`` for Pyodide's Python
(hash-checked), and writes ``vendor/wheels.json``, the list the page and the tests install in order.
Nothing is fetched at run time: the page is served from localhost and never leaves it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "js" / "node_modules" / "pyodide"
VENDOR = ROOT / "examples" / "browser" / "vendor"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def _pyodide_python() -> tuple[str, str]:
    """Pyodide's own version and its Python's ``major.minor``."""
    if not (PYODIDE / "pyodide-lock.json").exists():
        sys.exit("js/node_modules/pyodide is missing: run `npm ci` in js/ first (make test-js does)")
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    package = json.loads((PYODIDE / "package.json").read_text(encoding="utf-8"))
    major, minor, *_ = lock["info"]["python"].split(".")
    if (int(major), int(minor)) < (3, 11):
        sys.exit(f"Pyodide's Python {major}.{minor} is older than ipt_core's requires-python >=3.11")
    return str(package["version"]), f"{major}.{minor}"


def _pip(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, env=env)  # noqa: S603 - our own fixed arguments


def main() -> None:
    version, python = _pyodide_python()
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    (VENDOR / "pyodide").mkdir(parents=True)
    wheels = VENDOR / "wheels"
    wheels.mkdir()
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE / name, VENDOR / "pyodide" / name)
    with tempfile.TemporaryDirectory() as scratch:
        # Dependencies first (pinned, hash-checked, pure Python for Pyodide's Python), ipt_core last.
        _pip(
            "download", "--quiet", "--no-deps", "--only-binary=:all:", "--platform", "any",
            "--python-version", python, "--require-hashes", "-r", str(ROOT / "js" / "wheels.txt"),
            "-d", scratch,
        )  # fmt: skip
        dependencies = sorted(Path(scratch).glob("*.whl"))
        # Pure Python: Pyodide runs the interpreted builders (nothing compiled for this machine).
        pure = {**os.environ, "IPT_CORE_BUILDERS": "python"}
        _pip("wheel", "--quiet", "--no-deps", str(ROOT), "-w", scratch, env=pure)
        ours = sorted(set(Path(scratch).glob("*.whl")) - set(dependencies))
        order = [*dependencies, *ours]
        for wheel in order:
            if not wheel.name.endswith("-py3-none-any.whl"):
                sys.exit(f"{wheel.name} is not a pure-Python wheel; Pyodide could not load it")
            shutil.copy2(wheel, wheels / wheel.name)
    manifest = {"pyodide": version, "python": python, "wheels": [w.name for w in order]}
    (VENDOR / "wheels.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in VENDOR.rglob("*") if f.is_file())
    print(
        f"examples/browser/vendor: Pyodide {version} (Python {python}), {len(order)} wheels, {size:,} bytes"
    )


if __name__ == "__main__":
    main()
