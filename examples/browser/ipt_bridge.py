"""The Python side of the browser example: JSON text in, JSON text out, so that the page's script
stays small and never handles a Python object.

The page (``app.js``) writes this file into Pyodide's file system and calls three functions:
:func:`instruments` (to build the questionnaires from the library's instrument data),
:func:`score_answers` and :func:`open_case`. The Node tests call the same functions. Nothing here
reads a clock: the page passes the browser's date in as ``today``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import ipt_core
from ipt_core import measures
from ipt_core.risk import flag_source

QUESTIONNAIRES = ("phq9", "gad7")
"""The questionnaires the page offers."""


def _problems(error: ipt_core.ValidationError) -> list[dict[str, str]]:
    # Paths, codes and the library's own messages, which never quote the input.
    return [{"path": p.path, "code": p.code, "message": p.message} for p in error.problems]


def _flag(flag: ipt_core.RiskFlag) -> dict[str, Any]:
    return {
        "code": flag.code.value,
        "level": flag.level.value,
        "item": flag.item,
        "source": flag_source(flag),
        "session": flag.session,
    }


def instruments() -> str:
    """The questionnaires' items, ranges, bands and attributions, from the library's data."""
    found = []
    for instrument_id in QUESTIONNAIRES:
        instrument = measures.get_instrument(instrument_id)
        found.append(
            {
                "id": instrument.id,
                "name": instrument.name,
                "attribution": instrument.attribution,
                "source": instrument.source,
                "bands_source": instrument.bands.source if instrument.bands else "",
                "items": [
                    {
                        "id": i.id,
                        "number": i.number,
                        "topic": i.topic,
                        "minimum": i.minimum,
                        "maximum": i.maximum,
                    }
                    for i in instrument.scored_items
                ],
            }
        )
    return json.dumps(found)


def score_answers(instrument_id: str, answers_json: str) -> str:
    """Score a list of answers (``null`` for an item left unanswered): total, band and risk flags."""
    if instrument_id not in QUESTIONNAIRES:
        return json.dumps(
            {"ok": False, "problems": [{"path": "$", "code": "unknown_instrument", "message": ""}]}
        )
    answers = json.loads(answers_json)
    try:
        result = measures.score(instrument_id, answers)
    except ipt_core.ValidationError as error:
        return json.dumps({"ok": False, "problems": _problems(error)})
    return json.dumps(
        {
            "ok": True,
            "instrument": result.instrument,
            "total": result.total,
            "band": result.band,
            "complete": result.complete,
            "missing": list(result.missing),
            "range": list(result.range) if result.range else None,
            "risk_flags": [_flag(f) for f in result.risk_flags],
        }
    )


def open_case(data: bytes, today: str) -> str:
    """Validate a case document; if it loads, its next-session agenda as of ``today`` (ISO date).

    The problems name a JSON path and a code, never a value from the document."""
    try:
        case = ipt_core.loads(bytes(data))
    except ipt_core.ValidationError as error:
        return json.dumps({"ok": False, "problems": _problems(error)})
    agenda = ipt_core.next_steps(case, today=date.fromisoformat(today))
    return json.dumps(
        {
            "ok": True,
            "headline": agenda.headline,
            "phase": agenda.phase_label,
            "session": agenda.session,
            "items": [
                {
                    "code": i.code,
                    "text": i.text,
                    "lay_text": i.lay_text,
                    "blocking": i.blocking,
                    "kind": i.kind.value,
                }
                for i in agenda.items
            ],
            "open_risk_flags": [
                _flag(f) for f in ipt_core.open_risk_flags(case, today=date.fromisoformat(today))
            ],
        }
    )
