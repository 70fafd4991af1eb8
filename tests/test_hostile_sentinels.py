"""No error shows a value from the input: sentinels in every text field, then corrupted documents.

Each corruption is loaded and the resulting ``ValidationError`` is searched for the sentinel in its
message, ``repr``, problems, notes, chained exceptions and formatted traceback.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import ipt_core
from _boundary_helpers import SENTINEL, assert_no_leak, fill_sentinels, json_paths, replaced, rich_case
from ipt_core import ValidationError
from ipt_core.testing import cases

_DOC: dict[str, Any] = json.loads(ipt_core.dumps(fill_sentinels(rich_case())))


def _corruptions(doc: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(label, corrupted document) pairs; a label never contains a sentinel."""
    for path, value in json_paths(doc):
        where = "/".join(str(p) for p in path if not (isinstance(p, str) and SENTINEL in p))
        if isinstance(value, dict):
            yield f"unknown key @ {where}", replaced(doc, path, {**value, SENTINEL: SENTINEL})
            yield f"list for object @ {where}", replaced(doc, path, [SENTINEL, value])
        elif isinstance(value, list):
            yield f"object for list @ {where}", replaced(doc, path, {SENTINEL: value})
            yield f"sentinel item @ {where}", replaced(doc, path, [*value, SENTINEL])
            yield f"sentinel list item @ {where}", replaced(doc, path, [*value, [SENTINEL]])
        elif isinstance(value, str) and SENTINEL in value:
            yield f"list for text @ {where}", replaced(doc, path, [value])
            yield f"object for text @ {where}", replaced(doc, path, {value: value})
            yield f"number for text @ {where}", replaced(doc, path, 7)
            yield f"text too long @ {where}", replaced(doc, path, value * 1500)
            yield f"empty text @ {where}", replaced(doc, path, "")
        elif isinstance(value, str):
            # ids, references, enums, dates, tags: the sentinel as an invalid or dangling value.
            yield f"sentinel id-like @ {where}", replaced(doc, path, f"{SENTINEL}-9")
            yield f"sentinel free text @ {where}", replaced(doc, path, f"{SENTINEL} ~:/")
        elif isinstance(value, bool) or value is None or isinstance(value, int):
            yield f"sentinel for scalar @ {where}", replaced(doc, path, SENTINEL)
            yield f"object for scalar @ {where}", replaced(doc, path, {SENTINEL: 1})
        if path and isinstance(path[-1], str):
            yield f"deleted @ {where}", replaced(doc, path, ...)


def _raw_corruptions(raw: bytes) -> Iterator[tuple[str, bytes]]:
    first = raw.index(SENTINEL.encode())
    yield "truncated after a sentinel", raw[: first + 20]
    yield "invalid UTF-8 beside a sentinel", raw[: first + 5] + b"\xff\xfe" + raw[first + 5 :]
    yield "NaN beside a sentinel", raw.replace(b'"notes":"', b'"notes":NaN,"x":"', 1)
    yield "Infinity beside a sentinel", raw.replace(b'"notes":"', b'"notes":-Infinity,"x":"', 1)
    yield "huge number", raw.replace(b'"age_at_start":34', b'"age_at_start":' + b"9" * 5000, 1)
    yield "huge float", raw.replace(b'"age_at_start":34', b'"age_at_start":1e999', 1)
    yield "duplicate sentinel key", raw[:-1] + f',"{SENTINEL}":1,"{SENTINEL}":2}}'.encode()
    yield "duplicate known key", raw[:-1] + f',"notes":"{SENTINEL}a"}}'.encode()
    yield "unpaired surrogate", raw.replace(SENTINEL.encode(), SENTINEL.encode() + b"\\ud800", 1)
    yield "raw garbage", SENTINEL.encode() + raw
    yield "byte-order mark", b"\xef\xbb\xbf" + raw
    yield "deep nesting", b'{"notes":"' + SENTINEL.encode() + b'","x":' + b"[" * 5000 + b"]" * 5000 + b"}"
    yield "too large", raw + b" " * (ipt_core.Limits().max_bytes + 1)
    yield "sentinel kind", raw.replace(b'"kind":"case"', f'"kind":"{SENTINEL}"'.encode(), 1)
    yield "sentinel version", raw.replace(b'"schema_version":1', f'"schema_version":"{SENTINEL}"'.encode(), 1)
    yield "sentinel area tag", raw.replace(b'"area":"role_dispute"', f'"area":"{SENTINEL}"'.encode(), 1)


