"""The two JSON back ends give the same answers: orjson here, the standard library in a worker.

Every document is written to the same bytes, and every input, valid or hostile, gets the same
object or the same problems (path, code, message, expected, allowed, line and column). The worker
blocks orjson before importing ipt_core, as under Pyodide; see ``_json_backends``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import fill_sentinels, rich_case
from _json_backends import StdlibWorker, blocked, dumps_outcome, loads_outcome
from ipt_core import Case, Group, Limits, Protocol
from ipt_core.boundary import _json
from ipt_core.domain.sessions import Missing
from ipt_core.protocols import BUILTIN_PROTOCOLS
from ipt_core.testing import any_value, cases, groups, protocols, sample_case
from test_hostile_sentinels import _corruptions, _raw_corruptions

_FIXTURES = Path(__file__).parent / "fixtures"
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
_VALID = ipt_core.dumps(sample_case(sessions=3, people=2))


@pytest.fixture(scope="module")
def stdlib() -> Iterator[StdlibWorker]:
    worker = StdlibWorker()
    yield worker
    worker.close()


def test_the_two_sides_of_each_comparison_use_different_back_ends(stdlib: StdlibWorker) -> None:
    assert _json.NAME == "orjson"
    assert stdlib.backend() == "json"


def _same_loads(stdlib: StdlibWorker, batch: list[tuple[Any, ...]]) -> None:
    theirs = stdlib.loads_many(batch)
    for args, found in zip(batch, theirs, strict=True):
        assert found == loads_outcome(*args)


# -- the golden fixtures and the built-in protocols ---------------------------------------------


def _fixtures() -> list[tuple[Path, type[Any]]]:
    return [(p, Case) for p in sorted((_FIXTURES / "v1").glob("*.json"))] + [
        (p, Group) for p in sorted((_FIXTURES / "groups" / "v1").glob("*.json"))
    ]


@pytest.mark.parametrize(("path", "cls"), _fixtures(), ids=lambda v: getattr(v, "name", str(v)))
def test_golden_fixtures_load_and_write_alike(stdlib: StdlibWorker, path: Path, cls: type[Any]) -> None:
    raw = path.read_bytes()
    mine = loads_outcome(raw, cls)
    assert mine[0] == "loaded"
    assert stdlib.loads(raw, cls) == mine
    assert stdlib.loads(raw.decode(), cls) == loads_outcome(raw.decode(), cls)


def test_built_in_protocols_write_and_load_alike(stdlib: StdlibWorker) -> None:
    for protocol in BUILTIN_PROTOCOLS.values():
        written = dumps_outcome(protocol)
        assert written[0] == "written"
        assert stdlib.dumps(protocol) == written
        assert stdlib.loads(written[1], Protocol) == loads_outcome(written[1], Protocol)


# -- generated documents ------------------------------------------------------------------------


@_SETTINGS
@given(cases())
def test_generated_cases_write_and_load_alike(stdlib: StdlibWorker, case: Case) -> None:
    written = dumps_outcome(case)
    assert stdlib.dumps(case) == written
    if written[0] == "written":
        assert stdlib.loads(written[1]) == loads_outcome(written[1])


@_SETTINGS
@given(groups(max_members=6, max_sessions=6))
def test_generated_groups_write_and_load_alike(stdlib: StdlibWorker, group: Group) -> None:
    written = dumps_outcome(group)
    assert stdlib.dumps(group) == written
    assert stdlib.loads(written[1], Group) == loads_outcome(written[1], Group)


@_SETTINGS
@given(protocols())
def test_generated_protocols_write_and_load_alike(stdlib: StdlibWorker, protocol: Protocol) -> None:
    written = dumps_outcome(protocol)
    assert stdlib.dumps(protocol) == written
    assert stdlib.loads(written[1], Protocol) == loads_outcome(written[1], Protocol)


def test_a_note_in_the_clients_own_words_is_written_alike(stdlib: StdlibWorker) -> None:
    """A therapist types what Nicola said, in her words: quotes, accents, a line break, an emoji."""
    case = sample_case()
    note = (
        'Nicola: "Depuis la mort de ma grand-mère\tje ne dors plus."\n'
        "Said she felt \u2018stuck\u2019 \U0001f614"
    )
    written = dumps_outcome(attrs.evolve(case, notes=note))
    assert written[0] == "written"
    assert "grand-mère".encode() in written[1]  # as UTF-8, not \u escapes
    assert b'\\"Depuis' in written[1]
    assert b"\\n" in written[1]
    assert b"\\t" in written[1]
    assert stdlib.dumps(attrs.evolve(case, notes=note)) == written
    assert stdlib.loads(written[1]) == loads_outcome(written[1])


def test_a_document_over_the_size_limit_is_refused_alike_when_written(stdlib: StdlibWorker) -> None:
    case = sample_case()
    limits = Limits(max_bytes=len(ipt_core.dumps(case)) - 1)
    assert dumps_outcome(case, limits)[0] == "refused"
    assert stdlib.dumps(case, limits) == dumps_outcome(case, limits)


# -- the hostile corpus -------------------------------------------------------------------------


def _deep(depth: int) -> list[bytes]:
    return [b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth, b"[" * depth]


def _hostile() -> Iterator[tuple[Any, ...]]:
    """(data, class, limits) triples: each kind of input ``loads`` must refuse, and its neighbours."""
    valid, text = _VALID, _VALID.decode()
    age = b'"age_at_start":34'
    for depth in (4, 8, 31, 32, 33, 200, 499, 500, 501, 1000, 1025, 100_000):
        for data in _deep(depth):
            yield data, None, Limits(max_bytes=2 * len(data))
            yield data.decode(), None, Limits(max_bytes=2 * len(data))
            yield data, None, Limits(max_bytes=2 * len(data), max_depth=200_000)
        yield valid, None, Limits(max_depth=depth)
        yield b'["' + b"[" * depth + b'"]', None, Limits(max_depth=depth)  # brackets inside a text
        yield b'{"a":1 ' + b"[" * depth, None, None  # a syntax error before the nesting
    for number in (
        b"2147483648", b"9223372036854775807", b"9223372036854775808", b"18446744073709551615",
        b"18446744073709551616", b"-9223372036854775809", b"1" + b"0" * 30, b"9" * 4000, b"9" * 5000,
        b"1e999", b"-1e999", b"1e-999", b"34.0", b"3.4e1", b"-0", b"NaN", b"Infinity", b"-Infinity",
        b"nan", b"0x22", b"034", b"+34", b"true",
    ):  # fmt: skip
        yield valid.replace(age, b'"age_at_start":' + number), None, None
        yield b"[" + number + b"]", None, None
    notes = b'"notes":""'
    for escaped in (
        b"\\ud800", b"\\udc00", b"\\udfff", b"\\ud83d\\ude00", b"\\ude00\\ud83d", b"\\ud83d", b"\\ud83dx",
        b"\\\\ud800", b"\\\\\\ud800", b"\\u003a", b"\\u0000", b"\\u001f", b"\\uD800", b"\\uDBFF\\uDFFF",
        b"\\u00e9", b"\\uffff", b"\\u", b"\\u12", b"\\x41", b"\x00", b"\x1f", b"\x7f",
    ):  # fmt: skip
        doc = valid.replace(notes, b'"notes":"' + escaped + b'"', 1)
        yield doc, None, None
        yield json.dumps({"x": 1}).encode().replace(b"1", b'"' + escaped + b'"'), None, None
    for lone in ("\ud800", "\udfff", "a\udc00b"):
        yield text.replace('"notes":""', '"notes":"' + lone + '"', 1), None, None
    yield valid[:-1] + b',"notes":"again"}', None, None
    yield valid.replace(b'"rings":3', b'"rings":3,"rings":3'), None, None
    yield valid.replace(b'"rings":3', b'"rings":3,"ring\\u0073":3'), None, None
    yield valid.replace(b'"rings":3', b'"rings":3,"a\\u003ab":3'), None, None
    yield valid.replace(b'"notes":""', b'"notes":"a:b:c"'), None, None
    yield b'{"kind":"case","kind":"case"}', None, None
    yield b'{"a":1,"a":2}', None, None
    yield b" " * (Limits().max_bytes + 1), None, None
    yield valid, None, Limits(max_bytes=len(valid) - 1)
    yield valid, None, Limits(max_bytes=len(valid))
    wide = text.replace('"notes":""', '"notes":"' + "é" * 100 + '"', 1)
    yield wide, None, Limits(max_bytes=len(wide) + 50)
    yield wide, None, Limits(max_bytes=len(wide) + 100)
    yield wide.encode(), None, Limits(max_bytes=len(wide) + 50)
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        yield bom + valid, None, None
    yield "\ufeff" + text, None, None
    yield valid.decode().encode("utf-16"), None, None
    yield valid.decode().encode("utf-32-le"), None, None
    for bad in (b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82"):
        yield valid.replace(notes, b'"notes":"' + bad + b'"', 1), None, None
        yield valid + bad, None, None
    junks = (
        b"", b" ", b"{", b"}", b"[]", b"null", b"{}", b'{"kind":"case"}', b"{'kind':'case'}",
        b'{"kind":"case",}', b"/* x */{}", b"{}{}", b"{}\n\n  x", b'"case"', b'\n\n\n  {\n  "a" 1}',
    )  # fmt: skip
    for junk in junks:
        yield junk, None, None
        yield junk.decode(), None, None
    others: tuple[Any, ...] = (
        bytearray(valid),
        memoryview(valid),
        memoryview(valid).cast("H"),
        12,
        None,
        [valid],
    )
    for other in others:
        yield other, None, None
    for cls in (Group, Protocol):
        yield valid, cls, None
    yield valid, ipt_core.Person, None


def test_the_hostile_corpus_gets_the_same_answers(stdlib: StdlibWorker) -> None:
    batch = list(_hostile())
    assert len(batch) > 200
    _same_loads(stdlib, batch)
    # Every kind of refusal is among them, not only a few.
    outcomes = [loads_outcome(*args) for args in batch]
    codes = {problem[1] for found in outcomes if found[0] == "refused" for problem in found[1]}
    assert {"too_deep", "too_large", "invalid_json", "wrong_type", "out_of_range"} <= codes


def test_every_truncation_of_a_document_gets_the_same_problems(stdlib: StdlibWorker) -> None:
    """Cut anywhere, a document is a syntax error at a line and column, reported alike."""
    pretty = json.dumps(json.loads(_VALID), indent=2, ensure_ascii=False).encode()
    batch = [(pretty[:end], None, None) for end in range(0, len(pretty), 7)]
    batch += [(_VALID[:end], None, None) for end in range(0, len(_VALID), 5)]
    outcomes = [loads_outcome(*args) for args in batch]
    lines = {problem[5] for found in outcomes if found[0] == "refused" for problem in found[1] if problem[5]}
    assert len(lines) > 20  # the problems do carry lines (and columns) to compare
    _same_loads(stdlib, batch)


def test_the_sentinel_corruptions_get_the_same_answers(stdlib: StdlibWorker) -> None:
    doc = json.loads(ipt_core.dumps(fill_sentinels(rich_case())))
    batch: list[tuple[Any, ...]] = [(json.dumps(bad).encode(), None, None) for _, bad in _corruptions(doc)]
    batch += [(raw, None, None) for _, raw in _raw_corruptions(ipt_core.dumps(fill_sentinels(rich_case())))]
    _same_loads(stdlib, batch)


@_SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_get_the_same_answers(stdlib: StdlibWorker, data: bytes) -> None:
    assert stdlib.loads(data) == loads_outcome(data)


@_SETTINGS
@given(st.text(max_size=200))
def test_random_text_gets_the_same_answers(stdlib: StdlibWorker, data: str) -> None:
    assert stdlib.loads(data) == loads_outcome(data)


@_SETTINGS
@given(any_value())
def test_random_json_values_get_the_same_answers(stdlib: StdlibWorker, value: Any) -> None:
    for data in (json.dumps(value), json.dumps({"kind": "case", "schema_version": 1, "x": value})):
        assert stdlib.loads(data) == loads_outcome(data)


@_SETTINGS
@given(st.integers(0, len(_VALID)), st.binary(max_size=8), st.integers(0, 8))
def test_spliced_documents_get_the_same_answers(
    stdlib: StdlibWorker, at: int, insert: bytes, drop: int
) -> None:
    data = _VALID[:at] + insert + _VALID[at + drop :]
    assert stdlib.loads(data) == loads_outcome(data)


# -- the nesting a parser is allowed ------------------------------------------------------------


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


_NESTED = st.recursive(
    st.none() | st.integers() | st.text(alphabet='ab[]{}"\\\n:,'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='k[{"\\', max_size=3), inner)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(_NESTED, st.integers(0, 12))
def test_the_nesting_read_from_the_text_is_the_nesting_of_the_document(tree: Any, levels: int) -> None:
    for text in (json.dumps(tree), json.dumps(tree, indent=1), json.dumps(tree, ensure_ascii=False)):
        assert _json.nests_deeper(text, levels) == (_depth(tree) > levels)
        assert _json.nests_deeper(text.encode(), levels) == (_depth(tree) > levels)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"[" * 50, b"[", b"]", b"]" * 50, b"[]"]), max_size=80), st.integers(0, 600))
def test_the_deepest_level_of_brackets_is_read_exactly(pieces: list[bytes], levels: int) -> None:
    brackets = b"".join(pieces)
    depth, deepest = 0, 0
    for byte in brackets:
        depth += 1 if byte == ord("[") else -1
        deepest = max(deepest, depth)
    assert _json._deeper(brackets, levels) == (deepest > levels)


def test_a_parser_is_never_handed_a_document_nesting_past_its_depth() -> None:
    """The standard library's parser recurses per level (fatal under Pyodide past a few thousand)."""
    deep = b"[" * 100_000 + b"]" * 100_000
    assert _json.nests_deeper(deep)
    with pytest.raises(ValueError, match="depth"):
        _json._stdlib_read(deep)
    assert _json.nests_deeper(b'{"a":' * (_json.PARSER_DEPTH + 1))
    assert not _json.nests_deeper(b'["' + b"[" * 100_000 + b'"]')  # the brackets are in a text
    assert not _json.nests_deeper(b"[" * _json.PARSER_DEPTH + b"]" * _json.PARSER_DEPTH)
    limits = Limits(max_bytes=len(deep), max_depth=200_000)
    assert loads_outcome(deep, None, limits)[1][0][1] == "too_deep"


