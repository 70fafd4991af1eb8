"""Scoring: totals, bands, completeness, explicit proration and risk flags, from raw answers.

A missing answer (``None`` or a :class:`~ipt_core.domain.sessions.Missing` reason) is never counted
as 0. A total from incomplete answers exists only under a :class:`ScoringPolicy` that switches
proration on, and the :class:`Score` then says it was prorated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from ipt_core import _hints
from ipt_core.domain.measures.instruments import (
    HAMD_NOT_ASSESSED,
    INSTRUMENTS,
    Aggregation,
    BandTable,
    Instrument,
    Item,
    expected_answers,
    misfit_message,
)
from ipt_core.domain.risk import (
    HAMD_SUICIDE_ITEM,
    PHQ9_ITEM9,
    RiskFlag,
    hamd_item3_flags,
    phq2_flags,
    phq9_item9_flags,
)
from ipt_core.domain.sessions import InstrumentAnswers, Missing
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "AnswersInput",
    "Score",
    "ScoringPolicy",
    "score",
    "score_record",
]

AnswersInput = Sequence[object] | Mapping[str, object]
"""Answers in item order, or by item id. Each answer is an ``int``, ``None`` or a missing reason."""

_MISSING_WORDS: Final = frozenset(m.value for m in Missing)
_MEAN_DECIMALS: Final = 2


def _frozen_map(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen
class ScoringPolicy:
    """Choices a service makes about scoring, each defaulting to the reference.

    ``prorate`` is off by default: incomplete answers have no total. Switched on, an instrument is
    prorated when at most ``max_missing`` of its scored items are missing (default: the
    instrument's own, e.g. 2 for the PHQ-9), never when a ``never_prorate`` item (PHQ-9 item 9) is
    missing. ``bands`` replaces an instrument's band table (e.g. a PHQ-2 cut-off of 2).
    """

    prorate: bool = False
    max_missing: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_map)
    """Per instrument id: how many scored items may be missing in a prorated total."""
    bands: Mapping[str, BandTable] = attrs.field(factory=dict, converter=_frozen_map)
    """Per instrument id: a band table used instead of the instrument's default."""

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(f"$.max_missing.{key}", ProblemCode.OUT_OF_RANGE, "0 or more")
            for key, value in self.max_missing.items()
            if key in INSTRUMENTS and (type(value) is not int or value < 0)
        ]
        problems.extend(
            Problem("$.max_missing", ProblemCode.UNKNOWN_KEY, "not an instrument id")
            for key in self.max_missing
            if key not in INSTRUMENTS
        )
        problems.extend(
            Problem("$.bands", ProblemCode.UNKNOWN_KEY, "not an instrument id")
            for key in self.bands
            if key not in INSTRUMENTS
        )
        if problems:
            raise ValidationError(problems)

    def band_table(self, instrument: Instrument) -> BandTable | None:
        """The band table in force for ``instrument``."""
        return self.bands.get(instrument.id, instrument.bands)

    def allowed_missing(self, instrument: Instrument) -> int:
        """How many scored items may be missing in a prorated total of ``instrument``."""
        return self.max_missing.get(instrument.id, instrument.max_missing)


DEFAULT_POLICY: Final = ScoringPolicy()

Total = int | float
"""A total: an integer for summed instruments, a float (2 decimals) for mean-scored ones."""


@attrs.frozen
class Score:
    """The result of scoring one set of answers."""

    instrument: str
    total: Total | None
    """``None`` when the answers cannot be scored (incomplete and not prorated, or no total)."""
    band: str | None
    """The band id of the total (``None`` without a total or a band table)."""
    complete: bool
    """Every scored item was answered."""
    prorated: bool
    """The total was prorated from incomplete answers under the policy."""
    risk_flags: tuple[RiskFlag, ...]
    subscales: Mapping[str, Total | None] = attrs.field(factory=dict, converter=_frozen_map)
    """Subscale values where the instrument has them (MSPSS), ``None`` where incomplete."""
    answers: Mapping[str, int | None] = attrs.field(factory=dict, converter=_frozen_map)
    """The usable answers by item id (``None`` where missing), for recorded-only instruments."""
    missing: tuple[str, ...] = ()
    """Ids of the scored items with no answer."""
    not_assessed: tuple[str, ...] = ()
    """Ids of items rated "not assessed", which are not scored (HAM-D item 16 = 3)."""
    options: tuple[str, ...] = ()
    range: tuple[Total, Total] | None = None
    """The lowest and highest possible total under the options (``None`` without a total)."""


