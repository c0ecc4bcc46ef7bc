"""Each town's yearly growth of a stock (a count of firms, a balance) against its own growth goal: towns pooled.

Why: a town's goal "+20 % a year" is judged on one year's growth of its year-end level, and three or four years of
one town's own growth say little about the next: their sd is itself noisy (three values), and a t-distribution
with two or three degrees of freedom around it (``stock.forecast_stock``) makes most towns' chances hover near
one half whatever their course - worse than saying "most towns make it" (bench/worlds.md, issue 22 baseline). The
towns of a district share most of what moves their growth: the same year's policy, the same economy. So a town's
yearly log growth is taken as

    g(town, year) = m(year) + a(town) + e(town, year),

the district's growth of the year ``m`` (every town shares it), the town's own lasting lead or lag ``a`` (shrunk
toward none by how much the towns' leads really differ beyond their noise: empirical Bayes), and the town's own
noise ``e`` (its variance pooled over every town with a prior: a dozen towns' few years scatter little, and a
floor from the counting noise of a small town's additions made the free worlds' smooth counts look far noisier than
they are, bench/worlds.md revision 6). The year to
come's ``m`` is the mean of the years seen, uncertain by the years' scatter pooled with a prior
(``priors.PRIORS.town_year_sd``, ``town_year_df`` years): one district-wide good or bad year moves every town
at once; a year two steps ahead of the last growth seen adds that variance again (the district's growth moves on
like a local level). Within the year (the 30 June level known), the second half's growth is decomposed the same way. Levels of
counts are drawn as whole numbers, so a town of 13 firms needs 16, not 15.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import helpers.forecast.priors as priors

#: years of growth used (the latest ones before the year forecast)
YEARS = 4


@dataclass(frozen=True)
class PooledGrowth:
    """The towns' pooled log growth over one step (a year, or the second half of a year): per town its expected
    growth ``mean`` (the year's mean + its shrunk lead), the variance of its own part ``own_var`` (noise + the
    error of its lead), and the variance ``common_var`` of the district-wide part every town shares."""

    mean: dict[str, float]
    own_var: dict[str, float]
    common_var: float


def pooled_growth(levels: dict[str, pd.Series], year: int, half: bool = False) -> PooledGrowth | None:
    """Fit the decomposition on the steps before ``year``: year-end to year-end (``half`` False; ``levels`` per
    town indexed by year, the year-end levels) or 30 June to 31 December (``half`` True; ``levels`` per town a
    frame with columns h1 and fy by year). None when fewer than two towns have a step."""
    steps: dict[str, dict[int, tuple[float, float]]] = {}
    for town, s in levels.items():
        got: dict[int, tuple[float, float]] = {}
        if half:
            h = s.loc[s.index < year].dropna()
            for y, r in h.iterrows():
                if r["h1"] > 0 and r["fy"] > 0:
                    got[int(y)] = (float(np.log(r["fy"] / r["h1"])), float(r["h1"]))
        else:
            f = s.loc[s.index < year].dropna().sort_index()
            for (y0, a), (y1, b) in zip(f.items(), list(f.items())[1:], strict=False):
                if int(y1) - int(y0) == 1 and a > 0 and b > 0:
                    got[int(y1)] = (float(np.log(b / a)), float(a))
        keep = sorted(got)[-YEARS:]
        if keep:
            steps[town] = {y: got[y] for y in keep}
    if len(steps) < 2:
        return None
    years = sorted({y for s in steps.values() for y in s})
    m = {y: float(np.mean([s[y][0] for s in steps.values() if y in s])) for y in years}
    resid = {t: {y: g - m[y] for y, (g, _) in s.items()} for t, s in steps.items()}
    lead = {t: float(np.mean(list(r.values()))) for t, r in resid.items()}
    # the towns' own noise, pooled: the scatter of each town's residuals around its lead
    ss = sum(sum((v - lead[t]) ** 2 for v in r.values()) for t, r in resid.items())
    dof = sum(len(r) - 1 for r in resid.values())
    noise = ss / dof if dof > 0 else priors.PRIORS.town_noise_sd ** 2
    df0 = priors.PRIORS.town_noise_df
    noise = (df0 * priors.PRIORS.town_noise_sd ** 2 + dof * noise) / (df0 + dof)
    # how much the towns' leads differ beyond what their noise alone would scatter them (tau², method of moments)
    n_t = {t: len(r) for t, r in resid.items()}
    spread = float(np.var(list(lead.values()), ddof=1))
    tau2 = max(spread - float(np.mean([noise / n for n in n_t.values()])), 0.0)
    means, own = {}, {}
    for t in steps:
        v = noise
        k = tau2 / (tau2 + v / n_t[t]) if tau2 > 0 else 0.0
        means[t] = k * lead[t]
        own[t] = v + k * v / n_t[t]
    ms = np.array([m[y] for y in years])
    k_y = len(ms)
    data_var = float(np.var(ms, ddof=1)) if k_y > 1 else 0.0
    yd0 = priors.PRIORS.town_year_df
    sd0 = priors.PRIORS.town_year_sd * (np.sqrt(0.5) if half else 1.0)
    year_var = (yd0 * sd0 ** 2 + max(k_y - 1, 0) * data_var) / (yd0 + max(k_y - 1, 0))
    centre = float(ms.mean())
    return PooledGrowth({t: centre + means[t] for t in steps}, own, year_var + year_var / max(k_y, 1))


def draw(g: PooledGrowth, town: str, common: np.ndarray, rng: np.random.Generator, ahead: int = 0) -> np.ndarray:
    """One step's log growth of ``town`` on every path: the shared district part (``common``, standard normals
    the towns share) and the town's own. ``ahead``: years between the last growth seen and this step's year beyond
    the next; the district's growth moves on like a local level, so each such year adds its variance once more."""
    return (g.mean[town] + np.sqrt(g.common_var * (1 + ahead)) * common
            + np.sqrt(g.own_var[town]) * rng.standard_normal(len(common)))


__all__ = ["YEARS", "PooledGrowth", "draw", "pooled_growth"]
