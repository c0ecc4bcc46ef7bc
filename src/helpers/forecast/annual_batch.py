"""Batch calibration of the annual ensemble: width factors from the batch's own history (revision 7).

Why. Six revisions of the benchmark found that the ranges' remaining misses are differences *between* data sets
(series of one source run wider or narrower than the tuning data), which no per-series feature and no tail shape
could tell apart (bench/annual/protocol.md, revisions 5-6). A user of ``gaoqi forecast`` hands over a batch of
series of one kind (regions, firms, indicators); inside each history the whole forecaster can be run from earlier
origins, and its errors there, divided by the scale it stated at that origin, show how wide its ranges ran on this
kind of series. Pooled over the batch they give a width factor per level, shrunk towards 1 (the single-series
calibration) by how many series contribute; a batch of fewer than ``MIN_SERIES`` series keeps the single-series
ranges exactly (so the briefing's single-series forecasts are unchanged).

No look-ahead: an error is measured at an origin inside a series' history against a later value of the same
history, and a series' factor pools only errors whose outcome period is at or before its own last period (in a
batch whose series end in different years, a later-ending series' recent errors never widen an earlier one's).

The same history also says whether drift beat the ensemble on this kind of series: the batch's in-history scaled
absolute errors of mixes (1 − λ) · ensemble + λ · drift pick λ, shrunk by S / (S + POINT_KAPPA).

Where it stands (protocol, revision 7): both switches are **off**, so a batch gets ``annual.forecast``'s forecasts.
The width factors did not pass the adoption check on the tuning data (both coverage gaps lower, but in only 70 %
of a paired bootstrap where 90 % was required). The drift share passed it by a hair and was frozen on, but the one
run on the reported sets found the batch path less accurate than the single-series one on every blind set and five
times slower, so it was switched off after that run (said in the protocol). The machinery stays, tested, for a
later revision to start from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

import helpers.forecast.annual as annual

#: how many origins back from a series' end the whole forecaster is re-run (k = 1 … ORIGINS_BACK).
ORIGINS_BACK = 6
#: the shortest prefix re-run: a forecast from fewer points says little about the final one's width.
MIN_PREFIX = 6
#: fewer series contributing errors than this: factor 1 exactly (a single series keeps its own calibration).
MIN_SERIES = 5
#: shrinkage towards 1: weight S / (S + KAPPA) on the batch's own log factor, S = series contributing.
KAPPA = 10.0
#: the batch's log factor is INTERCEPT + SLOPE · log(raw in-history factor) before shrinkage (0, 1 = plain).
INTERCEPT = 0.0
SLOPE = 1.0
#: True: a factor per level (80 %, 95 %); False: one factor (their geometric mean) for both.
PER_LEVEL = True
LEVELS = (0.8, 0.95)
#: revision 7 (protocol): ranges from the single-series calibration; the drift share, frozen on, switched off after
#: the reported run showed it worse on every blind set and 5× slower — so a batch gets ``annual.forecast``'s forecasts.
CALIBRATE_RANGES = False
CALIBRATE_POINTS = False
#: the drift shares tried on the batch's history, and the shrinkage of the chosen one: λ · S / (S + POINT_KAPPA).
DRIFT_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
POINT_KAPPA = 20.0


@dataclass(frozen=True)
class HistoryErrors:
    """One series' errors at origins inside its history, in units of the scale the forecaster stated there."""

    z: np.ndarray  # (actual − centre) / scale
    horizon: np.ndarray  # years after the origin's last observed year
    back: np.ndarray  # k: the origin is the k-th last observed point
    outcome: np.ndarray  # period of the actual value
    ensemble_err: np.ndarray  # (actual − centre) / mean absolute yearly change of the prefix
    drift_err: np.ndarray  # the same for drift (random walk with drift) from the prefix
    end: int  # the series' last observed period


def stated_half_width(level: float) -> float:
    """The half-width of the central ``level`` range in units of the scale, as the single-series forecaster states it."""
    u = np.array([0.5 + level / 2])
    return float(annual.tail_quantile(u, annual.DF, annual.TAIL_MAP)[0])