def _load_error(data: bytes | str, **kwargs: Any) -> ValidationError | None:
    try:
        ipt_core.loads(data, **kwargs)
    except ValidationError as exc:
        return exc
    return None


def test_the_sentinel_case_covers_every_text_field() -> None:
    raw = ipt_core.dumps(fill_sentinels(rich_case()))
    assert raw.count(SENTINEL.encode()) > 90
    assert ipt_core.loads(raw) == fill_sentinels(rich_case())


def test_no_structural_corruption_leaks_a_value() -> None:
    count = 0
    for label, doc in _corruptions(_DOC):
        raw = json.dumps(doc, ensure_ascii=False).encode()
        error = _load_error(raw)
        if error is None:
            # Some corruptions are still valid documents (an optional field deleted, say).
            continue
        count += 1
        try:
            assert_no_leak(error)
        except AssertionError:
            pytest.fail(f"leak for corruption: {label}")
    assert count > 500


@pytest.mark.parametrize("label_and_raw", list(_raw_corruptions(ipt_core.dumps(fill_sentinels(rich_case())))))
def test_no_raw_corruption_leaks_a_value(label_and_raw: tuple[str, bytes]) -> None:
    _label, raw = label_and_raw
    for data in (raw, raw.decode("utf-8", errors="surrogateescape")):
        error = _load_error(data)
        assert error is not None
        assert_no_leak(error)


def test_limits_refusals_do_not_leak() -> None:
    raw = ipt_core.dumps(fill_sentinels(rich_case()))
    for limits in (ipt_core.Limits(max_bytes=100), ipt_core.Limits(max_depth=3)):
        error = _load_error(raw, limits=limits)
        assert error is not None
        assert_no_leak(error)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_sessions=3, max_people=3))
def test_generated_cases_with_sentinels_leak_nothing_when_corrupted(case: ipt_core.Case) -> None:
    doc = json.loads(ipt_core.dumps(fill_sentinels(case)))
    for _label, corrupted in _corruptions(doc):
        error = _load_error(json.dumps(corrupted, ensure_ascii=False))
        if error is not None:
            assert_no_leak(error)


def _error_of(call: Any, *args: Any) -> BaseException | None:
    """The error ``call(*args)`` raises, caught in a frame that holds none of the arguments."""
    box = list(args)
    del args
    try:
        call(*[box.pop(0) for _ in range(len(box))])
    except Exception as exc:
        return exc
    return None


@pytest.mark.parametrize("label_and_raw", list(_raw_corruptions(ipt_core.dumps(fill_sentinels(rich_case())))))
def test_no_frame_of_a_traceback_holds_the_document(label_and_raw: tuple[str, bytes]) -> None:
    from _boundary_helpers import all_locals

    _label, raw = label_and_raw
    for make in (bytes, bytearray, lambda r: r.decode("utf-8", errors="surrogateescape"), memoryview):
        error = _error_of(ipt_core.loads, make(raw))
        assert isinstance(error, ValidationError)
        assert SENTINEL not in all_locals(error)


def test_no_frame_holds_the_document_for_structural_corruptions() -> None:
    from _boundary_helpers import all_locals

    count = 0
    for _label, doc in itertools.islice(_corruptions(_DOC), 0, None, 7):
        error = _error_of(ipt_core.loads, json.dumps(doc, ensure_ascii=False).encode())
        if error is None:  # still a valid document (an optional field deleted, say)
            continue
        count += 1
        assert isinstance(error, ValidationError)
        assert SENTINEL not in all_locals(error)
    assert count > 50
