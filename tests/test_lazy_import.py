"""The package imports lazily: ``import ipt_core`` loads no framework, and every public name resolves.

Each public name of the package is imported from its module on first use (PEP 562). These tests
check that every name of every public module's ``__all__`` resolves, by attribute and by ``from
... import``, to the object its module defines; that the imports mypy and the docs read name the
same modules as the look-up that runs; and, in fresh interpreters, what a program imports.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ipt_core
from ipt_core.testing import sample_case

FACADES = (
    "ipt_core",
    "ipt_core.agenda",
    "ipt_core.analytics",
    "ipt_core.fhir",
    "ipt_core.measures",
    "ipt_core.phases",
    "ipt_core.progress",
    "ipt_core.protocols",
    "ipt_core.risk",
    "ipt_core.testing",
)
"""Every public module whose ``__all__`` users import from."""

FRAMEWORKS = ("pydantic", "pydantic_core", "cattrs", "orjson", "hypothesis", "attrs", "attr")

DEFINED_IN_PACKAGE = {"__version__", "json_schema"}
"""The two public names ``ipt_core/__init__.py`` defines itself."""


def _public_names() -> list[tuple[str, str]]:
    return [(facade, name) for facade in FACADES for name in importlib.import_module(facade).__all__]


@pytest.mark.parametrize(("facade", "name"), _public_names())
def test_every_public_name_resolves(facade: str, name: str) -> None:
    module = importlib.import_module(facade)
    namespace: dict[str, Any] = {}
    exec(f"from {facade} import {name} as found", namespace)  # noqa: S102 - the statement under test
    assert namespace["found"] is getattr(module, name)
    assert name in dir(module)


def test_every_lazy_name_is_the_object_its_module_defines() -> None:
    for module, names in ipt_core._EXPORTS.items():
        defined = importlib.import_module(module)
        for name in names:
            assert getattr(ipt_core, name) is getattr(defined, name), name
    for name in ipt_core._SUBMODULES:
        assert getattr(ipt_core, name) is importlib.import_module(f"ipt_core.{name}")


def test_all_lists_exactly_the_names_the_package_resolves() -> None:
    assert len(ipt_core.__all__) == len(set(ipt_core.__all__))
    assert set(ipt_core.__all__) == set(ipt_core._MODULE_OF) | DEFINED_IN_PACKAGE
    namespace: dict[str, Any] = {}
    exec("from ipt_core import *", namespace)  # noqa: S102 - the statement under test
    assert set(ipt_core.__all__) <= set(namespace)


def _type_checking_imports() -> dict[str, set[str]]:
    """The imports inside ``if TYPE_CHECKING:`` of ``ipt_core/__init__.py``, module -> names."""
    tree = ast.parse(Path(ipt_core.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
    )
    found: dict[str, set[str]] = {}
    for node in block.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ipt_core"):
            for alias in node.names:
                if node.module == "ipt_core":  # a public submodule
                    found.setdefault(f"ipt_core.{alias.name}", set()).add(alias.name)
                else:
                    found.setdefault(node.module, set()).add(alias.asname or alias.name)
    return found


def test_the_imports_mypy_reads_name_the_modules_the_package_imports_at_run_time() -> None:
    runtime = {module: set(names) for module, names in ipt_core._EXPORTS.items()}
    runtime.update({f"ipt_core.{name}": {name} for name in ipt_core._SUBMODULES})
    assert _type_checking_imports() == runtime


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Cas'"):
        ipt_core.Cas  # type: ignore[attr-defined]  # noqa: B018 - the look-up under test
    assert not hasattr(ipt_core, "_not_public")
    with pytest.raises(ImportError):
        exec("from ipt_core import no_such_name", {})  # noqa: S102 - the statement under test


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def _top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def test_importing_the_package_loads_no_framework_and_no_domain_module() -> None:
    loaded = _modules_after("import ipt_core")
    assert not _top_level(loaded) & set(FRAMEWORKS)
    assert {name for name in loaded if name.startswith("ipt_core")} == {"ipt_core"}


def test_reading_a_case_and_scoring_load_only_what_they_need() -> None:
    document = ipt_core.dumps(sample_case())
    loaded = _modules_after(
        f"import ipt_core\ncase = ipt_core.loads({document!r})\n"
        "ipt_core.measures.score('phq9', (1, 2, 1, 0, 2, 1, 1, 0, 0))"
    )
    assert not _top_level(loaded) & {"pydantic", "pydantic_core", "cattrs", "hypothesis"}
    assert "ipt_core.domain.case" in loaded


def test_a_case_read_after_a_lazy_import_is_the_case_an_eager_import_reads() -> None:
    # A program that imports one name and one that imports the package see the same classes.
    from ipt_core.boundary.codec import loads

    document = ipt_core.dumps(sample_case())
    assert type(loads(document)) is ipt_core.Case
    assert loads(document) == ipt_core.loads(document)


def test_month_lengths_without_the_calendar_module_are_the_calendars() -> None:
    # The timeline counts the days of a month itself, so that reading a case needs no `calendar`.
    import calendar

    from ipt_core.domain.timeline import _days_in_month

    for year in range(1, 10_000):
        for month in range(1, 13):
            assert _days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


@pytest.mark.parametrize(
    ("facade", "source", "name"),
    [
        ("ipt_core.analytics", "ipt_core.domain.group_outcomes", "group_outcomes"),
        ("ipt_core.agenda", "ipt_core.domain.group_agenda", "next_steps_group"),
        ("ipt_core.phases", "ipt_core.domain.group_rules", "evaluate_group"),
    ],
)
def test_a_public_module_imports_the_group_model_when_a_group_name_is_first_used(
    facade: str, source: str, name: str
) -> None:
    loaded = _modules_after(f"import {facade}")
    assert not {module for module in loaded if module.startswith("ipt_core.domain.group")}
    loaded = _modules_after(f"import {facade}\n{facade}.{name}")
    assert source in loaded
    with pytest.raises(AttributeError, match="no attribute 'group_outcome'"):
        getattr(importlib.import_module(facade), "group_outcome")  # noqa: B009 - a name no module has
