"""FHIR R4 export, validated with the fhir.resources R4B models (test-only dependency).

Shapes: measures-and-progress.md §9.3 [V]; R4B stands in for R4 as §9.4 recommends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ipt_core.domain.sessions import Missing
from ipt_core.errors import ValidationError
from ipt_core.fhir import observation, questionnaire_response
from ipt_core.measures import ScoringPolicy, score

r4b_qr = pytest.importorskip("fhir.resources.R4B.questionnaireresponse")
r4b_obs = pytest.importorskip("fhir.resources.R4B.observation")

WHEN = datetime(2024, 3, 4, 10, 30, tzinfo=UTC)


def test_phq9_questionnaire_response_validates() -> None:
    answers = [1, 2, 0, 3, 1, 0, 2, 1, Missing.DECLINED, 2]
    qr = questionnaire_response("phq9", answers, authored=WHEN, id="qr-1", subject="Patient/p1")
    r4b_qr.QuestionnaireResponse.model_validate(qr)
    assert qr["questionnaire"] == "http://loinc.org/q/44249-1"
    items = {i["linkId"]: i["answer"][0] for i in qr["item"]}
    # §9.1 [V]: LL358-3 answer codes; item 9 declined is data-absent-reason#asked-declined.
    assert items["44255-8"]["valueCoding"]["code"] == "LA6570-1"
    assert items["44254-1"]["valueCoding"]["code"] == "LA6571-9"
    assert items["44260-8"]["valueCoding"]["code"] == "asked-declined"
    # §9.1 [V]: LL359-1; "Very difficult" is LA6575-0 (codes out of order).
    assert items["69722-7"]["valueCoding"]["code"] == "LA6575-0"


def test_gad7_link_ids_are_the_loinc_item_codes() -> None:
    qr = questionnaire_response("gad7", [0, 1, 2, 3, 0, 1, None], authored=date(2024, 3, 4))
    r4b_qr.QuestionnaireResponse.model_validate(qr)
    assert [i["linkId"] for i in qr["item"]] == [
        "69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8",
    ]  # fmt: skip


def test_observation_with_loinc_total_band_and_derived_from() -> None:
    result = score("phq9", [2, 2, 2, 2, 2, 1, 1, 0, 0])
    obs = observation(result, effective=WHEN, derived_from="QuestionnaireResponse/qr-1", id="o1")
    r4b_obs.Observation.model_validate(obs)
    assert obs["code"]["coding"][0] == {"system": "http://loinc.org", "code": "44261-6"}
    assert obs["valueInteger"] == 12
    assert obs["derivedFrom"] == [{"reference": "QuestionnaireResponse/qr-1"}]
    assert obs["category"][0]["coding"][0]["code"] == "survey"
    assert obs["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == "moderate"


def test_gad7_observation_uses_70274_6() -> None:
    obs = observation(score("gad7", [1] * 7), effective=WHEN, derived_from="QuestionnaireResponse/q")
    r4b_obs.Observation.model_validate(obs)
    assert obs["code"]["coding"][0]["code"] == "70274-6"  # §2.1 [V]


def test_prorated_unscored_and_mean_scores() -> None:
    prorated = score("phq9", [1, None, 1, 1, 1, 1, 1, 1, 0], policy=ScoringPolicy(prorate=True))
    obs = observation(prorated, effective=WHEN, derived_from="QuestionnaireResponse/q")
    r4b_obs.Observation.model_validate(obs)
    assert obs["note"]
    absent = observation(score("phq9", [1] * 8 + [None]), effective=WHEN, derived_from="X/1")
    r4b_obs.Observation.model_validate(absent)
    assert "dataAbsentReason" in absent
    mspss = observation(score("mspss", [5] * 12), effective=WHEN, derived_from="X/1")
    r4b_obs.Observation.model_validate(mspss)
    assert mspss["valueQuantity"]["code"] == "{score}"
    wsas = questionnaire_response("wsas", [None, 1, 2, 3, 4], authored=WHEN, options=["retired"])
    r4b_qr.QuestionnaireResponse.model_validate(wsas)
    assert wsas["item"][0]["answer"][0]["valueCoding"]["code"] == "not-applicable"  # retired: no work item
    assert wsas["item"][1] == {"linkId": "wsas_2", "answer": [{"valueInteger": 1}]}


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValidationError):
        questionnaire_response("phq9", [4] * 9, authored=WHEN)
    with pytest.raises(ValidationError):
        questionnaire_response("phq9", [0] * 9, authored=datetime(2024, 1, 1))
    with pytest.raises(ValidationError):
        observation(score("srm5", [1, 2, 3, 4, 5]), effective=WHEN, derived_from="X/1")


@pytest.mark.parametrize("item_1", [None, 3])
def test_an_item_an_option_takes_out_of_the_total_is_not_applicable(item_1: int | None) -> None:
    """A retired client's WSAS: the work item is recorded as not applicable, so the response agrees
    with its Observation (total 10 of 32) and is never read as an unanswered or counted item 1."""
    answers = [item_1, 1, 2, 3, 4]
    qr = questionnaire_response("wsas", answers, authored=date(2024, 3, 4), options=("retired",))
    r4b_qr.QuestionnaireResponse.model_validate(qr)
    items = {i["linkId"]: i["answer"] for i in qr["item"]}
    assert items["wsas_1"] == [
        {
            "valueCoding": {
                "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "code": "not-applicable",
            }
        }
    ]
    assert [items[f"wsas_{n}"] for n in range(2, 6)] == [[{"valueInteger": v}] for v in (1, 2, 3, 4)]
    assert score("wsas", answers, options=("retired",)).total == 10
    working = questionnaire_response("wsas", [2, 1, 2, 3, 4], authored=date(2024, 3, 4))
    assert working["item"][0] == {"linkId": "wsas_1", "answer": [{"valueInteger": 2}]}
