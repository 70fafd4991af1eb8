"""The JSON Schemas of the root documents as they ship in the package (``ipt_core/schemas/``).

They are the schemas :func:`ipt_core.json_schema` derives through pydantic, written out (a test
fails when a file and the derived schema differ), so they are read here with nothing but the
standard library: where pydantic is not installed (Pyodide), ``json_schema()`` of a root document
returns them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ipt_core.boundary.documents import SCHEMA_VERSION

__all__ = ["shipped_name", "shipped_schema"]


def shipped_name(kind: str) -> str:
    """The file name of a root document's shipped schema."""
    return f"{kind}.v{SCHEMA_VERSION}.schema.json"


def shipped_schema(kind: str) -> dict[str, Any]:
    """The schema shipped in the package for the root document ``kind`` (read from package data)."""
    text = resources.files("ipt_core").joinpath("schemas", shipped_name(kind)).read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result
