"""Percentages of firms meeting a rule (coverage): the gap-closing model.

Why: a coverage rate moves towards 100 % by closing part of the remaining gap, and how much of the gap a half
year or a year closes is what earlier years show; a straight line would overshoot 100 %. Each step closes a share
of the gap drawn from earlier steps (normal, mean and spread ≥ 0.1, clipped to [-0.5, 1]). A target read as the
lowest of several rates (e.g. three R&D rules) takes the lowest rate at each return.

Full coverage is an event of its own, not the end of a continuous close: every last firm complying (a 全覆盖
campaign) happens or not, and a year at 100 % can fall back when new firms join the pool. So a step (30 June →
31 December, or a year end to the next) ends at exactly 100 % with a probability of its own - reaching it from
below, or keeping it - the share of earlier steps of the series that did, pooled with a prior
(``priors.PRIORS.full_reach``, ``full_keep``, weighed as ``full_weight`` steps); otherwise the gap closes a share
below the whole (a year at 100 % that falls back reopens the last gap seen below 100 %). Before this (issue 22),
a step closing the whole gap on average made 100 % look certain, and a rate at 100 % was taken to stay there
(bench/worlds.md, revision 6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers.forecast.priors as priors
import helpers.forecast.tasks as tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import Context, amount, make, no_data, words, year_ends
from helpers.forecast.tasks import YearForecast, halves, latest_of
from helpers.labels import figure_of
from helpers.targets import Target

#: the largest share of the gap a step closes short of full coverage (full coverage is drawn as its own event)
CLOSE_MAX = 0.99
#: a rate at or above this reads as full coverage (returns are printed to one decimal)
FULL = 99.95


def full_chances(h: pd.DataFrame, year: int) -> tuple[float, float]:
    """The chance that a step ends at full coverage from below (reach) and from full coverage (keep): the series'
    own earlier steps (30 June → 31 December, and year end → year end) before ``year``, pooled with the priors."""
    past = h.loc[h.index < year]
    steps = [(a, b) for a, b in zip(past["h1"], past["fy"], strict=True) if pd.notna(a) and pd.notna(b)]
    fy = past["fy"].dropna()
    steps += [(a, b) for (y0, a), (y1, b) in zip(fy.items(), list(fy.items())[1:], strict=False) if y1 - y0 == 1]
    below = [b >= FULL for a, b in steps if a < FULL]
    at = [b >= FULL for a, b in steps if a >= FULL]
    pr, w = priors.PRIORS, priors.PRIORS.full_weight
    reach = (sum(below) + w * pr.full_reach) / (len(below) + w)
    keep = (sum(at) + w * pr.full_keep) / (len(at) + w)
    return float(reach), float(keep)


def forecast_coverage(r: pd.DataFrame, year: int, last_year: int, rng: np.random.Generator, n_sims: int) -> YearForecast:
    """Coverage (%) at year end: each step ends at full coverage with its own chance (``full_chances``), else
    closes a share of the gap to 100 % drawn from earlier steps."""
    h = halves(r)
    years = list(range(year, last_year + 1))
    fy = h["fy"].dropna()
    gap = 100 - h

    def closes(a: pd.Series, b: pd.Series) -> tuple[float, float]:
        """Mean and spread (floored at 0.1) of the share of the gap closed per step, steps from below 100 %."""
        c = (1 - b / a.where(a > 100 - FULL)).dropna()
        if c.empty:
            return 0.0, 0.2
        return float(c.mean()), max(float(c.std(ddof=1)) if len(c) > 1 else 0.0, 0.1)

    def close(rate: tuple[float, float]) -> np.ndarray:
        return np.clip(rng.normal(rate[0], rate[1], n_sims), -0.5, CLOSE_MAX)

    reach, keep = full_chances(h, year)
    open_gaps = gap.stack()
    open_gaps = open_gaps[open_gaps > 100 - FULL]
    reopen = float(open_gaps.iloc[-1]) if len(open_gaps) else 5.0  # the last gap seen below full coverage

    def step(start: np.ndarray, rate: tuple[float, float]) -> np.ndarray:
        """One step from ``start`` (%): full coverage reached or kept with its chance, else the gap closes."""
        full = start >= FULL
        g = np.where(full, reopen, 100 - start)
        moved = 100 - g * (1 - close(rate))
        hit = rng.random(n_sims) < np.where(full, keep, reach)
        return np.where(hit, 100.0, np.minimum(moved, 100 - (100 - FULL) * 2))

    half_close = closes(gap["h1"], gap["fy"])
    prev_fy = gap["fy"].shift(1)
    year_close = closes(prev_fy.loc[prev_fy.index < year], gap["fy"].loc[gap.index < year])
    sims = np.zeros((n_sims, len(years)))
    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
    elif cur is not None and pd.notna(cur["h1"]):
        sims[:, 0] = step(np.full(n_sims, float(cur["h1"])), half_close)
    else:
        if fy.loc[fy.index < year].empty:
            raise LookupError("no year-end coverage known")
        sims[:, 0] = step(np.full(n_sims, float(fy.loc[fy.index < year].iloc[-1])), year_close)
    for i in range(1, len(years)):
        sims[:, i] = step(sims[:, i - 1], year_close)
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