# -- the back ends themselves, side by side in this process -------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**65)
    | st.text()
    | st.dates()
    | st.sampled_from(Missing)
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


def _written(write: Any, data: Any) -> bytes | str:
    try:
        found: bytes = write(data, _refuse)
    except (TypeError, ValueError):
        return "refused"
    return found


def _refuse(_obj: object) -> Any:
    raise TypeError("no such type")


@settings(max_examples=300, deadline=None)
@given(_TREES)
def test_the_standard_library_writes_what_orjson_writes(data: Any) -> None:
    orjson_write = lambda data, default: orjson.dumps(data, default=default)  # noqa: E731
    assert _written(_json._stdlib_write, data) == _written(orjson_write, data)


def test_the_standard_library_writes_unusual_texts_and_dates_as_orjson_does() -> None:
    texts = ["", "\x00\x1f\x7f\x80\u2028\u2029\ufeff", '"\\/\b\f\n\r\t', "é😀\uffff", "a\ud800", "\udfff"]
    data = [
        texts,
        {t: t for t in texts[:4]},
        [date(1, 1, 1), date(9999, 12, 31)],
        [2**63, -(2**63), 2**64 - 1],
    ]
    for item in [*data, 2**64, -(2**63) - 1, [1, 2**64], {"a": [{"b": -(2**70)}]}, "¹²³" * 7 + "9" * 20]:
        orjson_write = lambda data, default: orjson.dumps(data, default=default)  # noqa: E731
        assert _written(_json._stdlib_write, item) == _written(orjson_write, item)


