"""The FastAPI example validates a posted case with ipt_core and returns its next steps."""

from __future__ import annotations

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
