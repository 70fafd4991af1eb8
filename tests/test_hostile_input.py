"""Hostile input: whatever arrives, ``loads`` answers with the object or a ``ValidationError``."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from ipt_core import Limits, ProblemCode, ValidationError
from ipt_core.testing import any_value, sample_case

_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_VALID = ipt_core.dumps(sample_case(sessions=3, people=2))


def _codes(data: Any, **kwargs: Any) -> frozenset[str]:
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(data, **kwargs)
    return info.value.codes


def _only_validation_error(data: bytes | str) -> None:
    with contextlib.suppress(ValidationError):
        ipt_core.loads(data)


@_SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _only_validation_error(data)


@_SETTINGS
@given(st.text(max_size=200))
def test_random_text(data: str) -> None:
    _only_validation_error(data)


@_SETTINGS
@given(any_value())
def test_random_json_values(value: Any) -> None:
    _only_validation_error(json.dumps(value))
    _only_validation_error(json.dumps({"kind": "case", "schema_version": 1, "x": value}))


@_SETTINGS
@given(st.integers(0, len(_VALID)), st.binary(max_size=8), st.integers(0, 8))
def test_spliced_bytes(at: int, insert: bytes, drop: int) -> None:
    _only_validation_error(_VALID[:at] + insert + _VALID[at + drop :])


def test_invalid_utf8() -> None:
    assert _codes(b'{"kind":"case","x":"\xc3\x28"}') == {ProblemCode.INVALID_JSON}


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity(constant: bytes) -> None:
    data = _VALID.replace(b'"age_at_start":34', b'"age_at_start":' + constant)
    assert _codes(data) == {ProblemCode.INVALID_JSON}


def test_huge_numbers() -> None:
    assert _codes(_VALID.replace(b'"age_at_start":34', b'"age_at_start":' + b"9" * 5000)) == {
        ProblemCode.INVALID_JSON
    }
    assert _codes(_VALID.replace(b'"age_at_start":34', b'"age_at_start":' + b"9" * 4000))
    assert _codes(_VALID.replace(b'"age_at_start":34', b'"age_at_start":1e999')) == {ProblemCode.WRONG_TYPE}


def test_duplicate_keys() -> None:
    top = _VALID[:-1] + b',"notes":"again"}'
    nested = _VALID.replace(b'"rings":3', b'"rings":3,"rings":3')
    assert _codes(top) == {ProblemCode.INVALID_JSON}
    assert _codes(nested) == {ProblemCode.INVALID_JSON}


def test_unpaired_surrogates() -> None:
    escaped = _VALID.replace(b'"notes":""', b'"notes":"\\ud800"', 1)
    assert _codes(escaped) == {ProblemCode.INVALID_JSON}
    assert _codes(_VALID.decode().replace('"notes":""', '"notes":"\ud800"', 1)) == {ProblemCode.INVALID_JSON}
    paired = _VALID.replace(b'"notes":""', b'"notes":"\\ud83d\\ude00"', 1)
    assert "\U0001f600".encode() in ipt_core.dumps(ipt_core.loads(paired))


def test_byte_order_mark() -> None:
    assert _codes(b"\xef\xbb\xbf" + _VALID) == {ProblemCode.INVALID_JSON}


@pytest.mark.parametrize("depth", [33, 1000, 100_000, 1_000_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    for data in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth, b"[" * depth):
        codes = _codes(data, limits=Limits(max_bytes=len(data)))
        assert codes <= {ProblemCode.TOO_DEEP, ProblemCode.INVALID_JSON}
    assert _codes(b"[" * depth + b"]" * depth, limits=Limits(max_bytes=2 * depth)) == {ProblemCode.TOO_DEEP}


def test_size_limit_is_checked_first() -> None:
    assert _codes(b" " * (Limits().max_bytes + 1)) == {ProblemCode.TOO_LARGE}
    assert _codes(_VALID, limits=Limits(max_bytes=len(_VALID) - 1)) == {ProblemCode.TOO_LARGE}
    assert ipt_core.loads(_VALID, limits=Limits(max_bytes=len(_VALID))) == sample_case(sessions=3, people=2)
    # A text is measured in UTF-8 bytes, not characters.
    text = _VALID.decode().replace('"notes":""', '"notes":"' + "é" * 100 + '"', 1)
    assert _codes(text, limits=Limits(max_bytes=len(text) + 50)) == {ProblemCode.TOO_LARGE}


def test_depth_limit_is_configurable() -> None:
    assert _codes(_VALID, limits=Limits(max_depth=4)) == {ProblemCode.TOO_DEEP}
    assert ipt_core.loads(_VALID, limits=Limits(max_depth=8)) == sample_case(sessions=3, people=2)


def test_wrong_argument_types() -> None:
    assert _codes(12) == {ProblemCode.WRONG_TYPE}
    assert _codes(None) == {ProblemCode.WRONG_TYPE}


def test_dangling_references() -> None:
    data = _VALID.replace(b'"other_party":"p1"', b'"other_party":"nobody"')
    assert _codes(data) == {ProblemCode.DANGLING_REFERENCE}


def test_newer_version_is_refused_with_its_own_code() -> None:
    data = _VALID.replace(b'"schema_version":1', b'"schema_version":2')
    assert _codes(data) == {ProblemCode.UNSUPPORTED_VERSION}
    assert _codes(_VALID.replace(b'"schema_version":1', b'"schema_version":true')) == {
        ProblemCode.UNSUPPORTED_VERSION
    }