def _read(read: Any, text: str | bytes) -> Any:
    try:
        return ("read", read(text))
    except ValueError:
        return "refused"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["\\ud800", "\\udc00", "\\ud83d", "\\ude00", "\\\\", "\\u0041", "a", "é", "\\n", '\\"']
        ),
        max_size=8,
    ),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1", "null", '"x"']),
)
def test_the_standard_library_reads_and_refuses_as_orjson_does(pieces: list[str], scalar: str) -> None:
    text = '["' + "".join(pieces) + '",' + scalar + "]"
    for data in (text, text.encode()):
        assert _read(_json._stdlib_read, data) == _read(orjson.loads, data)
    for bad in (text.encode() + b"\xff", b"\xef\xbb\xbf" + text.encode(), text[:-1]):
        assert _read(_json._stdlib_read, bad) == _read(orjson.loads, bad) == "refused"


# -- ipt_core without orjson (and without pydantic) ---------------------------------------------


def _run(source: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", source, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


_CLI = "from ipt_core.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def test_the_command_line_validates_alike_without_orjson_or_pydantic(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(
        _VALID.replace(b'"rings":3', b'"rings":3,"rings":3').replace(
            b'"age_at_start":34', b'"age_at_start":999'
        )
    )
    deep = tmp_path / "deep.json"
    deep.write_bytes(b'{"kind":"group","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    files = [
        str(_FIXTURES / "v1" / "sample.json"),
        str(bad),
        str(_FIXTURES / "groups" / "v1" / "who-group.json"),
        str(deep),
    ]
    for options in ([], ["--json"]):
        with_orjson = _run("import sys\n" + _CLI, "validate", *options, *files)
        without = _run(blocked("orjson", "pydantic") + _CLI, "validate", *options, *files)
        assert with_orjson.returncode == without.returncode == 1
        assert with_orjson.stdout == without.stdout
        assert "invalid_json" in without.stdout
        assert "too_deep" in without.stdout
        assert with_orjson.stderr == without.stderr


