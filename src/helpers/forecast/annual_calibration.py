"""Weights and honest error scales for the annual ensemble, from rolling forecast origins inside the history.

Why two uses of the origins are kept apart. The weights are chosen from the members' errors at rolling
origins; if the ensemble's errors at those same origins set the interval width, the width is measured on the
errors the weights were picked to make small, and the intervals come out too narrow. So the ensemble's error
at an origin is computed with the weights that were known *at that origin* — chosen only from earlier
forecasts whose outcomes had been observed by then (prequential, as in real use; equal weights where
nothing was known yet). Those errors never helped choose the weights they are scored with. Weights look
only at the latest ``WEIGHT_ORIGINS`` origins (the same window, counted back from each origin, for the honest
errors), while the error scale uses every one of the ``MAX_ORIGINS``: on the tuning set, recent errors pick
members better, and more errors make a steadier width (bench/annual/protocol.md, revision 2).

The error scale per horizon is s1 · h^ERROR_GROWTH: each honest error is divided by its horizon's factor
and one scale s1 is pooled from them all (one scale from every error instead of h noisy ones). Rolling
origins inside the history see shorter training prefixes and calmer stretches than the future does, and a
handful of overlapping errors says little about the tails, so the width is then set by fixed multipliers per
level, chosen on the tuning set only (bench/annual/protocol.md). Revision 3 adds a floor per horizon,
``HORIZON_FLOOR`` · h mean absolute yearly changes: errors inside the history grow more slowly with the horizon
than the future ones do on trending economic series (the even half of M1), and a range narrower than a share of
where the series' usual yearly pace would take it by then is not believable. Revision 4 applies that floor
only when the honest one-step scale s1 is below the spread (sd) of the series' yearly changes: the ensemble then
claims to beat a random walk in-sample, which on M1-like series is too good to be true, while a series whose
in-sample errors are already as large as its changes' spread keeps its own errors (on the tuning data, which now
include smooth trending series, this narrowed their too-wide long-horizon ranges; protocol, revision 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from helpers.forecast.annual_members import member_forecasts

MIN_POINTS = 3
#: how many rolling origins (at most) inside the history are used for weights and error scales.
MAX_ORIGINS = 12
#: how many of the latest origins choose the weights (the error scale uses all ``MAX_ORIGINS``): which member
#: suits a series now is told by its recent years; how wide its errors run needs every error there is.
WEIGHT_ORIGINS = 3
#: power of the inverse-error weights (1 = inverse error; 2 favours the validated best more strongly).
WEIGHT_POWER = 2.0
#: horizon growth of the error scale: sd_h = s1 · h**ERROR_GROWTH.
ERROR_GROWTH = 0.8
#: floor of s1 as a share of the mean absolute yearly change: a lucky calm stretch does not give a zero range.
SCALE_FLOOR = 0.25
#: floor of the scale at horizon h as a share of h mean absolute yearly changes (0 = none): a range never
#: narrower than this share of where a series moving at its usual yearly pace would be by then (revision 3).
HORIZON_FLOOR = 0.75
#: floor of the scale at horizon h as a share of sd(yearly changes) · h**DISPERSION_GROWTH (0 = none): a range
#: never narrower than a random walk with the series' own spread of yearly changes would give; steady series
#: (changes that hardly vary, however large) get almost no floor (revision 4).
DISPERSION_FLOOR = 0.0
DISPERSION_GROWTH = 0.5
#: the horizon floor applies only when the honest one-step scale s1 is below this share of sd(yearly changes)
#: (0 = always applies, as in revision 3): only implausibly small in-sample errors are overruled (revision 4).
FLOOR_WHEN_BELOW = 1.0
#: pseudo-cases of a prior that puts all weight on drift, added to the known cases before the weights are taken
#: (0 = no prior): with few known errors the weights lean on drift (revision 3).
DRIFT_PRIOR = 0.0
#: how far a series' own horizon growth (log-log slope of its honest errors' RMS by horizon) moves the growth
#: away from ERROR_GROWTH: 0 = the fixed law, 1 = the series' own slope (revision 3).
GROWTH_SHARE = 0.0
#: bounds of a series' own growth estimate.
GROWTH_BOUNDS = (0.3, 1.8)


@dataclass
class Validation:
    """What the rolling origins say about one series."""

    weights: np.ndarray  # final member weights (from the latest WEIGHT_ORIGINS origins' errors)
    honest_errors: np.ndarray  # origins × horizon ensemble errors with weights known at each origin (NaN: no actual)
    scale: float  # mean absolute yearly change (MASE scale)
    growth: float = ERROR_GROWTH  # horizon growth of the error scale for this series
    change_sd: float = 0.0  # standard deviation of the yearly changes (0 with fewer than three points)


def origins(n: int) -> list[int]:
    """Forecast origins (length of the training prefix): the last few, each with at least three points."""
    return list(range(max(MIN_POINTS, n - MAX_ORIGINS), n))


def weights_from(errs: np.ndarray, prior: np.ndarray | None = None) -> np.ndarray:
    """Inverse mean scaled absolute error weights, to the power ``WEIGHT_POWER``; equal when nothing is known.

    ``errs`` is members × cases (NaN where a case has no outcome). With ``prior`` (weights summing to 1) and
    ``DRIFT_PRIOR`` > 0 the result is the known cases' weights and the prior mixed as k : DRIFT_PRIOR.
    """
    m = errs.shape[0]
    known = np.isfinite(errs).all(axis=0)
    base = np.full(m, 1 / m) if prior is None or DRIFT_PRIOR <= 0 else prior
    if not known.any():
        return base
    mae = errs[:, known].mean(axis=1)
    inv = (1 / np.maximum(mae, 1e-9)) ** WEIGHT_POWER
    w = inv / inv.sum()
    if prior is None or DRIFT_PRIOR <= 0:
        return w
    k = float(known.sum())
    return (k * w + DRIFT_PRIOR * prior) / (k + DRIFT_PRIOR)


def validate(y: np.ndarray, h: int, members: tuple[str, ...]) -> Validation:
    """Members' forecasts at each rolling origin, final weights and the ensemble's honest errors."""
    n = len(y)
    scale = float(np.mean(np.abs(np.diff(y)))) if n > 1 else 0.0
    scale = scale if scale > 0 else max(abs(float(np.mean(y))) * 0.01, 1e-9)
    orig = origins(n)
    k_n = len(orig)
    fc = np.full((len(members), k_n, h), np.nan)
    actual = np.full((k_n, h), np.nan)
    for k, o in enumerate(orig):
        steps = min(h, n - o)
        fc[:, k, :steps] = member_forecasts(y[:o], steps, members)
        actual[k, :steps] = y[o:o + steps]
    abs_err = np.abs(fc - actual[None]) / scale
    flat = abs_err.reshape(len(members), -1)
    # each case's origin (prefix length) and when its outcome became known: at prefix length o_j + s
    origin_of = np.repeat(np.asarray(orig), h)
    known_at = origin_of + np.tile(np.arange(1, h + 1), k_n)
    prior = np.array([1.0 if m == "drift" else 0.0 for m in members]) if "drift" in members else None
    final = weights_from(flat[:, origin_of >= n - WEIGHT_ORIGINS], prior)
    honest = np.full((k_n, h), np.nan)
    for k, o in enumerate(orig):
        w = weights_from(flat[:, (known_at <= o) & (origin_of >= o - WEIGHT_ORIGINS)], prior)
        honest[k] = w @ np.nan_to_num(fc[:, k, :]) - actual[k]
    honest[~np.isfinite(actual)] = np.nan
    change_sd = float(np.std(np.diff(y), ddof=1)) if n > 2 else 0.0
    return Validation(weights=final, honest_errors=honest, scale=scale, growth=series_growth(honest),
                      change_sd=change_sd)


def series_growth(errs: np.ndarray) -> float:
    """ERROR_GROWTH moved by GROWTH_SHARE towards the series' own log-log slope of RMS honest error by horizon.

    Horizons with fewer than two errors are left out; with fewer than two such horizons the fixed law stands.
    """
    if GROWTH_SHARE <= 0:
        return ERROR_GROWTH
    fin = np.isfinite(errs)
    cnt = fin.sum(axis=0)
    rms = np.sqrt(np.where(fin, errs * errs, 0.0).sum(axis=0) / np.maximum(cnt, 1))
    ok = (cnt >= 2) & (rms > 0)
    if ok.sum() < 2:
        return ERROR_GROWTH
    hs = np.log(np.arange(1, errs.shape[1] + 1)[ok])
    own = float(np.polyfit(hs, np.log(rms[ok]), 1, w=np.sqrt(cnt[ok]))[0])
    own = float(np.clip(own, *GROWTH_BOUNDS))
    return ERROR_GROWTH + GROWTH_SHARE * (own - ERROR_GROWTH)


def one_step_scale(v: Validation) -> float:
    """s1: the RMS of the honest errors over their horizon factor h**growth (never below SCALE_FLOOR · the
    mean yearly change)."""
    errs = v.honest_errors
    g = v.growth if GROWTH_SHARE > 0 else ERROR_GROWTH
    steps = np.arange(1, errs.shape[1] + 1) ** g
    z = (errs / steps[None, :])[np.isfinite(errs)]
    s1 = float(np.sqrt(np.mean(z * z))) if z.size else v.scale
    return max(s1, SCALE_FLOOR * v.scale)


def feature_claim(y: np.ndarray, v: Validation) -> float:
    """How much better than a random walk the ensemble claims to be: s1 over the sd of the yearly changes."""
    return one_step_scale(v) / v.change_sd if v.change_sd > 0 else 1.0


def feature_steadiness(y: np.ndarray, v: Validation) -> float:
    """How erratic the yearly changes are: their sd over their mean absolute size (low = a steady path)."""
    return v.change_sd / v.scale if v.scale > 0 else 0.0


def feature_departure(y: np.ndarray, v: Validation) -> float:
    """How far the last three yearly changes depart from the earlier ones: |mean difference| over the earlier sd."""
    d = np.diff(np.asarray(y, dtype=float))
    early, late = d[:-3], d[-3:]
    if len(early) < 2:
        return 0.0
    sd = float(np.std(early, ddof=1))
    return abs(float(late.mean() - early.mean())) / sd if sd > 0 else 0.0


def feature_cusum(y: np.ndarray, v: Validation) -> float:
    """Structural change in the yearly changes: 1 − p of the OLS-residual CUSUM test (statsmodels
    ``breaks_cusumolsresid`` on the changes around their mean; high = a break is likely)."""
    from statsmodels.stats.diagnostic import breaks_cusumolsresid

    d = np.diff(np.asarray(y, dtype=float))
    if len(d) < 3 or np.ptp(d) == 0:
        return 0.0
    return 1.0 - float(breaks_cusumolsresid(d - d.mean(), ddof=1)[1])


def feature_length(y: np.ndarray, v: Validation) -> float:
    """The history's length (points)."""
    return float(len(y))


