"""Counts done within a year (task_flow) or over the plan years (task_cumulative): the gamma-Poisson model.

Why: flows are counts reported year to date at 30 June and 31 December. A half-year figure says little without
the usual pace (``tasks.completion_share``), and counts scatter more than Poisson from year to year. So the yearly
rate has a gamma prior from the last three full years: their mean moved on by one recent yearly change (the mean
sits two years behind the year forecast, so a growing flow was forecast too low; one change rather than two, as
the change of a few noisy counts is itself noisy) and their extra-Poisson spread, floored (``tasks.MIN_CV2``).
The count done so far updates it over the exposure ``pace``, itself uncertain (``tasks.pace_spread``: in a year
with a year-end push a low first half is not a slow year); the rest of the year is Poisson. Later years
(cumulative targets) are fresh draws from the prior. What is done stays done: a simulated year never ends below
its count so far.
Towns with a quota get their own forecast and probability from their own returns.
"""

from __future__ import annotations

import datetime as dt
import weakref
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
                  rng: np.random.Generator, n_sims: int, spread: Spread | None = None) -> YearForecast:
    """Full-year counts for ``year`` … ``last_year`` (gamma-Poisson; counts so far update the rate).

    ``spread``: the district's pooled spreads (``pooled_spread``); without it the series' own, floored."""
    h = halves(r)
    m, cv2 = rate_prior(h, year, spread)
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
            sd = pace_spread(h, year) if spread is None else spread.pace_sd_for(h, year)
            expo = _uncertain_pace(pace, sd, rng, n_sims)
        lam = rng.gamma(a + done, 1 / (b + expo), size=n_sims)
        sims[:, 0] = done + rng.poisson(lam * (1 - expo))
    for i in range(1, len(years)):
        sims[:, i] = rng.poisson(rng.gamma(a, 1 / b, size=n_sims))
    lv, ld = latest_of(r)
    return YearForecast(years, sims, lv, ld, pace, state, pace_years, h.reset_index())


#: tuning switches (bench/worlds_tune.py)
POOL = "none"  # none | sample | backtest | wsample: the extra-Poisson cv² pooled over the district's flows
POOL_FLOOR = 0.01
POOL_PACE = False
POOL_PACE_FLOOR = 0.0
EST = False  # add the estimation error of the moved-on mean to the rate's spread
TREND = "own"  # own | pooled: the yearly change of the series itself or pooled over the district's flows
STEPS = 1  # yearly changes the three-year mean is moved on by
RATE_FLOOR = False  # a rate never below the Jeffreys mean 0.5 / n (n years of zero counts)
FLOW_MEASURES = ("task_flow", "task_cumulative")


@dataclass(frozen=True)
class Spread:
    """The district's spreads pooled over its flow series: extra-Poisson cv² of the yearly rate, the yearly
    change in log, and the year-to-year sd of the share done by 30 June (None: each series' own)."""

    cv2: float | None
    change: float | None
    pace_sd: float | None

    def pace_sd_for(self, h: pd.DataFrame, year: int) -> float:
        return pace_spread(h, year) if self.pace_sd is None else self.pace_sd


#: (id of the tasks frame, cut-off, year) → (a weak reference to that frame, its spreads): a meeting's flow
#: targets share one pooling; the reference guards against a reused id
_POOLED: dict[tuple[int, pd.Timestamp, int], tuple[weakref.ref, Spread]] = {}


def pooled_spread(ctx: Context, year: int) -> Spread | None:
    """The spreads pooled over every district flow series of the plan, as known at the cut-off (cached per
    data and year: every flow target of a meeting shares them)."""
    if POOL == "none" and not POOL_PACE and TREND == "own" and not EST and not RATE_FLOOR and STEPS == 1:
        return None
    key = (id(ctx.data.tasks), ctx.cut, year)
    hit = _POOLED.get(key)
    if hit is not None and hit[0]() is ctx.data.tasks:
        return hit[1]
    if True:
        hs = []
        for t in ctx.plan.scored:
            if t.measure in FLOW_MEASURES and t.series:
                r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
                if not r.empty:
                    hs.append(halves(r))
        if len(_POOLED) > 64:
            _POOLED.clear()
        _POOLED[key] = (weakref.ref(ctx.data.tasks), pool_spreads(hs, year))
    return _POOLED[key][1]


