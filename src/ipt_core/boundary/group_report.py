"""A group report for facilitators: phase, members and attendance, findings, the next session and,
given the members' cases, the group's outcomes.

Rendered as data (``group_report_data``, JSON-ready), plain text or Markdown. Like the case report,
it shows aliases and library labels, never free text from the group; it is not de-identified (see
:func:`ipt_core.redact`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ipt_core.domain.case import Case
from ipt_core.domain.group import Group
from ipt_core.domain.group_agenda import _one_line, next_steps_group
from ipt_core.domain.group_outcomes import GroupOutcomes, group_outcomes
from ipt_core.domain.protocols import Protocol
from ipt_core.domain.risk import DEFAULT_RISK_SETTINGS, RiskSettings
from ipt_core.errors import ValidationError

__all__ = ["group_report_data", "render_group_markdown", "render_group_text"]


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{round(100 * value)}%"


def _outcomes_data(outcomes: GroupOutcomes) -> dict[str, Any]:
    rates = (
        "attendance_rate",
        "dropout_rate",
        "recovery_rate",
        "reliable_improvement_rate",
        "deterioration_rate",
        "response_rate",
        "remission_rate",
    )
    return {
        "missing_cases": list(outcomes.missing_cases),
        "with_paired_scores": outcomes.with_paired_scores,
        **{name: getattr(outcomes, name) for name in rates},
        "members": [
            {
                "member": m.member_id,
                "case": m.case_id,
                "case_found": m.case_found,
                "first": dict(m.first),
                "last": dict(m.last),
                "finished_treatment": m.finished_treatment,
                "recovered": m.recovered,
                "reliably_improved": m.reliably_improved,
                "reliably_deteriorated": m.reliably_deteriorated,
                "response": m.response,
                "remission": m.remission,
            }
            for m in outcomes.members
        ],
    }


def group_report_data(
    group: Group,
    *,
    today: date,
    cases: Mapping[str, Case] | Iterable[Case] | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
    protocol: Protocol | None = None,
) -> dict[str, Any]:
    """The group report as JSON-ready data; with ``cases``, the group's outcomes too, and the
    members' open risk flags lead the next session's agenda, graded by ``risk_settings`` (a
    service's own cut-offs, signed off clinically). ``agenda_items`` gives each item of that agenda
    as data (code, kind, blocking, member ids, grade, texts) for a front end. When ``cases`` hold
    two different copies of a member's case, the outcomes are refused (``outcomes`` is null and
    ``outcomes_problems`` lists each problem's path, code and message) and the rest of the report,
    the members' risk first, reads every copy. ``protocol`` is the group's protocol when it is not
    one this library knows (a service's own), as for :func:`~ipt_core.next_steps_group`."""
    if cases is not None and not isinstance(cases, Mapping):
        cases = tuple(cases)  # read twice: by the agenda (every copy of a case) and by the outcomes
    agenda = next_steps_group(group, protocol, today=today, cases=cases, risk_settings=risk_settings)
    report = agenda.report
    aliases = {m.id: m.alias for m in group.members}
    data: dict[str, Any] = {
        "group": group.id,
        "protocol": report.protocol_id,
        "phase": report.phase.value,
        "sessions_held": report.sessions_held,
        "sessions_planned": report.planned_sessions,
        "active_members": len(report.active_members),
        "joining_members": sum(1 for s in report.members if s.joining),
        "members": [
            {
                "member": s.member_id,
                "alias": aliases[s.member_id],
                "active": s.active,
                "joining": s.joining,
                "met_before_group": s.met_before_group,
                "met_alone": s.met_alone,
                "attended": s.attended,
                "missed": s.missed,
                "excused": s.excused,
                "attendance_rate": s.attendance_rate,
                "follow_up": s.follow_up,
                "exit_reason": None
                if group.member(s.member_id).exit_reason is None
                else str(group.member(s.member_id).exit_reason),
            }
            for s in report.members
        ],
        "findings": [
            {"code": f.code, "path": f.path, "message": f.message, "blocking": f.blocking}
            for f in report.findings
        ],
        "next_session": agenda.render(names={m: _one_line(a) for m, a in aliases.items()}),
        "agenda_items": [
            {
                "code": i.code,
                "kind": i.kind.value,
                "blocking": i.blocking,
                "members": list(i.members),
                "grade": None if i.grade is None else i.grade.value,
                "text": i.text,
                "lay_text": i.lay_text,
            }
            for i in agenda.items
        ],
        "outcomes": None,
        "outcomes_problems": [],
    }
    if cases is not None:
        try:
            data["outcomes"] = _outcomes_data(group_outcomes(group, cases, today=today, protocol=protocol))
        except ValidationError as error:
            # Two different copies of a member's case: the outcomes are refused, never paired from
            # one copy chosen silently; the rest of the report (the members' risk first) stands.
            data["outcomes_problems"] = [
                {"path": p.path, "code": p.code, "message": p.message} for p in error.problems
            ]
    return data


def render_group_text(
    group: Group,
    *,
    today: date,
    cases: Mapping[str, Case] | Iterable[Case] | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
    protocol: Protocol | None = None,
) -> str:
    """The group report as plain text (``risk_settings``: as :func:`group_report_data`)."""
    data = group_report_data(group, today=today, cases=cases, risk_settings=risk_settings, protocol=protocol)
    lines = [
        f"Group {data['group']} ({data['protocol']}): {data['phase']}, "
        f"{data['sessions_held']} of {data['sessions_planned']} sessions held, "
        f"{data['active_members']} active member{'' if data['active_members'] == 1 else 's'}"
        + (f", {data['joining_members']} joining later" if data["joining_members"] else ""),
        "Members:",
    ]
    for m in data["members"]:
        if m["active"]:
            state = "active"
        elif m["joining"]:
            state = "joins on a later day"
        else:
            reason = m["exit_reason"] or "no reason recorded"
            state = f"left ({reason.replace('_', ' ')})"
        follow = "; FOLLOW UP" if m["follow_up"] else ""
        if m["met_before_group"]:
            met = ""
        elif m["met_alone"]:
            met = "; met alone only after the first group session"
        else:
            met = "; no pre-group meeting"
        lines.append(
            f"  {_one_line(m['alias'])}: {state}; attended {m['attended']}, missed {m['missed']}, "
            f"excused {m['excused']} ({_percent(m['attendance_rate'])}){met}{follow}"
        )
    if data["findings"]:
        lines.append("Findings:")
        lines += [
            f"  {'BLOCKING ' if f['blocking'] else ''}{f['code']} at {f['path']}" for f in data["findings"]
        ]
    lines += ["Next session:", *("  " + line for line in data["next_session"].splitlines())]
    outcomes = data["outcomes"]
    if data["outcomes_problems"]:
        lines.append("Outcomes not computed: the cases given hold two different copies of a member's case")
        lines += [f"  {p['code']} at {p['path']}: {p['message']}" for p in data["outcomes_problems"]]
    if outcomes is not None:
        lines.append(
            f"Outcomes (members finished with paired scores: {outcomes['with_paired_scores']}): "
            f"attendance {_percent(outcomes['attendance_rate'])}, "
            f"recovery {_percent(outcomes['recovery_rate'])}, "
            f"reliable improvement {_percent(outcomes['reliable_improvement_rate'])}, "
            f"deterioration {_percent(outcomes['deterioration_rate'])}, "
            f"drop-out {_percent(outcomes['dropout_rate'])}"
        )
        for m in outcomes["members"]:
            first, last = m["first"].get("phq9"), m["last"].get("phq9")
            if not m["case_found"]:
                continue
            scores = "no PHQ-9" if first is None else f"PHQ-9 {first} -> {last}"
            if "gad7" in m["first"] and "gad7" in m["last"]:  # recovery is judged on both
                scores += f", GAD-7 {m['first']['gad7']} -> {m['last']['gad7']}"
            judged = (
                f"recovered: {_yes(m['recovered'])}"
                if m["finished_treatment"]
                else "did not finish treatment"
            )
            lines.append(f"  {_alias_of(data, m['member'])}: {scores}; {judged}")
        if outcomes["missing_cases"]:
            lines.append(f"  cases not given: {', '.join(outcomes['missing_cases'])}")
    return "\n".join(lines) + "\n"


def _alias_of(data: Mapping[str, Any], member_id: str) -> str:
    """The alias of a member in report data."""
    return next((_one_line(str(m["alias"])) for m in data["members"] if m["member"] == member_id), member_id)


def _yes(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def render_group_markdown(
    group: Group,
    *,
    today: date,
    cases: Mapping[str, Case] | Iterable[Case] | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
    protocol: Protocol | None = None,
) -> str:
    """The group report as Markdown (the text report under a heading, in a block)."""
    text = render_group_text(group, today=today, cases=cases, risk_settings=risk_settings, protocol=protocol)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)  # longer than any run of backticks in an alias
    return f"# Group report\n\n{fence}text\n{text}{fence}\n"
