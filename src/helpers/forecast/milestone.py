"""Something formed or not by a date (milestone): stages in place and the pace at which stages are added.

Why: a milestone such as an incubation chain (众创空间 → 孵化器 → 加速器) is formed when all its ``stages`` are in
place; the returns report how many are. Whether the rest arrive by the deadline depends on how fast stages have
been added so far: the yearly rate of additions has a gamma posterior (Gamma(1 + stages added, 1 + years
observed), a weak prior of one stage a year), and the stages added before the deadline are Poisson. The quantity
scored is the number formed at the deadline (whole chains: stages in place // stages per chain), so its point,
range and probability describe the same thing. Once formed, a milestone stays formed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers.forecast.tasks as tasks
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import Context, amount, day, make, words, year_ends, yearly_rate
from helpers.targets import Target


def score(t: Target, ctx: Context) -> Attainment:
    """``milestone``: the number formed at the deadline from the stages in place and their pace."""
    assert t.value is not None and t.stages
    r = tasks.returns(ctx.data.tasks, t.series[0], ctx.cut)
    if r.empty:
        raise LookupError(f"no {t.series[0]} returns")
    r = r.sort_values("period_end")
    links = float(r["value"].iloc[-1])
    latest_date = r["period_end"].iloc[-1].date()
    first = r.iloc[0]
    years_seen = max((r["period_end"].iloc[-1] - first["period_end"]).days / 365.25, 0.0)
    added = max(links - float(first["value"]), 0.0)
    remaining = max((pd.Timestamp(ctx.deadline) - pd.Timestamp(latest_date)).days / 365.25, 0.0)
    rate = ctx.rng.gamma(1 + added, 1 / (1 + years_seen), size=ctx.n_sims)
    at_deadline = links + ctx.rng.poisson(rate * remaining)
    formed = np.floor(at_deadline / t.stages)
    done = float(np.floor(links / t.stages))
    year_end = r.loc[r["period_end"].dt.month == 12]
    history = year_ends(year_end["year"], np.floor(year_end["value"] / t.stages))
    need_stages = max(t.stages * t.value - links, 0.0)
    takes = words("forecast.milestone.takes", done=f"{links:.0f}", stages=f"{t.stages * t.value:.0f}",
                  deadline=day(ctx.deadline), need=f"{need_stages:.0f}",
                  rate=yearly_rate(added / years_seen if years_seen else 0.0, "items", added=True))
    if t.reached(done):
        takes = words("forecast.milestone.formed", date=day(latest_date), done=amount(done, t.unit))
    known_at_deadline = pd.Timestamp(latest_date) >= pd.Timestamp(ctx.deadline)
    pending = words("forecast.milestone.pending", done=f"{links:.0f}", stages=f"{t.stages * t.value:.0f}",
                    date=day(latest_date), need=f"{need_stages:.0f}")
    return make(t, ctx, formed[:, None], [ctx.deadline.year], done, latest_date, history,
                final_known=known_at_deadline, settled=bool(t.reached(done)), pending=pending,
                method=words("forecast.milestone.method", stages=t.stages), takes=takes,
                details={"stages": r.rename(columns={"value": "stages_in_place"})})
