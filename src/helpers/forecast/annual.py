"""A generic forecaster for short yearly series: a small weighted ensemble with horizon-calibrated ranges.

Why this shape. Yearly series are short (often 5-40 points) and trend-dominated; no single model wins on
them, and averaging a few robust ones (Theta, damped trend, drift) is the most reliable known recipe
(M3/M4 results). The models' own prediction intervals under-cover badly on yearly data (statsmodels' Theta
and ETS intervals cover about 40-70 % for a nominal 80 % in bench/annual), so the ranges here come from the
ensemble's own errors at rolling origins inside the history — with weights known at each origin, so the
errors are honest (``annual_calibration``) — scaled per horizon, widened by multipliers and, where the
in-sample errors claim more than a random walk could, held to a floor. Every setting was chosen on tuning data
only (revision 4: M3 yearly, half of M1 yearly and half of a fresh set of yearly frames, split by fixed rules)
and is reported on every other set we can install (bench/annual/protocol.md).

One distribution, three uses. The ranges, the point and ``sample()`` all come from one quantile function per
horizon, Q_h(u) = mean_h + scale_h · t⁻¹(u; df), floored at 0 for a series that has always been positive:
``point`` is Q_h(0.5), ``lo80`` is Q_h(0.10), ``hi95`` is Q_h(0.975), and a simulated path is Q_h(u) with one
uniform u per path. So the share of simulated paths below ``lo80`` is 10 % at every horizon, and a path never goes
below the floor (it sits at 0 instead, as a count that has dried up would).

Inputs may have gaps (missing years): the series is placed on a yearly grid and gaps are filled by linear
interpolation for fitting only (and said so in ``Forecast.notes``); forecasts never come from filled points
alone. Fewer than three observed points is refused with ``SeriesTooShort``.

The settings (members, origins, width, tail) are one frozen object, ``annual_settings.ANNUAL``; a caller (the
tuning harness) passes a variant as ``settings=``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from helpers.forecast.annual_calibration import MIN_POINTS, error_scale, validate
from helpers.forecast.annual_members import (  # noqa: F401  (re-exported: the members are part of the API)
    FUNCTIONS,
    damped,
    drift,
    member_forecasts,
    naive,
    robust_drift,
    ses,
    theta,
    theta3,
)
from helpers.forecast.annual_settings import ANNUAL, AnnualSettings


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
    scale: np.ndarray  # spread per horizon: Q_h(u) = center_h + scale_h · t⁻¹(u; df), floored
    df: int
    center: np.ndarray  # the ensemble's mean forecast before the floor (point = center floored)
    floor: float | None = None  # values below this are impossible (0 for an always-positive series)
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"period": self.periods, "point": self.point, "lo80": self.lo80, "hi80": self.hi80,
             "lo95": self.lo95, "hi95": self.hi95}
        )

    def quantile(self, u: float | np.ndarray) -> np.ndarray:
        """Q_h(u) per horizon (shape ``u.shape + (h,)``): the one distribution behind ranges and samples."""
        u = np.asarray(u, dtype=float)
        q = self.center + self.scale * stats.t.ppf(u, self.df)[..., None]
        return q if self.floor is None else np.maximum(q, self.floor)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Simulated paths (n × h) with the stated ranges as their quantiles at every horizon, never below the floor.

        One uniform draw per path sets its quantile at every horizon: yearly errors are strongly persistent,
        so a path that starts low stays low, as in reality.
        """
        return self.quantile(rng.uniform(size=n))


def as_series(values: pd.Series | np.ndarray | list[float], periods) -> pd.Series:
    """One history as the forecaster reads it: floats indexed by period, gaps dropped, in order. Raises
    ``ValueError`` for a period given twice and ``SeriesTooShort`` below ``MIN_POINTS``, so a caller holding many
    series (``gaoqi forecast``) can check each one, and name it, before forecasting any."""
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
    return s


def forecast(
    values: pd.Series | np.ndarray | list[float],
    h: int,
    periods: list[int] | np.ndarray | None = None,
    settings: AnnualSettings = ANNUAL,
) -> Forecast:
    """Forecast a yearly series ``h`` years ahead.

    ``values`` indexed by year (a Series) or with ``periods`` given; NaN or missing years are gaps. ``settings``:
    the frozen ones unless a tuning harness passes a variant.
    """
    if h < 1:
        raise ValueError(f"horizon must be ≥ 1, got {h}")
    notes: list[str] = []
    s = as_series(values, periods)
    full = s.reindex(range(int(s.index[0]), int(s.index[-1]) + 1))
    if full.isna().any():
        gaps = [int(p) for p in full.index[full.isna()]]
        notes.append(f"gaps {gaps} filled by linear interpolation for fitting")
        full = full.interpolate()
    y = full.to_numpy()

    v = validate(y, max(h, settings.validation_h), settings)
    point = v.weights @ member_forecasts(y, h, settings.members)
    floor = 0.0 if bool((s > 0).all()) else None
    last = int(full.index[-1])
    out = Forecast(
        periods=np.arange(last + 1, last + h + 1), point=point, lo80=point, hi80=point, lo95=point, hi95=point,
        weights=dict(zip(settings.members, map(float, v.weights), strict=True)),
        scale=settings.width * error_scale(v, h, settings), df=settings.df, center=point, floor=floor, notes=notes,
    )
    out.lo95, out.lo80, out.point, out.hi80, out.hi95 = out.quantile(np.array([0.025, 0.1, 0.5, 0.9, 0.975]))
    if floor is not None:
        notes.append("ranges and simulated paths floored at 0 (the series has always been positive)")
    return out
