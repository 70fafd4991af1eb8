"""The globals of the case's generated builders, read by the compiled builders when imported.

:func:`ipt_core.boundary._native.case_builder` fills :data:`ENVS` (one dict per builder, in the
order of ``_native.tree``) just before it imports the compiled module, once per process.
"""

from __future__ import annotations

from typing import Any

ENVS: list[dict[str, Any]] = []
