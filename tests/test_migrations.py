"""Schema evolution: every released version's golden documents load forever and re-dump identically."""

from __future__ import annotations

from pathlib import Path

import pytest

import ipt_core
from ipt_core import ProblemCode, ValidationError
from ipt_core.boundary import migrations
from ipt_core.boundary.documents import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = sorted(FIXTURES.glob("v*/*.json"))


def test_there_are_fixtures_for_every_released_version() -> None:
    versions = {int(p.parent.name.removeprefix("v")) for p in GOLDEN}
    assert versions == set(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_documents_load_and_dump_at_the_current_version(path: Path) -> None:
    raw = path.read_bytes()
    case: ipt_core.Case = ipt_core.loads(raw)
    dumped = ipt_core.dumps(case)
    assert ipt_core.loads(dumped) == case
    if path.parent.name == f"v{SCHEMA_VERSION}":
        assert dumped == raw


def test_newer_versions_are_refused() -> None:
    raw = (FIXTURES / "v1" / "minimal.json").read_bytes()
    newer = raw.replace(b'"schema_version":1', f'"schema_version":{SCHEMA_VERSION + 1}'.encode())
    with pytest.raises(ValidationError) as info:
        ipt_core.loads(newer)
    assert info.value.codes == {ProblemCode.UNSUPPORTED_VERSION}


def test_every_old_version_has_an_upgrade_step() -> None:
    for version in range(1, SCHEMA_VERSION):
        assert ("case", version) in migrations.STEPS
