"""Which attainments a section shows, chosen by what they measure (``Attainment.measure``), never by target id.

The catalogue of measures is the contract with the forecast room (``register_valid_stock``, ``ytd_ratio``,
``task_flow``, ``task_stock``, ``task_cumulative``, ``town_growth``, ``coverage``, ``milestone``).
"""

from __future__ import annotations

from collections.abc import Iterable

from helpers.forecast.attainment import Attainment

REGISTER_VALID_STOCK = "register_valid_stock"
YTD_RATIO = "ytd_ratio"


def measure_of(a: Attainment) -> str:
    """What ``a`` measures (the forecast room fills it from the plan file's ``measure``)."""
    return a.measure


def measuring(attainments: Iterable[Attainment], measure: str) -> list[Attainment]:
    """The attainments that measure ``measure``, in plan order."""
    return [a for a in attainments if measure_of(a) == measure]
