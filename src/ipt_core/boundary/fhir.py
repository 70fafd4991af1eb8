"""FHIR R4 export of answers and scores, as plain dicts (no FHIR library at run time).

Shapes follow HL7 FHIR R4 and the SDC guide [V]: a QuestionnaireResponse whose items carry LOINC
linkIds (HL7-PHR style) and LOINC answer codes (LL358-3, LL359-1), declines recorded as
``data-absent-reason#asked-declined``; the score as an Observation (status final, category
survey, the total's LOINC code, ``valueInteger`` or a ``{score}`` quantity) with ``derivedFrom``
pointing at the QuestionnaireResponse, and the band as a component. A risk flag becomes a ``Flag``
(one way to log an escalation): active while open,
inactive once a risk check has reviewed it, its code the library's stable risk code, its grade and
session as extensions, never an answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from ipt_core.domain._days import case_of
from ipt_core.domain.measures.instruments import INSTRUMENTS, Aggregation, Instrument
from ipt_core.domain.measures.scoring import AnswersInput, Score, score
from ipt_core.domain.risk import (
    DEFAULT_RISK_SETTINGS,
    RiskFlag,
    RiskSettings,
    flag_source,
    open_risk_flags,
    risk_flags,
)
from ipt_core.domain.sessions import Missing
from ipt_core.errors import ProblemCode, ValidationError

if TYPE_CHECKING:
    from ipt_core.domain.case import Case

__all__ = ["LOCAL_SYSTEM", "case_risk_flags", "observation", "questionnaire_response", "risk_flag"]

JSON = dict[str, Any]

LOINC: Final = "http://loinc.org"
DATA_ABSENT: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM: Final = "http://unitsofmeasure.org"
LOCAL_SYSTEM: Final = "urn:ipt-core"
"""Prefix of the library's own code systems, for instruments, items and bands without LOINC."""

# §9.1 [V]: LL358-3 frequency answers (HL7-PHR, MII-PRO, qpath).
_FREQUENCY: Final = (
    ("LA6568-5", "Not at all"),
    ("LA6569-3", "Several days"),
    ("LA6570-1", "More than half the days"),
    ("LA6571-9", "Nearly every day"),
)
# §9.1 [V]: LL359-1 difficulty answers; the code numbers are not in severity order.
_DIFFICULTY: Final = (
    ("LA6572-7", "Not difficult at all"),
    ("LA6573-5", "Somewhat difficult"),
    ("LA6575-0", "Very difficult"),
    ("LA6574-3", "Extremely difficult"),
)
_PHQ_FAMILY: Final = frozenset({"phq9", "phq2", "gad7", "gad2"})
_ABSENT: Final = {Missing.DECLINED: "asked-declined", Missing.UNKNOWN: "asked-unknown"}
"""A declined or unknown answer is recorded as absent with its reason; a skipped or null one is
left out (FHIR has no 'skipped' reason)."""


_FHIR_ID: Final = re.compile(r"[A-Za-z0-9\-.]{1,64}")
"""A FHIR resource id (FHIR R4 ``id`` datatype [V])."""


def _resource_id(value: object) -> str:
    if type(value) is not str:
        raise ValidationError.single("$.id", ProblemCode.WRONG_TYPE, "a FHIR id: a text")
    if not _FHIR_ID.fullmatch(value):
        raise ValidationError.single(
            "$.id", ProblemCode.PATTERN, "a FHIR id: 1-64 of A-Z, a-z, 0-9, '-', '.'"
        )
    return value


def _reference(value: object) -> JSON:
    if type(value) is not str:
        raise ValidationError.single("$.subject", ProblemCode.WRONG_TYPE, 'a reference such as "Patient/123"')
    if not value.strip():
        raise ValidationError.single("$.subject", ProblemCode.TOO_SHORT, 'a reference such as "Patient/123"')
    return {"reference": value}


def _when(value: date | datetime, path: str) -> str:
    if not isinstance(value, date):
        raise ValidationError.single(path, ProblemCode.WRONG_TYPE, "a date or a datetime")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValidationError.single(path, ProblemCode.INVALID_VALUE, "a datetime needs a zone")
    return value.isoformat()


