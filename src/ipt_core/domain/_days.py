"""The day a question is asked about: ``today`` (or ``on``, ``day``) is a calendar date; and the
case it is asked of is a case.

A ``datetime`` is a ``date`` to Python's type checks, but it cannot be compared with the dates a
case records, and which calendar day it falls on depends on a time zone the library cannot know.
So the entry points that take a day refuse one, saying what to pass instead.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from ipt_core.errors import ArgumentKindError

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = ["case_of", "day_of", "setting_of"]


def day_of(value: object, name: str = "today") -> date:
    """``value`` when it is a calendar date (a subclass of ``date`` as the plain date of its day);
    otherwise a ``TypeError`` saying what to pass."""
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not a datetime: pass {name}.date(), the day where the "
            "service is (a datetime's day depends on its time zone)"
        )
    if isinstance(value, date):  # a subclass, as some date libraries give: the plain day
        return date(value.year, value.month, value.day)
    raise TypeError(f"{name} must be a datetime.date, such as date(2025, 3, 3) or date.today()")


def case_of(value: object, name: str = "case") -> Case:
    """``value`` when it is a case; otherwise an :class:`~ipt_core.errors.ArgumentKindError` (a
    ``TypeError``) saying what to pass, naming the type given, never the value (it may be a
    document's text)."""
    from ipt_core.domain.case import Case  # noqa: PLC0415 - case.py imports this module

    return setting_of(value, Case, name, "an ipt_core.Case (ipt_core.loads reads one from a document)")


_T = TypeVar("_T")


def setting_of(value: object, kind: type[_T], name: str, example: str) -> _T:
    """``value`` when it is a ``kind`` (settings, a policy, a protocol, a record); otherwise an
    :class:`~ipt_core.errors.ArgumentKindError` (a ``TypeError`` and a ``ValidationError`` at
    ``$.<name>``) naming the parameter, what to pass (``example``) and the type given, never the
    value. A caller whose parameter may be ``None`` checks that first."""
    if isinstance(value, kind):
        return value
    raise ArgumentKindError(name, example, type(value).__name__)
