"""Counts done within a year (task_flow) or over the plan years (task_cumulative): the gamma-Poisson model.

Why: flows are counts reported year to date at 30 June and 31 December. A half-year figure says little without
the usual pace (``tasks.completion_share``), and counts scatter more than Poisson from year to year. So the yearly
rate has a gamma prior from the full years known: a local level of the log counts (``local_level``, a Kalman
filter in which the level moves on each year by the district's yearly change plus a shock of variance
``LEVEL_Q``, and a year's count adds its Poisson noise) - so a flow of hundreds is forecast from its last count,
precise to a few per cent, while a flow of a few units averages its noisy years - moved on from the last known
year to the year forecast. The change is one value in log pooled over every flow series of the plan
(``district_change``; a series' own change of a few noisy counts is itself noisy). The prior's spread is the
level's own uncertainty plus one shock a year ahead; a series with no count keeps a small rate rather than none.
The count done so far updates it over the exposure ``pace``, itself uncertain (``tasks.pace_spread``: in a year
with a year-end push a low first half is not a slow year); the rest of the year is Poisson. Later years
(cumulative targets) go on from this year's rate, moved on by the change with a shock a year, so their rates
share its error. Every flow's year also carries the district-wide yearly shock shared by all flows
(``year_shock``: its variance is added to the rate's spread, and a path's draw of the rate is tied to the one
standardised shock every flow of the run shares, through a Gaussian copula, so the marginal range of each flow is
its own gamma-Poisson one and the flows of a year rise and fall together); within the year, what the first halves
of all the district's flows show against their usual pace moves that shock and narrows it
(``year_evidence``, ``year_shock.this_year``; a flow's own count is left out of the pool it is moved by). What is done stays done: a simulated year never ends below its count so far. Settings chosen on
free worlds of seeds 0-99 (bench/worlds.md, revisions 3 and 4); the revision-3 rate
(the last three years' mean moved on by two changes, ``LEVEL = "mean3"``) and the other variants tried are kept
as switches for the tuning harness.
The targets' attainments (what it takes, method sentences, towns' quotas) are made in ``flow_scores``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

import helpers.forecast.tasks as tasks
from helpers.forecast.scoring import (
    Context,
)
from helpers.forecast.tasks import (
    LOOKBACK,
    MIN_CV2,
    YearForecast,
    completion_share,
    halves,
    latest_of,
    pace_spread,
)
from helpers.forecast.year_shock import YearEvidence, YearShock, common_normals, fit_year_shock, this_year
from helpers.targets import Target


@dataclass(frozen=True)
class CommonShock:
    """The district-wide yearly shock of a run: its variance and, per year, the standardised draw of each path
    (the same array for every flow)."""

    var: float
    normals: dict[int, np.ndarray]
    #: the first year's shock as the flows' counts so far say (``year_shock.this_year``: posterior mean and
    #: variance, in log); None: nothing of the year known, the prior (0, ``var``)
    now: tuple[float, float] | None = None

    def first(self) -> tuple[float, float]:
        """The first year's shock: its mean and variance (log)."""
        return self.now if self.now is not None else (0.0, self.var)


def forecast_flow(r: pd.DataFrame, year: int, last_year: int, cut: pd.Timestamp,
                  rng: np.random.Generator, n_sims: int,
                  change: float | DistrictChange | None = None,
                  common: CommonShock | None = None) -> YearForecast:
    """Full-year counts for ``year`` … ``last_year`` (gamma-Poisson; counts so far update the rate).

    ``change``: the district's yearly change in log (``district_change``; a bare number is taken as known);
    without it the series' own. ``common``: the district-wide yearly shock (``district_shock``); without it the
    flow's years are independent of other flows'."""
    h = halves(r)
    shift, shock_var = common.first() if common is not None else (0.0, 0.0)
    m, cv2 = rate_prior(h, year, change, shock_var)
    m *= float(np.exp(shift))
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
        # the common shock's part of the prior's log variance, less the part the count so far has replaced
        rho = np.sqrt(min(shock_var / np.log1p(cv2), 1.0)) * b / (b + float(np.mean(expo))) if shock_var else 0.0
        lam = _tied_gamma(a + done, b + expo, rho, common.normals.get(year) if common else None, rng, n_sims)
        sims[:, 0] = done + rng.poisson(lam * (1 - expo))
    if CUM_PATH and len(years) > 1:
        # later years go on from this year's rate (their rates share its error), moved on by the change with
        # the level's yearly shock
        known = sims[:, 0] if state == "full_year" else None
        rate = lam if known is None else rng.gamma(a + known, 1 / (b + 1))
        c = _course(_recent(h, year), change)[0]
        for i in range(1, len(years)):
            rate = rate * np.exp(c + rng.normal(-LEVEL_Q / 2, np.sqrt(LEVEL_Q), size=n_sims))
            if common is not None and years[i] in common.normals:
                rate = rate * np.exp(np.sqrt(common.var) * common.normals[years[i]] - common.var / 2)
            sims[:, i] = rng.poisson(rate)
        lv, ld = latest_of(r)
        return YearForecast(years, sims, lv, ld, pace, state, pace_years, h.reset_index())
    for i in range(1, len(years)):
        sims[:, i] = rng.poisson(rng.gamma(a, 1 / b, size=n_sims))
    lv, ld = latest_of(r)
    return YearForecast(years, sims, lv, ld, pace, state, pace_years, h.reset_index())


