"""Root documents: the types that travel on their own, each with a ``kind`` and a ``schema_version``."""

from __future__ import annotations

from typing import Any, Final

from ipt_core.domain.case import Case
from ipt_core.domain.group import Group
from ipt_core.domain.protocols import Protocol

__all__ = ["ROOT_KINDS", "ROOT_TYPES", "SCHEMA_VERSION"]

SCHEMA_VERSION: Final = 1
"""The version of the document format this library writes. See docs/serialisation.md."""

ROOT_KINDS: Final[dict[type[Any], str]] = {Case: "case", Protocol: "protocol", Group: "group"}
"""Each root type and the ``kind`` it carries on the wire."""

ROOT_TYPES: Final[dict[str, type[Any]]] = {kind: cls for cls, kind in ROOT_KINDS.items()}
"""The inverse map: the only types a document's ``kind`` may name."""
