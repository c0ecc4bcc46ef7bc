"""Each town's forecast and probability of meeting its own yearly quota of a task flow (the by-town table).

Why a module of its own: the towns' quotas are what every briefing shows by town, and how a town's count is
forecast is a concern apart from the district's flow model (``flow``), which supplies the forecast of a town's
series (a callable, so this module does not import the flow model back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

import helpers.forecast.tasks as tasks
from helpers.forecast.scoring import Context, town_status
from helpers.forecast.tasks import YearForecast
from helpers.targets import Target, reached

#: the by-town table: the count so far, the quota, the forecast with its 80 % range, the probability and the status
TOWN_COLUMNS = ["town", "latest_value", "target", "forecast", "lo80", "hi80", "p_reach", "status"]


def town_quotas(t: Target, ctx: Context, series: str, year: int,
                forecast: Callable[[pd.DataFrame], YearForecast]) -> pd.DataFrame:
    """Each unit with a quota: its count so far this year, its forecast with an 80 % range (so the towns' ranges
    are scored like the district's) and its probability of meeting the quota.

    ``forecast``: the town's returns → its forecast of ``year`` (raises LookupError when no full year is known)."""
    rows = []
    passed = ctx.cut >= pd.Timestamp(year, 12, 31)
    for town, quota in t.town_quota.items():
        r = tasks.target_series(ctx.data.tasks, series, ctx.cut, t.unit, town)
        try:
            yf = forecast(r)
        except LookupError:
            rows.append({"town": town, "latest_value": np.nan, "target": quota, "forecast": np.nan,
                         "lo80": np.nan, "hi80": np.nan, "p_reach": np.nan, "status": "no_data"})
            continue
        p = float(np.mean(reached(yf.sims[:, 0], quota, t.direction)))
        known = yf.latest_date is not None and yf.latest_date == dt.date(year, 12, 31)
        done = yf.latest_value if yf.latest_date and yf.latest_date.year == year else 0.0
        lo, hi = np.quantile(yf.sims[:, 0], [0.1, 0.9])
        rows.append({"town": town, "latest_value": done, "target": quota, "forecast": float(np.median(yf.sims[:, 0])),
                     "lo80": float(lo), "hi80": float(hi),
                     "p_reach": p, "status": town_status(p, passed, done, quota, t.direction, known)})
    return pd.DataFrame(rows, columns=TOWN_COLUMNS)
