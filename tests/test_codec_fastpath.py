"""The fast and the detailed load paths accept the same documents and build equal objects."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from cattrs.errors import ClassValidationError, IterableValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import json_paths, replaced, rich_case
from ipt_core import Case
from ipt_core.boundary import _detailed, codec
from ipt_core.errors import ValidationError
from ipt_core.testing import any_value, cases, sample_case

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _slow(text: str) -> Any:
    """The detailed path alone: ``None`` where it finds a problem."""
    try:
        parsed = codec._parse(text, codec.DEFAULT_LIMITS)
        body = codec._envelope(parsed, "case")
        return _detailed.CONVERTER.structure(body, Case)
    except (ClassValidationError, IterableValidationError, codec._Bad, ValidationError):
        return None  # a problem found and reported; any other exception fails the test


def _fast(text: str) -> Any:
    """The fast path alone, given the text and (as ``loads`` passes them) its UTF-8 bytes."""
    from_text = codec._load_fast(text, Case, codec.DEFAULT_LIMITS)
    from_bytes = codec._load_fast(text.encode("utf-8", "surrogatepass"), Case, codec.DEFAULT_LIMITS)
    assert from_text == from_bytes
    return from_text


def _agree(text: str) -> Any:
    fast, slow = _fast(text), _slow(text)
    assert (fast is None) == (slow is None)
    assert fast == slow
    return fast


def test_sample_cases_take_the_fast_path() -> None:
    for case in (sample_case(), sample_case(sessions=0, people=1), rich_case()):
        text = ipt_core.dumps(case).decode()
        assert _fast(text) == case
        assert _slow(text) == case


def test_documents_without_defaulted_keys_agree() -> None:
    doc = json.loads(ipt_core.dumps(rich_case()))
    for path, value in list(json_paths(doc)):
        if path and isinstance(path[-1], str) and value in ((), [], None, "", False):
            _agree(json.dumps(replaced(doc, path, ...)))


@_SETTINGS
@given(cases(max_sessions=4, max_people=4))
def test_valid_cases_agree(case: Case) -> None:
    text = ipt_core.dumps(case).decode()
    assert _agree(text) == case


@_SETTINGS
@given(cases(max_sessions=3, max_people=3), st.data())
def test_mutated_documents_agree(case: Case, data: st.DataObject) -> None:
    doc = json.loads(ipt_core.dumps(case))
    paths = [p for p, _ in json_paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "extra", "swap"]))
        if action == "delete" and isinstance(path[-1], str):
            doc = replaced(doc, path, ...)
        elif action == "extra":
            doc = replaced(doc, path[:-1], _with_extra(_get(doc, path[:-1]), data.draw(st.text(max_size=5))))
        elif action == "swap":
            other = data.draw(st.sampled_from(paths))
            doc = replaced(doc, path, _get(doc, other))
        else:
            doc = replaced(doc, path, data.draw(any_value()))
        paths = [p for p, _ in json_paths(doc) if p]
        if not paths:
            break
    _agree(json.dumps(doc, ensure_ascii=data.draw(st.booleans())))


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _with_extra(container: Any, key: str) -> Any:
    if isinstance(container, dict):
        return {**container, key: 1}
    return container


def test_duplicate_keys_are_refused_on_both_paths() -> None:
    text = ipt_core.dumps(sample_case(sessions=2, people=1)).decode()
    duplicated = text.replace('"notes":""', '"notes":"","notes":""', 1)
    assert _fast(duplicated) is None
    assert _slow(duplicated) is None


def test_duplicate_keys_hidden_by_colons_in_texts_are_refused() -> None:
    """Colons inside texts do not let a repeated key pass the colon count."""
    case = sample_case(sessions=2, people=1)
    text = ipt_core.dumps(attrs.evolve(case, notes="10:30, then 11:00")).decode()
    duplicated = text.replace('"mood_link":""', '"mood_link":"","mood_link":""', 1)
    assert duplicated != text
    assert _fast(duplicated) is None
    assert _slow(duplicated) is None
    assert _agree(text) is not None


def test_a_repeated_instrument_is_refused_on_both_paths() -> None:
    doc = json.loads(ipt_core.dumps(sample_case(sessions=2, people=1)))
    session = doc["sessions"][1]
    assert len(session["measures"]) == 2
    for count in (2, 3):
        measures = [session["measures"][0]] * count
        changed = replaced(doc, ("sessions", 1, "measures"), measures)
        assert _agree(json.dumps(changed)) is None
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(json.dumps(replaced(doc, ("sessions", 1, "measures"), [session["measures"][0]] * 2)))
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("$.sessions[1].measures[1].instrument", "duplicate_id")
    ]


def _encode_repeating(node: Any, target: Any, key: str) -> str:
    """Compact JSON of ``node`` in which object ``target`` (by identity) holds ``key`` twice."""
    if isinstance(node, dict):
        pairs = [(k, v) for k, v in node.items()]
        if node is target:
            pairs.insert(0, (key, node[key]))
        inner = ",".join(f"{json.dumps(k)}:{_encode_repeating(v, target, key)}" for k, v in pairs)
        return "{" + inner + "}"
    if isinstance(node, list):
        return "[" + ",".join(_encode_repeating(v, target, key) for v in node) + "]"
    return json.dumps(node)


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(o for v in node.values() for o in _objects(v))]
    if isinstance(node, list):
        return [o for v in node for o in _objects(v)]
    return []


def test_every_repeated_key_of_a_rich_document_is_refused() -> None:
    """Each key of each object in turn appears twice (same value): both paths refuse every one."""
    doc = json.loads(ipt_core.dumps(rich_case()))
    assert json.loads(_encode_repeating(doc, None, "")) == doc
    tried = 0
    for obj in _objects(doc):
        for key in obj:
            text = _encode_repeating(doc, obj, key)
            assert _fast(text) is None, key
            tried += 1
    assert tried > 300
    # and the detailed path reports it, for a sample of them
    for obj in _objects(doc)[::25]:
        key = next(iter(obj))
        with pytest.raises(ValidationError) as caught:
            ipt_core.loads(_encode_repeating(doc, obj, key))
        assert [p.code for p in caught.value.problems] == ["invalid_json"]


def _with_measure(record: dict[str, Any]) -> str:
    doc = json.loads(ipt_core.dumps(sample_case(sessions=2, people=1)))
    return json.dumps(replaced(doc, ("sessions", 1, "measures"), [record]))


def test_answers_the_quick_instrument_test_cannot_clear_are_checked_whole() -> None:
    """HAM-D items have two ranges, WSAS knows an option: valid records load on both paths, and
    records that do not fit their instrument are refused on both."""
    hamd = [4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 3, 2]
    valid: list[dict[str, Any]] = [
        {"instrument": "hamd17", "answers": hamd, "options": []},
        {"instrument": "hamd17", "answers": [*hamd[:15], None, 2], "options": ["item16_b"]},
        {"instrument": "wsas", "answers": [0, 8, 3, 2, 1], "options": ["retired"]},
        {"instrument": "phq9", "answers": [0, 1, 2, 3, 0, 1, 2, 3, "declined"], "options": []},
        {"instrument": "unknown_scale", "answers": [99, -3, None], "options": ["any"]},
    ]
    for record in valid:
        assert _agree(_with_measure(record)) is not None, record
    invalid: list[dict[str, Any]] = [
        {"instrument": "hamd17", "answers": [*hamd[:3], 3, *hamd[4:]], "options": []},  # item 4 is 0-2
        {"instrument": "hamd17", "answers": hamd[:16], "options": []},
        {"instrument": "wsas", "answers": [0, 8, 3, 2, 1], "options": ["item16_b"]},
        {"instrument": "phq9", "answers": [0, 1, 2, 3, 0, 1, 2, 3, 4], "options": []},
        {"instrument": "phq9", "answers": [0, 1, 2, 3, 0, 1, 2, 3, True], "options": []},
        {"instrument": "phq9", "answers": [0, 1, 2, 3, 0, 1, 2, 3, 1.0], "options": []},
    ]
    for record in invalid:
        assert _agree(_with_measure(record)) is None, record


@attrs.frozen(slots=False)
class _StrictCase(Case):
    """A subclass with an invariant of its own: a client alias is required."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not self.client_alias:
            raise ValidationError.single("$.client_alias", "missing")


def test_a_subclass_keeps_its_own_invariants_on_the_fast_path() -> None:
    body = json.loads(ipt_core.dumps(sample_case(sessions=2, people=1)))
    del body["kind"], body["schema_version"]
    body["client_alias"] = ""
    with pytest.raises(ValidationError) as caught:
        ipt_core.loads(json.dumps(body), _StrictCase)
    assert [(p.path, p.code) for p in caught.value.problems] == [("$.client_alias", "missing")]
    body["client_alias"] = "N"
    loaded = ipt_core.loads(json.dumps(body).encode(), _StrictCase)
    assert type(loaded) is _StrictCase
    assert loaded.client_alias == "N"
