"""The FastAPI example validates a posted case with ipt_core and returns its next steps."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import ipt_core
from ipt_core.testing import sample_case

SENTINEL = "Zq7SENTINELxx"


def _app() -> Any:
    path = Path(__file__).resolve().parent.parent / "examples" / "web_api.py"
    spec = importlib.util.spec_from_file_location("web_api_example", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_api_example"] = module
    spec.loader.exec_module(module)
    return module.app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app())


def test_a_valid_case_gets_its_phase_and_agenda(client: TestClient) -> None:
    case = sample_case(sessions=8, people=4)
    response = client.post("/cases/next-steps?today=2025-03-01", content=ipt_core.dumps(case))
    assert response.status_code == 200
    data = response.json()
    expected = ipt_core.next_steps(case, today=ipt_core.FuzzyDate(2025, 3, 1).earliest)
    assert data["phase"] == "middle"
    assert data["agenda"]["headline"] == expected.headline
    assert [i["code"] for i in data["agenda"]["items"]] == [i.code for i in expected.items]


def test_an_invalid_case_gets_paths_and_codes_without_values(client: TestClient) -> None:
    document = json.loads(ipt_core.dumps(sample_case(sessions=2, people=2)))
    document["inventory"]["people"][1]["category"] = SENTINEL
    response = client.post("/cases/next-steps", content=json.dumps(document))
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "$.inventory.people[1].category"
    assert SENTINEL not in response.text


def test_garbage_is_refused_cleanly(client: TestClient) -> None:
    response = client.post("/cases/next-steps", content=b"\xff\x00not json")
    assert response.status_code == 422
    assert response.json()["problems"][0]["code"] == "invalid_json"


def test_the_schema_is_served(client: TestClient) -> None:
    assert client.get("/schema").json() == ipt_core.json_schema(ipt_core.Case)


def test_the_case_is_loaded_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules["web_api_example"]
    on_loop: list[bool] = []
    original = module.answer

    def spy(body: bytes, day: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            on_loop.append(False)
        else:
            on_loop.append(True)
        return original(body, day)

    monkeypatch.setattr(module, "answer", spy)
    client = TestClient(module.app)
    assert (
        client.post("/cases/next-steps", content=ipt_core.dumps(sample_case(sessions=2))).status_code == 200
    )
    assert on_loop == [False]


def test_the_body_is_limited_while_it_is_read() -> None:
    module = sys.modules["web_api_example"]
    chunk = b" " * 65536
    sent: list[int] = []
    replies: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        sent.append(len(chunk))
        return {"type": "http.request", "body": chunk, "more_body": len(sent) < 1000}  # 64 MiB offered

    async def send(message: dict[str, Any]) -> None:
        replies.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/cases/next-steps",
        "raw_path": b"/cases/next-steps",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test")],
        "client": ("test", 1),
        "server": ("test", 80),
    }
    asyncio.run(module.app(scope, receive, send))
    assert replies[0]["status"] == 413
    assert sum(sent) <= module.MAX_BODY + 2 * len(chunk)


def test_a_declared_oversized_body_is_refused_before_reading(client: TestClient) -> None:
    response = client.post("/cases/next-steps", content=b" " * (2 * 1024 * 1024))
    assert response.status_code == 413


def test_a_bad_query_value_is_not_echoed(client: TestClient) -> None:
    response = client.post(f"/cases/next-steps?today={SENTINEL}", content=b"{}")
    assert response.status_code == 422
    assert SENTINEL not in response.text
    assert response.json()["problems"][0]["path"] == "query.today"


def test_a_hostile_body_gets_a_small_reply(client: TestClient) -> None:
    body = b'{"kind":"case","schema_version":1,"sessions":[' + b",".join([b"{}"] * 1000) + b"]}"
    response = client.post("/cases/next-steps", content=body)
    assert response.status_code == 422
    assert len(response.content) < 20_000
    assert response.json()["problems"][-1]["code"] == "too_many_problems"
