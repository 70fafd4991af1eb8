"""Redaction: a case with its personal and clinical content removed, still valid and still scorable.

Driven by the fields' :class:`~ipt_core.domain._fields.Spec` (``sensitive`` and ``kind``), so a field
marked in the model is redacted without a change here:

- free text is removed (``""``; a required label becomes ``"[redacted]"``; a list of texts becomes
  empty);
- aliases become keyed pseudonyms (HMAC-SHA-256 with the caller's key): the same alias and key
  always give the same pseudonym, so the same person is recognisable across redacted cases;
- the ids of the case and of its records (people, events, problem areas), which a host may have
  chosen to carry meaning (a name, a date), become keyed opaque ids, the same in every reference;
- calendar dates move by one whole number of years, so that treatment starts near
  :data:`EPOCH`, chosen so that every year a date of the case falls in keeps its length: every
  interval in days, the order of events and each date's precision are kept exactly.

Ids of the library's own catalogues (protocol, tasks, instruments, answer options), choices,
numbers and questionnaire answers are kept, so the redacted case loads, dumps, scores and gets
the same suggestions as the original.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Any, Final, TypeVar, cast, overload

import attrs

from ipt_core.domain._fields import spec_of
from ipt_core.domain.case import Case
from ipt_core.domain.group import Group
from ipt_core.domain.timeline import FuzzyDate

__all__ = ["EPOCH", "KEY_MIN_BYTES", "PLACEHOLDER", "checked_key", "opaque_id", "pseudonym", "redact"]

EPOCH: Final = date(2000, 1, 1)
"""Near where the start of treatment falls in a redacted case: in the same or a nearby year
(dates move by whole years, so the day and month of each date are kept)."""
KEY_MIN_BYTES: Final = 16
"""The shortest key accepted (128 bits)."""
_CATALOGUE_REFS: Final = frozenset({"task", "option"})
"""References into the library's own catalogues (a protocol's tasks, an instrument's options),
kept. Every other reference names a record of the case (a person, an event, a problem area, ...),
whose id is replaced, so it is replaced the same way."""
_HMAC_BLOCK: Final = hashlib.sha256().block_size
"""HMAC-SHA-256 first hashes a key longer than this many bytes, and uses the digest as the key."""
PLACEHOLDER: Final = "[redacted]"
"""What a required text (which needs at least one character) becomes."""

T = TypeVar("T")


def checked_key(key: object) -> bytes:
    """``key`` as bytes if it can serve as a secret key, else ``ValueError`` saying why.

    Refused: anything but ``bytes`` or ``bytearray``, fewer than :data:`KEY_MIN_BYTES` bytes, and
    one byte repeated (under such a key, hashing a list of likely names recovers the aliases).
    """
    if not isinstance(key, bytes | bytearray):
        raise ValueError("the key must be bytes (a secret of at least 16 random bytes)")
    if len(key) < KEY_MIN_BYTES:
        raise ValueError(f"the key must be at least {KEY_MIN_BYTES} bytes")
    if len(set(key)) == 1:
        raise ValueError("the key is one byte repeated: use random bytes")
    return bytes(key)


def pseudonym(alias: str, *, key: bytes) -> str:
    """The keyed pseudonym of an alias (``"P-"`` and 16 hex digits of HMAC-SHA-256).

    Canonically equivalent spellings of an alias (Unicode NFC and NFD: "ë" as one character, or as
    "e" and a combining diaeresis, as different keyboards type it) have one pseudonym.
    Raises ``ValueError`` for a weak key (see :func:`redact`).
    """
    if type(alias) is not str:
        raise TypeError(f"alias must be a str, not {type(alias).__name__}")
    text = unicodedata.normalize("NFC", alias).encode("utf-8", "surrogatepass")
    digest = hmac.new(checked_key(key), text, hashlib.sha256).hexdigest()
    return f"P-{digest[:16]}"


def opaque_id(value: str, *, key: bytes) -> str:
    """The keyed opaque id that replaces a record's id (``"r-"`` and 20 hex digits of HMAC-SHA-256).

    Kept apart from :func:`pseudonym`: the same text as an alias and as an id gives unrelated
    results. Raises ``ValueError`` for a weak key.
    """
    if type(value) is not str:
        raise TypeError(f"value must be a str (an id), not {type(value).__name__}")
    message = b"ipt_core id\x00" + value.encode("utf-8", "surrogatepass")
    return "r-" + hmac.new(checked_key(key), message, hashlib.sha256).hexdigest()[:20]


@attrs.frozen
class _Shift:
    """Moves dates by ``years`` whole years (a shift that keeps every year's length)."""

    years: int

    def day(self, value: date) -> date:
        return value.replace(year=value.year + self.years)

    def fuzzy(self, value: FuzzyDate) -> FuzzyDate:
        return FuzzyDate(value.year + self.years, value.month, value.day, value.circa)


@overload
def redact(case: Case, *, key: bytes) -> Case: ...


@overload
def redact(case: Group, *, key: bytes) -> Group: ...


def redact(case: Case | Group, *, key: bytes) -> Case | Group:
    """``case`` without free text, with pseudonymous aliases and ids and its dates moved.

    ``key`` is a secret of the caller's (at least 16 bytes, not one byte repeated): without it
    pseudonyms cannot be recomputed from guessed aliases or ids; a weak key raises ``ValueError``.
    Every interval in days and the order of events are kept, so queries such as ``near_onset``
    and the suggestions give the same answers. Never fails on a valid case.

    A :class:`~ipt_core.Group` is redacted the same way: facilitators' and members' aliases become
    keyed pseudonyms, ids (the members' case ids included) become keyed opaque ids, notes are
    removed, and dates move by whole years so that the group starts near :data:`EPOCH`.
    """
    secret = checked_key(key)
    if len(secret) > _HMAC_BLOCK:  # as HMAC does with such a key on every call (RFC 2104), once here:
        secret = hashlib.sha256(secret).digest()  # the same pseudonyms, at a cost bounded by the key's size
    if not isinstance(case, Case | Group):
        raise TypeError("redact takes a Case or a Group")
    return _redact(case, secret, _Shift(_years_to_move(case)))


def _start_year(obj: Case | Group) -> int:
    if isinstance(obj, Group):
        return (obj.start or EPOCH).year
    return obj.contract.start.year


def _years_to_move(case: Case | Group) -> int:
    """Whole years to move every date by: treatment then starts near :data:`EPOCH`.

    A shift keeps every interval exactly when each year a date of the case falls in has the same
    length as the year it moves to; a multiple of four years does so unless it crosses a century
    year that is not a leap year, and a multiple of 400 years always does. The nearest shift that
    keeps every interval and every year within 1-9999 is taken (no shift at all, if none does).
    """
    years = [value.year for value in _dates(case)]
    if not years:
        return 0
    low, high = min(years), max(years)
    target = EPOCH.year - _start_year(case)
    nearest_4 = 4 * round(target / 4)
    nearest_400 = 400 * round(target / 400)
    candidates = sorted({nearest_4 + 4 * k for k in range(-3, 4)}, key=lambda d: abs(d - target))
    candidates += sorted({nearest_400 + 400 * k for k in range(-2, 3)}, key=lambda d: abs(d - target))
    for shift in candidates:
        if low + shift >= 1 and high + shift <= 9999 and _same_lengths(low, high, shift):
            return shift
    return 0


def _same_lengths(low: int, high: int, shift: int) -> bool:
    if shift % 400 == 0:
        return True
    return all(calendar.isleap(year) == calendar.isleap(year + shift) for year in range(low, high + 1))


def _dates(obj: object) -> Iterator[date]:
    """Every calendar date in ``obj`` (the first and last day an approximate date could be)."""
    cls = type(obj)
    if cls is FuzzyDate:
        fuzzy = cast(FuzzyDate, obj)
        yield fuzzy.earliest
        yield fuzzy.latest
        return
    if isinstance(obj, date):
        yield obj
        return
    if not attrs.has(cls):
        return
    for field in attrs.fields(cls):
        spec = spec_of(field)
        value = getattr(obj, field.name)
        if spec is None or value is None:
            continue
        if spec.kind in ("date", "fuzzy_date", "value"):
            yield from _dates(value)
        elif spec.kind == "items":
            for item in value:
                yield from _dates(item)


_RECORD_IDS: Final = frozenset({"id", "case_id"})
"""Id fields that name a record: a record's own id, and a group member's case id (the id of a
case document, replaced as that case's own id is, so the two still match under one key)."""


def _names_a_record(name: str, spec: Any) -> bool:
    """Whether a field is the id of a record of the case, or a reference to one."""
    if spec.kind == "id":
        return name in _RECORD_IDS
    return bool(spec.kind == "ref" and spec.ref not in _CATALOGUE_REFS)


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
        elif _names_a_record(field.name, spec):
            if isinstance(value, tuple):
                changes[field.name] = tuple(opaque_id(one, key=key) for one in value)
            else:
                changes[field.name] = opaque_id(value, key=key)
        elif spec.kind == "date":
            changes[field.name] = shift.day(value)
        elif spec.kind == "fuzzy_date":
            changes[field.name] = shift.fuzzy(value)
        elif spec.kind == "items":
            changes[field.name] = tuple(_redact(item, key, shift) for item in value)
        elif spec.kind == "value":
            changes[field.name] = _redact(value, key, shift)
    return cast(T, attrs.evolve(cast(Any, obj), **changes))