#: per-series features a class of series can be told by (revision 5, Mondrian calibration), by name.
FEATURES: dict[str, Callable[[np.ndarray, Validation], float]] = {
    "claim": feature_claim, "steadiness": feature_steadiness, "departure": feature_departure,
    "cusum": feature_cusum, "length": feature_length,
}
#: Mondrian (class-conditional) calibration: the feature that sorts series into classes ("" = none), the class
#: edges (a series with feature ≤ edges[i] and > edges[i-1] is in class i) and each class's width factor.
CLASS_FEATURE = ""
CLASS_EDGES: tuple[float, ...] = ()
CLASS_FACTORS: tuple[float, ...] = (1.0,)


def class_of(value: float, edges: tuple[float, ...] | None = None) -> int:
    """The class (0, 1, …) of a feature value given the class edges."""
    return int(np.searchsorted(np.asarray(CLASS_EDGES if edges is None else edges, dtype=float), value,
                               side="left"))


def class_factor(y: np.ndarray, v: Validation) -> float:
    """The width factor of the series' class (1 without Mondrian calibration)."""
    if not CLASS_FEATURE:
        return 1.0
    return float(CLASS_FACTORS[class_of(FEATURES[CLASS_FEATURE](y, v))])


def error_scale(v: Validation, h: int) -> np.ndarray:
    """Error scale per horizon, s1 · h**ERROR_GROWTH (never below HORIZON_FLOOR · h · the mean yearly change),
    s1 the RMS of the honest errors over their horizon factor.

    One scale from every error instead of h noisy ones. Shrinking each horizon's own errors towards this law
    (2-8 pseudo-errors) was tried on the tuning set and gave worse interval scores and less even coverage
    across horizons than the pooled law (bench/annual/protocol.md).
    """
    g = v.growth if GROWTH_SHARE > 0 else ERROR_GROWTH
    s1 = one_step_scale(v)
    hs = np.arange(1, h + 1)
    out = s1 * hs**g
    if FLOOR_WHEN_BELOW <= 0 or s1 < FLOOR_WHEN_BELOW * v.change_sd:
        out = np.maximum(out, HORIZON_FLOOR * v.scale * hs)
    return np.maximum(out, DISPERSION_FLOOR * v.change_sd * hs**DISPERSION_GROWTH)
