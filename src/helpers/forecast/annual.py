"""A generic forecaster for short yearly series: a small ensemble, weighted and calibrated by rolling origins.

Why this shape. Yearly series are short (often 5-40 points) and trend-dominated; no single model wins on
them, and averaging a few robust ones (Theta, damped trend, drift) is the most reliable known recipe
(M3/M4 results). Model-based prediction intervals under-cover badly on yearly data (about 84 % for a nominal
95 % in M4) and damped/ETS intervals can explode on short series, so the intervals here are not the models'
own: they come from the ensemble's errors at rolling forecast origins inside the history, scaled by horizon.

The members are the statsmodels models (``ThetaModel`` with θ = 2 and θ = 3, damped additive
``ExponentialSmoothing``, SES) reimplemented as vectorised grid fits in numpy, plus drift and a robust drift
(median yearly change): rolling-origin validation needs about fifty small fits per series and the statsmodels
objects cost ~10 ms a fit. ``tests/test_forecast_annual.py`` checks the Theta member against statsmodels.
The fixed settings below were chosen on the Tourism yearly set, not on M3 (docs/forecasting.md).

Inputs may have gaps (missing years): the series is placed on a yearly grid and gaps are filled by linear
interpolation for fitting only (and said so in ``Forecast.notes``); forecasts never come from filled points
alone. Fewer than three observed points is refused with ``SeriesTooShort``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

MIN_POINTS = 3
#: SES / level smoothing grid; damped-trend grids (α, β as share of α, φ).
_ALPHAS = np.linspace(0.05, 1.0, 20)
_DAMP_A = np.array([0.2, 0.4, 0.6, 0.8, 0.95])
_DAMP_B = np.array([0.05, 0.15, 0.3])
_DAMP_PHI = np.array([0.8, 0.9, 0.95, 0.98])
#: horizon growth of the error scale: sd_h = s1 * h**ERROR_GROWTH (fitted on Tourism yearly, see bench/m3.py).
ERROR_GROWTH = 1.0
#: how many rolling origins (at most) inside the history are used for weights and intervals.
MAX_ORIGINS = 8
#: how far validation weights are shrunk towards equal weights (1 = plain mean of the members).
WEIGHT_SHRINK = 0.0
#: power of the inverse-error weights (1 = inverse error; 2 favours the validated best more strongly).
WEIGHT_POWER = 2.0
#: widening of the rolling-origin error scale: origins inside the history see shorter training prefixes
#: and fewer surprises than the future does (fitted on Tourism yearly, see bench/m3.py).
INTERVAL_INFLATION = 1.2
MEMBERS = ("theta", "theta3", "damped", "drift", "robust_drift", "ses")
LEVELS = (0.8, 0.95)


class SeriesTooShort(ValueError):
    """The series has fewer than three observed points: no honest forecast or interval can be made."""


@dataclass
class Forecast:
    """Point forecasts and calibrated ranges for ``h`` years after the last observed one."""

    periods: np.ndarray
    point: np.ndarray
    lo80: np.ndarray
    hi80: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray
    weights: dict[str, float]
    scale: np.ndarray  # error sd per horizon (before the t quantile)
    df: int
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"period": self.periods, "point": self.point, "lo80": self.lo80, "hi80": self.hi80,
             "lo95": self.lo95, "hi95": self.hi95}
        )

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Simulated paths (n × h) consistent with the ranges: a t-distributed error scaled per horizon.

        The same shock is used for all horizons of a path (yearly errors are strongly persistent), so a path
        that starts low stays low, as in reality.
        """
        z = stats.t.rvs(self.df, size=(n, 1), random_state=rng)
        return self.point[None, :] + z * self.scale[None, :]


# ---------------------------------------------------------------- members (vectorised fits)

def _ses_fit(y: np.ndarray) -> tuple[float, float]:
    """SES by one-step SSE over a grid of α: returns (α, final level). Cached: Theta members share it."""
    return _ses_fit_cached(np.ascontiguousarray(y, dtype=float).tobytes())