#: years the three-year mean is moved on by: it sits two years behind the year forecast
TREND_YEARS = 2
FLOW_MEASURES = ("task_flow", "task_cumulative")

# Tuning switches of revision 4 (bench/worlds.md; bench/worlds_tune.py VARIANTS). The defaults are the
# chosen model: LEVEL "filter" and CUM_PATH (the rest as at revision 3; ``flow_rev3`` restores revision 3).
#: how a series' yearly change is found: "pooled" - the district's pooled change for every series; "shrunk" -
#: the series' own change shrunk toward the district's by their precisions (empirical Bayes: a long series of
#: large counts keeps much of its own course, a flow of a few units takes the district's)
CHANGE = "pooled"
#: floor of the extra-Poisson cv² in the variance of a series' own change (only with CHANGE "shrunk")
CHANGE_CV2_FLOOR = 0.02
#: floor of τ², the variance of the series' true changes around the district's (CHANGE "shrunk"): a dozen series'
#: changes over three noisy steps rarely show it, though flows of different kinds need not share one course
TAU2_FLOOR = 0.0
#: add the uncertainty of the series' change (moved on by TREND_YEARS) to the rate's spread (CHANGE "shrunk")
CHANGE_VAR = False
#: pool the change separately over flows with town quotas (whose plan fixes a yearly quota, so they need not
#: grow) and flows without
POOL_BY_QUOTA = False
#: floor of the rate's extra-Poisson cv² (``tasks.MIN_CV2`` at revision 3)
CV2_FLOOR = MIN_CV2
#: where the rate starts from: "mean3" - the last three years' mean moved on by TREND_YEARS changes; "filter" - a
#: local level of the log counts (``local_level``: the last year weighs by how precise its count is against how
#: much a level moves in a year), moved on by the change from the last known year to the year forecast;
#: "filter_count" - the same on the scale of the counts (``count_level``)
LEVEL = "filter"
#: the filter's rate: "log" - exp of the log level (and half its variance); "counts" - its gains applied to the
#: counts themselves (unbiased for flows of about one a year)
LEVEL_MEAN = "log"
#: variance of a year's move of the log level beyond the change ("filter"; and CUM_PATH)
LEVEL_Q = 0.02
#: later years of a cumulative target go on from the first year's rate, moved on by the change (their rates share
#: its error) instead of fresh independent draws from the first year's prior
CUM_PATH = True


@dataclass(frozen=True)
class DistrictChange:
    """The district's yearly change in log as known at a cut-off: its pooled ``mean`` and how much the series'
    own true changes vary around it (``between_var``, τ²; 0 = every series shares the district's course)."""

    mean: float
    between_var: float = 0.0


def _kind(t: Target) -> bool:
    """With POOL_BY_QUOTA, the kind of flow a change is pooled over: with town quotas or without."""
    return bool(t.town_quota) if POOL_BY_QUOTA else True


