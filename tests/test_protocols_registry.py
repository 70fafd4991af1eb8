"""The registry of built-in protocols: an immutable mapping whose protocols are built on first use.

Building on first use must not change what a program sees: the same keys in the same order, the
same protocol each time, equal to one built afresh, and the mapping behaves as a read-only dict.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipt_core import protocols
from ipt_core.domain.protocols import _builtin
from ipt_core.testing import sample_case

IDS = (
    "standard",
    "stuart",
    "brief",
    "group-who",
    "adolescent",
    "maintenance",
    "ipsrt",
    "ptsd",
    "social-anxiety",
    "telephone",
    "internet-guided",
    "blended",
    "self-guided-8-week",
)
"""The built-in ids in the order the docs and ``protocols.all()`` list them."""


def test_the_keys_are_the_ids_of_their_protocols_in_a_stable_order() -> None:
    registry = protocols.BUILTIN_PROTOCOLS
    assert tuple(registry) == IDS
    assert len(registry) == len(IDS)
    assert [p.id for p in registry.values()] == list(IDS)
    assert [p.id for p in protocols.all()] == list(IDS)
    assert all(key == protocol.id for key, protocol in registry.items())


def test_each_look_up_gives_the_same_protocol_equal_to_one_built_afresh() -> None:
    for protocol_id in IDS:
        protocol = protocols.get(protocol_id)
        assert protocols.BUILTIN_PROTOCOLS[protocol_id] is protocol
        assert protocols.BUILTIN_PROTOCOLS.get(protocol_id) is protocol
        assert _builtin.__wrapped__(protocol_id) == protocol
        assert protocol.escalation  # every built-in protocol says what an open risk flag means


def test_the_registry_reads_as_a_dict_of_the_same_protocols() -> None:
    as_dict = {p.id: p for p in protocols.all()}
    assert as_dict == protocols.BUILTIN_PROTOCOLS
    assert dict(protocols.BUILTIN_PROTOCOLS) == as_dict
    assert "BUILTIN_PROTOCOLS(standard, stuart" in repr(protocols.BUILTIN_PROTOCOLS)


def test_the_registry_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        protocols.BUILTIN_PROTOCOLS["x"] = protocols.get("standard")  # type: ignore[index]
    with pytest.raises(TypeError):
        del protocols.BUILTIN_PROTOCOLS["standard"]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        protocols.BUILTIN_PROTOCOLS.extra = 1  # type: ignore[attr-defined]


@given(st.one_of(st.sampled_from(IDS), st.text(max_size=20), st.integers(), st.none()))
def test_membership_look_up_and_get_agree_for_any_key(key: object) -> None:
    registry = protocols.BUILTIN_PROTOCOLS
    known = key in IDS
    assert (key in registry) is known
    assert (registry.get(key) is not None) is known  # type: ignore[call-overload]
    assert registry.get(key, "absent") == (registry[key] if known else "absent")  # type: ignore[call-overload, index]
    if not known:
        with pytest.raises(KeyError):
            registry[key]  # type: ignore[index]


def test_reading_a_case_builds_only_its_own_protocol() -> None:
    # In a fresh interpreter: the sample case names the standard protocol, and nothing else is built.
    from ipt_core import dumps

    code = (
        "import ipt_core\n"
        "from ipt_core.domain.protocols import _builtin\n"
        f"case = ipt_core.loads({dumps(sample_case())!r})\n"
        "print(case.contract.protocol_id, _builtin.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["standard", "1"]
