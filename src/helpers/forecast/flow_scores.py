"""The task-flow targets scored: a yearly count (``task_flow``) and the plan years' total (``task_cumulative``).

Why a module apart from ``flow``: ``flow`` is the gamma-Poisson model of a count; this module turns its paths into
what a briefing says - the count done against 序时进度, what it takes, the method's sentences, and the towns'
quotas (``town_quotas``, each town forecast by the same model with the district's change and shock).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

import helpers.forecast.tasks as tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.flow import district_change, district_shock, forecast_flow
from helpers.forecast.scoring import ByLang, Context, amount, join, make, words, year_ends, yearly_rate
from helpers.forecast.tasks import LOOKBACK, YearForecast
from helpers.forecast.town_quotas import town_quotas
from helpers.labels import pace_label, print_alike
from helpers.targets import Target


def pace_source(yf: YearForecast) -> ByLang:
    """Where the pace came from, as a clause in both languages (method notes, what it takes)."""
    return ByLang(pace_label(yf.pace_state, yf.pace_years, "zh"), pace_label(yf.pace_state, yf.pace_years, "en"))


def _history(yf: YearForecast) -> pd.DataFrame:
    hist = yf.history.dropna(subset=["fy"])
    return year_ends(hist["year"], hist["fy"])


def _shock_words(ctx: Context, year: int) -> tuple[str, str]:
    """The method's sentence on the district-wide yearly shock (its sd in log, as a percentage)."""
    return words("forecast.flow.common_shock", sd=f"{district_shock(ctx, year, year).var ** 0.5:.0%}")


def score_flow(t: Target, ctx: Context) -> Attainment:
    """``task_flow``: the count of the deadline's year (a yearly target's focus year)."""
    assert t.value is not None
    series = t.series[0]
    year = ctx.deadline.year
    r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit)
    yf = forecast_flow(r, year, year, ctx.cut, ctx.rng, ctx.n_sims, district_change(ctx, year, t),
                       district_shock(ctx, year, year, series))
    done = (yf.latest_value or 0.0) if yf.latest_date and yf.latest_date.year == year else 0.0
    need = max(t.value - done, 0)
    if yf.pace is not None and yf.pace < 1:
        expect = t.value * yf.pace
        # 序时进度 (docs/zh-style.md): the count done against what earlier years had done by the same point, both
        # printed as the unit prints them (whole firms, whole people); equal as printed reads 基本持平, and a pace
        # that prints as 0% says there is nothing to compare with rather than "应完成0%，约0个"
        if f"{yf.pace:.0%}" == "0%":
            key = "forecast.flow.no_pace"
        elif print_alike(done, expect, t.unit, extra=0):
            key = "forecast.flow.level_pace"
        else:
            key = "forecast.flow.behind_pace" if done < expect else "forecast.flow.on_pace"
        takes = words(key, year=year, done=amount(done, t.unit), pace=f"{yf.pace:.0%}",
                      expect=amount(expect, t.unit), need=amount(need, t.unit), pace_source=pace_source(yf))
    else:
        takes = words("forecast.flow.needed", year=year, target=amount(t.value, t.unit))
    by_town = None
    if t.town_quota:
        change, shock = district_change(ctx, year, t), district_shock(ctx, year, year)
        by_town = town_quotas(t, ctx, series, year,
                              lambda rt: forecast_flow(rt, year, year, ctx.cut, ctx.rng, ctx.n_sims, change, shock))
    known = yf.latest_date == dt.date(year, 12, 31)
    return make(t, ctx, yf.sims, yf.years, yf.latest_value, yf.latest_date, _history(yf), final_known=known,
                method=join([words("forecast.flow.method", pace_source=pace_source(yf)), _shock_words(ctx, year)],
                            "join.sentences"), takes=takes, by_town=by_town,
                details={"completion": yf.history})


def score_cumulative(t: Target, ctx: Context) -> Attainment:
    """``task_cumulative``: the plan years' flows added up to the deadline."""
    assert t.value is not None
    start = ctx.plan.start.year
    year0 = max(min(ctx.cut.year, ctx.deadline.year), start)
    r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
    yf = forecast_flow(r, year0, ctx.deadline.year, ctx.cut, ctx.rng, ctx.n_sims, district_change(ctx, year0, t),
                       district_shock(ctx, year0, ctx.deadline.year, t.series[0]))
    h = yf.history.set_index("year")["fy"]
    # 累计 read "with earlier firms" (the plan file's ``reading``) counts every year the returns hold before the
    # plan's start too; read from the plan's start (the default), only the plan years
    first = int(h.index.min()) if t.reading == "with_earlier" and len(h) else start
    done_before = float(h.loc[(h.index >= first) & (h.index < year0)].sum())
    cum = done_before + np.cumsum(yf.sims, axis=1)
    so_far = done_before
    if yf.latest_date and yf.latest_date.year == year0:
        so_far += yf.latest_value or 0.0
    need = max(t.value - so_far, 0)
    earlier = h.loc[h.index < year0].dropna().tail(LOOKBACK)
    usual = float(earlier.mean()) if len(earlier) else float("nan")
    takes = words("forecast.cumulative.takes", start=first, done=amount(so_far, t.unit), year=ctx.deadline.year,
                  need=amount(need, t.unit), usual=yearly_rate(usual, t.unit))
    hist_cum = h.loc[h.index >= first].dropna().cumsum()
    known = yf.latest_date == ctx.deadline
    return make(t, ctx, cum, yf.years, so_far, yf.latest_date, year_ends(hist_cum.index, hist_cum.to_numpy()),
                final_known=known, method=join([words("forecast.cumulative.method", start=start, pace_source=pace_source(yf)),
                                 _shock_words(ctx, year0)], "join.sentences"),
                takes=takes, details={"completion": yf.history}, settled=bool(t.reached(so_far)))