def district_change(ctx: Context, year: int, target: Target | None = None) -> DistrictChange | None:
    """The yearly change in log pooled over every district flow series of the plan, as known at the cut-off
    (``pool_change``); computed once per data, cut-off and year, as every flow target of a meeting shares it.
    With POOL_BY_QUOTA, over the flows of ``target``'s kind only (with town quotas or without)."""
    kind = _kind(target) if target is not None else True
    key = ("flow.district_change", ctx.cut, year, CHANGE, CHANGE_CV2_FLOOR, TAU2_FLOOR, POOL_BY_QUOTA, kind)
    if key in ctx.data.derived:
        return ctx.data.derived[key]
    hs = []
    for t in ctx.plan.scored:
        if t.measure in FLOW_MEASURES and t.series and (target is None or _kind(t) == kind):
            r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
            if not r.empty:
                hs.append(halves(r))
    if CHANGE == "shrunk":
        ctx.data.derived[key] = pool_change_between(hs, year)
    else:
        pooled = pool_change(hs, year)
        ctx.data.derived[key] = None if pooled is None else DistrictChange(pooled)
    return ctx.data.derived[key]


def district_shock(ctx: Context, year: int, last_year: int, series: str | None = None) -> CommonShock:
    """The district-wide yearly shock of the task flows (``year_shock.fit_year_shock`` over the full-year counts
    of every district flow series of the plan known at the cut-off), what this year's counts so far say of
    ``year``'s (``year_shock.this_year`` over ``year_evidence``, leaving out ``series``' own count) and the run's
    shared draws for ``year`` … ``last_year``; the fit is computed once per data, cut-off and year."""
    key = ("flow.district_shock", ctx.cut, year)
    if key not in ctx.data.derived:
        fulls = []
        for t in ctx.plan.scored:
            if t.measure in FLOW_MEASURES and t.series:
                r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
                if not r.empty:
                    fulls.append(halves(r)["fy"])
        ctx.data.derived[key] = fit_year_shock(fulls, year)
    shock: YearShock = ctx.data.derived[key]
    evidence = year_evidence(ctx, year)
    now = this_year(evidence, shock.var, exclude=series) if evidence else None
    return CommonShock(shock.var, {y: common_normals(ctx.seed, y, ctx.n_sims) for y in range(year, last_year + 1)},
                       now)


def flow_evidence(h: pd.DataFrame, year: int, change: float | DistrictChange | None) -> YearEvidence | None:
    """What one flow's first half of ``year`` says of the year's common shock (``year_shock.YearEvidence``):
    its count so far against its usual course's median rate × its usual pace, with the spread of both. None
    when the flow has no first half of the year, its full year is already known, or no earlier year."""
    if year not in h.index or pd.isna(h.loc[year, "h1"]) or pd.notna(h.loc[year, "fy"]):
        return None
    try:
        m, cv2 = rate_prior(h, year, change)
    except LookupError:
        return None
    pace, _ = completion_share(h, year)
    if pace <= 0:
        return None
    typical = m * pace / np.sqrt(1 + cv2)  # the lognormal rate's median: a shock moves the log rate
    var = float(np.log1p(cv2)) + 1 / (typical + 0.5) + (pace_spread(h, year) / pace) ** 2
    return YearEvidence(float(np.log((h.loc[year, "h1"] + 0.5) / (typical + 0.5))), var)


def year_evidence(ctx: Context, year: int) -> dict[str, YearEvidence]:
    """``flow_evidence`` of every district flow series of the plan at the cut-off, by series; computed once per
    data, cut-off and year."""
    key = ("flow.year_evidence", ctx.cut, year)
    if key not in ctx.data.derived:
        out: dict[str, YearEvidence] = {}
        for t in ctx.plan.scored:
            if t.measure in FLOW_MEASURES and t.series and t.series[0] not in out:
                r = tasks.target_series(ctx.data.tasks, t.series[0], ctx.cut, t.unit)
                if not r.empty:
                    e = flow_evidence(halves(r), year, district_change(ctx, year, t))
                    if e is not None:
                        out[t.series[0]] = e
        ctx.data.derived[key] = out
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

    def change_var(self, floor: float) -> float:
        """Sampling variance of ``change``: the first and last log counts' variance, 1/m + cv², over steps²."""
        return 2 * (1 / max(self.mean, 0.5) + max(self.cv2, floor)) / self.steps ** 2 if self.steps else np.inf


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


