"""Half-yearly task returns as the task models read them: one series, as known at a cut-off, by half year.

Why a module of its own: every task model (``flow``, ``stock``, ``coverage``, ``town_growth``, ``milestone``)
starts from the same view of a return series - the district row (or the sum of the towns), the values at
30 June and 31 December of each year, the latest figure - and from the same pace rule: how much of a year is
normally done by 30 June, from earlier years' completion curves (科技型中小企业 evaluation runs mostly in the
first half; projects mostly in the second), with a stated linear fallback when no earlier year has both returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.towns import DISTRICT
from helpers.vintage import tasks_known

LOOKBACK = 3
#: floor of a yearly rate's squared coefficient of variation beyond Poisson (sd ≥ 30 % of the rate): three years'
#: spread is a poor estimate (two degrees of freedom) and flows move with the year's effort; chosen on free worlds
#: of seeds 0-39 (bench/worlds.md, revision of 2026-11-30), 0.01 before
MIN_CV2 = 0.09
#: floor of the year-to-year sd of the share of a year done by 30 June (year-end pushes move it by 10-25 points
#: in some years); chosen with ``MIN_CV2``
MIN_PACE_SD = 0.08


#: how a flow's pace was found: from earlier years' completion curves, linearly (no earlier year with both
#: returns), not needed (the full year is reported) or not yet (no return this year)
PACE_STATES = ("curve", "linear", "full_year", "none")


@dataclass
class YearForecast:
    """Simulated full-year values of one series for the years ``years`` (n_sims × years)."""

    years: list[int]
    sims: np.ndarray
    latest_value: float | None
    latest_date: dt.date | None
    pace: float | None  # share of the year normally done by the latest return (flows)
    pace_state: str  # one of PACE_STATES
    pace_years: tuple[int, ...]  # the earlier years of the completion curve
    history: pd.DataFrame  # year, h1, fy


def returns(tasks: pd.DataFrame, series: str, cut: pd.Timestamp, town: str | None = DISTRICT) -> pd.DataFrame:
    """Latest known value per (year, period_end) of one return series: the district row, else the sum of the towns.

    With ``town`` a town code, that town's rows; with ``None``, one row per town (column ``town``). What is
    known at ``cut`` is decided by ``helpers.vintage.tasks_known``.
    """
    t = tasks_known(tasks.loc[tasks["task_id"] == series], cut)
    t = t.assign(period_end=pd.to_datetime(t["period_end"]))
    if town is None:
        return t.loc[t["town"] != DISTRICT, ["town", "year", "period_end", "value"]]
    if town == DISTRICT:
        d = t.loc[t["town"] == DISTRICT]
        if d.empty:
            d = t.groupby(["year", "period_end"], as_index=False)["value"].sum()
        return d[["year", "period_end", "value"]].sort_values("period_end").reset_index(drop=True)
    return t.loc[t["town"] == town, ["year", "period_end", "value"]].sort_values("period_end").reset_index(drop=True)


def unit_of(tasks: pd.DataFrame, series: str) -> str:
    """The unit the processed returns give for a series (e.g. 万元 for money), "" when not recorded."""
    if "unit" not in tasks:
        return ""
    units = tasks.loc[tasks["task_id"] == series, "unit"].dropna().unique()
    return str(units[0]) if len(units) else ""


def halves(r: pd.DataFrame) -> pd.DataFrame:
    """year, h1, fy (NaN where not reported)."""
    out = pd.DataFrame(columns=["h1", "fy"], dtype=float)
    for y, m, v in zip(r["year"], r["period_end"].dt.month, r["value"], strict=True):
        out.loc[int(y), "h1" if m <= 6 else "fy"] = float(v)
    out.index.name = "year"
    return out.sort_index().astype(float)


def latest_of(r: pd.DataFrame) -> tuple[float | None, dt.date | None]:
    if r.empty:
        return None, None
    last = r.sort_values("period_end").iloc[-1]
    return float(last["value"]), last["period_end"].date()


def completion_share(h: pd.DataFrame, before: int, month: int = 6) -> tuple[float, tuple[int, ...]]:
    """Mean share of the year done by 30 June in up to three earlier complete years, and those years.

    With no earlier year having both returns, the linear share ``month / 12`` and no years (the stated fallback).
    """
    past = h.loc[(h.index < before) & h["fy"].gt(0) & h["h1"].notna()].tail(LOOKBACK)
    if past.empty:
        return month / 12, ()
    return float((past["h1"] / past["fy"]).mean()), tuple(int(y) for y in past.index)


def pace_spread(h: pd.DataFrame, before: int, month: int = 6) -> float:
    """Year-to-year sd of the share done by 30 June in the earlier years of ``completion_share``, floored at
    ``MIN_PACE_SD``: a year with a year-end push has a low first half without being behind."""
    past = h.loc[(h.index < before) & h["fy"].gt(0) & h["h1"].notna()].tail(LOOKBACK)
    shares = (past["h1"] / past["fy"]).to_numpy(float)
    sd = float(np.std(shares, ddof=1)) if len(shares) > 1 else 0.0
    return max(sd, MIN_PACE_SD)


#: divisor from the processed data's unit of a series to a target's unit (money is kept in 万元, data-contract.md)
TO_TARGET_UNIT = {("万元", "100m_yuan"): 10_000}


def target_series(tasks: pd.DataFrame, series: str, cut: pd.Timestamp, target_unit: str,
                  town: str | None = DISTRICT) -> pd.DataFrame:
    """``returns`` of one series converted to the target's unit (e.g. a loan balance in 万元 to 亿元)."""
    r = returns(tasks, series, cut, town)
    divisor = TO_TARGET_UNIT.get((unit_of(tasks, series), target_unit), 1)
    return r.assign(value=r["value"] / divisor) if divisor != 1 else r
