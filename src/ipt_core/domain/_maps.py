"""Pickling and copying for frozen records that hold read-only maps.

A record keeps a map as a read-only view (``types.MappingProxyType``), which cannot be pickled or
deep-copied. Records holding one reduce themselves to their class and their fields, each map as a
plain ``dict``: unpickling or copying builds the record again, through its checks.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["reduce_record"]


def reduce_record(self: Any) -> tuple[Any, tuple[Any, ...]]:
    """``__reduce__`` for an attrs record whose fields include read-only maps."""
    cls = type(self)
    values = {}
    for field in attrs.fields(cls):
        if field.init:
            value = getattr(self, field.name)
            values[field.alias] = dict(value) if type(value) is MappingProxyType else value
    return _rebuild, (cls, values)


def _rebuild(cls: Any, values: dict[str, Any]) -> Any:
    return cls(**values)
