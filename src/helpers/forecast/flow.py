"""Counts done within a year (task_flow) or over the plan years (task_cumulative): the gamma-Poisson model.

Why: flows are counts reported year to date at 30 June and 31 December. A half-year figure says little without
the usual pace (``tasks.completion_share``), and counts scatter more than Poisson from year to year. So the yearly
rate has a gamma prior from the last three full years: their mean (which sits two years behind the year forecast)
moved on by two years of the district's yearly change - one change in log pooled over every flow series of the
plan (``district_change``; a series' own change of a few noisy counts is itself noisy, so one step of it was the
most a series could bear, and growing flows stayed forecast too low). Its spread is the series' extra-Poisson
spread, floored (``tasks.MIN_CV2``), plus the error of the estimated mean itself (Poisson and extra-Poisson
spread over the years it averages); a series with no count in its last years keeps the Jeffreys rate 0.5 / n
rather than none. The count done so far updates it over the exposure ``pace``, itself uncertain
(``tasks.pace_spread``: in a year with a year-end push a low first half is not a slow year); the rest of the
year is Poisson. Later years (cumulative targets) are fresh draws from the prior. What is done stays done: a
simulated year never ends below its count so far. Settings chosen on free worlds of seeds 0-99
(bench/worlds.md, revision 3).
Towns with a quota get their own forecast and probability from their own returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.forecast import tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import ByLang, Context, amount, make, town_status, words, year_ends
from helpers.forecast.tasks import (
    LOOKBACK,
    MIN_CV2,
    YearForecast,
    completion_share,
    halves,
    latest_of,
    pace_spread,
)
from helpers.labels import pace_label
from helpers.targets import Target, reached


def forecast_flow(r: pd.DataFrame, year: int, last_year: int, cut: pd.Timestamp,
                  rng: np.random.Generator, n_sims: int, change: float | None = None) -> YearForecast:
    """Full-year counts for ``year`` … ``last_year`` (gamma-Poisson; counts so far update the rate).

    ``change``: the district's yearly change in log (``district_change``); without it the series' own."""
    h = halves(r)
    m, cv2 = rate_prior(h, year, change)
    a, b = 1 / cv2, 1 / (cv2 * max(m, 1e-9))
    years = list(range(year, last_year + 1))
    sims = np.zeros((n_sims, len(years)))
    pace, state, pace_years = None, "none", ()
    done = 0.0
    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
        pace, state = 1.0, "full_year"
    else:
        if cur is not None and pd.notna(cur["h1"]):
            done = float(cur["h1"])
            pace, pace_years = completion_share(h, year)
            state = "curve" if pace_years else "linear"
        expo: float | np.ndarray = 0.0
        if pace is not None:
            expo = _uncertain_pace(pace, pace_spread(h, year), rng, n_sims)
        lam = rng.gamma(a + done, 1 / (b + expo), size=n_sims)
        sims[:, 0] = done + rng.poisson(lam * (1 - expo))
    for i in range(1, len(years)):
        sims[:, i] = rng.poisson(rng.gamma(a, 1 / b, size=n_sims))
    lv, ld = latest_of(r)
    return YearForecast(years, sims, lv, ld, pace, state, pace_years, h.reset_index())


#: years the three-year mean is moved on by: it sits two years behind the year forecast
TREND_YEARS = 2
FLOW_MEASURES = ("task_flow", "task_cumulative")



def district_change(ctx: Context, year: int) -> float | None:
    """The yearly change in log pooled over every district flow series of the plan, as known at the cut-off
    (``pool_change``); computed once per data, cut-off and year, as every flow target of a meeting shares it."""
    key = ("flow.district_change", ctx.cut, year)
    if key in ctx.data.derived:
        return ctx.data.derived[key]
    hs = []
    for t in ctx.plan.scored:
        if t.measure in FLOW_MEASURES and t.series:
            r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
            if not r.empty:
                hs.append(halves(r))
    ctx.data.derived[key] = pool_change(hs, year)
    return ctx.data.derived[key]


@dataclass(frozen=True)
class _Recent:
    """The last ``LOOKBACK`` full years of a series before a year: their mean, extra-Poisson cv² (unfloored),
    how many, and the mean yearly change in log over them and the year before (with its number of steps)."""

    mean: float
    cv2: float
    years: int
    change: float
    steps: int


def _recent(h: pd.DataFrame, year: int) -> _Recent | None:
    past = h.loc[h.index < year, "fy"].dropna()
    recent = past.tail(LOOKBACK)
    if recent.empty:
        return None
    m = float(recent.mean())
    var = float(recent.var(ddof=1)) if len(recent) > 1 else m
    c = (var - m) / m ** 2 if m > 0 else 0.0
    d = np.diff(np.log(past.tail(LOOKBACK + 1).to_numpy(float) + 0.5))
    return _Recent(m, c, len(recent), float(d.mean()) if len(d) else 0.0, len(d))


def pool_change(hs: list[pd.DataFrame], year: int) -> float | None:
    """The series' yearly changes in log averaged with weights their precision: a change over k steps of counts
    near m has a variance of about 2 (1/m + cv²) / k², so long series of large counts weigh most. None when no
    series has two full years."""
    rs = [r for r in (_recent(h, year) for h in hs) if r is not None and r.steps > 0]
    w = np.array([r.steps ** 2 / (1 / max(r.mean, 0.5) + MIN_CV2) for r in rs])
    if not rs or w.sum() <= 0:
        return None
    return float((w * np.array([r.change for r in rs])).sum() / w.sum())


def rate_prior(h: pd.DataFrame, year: int, change: float | None = None) -> tuple[float, float]:
    """Mean and squared coefficient of variation (beyond Poisson) of the yearly rate of ``year``.

    The mean: the last ``LOOKBACK`` full years' mean moved on by ``TREND_YEARS`` yearly changes (``change``, the
    district's; without it the series' own, whose error then adds to the spread), never below the Jeffreys rate
    0.5 / n. The cv²: the series' extra-Poisson spread floored at ``MIN_CV2``, plus the relative error of the
    estimated mean (Poisson and extra-Poisson over n years)."""
    r = _recent(h, year)
    if r is None:
        raise LookupError("no full year known")
    cv2 = max(r.cv2, MIN_CV2) if r.mean > 0 else MIN_CV2
    trend_var = 0.0
    if change is None:
        change = r.change
        trend_var = 2 * (1 / max(r.mean, 0.5) + cv2) / r.steps ** 2 if r.steps else 0.0
    mean = max((r.mean + 0.5) * np.exp(TREND_YEARS * change) - 0.5, 0.5 / r.years)
    return mean, cv2 + (1 / mean + cv2) / r.years + TREND_YEARS ** 2 * trend_var


def _uncertain_pace(pace: float, sd: float, rng: np.random.Generator, n: int) -> np.ndarray:
    """Beta draws of this year's share done by 30 June, mean ``pace`` and sd ``sd`` (kept a valid beta)."""
    mu = min(max(pace, 0.02), 0.98)
    sd = min(sd, 0.9 * np.sqrt(mu * (1 - mu)))
    k = mu * (1 - mu) / sd ** 2 - 1
    return rng.beta(mu * k, (1 - mu) * k, size=n)