@lru_cache(maxsize=256)
def _ses_fit_cached(raw: bytes) -> tuple[float, float]:
    y = np.frombuffer(raw, dtype=float)
    level = np.full(_ALPHAS.shape, y[0])
    sse = np.zeros_like(_ALPHAS)
    for v in y[1:]:
        e = v - level
        sse += e * e
        level = level + _ALPHAS * e
    i = int(np.argmin(sse))
    return float(_ALPHAS[i]), float(level[i])


def ses(y: np.ndarray, h: int) -> np.ndarray:
    return np.full(h, _ses_fit(y)[1])


def theta(y: np.ndarray, h: int, theta_coef: float = 2.0) -> np.ndarray:
    """The Theta method as in statsmodels ``ThetaModel`` (Hyndman & Billah 2003): SES plus half the OLS drift."""
    n = len(y)
    alpha, level = _ses_fit(y)
    t = np.arange(n)
    b0 = float(np.polyfit(t, y, 1)[0]) if n > 1 else 0.0
    steps = np.arange(1, h + 1)
    return level + b0 * (1 - 1 / theta_coef) * (steps - 1 + 1 / alpha - (1 - alpha) ** n / alpha)


def damped(y: np.ndarray, h: int) -> np.ndarray:
    """Additive damped-trend exponential smoothing, parameters by one-step SSE over a grid."""
    a, b, p = np.meshgrid(_DAMP_A, _DAMP_B, _DAMP_PHI, indexing="ij")
    a, b, p = a.ravel(), (b * a).ravel(), p.ravel()
    level = np.full(a.shape, y[0])
    trend = np.full(a.shape, y[1] - y[0] if len(y) > 1 else 0.0)
    sse = np.zeros_like(a)
    for v in y[1:]:
        f = level + p * trend
        e = v - f
        sse += e * e
        new_level = f + a * e
        trend = p * trend + b * e
        level = new_level
    i = int(np.argmin(sse))
    steps = np.cumsum(p[i] ** np.arange(1, h + 1))
    return level[i] + steps * trend[i]


def drift(y: np.ndarray, h: int) -> np.ndarray:
    slope = (y[-1] - y[0]) / (len(y) - 1) if len(y) > 1 else 0.0
    return y[-1] + slope * np.arange(1, h + 1)


def naive(y: np.ndarray, h: int) -> np.ndarray:
    return np.full(h, float(y[-1]))


def robust_drift(y: np.ndarray, h: int) -> np.ndarray:
    """Drift with the median yearly change: one odd year does not set the slope."""
    slope = float(np.median(np.diff(y))) if len(y) > 1 else 0.0
    return y[-1] + slope * np.arange(1, h + 1)


def theta3(y: np.ndarray, h: int) -> np.ndarray:
    """Theta with θ = 3: more of the long-run trend, which yearly series tend to keep."""
    return theta(y, h, 3.0)


_FNS = {"theta": theta, "theta3": theta3, "robust_drift": robust_drift, "damped": damped, "drift": drift, "ses": ses, "naive": naive}


def _members(y: np.ndarray, h: int, names: tuple[str, ...]) -> np.ndarray:
    out = np.vstack([_FNS[m](y, h) for m in names])
    # Guard: a member forecasting far outside anything the data supports (a damped trend gone wild on a short
    # series) is pulled back to the members' median instead of dragging the mean.
    span = max(float(np.ptp(y)), abs(float(np.mean(y))) * 0.1, 1e-9)
    med = np.median(out, axis=0)
    wild = np.abs(out - med) > 3 * span
    return np.where(wild, med, out)


# ---------------------------------------------------------------- rolling origins

def _origins(n: int) -> list[int]:
    """Forecast origins (length of the training prefix) used for validation: the last few, ≥ 3 points each."""
    first = max(MIN_POINTS, n - MAX_ORIGINS)
    return list(range(first, n))


