"""Forecasts with 80 % / 95 % ranges from each benchmarked method, and the per-horizon scores of one forecast.

Baselines use their own textbook or library intervals: drift (random walk with drift), statsmodels'
``ThetaModel`` and statsmodels' state-space damped-trend ETS (``ETSModel``, additive errors). They are what
the ensemble must beat on accuracy and what its calibration is compared with.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from helpers.forecast import annual  # noqa: E402

LEVELS = {"80": 0.8, "95": 0.95}
Ranges = dict[str, np.ndarray]  # point, lo80, hi80, lo95, hi95


def _normal(point: np.ndarray, sd: np.ndarray) -> Ranges:
    out = {"point": point}
    for key, lvl in LEVELS.items():
        q = stats.norm.ppf(0.5 + lvl / 2) * sd
        out["lo" + key], out["hi" + key] = point - q, point + q
    return out


def drift(x: np.ndarray, h: int) -> Ranges:
    """Random walk with drift and its textbook intervals (Hyndman & Athanasopoulos, FPP3 5.5)."""
    d = np.diff(x)
    steps = np.arange(1, h + 1)
    sigma = np.sqrt(np.mean((d - d.mean()) ** 2))
    return _normal(x[-1] + d.mean() * steps, sigma * np.sqrt(steps * (1 + steps / (len(x) - 1))))


def theta_sm(x: np.ndarray, h: int) -> Ranges:
    """statsmodels ``ThetaModel`` (θ = 2) with its own intervals (σ² from its ARIMA(0,1,1) fit)."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ThetaModel(x, period=1, deseasonalize=False).fit()
        point = np.asarray(res.forecast(h))
        out = {"point": point}
        for key, lvl in LEVELS.items():
            iv = np.asarray(res.prediction_intervals(h, alpha=1 - lvl))
            out["lo" + key], out["hi" + key] = iv[:, 0], iv[:, 1]
    return out


def ets_sm(x: np.ndarray, h: int) -> Ranges:
    """statsmodels state-space ETS(A,Ad,N) by maximum likelihood, with its own prediction intervals."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ETSModel(pd.Series(x, index=pd.RangeIndex(len(x))), error="add", trend="add",
                       damped_trend=True).fit(disp=False)
        pred = res.get_prediction(start=len(x), end=len(x) + h - 1)
        out = {"point": np.asarray(pred.predicted_mean)}
        for key, lvl in LEVELS.items():
            fr = pred.summary_frame(alpha=1 - lvl)
            out["lo" + key], out["hi" + key] = fr["pi_lower"].to_numpy(), fr["pi_upper"].to_numpy()
    return out


def ensemble(x: np.ndarray, h: int) -> Ranges:
    fc = annual.forecast(x, h)
    return {"point": fc.point, "lo80": fc.lo80, "hi80": fc.hi80, "lo95": fc.lo95, "hi95": fc.hi95}


BASELINES = {"drift": drift, "theta_sm": theta_sm, "ets_sm": ets_sm}


def timed_ensemble(x: np.ndarray, h: int) -> tuple[Ranges, float]:
    t0 = time.perf_counter()
    r = ensemble(x, h)
    return r, (time.perf_counter() - t0) * 1000


def scores(x: np.ndarray, xx: np.ndarray, r: Ranges) -> dict[str, np.ndarray]:
    """Per-horizon scores: sMAPE term, scaled absolute error (MASE), coverage and scaled interval (Winkler) score.

    The interval score of a central (1 − a) range [l, u] is (u − l) + (2/a)(l − y)⁺ + (2/a)(y − u)⁺ (Gneiting &
    Raftery 2007; the M4 MSIS at 95 %); like MASE it is divided by the history's mean absolute yearly change.
    """
    f = np.where(np.isfinite(r["point"]), r["point"], x[-1])
    scale = np.mean(np.abs(np.diff(x)))
    out = {
        "smape": 200 * np.abs(xx - f) / (np.abs(xx) + np.abs(f)),
        "mase": np.abs(xx - f) / scale,
    }
    for key, lvl in LEVELS.items():
        lo, hi = r["lo" + key], r["hi" + key]
        a = 1 - lvl
        out["cov" + key] = ((xx >= lo) & (xx <= hi)).astype(float)
        out["is" + key] = ((hi - lo) + (2 / a) * np.maximum(lo - xx, 0) + (2 / a) * np.maximum(xx - hi, 0)) / scale
    return out
