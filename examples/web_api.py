"""Embedding ipt_core in a web back end: a small FastAPI service.

``POST /cases/next-steps`` takes a case document, validates it with ipt_core (not with a second,
hand-written model) and returns the phase report and the next session's agenda. Invalid documents
get ``422`` with each problem's path and code, never a value from the document. ``GET /schema``
serves the JSON Schema for front ends.

Three habits worth copying: the body is limited while it is read (a larger one is refused before
the rest arrives); ``loads`` and the domain's work run in the thread pool, so one slow document
does not hold up every other request on the event loop; and every error reply, including
FastAPI's own for a bad query parameter, lists paths and codes only, never a value sent.

Run: ``pip install "ipt-core[web]" uvicorn`` then ``uvicorn examples.web_api:app``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

import ipt_core

app = FastAPI(title="IPT next steps", version=ipt_core.__version__)

MAX_BODY = 1024 * 1024
"""A case with hundreds of sessions is well under 1 MiB; refuse more before reading it all."""
LIMITS = ipt_core.Limits(max_bytes=MAX_BODY, max_problems=50)
"""The body limit, and at most 50 problems listed in a reply (so a reply stays small)."""


class _TooLarge(Exception):
    """The body is larger than :data:`MAX_BODY`."""


def _problems(error: ipt_core.ValidationError) -> list[dict[str, str]]:
    return [{"path": p.path, "code": p.code, "message": p.message} for p in error.problems]


def _too_large() -> JSONResponse:
    return JSONResponse(
        status_code=413,
        content={"problems": [{"path": "$", "code": "too_large", "message": "body too large"}]},
    )


async def _body(request: Request) -> bytes:
    """The body, read chunk by chunk; :class:`_TooLarge` as soon as it passes :data:`MAX_BODY`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@app.exception_handler(RequestValidationError)
async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    """FastAPI's own validation errors (a bad ``today``), as paths and codes: the default reply
    echoes the value sent."""
    problems = [
        {
            "path": ".".join(str(part) for part in item.get("loc", ())),
            "code": str(item.get("type", "invalid")),
        }
        for item in error.errors()[:20]
    ]
    return JSONResponse(status_code=422, content={"problems": problems})


@app.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of a case document."""
    return ipt_core.json_schema(ipt_core.Case)


def answer(body: bytes, day: date) -> tuple[int, dict[str, Any]]:
    """The reply to a posted case: status and content (blocking work: run it in the thread pool)."""
    try:
        case = ipt_core.loads(body, limits=LIMITS)
    except ipt_core.ValidationError as error:
        return 422, {"problems": _problems(error)}
    report = ipt_core.phases.evaluate(case, today=day)
    agenda = ipt_core.next_steps(case, today=day)
    return 200, {
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


@app.post("/cases/next-steps")
async def next_steps(request: Request, today: date | None = None) -> JSONResponse:
    """The phase report and next agenda of the posted case, as of ``today`` (default: today)."""
    try:
        body = await _body(request)
    except _TooLarge:
        return _too_large()
    day = today or date.today()  # the service is the edge; the library takes "today" as given
    status, content = await run_in_threadpool(answer, body, day)
    return JSONResponse(status_code=status, content=content)