def _link_id(instrument: Instrument, index: int) -> str:
    item = instrument.items[index]
    return item.loinc or item.id


def _answer(instrument: Instrument, index: int, value: int) -> JSON:
    item = instrument.items[index]
    if instrument.id in _PHQ_FAMILY:
        table = _DIFFICULTY if item.id == "phq9_10" else _FREQUENCY
        code, display = table[value]
        return {"valueCoding": {"system": LOINC, "code": code, "display": display}}
    return {"valueInteger": value}


def _raw(instrument: Instrument, answers: AnswersInput) -> list[object]:
    if isinstance(answers, Mapping):
        return [answers.get(i.id) for i in instrument.items]
    if isinstance(answers, Sequence):
        return [*answers, *[None] * (len(instrument.items) - len(answers))]
    return [None] * len(instrument.items)


def questionnaire_response(
    instrument_id: str,
    answers: AnswersInput,
    *,
    authored: date | datetime,
    id: str | None = None,
    subject: str | None = None,
    options: Sequence[str] = (),
    questionnaire: str | None = None,
) -> JSON:
    """A FHIR R4 QuestionnaireResponse (status completed) for ``answers`` to the instrument.

    The answers are checked as :func:`~ipt_core.measures.score` checks them. An item one of the
    ``options`` takes out of the total (WSAS work, ``retired``) is recorded as not applicable
    (``data-absent-reason#not-applicable``), whatever was answered. ``subject`` is a
    reference such as ``"Patient/123"``; ``questionnaire`` defaults to the LOINC form
    (``http://loinc.org/q/<panel>``) or the library's own canonical.
    """
    score(instrument_id, answers, options=options)  # validates, raising ValidationError
    instrument = INSTRUMENTS[instrument_id]
    values = _raw(instrument, answers)
    dropped = {i for option in options for i in instrument.unscored_by_option.get(option, ())}
    items: list[JSON] = []
    for index, value in enumerate(values):
        entry: JSON = {"linkId": _link_id(instrument, index)}
        if instrument.items[index].id in dropped:  # e.g. WSAS work for a retired client: not counted
            entry["answer"] = [{"valueCoding": {"system": DATA_ABSENT, "code": "not-applicable"}}]
        elif type(value) is int:
            entry["answer"] = [_answer(instrument, index, value)]
        elif isinstance(value, str) and Missing(value) in _ABSENT:
            code = _ABSENT[Missing(value)]
            entry["answer"] = [{"valueCoding": {"system": DATA_ABSENT, "code": code}}]
        else:
            continue
        items.append(entry)
    canonical = questionnaire or (
        f"http://loinc.org/q/{instrument.panel_loinc}"
        if instrument.panel_loinc
        else f"{LOCAL_SYSTEM}:questionnaire:{instrument.id}"
    )
    resource: JSON = {"resourceType": "QuestionnaireResponse"}
    if id is not None:
        resource["id"] = _resource_id(id)
    resource |= {
        "questionnaire": canonical,
        "status": "completed",
        "authored": _when(authored, "$.authored"),
    }
    if subject is not None:
        resource["subject"] = _reference(subject)
    if items:
        resource["item"] = items
    return resource


def _code(instrument: Instrument) -> JSON:
    if instrument.total_loinc:
        return {
            "coding": [{"system": LOINC, "code": instrument.total_loinc}],
            "text": f"{instrument.name} total score",
        }
    return {
        "coding": [{"system": f"{LOCAL_SYSTEM}:instrument", "code": instrument.id}],
        "text": f"{instrument.name} score",
    }


