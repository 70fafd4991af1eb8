"""Public API for FHIR R4 export: a QuestionnaireResponse, a score Observation and risk Flags, as
dicts."""

from ipt_core.boundary import fhir as _fhir
from ipt_core.boundary.fhir import *  # noqa: F403 - the public names are those of the module

__all__: list[str] = []
__all__ += _fhir.__all__
