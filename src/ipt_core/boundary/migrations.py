"""Upgrading old documents: a chain of pure ``dict -> dict`` steps, one per schema version.

``upgrade`` runs before validation, so every entry point reads every released version; documents are
always written at the current version. A version newer than this library knows is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from ipt_core.boundary.documents import SCHEMA_VERSION
from ipt_core.errors import ProblemCode, ValidationError

__all__ = ["STEPS", "upgrade"]

Step = Callable[[dict[str, Any]], dict[str, Any]]

STEPS: Final[Mapping[tuple[str, int], Step]] = {}
"""``(kind, version) -> step`` turning a document body of that version into the next version."""


def upgrade(kind: str, version: object, body: dict[str, Any]) -> dict[str, Any]:
    """The document body brought from ``version`` to the current schema version."""
    if type(version) is not int or version < 1:
        raise ValidationError.single(
            "$.schema_version", ProblemCode.UNSUPPORTED_VERSION, "a positive integer version"
        )
    if version > SCHEMA_VERSION:
        raise ValidationError.single(
            "$.schema_version",
            ProblemCode.UNSUPPORTED_VERSION,
            f"newer than this library reads (up to {SCHEMA_VERSION}); upgrade ipt_core",
        )
    while version < SCHEMA_VERSION:
        step = STEPS.get((kind, version))
        if step is None:
            raise ValidationError.single(
                "$.schema_version", ProblemCode.UNSUPPORTED_VERSION, "no upgrade from this version"
            )
        body = step(body)
        version += 1
    return body
