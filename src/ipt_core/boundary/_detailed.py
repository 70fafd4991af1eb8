"""The codec's detailed path: one strict cattrs converter that finds every problem, with its path.

It runs when the fast path (``_fast``) declines a document, and for :func:`~ipt_core.boundary.codec.to_data`;
it is imported on first need, so ``import ipt_core`` does not import cattrs. Loading is strict:
exact JSON types (a boolean is not a number, a number is not a text), unknown keys refused,
closed tagged unions with an explicit tag map, dates in one form only. Problems carry codes and
paths only, never a value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from enum import Enum, StrEnum
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

from ipt_core import _hints
from ipt_core.boundary._fast import DATE_RE
from ipt_core.boundary.codec import _Bad
from ipt_core.domain._fields import spec_of
from ipt_core.domain.problem_areas import AREA_TYPES, ProblemArea
from ipt_core.domain.sessions import Answer, Missing
from ipt_core.domain.timeline import FuzzyDate
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = ["CONVERTER", "STRUCTURE_ERRORS", "budget", "problems"]


# -- the problem budget ---------------------------------------------------------------------------
#
# A document may hold millions of wrong values within the size limit. Each problem found is
# counted against a per-document budget; once it is spent, lists stop walking their items and
# records stop checking their fields, so the cost of a refusal is bounded by the budget, not by
# the input. Lists longer than their field allows are refused by length, before any item.

_BUDGET: ContextVar[list[int] | None] = ContextVar("ipt_core_problem_budget", default=None)
_GROUPS: Final = (ClassValidationError, IterableValidationError)


@contextmanager
def budget(most: int) -> Iterator[list[int]]:
    """Within the block, structuring stops once ``most`` problems are found: ``[found, most]``."""
    spent = [0, most]
    token = _BUDGET.set(spent)
    try:
        yield spent
    finally:
        _BUDGET.reset(token)


def _spend(count: int) -> None:
    spent = _BUDGET.get()
    if spent is not None:
        spent[0] += count


def _exhausted() -> bool:
    spent = _BUDGET.get()
    return spent is not None and spent[0] >= spent[1]


def _leaves(errors: list[Exception] | tuple[Exception, ...]) -> int:
    """Problems raised directly at this level (groups below counted their own)."""
    count = 0
    for error in errors:
        if isinstance(error, ValidationError):
            count += len(error.problems)
        elif not isinstance(error, _GROUPS):
            count += 1
    return count


def _stop() -> _Bad:
    return _Bad(ProblemCode.TOO_MANY_PROBLEMS, "checking stopped at the problem limit")


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
        reasons = _hints.enum_values(Missing)
        raise _Bad(
            ProblemCode.NOT_ALLOWED,
            f"an integer, null, or a missing reason: {_hints.listed(reasons)}",
            allowed=reasons,
        )
    raise _Bad(ProblemCode.WRONG_TYPE, "an integer, a missing reason or null")


def _enum_hook(enum: type[Enum]) -> Callable[[object, object], Enum]:
    members = enum._value2member_map_
    allowed = _hints.enum_values(enum)

    def structure(value: object, _: object) -> Enum:
        if type(value) is str:
            member = members.get(value)
            if member is not None:
                return member
            raise _Bad(
                ProblemCode.NOT_ALLOWED, _hints.closed_set(enum.__name__, allowed, value), allowed=allowed
            )
        raise _Bad(ProblemCode.WRONG_TYPE, "expected a string")

    return structure


def _bounded_lists(cls: type[Any]) -> list[tuple[str, int]]:
    """The fields of ``cls`` that hold a list with a largest length, and that length."""
    found: list[tuple[str, int]] = []
    for field in attrs.fields(cls):
        spec = spec_of(field)
        if spec is not None and spec.max_items is not None:
            found.append((field.name, spec.max_items))
    return found


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
    # A StrEnum is a str too: without this, the str hook above would take it (StrEnum comes
    # before str in its MRO, so this one is found first) and leave a plain text in the record.
    str_enum_hooks: dict[type[Enum], Callable[[object, object], Enum]] = {}

    def structure_str_enum(value: object, cls: type[Enum]) -> Enum:
        hook = str_enum_hooks.get(cls)
        if hook is None:
            hook = str_enum_hooks[cls] = _enum_hook(cls)
        return hook(value, cls)

    conv.register_structure_hook(StrEnum, structure_str_enum)

    def tuple_factory(tp: Any) -> Callable[[object, object], tuple[Any, ...]]:
        element = get_args(tp)[0]
        inner = conv.get_structure_hook(element)

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected a list")
            if _exhausted():
                raise _stop()
            out: list[Any] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(inner(item, element))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"@ index {i}", i, element))
                    errors.append(exc)
                    _spend(_leaves([exc]))
                    if _exhausted():
                        errors.append(_stop())
                        break
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
        bounded = _bounded_lists(cls)

        def structure(value: object, _: object) -> Any:
            if type(value) is not dict:
                raise _Bad(ProblemCode.WRONG_TYPE, "expected an object")
            if _exhausted():
                raise _stop()
            too_long = [
                Problem(f"$.{name}", ProblemCode.TOO_LONG, f"at most {most} items")
                for name, most in bounded
                if type(found := value.get(name)) is list and len(found) > most
            ]
            if too_long:  # refused by length, before any item is read
                raise ValidationError(too_long)
            try:
                return generated(value, cls)
            except ClassValidationError as exc:
                _spend(_leaves(exc.exceptions))
                raise

        return structure

    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t is not FuzzyDate and not getattr(t, "__parameters__", ()),
        attrs_factory,
    )

    # The problem-area union: an explicit tag map, never "whatever class this string names".
    area_hooks = {kind.value: conv.get_structure_hook(cls) for kind, cls in AREA_TYPES.items()}
    area_classes = {kind.value: cls for kind, cls in AREA_TYPES.items()}
    area_tags = tuple(area_classes)

    def structure_area(value: object, _: object) -> ProblemArea:
        if type(value) is not dict:
            raise _Bad(ProblemCode.WRONG_TYPE, "expected an object")
        tag = value.get("area")
        if tag is None:
            raise _Bad(ProblemCode.MISSING, "an 'area' tag: " + _hints.listed(area_tags), allowed=area_tags)
        if type(tag) is not str or tag not in area_hooks:
            raise _Bad(
                ProblemCode.NOT_ALLOWED,
                "an 'area' tag naming a known problem area: " + _hints.closed_set("area", area_tags, tag),
                allowed=area_tags,
            )
        body = {k: v for k, v in value.items() if k != "area"}
        return cast(ProblemArea, area_hooks[tag](body, area_classes[tag]))

    conv.register_structure_hook_func(lambda t: t == ProblemArea, structure_area)

    # A problem area read on its own (``loads(text, RoleDispute)``) may carry the "area" tag that
    # ``dumps`` writes for it, naming its own class; a document without the tag is read as before.
    for kind, cls in AREA_TYPES.items():

        def structure_one_area(
            value: object, _: object, _tag: str = kind.value, _cls: type[Any] = cls
        ) -> ProblemArea:
            if type(value) is dict and "area" in value:
                if value["area"] != _tag:
                    message = "the 'area' tag of this problem area: " + _tag
                    raise ValidationError(
                        [Problem("$.area", ProblemCode.NOT_ALLOWED, message, allowed=(_tag,))]
                    )
                value = {k: v for k, v in value.items() if k != "area"}
            return cast(ProblemArea, area_hooks[_tag](value, _cls))

        conv.register_structure_hook(cls, structure_one_area)

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
        return [exc.problem(path)]
    if isinstance(exc, ForbiddenExtraKeysError):
        # The key itself came from the input, so it is not repeated here: only the allowed keys.
        message, allowed = _hints.unknown_keys(exc.cl, exc.extra_fields)
        return [Problem(path, ProblemCode.UNKNOWN_KEY, message, allowed=allowed)]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        for sub in exc.exceptions:
            found.extend(problems(sub, _sub_path(sub, path)))
        return found
    if isinstance(exc, KeyError):
        return [Problem(path, ProblemCode.MISSING, "a required field is absent; add it")]
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