def _own(h: pd.DataFrame, year: int) -> tuple[float, float, float, int, float, int] | None:
    """m, sample cv² beyond Poisson (unfloored), yearly change, years, and the change's number of steps."""
    past = h.loc[h.index < year, "fy"].dropna()
    recent = past.tail(LOOKBACK)
    if recent.empty:
        return None
    m = float(recent.mean())
    var = float(recent.var(ddof=1)) if len(recent) > 1 else m
    c = (var - m) / max(m, 1e-9) ** 2 if m > 0 else 0.0
    span = past.tail(LOOKBACK + 1).to_numpy(float)
    d = np.diff(np.log(span + 0.5))
    return m, c, float(d.mean()) if len(d) else 0.0, len(recent), float(len(d)), len(recent) - 1


def pool_spreads(hs: list[pd.DataFrame], year: int) -> Spread:
    cv2 = None
    owns = [o for o in (_own(h, year) for h in hs) if o is not None]
    if POOL == "wsample":
        c0 = 0.05
        for _ in range(3):
            w = np.array([o[5] / (1 / max(o[0], 0.5) + c0) ** 2 for o in owns])
            cs = np.array([o[1] for o in owns])
            c0 = max(float((w * cs).sum() / w.sum()), POOL_FLOOR) if w.sum() > 0 else MIN_CV2
        cv2 = c0
    elif POOL == "sample":
        num = sum(o[5] * o[1] for o in owns)
        den = sum(o[5] for o in owns)
        cv2 = max(num / den, POOL_FLOOR) if den else MIN_CV2
    elif POOL == "backtest":
        num = den = 0.0
        for h in hs:
            full = h.loc[h.index < year, "fy"].dropna()
            for y in full.index:
                if len(full.loc[full.index < y]) < 2:
                    continue
                m, _ = rate_prior(h, int(y))
                x = float(full.loc[y])
                num += ((x - m) ** 2 - m) / (m + 0.5) ** 2
                den += 1
        cv2 = max(num / den, POOL_FLOOR) if den else MIN_CV2
    change = None
    if TREND == "pooled":
        c = cv2 if cv2 is not None else MIN_CV2
        w = np.array([o[4] ** 2 / (1 / max(o[0], 0.5) + c) if o[4] > 0 else 0.0 for o in owns])
        if w.sum() > 0:
            change = float((w * np.array([o[2] for o in owns])).sum() / w.sum())
    pace_sd = None
    if POOL_PACE:
        ss = dfs = 0.0
        for h in hs:
            past = h.loc[(h.index < year) & h["fy"].gt(0) & h["h1"].notna()].tail(LOOKBACK)
            sh = (past["h1"] / past["fy"]).to_numpy(float)
            if len(sh) > 1:
                ss += float(((sh - sh.mean()) ** 2).sum())
                dfs += len(sh) - 1
        pace_sd = max(float(np.sqrt(ss / dfs)), POOL_PACE_FLOOR) if dfs else None
    return Spread(cv2, change, pace_sd)


def rate_prior(h: pd.DataFrame, year: int, spread: Spread | None = None) -> tuple[float, float]:
    """Mean and squared coefficient of variation (beyond Poisson) of the yearly rate of ``year``: the last
    ``LOOKBACK`` full years' mean moved on by the mean yearly change (in log) over them and the year before."""
    own = _own(h, year)
    if own is None:
        raise LookupError("no full year known")
    m, c_own, change, n, steps_d, _ = own
    cv2 = max(c_own, MIN_CV2) if m > 0 else MIN_CV2
    if spread is not None and spread.cv2 is not None:
        cv2 = spread.cv2
    trend_var = 2 * (1 / max(m, 0.5) + cv2) / steps_d ** 2 if steps_d else 0.0
    if spread is not None and spread.change is not None:
        change, trend_var = spread.change, 0.0
    mean = max((m + 0.5) * np.exp(STEPS * change) - 0.5, 0.5 / n if RATE_FLOOR else 0.0)
    if EST:
        cv2 = cv2 + (1 / max(mean, 1e-9) + cv2) / n + STEPS ** 2 * trend_var
    return mean, cv2


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
            yf = forecast_flow(r, year, year, ctx.cut, ctx.rng, ctx.n_sims)
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
    yf = forecast_flow(r, year, year, ctx.cut, ctx.rng, ctx.n_sims, pooled_spread(ctx, year))
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
    yf = forecast_flow(r, year0, ctx.deadline.year, ctx.cut, ctx.rng, ctx.n_sims, pooled_spread(ctx, year0))
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