def pace_source(yf: YearForecast) -> ByLang:
    """Where the pace came from, as a clause in both languages (method notes, what it takes)."""
    return ByLang(pace_label(yf.pace_state, yf.pace_years, "zh"), pace_label(yf.pace_state, yf.pace_years, "en"))


def _history(yf: YearForecast) -> pd.DataFrame:
    hist = yf.history.dropna(subset=["fy"])
    return year_ends(hist["year"], hist["fy"])


def town_quotas(t: Target, ctx: Context, series: str, year: int) -> pd.DataFrame:
    """Each unit with a quota: its count so far this year, its forecast and its probability of meeting the quota."""
    rows = []
    passed = ctx.cut >= pd.Timestamp(year, 12, 31)
    for town, quota in t.town_quota.items():
        r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit, town)
        try:
            yf = forecast_flow(r, year, year, ctx.cut, ctx.rng, ctx.n_sims, district_change(ctx, year))
        except LookupError:
            rows.append({"town": town, "latest_value": np.nan, "target": quota, "forecast": np.nan,
                         "p_reach": np.nan, "status": "no_data"})
            continue
        p = float(np.mean(reached(yf.sims[:, 0], quota, t.direction)))
        known = yf.latest_date is not None and yf.latest_date == dt.date(year, 12, 31)
        done = yf.latest_value if yf.latest_date and yf.latest_date.year == year else 0.0
        rows.append({"town": town, "latest_value": done, "target": quota, "forecast": float(np.median(yf.sims[:, 0])),
                     "p_reach": p, "status": town_status(p, passed, done, quota, t.direction, known)})
    return pd.DataFrame(rows, columns=["town", "latest_value", "target", "forecast", "p_reach", "status"])


