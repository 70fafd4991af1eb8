"""A case report for people: open risk flags first, then phase, open tasks, next session, measure
trajectory and every risk flag.

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
from ipt_core.domain.measures.instruments import INSTRUMENTS, Aggregation, short_name
from ipt_core.domain.measures.scoring import _top
from ipt_core.domain.phases import _course_sessions, resolve_protocol
from ipt_core.domain.phases import evaluate as evaluate_phase
from ipt_core.domain.progress import ProgressPolicy
from ipt_core.domain.progress import evaluate as evaluate_progress
from ipt_core.domain.risk import DEFAULT_RISK_SETTINGS, RiskFlag, RiskSettings, flag_source
from ipt_core.domain.screening import screening_status

__all__ = ["render_markdown", "render_text", "report_data", "trajectory_svg"]

_CHARTED: Final = ("phq9", "gad7")
_COLOURS: Final = {"phq9": "#1f6feb", "gad7": "#d1242f"}


def report_data(
    case: Case, *, today: date, risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS
) -> dict[str, Any]:
    """The report as JSON-ready data; ``risk_settings`` are the cut-offs that grade risk answers
    (a service's own, signed off clinically), for the flags and the next session's agenda alike."""
    phase = evaluate_phase(case, today=today)
    policy = None if risk_settings == DEFAULT_RISK_SETTINGS else ProgressPolicy(risk=risk_settings)
    progress = evaluate_progress(case, today=today, policy=policy)
    agenda = next_steps(case, today=today, risk_settings=risk_settings)
    course = [s for s in _course_sessions(case, today) if s.number >= 1]
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
        "open_risk_flags": [_flag_data(f) for f in progress.open_risk_flags],
        "protocol": case.protocol_id,
        "phase": phase.phase.value,
        # Contracted sessions (numbered from 1: an engagement or pre-group session is not one) up
        # to the last held by today, or by the end of the course (a follow-up after it is not one).
        "sessions_held": max((s.number for s in course), default=0),
        "sessions_attended": sum(1 for s in course if s.attended),
        "sessions_contracted": phase.contracted_sessions,
        "open_tasks": [
            {"id": t.id, "label": t.label, "blocking": t.blocking, "reason": t.reason} for t in phase.open
        ],
        "allowed_transitions": [p.value for p in phase.allowed],
        "next_session": agenda.render(),
        "next_session_headline": agenda.headline,
        "next_session_items": [item.text for item in agenda.items],
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
        "risk_flags": [_flag_data(f) for f in progress.risk_flags],
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


def _flag_data(flag: RiskFlag) -> dict[str, Any]:
    return {
        "session": flag.session,
        "code": str(flag.code),
        "level": str(flag.level),
        "instrument": flag.instrument,
        "item": flag.item,
        "source": flag_source(flag),
    }


def _open_flag_lines(data: dict[str, Any], bullet: str) -> list[str]:
    return [
        f"{bullet}session {f['session']}: {f['source']} — {f['code']} ({f['level']})"
        for f in data["open_risk_flags"]
    ]


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
    return ", ".join(_point(p) for p in points) or "none"


def _point(point: dict[str, Any]) -> str:
    total = "not scored" if point["total"] is None else str(point["total"])
    band = "" if point["band"] is None else f" ({_words(point['band'])})"
    return f"session {point['session']}: {total}{band}"


def _words(value: str) -> str:
    return value.replace("_", " ")


def _yes_no(value: bool | None) -> str:
    """A judgement in words: ``yes``, ``no``, or ``not judged`` where there is none yet."""
    if value is None:
        return "not judged"
    return "yes" if value else "no"


def _change(value: float | None) -> str:
    if value is None:
        return "not known"
    return f"{value:+g} from the first rating"


def _judgements(track: dict[str, Any]) -> str:
    return (
        f"change {_change(track['change'])}; response {_yes_no(track['response'])}, "
        f"remission {_yes_no(track['remission'])}, "
        f"early non-improvement {_yes_no(track['early_nonimprovement'])}"
    )


def _attended(data: dict[str, Any]) -> str:
    """`` (7 attended)`` when some sessions held were missed; nothing otherwise."""
    missed = data["sessions_attended"] < data["sessions_held"]
    return f" ({data['sessions_attended']} attended)" if missed else ""


def _agenda_lines(data: dict[str, Any], bullet: str) -> list[str]:
    return [data["next_session_headline"], *(f"{bullet}{item}" for item in data["next_session_items"])]


def render_text(case: Case, *, today: date, risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS) -> str:
    """The report as plain text (``risk_settings``: as :func:`report_data`)."""
    data = report_data(case, today=today, risk_settings=risk_settings)
    lines = [
        f"Case {data['case']} ({data['protocol']}): {_words(data['phase'])} phase, "
        f"{data['sessions_held']} of {data['sessions_contracted']} sessions{_attended(data)}"
        + (" (all contracted sessions held: end or renegotiate)" if data["contracted_sessions_held"] else ""),
        *(
            [
                f"OPEN RISK FLAGS ({len(data['open_risk_flags'])}), not yet reviewed by a risk check:",
                *_open_flag_lines(data, "  ! "),
            ]
            if data["open_risk_flags"]
            else ["Open risk flags: none"]
        ),
        *(["Exclusion screening:", *_screen_lines(data, "  - ")] if data["screening"] else []),
        "Open tasks:" if data["open_tasks"] else "Open tasks: none",
        *(f"  - {t['label']} ({'blocking' if t['blocking'] else 'advice'})" for t in data["open_tasks"]),
        f"Allowed now: {', '.join(_words(p) for p in data['allowed_transitions']) or 'none'}",
        "Next session: " + "\n".join(_agenda_lines(data, "  - ")),
        "Measures:" if data["instruments"] else "Measures: none recorded",
        *(
            line
            for name, track in data["instruments"].items()
            for line in (f"  {name}: {_trajectory(track['points'])}", f"    {_judgements(track)}")
        ),
        f"Risk flags: {len(data['risk_flags'])}",
        *(
            f"  - session {f['session']}: {f['source']} — {f['code']} ({f['level']})"
            for f in data["risk_flags"]
        ),
    ]
    return "\n".join(lines) + "\n"


def render_markdown(case: Case, *, today: date, risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS) -> str:
    """The report as Markdown (``risk_settings``: as :func:`report_data`)."""
    data = report_data(case, today=today, risk_settings=risk_settings)
    lines = [
        f"# Case {data['case']}",
        "",
        f"**Protocol** {data['protocol']} · **phase** {_words(data['phase'])} · "
        f"**sessions** {data['sessions_held']} of {data['sessions_contracted']}{_attended(data)}"
        + (" (all contracted sessions held: end or renegotiate)" if data["contracted_sessions_held"] else ""),
        "",
        "## Open risk flags",
        "",
        *(
            ["**Not yet reviewed by a risk check:**", "", *_open_flag_lines(data, "- ")]
            if data["open_risk_flags"]
            else ["No flag is open."]
        ),
        "",
        *(["## Exclusion screening", "", *_screen_lines(data, "- "), ""] if data["screening"] else []),
        "## Open tasks",
        "",
        *(
            [f"- {t['label']} — {'**blocking**' if t['blocking'] else 'advice'}" for t in data["open_tasks"]]
            or ["No task is open."]
        ),
        "",
        "## Next session",
        "",
        data["next_session_headline"],
        "",
        *(f"- {item}" for item in data["next_session_items"]),
        "",
        "## Measures",
        "",
        *(
            [
                "| Instrument | Trajectory | Change | Response | Remission |",
                "|---|---|---|---|---|",
                *(
                    f"| {name} | {_trajectory(t['points'])} | {_change(t['change'])} "
                    f"| {_yes_no(t['response'])} | {_yes_no(t['remission'])} |"
                    for name, t in data["instruments"].items()
                ),
            ]
            if data["instruments"]
            else ["No measure recorded."]
        ),
        "",
        "## Risk flags",
        "",
        *(
            [
                f"- session {f['session']}: {f['source']} — `{f['code']}` ({f['level']})"
                for f in data["risk_flags"]
            ]
            or ["No flag raised."]
        ),
    ]
    return "\n".join(lines) + "\n"


def trajectory_svg(case: Case, *, today: date, width: int = 640, height: int = 320) -> str:
    """An SVG chart of the questionnaire totals by session: one panel per instrument.

    Each panel has its own y-axis, from the instrument's lowest total to its highest, with values at the
    band thresholds and the bands shaded, so a GAD-7 of 12 and a PHQ-9 of 13 are each read against
    their own scale. ``height`` is the height of one panel.
    """
    data = report_data(case, today=today)["instruments"]
    charted = [name for name in _chart_order(data) if _scale(name) is not None]
    left, right, top, bottom = 56, 96, 28, 40
    panel = max(120, height)
    total_height = top + len(charted) * panel + (bottom if charted else 0) + (0 if charted else 60)
    sessions = sorted({p["session"] for name in charted for p in data[name]["points"]})
    first, last = (sessions[0], sessions[-1]) if sessions else (1, 2)
    span = max(1, last - first)
    plot_right = width - right

    def x(session: int) -> float:
        return left + (session - first) * (plot_right - left) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_height}" '
        f'viewBox="0 0 {width} {total_height}" role="img" aria-label="questionnaire totals by session">',
        f'<rect width="{width}" height="{total_height}" fill="white"/>',
    ]
    if not charted:
        parts.append(
            f'<text x="{width / 2}" y="40" text-anchor="middle" font-size="12">no scored measures</text>'
        )
    for index, name in enumerate(charted):
        panel_top = top + index * panel
        parts.extend(_panel(name, data[name]["points"], x, panel_top, panel - 36, left, plot_right))
    if charted:
        axis_y = top + len(charted) * panel - 36
        parts.extend(
            f'<text x="{x(session):.1f}" y="{axis_y + 16}" text-anchor="middle" '
            f'font-size="10">{session}</text>'
            for session in sessions
        )
        parts.append(
            f'<text x="{(left + plot_right) / 2:.1f}" y="{axis_y + 32}" text-anchor="middle" '
            'font-size="12">session</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


_BAND_FILLS: Final = ("#f6f8fa", "#eaeef2")


def _chart_order(data: dict[str, Any]) -> list[str]:
    """PHQ-9 and GAD-7 first, then any other instrument with a total, by id."""
    return [n for n in _CHARTED if n in data] + sorted(n for n in data if n not in _CHARTED)


def _scale(name: str) -> tuple[int, int, list[tuple[str, int]]] | None:
    """The lowest and highest total of a summed instrument and its bands ``(id, minimum)``;
    ``None`` otherwise."""
    instrument = INSTRUMENTS.get(name)
    if instrument is None or instrument.aggregation is not Aggregation.SUM:
        return None
    lowest = sum(item.minimum for item in instrument.scored_items)  # UCLA-3: 3 (Hughes et al. 2004)
    # An answer meaning "not assessed" is never scored (HAM-D item 16's 3: total 0-52, Guy 1976).
    highest = sum(_top(item) for item in instrument.scored_items)
    bands = [] if instrument.bands is None else [(b.id, int(b.minimum)) for b in instrument.bands.bands]
    return lowest, highest, bands


def _panel(  # noqa: PLR0917 - one panel's geometry, called in one place
    name: str,
    points: list[dict[str, Any]],
    x: Any,
    panel_top: float,
    panel_height: float,
    left: float,
    plot_right: float,
) -> list[str]:
    lowest, highest, bands = _scale(name) or (0, 1, [])
    label = short_name(INSTRUMENTS[name])
    colour = _COLOURS.get(name, "#57606a")

    def y(value: float) -> float:
        return panel_top + (1 - (value - lowest) / (highest - lowest)) * panel_height

    parts = [
        f'<g aria-label="{escape(label)} totals">',
        f'<text x="{left}" y="{panel_top - 8:.1f}" font-size="12" font-weight="bold" fill="{colour}">'
        f"{escape(label)} ({lowest}–{highest})</text>",
    ]
    for n, (band, minimum) in enumerate(bands):
        upper = bands[n + 1][1] if n + 1 < len(bands) else highest
        if upper <= minimum and n + 1 < len(bands):
            continue
        parts.append(
            f'<rect x="{left}" y="{y(upper):.1f}" width="{plot_right - left:.1f}" '
            f'height="{y(minimum) - y(upper):.1f}" fill="{_BAND_FILLS[n % 2]}"/>'
        )
        parts.append(
            f'<text x="{plot_right + 6:.1f}" y="{(y(minimum) + y(upper)) / 2 + 4:.1f}" font-size="10" '
            f'fill="#57606a">{escape(_words(band))}</text>'
        )
    ticks = sorted({lowest, highest, *(minimum for _, minimum in bands)})
    for tick in ticks:
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="10">{tick}</text>'
        )
        parts.append(
            f'<line x1="{left - 3}" y1="{y(tick):.1f}" x2="{left}" y2="{y(tick):.1f}" stroke="#888"/>'
        )
    parts += [
        f'<line x1="{left}" y1="{panel_top:.1f}" x2="{left}" y2="{panel_top + panel_height:.1f}" '
        'stroke="#888"/>',
        f'<line x1="{left}" y1="{panel_top + panel_height:.1f}" x2="{plot_right:.1f}" '
        f'y2="{panel_top + panel_height:.1f}" stroke="#888"/>',
        f'<text x="{left - 40}" y="{panel_top + panel_height / 2:.1f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 {left - 40} {panel_top + panel_height / 2:.1f})">total</text>',
    ]
    scored = [(p["session"], p["total"]) for p in points if p["total"] is not None]
    coords = " ".join(f"{x(s):.1f},{y(t):.1f}" for s, t in scored)
    if coords:
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
    parts.extend(f'<circle cx="{x(s):.1f}" cy="{y(t):.1f}" r="3" fill="{colour}"/>' for s, t in scored)
    parts.append("</g>")
    return parts
