"""What Python can build, the codec can write and read back: sizes, Unicode and record classes."""

from __future__ import annotations

import attrs
import pytest

import ipt_core
from ipt_core import Grief, Limits, Person, ProblemCode, ValidationError
from ipt_core.testing import sample_case


def _long_case(sessions: int) -> ipt_core.Case:
    case = sample_case(sessions=16, people=4)
    last = case.sessions[-1]
    note = "n" * 10_000
    extra = tuple(
        attrs.evolve(last, number=last.number + i, notes=note, mood_link=note)
        for i in range(1, sessions - 15)
    )
    return attrs.evolve(case, sessions=(*case.sessions, *extra))


def test_a_case_too_large_for_the_default_limit_is_refused_by_dumps_not_written() -> None:
    case = _long_case(220)  # about 4.3 MiB of notes: over the default 4 MiB
    with pytest.raises(ValidationError) as info:
        ipt_core.dumps(case)
    assert info.value.codes == {ProblemCode.TOO_LARGE}
    roomy = Limits(max_bytes=16 * 1024 * 1024)
    raw = ipt_core.dumps(case, limits=roomy)
    assert len(raw) > Limits().max_bytes
    assert ipt_core.loads(raw, limits=roomy) == case


def test_what_dumps_writes_loads_reads_with_the_same_limits() -> None:
    case = _long_case(40)
    raw = ipt_core.dumps(case)
    assert ipt_core.loads(raw) == case
    small = Limits(max_bytes=len(raw) - 1)
    with pytest.raises(ValidationError):
        ipt_core.dumps(case, limits=small)


@pytest.mark.parametrize("text", ["\ud800", "abc\udfff", "é\ud83d"])
def test_a_lone_surrogate_is_refused_at_construction(text: str) -> None:
    person = sample_case(sessions=1, people=2).inventory.people[0]
    with pytest.raises(ValidationError) as info:
        attrs.evolve(person, notes=text)
    assert [(p.path, p.code) for p in info.value.problems] == [("$.notes", ProblemCode.INVALID_VALUE)]
    with pytest.raises(ValidationError) as listed:
        attrs.evolve(person, wished_changes=("fine", text))
    assert [(p.path, p.code) for p in listed.value.problems] == [
        ("$.wished_changes[1]", ProblemCode.INVALID_VALUE)
    ]


def test_a_surrogate_pair_written_as_one_character_is_fine() -> None:
    person = sample_case(sessions=1, people=2).inventory.people[0]
    assert attrs.evolve(person, notes="walks 🐕").notes == "walks 🐕"


@attrs.frozen(slots=False)
class _TaggedPerson(Person):
    tag: str = "x"


@attrs.frozen(slots=False)
class _MyGrief(Grief):
    pass


def test_subclasses_of_records_are_refused_where_a_case_holds_them() -> None:
    case = sample_case(sessions=2, people=2)
    person = case.inventory.people[0]
    odd = _TaggedPerson(**{f.name: getattr(person, f.name) for f in attrs.fields(Person)})
    with pytest.raises(ValidationError) as info:
        attrs.evolve(case.inventory, people=(odd, *case.inventory.people[1:]))
    assert [(p.path, p.code) for p in info.value.problems] == [("$.people[0]", ProblemCode.WRONG_TYPE)]
    assert case.formulation is not None
    grief = _MyGrief(id="g9", deceased=person.id)
    with pytest.raises(ValidationError) as area:
        attrs.evolve(case.formulation, other_areas=(grief,))
    assert ProblemCode.WRONG_TYPE in area.value.codes