def history_errors(values: pd.Series | np.ndarray, periods=None, back: int = ORIGINS_BACK,
                   h: int = annual.VALIDATION_H) -> HistoryErrors:
    """The whole forecaster re-run from the last ``back`` origins of one history; its scaled errors there.

    An origin cuts the observed history before its k-th last point; the forecast from the prefix (at least
    ``MIN_PREFIX`` points) is compared with the later observed values of the same history, up to ``h`` years on.
    """
    s = annual.as_series(values, periods)
    idx = s.index.to_numpy(dtype=int)
    rows = []
    for k in range(1, back + 1):
        if len(s) - k < MIN_PREFIX:
            break
        prefix = s.iloc[:len(s) - k]
        fc = annual.forecast(prefix, h)
        last = int(prefix.index[-1])
        pf = prefix.reindex(range(int(prefix.index[0]), last + 1)).interpolate().to_numpy()
        mase = float(np.mean(np.abs(np.diff(pf)))) or 1e-9
        dr = annual.drift(pf, h)
        for p, a in zip(idx[len(s) - k:], s.to_numpy()[len(s) - k:], strict=True):
            step = int(p) - last
            if step > h:
                break
            rows.append((float((a - fc.center[step - 1]) / fc.scale[step - 1]), step, k, int(p),
                         (a - fc.center[step - 1]) / mase, (a - dr[step - 1]) / mase))
    arr = np.array(rows, dtype=float).reshape(-1, 6)
    return HistoryErrors(z=arr[:, 0], horizon=arr[:, 1].astype(int), back=arr[:, 2].astype(int),
                         outcome=arr[:, 3].astype(int), ensemble_err=arr[:, 4], drift_err=arr[:, 5],
                         end=int(idx[-1]))


def raw_factors(errors: list[HistoryErrors], until: int | None = None) -> tuple[dict[float, float], int]:
    """Per level, the pooled |z| quantile over the stated half-width; and how many series contributed.

    Only errors whose outcome period is at or before ``until`` count (None: all).
    """
    zs = [np.abs(e.z[e.outcome <= until]) if until is not None else np.abs(e.z) for e in errors]
    zs = [z for z in zs if z.size]
    if not zs:
        return {lvl: 1.0 for lvl in LEVELS}, 0
    pooled = np.concatenate(zs)
    return {lvl: float(np.quantile(pooled, lvl)) / stated_half_width(lvl) for lvl in LEVELS}, len(zs)


def shrunk_factors(raw: dict[float, float], series: int) -> dict[float, float]:
    """The applied factor per level: exp(w · (INTERCEPT + SLOPE · log raw)), w = S / (S + KAPPA); 1 below MIN_SERIES."""
    if series < MIN_SERIES:
        return {lvl: 1.0 for lvl in LEVELS}
    logs = {lvl: np.log(max(raw[lvl], 1e-6)) for lvl in LEVELS}
    if not PER_LEVEL:
        mean = float(np.mean(list(logs.values())))
        logs = {lvl: mean for lvl in LEVELS}
    w = series / (series + KAPPA)
    return {lvl: float(np.exp(w * (INTERCEPT + SLOPE * logs[lvl]))) for lvl in LEVELS}


def drift_share(errors: list[HistoryErrors], until: int | None = None) -> float:
    """The batch's drift share λ: the in-history best mix of ensemble and drift, shrunk; 0 below MIN_SERIES series.

    Only errors whose outcome period is at or before ``until`` count (None: all).
    """
    keep = [(e.ensemble_err[m], e.drift_err[m]) for e in errors
            for m in [e.outcome <= until if until is not None else np.ones(e.z.size, bool)] if m.any()]
    if len(keep) < MIN_SERIES:
        return 0.0
    ens = np.concatenate([k[0] for k in keep])
    dr = np.concatenate([k[1] for k in keep])
    best = min(DRIFT_SHARES, key=lambda g: float(np.mean(np.abs((1 - g) * ens + g * dr))))
    return float(best) * len(keep) / (len(keep) + POINT_KAPPA)


