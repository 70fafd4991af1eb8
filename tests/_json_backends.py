"""Run the codec under the standard library JSON back end, in a worker process, to compare outcomes.

The worker blocks orjson before importing ipt_core (``sys.modules['orjson'] = None``), which is how
Pyodide looks to ipt_core, and answers requests on its stdin and stdout. The test process itself
keeps orjson, so a test computes an outcome in both and compares them.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import attrs

_HERE = Path(__file__).parent


def blocked(*modules: str) -> str:
    """Python source that makes ``import`` of each module fail, as if it were not installed."""
    return "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in modules)


def loads_outcome(data: Any, cls: type[Any] | None = None, limits: Any = None) -> tuple[Any, ...]:
    """What ``loads`` does with ``data``: the object and its document written back, or the problems
    with every field (path, code, message, expected, allowed, line, column), or the exception."""
    import ipt_core

    try:
        obj = ipt_core.loads(data, cls, limits=limits)
    except ipt_core.ValidationError as exc:
        return ("refused", tuple(attrs.astuple(p) for p in exc.problems))
    except Exception as exc:  # the outcome to compare is the exception's type
        return ("raised", type(exc).__name__)
    return ("loaded", obj, dumps_outcome(obj, limits))


def dumps_outcome(obj: Any, limits: Any = None) -> tuple[Any, ...]:
    """What ``dumps`` does with ``obj``: the bytes, the problems, or the exception's type."""
    import ipt_core

    try:
        return ("written", ipt_core.dumps(obj, limits=limits))
    except ipt_core.ValidationError as exc:
        return ("refused", tuple(attrs.astuple(p) for p in exc.problems))
    except Exception as exc:
        return ("raised", type(exc).__name__)


def _send(stream: IO[bytes], value: Any) -> None:
    body = pickle.dumps(value)
    stream.write(len(body).to_bytes(8, "big") + body)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    return pickle.loads(stream.read(int.from_bytes(head, "big")))  # noqa: S301 - our own worker


class _View:
    """A memoryview across the pipe (a memoryview cannot be pickled): its bytes and format."""

    def __init__(self, view: memoryview) -> None:
        self.data, self.format = view.tobytes(), view.format

    def view(self) -> memoryview:
        return memoryview(self.data).cast(self.format)  # type: ignore[call-overload, no-any-return]


def _portable(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(_View(a) if isinstance(a, memoryview) else a for a in args)


def _restored(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(a.view() if isinstance(a, _View) else a for a in args)


def serve() -> None:
    """The worker's loop: ``(function name, arguments)`` in, the function's result out."""
    from ipt_core.boundary import _json

    functions: dict[str, Callable[..., Any]] = {
        "loads": loads_outcome,
        "dumps": dumps_outcome,
        "backend": lambda: _json.NAME,
    }
    while True:
        try:
            name, batch = _receive(sys.stdin.buffer)
        except EOFError:
            return
        _send(sys.stdout.buffer, [functions[name](*_restored(args)) for args in batch])


class StdlibWorker:
    """A process running ipt_core without orjson; ``worker.loads(...)`` mirrors :func:`loads_outcome`."""

    def __init__(self, *, extra_blocked: tuple[str, ...] = ()) -> None:
        source = blocked("orjson", *extra_blocked) + (
            f"sys.path.insert(0, {str(_HERE)!r})\nimport _json_backends\n_json_backends.serve()\n"
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", source], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def _call(self, name: str, batch: list[tuple[Any, ...]]) -> list[Any]:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        _send(self._process.stdin, (name, [_portable(args) for args in batch]))
        result: list[Any] = _receive(self._process.stdout)
        return result

    def backend(self) -> str:
        found: str = self._call("backend", [()])[0]
        return found

    def loads(self, data: Any, cls: type[Any] | None = None, limits: Any = None) -> tuple[Any, ...]:
        found: tuple[Any, ...] = self._call("loads", [(data, cls, limits)])[0]
        return found

    def loads_many(self, batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return self._call("loads", batch)

    def dumps(self, obj: Any, limits: Any = None) -> tuple[Any, ...]:
        found: tuple[Any, ...] = self._call("dumps", [(obj, limits)])[0]
        return found

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)