def pool_change_between(hs: list[pd.DataFrame], year: int) -> DistrictChange | None:
    """The district's change as a random-effects mean (DerSimonian-Laird): each series' own change d_i with its
    sampling variance v_i (``_Recent.change_var``); τ², the variance of the true changes around the district's,
    from how much more the d_i scatter than their v_i say; the mean weighted by 1 / (v_i + τ²). None when no
    series has two full years."""
    rs = [r for r in (_recent(h, year) for h in hs) if r is not None and r.steps > 0]
    if not rs:
        return None
    d = np.array([r.change for r in rs])
    v = np.array([r.change_var(CHANGE_CV2_FLOOR) for r in rs])
    w = 1 / v
    fixed = float((w * d).sum() / w.sum())
    q = float((w * (d - fixed) ** 2).sum())
    denom = float(w.sum() - (w ** 2).sum() / w.sum())
    tau2 = max(TAU2_FLOOR, (q - (len(rs) - 1)) / denom if denom > 0 else 0.0)
    wr = 1 / (v + tau2)
    return DistrictChange(float((wr * d).sum() / wr.sum()), tau2)


def series_change(r: _Recent, district: DistrictChange) -> tuple[float, float]:
    """A series' yearly change and its variance: its own change shrunk toward the district's by the share
    τ² / (τ² + v) (all the district's when the series share one course, τ² = 0)."""
    if district.between_var <= 0 or not r.steps:
        return district.mean, 0.0
    v = r.change_var(CHANGE_CV2_FLOOR)
    k = district.between_var / (district.between_var + v)
    return district.mean + k * (r.change - district.mean), k * v


def _tied_gamma(shape: float, rate: float | np.ndarray, rho: float, shared: np.ndarray | None,
                rng: np.random.Generator, n: int) -> np.ndarray:
    """Gamma(shape, rate) draws whose normal scores correlate ``rho`` with the ``shared`` standard normals (a
    Gaussian copula: the marginal stays the gamma, the flows of a path move together)."""
    own = rng.standard_normal(n)
    z = own if shared is None or rho <= 0 else rho * shared + np.sqrt(1 - rho ** 2) * own
    return stats.gamma.ppf(stats.norm.cdf(z), shape, scale=1 / np.asarray(rate, dtype=float))


def rate_prior(h: pd.DataFrame, year: int,
               change: float | DistrictChange | None = None, shock_var: float = 0.0) -> tuple[float, float]:
    """Mean and squared coefficient of variation (beyond Poisson) of the yearly rate of ``year``.

    With ``LEVEL`` "filter" (the model since revision 4): the local level of the full years known moved on to
    ``year`` by the change (``_filtered_prior``; its variance plus a yearly shock per year ahead is the cv²).
    With "mean3" (revision 3): the last ``LOOKBACK`` full years' mean moved on by ``TREND_YEARS`` yearly changes (``change``, the
    district's - with ``DistrictChange.between_var`` the series' own shrunk toward it; without it the series'
    own, whose error then adds to the spread), never below the Jeffreys rate 0.5 / n. The cv²: the series'
    extra-Poisson spread floored at ``CV2_FLOOR``, plus the relative error of the estimated mean (Poisson and
    extra-Poisson over n years)."""
    r = _recent(h, year)
    if r is None:
        raise LookupError("no full year known")
    if LEVEL in ("filter", "filter_count"):
        return _filtered_prior(h, year, r, change, shock_var)
    cv2 = max(r.cv2, CV2_FLOOR) if r.mean > 0 else CV2_FLOOR
    trend_var = 0.0
    if change is None:
        change = r.change
        trend_var = 2 * (1 / max(r.mean, 0.5) + cv2) / r.steps ** 2 if r.steps else 0.0
    elif isinstance(change, DistrictChange):
        change, var = series_change(r, change)
        trend_var = var if CHANGE_VAR else 0.0
    mean = max((r.mean + 0.5) * np.exp(TREND_YEARS * change) - 0.5, 0.5 / r.years)
    return mean, cv2 + (1 / mean + cv2) / r.years + TREND_YEARS ** 2 * trend_var


def local_level(counts: pd.Series, change: float, q: float) -> tuple[float, float, int]:
    """A Kalman filter of the log counts: level l (log of the rate) moves on by ``change`` plus a shock of
    variance ``q`` a year; a year's log(count + ½) is l plus its Poisson noise (variance 1 / rate). The last year's level, its variance
    and the last year. Why: the three-year mean sits behind a moving flow and treats its three counts alike; the
    filter follows the last count of a large flow and averages a small one's noisy counts."""
    level, var, last, _ = _local_level(counts, change, q)
    return level, var, last


