"""Public API for FHIR R4 export: a QuestionnaireResponse, a score Observation and risk Flags, as
dicts."""

from ipt_core.boundary.fhir import (
    LOCAL_SYSTEM,
    case_risk_flags,
    observation,
    questionnaire_response,
    risk_flag,
)

__all__ = ["LOCAL_SYSTEM", "case_risk_flags", "observation", "questionnaire_response", "risk_flag"]
