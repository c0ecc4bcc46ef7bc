"""Synthetic monthly industrial statistics by town, year-to-date cumulative, January 2019 - February 2025.

Calibration (real figures in ../shared/data/public_figures.csv): Haimen's above-scale industry sold about
1,280 亿元 in 2022 (taxable sales); its high-tech output share was estimated at 47 % for 2022 and reported at
38.5 % for 2024 (37.22 % for January-June 2025). The sample reproduces that break the way the README of the
public figures suggests it may have happened: **a large non-high-tech plant enters 临江新区's total output from
September 2023** (ramping up over four months), so the district share falls from ≈ 47 % (2022) to ≈ 44 %
(2023) and ≈ 38.5 % (2024) while high-tech output itself keeps growing. The profit share hovers around
51-54 % with noise, so the plan's 54 % for 2024 is genuinely uncertain. Monthly flows follow a seasonal path
(January-February low, December high) with noise; 2020 has a COVID dip in the first quarter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from helpers.sample.world_record import FreeWorld

INDICATORS = ("total_output", "hightech_output", "total_profit", "hightech_profit")
#: share of district output by town, and each town's high-tech share relative to the district's.
TOWN_OUTPUT_P = {
    "kfq": 0.27, "ljxq": 0.13, "hmgxq": 0.10, "scgy": 0.10, "sanxing": 0.08, "changle": 0.06,
    "yuelai": 0.05, "sijia": 0.05, "zhengyu": 0.04, "yudong": 0.07, "haiyong": 0.05,
}
TOWN_HIGHTECH_REL = {
    "kfq": 1.22, "ljxq": 0.95, "hmgxq": 0.85, "scgy": 1.10, "sanxing": 0.70, "changle": 0.95,
    "yuelai": 1.02, "sijia": 0.90, "zhengyu": 0.80, "yudong": 0.92, "haiyong": 0.60,
}
BASE_OUTPUT_2019 = 11_000_000.0  # 万元 = 1,100 亿元 a year, without the new plant
OUTPUT_GROWTH = {2019: 1.0, 2020: 0.98, 2021: 1.12, 2022: 1.06, 2023: 1.05, 2024: 1.05, 2025: 1.05}
#: district high-tech share of output *without* the new plant, and high-tech share of profit (all firms).
HIGHTECH_SHARE = {2019: 0.435, 2020: 0.445, 2021: 0.458, 2022: 0.470, 2023: 0.475, 2024: 0.480, 2025: 0.482}
PROFIT_SHARE = {2019: 0.505, 2020: 0.512, 2021: 0.524, 2022: 0.533, 2023: 0.545, 2024: 0.556, 2025: 0.556}
PROFIT_MARGIN = 0.062
TARGET_SHARE_2024 = 0.385
PLANT_TOWN = "ljxq"
PLANT_START = (2023, 9)
PLANT_RAMP = (0.4, 0.6, 0.8)  # first months' output as a fraction of full running
PLANT_MARGIN = 0.012
#: monthly flow weights (January … December), normalised; profits lean harder on December.
OUTPUT_SEASON = np.array([0.066, 0.062, 0.088, 0.082, 0.085, 0.092, 0.080, 0.081, 0.088, 0.086, 0.090, 0.100])
PROFIT_SEASON = np.array([0.050, 0.048, 0.080, 0.076, 0.080, 0.092, 0.074, 0.076, 0.088, 0.085, 0.101, 0.150])
LAST = (2025, 2)


@dataclass(frozen=True)
class Figure:
    town: str
    indicator: str
    year: int
    month: int  # last month covered; 2 for 1-2月
    value: float  # YTD cumulative, 万元


def reported_months(year: int) -> list[int]:
    """Months with a return: 2 (the 1-2月 return) then 3…12, up to February 2025."""
    last = LAST[1] if year == LAST[0] else 12
    return [m for m in range(2, last + 1)]


def _annual_output(growth: dict[int, float] | None = None) -> dict[int, float]:
    growth = growth or OUTPUT_GROWTH
    level, out = BASE_OUTPUT_2019, {}
    for year in sorted(growth):
        level *= growth[year]
        out[year] = level
    return out


def plant_monthly(year: int, month: int) -> float:
    """The new plant's monthly output (万元), sized so the 2024 district share is ≈ ``TARGET_SHARE_2024``."""
    if (year, month) < PLANT_START:
        return 0.0
    base_2024 = _annual_output()[2024]
    full_year = base_2024 * (HIGHTECH_SHARE[2024] / TARGET_SHARE_2024 - 1)
    k = (year - PLANT_START[0]) * 12 + month - PLANT_START[1]
    ramp = PLANT_RAMP[k] if k < len(PLANT_RAMP) else 1.0
    growth = 1.0 if year <= 2024 else OUTPUT_GROWTH[year]
    return full_year / 12 * ramp * growth


