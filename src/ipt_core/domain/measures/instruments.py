"""The instruments, as data: items with stable ids, LOINC codes, ranges, band tables and sources.

Every clinical number here comes from a published source, cited next to it with its evidence mark
([V] verified, [S] secondary, [U] unverified) and listed in the docs' bibliography. Where a number is
not verified it is still the default, but only as a band table or rule a :class:`ScoringPolicy`
(:mod:`ipt_core.domain.measures.scoring`) can replace; nothing here is computed or generated: LOINC
codes are written out one by one because they do not run in sequence.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from ipt_core import _hints
from ipt_core.domain._maps import reduce_record
from ipt_core.errors import Problem, ProblemCode, UnknownIdError, ValidationError

__all__ = [
    "INSTRUMENTS",
    "Aggregation",
    "Band",
    "BandTable",
    "Instrument",
    "Item",
    "all_instruments",
    "get_instrument",
]


class Aggregation(StrEnum):
    """How an instrument's items make its total."""

    SUM = "sum"
    """The sum of the scored items (PHQ-9, GAD-7, WSAS, HAM-D, UCLA-3)."""
    MEAN = "mean"
    """The mean of the scored items (MSPSS, per Zimet 1988)."""
    NONE = "none"
    """No total: the answers are recorded, each kept as it is (SRM-5, IPOS)."""


@attrs.frozen
class Item:
    """One item of an instrument: a stable id, its range and (where one exists) its LOINC code."""

    id: str
    """Stable id, ``<instrument>_<number>`` (e.g. ``phq9_9``); never a position computed later."""
    number: int
    """The item's number on the form (1-based)."""
    minimum: int
    maximum: int
    loinc: str | None = None
    """The item's LOINC code, written out from the reference; ``None`` where none was found."""
    scored: bool = True
    """Whether the item counts towards the total (the PHQ-9 difficulty item does not)."""
    required: bool = True
    """Whether the item must be present in a sequence of answers (trailing optional items may be
    left off: the PHQ-9 difficulty item, a second IPOS focal area)."""
    topic: str = ""
    """A short label for the item (a clinician's abbreviation, not the licensed item text)."""
    not_assessed: int | None = None
    """The answer that means "not assessed": recorded, never scored, and left out of the highest
    possible total (HAM-D item 16: 3). ``None`` where every answer in range is scored."""


def _exact_minimum(value: object) -> object:
    """A whole number as a :class:`~fractions.Fraction`; anything else kept, for the band to refuse."""
    return Fraction(value) if type(value) is int else value


@attrs.frozen
class Band:
    """A band: ``id`` applies from ``minimum`` (inclusive) up to the next band's minimum."""

    id: str
    minimum: Fraction = attrs.field(converter=_exact_minimum)
    """A whole number or a :class:`~fractions.Fraction` (``Fraction("5.1")``), never a float, whose
    binary value is not the number written."""

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if type(self.id) is not str or not self.id:
            problems.append(Problem("$.id", ProblemCode.WRONG_TYPE, "a non-empty band id"))
        if type(self.minimum) is not Fraction:
            problems.append(
                Problem(
                    "$.minimum", ProblemCode.WRONG_TYPE, 'a whole number or a Fraction, e.g. Fraction("5.1")'
                )
            )
        if problems:
            raise ValidationError(problems)


def _band(band_id: str, minimum: int | str) -> Band:
    return Band(band_id, Fraction(minimum))


@attrs.frozen
class BandTable:
    """An ordered band table, lowest band first, with the source it comes from."""

    bands: tuple[Band, ...]
    source: str
    """Where the table comes from, and its evidence tag in the reference."""

    def __attrs_post_init__(self) -> None:
        if type(self.bands) is not tuple:
            raise ValidationError.single("$.bands", ProblemCode.WRONG_TYPE, "a tuple of Band, lowest first")
        problems = [
            Problem(f"$.bands[{i}]", ProblemCode.WRONG_TYPE, "a Band")
            for i, band in enumerate(self.bands)
            if not isinstance(band, Band)
        ]
        if not self.bands:
            problems.append(Problem("$.bands", ProblemCode.TOO_SHORT, "one band at least"))
        if problems:
            raise ValidationError(problems)
        seen: set[str] = set()
        for i, band in enumerate(self.bands):
            if i and band.minimum <= self.bands[i - 1].minimum:
                problems.append(Problem(f"$.bands[{i}].minimum", ProblemCode.ORDER, "above the band before"))
            if band.id in seen:
                problems.append(
                    Problem(f"$.bands[{i}].id", ProblemCode.DUPLICATE_ID, "a band id not used before")
                )
            seen.add(band.id)
        if problems:  # a ValueError too, as before
            raise ValidationError(problems)

    def band_of(self, total: Fraction) -> str | None:
        """The id of the band holding ``total`` (``None`` below the first band)."""
        found: str | None = None
        for band in self.bands:
            if total >= band.minimum:
                found = band.id
        return found

    @property
    def ids(self) -> tuple[str, ...]:
        """The band ids, lowest first."""
        return tuple(b.id for b in self.bands)