def test_import_ipt_core_and_its_uses_need_neither_orjson_nor_pydantic() -> None:
    """What a front end under Pyodide calls works with only attrs and cattrs installed."""
    source = blocked("orjson", "pydantic") + (
        "from datetime import date\n"
        "import ipt_core\n"
        "from ipt_core.boundary import _json\n"
        "from ipt_core.testing import sample_case, sample_group, sample_group_cases\n"
        "assert _json.NAME == 'json'\n"
        "case = sample_case()\n"
        "assert ipt_core.loads(ipt_core.dumps(case)) == case\n"
        "group = sample_group()\n"
        "assert ipt_core.loads(ipt_core.dumps(group), ipt_core.Group) == group\n"
        "assert ipt_core.measures.score('phq9', (3, 3, 3, 3, 3, 3, 3, 3, 1)).total == 25\n"
        "today = date(2025, 3, 1)\n"
        "ipt_core.next_steps(case, today=today)\n"
        "ipt_core.progress.evaluate(case, today=today)\n"
        "ipt_core.phases.evaluate(case, today=today)\n"
        "ipt_core.next_steps_group(group, today=today)\n"
        "ipt_core.group_outcomes(group, sample_group_cases(group), today=today)\n"
        "ipt_core.redact(case, key=bytes(range(32)))\n"
        "import json, pathlib\n"
        "shipped = pathlib.Path(ipt_core.__file__).parent / 'schemas'\n"
        "for cls, kind in ((None, 'case'), (ipt_core.Case, 'case'), (ipt_core.Group, 'group'),\n"
        "                  (ipt_core.Protocol, 'protocol')):\n"
        "    schema = ipt_core.json_schema(cls)\n"
        "    assert schema == json.loads((shipped / f'{kind}.v1.schema.json').read_text()), kind\n"
        "    schema.clear()  # a fresh dict each time\n"
        "assert ipt_core.json_schema()['$id'].endswith('case.v1.json')\n"
        "try:\n"
        "    ipt_core.json_schema(ipt_core.Person)\n"
        "except ImportError as exc:\n"
        "    print(exc.name, exc)\n"
    )
    done = _run(source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pydantic ")
    assert "json_schema" in done.stdout


def test_the_back_end_can_be_chosen_by_the_environment() -> None:
    source = "from ipt_core.boundary import _json\nprint(_json.NAME)\n"
    env = {k: v for k, v in __import__("os").environ.items() if k != "IPT_CORE_JSON"}
    assert _run(source, env={**env, "IPT_CORE_JSON": "json"}).stdout == "json\n"
    assert _run(source, env={**env, "IPT_CORE_JSON": "orjson"}).stdout == "orjson\n"
    assert _run(source, env=env).stdout == "orjson\n"
    assert _run(blocked("orjson") + source, env=env).stdout == "json\n"
    assert _run(blocked("orjson") + source, env={**env, "IPT_CORE_JSON": "orjson"}).returncode == 1
    refused = _run(source, env={**env, "IPT_CORE_JSON": "simplejson"})
    assert refused.returncode == 1
    assert "IPT_CORE_JSON" in refused.stderr


# -- numbers with a fraction: records outside documents ------------------------------------------


_FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [1e-5, -1e-5, 2.5e-5, 9.99e-6, 1e-6, 1.1e-9, 5e-324, 1e16, 1e-4, -0.0, 0.1, 1e22, 1.7976931348623157e308]
)