def _weights(errs: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Inverse mean scaled error weights (optionally shrunk towards equal weights by ``WEIGHT_SHRINK``)."""
    if errs.size == 0 or not np.isfinite(errs).any():
        return np.full(len(names), 1 / len(names))
    mae = np.nanmean(errs, axis=1)
    inv = 1 / np.maximum(mae, 1e-9)
    inv = inv**WEIGHT_POWER
    w = inv / inv.sum()
    return (1 - WEIGHT_SHRINK) * w + WEIGHT_SHRINK / len(names)


def forecast(
    values: pd.Series | np.ndarray | list[float],
    h: int,
    periods: list[int] | np.ndarray | None = None,
    members: tuple[str, ...] = MEMBERS,
) -> Forecast:
    """Forecast a yearly series ``h`` years ahead.

    ``values`` indexed by year (a Series) or with ``periods`` given; NaN or missing years are gaps.
    """
    if h < 1:
        raise ValueError(f"horizon must be ≥ 1, got {h}")
    notes: list[str] = []
    if isinstance(values, pd.Series) and periods is None:
        s = values.astype(float)
        s.index = s.index.astype(int)
    else:
        idx = np.arange(len(values)) if periods is None else np.asarray(periods, dtype=int)
        s = pd.Series(np.asarray(values, dtype=float), index=idx)
    s = s.dropna().sort_index()
    if s.index.duplicated().any():
        raise ValueError(f"duplicate periods {sorted(set(s.index[s.index.duplicated()]))}")
    if len(s) < MIN_POINTS:
        raise SeriesTooShort(
            f"series has {len(s)} observed point(s); at least {MIN_POINTS} are needed for a forecast with a range"
        )
    full = s.reindex(range(int(s.index[0]), int(s.index[-1]) + 1))
    if full.isna().any():
        gaps = [int(p) for p in full.index[full.isna()]]
        notes.append(f"gaps {gaps} filled by linear interpolation for fitting")
        full = full.interpolate()
    y = full.to_numpy()
    n = len(y)
    scale = float(np.mean(np.abs(np.diff(y)))) if n > 1 else 0.0
    scale = scale if scale > 0 else max(abs(float(np.mean(y))) * 0.01, 1e-9)

    origins = _origins(n)
    per_member = np.full((len(members), len(origins), h), np.nan)
    actual = np.full((len(origins), h), np.nan)
    for k, o in enumerate(origins):
        steps = min(h, n - o)
        per_member[:, k, :steps] = _members(y[:o], steps, members)
        actual[k, :steps] = y[o:o + steps]
    abs_err = np.abs(per_member - actual[None]) / scale
    w = _weights(abs_err.reshape(len(members), -1), members)

    point = w @ _members(y, h, members)
    ens_err = np.einsum("m,mkh->kh", w, per_member) - actual
    sd = _error_scale(ens_err, h, scale)
    df = int(max(np.isfinite(ens_err).sum() - 1, 2))
    out = Forecast(
        periods=np.arange(int(full.index[-1]) + 1, int(full.index[-1]) + h + 1),
        point=point, lo80=point, hi80=point, lo95=point, hi95=point,
        weights=dict(zip(members, map(float, w), strict=True)), scale=sd, df=df, notes=notes,
    )
    positive = bool((s > 0).all())
    for level in LEVELS:
        q = stats.t.ppf(0.5 + level / 2, df) * sd
        lo, hi = point - q, point + q
        if positive:
            lo = np.maximum(lo, 0.0)
        if level == 0.8:
            out.lo80, out.hi80 = lo, hi
        else:
            out.lo95, out.hi95 = lo, hi
    if positive:
        notes.append("lower bounds floored at 0 (the series has always been positive)")
    return out


def _error_scale(errs: np.ndarray, h: int, scale: float) -> np.ndarray:
    """Error sd per horizon from rolling-origin errors: sd_h = s1 * h**ERROR_GROWTH, s1 pooled over horizons.

    Pooling over horizons (each error divided by its horizon's growth factor) uses every validation error
    for one scale instead of estimating h separate, noisy ones. A floor of a quarter of the series' mean
    absolute change keeps a lucky validation stretch from giving near-zero ranges.
    """
    steps = np.arange(1, errs.shape[1] + 1) ** ERROR_GROWTH
    z = errs / steps[None, :]
    z = z[np.isfinite(z)]
    s1 = float(np.sqrt(np.mean(z * z))) if z.size else scale
    s1 = max(s1, 0.25 * scale) * INTERVAL_INFLATION
    return s1 * np.arange(1, h + 1) ** ERROR_GROWTH