def _frozen_subscales(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Instrument:
    """A questionnaire or rating scale, as data."""

    __reduce__ = reduce_record

    id: str
    """Stable id: ``phq9``, ``gad7``, ..."""
    name: str
    items: tuple[Item, ...]
    aggregation: Aggregation
    bands: BandTable | None
    """The default band table (``None`` where no verified or commonly used one exists)."""
    panel_loinc: str | None
    total_loinc: str | None
    attribution: str
    """The copyright or licence attribution to show with the instrument."""
    source: str
    """Where the scoring rule comes from."""
    max_missing: int = 0
    """Default number of scored items that may be missing when proration is switched on."""
    never_prorate: tuple[str, ...] = ()
    """Item ids that may never be missing in a prorated total (PHQ-9 item 9)."""
    subscales: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_subscales)
    """Named subscales: their item ids (MSPSS). Same aggregation as the total."""
    options: tuple[str, ...] = ()
    """Options a session record may carry that change scoring (WSAS ``retired``)."""
    unscored_by_option: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_frozen_subscales)
    """Per option: the ids of the items it takes out of the total (WSAS ``retired``: item 1)."""
    clinician_rated: bool = False
    note: str = ""
    higher_is_better: bool = False
    """Whether a higher total means the client is better (MSPSS: more perceived support, Zimet 1988).
    Rules of a fall (response, remission, early non-improvement, reliable deterioration) read a
    falling total as improvement, so they refuse such an instrument rather than read it backwards."""

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """The items that count towards the total."""
        return tuple(i for i in self.items if i.scored)

    @property
    def required_count(self) -> int:
        """How many items a sequence of answers must have at least."""
        return sum(1 for i in self.items if i.required)

    def item(self, item_id: str) -> Item:
        """The item with this id (``KeyError`` if there is none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


# --- the PHQ and GAD family -----------------------------------------------------------------------

PFIZER_ATTRIBUTION: Final = (
    "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, "
    "Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. "
    "No permission required to reproduce, translate, display or distribute."
)
"""The Pfizer statement in the LOINC/LHC-derived forms and the SDC PHQ-9 example [V]; the same for
the GAD-7."""


def _items(prefix: str, spec: tuple[tuple[str | None, str], ...], low: int, high: int) -> tuple[Item, ...]:
    return tuple(
        Item(f"{prefix}_{n}", n, low, high, loinc=code, topic=topic)
        for n, (code, topic) in enumerate(spec, start=1)
    )


# §1.1 [V]: item LOINC codes from HL7-PHR `phq9`, MII-PRO; response 0-3 (Kroenke 2001).
_PHQ9_ITEMS: Final = (
    ("44250-9", "anhedonia"),
    ("44255-8", "low mood"),
    ("44259-0", "sleep"),
    ("44254-1", "energy"),
    ("44251-7", "appetite"),
    ("44258-2", "self-esteem / guilt"),
    ("44252-5", "concentration"),
    ("44253-3", "psychomotor"),
    ("44260-8", "thoughts of death or self-harm"),
)

PHQ9: Final = Instrument(
    id="phq9",
    name="Patient Health Questionnaire-9 (PHQ-9)",
    items=(
        *_items("phq9", _PHQ9_ITEMS, 0, 3),
        # §1.4 [V]: the difficulty item is not added to the total (CamCOPS q10; awell-health);
        # coded 0-3 as in CamCOPS. LOINC 69722-7 is [S] in §9.1, kept as the LHC/CIRG form's code.
        Item(
            "phq9_10",
            10,
            0,
            3,
            loinc="69722-7",
            scored=False,
            required=False,
            topic="functional difficulty",
        ),
    ),
    aggregation=Aggregation.SUM,
    # §1.2 [V]: Kroenke, Spitzer & Williams 2001 (JGIM 16:606): 5, 10, 15, 20 = mild, moderate,
    # moderately severe, severe; CamCOPS phq9.py severity(); NHSE-TT IET SQL.
    bands=BandTable(
        (
            _band("minimal", 0),
            _band("mild", 5),
            _band("moderate", 10),
            _band("moderately_severe", 15),
            _band("severe", 20),
        ),
        source="Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606 [V]",
    ),
    panel_loinc="44249-1",  # §9.1 [V]
    total_loinc="44261-6",  # §9.1 [V]
    attribution=PFIZER_ATTRIBUTION,
    source="Kroenke, Spitzer & Williams 2001; total 0-27 (CamCOPS MAX_SCORE_MAIN = 3 * 9) [V]",
    # NHS Data Dictionary, PHQ-9 [V]: one or two missing values may be substituted with the average
    # of the non-missing items, more than two and it is disregarded; qscorer/Arrieta 2017 the same
    # [V]. Never item 9 (risk cannot be assessed without it).
    max_missing=2,
    never_prorate=("phq9_9",),
)

PHQ2: Final = Instrument(
    id="phq2",
    name="Patient Health Questionnaire-2 (PHQ-2)",
    items=_items("phq2", _PHQ9_ITEMS[:2], 0, 3),  # §1.7 [V]: PHQ-9 items 1-2, total 0-6
    aggregation=Aggregation.SUM,
    # §1.7: ≥3 conventional (Kroenke 2003 [S]); Arroll 2010 recommends ≥2 [V]: configurable,
    # default 3.
    bands=BandTable(
        (_band("negative", 0), _band("positive", 3)),
        source="Kroenke, Spitzer & Williams 2003 cut-off ≥3 [S]; Arroll 2010 ≥2 as an option [V]",
    ),
    panel_loinc="55757-9",  # §1.7 [V]
    total_loinc="55758-7",  # §1.7 [V]/[S]
    attribution=PFIZER_ATTRIBUTION,
    source="PHQ-9 items 1-2 (Kroenke, Spitzer & Williams 2003)",
)

# §2.1 [V]: HL7-PHR GAD-7 QuestionnaireResponse linkIds. Not in sequence: never generate them.
_GAD7_ITEMS: Final = (
    ("69725-0", "nervous, anxious or on edge"),
    ("68509-9", "cannot stop or control worrying"),
    ("69733-4", "worrying too much"),
    ("69734-2", "trouble relaxing"),
    ("69735-9", "restless"),
    ("69689-8", "easily annoyed or irritable"),
    ("69736-7", "afraid something awful might happen"),
)

GAD7: Final = Instrument(
    id="gad7",
    name="Generalized Anxiety Disorder-7 (GAD-7)",
    items=_items("gad7", _GAD7_ITEMS, 0, 3),
    aggregation=Aggregation.SUM,
    # §2.2 [V]: Kroenke 2007 (EBM abstract) 5, 10, 15 = mild, moderate, severe; CamCOPS gad7.py.
    # This is the severity band; NHS Talking Therapies caseness (≥8) is a separate setting
    # (ipt_core.domain.progress.TalkingTherapiesSettings).
    bands=BandTable(
        (_band("minimal", 0), _band("mild", 5), _band("moderate", 10), _band("severe", 15)),
        source="Spitzer et al. 2006, Arch Intern Med 166:1092; Kroenke et al. 2007 [V]",
    ),
    panel_loinc="69737-5",  # §2.1 [V]
    total_loinc="70274-6",  # §2.1 [V]
    attribution=PFIZER_ATTRIBUTION,
    source="Spitzer et al. 2006; total 0-21 (CamCOPS gad7.py MAX_SCORE = 21) [V]",
    # §2.3: no verified rule [U]; "prorate if ≤1 of 7 missing" is the reference's design advice.
    max_missing=1,
)

GAD2: Final = Instrument(
    id="gad2",
    name="Generalized Anxiety Disorder-2 (GAD-2)",
    items=_items("gad2", _GAD7_ITEMS[:2], 0, 3),  # §2.4 [S]: GAD-7 items 1-2, total 0-6
    aggregation=Aggregation.SUM,
    bands=BandTable(
        (_band("negative", 0), _band("positive", 3)),
        source="conventional cut-off ≥3 [S]",
    ),
    panel_loinc=None,  # §2.4: no dedicated GAD-2 panel code [S]
    total_loinc=None,
    attribution=PFIZER_ATTRIBUTION,
    source="GAD-7 items 1-2 (Kroenke et al. 2007) [S]",
)

# --- function, clinician rating -------------------------------------------------------------------

WSAS: Final = Instrument(
    id="wsas",
    name="Work and Social Adjustment Scale (WSAS)",
    # §3 [V]: CamCOPS wsas.py MIN_PER_Q = 0, MAX_PER_Q = 8, NQUESTIONS = 5; domains as listed.
    items=tuple(
        Item(f"wsas_{n}", n, 0, 8, topic=topic)
        for n, topic in enumerate(
            ("work", "home management", "social leisure", "private leisure", "close relationships"),
            start=1,
        )
    ),
    aggregation=Aggregation.SUM,
    # §3 [S]/[U]: Mundt et al. 2002: <10 subclinical, 10-20 significant impairment, >20 moderately
    # severe or worse; the boundaries at exactly 10 and 20 are ambiguous across sources.
    bands=BandTable(
        (
            _band("subclinical", 0),
            _band("significant", 10),
            _band("moderately_severe_or_worse", 21),
        ),
        source="Mundt, Marks, Shear & Greist 2002, Br J Psychiatry 180:461 [S; boundaries U]",
    ),
    panel_loinc=None,  # §9.1: not found [U]
    total_loinc=None,
    attribution="Copyright © Isaac M. Marks (free-use statement not verified)",  # §3 [V]/[U]
    source="Mundt et al. 2002; ranges and retired rule per CamCOPS wsas.py [V]",
    options=("retired",),
    # §3 [V]: retired (or no job for reasons unrelated to the problem) drops item 1: maximum 32
    # (CamCOPS MAX_IF_RETIRED = 8 * (5 - 1)).
    unscored_by_option={"retired": ("wsas_1",)},
    note="Option 'retired': item 1 (work) is not scored and the maximum becomes 32.",
)

# §4 [V]: 17 scored items, total 0-52, mixed ranges 0-4 and 0-2 (CamCOPS hamd.py). The per-item
# maxima below are those of the published form; 9 items x 4 + 8 items x 2 = 52, the verified total.
_HAMD_ITEMS: Final = (
    (4, "depressed mood"),
    (4, "guilt"),
    (4, "suicide"),
    (2, "insomnia: early"),
    (2, "insomnia: middle"),
    (2, "insomnia: late"),
    (4, "work and activities"),
    (4, "retardation"),
    (4, "agitation"),
    (4, "anxiety: psychic"),
    (4, "anxiety: somatic"),
    (2, "somatic: gastrointestinal"),
    (2, "somatic: general"),
    (2, "genital symptoms"),
    (4, "hypochondriasis"),
    (3, "loss of weight (A by history or B by measurement; 3 = not assessed)"),
    (2, "insight"),
)

HAMD_NOT_ASSESSED: Final = 3
"""Item 16 (A or B) value 3, "not assessed", is not scored (Guy 1976, via CamCOPS) [V]."""
_HAMD_WEIGHT_ITEM: Final = 16
"""The number of the HAM-D item (loss of weight) whose value 3 means "not assessed"."""

HAMD17: Final = Instrument(
    id="hamd17",
    name="Hamilton Rating Scale for Depression, 17 items (HAM-D-17)",
    items=tuple(
        Item(
            f"hamd17_{n}",
            n,
            0,
            high,
            topic=topic,
            # §4 [V]: item 16 (A or B) value 3 means not assessed and is not scored (Guy 1976).
            not_assessed=HAMD_NOT_ASSESSED if n == _HAMD_WEIGHT_ITEM else None,
        )
        for n, (high, topic) in enumerate(_HAMD_ITEMS, start=1)
    ),
    aggregation=Aggregation.SUM,
    # §4 [V]: CamCOPS bands ≥23 very severe, ≥19 severe, ≥14 moderate, ≥8 mild, <8 none.
    # Other band sets exist [U]: configurable.
    bands=BandTable(
        (
            _band("none", 0),
            _band("mild", 8),
            _band("moderate", 14),
            _band("severe", 19),
            _band("very_severe", 23),
        ),
        source="CamCOPS hamd.py severity bands [V]; other published band sets differ [U]",
    ),
    panel_loinc=None,  # §9.1: not found [U]
    total_loinc=None,
    attribution="Public domain (NINDS CDE, quoted in CamCOPS hamd.rst)",  # §4 [V]
    source="Hamilton 1960; Guy 1976 ECDEU manual (item 16); CamCOPS hamd.py [V]",
    options=("item16_b",),
    clinician_rated=True,
    note="Option 'item16_b': item 16 was rated by measurement (B) rather than by history (A). "
    "Item 16 value 3 (not assessed) is not scored (total counts it as nothing).",
)

# --- the interpersonal side -----------------------------------------------------------------------

MSPSS: Final = Instrument(
    id="mspss",
    name="Multidimensional Scale of Perceived Social Support (MSPSS)",
    items=tuple(Item(f"mspss_{n}", n, 1, 7) for n in range(1, 13)),  # §5.1 [V]: 12 items, 1-7
    aggregation=Aggregation.MEAN,  # §5.1 [V]: total and subscales are item means, range 1-7
    # §5.1 [U]: 1-2.9 low, 3-5 moderate, 5.1-7 high. A mean between 5 and 5.1 falls in no
    # published band; with the minimum at 5.1 it is banded moderate.
    bands=BandTable(
        (_band("low", 1), _band("moderate", 3), _band("high", "5.1")),
        source="commonly cited MSPSS bands (no primary source found) [U]",
    ),
    panel_loinc=None,
    total_loinc=None,
    attribution="Zimet, Dahlem, Zimet & Farley 1988 (licence not verified)",  # §5.1 [U]
    source="Zimet, Dahlem, Zimet & Farley 1988, J Pers Assess 52:30 [V]",
    higher_is_better=True,  # §5.1 [V]: higher = more perceived support
    subscales={
        # §5.1 [V]: R code offsets c(0,1,4,9), c(2,3,7,10), c(5,6,8,11).
        "significant_other": ("mspss_1", "mspss_2", "mspss_5", "mspss_10"),
        "family": ("mspss_3", "mspss_4", "mspss_8", "mspss_11"),
        "friends": ("mspss_6", "mspss_7", "mspss_9", "mspss_12"),
    },
)

UCLA3: Final = Instrument(
    id="ucla3",
    name="UCLA 3-item Loneliness Scale",
    # §5.2 [V]: 1 hardly ever, 2 some of the time, 3 often; no reversed items; total 3-9.
    items=tuple(
        Item(f"ucla3_{n}", n, 1, 3, topic=topic)
        for n, topic in enumerate(("lack companionship", "left out", "isolated"), start=1)
    ),
    aggregation=Aggregation.SUM,
    # §5.2 [S]: 3-5 not lonely, 6-9 lonely ("[citation TBA]"; an app hard-codes 6).
    bands=BandTable(
        (_band("not_lonely", 3), _band("lonely", 6)),
        source="common dichotomy 3-5 / 6-9 (no primary source found) [S]",
    ),
    panel_loinc=None,
    total_loinc=None,
    attribution="Hughes, Waite, Hawkley & Cacioppo 2004 (licence not verified)",  # §5.2 [U]
    source="Hughes, Waite, Hawkley & Cacioppo 2004, Res Aging 26:655 [V]",
)

MINUTES_PER_DAY: Final = 24 * 60

SRM5: Final = Instrument(
    id="srm5",
    name="Social Rhythm Metric, 5 items (SRM-5)",
    # §5.3 [V]: the five anchor activities (Monk, Frank, Potts & Kupfer 2002). Each answer is the
    # time of the activity that day, in minutes after midnight. The hit-counting score is [U]:
    # the answers are recorded, not scored.
    items=tuple(
        Item(f"srm5_{n}", n, 0, MINUTES_PER_DAY - 1, topic=topic)
        for n, topic in enumerate(
            (
                "get out of bed",
                "first contact with another person",
                "start work, housework or volunteer activities",
                "have dinner",
                "go to bed",
            ),
            start=1,
        )
    ),
    aggregation=Aggregation.NONE,
    bands=None,
    panel_loinc=None,
    total_loinc=None,
    attribution="Monk et al. 2002 (no licence statement found)",  # §5.3
    source="Monk, Frank, Potts & Kupfer 2002, J Sleep Res 11:183 [V]; scoring rule [U]",
    note="Recorded only: the SRM scoring rule (hits within 45 minutes) is not verified.",
)

IPOS: Final = Instrument(
    id="ipos",
    name="Interpersonal Psychotherapy Outcome Scale (IPOS)",
    # §5.4 [V]: change in each focal problem area on a 5-point scale (Markowitz et al. 2006).
    # One answer per focal area, in the formulation's order; at most two focal areas.
    items=(
        Item("ipos_1", 1, 1, 5, topic="first focal problem area"),
        Item("ipos_2", 2, 1, 5, required=False, topic="second focal problem area"),
    ),
    aggregation=Aggregation.NONE,
    bands=None,
    panel_loinc=None,
    total_loinc=None,
    attribution="Markowitz et al. 2006 (licence not verified)",
    source="Markowitz et al. 2006, J Nerv Ment Dis, doi 10.1097/01.nmd.0000195314.80210.41 [V]",
    note="One rating (1-5) per focal problem area; no total.",
)

INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType(
    {i.id: i for i in (PHQ9, PHQ2, GAD7, GAD2, WSAS, HAMD17, MSPSS, UCLA3, SRM5, IPOS)}
)
"""Every instrument, by id."""


def _squashed(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


_SPELLINGS: Final = MappingProxyType({_squashed(key): key for key in INSTRUMENTS} | {"hamd": "hamd17"})
"""Each instrument id with case, spaces and punctuation taken out (``PHQ-9`` reads ``phq9``)."""


def near_instrument(instrument_id: str) -> str | None:
    """The known instrument id that ``instrument_id`` spells another way (``PHQ9``, ``phq-9``,
    ``GAD 7``, ``HAM-D``), or ``None`` when it is a known id itself or no known id at all.

    A record under such an id would be taken for an instrument the library does not know, and its
    answers neither scored nor read for risk (a PHQ-9 item 9 silently lost), so a case refuses it.
    """
    if instrument_id in INSTRUMENTS:
        return None
    return _SPELLINGS.get(_squashed(instrument_id))


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument with this id (:class:`~ipt_core.errors.UnknownIdError`, a ``KeyError``, if
    there is none: its message lists the known ids)."""
    found = INSTRUMENTS.get(instrument_id) if type(instrument_id) is str else None
    if found is None:
        raise UnknownIdError(_hints.unknown_id("instrument", tuple(INSTRUMENTS), instrument_id), INSTRUMENTS)
    return found


