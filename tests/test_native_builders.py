"""The case's builders written out for mypyc (``_fast_native``) do what the generated ones do.

``loads`` uses the compiled module where the package was built with a C compiler, so the rest of
the suite (``test_codec_fastpath.py`` above all, which holds the fast path to the detailed one)
runs on it there. Here the written module is held to the model, and its builders to the
interpreted ones, document by document: as compiled (where it was) and as Python source (always),
so that the rewriting that writes it is tested even where nothing was compiled.
"""

from __future__ import annotations

import copy
import importlib.machinery
import importlib.util
import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipt_core
from _boundary_helpers import json_paths, replaced, rich_case
from ipt_core import Case
from ipt_core.boundary import _fast, _native, _native_env, codec
from ipt_core.domain.problem_areas import AREA_TYPES
from ipt_core.testing import any_value, cases, sample_case, sample_cohort

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PACKAGE = Path(_native.__file__).parent
_SOURCE = _PACKAGE / "_fast_native.py"

Builder = Callable[[Any, list[Any]], Any]


def _interpreted() -> Builder:
    return _fast.root_builder(Case)


def _from_source() -> Builder:
    """The written module run as Python, bound to the globals of freshly generated builders."""
    builders = _native.tree(_interpreted())
    saved = list(_native_env.ENVS)
    _native_env.ENVS[:] = [env for _, env, _ in builders]
    try:
        spec = importlib.util.spec_from_file_location("ipt_core_native_as_source", _SOURCE)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        _native_env.ENVS[:] = saved
    assert _native.fingerprint(builders) == module.FINGERPRINT
    root: Builder = getattr(module, f"b{len(builders) - 1}")
    return root


def _compiled() -> Builder | None:
    return _native.case_builder(_interpreted())


_VARIANTS: dict[str, Builder] = {"source": _from_source()}
_BUILT = _compiled()
if _BUILT is not None:
    _VARIANTS["compiled"] = _BUILT


def _run(build: Builder, raw: bytes) -> tuple[str, Any, list[Any]]:
    """``("built", object, context)``, or ``("declined", None, [])`` where the builder raises."""
    counter = _fast.context()
    try:
        return "built", build(orjson.loads(raw), counter), counter
    except Exception:  # any exception sends loads to the detailed path
        return "declined", None, []


def _agree(raw: bytes) -> str:
    expected = _run(_interpreted(), raw)
    for name, build in _VARIANTS.items():
        assert _run(build, raw) == expected, name
    return expected[0]


def test_the_written_module_is_what_the_model_generates() -> None:
    assert _SOURCE.read_text(encoding="utf-8") == _native.module_source(_native.tree(_interpreted())), (
        "regenerate it: python -m ipt_core.boundary._native"
    )


def test_the_tree_holds_each_builder_once_after_those_it_calls() -> None:
    builders = _native.tree(_interpreted())
    position = {id(function): i for i, (_, _, function) in enumerate(builders)}
    assert len(position) == len(builders)
    for i, (_, env, _) in enumerate(builders):
        for value in env.values():
            if id(value) in position:
                assert position[id(value)] < i
    assert builders[-1][0].startswith("def build(d, counter):")


def test_compiled_builders_are_used_where_they_were_built() -> None:
    """A compiled module beside the source is in use (not stale); ``native`` insists on one."""
    compiled_files = list(_PACKAGE.glob("_fast_native*.so")) + list(_PACKAGE.glob("_fast_native*.pyd"))
    if _native.MODE == "native" or (compiled_files and _native.MODE != "python"):
        assert _BUILT is not None, "the compiled builders are stale: reinstall (pip install -e .)"
        ipt_core.loads(ipt_core.dumps(sample_case(sessions=2)))
        used = codec._FAST[Case]
        assert used is not None
        assert used[0] is _BUILT
    else:
        assert _BUILT is None


def test_sample_cases_and_a_cohort_agree() -> None:
    for case in (sample_case(), sample_case(sessions=0, people=1), rich_case(), *sample_cohort(40)):
        assert _agree(ipt_core.dumps(case)) == "built"


@_SETTINGS
@given(cases(max_sessions=4, max_people=4))
def test_valid_cases_agree(case: Case) -> None:
    assert _agree(ipt_core.dumps(case)) == "built"


@_SETTINGS
@given(cases(max_sessions=3, max_people=3), st.data())
def test_mutated_documents_agree(case: Case, data: st.DataObject) -> None:
    doc = json.loads(ipt_core.dumps(case))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p, _ in json_paths(doc) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        if data.draw(st.booleans()) and isinstance(path[-1], str):
            doc = replaced(doc, path, ...)
        else:
            doc = replaced(doc, path, data.draw(any_value()))
    _agree(json.dumps(doc).encode())


def test_every_kind_of_problem_area_agrees() -> None:
    doc = json.loads(ipt_core.dumps(rich_case()))
    areas = doc["formulation"]["focus"] + doc["formulation"]["other_areas"]
    assert {area["area"] for area in areas} == {kind.value for kind in AREA_TYPES}
    for tag in ("grief", "nothing", 3, None, ["grief"]):
        changed = copy.deepcopy(doc)
        changed["formulation"]["other_areas"][0]["area"] = tag
        _agree(json.dumps(changed).encode())


def test_a_stale_compiled_module_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module built from another model (another fingerprint) leaves the interpreted builders."""

    class Stale:
        __file__ = str(_PACKAGE / ("_fast_native" + (importlib.machinery.EXTENSION_SUFFIXES[0])))
        FINGERPRINT = "0" * 64

    monkeypatch.setitem(sys.modules, _native.MODULE, Stale())
    monkeypatch.setattr(_native, "MODE", "")
    assert _native.case_builder(_interpreted()) is None
    monkeypatch.setattr(_native, "MODE", "native")
    with pytest.raises(ImportError, match="IPT_CORE_BUILDERS=native"):
        _native.case_builder(_interpreted())


def test_without_the_shared_functions_source_the_interpreted_builders_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the library's source cannot be read (an installation of byte code only), the
    fingerprint cannot be taken: the interpreted builders run, and ``native`` says why not."""

    def unreadable(function: object) -> str:
        raise OSError("could not get source code")

    monkeypatch.setattr(inspect, "getsource", unreadable)
    monkeypatch.setattr(_native, "MODE", "")
    assert _native.case_builder(_interpreted()) is None
    monkeypatch.setattr(_native, "MODE", "native")
    with pytest.raises(ImportError, match="IPT_CORE_BUILDERS=native"):
        _native.case_builder(_interpreted())


def test_the_shared_functions_are_compiled_into_the_module() -> None:
    source = _SOURCE.read_text(encoding="utf-8")
    for function in _fast.COMPILED:
        assert f"\ndef {function.__name__}(" in source
        assert f"g0_{function.__name__}" not in source  # called directly, not through a global


def test_the_python_setting_keeps_the_interpreted_builders() -> None:
    script = (
        "import ipt_core\n"
        "from ipt_core import Case\n"
        "from ipt_core.boundary import codec\n"
        "from ipt_core.testing import sample_case\n"
        "case = sample_case(sessions=2)\n"
        "assert ipt_core.loads(ipt_core.dumps(case)) == case\n"
        "print(type(codec._FAST[Case][0]).__name__)\n"
    )
    env = {**os.environ, "IPT_CORE_BUILDERS": "python"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "function"
