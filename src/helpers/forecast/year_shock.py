"""A district-wide yearly shock shared by every task flow: its size, and the one draw per path all flows share.

Why: the task flows of one district (firms recognised, growth firms registered, applications filed) are pushed
by the same things in a year - the bureau's own effort, a new subsidy or its withdrawal, the economy. A year in
which every flow runs 20-40 % above or below its course is not rare: national counts of science-and-technology
SMEs registered and of high-tech recognitions moved by a quarter or more in single years (2017, 2020, 2023) as
rules and subsidies changed. Each flow's own local level (``flow.local_level``) sees only its own noise, so its
range leaves this shock out, and flows forecast as independent let the leading group read seven "likely" tasks as
nearly certain to be mostly met, when one bad year takes them all down together.

The model: a year's log change of every flow = the district's change + a common shock c_year (variance sigma^2)
+ the flow's own shock + count noise. sigma^2 is estimated from how much the precision-weighted mean change of the
flows scatters from year to year beyond what their count noise explains (method of moments), pooled with a prior
(``priors.PRIORS.shock_df`` years at ``shock_sd``) in a scaled inverse chi-square, because four or five years of a dozen flows
say little about a shock that comes once in several years. In the simulation every flow of the plan draws the
same standardised shock for a year on a path (``common_normals``: a stream seeded by the run's seed and the year,
never by a target), so dropping or adding a target changes no other target's numbers.

Within the year, the flows' counts so far say which way this year's shock went (``this_year``): at 30 June a
dozen flows all behind their usual pace is a bad year for each of them, even one whose own small count says
little. The shock's posterior from all the flows' first halves pooled (normal prior and normal errors) moves each
flow's rate and narrows the shock's part of its spread - by as much as the first halves, their pace's own spread
and a district-wide error of the year's timing (``priors.PRIORS.shock_timing_sd``) allow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

import helpers.forecast.priors as priors

#: years of changes used (the latest ones before the year forecast)
YEARS = 5


@dataclass(frozen=True)
class YearShock:
    """The common yearly shock's variance (posterior mean ``var``) from ``years`` years of the flows' changes,
    and the moment estimate from the data alone (``data_var``, 0 when the changes scatter no more than noise)."""

    var: float
    data_var: float
    years: int

    @property
    def sd(self) -> float:
        return float(np.sqrt(self.var))


def fit_year_shock(fulls: list[pd.Series], year: int, prior_sd: float | None = None,
                   prior_df: float | None = None) -> YearShock:
    """The shock's variance from the flows' full-year counts (``fulls``: one series per flow, indexed by year) of
    the years before ``year``: per year, the flows' log changes averaged with weights their Poisson precision;
    the scatter of those yearly means around their mean beyond their own sampling variance."""
    prior_sd = priors.PRIORS.shock_sd if prior_sd is None else prior_sd
    prior_df = priors.PRIORS.shock_df if prior_df is None else prior_df
    changes: dict[int, list[tuple[float, float]]] = {}
    for f in fulls:
        f = f.loc[f.index < year].dropna().sort_index()
        for (y0, a), (y1, b) in zip(f.items(), list(f.items())[1:], strict=False):
            if int(y1) - int(y0) != 1:
                continue
            d = float(np.log(b + 0.5) - np.log(a + 0.5))
            v = 1 / max(a, 0.5) + 1 / max(b, 0.5)
            changes.setdefault(int(y1), []).append((d, v))
    ys = sorted(changes)[-YEARS:]
    means, vars_ = [], []
    for y in ys:
        d, v = np.array(changes[y]).T
        w = 1 / v
        means.append(float((w * d).sum() / w.sum()))
        vars_.append(float(1 / w.sum()))
    k = len(means)
    data_var = max(float(np.var(means, ddof=1)) - float(np.mean(vars_)), 0.0) if k > 1 else 0.0
    df = prior_df + max(k - 1, 0)
    var = (prior_df * prior_sd ** 2 + max(k - 1, 0) * data_var) / df if df > 0 else 0.0
    return YearShock(var=float(var), data_var=data_var, years=k)


@dataclass(frozen=True)
class YearEvidence:
    """What one flow's count so far says about this year's common shock: ``z``, the log of its count so far over
    the count its usual course and pace make typical (the median, not the mean: a shock is a move of the log
    rate), and ``var``, how much z scatters without any shock - the flow's own yearly spread, the count's Poisson
    noise and the pace's year-to-year spread (a first half of 30 % of the year read as 40 % is a 25 % error)."""

    z: float
    var: float


def this_year(evidence: dict[str, YearEvidence], var: float, timing_var: float | None = None,
              exclude: str | None = None) -> tuple[float, float]:
    """The current year's common shock (log) given the flows' counts so far: its posterior mean and variance.

    Each flow's z = c + its own error (variance ``YearEvidence.var``); their precision-weighted mean z̄ also
    carries a district-wide error in the timing of the year (variance ``timing_var``: a year whose work all comes
    late looks like a bad year until December) that no number of flows averages away. With a normal prior of
    variance ``var`` on c: mean = var / (var + 1/W + timing_var) · z̄, variance = var · (1/W + timing_var) / (var +
    1/W + timing_var). With no flow reported yet, the prior itself (0, ``var``). ``exclude``: a flow whose own
    count is left out (it updates its own rate already; counted twice it would weigh twice)."""
    timing_var = priors.PRIORS.shock_timing_sd ** 2 if timing_var is None else timing_var
    ev = [e for k, e in evidence.items() if k != exclude]
    if not ev or var <= 0:
        return 0.0, var
    w = np.array([1 / e.var for e in ev])
    zbar = float((w * np.array([e.z for e in ev])).sum() / w.sum())
    noise = 1 / float(w.sum()) + timing_var
    k = var / (var + noise)
    return k * zbar, k * noise


def common_normals(seed: int, year: int, n: int) -> np.ndarray:
    """The standardised common shock of ``year`` on each of ``n`` paths: the same for every flow of a run."""
    digest = hashlib.sha256(f"task flows: district-wide yearly shock {year}".encode()).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng([seed, *words]).standard_normal(n)


__all__ = ["YEARS", "YearEvidence", "YearShock", "common_normals", "fit_year_shock", "this_year"]