def simulate(rng: np.random.Generator, world: FreeWorld | None = None) -> list[Figure]:
    """YTD cumulative figures for every town, indicator and reported month (exact, before rounding).

    The story has its shares, growth and the one plant set by hand; a free world (``sample.world``) draws them
    and puts its own breaks (denominator jumps, level shifts) at its own towns and months."""
    annual = _annual_output(None if world is None else world.output_growth)
    hightech_share = HIGHTECH_SHARE if world is None else world.hightech_share
    profit_share = PROFIT_SHARE if world is None else world.profit_share
    figures: list[Figure] = []
    season_o = OUTPUT_SEASON / OUTPUT_SEASON.sum()
    season_p = PROFIT_SEASON / PROFIT_SEASON.sum()
    rel = np.array([TOWN_HIGHTECH_REL[t] * TOWN_OUTPUT_P[t] for t in TOWN_OUTPUT_P])
    rel_norm = sum(TOWN_OUTPUT_P.values()) / rel.sum()
    town_drift = {t: 1.0 for t in TOWN_OUTPUT_P}
    for year in sorted(annual):
        for t in town_drift:
            town_drift[t] *= 1 + rng.normal(0, 0.025)
        year_share = hightech_share[year] + rng.normal(0, 0.003)
        year_profit_share = profit_share[year] + rng.normal(0, 0.012)
        for town, p in TOWN_OUTPUT_P.items():
            flows = {ind: np.zeros(12) for ind in INDICATORS}
            town_share = min(0.95, year_share * TOWN_HIGHTECH_REL[town] * rel_norm)
            for m in range(12):
                covid = 0.72 if (year == 2020 and m < 2) else (0.9 if (year == 2020 and m == 2) else 1.0)
                out = annual[year] * p * town_drift[town] * season_o[m] * covid * (1 + rng.normal(0, 0.03))
                ht = out * town_share * (1 + rng.normal(0, 0.02))
                profit = annual[year] * p * town_drift[town] * PROFIT_MARGIN * season_p[m] * covid
                profit *= 1 + rng.normal(0, 0.10)
                ht_profit = profit * min(0.97, year_profit_share * (TOWN_HIGHTECH_REL[town] ** 0.5)) * (
                    1 + rng.normal(0, 0.06))
                if world is not None:
                    out, ht = _with_breaks(world, town, year, m + 1, out, ht, annual[year] * p / 12)
                elif town == PLANT_TOWN:
                    plant = plant_monthly(year, m + 1)
                    out += plant
                    profit += plant * PLANT_MARGIN
                flows["total_output"][m] = out
                flows["hightech_output"][m] = ht
                flows["total_profit"][m] = profit
                flows["hightech_profit"][m] = ht_profit
            for ind, f in flows.items():
                ytd = np.cumsum(f)
                for month in reported_months(year):
                    figures.append(Figure(town, ind, year, month, float(ytd[month - 1])))
    return figures


def _with_breaks(world: FreeWorld, town: str, year: int, month: int, out: float, ht: float,
                 usual_month: float) -> tuple[float, float]:
    """A free world's breaks in one town-month: a plant ramping up in the total, or high-tech reclassified."""
    for b in world.breaks:
        k = (year - b.year) * 12 + month - b.month
        if b.town != town or k < 0:
            continue
        if b.kind == "denominator_jump":
            ramp = PLANT_RAMP[k] if k < len(PLANT_RAMP) else 1.0
            out += b.size * usual_month * ramp
        else:
            ht *= 1 + b.size
    return out, min(ht, 0.97 * out)


def release_date(year: int, month: int, lag_days: int) -> dt.date:
    """The release date of the return covering January to ``month`` of ``year``."""
    end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return end + dt.timedelta(days=lag_days)