def _is_missing(value: object) -> bool:
    return value is None or isinstance(value, Missing) or (type(value) is str and value in _MISSING_WORDS)


def _check_answer(item: Item, value: object, path: str, problems: list[Problem]) -> int | None:
    if _is_missing(value):
        return None
    if type(value) is not int:  # bool, float, str, ...: not an answer
        problems.append(Problem(path, ProblemCode.WRONG_TYPE, "an integer or a missing reason"))
        return None
    if not item.minimum <= value <= item.maximum:
        problems.append(Problem(path, ProblemCode.OUT_OF_RANGE, f"from {item.minimum} to {item.maximum}"))
        return None
    return value


def _read_answers(instrument: Instrument, answers: object) -> dict[str, int | None]:
    problems: list[Problem] = []
    values: dict[str, int | None] = {}
    items = instrument.items
    if isinstance(answers, Mapping):
        by_id = {i.id: i for i in items}
        for key, value in answers.items():
            if type(key) is not str:
                problems.append(Problem("$.answers", ProblemCode.WRONG_TYPE, "keys are item ids"))
                continue
            item = by_id.get(key)
            if item is None:
                # The key is not echoed: it is input and may hold anything.
                item_ids = tuple(by_id)
                problems.append(
                    Problem(
                        "$.answers",
                        ProblemCode.UNKNOWN_KEY,
                        "not an item of this instrument; " + _hints.closed_set("item id", item_ids, key),
                        allowed=item_ids,
                    )
                )
                continue
            values[key] = _check_answer(item, value, f"$.answers.{key}", problems)
    elif isinstance(answers, Sequence) and not isinstance(answers, str | bytes | bytearray):
        expected = expected_answers(instrument)
        if len(answers) < instrument.required_count:
            problems.append(
                Problem("$.answers", ProblemCode.TOO_SHORT, "too few answers: " + expected, expected=expected)
            )
        elif len(answers) > len(items):
            problems.append(
                Problem("$.answers", ProblemCode.TOO_LONG, "too many answers: " + expected, expected=expected)
            )
        else:
            for index, (item, value) in enumerate(zip(items, answers, strict=False)):
                values[item.id] = _check_answer(item, value, f"$.answers[{index}]", problems)
    else:
        problems.append(
            Problem("$.answers", ProblemCode.WRONG_TYPE, "a list in item order or a map by item id")
        )
    if problems:
        raise ValidationError(problems)
    return {i.id: values.get(i.id) for i in items}


def _check_options(instrument: Instrument, options: Sequence[str]) -> tuple[str, ...]:
    if isinstance(options, str):
        raise ValidationError.single("$.options", ProblemCode.WRONG_TYPE, "a list of options")
    problems = [
        Problem(f"$.options[{i}]", ProblemCode.NOT_ALLOWED, misfit_message(instrument, f"options[{i}]"))
        for i, option in enumerate(options)
        if option not in instrument.options
    ]
    if problems:
        raise ValidationError(problems)
    return tuple(dict.fromkeys(options))


def _round_half_up(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values))


def _as_total(aggregation: Aggregation, value: Fraction) -> Total:
    if aggregation is Aggregation.MEAN:
        return round(float(value), _MEAN_DECIMALS)
    return int(value)