def score_flow(t: Target, ctx: Context) -> Attainment:
    """``task_flow``: the count of the deadline's year (a yearly target's focus year)."""
    assert t.value is not None
    series = t.series[0]
    year = ctx.deadline.year
    r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit)
    yf = forecast_flow(r, year, year, ctx.cut, ctx.rng, ctx.n_sims, district_change(ctx, year))
    done = (yf.latest_value or 0.0) if yf.latest_date and yf.latest_date.year == year else 0.0
    need = max(t.value - done, 0)
    if yf.pace is not None and yf.pace < 1:
        takes = words("forecast.flow.behind_pace" if done < t.value * yf.pace else "forecast.flow.on_pace",
                      year=year, done=amount(done, t.unit), pace=f"{yf.pace:.0%}",
                      expect=amount(t.value * yf.pace, t.unit), need=amount(need, t.unit), pace_source=pace_source(yf))
    else:
        takes = words("forecast.flow.needed", year=year, target=amount(t.value, t.unit))
    by_town = town_quotas(t, ctx, series, year) if t.town_quota else None
    known = yf.latest_date == dt.date(year, 12, 31)
    return make(t, ctx, yf.sims, yf.years, yf.latest_value, yf.latest_date, _history(yf), final_known=known,
                method=words("forecast.flow.method", pace_source=pace_source(yf)), takes=takes, by_town=by_town,
                details={"completion": yf.history})


def score_cumulative(t: Target, ctx: Context) -> Attainment:
    """``task_cumulative``: the plan years' flows added up to the deadline."""
    assert t.value is not None
    start = ctx.plan.start.year
    year0 = max(min(ctx.cut.year, ctx.deadline.year), start)
    r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
    yf = forecast_flow(r, year0, ctx.deadline.year, ctx.cut, ctx.rng, ctx.n_sims, district_change(ctx, year0))
    h = yf.history.set_index("year")["fy"]
    done_before = float(h.loc[(h.index >= start) & (h.index < year0)].sum())
    cum = done_before + np.cumsum(yf.sims, axis=1)
    so_far = done_before
    if yf.latest_date and yf.latest_date.year == year0:
        so_far += yf.latest_value or 0.0
    need = max(t.value - so_far, 0)
    earlier = h.loc[h.index < year0].dropna().tail(LOOKBACK)
    usual = float(earlier.mean()) if len(earlier) else float("nan")
    takes = words("forecast.cumulative.takes", start=start, done=amount(so_far, t.unit), year=ctx.deadline.year,
                  need=amount(need, t.unit), usual=f"{usual:.0f}" if usual >= 10 else f"{usual:.1f}")
    hist_cum = h.loc[h.index >= start].dropna().cumsum()
    known = yf.latest_date == ctx.deadline
    return make(t, ctx, cum, yf.years, so_far, yf.latest_date, year_ends(hist_cum.index, hist_cum.to_numpy()),
                final_known=known, method=words("forecast.cumulative.method", start=start, pace_source=pace_source(yf)),
                takes=takes, details={"completion": yf.history}, settled=bool(t.reached(so_far)))
