"""JSON Schema (draft 2020-12) derived from the attrs model, never written by hand.

Each attrs class becomes a pydantic model built from its fields and their :class:`Spec` metadata;
pydantic then writes the schema. The same derived models can validate documents in pydantic's fast
core. The schemas of the root documents ship in ``ipt_core/schemas/``; a test fails when a shipped
file and the derived schema differ (regenerate with ``python -m ipt_core.boundary.schema``).
"""

from __future__ import annotations

import copy
import json
import sys
import typing
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Final, Literal, Union, cast, get_args, get_origin

import attrs

try:
    import pydantic
except ImportError as error:  # an optional dependency where it has no build (Pyodide)
    raise ModuleNotFoundError(
        "ipt_core.json_schema() derives the schema through pydantic, which is not installed: install it "
        "with `pip install pydantic` (under Pyodide, `micropip.install('pydantic')`); without it, "
        "json_schema() gives the schemas of the root documents (Case, Group, Protocol), which ship "
        "as files in ipt_core/schemas/",
        name="pydantic",
    ) from error

from ipt_core._docs import own_doc
from ipt_core.boundary.codec import to_data
from ipt_core.boundary.documents import ROOT_KINDS, SCHEMA_VERSION
from ipt_core.boundary.shipped import shipped_name, shipped_schema
from ipt_core.domain import _fields as f
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.domain.sessions import Answer, Missing
from ipt_core.domain.timeline import FuzzyDate

__all__ = ["json_schema", "model_for", "shipped_name", "shipped_schema"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID_BASE: Final = "https://ipt-core.org/schemas/"

_CONFIG: Final = pydantic.ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=False)


_YEAR: Final = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH_DAY: Final = (
    "(0[13578]|1[02])(-(0[1-9]|[12][0-9]|3[01]))?"
    "|(0[469]|11)(-(0[1-9]|[12][0-9]|30))?"
    "|02(-(0[1-9]|1[0-9]|2[0-9]))?"
)
FUZZY_DATE_SCHEMA_PATTERN: Final = f"^~?{_YEAR}(-({_MONTH_DAY}))?$"
"""The published form of an approximate date: :data:`FUZZY_DATE_PATTERN` narrowed to years 0001-9999,
months 1-12 and the days each month can have (29 February is allowed in every year: which
years are leap years is left to ``loads``). No look-ahead, so every JSON Schema validator reads it."""


DATE_SCHEMA_PATTERN: Final = f"^{_YEAR}-({_MONTH_DAY.replace(')?', ')')})$"
"""The published form of a calendar date: years 0001-9999, months 1-12, the days each month can
have (29 February in every year, as above)."""
_DATE_SCHEMA: Final = {"type": "string", "format": "date", "pattern": DATE_SCHEMA_PATTERN}


def _field_info(spec: f.Spec | None, default: Any) -> Any:
    kwargs: dict[str, Any] = {}
    if default is not attrs.NOTHING:
        kwargs["default"] = default
    extra: dict[str, Any] = {}
    if spec is not None:
        if spec.description:
            kwargs["description"] = spec.description
        if spec.sensitive:
            extra["x-ipt-sensitive"] = True
        if spec.ref is not None:
            extra["x-ipt-ref"] = spec.ref
    if extra:
        kwargs["json_schema_extra"] = extra
    return pydantic.Field(**kwargs)


def _scalar(tp: Any, spec: f.Spec | None) -> Any:
    """The annotation of one value (not a list) of type ``tp`` under ``spec``'s constraints."""
    if tp is str:
        constraints: dict[str, Any] = {}
        if spec is not None:
            if spec.min_length is not None:
                constraints["min_length"] = spec.min_length
            if spec.max_length is not None:
                constraints["max_length"] = spec.max_length
            if spec.pattern is not None:
                constraints["pattern"] = spec.pattern
        return Annotated[str, pydantic.StringConstraints(**constraints)] if constraints else str
    if tp is int:
        bounds: dict[str, Any] = {}
        if spec is not None and spec.ge is not None:
            bounds["ge"] = spec.ge
        if spec is not None and spec.le is not None:
            bounds["le"] = spec.le
        return Annotated[int, pydantic.Field(**bounds)] if bounds else int
    if tp is FuzzyDate:
        return Annotated[str, pydantic.StringConstraints(pattern=FUZZY_DATE_SCHEMA_PATTERN)]
    if tp is date:  # a calendar date: JSON Schema's format, and a pattern for validators that skip formats
        return Annotated[date, pydantic.WithJsonSchema(_DATE_SCHEMA)]
    if tp is bool:
        return tp
    if tp == Answer:
        ranged = _scalar(int, spec)
        return Union[ranged, Literal[tuple(m.value for m in Missing)], None]  # noqa: UP007
    if tp == ProblemArea:
        members = tuple(model_for(cast(type[Any], cls)) for cls in AREA_TYPES.values())
        return Annotated[Union[members], pydantic.Field(discriminator="area")]  # noqa: UP007
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    if attrs.has(tp):
        return model_for(tp)
    raise TypeError(f"no schema mapping for {tp!r}")


