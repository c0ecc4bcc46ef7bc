"""Every unit's average yearly growth of a count over the plan years (town_growth): compound growth per unit.

Why: "各区镇…年均增长达20%以上" read literally is each unit's compound average yearly growth from the year end
before the plan to the deadline, (N_end / N_base)^(1/years) − 1; the target is met when every unit meets it. So
the quantity the attainment is about is the growth of the **slowest** unit: its value, range and probability
(P(slowest ≥ target) = P(every unit ≥ target)) all describe that one quantity. Each unit's year-end counts are
forecast by the log-growth model (``stock.forecast_stock``), the units sharing half of each year's shock. The
stricter reading (every unit ≥ target in every single year) is computed from the same paths and recorded in
``details["readings"]`` and the method note, not used for the status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers.forecast.tasks as tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import (
    Context,
    amount,
    join,
    make,
    names,
    no_data,
    town_status,
    words,
    year_ends,
)
from helpers.forecast.stock import common_shocks, forecast_stock
from helpers.targets import Target, reached


def _cagr(level: np.ndarray | float, base: float, years: int) -> np.ndarray | float:
    return 100 * ((np.asarray(level, dtype=float) / base) ** (1 / years) - 1)


def score(t: Target, ctx: Context) -> Attainment:
    """``town_growth``: the slowest unit's compound average yearly growth from the base year end to the deadline."""
    assert t.value is not None
    base_year, end_year = ctx.base_year, ctx.deadline.year
    span = end_year - base_year
    year0 = min(max(ctx.cut.year, base_year + 1), end_year)
    common = common_shocks(ctx.rng, ctx.n_sims, end_year - year0 + 1)
    rows, growth, every_year = [], [], []
    observed: dict[str, pd.Series] = {}
    for town in ctx.towns:
        r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit, town)
        fy = r.loc[r["period_end"].dt.month == 12].set_index("year")["value"].astype(float)
        base = fy.get(base_year)
        if base is None or base <= 0:
            continue
        try:
            yf = forecast_stock(r, year0, end_year, ctx.rng, ctx.n_sims, common)
        except LookupError:
            continue
        g = _cagr(yf.sims[:, -1], base, span)
        # the stricter reading: each year's growth over the previous year end, known years as known
        levels = {y: np.full(ctx.n_sims, fy[y]) for y in fy.index if base_year <= y < year0}
        levels.update({y: yf.sims[:, i] for i, y in enumerate(yf.years)})
        yearly_ok = np.ones(ctx.n_sims, dtype=bool)
        for y in range(base_year + 1, end_year + 1):
            if y in levels and (y - 1) in levels:
                yearly_ok &= reached(100 * (levels[y] / levels[y - 1] - 1), t.value, t.direction)
        known = fy.loc[(fy.index > base_year) & (fy.index <= end_year)]
        observed[town] = pd.Series({y: float(_cagr(v, base, y - base_year)) for y, v in known.items()}, dtype=float)
        latest_g = float(observed[town].iloc[-1]) if len(observed[town]) else None
        p = float(np.mean(reached(g, t.value, t.direction)))
        final = end_year in known.index
        rows.append({"town": town, "latest_value": latest_g, "target": t.value, "forecast": float(np.median(g)),
                     "lo80": float(np.quantile(g, 0.1)), "hi80": float(np.quantile(g, 0.9)), "p_reach": p,
                     "p_every_year": float(yearly_ok.mean()),
                     "status": town_status(p, ctx.passed, latest_g, t.value, t.direction, final)})
        growth.append(g)
        every_year.append(yearly_ok)
    if not rows:
        return no_data(t, ctx.deadline, f"no year-end {base_year} counts by unit")
    table = pd.DataFrame(rows)
    slowest = np.min(np.column_stack(growth), axis=1)
    p_strict = float(np.mean(np.all(np.column_stack(every_year), axis=1)))
    # history: the slowest unit's average growth to each year end, over the units reporting that year
    obs = pd.DataFrame(observed)
    hist_years = [int(y) for y in obs.index if obs.loc[y].notna().all()]
    history = year_ends(hist_years, [obs.loc[y].min() for y in hist_years])
    latest = float(history["value"].iloc[-1]) if len(history) else None
    latest_date = history["date"].iloc[-1].date() if len(history) else None
    lag = table.loc[table["p_reach"] < 0.5, "town"].tolist()
    takes = words("forecast.town_growth.takes", start=base_year, end=end_year, target=amount(t.value, "percent"),
                  ok=len(table) - len(lag), n=len(table))
    if lag:
        lag_words = words("forecast.town_growth.lagging", towns=names(lag, ctx.plan))
        takes = join([takes, lag_words])
    slow = table.sort_values("forecast")["town"].iloc[0]
    method = words("forecast.town_growth.method", start=base_year, end=end_year, target=amount(t.value, "percent"),
                   p_strict=f"{p_strict:.0%}")
    readings = pd.DataFrame({"reading": ["compound_average", "every_year"],
                             "p_reach": [float(np.mean(reached(slowest, t.value, t.direction))), p_strict],
                             "used": [True, False]})
    final_known = latest_date is not None and latest_date.year == end_year and len(obs.columns) == len(table)
    return make(t, ctx, slowest[:, None], [end_year], latest, latest_date, history, final_known=final_known,
                method=method, takes=takes, by_town=table, details={"readings": readings},
                final_suffix=words("forecast.town_growth.slowest", town=names([slow], ctx.plan)))