@settings(max_examples=500)
@given(st.lists(_FLOATS | st.sampled_from(["1e-05", "NaN", "-Infinity", '"1e-07"']), max_size=6))
def test_numbers_with_a_fraction_are_written_alike(values: list[Any]) -> None:
    """dumps takes any record of the library, some with a fraction (a reliable change index): the
    standard library writer spells each number as orjson does, an exponent without padding, and a
    value that is not a number as ``null`` (never ``NaN``, which is not JSON)."""
    data = {"values": values, "text": [str(v) for v in values]}
    assert _json._stdlib_write(data, _fast_default) == orjson.dumps(data)


def _fast_default(obj: Any) -> Any:
    raise TypeError("not an ipt_core domain value")


def test_a_reliable_change_on_a_tiny_deviation_is_written_alike(stdlib: StdlibWorker) -> None:
    change = ipt_core.progress.reliable_change(pre=20, post=10, sd=1e-9, reliability=0.84)
    written = dumps_outcome(change)
    assert written[0] == "written"
    assert b"e-9" in written[1]
    assert stdlib.dumps(change) == written


def test_a_map_with_number_keys_is_refused_alike(stdlib: StdlibWorker) -> None:
    """The inventory's network summary counts people by closeness ring, keyed by the ring number:
    it is not part of a document, and neither back end writes it."""
    summary = sample_case().inventory.summary()
    assert any(type(key) is int for key in summary.by_ring)
    refused = dumps_outcome(summary)
    assert refused[0] == "refused"
    assert stdlib.dumps(summary) == refused


