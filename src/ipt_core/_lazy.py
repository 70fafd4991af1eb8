"""Names of a public module imported on first use (PEP 562), so that a program pays for what it uses."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def from_module(
    namespace: dict[str, Any], source: str
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for the module whose globals are ``namespace``: each name of its
    ``__all__`` that it does not define is imported from the module ``source`` when first looked up."""

    def __getattr__(name: str) -> Any:
        if name not in namespace["__all__"]:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        if isinstance(value, type) and "__attrs_attrs__" in value.__dict__:  # help() lists its fields
            from ipt_core._docs import document  # noqa: PLC0415

            document(value)
        namespace[name] = value  # the next look-up finds it without calling here
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace["__all__"]})

    return __getattr__, __dir__
