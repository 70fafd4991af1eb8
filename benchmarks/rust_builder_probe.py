"""How much a validator written in Rust would gain over the generated builders, record by record.

The codec's fast path parses with orjson and builds each record with a builder generated in
Python (``ipt_core.boundary._fast``). The other construction within reach of the packages the
library already uses is pydantic-core, the Rust core of pydantic: it parses and validates JSON
and can build the same frozen records itself (``dataclass_schema`` sets the validated fields as
the record's ``__dict__``, as the builders do). This probe derives a pydantic-core schema from
each field's ``Spec`` (types, lengths, ranges, id patterns, enums, nested records, lists as
tuples) and times, on the bytes of real records of the sample cases:

- ``orjson.loads`` alone;
- ``orjson.loads`` + the generated builder (what ``loads`` does for that record);
- pydantic-core's ``validate_json`` building the same record from the same bytes.

The pydantic-core side does less than the builders: it gathers no references, does not count
keys (a repeated key passes it: the last one is kept), does not check answers against their
instrument, lets any envelope or area tag through, and runs no invariants (a record's own, or a
case's). Whole documents are timed too, beside ``ipt_core.loads``. What the two sides build is
compared for equality first. Nothing is asserted; private names of the codec are used.

Run: ``python benchmarks/rust_builder_probe.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import types
from collections.abc import Callable
from enum import Enum
from typing import Any, Union, get_args, get_origin

import attrs
import orjson
import pydantic_core
from loads_profile import per_document
from pydantic_core import CoreSchema, SchemaValidator
from pydantic_core import core_schema as cs

import ipt_core
from ipt_core.boundary import _fast, codec
from ipt_core.domain._fields import ID_PATTERN, spec_of
from ipt_core.domain.case import Case
from ipt_core.domain.inventory import Person
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.domain.sessions import ANSWER_MAX, Missing, SessionRecord
from ipt_core.domain.timeline import FuzzyDate
from ipt_core.testing import sample_case, sample_cohort


def _optional(tp: Any) -> tuple[Any, bool]:
    if get_origin(tp) in (Union, types.UnionType) and type(None) in get_args(tp):
        rest = [a for a in get_args(tp) if a is not type(None)]
        return rest[0], True
    return tp, False


def _element(tp: Any) -> Any:
    return get_args(tp)[0]


def _text(spec: Any) -> CoreSchema:
    return cs.str_schema(min_length=spec.min_length or 0, max_length=spec.max_length, strict=True)


def _identifier() -> CoreSchema:
    return cs.str_schema(pattern=ID_PATTERN, strict=True)


def _enum(tp: type[Enum]) -> CoreSchema:
    return cs.enum_schema(tp, list(tp), sub_type="str", strict=False)


def _many(item: CoreSchema, spec: Any) -> CoreSchema:
    return cs.tuple_schema([item], variadic_item_index=0, max_length=spec.max_items)


def _area_schema() -> CoreSchema:
    choices = {kind.value: record_schema(cls, tag="area") for kind, cls in AREA_TYPES.items()}
    return cs.tagged_union_schema(choices, discriminator="area")


def _sub(tp: Any) -> CoreSchema:
    return _area_schema() if tp == ProblemArea else record_schema(tp)


def _field_schema(spec: Any, tp: Any) -> CoreSchema:
    kind = spec.kind
    scalar = spec.max_items is None
    if kind in ("text", "alias"):
        return _text(spec) if scalar else _many(_text(spec), spec)
    if kind in ("id", "ref"):
        return _identifier() if scalar else _many(_identifier(), spec)
    if kind == "int":
        return cs.int_schema(ge=spec.ge, le=spec.le, strict=True)
    if kind == "bool":
        return cs.bool_schema(strict=True)
    if kind == "enum":
        return _enum(tp)
    if kind == "enum_items":
        return cs.tuple_schema([_enum(_element(tp))], variadic_item_index=0)
    if kind == "date":
        return cs.date_schema(strict=True)
    if kind == "fuzzy_date":  # read by the library's own parser, as the builder does
        return cs.no_info_after_validator_function(FuzzyDate.parse, cs.str_schema(strict=True))
    if kind == "answers":  # integers in range, null or a reason (the builder also checks the fit)
        answer = cs.int_schema(ge=-ANSWER_MAX, le=ANSWER_MAX, strict=True)
        reason = _enum(Missing)
        return cs.tuple_schema([cs.nullable_schema(cs.union_schema([answer, reason]))], variadic_item_index=0)
    if kind == "value":
        return _sub(tp)
    if kind == "items":
        return _many(_sub(_element(tp)), spec)
    raise TypeError(f"no probe schema for kind {kind!r}")


def record_schema(cls: type[Any], *, tag: str = "") -> CoreSchema:
    """A pydantic-core schema building ``cls`` from its fields' ``Spec``s; ``tag``, a key beside
    the fields (a problem area's ``area``; a document's envelope is let through)."""
    attrs.resolve_types(cls)
    fields = []
    for field in attrs.fields(cls):
        spec = spec_of(field)
        if spec is None:
            raise TypeError(f"{cls.__name__}.{field.name} has no Spec")
        tp, nullable = _optional(field.type)
        schema = _field_schema(spec, tp)
        if nullable:
            schema = cs.nullable_schema(schema)
        if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            schema = cs.with_default_schema(schema, default=field.default)
        fields.append(cs.dataclass_field(field.name, schema))
    arguments = cs.dataclass_args_schema(cls.__name__, fields, extra_behavior="ignore" if tag else "forbid")
    names = [f.name for f in attrs.fields(cls)]
    return cs.dataclass_schema(cls, arguments, names, slots=False, frozen=False)


def probe(cls: type[Any], raws: list[bytes], rounds: int, number: int) -> None:
    document = cls is Case
    validator = SchemaValidator(record_schema(cls, tag="kind" if document else ""))
    build = codec._fast_builder(cls)[0] if document else _fast.builder(cls)  # type: ignore[index]

    def ours(raw: bytes) -> object:
        return build(orjson.loads(raw), _fast.context())

    def rust(raw: bytes) -> object:
        return validator.validate_json(raw, strict=True)

    for raw in raws:
        if ours(raw) != rust(raw):
            raise SystemExit(f"{cls.__name__}: the two constructions differ")
    parts: dict[str, Callable[[bytes], object]] = {"json.loads": json.loads, "orjson.loads": orjson.loads}
    if document:
        parts["ipt_core.loads"] = ipt_core.loads
    parts |= {"orjson.loads + builders": ours, "pydantic-core": rust}
    best = {name: float("inf") for name in parts}
    for _ in range(rounds):
        for name, function in parts.items():
            best[name] = min(best[name], per_document(function, raws, number))
    size = sum(map(len, raws)) / len(raws)
    print(f"{cls.__name__}: {len(raws)} {'documents' if document else 'records'} of {size:.0f} bytes")
    for name in parts:
        ratio = best[name] / best["json.loads"]
        print(f"  {name:24s} {best[name]:8.2f} us  {ratio:5.2f}x json.loads")
    ratio = best["orjson.loads + builders"] / best["pydantic-core"]
    print(f"  the builders' time is {ratio:.2f}x pydantic-core's")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    args = parser.parse_args(argv)
    rounds, number = (3, 20) if args.quick else (9, 60)
    cases = [sample_case(sessions=16, seed=seed) for seed in range(4)] + list(sample_cohort(40))

    def written(record: object) -> bytes:
        return orjson.dumps(record, default=_fast.encode_default)

    people = [written(p) for c in cases for p in c.inventory.people]
    sessions = [written(s) for c in cases for s in c.sessions]
    versions = f"pydantic-core {pydantic_core.__version__}, ipt_core {ipt_core.__version__}"
    print(f"python {platform.python_version()}, {versions}")
    probe(Person, people, rounds, number)
    probe(SessionRecord, sessions, rounds, number)
    small = [ipt_core.dumps(sample_case(sessions=2, seed=seed)) for seed in range(6)]
    probe(Case, small, rounds, number)
    probe(Case, [ipt_core.dumps(case) for case in sample_cohort(120)], rounds, max(1, number // 10))
    return 0


if __name__ == "__main__":
    sys.exit(main())
