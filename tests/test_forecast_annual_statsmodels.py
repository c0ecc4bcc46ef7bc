"""The annual ensemble's hand-written members give statsmodels' numbers (they exist only for speed)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from helpers.forecast import annual_members as am

Y = np.array([100, 104, 110, 113, 121, 125, 131, 130, 138, 145, 149, 155], float)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _family(seed: int, count: int) -> list[np.ndarray]:
    """Yearly-looking series: positive level, a trend that drifts, noise of a few percent."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(10, 30))
        slope = rng.normal(2, 2) + np.cumsum(rng.normal(0, 0.3, n))
        out.append(100 + np.cumsum(slope) + rng.normal(0, 3, n))
    return out


def test_theta_member_matches_statsmodels_theta_model():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    for y in [Y, *_family(3, 5)]:
        ref = np.asarray(ThetaModel(y, period=1, deseasonalize=False).fit().forecast(4))
        assert np.allclose(am.theta(y, 4), ref, rtol=0.02)


def test_damped_trend_path_equals_statsmodels_holt_with_the_same_parameters():
    from statsmodels.tsa.holtwinters import Holt

    alpha, beta, phi = 0.6, 0.18, 0.9
    # our state after y[0] is (level y0, trend y1 - y0); statsmodels' "known" initial state precedes its first
    # observation, and its trend smoothing is β/α in our error-correction form
    ref = Holt(Y[1:], damped_trend=True, initialization_method="known", initial_level=Y[0],
               initial_trend=Y[1] - Y[0]).fit(smoothing_level=alpha, smoothing_trend=beta / alpha,
                                              damping_trend=phi, optimized=False).forecast(5)
    assert np.allclose(am.damped_path(Y, 5, alpha, beta, phi), ref, rtol=1e-10)


def test_ses_member_equals_statsmodels_simple_exp_smoothing_at_its_alpha():
    from statsmodels.tsa.holtwinters import SimpleExpSmoothing

    alpha, _ = am.ses_fit(Y)
    ref = SimpleExpSmoothing(Y[1:], initialization_method="known", initial_level=Y[0]).fit(
        smoothing_level=alpha, optimized=False).forecast(3)
    assert np.allclose(am.ses(Y, 3), ref, rtol=1e-10)


def test_damped_grid_fits_almost_as_well_as_statsmodels_optimiser():
    from statsmodels.tsa.holtwinters import Holt

    ratios = []
    for y in _family(5, 12):
        opt = Holt(y[1:], damped_trend=True, initialization_method="known", initial_level=y[0],
                   initial_trend=y[1] - y[0]).fit()
        ratios.append(am.damped_fit(y)[3] / opt.sse)
    # a coarse grid cannot beat the optimiser by much (same model) and should not lose by much either
    assert min(ratios) > 0.95
    assert np.median(ratios) < 1.25


def test_ses_grid_fits_almost_as_well_as_statsmodels_optimiser():
    from statsmodels.tsa.holtwinters import SimpleExpSmoothing

    for y in _family(7, 8):
        opt = SimpleExpSmoothing(y[1:], initialization_method="known", initial_level=y[0]).fit()
        alpha, _ = am.ses_fit(y)
        lvl, sse = y[0], 0.0
        for v in y[1:]:
            sse += (v - lvl) ** 2
            lvl += alpha * (v - lvl)
        assert sse <= opt.sse * 1.05
