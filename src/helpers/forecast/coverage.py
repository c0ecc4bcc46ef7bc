"""Percentages of firms meeting a rule (coverage): the gap-closing model.

Why: a coverage rate moves towards 100 % by closing part of the remaining gap, and how much of the gap a half
year or a year closes is what earlier years show; a straight line would overshoot 100 %. Each step closes a share
of the gap drawn from earlier steps (normal, mean and spread ≥ 0.1, clipped to [-0.5, 1]). A target read as the
lowest of several rates (e.g. three R&D rules) takes the lowest rate at each return.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers.forecast.tasks as tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import Context, amount, make, no_data, words, year_ends
from helpers.forecast.tasks import YearForecast, halves, latest_of
from helpers.labels import figure_of
from helpers.targets import Target


def forecast_coverage(r: pd.DataFrame, year: int, last_year: int, rng: np.random.Generator, n_sims: int) -> YearForecast:
    """Coverage (%) at year end: each step closes a share of the gap to 100 % drawn from earlier steps."""
    h = halves(r)
    years = list(range(year, last_year + 1))
    fy = h["fy"].dropna()
    gap = 100 - h

    def closes(a: pd.Series, b: pd.Series) -> tuple[float, float]:
        """Mean and spread (floored at 0.1) of the share of the gap closed per step."""
        c = (1 - b / a.replace(0, np.nan)).dropna()
        if c.empty:
            return 0.0, 0.2
        return float(c.mean()), max(float(c.std(ddof=1)) if len(c) > 1 else 0.0, 0.1)

    def close(rate: tuple[float, float]) -> np.ndarray:
        return np.clip(rng.normal(rate[0], rate[1], n_sims), -0.5, 1.0)

    half_close = closes(gap["h1"], gap["fy"])
    prev_fy = gap["fy"].shift(1)
    year_close = closes(prev_fy.loc[prev_fy.index < year], gap["fy"].loc[gap.index < year])
    sims = np.zeros((n_sims, len(years)))
    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
    elif cur is not None and pd.notna(cur["h1"]):
        sims[:, 0] = 100 - (100 - cur["h1"]) * (1 - close(half_close))
    else:
        if fy.loc[fy.index < year].empty:
            raise LookupError("no year-end coverage known")
        sims[:, 0] = 100 - (100 - fy.loc[fy.index < year].iloc[-1]) * (1 - close(year_close))
    for i in range(1, len(years)):
        sims[:, i] = 100 - (100 - sims[:, i - 1]) * (1 - close(year_close))
    lv, ld = latest_of(r)
    return YearForecast(years, np.clip(sims, 0, 100), lv, ld, None, "none", (), h.reset_index())


def score(t: Target, ctx: Context) -> Attainment:
    """``coverage``: the rate at the deadline (each year end for a yearly target); several series: the lowest."""
    assert t.value is not None
    parts = [tasks.target_series(ctx.data.tasks, s, ctx.cut, t.unit).assign(component=s) for s in t.series]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return no_data(t, ctx.deadline, "no coverage returns")
    details: dict[str, pd.DataFrame] = {}
    if len(t.series) > 1:
        every = pd.concat(parts)
        details["components"] = every
        # a return counts only where every rate is reported, so the lowest is not the lowest of what happened to arrive
        complete = every.groupby(["year", "period_end"])["component"].transform("nunique") == len(t.series)
        r = every.loc[complete].groupby(["year", "period_end"], as_index=False)["value"].min()
    else:
        r = parts[0]
    yf = forecast_coverage(r, min(ctx.cut.year, ctx.deadline.year), ctx.deadline.year, ctx.rng, ctx.n_sims)
    hist = yf.history.dropna(subset=["fy"])
    latest = yf.latest_value or 0.0
    takes = words("forecast.coverage.takes", latest=amount(latest, "percent"), target=amount(t.value, "percent"),
                  gap=figure_of(max(t.value - latest, 0), "percent"))
    method = words("forecast.coverage.method_lowest" if len(t.series) > 1 else "forecast.coverage.method",
                   n=len(t.series))
    known = yf.latest_date == ctx.deadline
    return make(t, ctx, yf.sims, yf.years, yf.latest_value, yf.latest_date, year_ends(hist["year"], hist["fy"]),
                final_known=known, method=method, takes=takes, details=details)
