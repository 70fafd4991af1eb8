"""The codec's detailed path: one strict cattrs converter that finds every problem, with its path.

It runs when the fast path (``_fast``) declines a document, and for :func:`~ipt_core.boundary.codec.to_data`;
it is imported on first need, so ``import ipt_core`` does not import cattrs. Loading is strict:
exact JSON types (a boolean is not a number, a number is not a text), unknown keys refused,
closed tagged unions with an explicit tag map, dates in one form only. Problems carry codes and
paths only, never a value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, Final, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ipt_core.boundary._fast import DATE_RE
from ipt_core.boundary.codec import _Bad
from ipt_core.domain._fields import spec_of
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.domain.sessions import Answer, Missing
from ipt_core.domain.timeline import FuzzyDate
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["CONVERTER", "STRUCTURE_ERRORS", "problems"]


# -- structure hooks (strict) -------------------------------------------------------------------


def _str(value: object, _: object) -> str:
    if type(value) is str:
        return value
    raise _Bad(ProblemCode.WRONG_TYPE, "expected a string")


def _int(value: object, _: object) -> int:
    if type(value) is int:
        return value
    raise _Bad(ProblemCode.WRONG_TYPE, "expected an integer")


def _bool(value: object, _: object) -> bool:
    if type(value) is bool:
        return value
    raise _Bad(ProblemCode.WRONG_TYPE, "expected true or false")


def _date(value: object, _: object) -> date:
    if type(value) is not str:
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a date string")
    if not DATE_RE.fullmatch(value):
        raise _Bad(ProblemCode.PATTERN, "a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    raise _Bad(ProblemCode.INVALID_VALUE, "no such date")


def _fuzzy_date(value: object, _: object) -> FuzzyDate:
    if type(value) is not str:
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a date string")
    return FuzzyDate.parse(value)


def _answer(value: object, _: object) -> Answer:
    if value is None or type(value) is int:
        return cast(Answer, value)
    if type(value) is str:
        member = Missing._value2member_map_.get(value)
        if member is not None:
            return cast(Missing, member)
        raise _Bad(ProblemCode.NOT_ALLOWED, "skipped, declined, unknown, an integer or null")
    raise _Bad(ProblemCode.WRONG_TYPE, "an integer, a missing reason or null")


def _enum_hook(enum: type[Enum]) -> Callable[[object, object], Enum]:
    members = enum._value2member_map_

    def structure(value: object, _: object) -> Enum:
        if type(value) is str:
            member = members.get(value)
            if member is not None:
                return member
            raise _Bad(ProblemCode.NOT_ALLOWED, f"one of the {enum.__name__} values")
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a string")

    return structure


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_optional(tp: Any) -> bool:
    args = get_args(tp)
    return len(args) == 2 and type(None) in args and tp != Answer


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(date, _date)
    conv.register_structure_hook(FuzzyDate, _fuzzy_date)
    conv.register_structure_hook_func(lambda t: t == Answer, _answer)
    conv.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, Enum), _enum_hook)

    def tuple_factory(tp: Any) -> Callable[[object, object], tuple[Any, ...]]:
        element = get_args(tp)[0]
        inner = conv.get_structure_hook(element)

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected a list")
            out: list[Any] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(inner(item, element))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ index {i}", i, element))
                    errors.append(exc)
            if errors:
                raise IterableValidationError("list", errors, tp)
            return tuple(out)

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_tuple, tuple_factory)

    def optional_factory(tp: Any) -> Callable[[object, object], Any]:
        (element,) = (a for a in get_args(tp) if a is not type(None))
        inner = conv.get_structure_hook(element)

        def structure(value: object, _: object) -> Any:
            return None if value is None else inner(value, element)

        return structure

    conv.register_structure_hook_factory(_is_optional, optional_factory)

    def not_null(tp: Any) -> Callable[[object, object], Any]:
        # A field written only when set (``omit_default``) is never null in a written document.
        (element,) = (a for a in get_args(tp) if a is not type(None))
        inner = conv.get_structure_hook(element)

        def structure(value: object, _: object) -> Any:
            if value is None:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected an object; leave the key out for none")
            return inner(value, element)

        return structure

    def attrs_factory(cls: type[Any]) -> Callable[[object, object], Any]:
        omitted = {
            f.name: override(struct_hook=not_null(f.type))
            for f in attrs.fields(cls)
            if (spec := spec_of(f)) is not None and spec.omit_default and _is_optional(f.type)
        }
        generated = make_dict_structure_fn(cls, conv, **omitted)  # type: ignore[arg-type]

        def structure(value: object, _: object) -> Any:
            if type(value) is not dict:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected an object")
            return generated(value, cls)

        return structure

    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t is not FuzzyDate and not getattr(t, "__parameters__", ()),
        attrs_factory,
    )

    # The problem-area union: an explicit tag map, never "whatever class this string names".
    area_hooks = {kind.value: conv.get_structure_hook(cls) for kind, cls in AREA_TYPES.items()}
    area_classes = {kind.value: cls for kind, cls in AREA_TYPES.items()}

    def structure_area(value: object, _: object) -> ProblemArea:
        if type(value) is not dict:
            raise _Bad(ProblemCode.WRONG_TYPE, "expected an object")
        tag = value.get("area")
        if tag is None:
            raise _Bad(ProblemCode.MISSING, "an 'area' tag")
        if type(tag) is not str or tag not in area_hooks:
            raise _Bad(ProblemCode.NOT_ALLOWED, "an 'area' tag naming a known problem area")
        body = {k: v for k, v in value.items() if k != "area"}
        return cast(ProblemArea, area_hooks[tag](body, area_classes[tag]))

    conv.register_structure_hook_func(lambda t: t == ProblemArea, structure_area)

    # -- unstructuring ---------------------------------------------------------------------------
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(FuzzyDate, str)

    def omitting(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        # Fields added to a released format are written only when set (as the fast dumper does).
        overrides = {
            f.name: override(omit_if_default=True)
            for f in attrs.fields(cls)
            if (spec := spec_of(f)) is not None and spec.omit_default
        }
        return make_dict_unstructure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

    conv.register_unstructure_hook_factory(
        lambda t: attrs.has(t) and any(getattr(spec_of(f), "omit_default", False) for f in attrs.fields(t)),
        omitting,
    )
    for kind, cls in AREA_TYPES.items():
        body_fn = make_dict_unstructure_fn(cls, conv)

        def unstructure_area(
            obj: Any, _tag: str = kind.value, _fn: Callable[[Any], dict[str, Any]] = body_fn
        ) -> dict[str, Any]:
            return {"area": _tag, **_fn(obj)}

        conv.register_unstructure_hook(cls, unstructure_area)
    return conv


CONVERTER: Final = _make_converter()


# -- errors -------------------------------------------------------------------------------------


def problems(exc: BaseException, path: str) -> list[Problem]:
    """Turn the exception tree cattrs raised into problems (codes and paths only)."""
    if isinstance(exc, ValidationError):
        return [p.under(path) for p in exc.problems]
    if isinstance(exc, _Bad):
        return [Problem(path, exc.code, exc.message)]
    if isinstance(exc, ForbiddenExtraKeysError):
        # The key itself came from the input, so it is not repeated here.
        return [Problem(path, ProblemCode.UNKNOWN_KEY, "a key this object does not define")]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        for sub in exc.exceptions:
            found.extend(problems(sub, _sub_path(sub, path)))
        return found
    if isinstance(exc, KeyError):
        return [Problem(path, ProblemCode.MISSING, "a required field is absent")]
    return [Problem(path, ProblemCode.INVALID_VALUE)]


def _sub_path(exc: BaseException, path: str) -> str:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return f"{path}.{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"{path}[{note.index}]"
    return path


STRUCTURE_ERRORS: Final = (ClassValidationError, IterableValidationError, _Bad, ValidationError)
"""What :data:`CONVERTER` raises for a document it refuses (read by :func:`problems`)."""
