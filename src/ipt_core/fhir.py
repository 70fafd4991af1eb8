"""Public API for FHIR R4 export: a QuestionnaireResponse and a score Observation, as dicts."""

from ipt_core.boundary.fhir import LOCAL_SYSTEM, observation, questionnaire_response

__all__ = ["LOCAL_SYSTEM", "observation", "questionnaire_response"]
