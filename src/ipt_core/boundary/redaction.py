"""Redaction: a case with its personal and clinical content removed, still valid and still scorable.

Driven by the fields' :class:`~ipt_core.domain._fields.Spec` (``sensitive`` and ``kind``), so a field
marked in the model is redacted without a change here:

- free text is removed (``""``; a required label becomes ``"[redacted]"``; a list of texts becomes
  empty);
- aliases become keyed pseudonyms (HMAC-SHA-256 with the caller's key): the same alias and key
  always give the same pseudonym, so the same person is recognisable across redacted cases;
- calendar dates move so that the start of treatment falls on :data:`EPOCH`: intervals, order and
  precision are kept (a month stays a month, a year a year).

Ids, references, choices, numbers and questionnaire answers are kept, so the redacted case loads,
dumps and scores exactly as the original.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Any, Final, TypeVar, cast, overload

import attrs

from ipt_core.domain._fields import spec_of
from ipt_core.domain.case import Case
from ipt_core.domain.group import Group
from ipt_core.domain.timeline import FuzzyDate

__all__ = ["EPOCH", "PLACEHOLDER", "pseudonym", "redact"]

EPOCH: Final = date(2000, 1, 1)
"""Where the start of treatment falls in a redacted case."""
PLACEHOLDER: Final = "[redacted]"
"""What a required text (which needs at least one character) becomes."""

T = TypeVar("T")


def pseudonym(alias: str, *, key: bytes) -> str:
    """The keyed pseudonym of an alias (``"P-"`` and 16 hex digits of HMAC-SHA-256)."""
    digest = hmac.new(key, alias.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return f"P-{digest[:16]}"


@attrs.frozen
class _Shift:
    """Moves dates so that ``start`` lands on :data:`EPOCH`, at each date's own precision."""

    start: date

    def day(self, value: date) -> date:
        return EPOCH + (value - self.start)

    def fuzzy(self, value: FuzzyDate) -> FuzzyDate:
        if value.day is not None and value.month is not None:
            moved = self.day(date(value.year, value.month, value.day))
            return FuzzyDate(moved.year, moved.month, moved.day, value.circa)
        year = value.year - self.start.year + EPOCH.year
        if value.month is None:
            return FuzzyDate(year, None, None, value.circa)
        months = year * 12 + (value.month - 1) - (self.start.month - 1) + (EPOCH.month - 1)
        return FuzzyDate(months // 12, months % 12 + 1, None, value.circa)


@overload
def redact(case: Case, *, key: bytes) -> Case: ...


@overload
def redact(case: Group, *, key: bytes) -> Group: ...


def redact(case: Case | Group, *, key: bytes) -> Case | Group:
    """``case`` without free text, with pseudonymous aliases and dates relative to treatment start.

    ``key`` is a secret of the caller's (at least 16 bytes): without it pseudonyms cannot be
    recomputed from guessed aliases. Raises ``OverflowError`` only if a date lies thousands of
    years from the start of treatment.

    A :class:`~ipt_core.Group` is redacted the same way: facilitators' and members' aliases become
    keyed pseudonyms, notes are removed, and dates move so that the group's earliest recorded date
    falls on :data:`EPOCH`.
    """
    if not isinstance(key, bytes | bytearray) or len(key) < 16:
        raise ValueError("key must be at least 16 bytes")
    if isinstance(case, Group):
        return _redact(case, bytes(key), _Shift(case.start or EPOCH))
    if not isinstance(case, Case):
        raise TypeError("redact takes a Case or a Group")
    return _redact(case, bytes(key), _Shift(case.contract.start))


def _redact(obj: T, key: bytes, shift: _Shift) -> T:
    cls = type(obj)
    if not attrs.has(cls) or cls is FuzzyDate:
        return obj
    changes: dict[str, Any] = {}
    for field in attrs.fields(cls):
        spec = spec_of(field)
        if spec is None:
            continue
        value = getattr(obj, field.name)
        if value is None:
            continue
        if spec.kind == "text" and spec.sensitive:
            if isinstance(value, tuple):
                changes[field.name] = ()
            else:
                changes[field.name] = PLACEHOLDER if (spec.min_length or 0) > 0 else ""
        elif spec.kind == "alias":
            changes[field.name] = pseudonym(value, key=key)
        elif spec.kind == "date" and spec.sensitive:
            changes[field.name] = shift.day(value)
        elif spec.kind == "fuzzy_date":
            changes[field.name] = shift.fuzzy(value)
        elif spec.kind == "items":
            changes[field.name] = tuple(_redact(item, key, shift) for item in value)
        elif spec.kind == "value":
            changes[field.name] = _redact(value, key, shift)
    return cast(T, attrs.evolve(cast(Any, obj), **changes))