def all_instruments() -> tuple[Instrument, ...]:
    """Every instrument the library scores or records."""
    return tuple(INSTRUMENTS.values())


def _fit(instrument: Instrument) -> tuple[int, int, frozenset[int], frozenset[str]]:
    ranges = {(item.minimum, item.maximum) for item in instrument.items}
    values: frozenset[int] = frozenset()
    if len(ranges) == 1:
        ((low, high),) = ranges
        values = frozenset(range(low, high + 1))
    return instrument.required_count, len(instrument.items), values, frozenset(instrument.options)


FITS: Final = MappingProxyType({key: _fit(inst) for key, inst in INSTRUMENTS.items()})
"""Per instrument: (answers required, answers at most, the values every item accepts when all items
share one range (else empty), the options it knows): a quick check that a record fits."""


def answer_problems(
    instrument: Instrument, answers: tuple[object, ...], options: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Why recorded answers cannot belong to ``instrument``: ``(relative path, code)`` pairs.

    Cheaper than scoring: the count of answers, each integer answer's range and the options. Missing
    answers (``None`` or a reason) are fine here; whether they can be scored is the scorer's call.
    """
    if len(answers) < instrument.required_count:
        return [("answers", "too_short")]
    if len(answers) > len(instrument.items):
        return [("answers", "too_long")]
    found = [
        (f"answers[{index}]", "out_of_range")
        for index, (item, value) in enumerate(zip(instrument.items, answers, strict=False))
        if type(value) is int and not item.minimum <= value <= item.maximum
    ]
    found.extend(
        (f"options[{index}]", "not_allowed")
        for index, option in enumerate(options)
        if option not in instrument.options
    )
    return found


def expected_answers(instrument: Instrument) -> str:
    """What ``instrument`` expects of a list of answers, in words (``GAD-7 expects 7 answers, each 0-3``)."""
    ranges = [(item.minimum, item.maximum) for item in instrument.items]
    return _hints.answers_expected(
        short_name(instrument), instrument.required_count, len(instrument.items), ranges
    )


def short_name(instrument: Instrument) -> str:
    """The instrument's usual abbreviation (``GAD-7``), else its name."""
    name = instrument.name
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1]
    return name


def misfit_message(instrument: Instrument, where: str) -> str:
    """What to fix for one ``(where, code)`` of :func:`answer_problems`, named from the instrument alone."""
    if where == "answers":
        return expected_answers(instrument)
    if where.startswith("answers["):
        index = int(where[len("answers[") : -1])
        item = instrument.items[index]
        return f"item {item.number} of {short_name(instrument)} is scored {item.minimum}-{item.maximum}"
    if instrument.options:
        return f"an option {short_name(instrument)} knows: {_hints.listed(instrument.options)}"
    return f"{short_name(instrument)} takes no options"
