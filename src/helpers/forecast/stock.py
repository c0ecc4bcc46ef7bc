"""Year-end levels from task returns (task_stock): the log-growth model.

Why: stocks such as a loan balance or the firms owning IP grow multiplicatively, so the year end is the latest
level times a log-growth drawn from earlier years (30 June → 31 December within a year, or year end → year end),
t-distributed across years because a handful of years says little about the tails. Units with a growth goal
(+x % a year each) get their own forecasts; they share half of each year's shock (a district-wide good or bad
year), so the district is not spuriously precise.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy import stats

import helpers.forecast.tasks as tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import (
    Context,
    amount,
    day,
    make,
    need,
    ratio_since_base,
    town_status,
    words,
    year_ends,
)
from helpers.forecast.tasks import LOOKBACK, YearForecast, halves, latest_of
from helpers.targets import Target, reached


def forecast_stock(r: pd.DataFrame, year: int, last_year: int, rng: np.random.Generator, n_sims: int,
                   common: np.ndarray | None = None) -> YearForecast:
    """Year-end levels: latest level × log-growth from earlier years (t-distributed across years).

    ``common`` (n_sims × years standard shocks) ties series together: towns share a district-wide good or bad
    year (half of each town's shock variance), so the district sum is not spuriously precise.
    """
    step = [0]
    h = halves(r)
    years = list(range(year, last_year + 1))
    fy = h["fy"].dropna()
    yearly = np.log(fy / fy.shift(1)).dropna()
    yearly = yearly.loc[yearly.index < year].tail(LOOKBACK + 1)
    half = np.log(h["fy"] / h["h1"]).dropna()
    half = half.loc[half.index < year].tail(LOOKBACK)
    sims = np.zeros((n_sims, len(years)))

    def draw(g: pd.Series) -> np.ndarray:
        mu = float(g.mean()) if len(g) else 0.0
        sd = max(float(g.std(ddof=1)), 0.01) if len(g) > 1 else 0.05
        z = stats.t.rvs(max(len(g) - 1, 2), size=n_sims, random_state=rng)
        if common is not None:
            z = np.sqrt(0.5) * common[:, min(step[0], common.shape[1] - 1)] + np.sqrt(0.5) * z
        step[0] += 1
        return mu + sd * z

    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
    elif cur is not None and pd.notna(cur["h1"]):
        sims[:, 0] = cur["h1"] * np.exp(draw(half))
    else:
        if fy.loc[fy.index < year].empty:
            raise LookupError("no year-end level known")
        sims[:, 0] = fy.loc[fy.index < year].iloc[-1] * np.exp(draw(yearly))
    for i in range(1, len(years)):
        sims[:, i] = sims[:, i - 1] * np.exp(draw(yearly))
    lv, ld = latest_of(r)
    return YearForecast(years, sims, lv, ld, None, "none", (), h.reset_index())


def common_shocks(rng: np.random.Generator, n_sims: int, n_years: int) -> np.ndarray:
    """The district-wide part of each year's shock, shared by the units (t with 4 degrees of freedom)."""
    return rng.standard_t(4, size=(n_sims, max(n_years, 1)))


def town_yearly_growth(t: Target, ctx: Context, series: str, year: int, pct: float) -> pd.DataFrame:
    """Each unit's growth in ``year`` over its previous year-end level, against +``pct`` % (the by-town table)."""
    rows = []
    passed = ctx.cut >= pd.Timestamp(year, 12, 31)
    year0 = min(ctx.cut.year, year)
    common = common_shocks(ctx.rng, ctx.n_sims, year - year0 + 1)
    for town in ctx.towns:
        r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit, town)
        fy = r.loc[r["period_end"].dt.month == 12].set_index("year")["value"]
        try:
            yf = forecast_stock(r, year0, year, ctx.rng, ctx.n_sims, common)
        except LookupError:
            continue
        prev = fy.get(year - 1)
        prev_sim = yf.sims[:, yf.years.index(year - 1)] if (year - 1) in yf.years else np.full(ctx.n_sims, prev)
        g = 100 * (yf.sims[:, -1] / prev_sim - 1)
        p = float(np.mean(reached(g, pct, "at_least")))
        latest_g = None
        if yf.latest_date is not None and prev is not None and yf.latest_date.year == year:
            latest_g = 100 * (yf.latest_value / prev - 1)
        known = yf.latest_date == dt.date(year, 12, 31)
        rows.append({"town": town, "latest_value": latest_g, "target": pct, "forecast": float(np.median(g)),
                     "p_reach": p, "status": town_status(p, passed, latest_g, pct, "at_least", known)})
    table = pd.DataFrame(rows, columns=["town", "latest_value", "target", "forecast", "p_reach", "status"])
    table.attrs["unit"] = "percent"  # each town's growth, not the target's count (the appendix formats by it)
    return table


def score(t: Target, ctx: Context) -> Attainment:
    """``task_stock``: the level at the deadline (each year end for a yearly target)."""
    assert t.value is not None
    series = t.series[0]
    r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit)
    year0 = min(ctx.cut.year, ctx.deadline.year)
    yf = forecast_stock(r, year0, ctx.deadline.year, ctx.rng, ctx.n_sims)
    point = float(np.median(yf.sims[:, -1]))
    short = t.value - point
    key = "forecast.stock.short" if short > 0 else "forecast.stock.enough"
    takes = words(key, goal=need(t), deadline=day(ctx.deadline), point=amount(point, t.unit),
                  short=amount(max(short, 0.0), t.unit))
    hist = yf.history.dropna(subset=["fy"])
    history = year_ends(hist["year"], hist["fy"])
    by_town = None
    if t.town_growth_pct:
        by_town = town_yearly_growth(t, ctx, series, ctx.deadline.year, t.town_growth_pct)
    known = yf.latest_date == dt.date(ctx.deadline.year, 12, 31)
    return make(t, ctx, yf.sims, yf.years, yf.latest_value, yf.latest_date, history, final_known=known,
                method=words("forecast.stock.method"), takes=takes, by_town=by_town,
                growth=ratio_since_base(ctx, t, history, yf.latest_value, yf.latest_date))
