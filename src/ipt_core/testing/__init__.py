"""Testing helpers for apps that embed ipt_core: hypothesis strategies and realistic sample cases.

``sample_case`` needs nothing beyond ipt_core. The strategies need hypothesis, installed with the
``testing`` extra (``pip install ipt-core[testing]``)::

    from hypothesis import given
    from ipt_core.testing import cases

    @given(cases())
    def test_my_view_renders_any_case(case): ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipt_core.testing._courses import Step, simulate_course
from ipt_core.testing._groups import sample_group, sample_group_cases
from ipt_core.testing._samples import sample_case, sample_cohort

if TYPE_CHECKING:
    from ipt_core.testing._group_strategies import groups
    from ipt_core.testing._strategies import (
        answers,
        any_value,
        cases,
        complete_answers,
        contracts,
        dates,
        escalations,
        formulations,
        fuzzy_dates,
        ids,
        instrument_answers,
        inventories,
        life_events,
        people,
        problem_areas,
        protocols,
        safety_plans,
        sessions,
        texts,
        timelines,
    )

__all__ = [
    "Step",
    "answers",
    "any_value",
    "cases",
    "complete_answers",
    "contracts",
    "dates",
    "escalations",
    "formulations",
    "fuzzy_dates",
    "ids",
    "instrument_answers",
    "inventories",
    "life_events",
    "people",
    "problem_areas",
    "protocols",
    "safety_plans",
    "sample_case",
    "sample_cohort",
    "sessions",
    "simulate_course",
    "texts",
    "timelines",
]


__all__ += ["groups", "sample_group", "sample_group_cases"]


if not TYPE_CHECKING:  # mypy reads the imports above, so that a misspelt name is still an error

    def __getattr__(name: str) -> Any:
        # The strategies import hypothesis, which only the `testing` extra installs.
        if name == "groups":
            from ipt_core.testing import _group_strategies  # noqa: PLC0415

            return _group_strategies.groups
        if name in __all__:
            try:
                from ipt_core.testing import _strategies  # noqa: PLC0415
            except ModuleNotFoundError as error:
                if error.name != "hypothesis":
                    raise
                raise ModuleNotFoundError(
                    f"ipt_core.testing.{name} needs hypothesis: install it with "
                    "`pip install 'ipt-core[testing]'` (or `pip install hypothesis`)",
                    name="hypothesis",
                ) from None
            return getattr(_strategies, name)
        raise AttributeError(f"module 'ipt_core.testing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