def score(
    instrument_id: str,
    answers: AnswersInput,
    *,
    options: Sequence[str] = (),
    policy: ScoringPolicy | None = None,
) -> Score:
    """Score ``answers`` to the instrument ``instrument_id``.

    Raises :class:`~ipt_core.errors.ValidationError` for an unknown instrument or option, an answer
    of the wrong type or out of range, or the wrong number of answers.
    """
    instrument = INSTRUMENTS.get(instrument_id) if type(instrument_id) is str else None
    if instrument is None:
        known = tuple(INSTRUMENTS)
        message = "not a known instrument id; " + _hints.known_ids(known, instrument_id)
        raise ValidationError([Problem("$.instrument", ProblemCode.NOT_ALLOWED, message, allowed=known)])
    chosen = _check_options(instrument, options)
    values = _read_answers(instrument, answers)
    policy = DEFAULT_POLICY if policy is None else policy

    flags: tuple[RiskFlag, ...] = ()
    if instrument.id == "phq9":
        flags = phq9_item9_flags(values[PHQ9_ITEM9])
    elif instrument.id == "hamd17":
        flags = hamd_item3_flags(values[HAMD_SUICIDE_ITEM])
    elif instrument.id == "phq2":
        flags = phq2_flags([values[item.id] for item in instrument.items])

    scored: list[Item] = []
    not_assessed: list[str] = []
    for item in instrument.scored_items:
        if instrument.id == "wsas" and "retired" in chosen and item.id == "wsas_1":
            continue  # §3 [V]: retired drops item 1 (CamCOPS MAX_IF_RETIRED = 8 * (5 - 1))
        if instrument.id == "hamd17" and item.id == "hamd17_16" and values[item.id] == HAMD_NOT_ASSESSED:
            not_assessed.append(item.id)  # §4 [V]: 3 = not assessed, not scored (Guy 1976)
            continue
        scored.append(item)
    missing = tuple(i.id for i in scored if values[i.id] is None)
    present = [v for i in scored if (v := values[i.id]) is not None]
    complete = not missing
    usable = {k: v for k, v in values.items() if v is not None}

    if instrument.aggregation is Aggregation.NONE:
        required_missing = any(values[i.id] is None for i in instrument.items if i.required)
        return Score(
            instrument=instrument.id,
            total=None,
            band=None,
            complete=not required_missing,
            prorated=False,
            risk_flags=flags,
            answers=values,
            missing=tuple(i.id for i in instrument.items if i.required and values[i.id] is None),
            options=chosen,
        )

    exact: Fraction | None = None
    prorated = False
    if complete and present:
        exact = Fraction(sum(present)) if instrument.aggregation is Aggregation.SUM else _mean(present)
    elif (
        policy.prorate
        and present
        and len(missing) <= policy.allowed_missing(instrument)
        and not set(missing) & set(instrument.never_prorate)
    ):
        prorated = True
        if instrument.aggregation is Aggregation.SUM:
            # §1.5: round(mean x number of items), rounding halves up.
            exact = Fraction(_round_half_up(_mean(present) * len(scored)))
        else:
            exact = _mean(present)

    table = policy.band_table(instrument)
    band = table.band_of(exact) if exact is not None and table is not None else None

    subscales: dict[str, Total | None] = {}
    for name, item_ids in instrument.subscales.items():
        parts = [usable[i] for i in item_ids if i in usable]
        subscales[name] = (
            _as_total(
                instrument.aggregation,
                _mean(parts) if instrument.aggregation is Aggregation.MEAN else Fraction(sum(parts)),
            )
            if len(parts) == len(item_ids)
            else None
        )

    low, high = _range(instrument, scored, not_assessed)
    return Score(
        instrument=instrument.id,
        total=None if exact is None else _as_total(instrument.aggregation, exact),
        band=band,
        complete=complete,
        prorated=prorated,
        risk_flags=flags,
        subscales=subscales,
        answers=values,
        missing=missing,
        not_assessed=tuple(not_assessed),
        options=chosen,
        range=(low, high),
    )


def _range(instrument: Instrument, scored: list[Item], not_assessed: list[str]) -> tuple[Total, Total]:
    del not_assessed
    low = [i.minimum for i in scored]
    high = [i.maximum for i in scored]
    if instrument.id == "hamd17":
        # Item 16's top value (3) means "not assessed", so it adds at most 2 (§4: total 0-52).
        high = [
            min(v, HAMD_NOT_ASSESSED - 1) if i.id == "hamd17_16" else v
            for i, v in zip(scored, high, strict=True)
        ]
    if not scored:
        return 0, 0
    if instrument.aggregation is Aggregation.MEAN:
        return (_as_total(Aggregation.MEAN, _mean(low)), _as_total(Aggregation.MEAN, _mean(high)))
    return sum(low), sum(high)


def score_record(record: InstrumentAnswers, *, policy: ScoringPolicy | None = None) -> Score:
    """Score the answers recorded in a session (:class:`InstrumentAnswers`), with its options."""
    return score(record.instrument, record.answers, options=record.options, policy=policy)