def _annotation(tp: Any, spec: f.Spec | None) -> Any:
    args = get_args(tp)
    if get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        element = _scalar(args[0], spec)
        limit = None if spec is None else spec.max_items
        least = None if spec is None else spec.min_items
        if spec is not None and spec.kind == "enum_items":  # a choice listed twice is refused
            unique = pydantic.Field(max_length=limit, json_schema_extra={"uniqueItems": True})
            return Annotated[list[element], unique]  # type: ignore[valid-type]
        bounds = pydantic.Field(min_length=least, max_length=limit)
        return Annotated[list[element], bounds]  # type: ignore[valid-type]
    if tp != Answer and len(args) == 2 and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return Union[_scalar(inner, spec), None]  # noqa: UP007
    return _scalar(tp, spec)


def _is_nullable(tp: Any) -> bool:
    args = get_args(tp)
    return tp != Answer and len(args) == 2 and type(None) in args


def _non_null(tp: Any) -> Any:
    (inner,) = (a for a in get_args(tp) if a is not type(None))
    return inner


def _absent_field_info(spec: f.Spec) -> Any:
    """A field that may be left out (it then holds its default) but is never null."""
    extra: dict[str, Any] = {"x-ipt-sensitive": True} if spec.sensitive else {}

    def schema_extra(schema: dict[str, Any]) -> None:
        schema.pop("default", None)
        schema.update(extra)

    return pydantic.Field(default=None, description=spec.description, json_schema_extra=schema_extra)


def _default(field: attrs.Attribute[Any]) -> Any:
    default = field.default
    if default is attrs.NOTHING:
        return attrs.NOTHING
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()  # type: ignore[union-attr]
    return to_data(default) if attrs.has(type(default)) else _plain(default)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


_MODELS: Final[dict[type[Any], type[pydantic.BaseModel]]] = {}
"""Derived models, memoised: the model is a pure function of the (immutable) class definition."""


def model_for(cls: type[Any]) -> type[pydantic.BaseModel]:
    """The pydantic model derived from the attrs class ``cls`` (derived once, then reused)."""
    model = _MODELS.get(cls)
    if model is None:
        model = _MODELS[cls] = _derive_model(cls)
    return model


def _derive_model(cls: type[Any]) -> type[pydantic.BaseModel]:
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    kind = ROOT_KINDS.get(cls)
    if kind is not None:
        fields["kind"] = (Literal[kind], pydantic.Field(description="The document's kind."))
        fields["schema_version"] = (
            Literal[SCHEMA_VERSION],
            pydantic.Field(description="The document format version."),
        )
    area_kind = getattr(cls, "KIND", None)
    if area_kind is not None and cls in AREA_TYPES.values():
        fields["area"] = (Literal[area_kind.value], pydantic.Field(description="The area's tag."))
    for field in attrs.fields(cls):
        spec = f.spec_of(field)
        tp = hints[field.name]
        if spec is not None and spec.omit_default and _is_nullable(tp):
            # Written only when set, never as null: the key may be absent, and is not null.
            fields[field.name] = (_scalar(_non_null(tp), spec), _absent_field_info(spec))
            continue
        required = spec is not None and spec.min_items  # its empty default is refused: the key is needed
        fields[field.name] = (
            _annotation(tp, spec),
            _field_info(spec, attrs.NOTHING if required else _default(field)),
        )
    doc = own_doc(cls)  # without the field list help() shows: each field has its own description
    return pydantic.create_model(cls.__name__, __config__=_CONFIG, __doc__=doc, **fields)


def _derive(cls: type[Any]) -> dict[str, Any]:
    schema = pydantic.TypeAdapter(model_for(cls)).json_schema(mode="validation")
    kind = ROOT_KINDS.get(cls, cls.__name__)
    return {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_ID_BASE}{kind}.v{SCHEMA_VERSION}.json",
        **schema,
    }


_SCHEMAS: Final[dict[type[Any], str]] = {}


def _derived(cls: type[Any]) -> str:
    text = _SCHEMAS.get(cls)
    if text is None:
        text = _SCHEMAS[cls] = json.dumps(_derive(cls), sort_keys=True)
    return text


def json_schema(cls: type[Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``cls`` (default: the ``Case`` document).

    For a root document the schema includes its ``kind`` and ``schema_version``. The result is a
    fresh dict the caller may change.
    """
    if cls is None:
        from ipt_core.domain.case import Case  # noqa: PLC0415 - the default root

        cls = Case
    if not (isinstance(cls, type) and attrs.has(cls)):  # an instance has attrs' fields too
        raise TypeError("json_schema takes an ipt_core domain class")
    return copy.deepcopy(json.loads(_derived(cls)))


def render(cls: type[Any]) -> str:
    """The schema as the stable, pretty text that ships in the package."""
    return json.dumps(json_schema(cls), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _write_shipped(folder: Path) -> None:
    for cls, kind in ROOT_KINDS.items():
        (folder / shipped_name(kind)).write_text(render(cls), encoding="utf-8")


if __name__ == "__main__":
    _write_shipped(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "schemas")