def leaned(fc: annual.Forecast, values: pd.Series, share: float) -> annual.Forecast:
    """``fc`` with its centre moved by ``share`` towards drift (random walk with drift), ranges kept around it."""
    if share <= 0:
        return fc
    s = annual.as_series(values, None)
    y = s.reindex(range(int(s.index[0]), int(s.index[-1]) + 1)).interpolate().to_numpy()
    centre = (1 - share) * fc.center + share * annual.drift(y, len(fc.center))
    out = replace(fc, center=centre, notes=[*fc.notes, f"point leans {share:.0%} towards drift: drift beat the "
                                                       "ensemble inside this batch's histories"])
    out.lo95, out.lo80, out.point, out.hi80, out.hi95 = out.quantile(np.array([0.025, 0.1, 0.5, 0.9, 0.975]))
    return out


def calibrated(fc: annual.Forecast, factors: dict[float, float]) -> annual.Forecast:
    """``fc`` with its 80 % and 95 % half-widths multiplied by the batch factors (one distribution still).

    The factors enter as a quantile map (``annual.tail_quantile``): anchors (0.8, g80 · f80), (0.95, g95 · f95),
    t-shaped between and beyond them, so ``lo80`` … ``hi95`` and ``sample()`` keep agreeing. Factors of 1 return
    ``fc`` itself.
    """
    if all(abs(f - 1.0) < 1e-12 for f in factors.values()):
        return fc
    g = [stated_half_width(lvl) * factors[lvl] for lvl in LEVELS]
    if g[1] <= g[0]:  # the map must widen outwards; keep the levels' ratio then (never seen on the tuning data)
        common = float(np.sqrt(factors[LEVELS[0]] * factors[LEVELS[1]]))
        g = [stated_half_width(lvl) * common for lvl in LEVELS]
    out = replace(fc, tail=tuple(zip(LEVELS, g, strict=True)), notes=[*fc.notes,
                  "ranges calibrated on the batch's own history: half-widths × " +
                  ", ".join(f"{factors[lvl]:.2f} ({round(100 * lvl)} %)" for lvl in LEVELS)])
    out.lo95, out.lo80, out.point, out.hi80, out.hi95 = out.quantile(np.array([0.025, 0.1, 0.5, 0.9, 0.975]))
    return out


def forecast_batch(batch: dict[str, pd.Series], h: int) -> dict[str, annual.Forecast]:
    """Forecast every series of one batch, its ranges calibrated on the batch's own history.

    ``batch`` maps a series id to its values indexed by year. Each series' forecast is ``annual.forecast``'s, its
    point leaned towards drift by the batch's drift share (``CALIBRATE_POINTS``) and its ranges widened or narrowed
    by the batch's factors (``CALIBRATE_RANGES``); both pool only the batch's in-history errors whose outcome is at
    or before the series' own last year. A batch of fewer than ``MIN_SERIES`` series gets ``annual.forecast``'s.
    """
    if len(batch) < MIN_SERIES or not (CALIBRATE_POINTS or CALIBRATE_RANGES):
        return {sid: annual.forecast(s, h) for sid, s in batch.items()}
    errors = {sid: history_errors(s) for sid, s in batch.items()}
    found = list(errors.values())
    by_end: dict[int, tuple[float, dict[float, float]]] = {}
    out = {}
    for sid, s in batch.items():
        end = errors[sid].end
        if end not in by_end:
            share = drift_share(found, until=end) if CALIBRATE_POINTS else 0.0
            factors = shrunk_factors(*raw_factors(found, until=end)) if CALIBRATE_RANGES else {v: 1.0 for v in LEVELS}
            by_end[end] = (share, factors)
        share, factors = by_end[end]
        out[sid] = calibrated(leaned(annual.forecast(s, h), s, share), factors)
    return out
