"""A WHO Group IPT course: a pre-group meeting, then 8 group sessions, for several members.

Each member is a case under the ``group-who`` protocol with their own problem area (WHO wording:
grief, disputes, life changes, loneliness). Prints each member's agenda and phase report at every
session. Run: ``python examples/group_who.py``.
"""

from __future__ import annotations

from _show import show

from ipt_core import Phase, protocols
from ipt_core.domain.problem_areas import AreaKind
from ipt_core.testing import Step, simulate_course

MEMBERS = {
    "amara": AreaKind.GRIEF,
    "bo": AreaKind.ROLE_DISPUTE,
    "chen": AreaKind.ROLE_TRANSITION,
    "dee": AreaKind.INTERPERSONAL_DEFICITS,
    "eli": AreaKind.ROLE_DISPUTE,
    "fay": AreaKind.ROLE_TRANSITION,
}


def main() -> None:
    protocol = protocols.get("group-who")
    if protocol.group is None or not protocol.group.min_members <= len(MEMBERS) <= protocol.group.max_members:
        raise SystemExit("the group size is outside the protocol's range")
    print(f"{protocol.name}: {len(MEMBERS)} members ({protocol.group.source})")
    for member, area in MEMBERS.items():

        def report(step: Step, who: str = member) -> None:
            print(f"-- session {step.session}")
            show(step, lay=True, who=who)

        case = simulate_course(protocol, case_id=member, focus=area, on_step=report)
        if case.phase is not Phase.COMPLETED:
            raise SystemExit("the course did not complete")
        print(f"[{member}] finished: {case.phase.value} after {len(case.sessions)} meetings")


if __name__ == "__main__":
    main()