def _local_level(counts: pd.Series, change: float, q: float) -> tuple[float, float, int, float]:
    """``local_level`` and the same weighted sum of the counts themselves (the filter's gains applied to the
    counts, moved on by the change): log(count + ½) of a flow of about one a year is biased upwards (by some
    20-60 %), a weighted mean of the counts is not."""
    years = [int(y) for y in counts.index]
    xs = counts.to_numpy(float)
    ys = np.log(xs + 0.5)
    level, var, mean = ys[0], 1 / (float(xs.mean()) + 0.5), xs[0]
    for i in range(1, len(ys)):
        step = years[i] - years[i - 1]
        level, var, mean = level + step * change, var + step * q, mean * float(np.exp(step * change))
        noise = float(np.exp(-level))  # Poisson noise at the level expected, not at the count seen (which
        # would weigh high counts more and bias a small flow upwards)
        gain = var / (var + noise)
        level, var, mean = level + gain * (ys[i] - level), (1 - gain) * var, mean + gain * (xs[i] - mean)
    return float(level), float(var), years[-1], float(mean)


def _course(r: _Recent | None, change: float | DistrictChange | None) -> tuple[float, float]:
    """The yearly change a series is moved on by and the variance it adds to the level: the series' own (with
    its error), the district's shrunk toward it (``series_change``; its error only with CHANGE_VAR), or a number
    taken as known."""
    if isinstance(change, DistrictChange):
        c, var = series_change(r, change) if r is not None else (change.mean, 0.0)
        return c, var if CHANGE_VAR else 0.0
    if change is None:
        # one full year known (or none): no change to estimate, so none is assumed and the level's own yearly
        # shock carries the spread; an infinite variance here would make the rate's mean infinite
        return (r.change, r.change_var(CHANGE_CV2_FLOOR)) if r is not None and r.steps else (0.0, 0.0)
    return float(change), 0.0


def count_level(counts: pd.Series, change: float, q: float) -> tuple[float, float, int]:
    """The local level on the scale of the counts: the rate moves on by the factor e^change with a shock of
    relative variance ``q`` a year; a year's count is the rate plus Poisson noise (variance: the rate expected).
    The last year's rate, its variance and the last year. Why not on the log scale: log(count + ½) of a flow of
    about one a year is biased upwards (by some 20-60 %), and the level is a weighted sum of the counts here."""
    years = [int(y) for y in counts.index]
    xs = counts.to_numpy(float)
    rate, var = xs[0], max(float(xs.mean()), 0.5)
    for i in range(1, len(xs)):
        grow = float(np.exp((years[i] - years[i - 1]) * change))
        rate, var = rate * grow, var * grow ** 2 + (years[i] - years[i - 1]) * q * max(rate * grow, 0.5) ** 2
        gain = var / (var + max(rate, 0.5))
        rate, var = rate + gain * (xs[i] - rate), (1 - gain) * var
    return float(rate), float(var), years[-1]


def _filtered_prior(h: pd.DataFrame, year: int, r: _Recent,
                    change: float | DistrictChange | None, shock_var: float = 0.0) -> tuple[float, float]:
    """``rate_prior`` with LEVEL "filter": the local level of the known years moved on to ``year``, each year
    ahead adding the level's own shock and the district-wide one (``shock_var``)."""
    c, trend_var = _course(r, change)
    past = h.loc[h.index < year, "fy"].dropna()
    if LEVEL == "filter_count":
        rate, var, last = count_level(past, c, LEVEL_Q)
        ahead = year - last
        mean = max(rate * float(np.exp(ahead * c)), 0.5 / r.years)
        return mean, var / max(rate, 0.5 / r.years) ** 2 + ahead * LEVEL_Q + ahead ** 2 * trend_var
    level, var, last, counted = _local_level(past, c, LEVEL_Q)
    ahead = year - last
    v = var + ahead * (LEVEL_Q + shock_var) + ahead ** 2 * trend_var
    if LEVEL_MEAN == "counts":
        mean = max(counted * float(np.exp(ahead * c)), 0.5 / r.years)
    else:
        mean = max(float(np.exp(level + ahead * c + v / 2)), 0.5 / r.years)  # log(count + ½) ≈ log(rate)
    return mean, float(np.expm1(v))


def _uncertain_pace(pace: float, sd: float, rng: np.random.Generator, n: int) -> np.ndarray:
    """Beta draws of this year's share done by 30 June, mean ``pace`` and sd ``sd`` (kept a valid beta)."""
    mu = min(max(pace, 0.02), 0.98)
    sd = min(sd, 0.9 * np.sqrt(mu * (1 - mu)))
    k = mu * (1 - mu) / sd ** 2 - 1
    return rng.beta(mu * k, (1 - mu) * k, size=n)