def observation(
    result: Score,
    *,
    effective: date | datetime,
    derived_from: str,
    id: str | None = None,
    subject: str | None = None,
) -> JSON:
    """A FHIR R4 Observation of ``result``: the total (or a data-absent reason), its band as a
    component, a note when it was prorated, and ``derivedFrom`` the QuestionnaireResponse
    ``derived_from`` (a reference such as ``"QuestionnaireResponse/qr-1"``)."""
    instrument = INSTRUMENTS.get(result.instrument)
    if instrument is None or instrument.aggregation is Aggregation.NONE:
        raise ValidationError.single("$.instrument", ProblemCode.NOT_ALLOWED, "an instrument with a total")
    resource: JSON = {"resourceType": "Observation"}
    if id is not None:
        resource["id"] = _resource_id(id)
    resource |= {
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": _code(instrument),
    }
    if subject is not None:
        resource["subject"] = _reference(subject)
    resource["effectiveDateTime"] = _when(effective, "$.effective")
    if result.total is None:
        resource["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT, "code": "unknown"}]}
    elif isinstance(result.total, int):
        resource["valueInteger"] = result.total
    else:
        resource["valueQuantity"] = {
            "value": result.total,
            "unit": "{score}",
            "system": UCUM,
            "code": "{score}",
        }
    if result.prorated:
        resource["note"] = [{"text": "Total prorated from incomplete answers."}]
    resource["derivedFrom"] = [{"reference": derived_from}]
    if result.band is not None:
        resource["component"] = [
            {
                "code": {"coding": [{"system": f"{LOCAL_SYSTEM}:component", "code": "band"}]},
                "valueCodeableConcept": {
                    "coding": [{"system": f"{LOCAL_SYSTEM}:band:{instrument.id}", "code": result.band}]
                },
            }
        ]
    return resource


FLAG_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/flag-category"
RISK_GRADE_EXTENSION: Final = f"{LOCAL_SYSTEM}:extension:risk-grade"
RISK_SESSION_EXTENSION: Final = f"{LOCAL_SYSTEM}:extension:risk-session"


def risk_flag(
    flag: RiskFlag,
    *,
    subject: str,
    open: bool,
    raised_on: date | None = None,
    id: str | None = None,
) -> JSON:
    """A FHIR R4 ``Flag`` for a risk flag: ``active`` while ``open``, ``inactive`` once reviewed.

    ``subject`` is a reference such as ``"Patient/123"`` (FHIR requires one). The code is the
    library's stable risk code, with where it came from as display text; the grade and the session
    number are extensions. The answer that raised it is never included.
    """
    resource: JSON = {"resourceType": "Flag"}
    if id is not None:
        resource["id"] = _resource_id(id)
    extensions: list[JSON] = [{"url": RISK_GRADE_EXTENSION, "valueCode": flag.level.value}]
    if flag.session is not None:
        extensions.append({"url": RISK_SESSION_EXTENSION, "valueInteger": flag.session})
    resource |= {
        "extension": extensions,
        "status": "active" if open else "inactive",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}],
        "code": {
            "coding": [
                {"system": f"{LOCAL_SYSTEM}:risk", "code": flag.code.value, "display": flag_source(flag)}
            ],
            "text": f"{flag_source(flag)} ({flag.level.value})",
        },
        "subject": _reference(subject),
    }
    if raised_on is not None:
        resource["period"] = {"start": _when(raised_on, "$.raised_on")}
    return resource


def case_risk_flags(
    case: Case,
    *,
    subject: str,
    today: date | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> list[JSON]:
    """Every risk flag of ``case`` (sessions held by ``today``, when given) as a FHIR ``Flag``, the
    open ones first, each dated by its session; ``risk_settings`` are the service's cut-offs, the
    same the agenda and the report grade with (a ``TypeError`` for anything but
    :class:`~ipt_core.risk.RiskSettings`)."""
    case = case_of(case)
    days = {s.number: s.date for s in case.sessions}
    still_open = open_risk_flags(case, today=today, settings=risk_settings)
    reviewed = [f for f in risk_flags(case, today=today, settings=risk_settings) if f not in still_open]
    return [
        risk_flag(
            f, subject=subject, open=is_open, raised_on=None if f.session is None else days.get(f.session)
        )
        for is_open, group in ((True, still_open), (False, reviewed))
        for f in group
    ]
