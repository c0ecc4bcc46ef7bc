"""Weights and honest error scales for the annual ensemble, from rolling forecast origins inside the history.

Why two uses of the origins are kept apart. The weights are chosen from the members' errors at rolling
origins; if the ensemble's errors at those same origins set the interval width, the width is measured on the
errors the weights were picked to make small, and the intervals come out too narrow. So the ensemble's error
at an origin is computed with the weights that were known *at that origin* — chosen only from earlier
forecasts whose outcomes had been observed by then (prequential, as in real use; equal weights where
nothing was known yet). Those errors never helped choose the weights they are scored with. Weights look
only at the latest ``weight_origins`` origins (the same window, counted back from each origin, for the honest
errors), while the error scale uses every one of the ``max_origins``: on the tuning set, recent errors pick
members better, and more errors make a steadier width (bench/annual/protocol.md, revision 2).

The error scale per horizon is s1 · h^error_growth: each honest error is divided by its horizon's factor
and one scale s1 is pooled from them all (one scale from every error instead of h noisy ones). Rolling
origins inside the history see shorter training prefixes and calmer stretches than the future does, and a
handful of overlapping errors says little about the tails, so the width is then set by fixed multipliers per
level, chosen on the tuning set only (bench/annual/protocol.md). Revision 3 adds a floor per horizon,
``horizon_floor`` · h mean absolute yearly changes: errors inside the history grow more slowly with the horizon
than the future ones do on trending economic series (the even half of M1), and a range narrower than a share of
where the series' usual yearly pace would take it by then is not believable. Revision 4 applies that floor
only when the honest one-step scale s1 is below the spread (sd) of the series' yearly changes: the ensemble then
claims to beat a random walk in-sample, which on M1-like series is too good to be true, while a series whose
in-sample errors are already as large as its changes' spread keeps its own errors (on the tuning data, which now
include smooth trending series, this narrowed their too-wide long-horizon ranges; protocol, revision 4).

The settings (``annual_settings.AnnualSettings``) are passed in as ``settings``; the defaults are the frozen ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers.forecast.annual_members import member_forecasts
from helpers.forecast.annual_settings import ANNUAL, AnnualSettings

MIN_POINTS = 3


@dataclass
class Validation:
    """What the rolling origins say about one series."""

    weights: np.ndarray  # final member weights (from the latest weight_origins origins' errors)
    honest_errors: np.ndarray  # origins × horizon ensemble errors with weights known at each origin (NaN: no actual)
    scale: float  # mean absolute yearly change (MASE scale)
    change_sd: float = 0.0  # standard deviation of the yearly changes (0 with fewer than three points)


def origins(n: int, settings: AnnualSettings = ANNUAL) -> list[int]:
    """Forecast origins (length of the training prefix): the last few, each with at least three points."""
    return list(range(max(MIN_POINTS, n - settings.max_origins), n))


def weights_from(errs: np.ndarray, settings: AnnualSettings = ANNUAL) -> np.ndarray:
    """Inverse mean scaled absolute error weights, to the power ``weight_power``; equal when nothing is known.

    ``errs`` is members × cases (NaN where a case has no outcome).
    """
    m = errs.shape[0]
    known = np.isfinite(errs).all(axis=0)
    if not known.any():
        return np.full(m, 1 / m)
    mae = errs[:, known].mean(axis=1)
    inv = (1 / np.maximum(mae, 1e-9)) ** settings.weight_power
    return inv / inv.sum()


def validate(y: np.ndarray, h: int, settings: AnnualSettings = ANNUAL) -> Validation:
    """Members' forecasts at each rolling origin, final weights and the ensemble's honest errors."""
    members = settings.members
    n = len(y)
    scale = float(np.mean(np.abs(np.diff(y)))) if n > 1 else 0.0
    scale = scale if scale > 0 else max(abs(float(np.mean(y))) * 0.01, 1e-9)
    orig = origins(n, settings)
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
    final = weights_from(flat[:, origin_of >= n - settings.weight_origins], settings)
    honest = np.full((k_n, h), np.nan)
    for k, o in enumerate(orig):
        w = weights_from(flat[:, (known_at <= o) & (origin_of >= o - settings.weight_origins)], settings)
        honest[k] = w @ np.nan_to_num(fc[:, k, :]) - actual[k]
    honest[~np.isfinite(actual)] = np.nan
    change_sd = float(np.std(np.diff(y), ddof=1)) if n > 2 else 0.0
    return Validation(weights=final, honest_errors=honest, scale=scale, change_sd=change_sd)


def one_step_scale(v: Validation, settings: AnnualSettings = ANNUAL) -> float:
    """s1: the RMS of the honest errors over their horizon factor h**error_growth (never below scale_floor · the
    mean yearly change)."""
    errs = v.honest_errors
    steps = np.arange(1, errs.shape[1] + 1) ** settings.error_growth
    z = (errs / steps[None, :])[np.isfinite(errs)]
    s1 = float(np.sqrt(np.mean(z * z))) if z.size else v.scale
    return max(s1, settings.scale_floor * v.scale)


def error_scale(v: Validation, h: int, settings: AnnualSettings = ANNUAL) -> np.ndarray:
    """Error scale per horizon, s1 · h**error_growth (never below horizon_floor · h · the mean yearly change when
    s1 is below floor_when_below · the sd of the yearly changes), s1 the RMS of the honest errors over their
    horizon factor.

    One scale from every error instead of h noisy ones. Shrinking each horizon's own errors towards this law
    (2-8 pseudo-errors) was tried on the tuning set and gave worse interval scores and less even coverage
    across horizons than the pooled law (bench/annual/protocol.md).
    """
    s1 = one_step_scale(v, settings)
    hs = np.arange(1, h + 1)
    out = s1 * hs**settings.error_growth
    if settings.floor_when_below <= 0 or s1 < settings.floor_when_below * v.change_sd:
        out = np.maximum(out, settings.horizon_floor * v.scale * hs)
    return out
