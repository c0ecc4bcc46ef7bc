"""Year-end levels from task returns (task_stock): the log-growth model.

Why: stocks such as a loan balance or the firms owning IP grow multiplicatively, so the year end is the latest
level times a log-growth drawn from earlier years (30 June → 31 December within a year, or year end → year end),
t-distributed across years because a handful of years says little about the tails. The steps' spread is pooled
with a prior (``priors.PRIORS.stock_sd``, ``stock_df`` years; half of a year's variance for a half year) and
widened by the error of their mean: three calm years said a stock could not move by more than a few per cent,
and stress worlds' district-wide shocks left half the final levels outside the 80 % range (issue 22). Units with a growth goal
(+x % a year each) get their own forecasts; they share half of each year's shock (a district-wide good or bad
year), so the district is not spuriously precise.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy import stats

import helpers.forecast.priors as priors
import helpers.forecast.tasks as tasks
import helpers.forecast.town_stocks as town_stocks
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

    def draw(g: pd.Series, part: float = 1.0) -> np.ndarray:
        """A step's log growth: the steps' mean, their sd pooled with the prior (``part`` of a year's)."""
        mu = float(g.mean()) if len(g) else 0.0
        own = float(g.var(ddof=1)) if len(g) > 1 else 0.0
        df0, sd0 = priors.PRIORS.stock_df, priors.PRIORS.stock_sd * np.sqrt(part)
        dof = max(len(g) - 1, 0)
        sd = float(np.sqrt((df0 * sd0 ** 2 + dof * own) / (df0 + dof) * (1 + 1 / max(len(g), 1))))
        z = stats.t.rvs(df0 + dof, size=n_sims, random_state=rng)
        if common is not None:
            z = np.sqrt(0.5) * common[:, min(step[0], common.shape[1] - 1)] + np.sqrt(0.5) * z
        step[0] += 1
        return mu + sd * z

    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
    elif cur is not None and pd.notna(cur["h1"]):
        sims[:, 0] = cur["h1"] * np.exp(draw(half, 0.5))
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
    """Each unit's growth in ``year`` over its previous year-end level, against +``pct`` % (the by-town table):
    the towns' growths pooled (``town_stocks``: the district's year every town shares, each town's lead shrunk,
    the noise pooled), with the growth's 80 % range."""
    passed = ctx.cut >= pd.Timestamp(year, 12, 31)
    hs = {town: halves(tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit, town)) for town in ctx.towns}
    hs = {town: h for town, h in hs.items() if not h["fy"].dropna().empty}
    yearly = town_stocks.pooled_growth({town: h["fy"] for town, h in hs.items()}, year + 1)
    second_half = town_stocks.pooled_growth(hs, year + 1, half=True)
    known_values = np.concatenate([h.to_numpy(float).ravel() for h in hs.values()]) if hs else np.array([])
    known_values = known_values[np.isfinite(known_values)]
    whole = bool(len(known_values)) and bool(np.allclose(known_values, np.round(known_values)))
    year0 = min(ctx.cut.year, year)
    common = {y: ctx.rng.standard_normal(ctx.n_sims) for y in range(year0, year + 1)}
    rows = []
    for town, h in hs.items():
        r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit, town)
        levels = _town_levels(h, town, year, yearly, second_half, common, whole, ctx.rng, ctx.n_sims)
        if levels is None:
            continue
        prev_sim, end_sim = levels
        g = 100 * (end_sim / prev_sim - 1)
        p = float(np.mean(reached(g, pct, "at_least")))
        fy = h["fy"].dropna()
        prev = fy.get(year - 1)
        lv, ld = latest_of(r)
        latest_g = None
        if ld is not None and prev is not None and ld.year == year:
            latest_g = 100 * (lv / prev - 1)
        known = ld == dt.date(year, 12, 31)
        lo, hi = np.quantile(g, [0.1, 0.9])
        rows.append({"town": town, "latest_value": latest_g, "target": pct, "forecast": float(np.median(g)),
                     "lo80": float(lo), "hi80": float(hi), "p_reach": p,
                     "status": town_status(p, passed, latest_g, pct, "at_least", known)})
    table = pd.DataFrame(rows, columns=["town", "latest_value", "target", "forecast", "lo80", "hi80", "p_reach",
                                        "status"])
    table.attrs["unit"] = "percent"  # each town's growth, not the target's count (the appendix formats by it)
    return table


def _town_levels(h: pd.DataFrame, town: str, year: int, yearly: town_stocks.PooledGrowth | None,
                 second_half: town_stocks.PooledGrowth | None, common: dict[int, np.ndarray], whole: bool,
                 rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """A town's simulated year-end levels of ``year - 1`` and ``year``, from its latest known level on: the rest
    of a year from its 30 June level (the second half's pooled growth), then whole years; whole numbers for counts.
    None when the town has no year-end level or its growth cannot be fitted."""
    fy = h["fy"].dropna()
    last = int(fy.index.max())
    out: dict[int, np.ndarray] = {int(y): np.full(n, float(v)) for y, v in fy.items()}
    level = out[last]
    for y in range(last + 1, year + 1):
        h1 = h["h1"].get(y, np.nan)
        if pd.notna(h1):
            if second_half is None or town not in second_half.mean:
                return None
            step, base = town_stocks.draw(second_half, town, common.get(y, rng.standard_normal(n)), rng), float(h1)
            level = np.full(n, base) * np.exp(step)
        else:
            if yearly is None or town not in yearly.mean:
                return None
            level = level * np.exp(town_stocks.draw(yearly, town, common.get(y, rng.standard_normal(n)), rng,
                                                    ahead=y - last - 1))
        if whole:
            level = np.round(level)
        out[y] = level
    if year not in out or (year - 1) not in out:
        return None
    prev = out[year - 1]
    return np.maximum(prev, 1e-9), out[year]


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
