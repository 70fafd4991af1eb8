"""Embedding ipt_core in a web back end: a small FastAPI service.

``POST /cases/next-steps`` takes a case document, validates it with ipt_core (not with a second,
hand-written model) and returns the phase report and the next session's agenda. Invalid documents
get ``422`` with each problem's path and code, never a value from the document. ``GET /schema``
serves the JSON Schema for front ends.

Run: ``pip install "ipt-core[web]" uvicorn`` then ``uvicorn examples.web_api:app``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import ipt_core

app = FastAPI(title="IPT next steps", version=ipt_core.__version__)

MAX_BODY = 1024 * 1024
"""A case with hundreds of sessions is well under 1 MiB; refuse more before reading it all."""


def _problems(error: ipt_core.ValidationError) -> list[dict[str, str]]:
    return [{"path": p.path, "code": p.code, "message": p.message} for p in error.problems]


@app.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of a case document."""
    return ipt_core.json_schema(ipt_core.Case)


@app.post("/cases/next-steps")
async def next_steps(request: Request, today: date | None = None) -> JSONResponse:
    """The phase report and next agenda of the posted case, as of ``today`` (default: today)."""
    body = await request.body()
    try:
        case = ipt_core.loads(body, limits=ipt_core.Limits(max_bytes=MAX_BODY))
    except ipt_core.ValidationError as error:
        return JSONResponse(status_code=422, content={"problems": _problems(error)})
    day = today or date.today()  # the service is the edge; the library takes "today" as given
    report = ipt_core.phases.evaluate(case, today=day)
    agenda = ipt_core.next_steps(case, today=day)
    return JSONResponse(
        {
            "open_risk_flags": [  # first: a front end shows these before anything else
                {"session": f.session, "code": str(f.code), "level": str(f.level)}
                for f in ipt_core.open_risk_flags(case, today=day)
            ],
            "phase": report.phase.value,
            "allowed": [p.value for p in report.allowed],
            "blocking": [{"id": t.id, "label": t.label, "reason": t.reason} for t in report.blocking],
            "advice": [{"id": t.id, "label": t.label} for t in report.advice],
            "agenda": {
                "headline": agenda.headline,
                "items": [{"code": i.code, "text": i.text, "lay_text": i.lay_text} for i in agenda.items],
            },
            "risk_flags": [
                {"session": f.session, "code": str(f.code), "level": str(f.level)}
                for f in ipt_core.risk_flags(case, today=day)
            ],
        }
    )
