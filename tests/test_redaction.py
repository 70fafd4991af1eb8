"""Redaction: valid, round-trips, no sentinel survives, keyed pseudonyms, answers and intervals kept."""

from __future__ import annotations

import unicodedata

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import SENTINEL, fill_sentinels, rich_case
from ipt_core import Case
from ipt_core.boundary.redaction import EPOCH, opaque_id, pseudonym, redact
from ipt_core.testing import cases, sample_case

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEY = b"a-secret-key-of-32-bytes-exactly"
OTHER = b"another-secret-key-of-32-bytes!!"


def _answers(case: Case) -> list[tuple[int, str, tuple[object, ...]]]:
    return [(s.number, m.instrument, m.answers) for s in case.sessions for m in s.measures]


@_SETTINGS
@given(cases(max_sessions=4, max_people=4))
def test_redacted_case_is_valid_and_round_trips(case: Case) -> None:
    redacted = redact(fill_sentinels(case), key=KEY)
    raw = ipt_core.dumps(redacted)
    assert ipt_core.loads(raw) == redacted
    assert SENTINEL.encode() not in raw
    assert _answers(redacted) == _answers(case)
    assert [s.number for s in redacted.sessions] == [s.number for s in case.sessions]
    assert abs(redacted.contract.start.year - EPOCH.year) <= 12
    assert redact(fill_sentinels(case), key=KEY) == redacted


def test_rich_case_keeps_structure_and_intervals() -> None:
    case = fill_sentinels(rich_case())
    redacted = redact(case, key=KEY)
    raw = ipt_core.dumps(redacted)
    assert SENTINEL.encode() not in raw
    assert ipt_core.loads(raw) == redacted
    days = [(s.date - case.contract.start).days for s in case.sessions]
    assert [(s.date - redacted.contract.start).days for s in redacted.sessions] == days
    assert [p.id for p in redacted.inventory.people] == [
        opaque_id(p.id, key=KEY) for p in case.inventory.people
    ]
    assert redacted.phase == case.phase
    assert [e.when.precision for e in redacted.timeline.events] == [
        e.when.precision for e in case.timeline.events
    ]


def test_same_key_same_pseudonym_other_key_other_pseudonym() -> None:
    case = sample_case()
    first, again, other = redact(case, key=KEY), redact(case, key=KEY), redact(case, key=OTHER)
    aliases = [p.alias for p in first.inventory.people]
    assert aliases == [p.alias for p in again.inventory.people]
    assert all(a != b for a, b in zip(aliases, (p.alias for p in other.inventory.people), strict=True))
    assert aliases[0] == pseudonym(case.inventory.people[0].alias, key=KEY)
    assert all(p.alias not in aliases for p in case.inventory.people)


def test_repr_hides_marked_fields() -> None:
    text = repr(fill_sentinels(rich_case()))
    assert SENTINEL not in text


def test_short_keys_are_refused() -> None:
    try:
        redact(sample_case(), key=b"short")
    except ValueError:
        return
    raise AssertionError("a short key was accepted")


def test_non_sensitive_fields_are_kept() -> None:
    case = sample_case()
    redacted = redact(case, key=KEY)
    assert attrs.evolve(redacted.contract, start=case.contract.start, agreed_on=case.contract.agreed_on) == (
        case.contract
    )


def test_one_alias_in_either_unicode_form_has_one_pseudonym() -> None:
    """The name "Zoë" typed on one keyboard is one code point for the "ë", on another an "e" and a combining
    diaeresis: both are the same alias, and link to the same pseudonym."""
    composed, decomposed = "Zo\u00eb", "Zoe\u0308"
    assert composed != decomposed
    assert pseudonym(composed, key=KEY) == pseudonym(decomposed, key=KEY)
    assert pseudonym(composed, key=KEY) != pseudonym("Zoe", key=KEY)


@given(st.text(max_size=20))
def test_pseudonyms_do_not_depend_on_the_canonical_unicode_form(alias: str) -> None:
    """Canonically equivalent spellings (NFC, NFD) are one alias; compatibility forms ("ﬁ" and
    "fi") may differ in meaning and are not merged."""
    spellings = {alias, unicodedata.normalize("NFC", alias), unicodedata.normalize("NFD", alias)}
    assert len({pseudonym(text, key=KEY) for text in spellings}) == 1
