"""Scoring: totals, bands, completeness, explicit proration and risk flags, from raw answers.

A missing answer (``None`` or a :class:`~ipt_core.domain.sessions.Missing` reason) is never counted
as 0. A total from incomplete answers exists only under a :class:`ScoringPolicy` that switches
proration on, and the :class:`Score` then says it was prorated.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from ipt_core import _hints
from ipt_core.domain._maps import reduce_record
from ipt_core.domain.measures.instruments import (
    INSTRUMENTS,
    Aggregation,
    BandTable,
    Instrument,
    Item,
    expected_answers,
    misfit_message,
)
from ipt_core.domain.risk import (
    DEFAULT_RISK_SETTINGS,
    HAMD_SUICIDE_ITEM,
    PHQ9_ITEM9,
    RiskFlag,
    RiskSettings,
    hamd_item3_flags,
    phq2_flags,
    phq9_item9_flags,
)
from ipt_core.domain.sessions import InstrumentAnswers, Missing
from ipt_core.errors import Problem, ProblemCode, ValidationError

__all__ = [
    "AnswersInput",
    "ProrationRounding",
    "Score",
    "ScoringPolicy",
    "score",
    "score_record",
]

AnswersInput = Sequence[object] | Mapping[str, object]
"""Answers in item order, or by item id. Each answer is an ``int``, ``None`` or a missing reason."""

_MISSING_WORDS: Final = frozenset(m.value for m in Missing)
_MEAN_DECIMALS: Final = 2
_MEAN_STEP: Final = Decimal(1).scaleb(-_MEAN_DECIMALS)
"""A mean is given to 2 decimals."""


def _frozen_map(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _frozen_setting(value: object) -> object:
    """A read-only copy of a map; anything else is kept as it is, for the policy to refuse."""
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


class ProrationRounding(StrEnum):
    """How a prorated total (mean of the answered items x number of items) is made a whole number.

    The NHS Data Dictionary (PHQ-9) [V] substitutes the mean of the answered items for one or two
    missing ones and says nothing of rounding; no other source found does: a setting."""

    HALF_UP = "half_up"
    """To the nearest whole number, halves up (14.5 is 15): the default."""
    HALF_EVEN = "half_even"
    """To the nearest whole number, halves to the even one (14.5 is 14; 15.5 is 16)."""
    UP = "up"
    """Up to the next whole number (14.25 is 15)."""
    DOWN = "down"
    """Down to the whole number below (14.75 is 14)."""


def _rounding(value: object) -> object:
    if type(value) is str and value in _ROUNDINGS:
        return ProrationRounding(value)
    return value


_ROUNDINGS: Final = frozenset(r.value for r in ProrationRounding)


@attrs.frozen
class ScoringPolicy:
    """Choices a service makes about scoring, each defaulting to the reference.

    ``prorate`` is off by default: incomplete answers have no total. Switched on, an instrument is
    prorated when at most ``max_missing`` of its scored items are missing (default: the
    instrument's own, e.g. 2 for the PHQ-9), never when a ``never_prorate`` item (PHQ-9 item 9) is
    missing; the prorated total is rounded by ``proration_rounding``. ``bands`` replaces an
    instrument's band table (e.g. a PHQ-2 cut-off of 2).
    """

    __reduce__ = reduce_record

    prorate: bool = False
    max_missing: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_setting)
    """Per instrument id: how many scored items may be missing in a prorated total."""
    bands: Mapping[str, BandTable] = attrs.field(factory=dict, converter=_frozen_setting)
    """Per instrument id: a band table used instead of the instrument's default."""
    proration_rounding: ProrationRounding = attrs.field(
        default=ProrationRounding.HALF_UP, converter=_rounding
    )
    """How a prorated sum is made a whole number (:class:`ProrationRounding`; default half up)."""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if type(self.prorate) is not bool:  # "false" is a truthy text, not a choice
            problems.append(Problem("$.prorate", ProblemCode.WRONG_TYPE, "true or false"))
        problems += _max_missing_problems(self.max_missing)
        if not isinstance(self.bands, Mapping):
            problems.append(
                Problem("$.bands", ProblemCode.WRONG_TYPE, "a map of instrument ids to band tables")
            )
        else:
            for key, table in self.bands.items():
                if key not in INSTRUMENTS:
                    problems.append(Problem("$.bands", ProblemCode.UNKNOWN_KEY, "not an instrument id"))
                elif not isinstance(table, BandTable):
                    problems.append(Problem(f"$.bands.{key}", ProblemCode.WRONG_TYPE, "a BandTable"))
        if not isinstance(self.proration_rounding, ProrationRounding):
            problems.append(
                Problem(
                    "$.proration_rounding",
                    ProblemCode.NOT_ALLOWED,
                    "one of " + ", ".join(sorted(_ROUNDINGS)),
                    allowed=tuple(r.value for r in ProrationRounding),
                )
            )
        if problems:
            raise ValidationError(problems)

    def band_table(self, instrument: Instrument) -> BandTable | None:
        """The band table in force for ``instrument``."""
        return self.bands.get(instrument.id, instrument.bands)

    def allowed_missing(self, instrument: Instrument) -> int:
        """How many scored items may be missing in a prorated total of ``instrument``."""
        return self.max_missing.get(instrument.id, instrument.max_missing)


def _max_missing_problems(max_missing: object) -> list[Problem]:
    """A map of instrument ids to whole numbers, 0 or more (a total needs one answer at least,
    whatever the number allowed missing)."""
    if not isinstance(max_missing, Mapping):
        return [Problem("$.max_missing", ProblemCode.WRONG_TYPE, "a map of instrument ids to whole numbers")]
    problems: list[Problem] = []
    for key, value in max_missing.items():
        instrument = INSTRUMENTS.get(key) if type(key) is str else None
        if instrument is None:
            problems.append(Problem("$.max_missing", ProblemCode.UNKNOWN_KEY, "not an instrument id"))
        elif type(value) is not int:
            problems.append(Problem(f"$.max_missing.{key}", ProblemCode.WRONG_TYPE, "a whole number"))
        elif value < 0:
            problems.append(Problem(f"$.max_missing.{key}", ProblemCode.OUT_OF_RANGE, "0 or more"))
    return problems


DEFAULT_POLICY: Final = ScoringPolicy()

Total = int | float
"""A total: an integer for summed instruments, a float (2 decimals) for mean-scored ones."""


@attrs.frozen
class Score:
    """The result of scoring one set of answers."""

    __reduce__ = reduce_record

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


_RISK_FLAGS: Final[Mapping[str, Callable[[Mapping[str, int | None], RiskSettings], tuple[RiskFlag, ...]]]] = (
    MappingProxyType(
        {
            "phq9": lambda values, settings: phq9_item9_flags(values[PHQ9_ITEM9], settings=settings),
            "hamd17": lambda values, settings: hamd_item3_flags(values[HAMD_SUICIDE_ITEM], settings=settings),
            "phq2": lambda values, settings: phq2_flags(list(values.values()), settings=settings),
        }
    )
)
"""The risk flags a score carries, by instrument, from its answers by item id
(:mod:`~ipt_core.domain.risk`)."""


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
    if isinstance(options, str) or not isinstance(options, Iterable):
        raise ValidationError.single("$.options", ProblemCode.WRONG_TYPE, "a list of options")
    problems = [
        Problem(f"$.options[{i}]", ProblemCode.NOT_ALLOWED, misfit_message(instrument, f"options[{i}]"))
        for i, option in enumerate(options)
        if option not in instrument.options
    ]
    if problems:
        raise ValidationError(problems)
    return tuple(dict.fromkeys(options))


_DECIMAL_ROUNDING: Final = {
    ProrationRounding.HALF_UP: ROUND_HALF_UP,
    ProrationRounding.HALF_EVEN: ROUND_HALF_EVEN,
    ProrationRounding.UP: ROUND_CEILING,
    ProrationRounding.DOWN: ROUND_FLOOR,
}


def _whole(value: Fraction, rounding: ProrationRounding) -> int:
    """``value`` (0 or more) as a whole number, rounded by ``rounding``, exactly (no float)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=_DECIMAL_ROUNDING[rounding]))


def _mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values))


def _as_total(aggregation: Aggregation, value: Fraction) -> Total:
    if aggregation is Aggregation.MEAN:
        # Halves up from the exact mean (5.125 is 5.13), not from its binary float (5.12).
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return float(exact.quantize(_MEAN_STEP, rounding=ROUND_HALF_UP))
    return int(value)


def score(
    instrument_id: str,
    answers: AnswersInput,
    *,
    options: Sequence[str] = (),
    policy: ScoringPolicy | None = None,
    risk_settings: RiskSettings | None = None,
) -> Score:
    """Score ``answers`` to the instrument ``instrument_id``; its risk flags are graded by
    ``risk_settings`` (a service's own cut-offs, :class:`~ipt_core.domain.risk.RiskSettings`;
    default: the published ones), as the flags of a case are.

    Raises :class:`~ipt_core.errors.ValidationError` for an unknown instrument or option, an answer
    of the wrong type or out of range, or the wrong number of answers.
    """
    if policy is not None and not isinstance(policy, ScoringPolicy):
        raise ValidationError.single(
            "$.policy", ProblemCode.WRONG_TYPE, "a ScoringPolicy, or None for the default"
        )
    if risk_settings is None:
        risk_settings = DEFAULT_RISK_SETTINGS
    elif not isinstance(risk_settings, RiskSettings):
        raise ValidationError.single(
            "$.risk_settings", ProblemCode.WRONG_TYPE, "a RiskSettings, or None for the default"
        )
    instrument = INSTRUMENTS.get(instrument_id) if type(instrument_id) is str else None
    if instrument is not None:
        plan = _plan_for(instrument, options)
        if plan is not None:
            found = _fast_total(plan, answers, policy)
            if found is not None:
                return _fast_score(plan, answers, found, risk_settings)  # type: ignore[arg-type]
    return _score_general(instrument_id, answers, options=options, policy=policy, risk_settings=risk_settings)


def _score_general(
    instrument_id: str,
    answers: AnswersInput,
    *,
    options: Sequence[str] = (),
    policy: ScoringPolicy | None = None,
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> Score:
    """:func:`score` by the general rules: every input, every policy, every problem reported."""
    instrument = INSTRUMENTS.get(instrument_id) if type(instrument_id) is str else None
    if instrument is None:
        known = tuple(INSTRUMENTS)
        message = "not a known instrument id; " + _hints.known_ids(known, instrument_id)
        raise ValidationError([Problem("$.instrument", ProblemCode.NOT_ALLOWED, message, allowed=known)])
    chosen = _check_options(instrument, options)
    values = _read_answers(instrument, answers)
    policy = DEFAULT_POLICY if policy is None else policy

    raise_flags = _RISK_FLAGS.get(instrument.id)
    flags = () if raise_flags is None else raise_flags(values, risk_settings)

    dropped = _dropped(instrument, chosen)
    scored: list[Item] = []
    not_assessed: list[str] = []
    for item in instrument.scored_items:
        if item.id in dropped:
            continue  # an option takes it out (WSAS retired: item 1)
        if item.not_assessed is not None and values[item.id] == item.not_assessed:
            not_assessed.append(item.id)  # recorded as not assessed: not scored (HAM-D item 16 = 3)
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
            # The mean of the answered items for each missing one (NHS Data Dictionary, PHQ-9 [V]):
            # the sum x (the highest total / the highest the answered items could sum to). Where the
            # items share a range this is round(mean x number of items); where they do not (HAM-D
            # 0-4 and 0-2), it keeps the total within its range.
            answered = [i for i in scored if values[i.id] is not None]
            share = Fraction(sum(_top(i) for i in scored), sum(_top(i) for i in answered))
            exact = Fraction(_whole(Fraction(sum(present)) * share, policy.proration_rounding))
        else:
            exact = _mean(present)

    table = policy.band_table(instrument)
    band = table.band_of(exact) if exact is not None and table is not None else None

    subscales = _subscales(instrument, usable)
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


def _subscales(instrument: Instrument, usable: Mapping[str, int | None]) -> dict[str, Total | None]:
    """Each subscale's value from the usable answers by item id (``None`` where one is missing)."""
    subscales: dict[str, Total | None] = {}
    for name, item_ids in instrument.subscales.items():
        parts = [v for i in item_ids if (v := usable.get(i)) is not None]
        subscales[name] = (
            _as_total(
                instrument.aggregation,
                _mean(parts) if instrument.aggregation is Aggregation.MEAN else Fraction(sum(parts)),
            )
            if len(parts) == len(item_ids)
            else None
        )
    return subscales


def _dropped(instrument: Instrument, chosen: Sequence[str]) -> frozenset[str]:
    """The ids of the items the ``chosen`` options take out of the total."""
    return frozenset(i for option in chosen for i in instrument.unscored_by_option.get(option, ()))


def _top(item: Item) -> int:
    """The highest answer ``item`` adds to a total: its maximum, unless that means "not assessed"
    (HAM-D item 16's 3, so it adds at most 2: total 0-52, §4)."""
    return item.maximum - 1 if item.not_assessed == item.maximum else item.maximum


def _range(
    instrument: Instrument, scored: Sequence[Item], not_assessed: Sequence[str]
) -> tuple[Total, Total]:
    del not_assessed
    low = [i.minimum for i in scored]
    high = [_top(i) for i in scored]
    if not scored:
        return 0, 0
    if instrument.aggregation is Aggregation.MEAN:
        return (_as_total(Aggregation.MEAN, _mean(low)), _as_total(Aggregation.MEAN, _mean(high)))
    return sum(low), sum(high)


def score_record(
    record: InstrumentAnswers,
    *,
    policy: ScoringPolicy | None = None,
    risk_settings: RiskSettings | None = None,
) -> Score:
    """Score the answers recorded in a session (:class:`InstrumentAnswers`), with its options."""
    if not isinstance(record, InstrumentAnswers):
        raise TypeError(f"record must be an ipt_core InstrumentAnswers, not {type(record).__name__}")
    return score(
        record.instrument, record.answers, options=record.options, policy=policy, risk_settings=risk_settings
    )


# --- the fast path --------------------------------------------------------------------------------
#
# Most recorded answers are complete: every item answered with an integer in its range. For those,
# every rule of the general path above comes down to a sum and a look-up, so each instrument (with
# each set of its options) is compiled once, from the same data and the same helpers, into a
# :class:`_Plan`: which items are scored, which ranges hold, and the total and band of every sum
# the items can make. Anything else (a missing answer, a wrong type, a value out of range, a
# "not assessed" answer, a map by item id, unknown or repeated options) goes to the general path,
# which reports problems. The two paths give equal results (tests/test_scoring_fastpath.py).


@attrs.frozen
class _Plan:
    """One instrument, with one set of options, compiled for complete integer answers."""

    instrument: Instrument
    options: tuple[str, ...]
    ids: tuple[str, ...]
    """Every item id, in order."""
    shortest: int
    """The fewest answers that give every required and every scored item."""
    values: frozenset[int]
    """Every answer some item accepts (the union of the item ranges)."""
    narrow: tuple[tuple[int, int, int], ...]
    """``(index, minimum, maximum)`` of the items whose range is narrower than ``values``."""
    unassessed: tuple[tuple[int, int], ...]
    """``(index, answer)`` of the scored items whose answer may mean "not assessed"."""
    scored: slice | None
    """The scored answers, when they are consecutive (else ``scored_at``)."""
    scored_at: tuple[int, ...]
    count: int
    """How many items are scored (the divisor of a mean)."""
    lowest: int
    """The smallest sum of the scored answers."""
    by_sum: tuple[tuple[Total, str | None], ...]
    """The total and the default band of each possible sum, from ``lowest`` up."""
    range: tuple[Total, Total] | None


def _compile(instrument: Instrument, options: tuple[str, ...]) -> _Plan | None:
    items = instrument.items
    dropped = _dropped(instrument, options)
    scored_at = tuple(n for n, item in enumerate(items) if item.scored and item.id not in dropped)
    counted = [items[n] for n in scored_at]
    if instrument.aggregation is not Aggregation.NONE and not counted:
        return None  # nothing to total: the general path says so
    needed = [n for n, item in enumerate(items) if item.required or n in scored_at]
    values = frozenset(v for item in items for v in range(item.minimum, item.maximum + 1))
    narrow = tuple(
        (n, item.minimum, item.maximum)
        for n, item in enumerate(items)
        if values != frozenset(range(item.minimum, item.maximum + 1))
    )
    unassessed = tuple((n, value) for n in scored_at if (value := items[n].not_assessed) is not None)
    consecutive = scored_at == tuple(range(scored_at[0], scored_at[-1] + 1)) if scored_at else False
    lowest = sum(i.minimum for i in counted)
    by_sum: list[tuple[Total, str | None]] = []
    value_range: tuple[Total, Total] | None = None
    if instrument.aggregation is not Aggregation.NONE:
        for total in range(lowest, sum(_top(i) for i in counted) + 1):
            exact = _exact(instrument.aggregation, total, len(counted))
            table = instrument.bands
            by_sum.append(
                (_as_total(instrument.aggregation, exact), None if table is None else table.band_of(exact))
            )
        value_range = _range(instrument, counted, ())
    return _Plan(
        instrument=instrument,
        options=options,
        ids=tuple(i.id for i in items),
        shortest=max(needed, default=-1) + 1,
        values=values,
        narrow=narrow,
        unassessed=unassessed,
        scored=slice(scored_at[0], scored_at[-1] + 1) if consecutive else None,
        scored_at=scored_at,
        count=len(counted),
        lowest=lowest,
        by_sum=tuple(by_sum),
        range=value_range,
    )


def _exact(aggregation: Aggregation, total: int, count: int) -> Fraction:
    return Fraction(total, count) if aggregation is Aggregation.MEAN else Fraction(total)


def _option_sets(options: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every list of distinct ``options``, in any order (the keys a record's options can take)."""
    return [p for size in range(len(options) + 1) for p in itertools.permutations(options, size)]


@functools.cache
def _plans(instrument_id: str) -> Mapping[tuple[str, ...], _Plan | None]:
    """The compiled plans of a built-in instrument, one per list of its options: compiled on first
    use from the instrument's definition (never from answers)."""
    instrument = INSTRUMENTS[instrument_id]
    return MappingProxyType({key: _compile(instrument, key) for key in _option_sets(instrument.options)})


def _plan_for(instrument: Instrument, options: object) -> _Plan | None:
    """The plan for ``instrument`` with ``options`` as given (``None``: use the general path)."""
    if type(options) is tuple:
        if not options:
            return _plans(instrument.id)[()]
        key = options
    elif type(options) is list:
        key = tuple(options)
    else:
        return None
    for option in key:
        if type(option) is not str:
            return None
    return _plans(instrument.id).get(key)


def _fast_total(
    plan: _Plan, answers: object, policy: ScoringPolicy | None, *, typed: bool = False
) -> tuple[Total | None, str | None] | None:
    """The total and band of complete integer ``answers``, or ``None`` for the general path.

    ``typed``: every answer is already known to be exactly an ``int``, ``None`` or a missing reason
    (a record's answers), so that ``values`` alone tells the integers in range from the rest.
    """
    if type(answers) is not tuple and type(answers) is not list:
        return None
    given: Sequence[object] = answers
    count = len(given)
    if count < plan.shortest or count > len(plan.ids):
        return None
    if not typed:
        for value in given:
            if type(value) is not int:
                return None  # a bool or a float equals an integer in ``values``
    if not plan.values.issuperset(given):
        return None
    for index, low, high in plan.narrow:
        if index < count and not low <= given[index] <= high:  # type: ignore[operator]
            return None
    for index, value in plan.unassessed:
        if given[index] == value:
            return None
    if plan.range is None:  # recorded only: no total
        return None, None
    scored = given[plan.scored] if plan.scored is not None else [given[i] for i in plan.scored_at]
    total: int = sum(scored)  # type: ignore[arg-type]
    table = None if policy is None else policy.bands.get(plan.instrument.id)
    if table is None:
        return plan.by_sum[total - plan.lowest]
    exact = _exact(plan.instrument.aggregation, total, plan.count)
    return _as_total(plan.instrument.aggregation, exact), table.band_of(exact)


def _fast_score(
    plan: _Plan,
    answers: Sequence[int],
    found: tuple[Total | None, str | None],
    risk_settings: RiskSettings = DEFAULT_RISK_SETTINGS,
) -> Score:
    """The :class:`Score` of answers :func:`_fast_total` accepted, as the general path makes it."""
    instrument = plan.instrument
    values: dict[str, int | None] = dict(zip(plan.ids, answers, strict=False))
    if len(answers) < len(plan.ids):
        values.update(dict.fromkeys(plan.ids[len(answers) :]))
    raise_flags = _RISK_FLAGS.get(instrument.id)
    total, band = found
    return Score(
        instrument=instrument.id,
        total=total,
        band=band,
        complete=True,
        prorated=False,
        risk_flags=() if raise_flags is None else raise_flags(values, risk_settings),
        subscales=_subscales(instrument, values) if instrument.subscales else {},
        answers=values,
        options=plan.options,
        range=plan.range,
    )


def _record_total(
    record: InstrumentAnswers, policy: ScoringPolicy | None = None
) -> tuple[Total | None, str | None] | None:
    """The total and band of a record of a known instrument whose answers are complete integers
    (as :func:`score_record` gives them, with ``complete`` true and ``prorated`` false), or
    ``None`` where the general path must score it (:func:`score_record`).

    A record's answers are already known to be integers, missing reasons or ``None`` (its field
    rule checks each type exactly), so only the values are looked at here.
    """
    plans = _plans(record.instrument)
    options = record.options
    plan = plans[()] if not options else plans.get(options)
    if plan is None:
        return None
    return _fast_total(plan, record.answers, policy, typed=True)
