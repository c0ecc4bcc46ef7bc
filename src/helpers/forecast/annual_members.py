"""The members of the annual ensemble: Theta (θ = 2, 3), damped trend, SES, drift, robust drift, naive.
(Revision 2 of bench/annual/protocol.md also tried ETS(A,Ad,N) fitted by least squares; it did not help on the
tuning set and left the tree — the protocol names the commit that still has it.)

Why hand-written. These are the statsmodels models (``ThetaModel``, ``Holt(damped_trend=True)``,
``SimpleExpSmoothing``) fitted by one-step squared error over small parameter grids, vectorised
in numpy: the ensemble refits every member at up to twelve rolling origins per series, and a statsmodels fit
costs about 10 ms, which would put one series at half a second. ``tests/test_forecast_annual_statsmodels.py`` holds each
fast path to statsmodels' numbers: the same parameters give the same forecasts, and the grid's choice is as
good as statsmodels' own optimiser in one-step squared error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

#: SES / level smoothing grid; damped-trend grids (α, β as share of α, φ).
ALPHAS = np.linspace(0.05, 1.0, 20)
DAMP_A = np.array([0.2, 0.4, 0.6, 0.8, 0.95])
DAMP_B = np.array([0.05, 0.15, 0.3])
DAMP_PHI = np.array([0.8, 0.9, 0.95, 0.98])


def ses_fit(y: np.ndarray) -> tuple[float, float]:
    """SES by one-step SSE over a grid of α, first level = first value: returns (α, final level)."""
    return _ses_fit_cached(np.ascontiguousarray(y, dtype=float).tobytes())


@lru_cache(maxsize=256)
def _ses_fit_cached(raw: bytes) -> tuple[float, float]:
    y = np.frombuffer(raw, dtype=float)
    level = np.full(ALPHAS.shape, y[0])
    sse = np.zeros_like(ALPHAS)
    for v in y[1:]:
        e = v - level
        sse += e * e
        level = level + ALPHAS * e
    i = int(np.argmin(sse))
    return float(ALPHAS[i]), float(level[i])


def ses(y: np.ndarray, h: int) -> np.ndarray:
    return np.full(h, ses_fit(y)[1])


def theta(y: np.ndarray, h: int, theta_coef: float = 2.0) -> np.ndarray:
    """The Theta method as in statsmodels ``ThetaModel`` (Hyndman & Billah 2003): SES plus a share of the OLS drift."""
    n = len(y)
    alpha, level = ses_fit(y)
    t = np.arange(n)
    b0 = float(np.polyfit(t, y, 1)[0]) if n > 1 else 0.0
    steps = np.arange(1, h + 1)
    return level + b0 * (1 - 1 / theta_coef) * (steps - 1 + 1 / alpha - (1 - alpha) ** n / alpha)


def theta3(y: np.ndarray, h: int) -> np.ndarray:
    """Theta with θ = 3: more of the long-run trend, which yearly series tend to keep."""
    return theta(y, h, 3.0)


def damped_path(y: np.ndarray, h: int, alpha: float, beta: float, phi: float) -> np.ndarray:
    """Additive damped trend with given parameters; level₀ = y₀, trend₀ = y₁ − y₀ (statsmodels' "known" init)."""
    level, trend = float(y[0]), float(y[1] - y[0]) if len(y) > 1 else 0.0
    for v in y[1:]:
        f = level + phi * trend
        e = v - f
        level, trend = f + alpha * e, phi * trend + beta * e
    return level + np.cumsum(phi ** np.arange(1, h + 1)) * trend


def damped_fit(y: np.ndarray) -> tuple[float, float, float, float]:
    """(α, β, φ, one-step SSE) of the grid point with the least one-step squared error."""
    a, b, p = np.meshgrid(DAMP_A, DAMP_B, DAMP_PHI, indexing="ij")
    a, b, p = a.ravel(), (b * a).ravel(), p.ravel()
    level = np.full(a.shape, y[0])
    trend = np.full(a.shape, y[1] - y[0] if len(y) > 1 else 0.0)
    sse = np.zeros_like(a)
    for v in y[1:]:
        f = level + p * trend
        e = v - f
        sse += e * e
        level, trend = f + a * e, p * trend + b * e
    i = int(np.argmin(sse))
    return float(a[i]), float(b[i]), float(p[i]), float(sse[i])


def damped(y: np.ndarray, h: int) -> np.ndarray:
    """Additive damped-trend exponential smoothing, parameters by one-step SSE over a grid."""
    alpha, beta, phi, _ = damped_fit(y)
    return damped_path(y, h, alpha, beta, phi)


def drift(y: np.ndarray, h: int) -> np.ndarray:
    slope = (y[-1] - y[0]) / (len(y) - 1) if len(y) > 1 else 0.0
    return y[-1] + slope * np.arange(1, h + 1)


def naive(y: np.ndarray, h: int) -> np.ndarray:
    return np.full(h, float(y[-1]))


def robust_drift(y: np.ndarray, h: int) -> np.ndarray:
    """Drift with the median yearly change: one odd year does not set the slope."""
    slope = float(np.median(np.diff(y))) if len(y) > 1 else 0.0
    return y[-1] + slope * np.arange(1, h + 1)


FUNCTIONS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "theta": theta, "theta3": theta3, "robust_drift": robust_drift, "damped": damped, "drift": drift,
    "ses": ses, "naive": naive,
}


def member_forecasts(y: np.ndarray, h: int, names: tuple[str, ...]) -> np.ndarray:
    """Members × horizon forecasts; a member far outside what the data support is pulled back to the median.

    The guard keeps a damped trend gone wild on a short series from dragging the weighted mean.
    """
    out = np.vstack([FUNCTIONS[m](y, h) for m in names])
    span = max(float(np.ptp(y)), abs(float(np.mean(y))) * 0.1, 1e-9)
    med = np.median(out, axis=0)
    wild = np.abs(out - med) > 3 * span
    return np.where(wild, med, out)
