"""``help()`` on a record lists its fields with what each means.

A new user's first look at ``ipt_core.Case`` is often ``help(ipt_core.Case)``. attrs keeps the fields
out of the class, so help showed only the class's summary and ``__init__``'s long signature. The
class's docstring now ends with its fields, each with its description (from its ``Spec``, or the
docstring written under it), made when first read, so importing the library costs nothing more.
"""

from __future__ import annotations

import inspect
import json
import pydoc
import subprocess
import sys
from typing import Any

import attrs
import pytest

import ipt_core
from ipt_core.domain import _fields as f


def _help(cls: type[Any]) -> str:
    return pydoc.plain(pydoc.render_doc(cls))


def test_help_on_a_case_lists_every_field_with_its_description() -> None:
    text = _help(ipt_core.Case)
    assert "Fields:" in text
    for field in attrs.fields(ipt_core.Case):
        assert f"{field.name} (" in text, field.name
    assert "Optional; never a real name." in text  # the Spec's description of client_alias
    assert "The client's age in years when treatment started." in text  # the docstring under the field


@pytest.mark.parametrize(
    "cls",
    [
        ipt_core.Person,
        ipt_core.SessionRecord,
        ipt_core.TerminationReview,
        ipt_core.Formulation,
        ipt_core.RoleDispute,
        ipt_core.Protocol,
        ipt_core.Group,
    ],
)
def test_every_public_record_lists_its_fields(cls: type[Any]) -> None:
    doc = inspect.getdoc(cls) or ""
    assert doc.startswith(doc.split("\n")[0])
    for field in attrs.fields(cls):
        assert f"\n    {field.name} (" in doc, (cls.__name__, field.name)


def test_a_record_reached_only_through_a_case_lists_its_fields_too() -> None:
    from ipt_core.domain.course import PhaseChange

    doc = inspect.getdoc(PhaseChange) or ""
    assert "phase (" in doc
    assert "The day it was entered." in doc


def test_a_sensitive_field_says_so() -> None:
    doc = inspect.getdoc(ipt_core.Person) or ""
    alias_line = next(line for line in doc.splitlines() if line.strip().startswith("alias ("))
    assert "sensitive" in alias_line


def test_the_class_docstring_is_still_its_own_first() -> None:
    doc = inspect.getdoc(ipt_core.Case) or ""
    assert doc.startswith("One client's course of IPT")
    assert doc.index("Invariants checked") < doc.index("Fields:")


def test_the_json_schema_keeps_the_class_description_without_the_field_list() -> None:
    schema = ipt_core.json_schema(ipt_core.Case)
    assert "Fields:" not in json.dumps(schema)


def test_the_field_list_is_made_when_first_read_not_at_import() -> None:
    code = (
        "import ipt_core\n"
        "case = ipt_core.Case\n"
        "from ipt_core._docs import field_docs_made\n"
        "print(field_docs_made())\n"
        "ipt_core.Case.__doc__\n"
        "print(field_docs_made())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "1"]


def test_every_record_built_with_specs_has_a_spec_for_each_field() -> None:
    # the field list reads each field's Spec: a record documented this way has one for every field
    for field in attrs.fields(ipt_core.Case):
        assert f.spec_of(field) is not None
