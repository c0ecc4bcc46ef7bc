"""The generic annual ensemble: refusals, gaps, agreement with statsmodels, calibrated ranges."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.forecast import annual


def test_refuses_series_shorter_than_three_points_with_a_clear_message():
    with pytest.raises(annual.SeriesTooShort, match="2 observed point.*at least 3"):
        annual.forecast(pd.Series([1.0, 2.0], index=[2020, 2021]), 3)


def test_gaps_do_not_count_as_points():
    with pytest.raises(annual.SeriesTooShort):
        annual.forecast(pd.Series([1.0, np.nan, 2.0], index=[2019, 2020, 2021]), 2)


def test_handles_gaps_by_interpolating_for_fitting_only():
    s = pd.Series([10.0, 12.0, 16.0, 18.0], index=[2018, 2019, 2021, 2022])  # 2020 missing
    fc = annual.forecast(s, 2)
    assert fc.periods.tolist() == [2023, 2024]
    assert any("2020" in n for n in fc.notes)
    assert 18 < fc.point[0] < 22  # a straight line continues


def test_theta_member_matches_statsmodels_theta():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = np.array([100, 104, 110, 113, 121, 125, 131, 130, 138, 145, 149, 155], float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = np.asarray(ThetaModel(y, period=1, deseasonalize=False).fit().forecast(4))
    assert np.allclose(annual.theta(y, 4), ref, rtol=0.02)


def test_exploding_member_is_pulled_back_to_the_median():
    y = np.array([1.0, 50.0, 2.0, 60.0, 1.0])
    fc = annual.forecast(y, 5)
    assert np.all(np.abs(fc.point) < 200)
    assert np.all(fc.hi95 - fc.lo95 < 2000)


def test_80_percent_range_covers_about_80_percent_of_random_walks():
    rng = np.random.default_rng(1)
    hits, n = 0, 0
    for _ in range(200):
        y = 100 + np.cumsum(rng.normal(0, 1, 26))
        fc = annual.forecast(y[:20], 6)
        hits += int(((y[20:] >= fc.lo80) & (y[20:] <= fc.hi80)).sum())
        n += 6
    assert 0.65 <= hits / n <= 0.95


def test_ranges_widen_with_the_horizon_and_nest():
    fc = annual.forecast(np.array([5, 7, 6, 9, 11, 10, 13, 15], float), 4)
    width = fc.hi80 - fc.lo80
    assert np.all(np.diff(width) > 0)
    assert np.all(fc.lo95 <= fc.lo80) and np.all(fc.hi80 <= fc.hi95)


def test_simulated_paths_are_seeded():
    fc = annual.forecast(np.array([5, 7, 6, 9, 11, 10, 13, 15], float), 3)
    a = fc.sample(np.random.default_rng(7), 100)
    b = fc.sample(np.random.default_rng(7), 100)
    assert np.array_equal(a, b)