def test_json_schema_refuses_what_is_not_a_domain_class_alike_with_and_without_pydantic() -> None:
    """A text, a number, a list, an instance or a class outside the model: the same error either way,
    a ``TypeError`` (never a ``ModuleNotFoundError`` that would send the caller to install pydantic)."""
    source = (
        "import ipt_core\n"
        "from ipt_core.testing import sample_case\n"
        "for wrong in ('case', 'Case', 3, [ipt_core.Case], sample_case(), ipt_core.Phase, dict):\n"
        "    try:\n"
        "        ipt_core.json_schema(wrong)\n"
        "    except Exception as exc:\n"
        "        print(type(exc).__name__, exc)\n"
        "    else:\n"
        "        print('schema')\n"
    )
    with_pydantic = _run("import sys\n" + source)
    without = _run(blocked("orjson", "pydantic") + source)
    assert with_pydantic.returncode == without.returncode == 0, with_pydantic.stderr + without.stderr
    assert with_pydantic.stdout == without.stdout
    assert with_pydantic.stdout.splitlines() == ["TypeError json_schema takes an ipt_core domain class"] * 7
    # the command prints the shipped schemas without pydantic
    for kind in ("case", "group", "protocol"):
        printed = _run(blocked("orjson", "pydantic") + _CLI, "schema", kind)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == _run("import sys\n" + _CLI, "schema", kind).stdout
