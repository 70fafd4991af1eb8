"""A case report for people: phase, open tasks, next session, measure trajectory and risk flags.

Rendered as data (``report_data``, JSON-ready), plain text, Markdown, or an SVG chart of the
measure totals. The report shows aliases and clinical labels from the library, never free text
from the case, so it can be shown to the clinician the case belongs to; it is not de-identified
(see :func:`ipt_core.redact` for that).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final
from xml.sax.saxutils import escape

from ipt_core.domain.agenda import next_steps
from ipt_core.domain.case import Case
from ipt_core.domain.phases import evaluate as evaluate_phase
from ipt_core.domain.phases import resolve_protocol
from ipt_core.domain.progress import evaluate as evaluate_progress
from ipt_core.domain.screening import screening_status

__all__ = ["render_markdown", "render_text", "report_data", "trajectory_svg"]

_CHARTED: Final = ("phq9", "gad7")
_COLOURS: Final = {"phq9": "#1f6feb", "gad7": "#d1242f"}
_MAXIMA: Final = {"phq9": 27, "gad7": 21}


def report_data(case: Case, *, today: date) -> dict[str, Any]:
    """The report as JSON-ready data."""
    phase = evaluate_phase(case, today=today)
    progress = evaluate_progress(case, today=today)
    agenda = next_steps(case, today=today)
    instruments: dict[str, Any] = {}
    for instrument_id, track in progress.instruments.items():
        instruments[instrument_id] = {
            "points": [
                {"session": p.session, "total": _number(p.total), "band": p.band} for p in track.points
            ],
            "change": _number(track.change),
            "response": track.response,
            "remission": track.remission,
            "early_nonimprovement": track.early_nonimprovement,
            "reliable_deterioration_sessions": list(track.reliable_deterioration_sessions),
        }
    outcome = progress.talking_therapies
    return {
        "case": case.id,
        "protocol": case.protocol_id,
        "phase": phase.phase.value,
        "sessions_held": len(case.sessions),
        "sessions_contracted": case.contract.current_sessions,
        "open_tasks": [
            {"id": t.id, "label": t.label, "blocking": t.blocking, "reason": t.reason} for t in phase.open
        ],
        "allowed_transitions": [p.value for p in phase.allowed],
        "next_session": agenda.render(),
        "instruments": instruments,
        "talking_therapies": None
        if outcome is None
        else {
            name: getattr(outcome, name)
            for name in (
                "caseness_at_start",
                "finished_treatment",
                "recovered",
                "reliably_improved",
                "reliably_deteriorated",
                "reliably_recovered",
                "no_reliable_change",
            )
        },
        "risk_flags": [
            {"session": f.session, "code": str(f.code), "level": str(f.level), "item": f.item}
            for f in progress.risk_flags
        ],
        "exit_suggestion": None
        if progress.exit_suggestion is None
        else {
            "outcome": None
            if progress.exit_suggestion.outcome is None
            else progress.exit_suggestion.outcome.value,
            "reasons": list(progress.exit_suggestion.reasons),
        },
        **_schedule_and_screening(case, phase.contracted_sessions_held, today),
    }


def _schedule_and_screening(case: Case, all_held: bool, today: date) -> dict[str, Any]:
    """Whether every contracted session is held, and each exclusion criterion with its latest result
    (``not_screened`` when none by ``today``): the protocol's labels, never the case's words."""
    protocol, _ = resolve_protocol(case)
    return {
        "contracted_sessions_held": all_held,
        "screening": [
            {
                "criterion": c.criterion,
                "label": c.label,
                "result": "not_screened" if c.result is None else c.result.value,
                "on": None if c.on is None else c.on.isoformat(),
            }
            for c in screening_status(case, protocol, today=today)
        ],
    }


def _screen_lines(data: dict[str, Any], bullet: str) -> list[str]:
    return [f"{bullet}{c['label']}: {c['result'].replace('_', ' ')}" for c in data["screening"]]


def _number(value: object) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)  # type: ignore[arg-type]


def _trajectory(points: list[dict[str, Any]]) -> str:
    return ", ".join(f"s{p['session']}: {p['total']} ({p['band'] or '-'})" for p in points) or "none"


def render_text(case: Case, *, today: date) -> str:
    """The report as plain text."""
    data = report_data(case, today=today)
    lines = [
        f"Case {data['case']} ({data['protocol']}): {data['phase']} phase, "
        f"{data['sessions_held']} of {data['sessions_contracted']} sessions"
        + (" (all contracted sessions held: end or renegotiate)" if data["contracted_sessions_held"] else ""),
        *(["Exclusion screening:", *_screen_lines(data, "  - ")] if data["screening"] else []),
        "Open tasks:",
        *(f"  - {t['label']} ({'blocking' if t['blocking'] else 'advice'})" for t in data["open_tasks"]),
        f"Allowed now: {', '.join(data['allowed_transitions']) or 'none'}",
        f"Next session: {data['next_session']}",
        "Measures:",
        *(f"  {name}: {_trajectory(track['points'])}" for name, track in data["instruments"].items()),
        f"Risk flags: {len(data['risk_flags'])}",
        *(f"  - session {f['session']}: {f['code']} ({f['level']})" for f in data["risk_flags"]),
    ]
    return "\n".join(lines) + "\n"


def render_markdown(case: Case, *, today: date) -> str:
    """The report as Markdown."""
    data = report_data(case, today=today)
    lines = [
        f"# Case {data['case']}",
        "",
        f"**Protocol** {data['protocol']} · **phase** {data['phase']} · "
        f"**sessions** {data['sessions_held']} of {data['sessions_contracted']}"
        + (" (all contracted sessions held: end or renegotiate)" if data["contracted_sessions_held"] else ""),
        "",
        *(["## Exclusion screening", "", *_screen_lines(data, "- "), ""] if data["screening"] else []),
        "## Open tasks",
        "",
        *(f"- {t['label']} — {'**blocking**' if t['blocking'] else 'advice'}" for t in data["open_tasks"]),
        "",
        "## Next session",
        "",
        data["next_session"],
        "",
        "## Measures",
        "",
        "| Instrument | Trajectory | Change | Response | Remission |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {_trajectory(t['points'])} | {t['change']} | {t['response']} | {t['remission']} |"
            for name, t in data["instruments"].items()
        ),
        "",
        "## Risk flags",
        "",
        *(
            [f"- session {f['session']}: `{f['code']}` ({f['level']})" for f in data["risk_flags"]]
            or ["None raised."]
        ),
    ]
    return "\n".join(lines) + "\n"


def trajectory_svg(case: Case, *, today: date, width: int = 640, height: int = 320) -> str:
    """An SVG line chart of the PHQ-9 and GAD-7 totals by session (y: 0 to the maximum)."""
    data = report_data(case, today=today)["instruments"]
    left, right, top, bottom = 48, 16, 24, 40
    sessions = [p["session"] for name in _CHARTED if name in data for p in data[name]["points"]]
    first, last = (min(sessions), max(sessions)) if sessions else (1, 2)
    span = max(1, last - first)

    def x(session: int) -> float:
        return left + (session - first) * (width - left - right) / span

    def y(value: float, top_value: int) -> float:
        return top + (1 - value / top_value) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="measure totals by session">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
        'stroke="#888"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#888"/>',
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle" font-size="12">session</text>',
    ]
    for session in sorted(set(sessions)):
        parts.append(
            f'<text x="{x(session):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10">{session}</text>'
        )
    for offset, name in enumerate(_CHARTED):
        if name not in data:
            continue
        scored = [(p["session"], p["total"]) for p in data[name]["points"] if p["total"] is not None]
        colour = _COLOURS[name]
        coords = " ".join(f"{x(s):.1f},{y(t, _MAXIMA[name]):.1f}" for s, t in scored)
        if coords:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(
            f'<circle cx="{x(s):.1f}" cy="{y(t, _MAXIMA[name]):.1f}" r="3" fill="{colour}"/>'
            for s, t in scored
        )
        parts.append(
            f'<text x="{left + 8 + 90 * offset}" y="{top - 8}" font-size="12" fill="{colour}">'
            f"{escape(name.upper())} (0–{_MAXIMA[name]})</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
