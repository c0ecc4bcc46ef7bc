"""The generic annual ensemble: refusals, gaps, honest validation, calibrated ranges, floored samples.

Agreement of the members with statsmodels: tests/test_forecast_annual_statsmodels.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.forecast import annual, annual_calibration
from helpers.forecast.annual_settings import ANNUAL


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


def _growth_family(seed: int, count: int, n: int, h: int) -> list[np.ndarray]:
    """Synthetic yearly series (made here, not real data): compound growth of about 3 % a year, 5 % shocks."""
    rng = np.random.default_rng(seed)
    return [100 * np.exp(np.cumsum(rng.normal(0.03, 0.05, n + h))) for _ in range(count)]


def test_coverage_is_close_to_nominal_at_every_horizon_on_a_synthetic_family():
    h, n = 6, 18
    hits80, hits95 = np.zeros(h), np.zeros(h)
    family = _growth_family(11, 240, n, h)
    for y in family:
        fc = annual.forecast(y[:n], h)
        hits80 += (y[n:] >= fc.lo80) & (y[n:] <= fc.hi80)
        hits95 += (y[n:] >= fc.lo95) & (y[n:] <= fc.hi95)
    cov80, cov95 = hits80 / len(family), hits95 / len(family)
    # 240 series: a binomial sd of about 2.6 points at 80 %, so these bands fail only if really off
    assert np.all((cov80 >= 0.70) & (cov80 <= 0.90)), cov80
    assert np.all((cov95 >= 0.89) & (cov95 <= 0.99)), cov95


def test_validation_errors_use_only_weights_known_at_their_origin():
    from helpers.forecast import annual_calibration as ac

    y = np.array([10, 12, 11, 15, 18, 17, 21, 25, 24, 28, 31, 30], float)
    v = ac.validate(y, 6)
    first = ac.origins(len(y))[0]
    # nothing was observed after the first origin when it forecast, so its weights are equal ones
    equal = annual.member_forecasts(y[:first], 6, ANNUAL.members).mean(axis=0)
    assert np.allclose(v.honest_errors[0], equal - y[first:first + 6])
    # and the final weights are not equal (they learned from the origins)
    assert np.ptp(v.weights) > 0.01


def test_a_years_forecast_does_not_depend_on_how_many_years_were_asked_for():
    y = np.array([5, 7, 6, 9, 11, 10, 13, 15, 14, 18], float)
    short, long = annual.forecast(y, 2), annual.forecast(y, 6)
    assert np.allclose(short.point, long.point[:2])
    assert np.allclose(short.hi80, long.hi80[:2]) and np.allclose(short.lo95, long.lo95[:2])


def _declining() -> annual.Forecast:
    return annual.forecast(pd.Series([40.0, 33, 27, 20, 15, 9, 5], index=range(2017, 2024)), 4)


def test_simulated_paths_never_go_below_zero_for_an_always_positive_series():
    fc = _declining()
    assert fc.floor == 0.0
    paths = fc.sample(np.random.default_rng(3), 20000)
    assert paths.min() >= 0.0
    assert (paths[:, -1] == 0).mean() > 0.3  # the decline carries on: many paths dry up instead of going negative


def test_simulated_paths_have_the_stated_ranges_as_their_quantiles_at_every_horizon():
    fc = _declining()
    paths = fc.sample(np.random.default_rng(4), 40000)
    for q, stated in ((0.025, fc.lo95), (0.1, fc.lo80), (0.5, fc.point), (0.9, fc.hi80), (0.975, fc.hi95)):
        got = np.quantile(paths, q, axis=0)
        assert np.all(np.abs(got - stated) <= 0.06 * fc.scale), (q, got, stated)  # Monte Carlo error ~3 %


def test_share_of_paths_below_the_80_range_is_ten_percent_when_the_floor_does_not_bind():
    fc = annual.forecast(np.array([50, 53, 55, 58, 62, 63, 67, 70], float), 3)
    paths = fc.sample(np.random.default_rng(5), 40000)
    below = (paths < fc.lo80[None, :]).mean(axis=0)
    above = (paths > fc.hi95[None, :]).mean(axis=0)
    assert np.allclose(below, 0.10, atol=0.01) and np.allclose(above, 0.025, atol=0.005)


def test_series_with_negative_values_are_not_floored():
    fc = annual.forecast(np.array([3.0, 1.0, -2.0, -4.0, -5.0, -8.0]), 3)
    assert fc.floor is None
    assert fc.lo80[-1] < 0 and fc.sample(np.random.default_rng(0), 100).min() < 0



def test_steady_line_keeps_its_own_errors_instead_of_the_pace_floor():
    # a steady line with one small wiggle: yearly pace 10, changes that hardly vary (sd 0.2) and honest errors
    # larger than that spread — revision 3's pace floor (0.75 · h · 10) made this range far too wide; revision 4
    # leaves it off, so the scale is the series' own errors on the h**growth law
    y = 100 + 10 * np.arange(15.0)
    y[7] += 0.5
    fc = annual.forecast(y, 6)
    pace = np.mean(np.abs(np.diff(y)))
    pace_floor = ANNUAL.horizon_floor * ANNUAL.width * pace * np.arange(1, 7)
    assert ANNUAL.horizon_floor > 0
    assert np.all(fc.scale < 0.5 * pace_floor)
    assert np.allclose(fc.scale / fc.scale[0], np.arange(1, 7) ** ANNUAL.error_growth)


def _validation(one_step_error: float, change_sd: float) -> annual_calibration.Validation:
    """Honest errors of exactly ``one_step_error`` · h**growth, yearly pace 1, the given spread of yearly changes."""
    steps = np.arange(1, 7) ** ANNUAL.error_growth
    errs = np.tile(one_step_error * steps, (4, 1))
    return annual_calibration.Validation(weights=np.ones(1), honest_errors=errs, scale=1.0, change_sd=change_sd)


def test_horizon_floor_applies_when_in_sample_errors_are_below_the_spread_of_yearly_changes():
    # s1 = 0.3 < sd of changes 0.5: the in-sample errors are implausibly small, the pace floor 0.75 · h binds
    sc = annual_calibration.error_scale(_validation(0.3, 0.5), 6)
    assert ANNUAL.floor_when_below == 1.0
    assert np.allclose(sc, ANNUAL.horizon_floor * np.arange(1, 7))


def test_horizon_floor_is_left_off_when_in_sample_errors_are_as_large_as_the_changes_spread():
    # same errors, changes that vary less (sd 0.2 ≤ s1 = 0.3): the series' own errors set the range, no pace floor
    sc = annual_calibration.error_scale(_validation(0.3, 0.2), 6)
    assert np.allclose(sc, 0.3 * np.arange(1, 7) ** ANNUAL.error_growth)
    assert sc[-1] < 0.5 * ANNUAL.horizon_floor * 6


def test_validation_records_the_spread_of_yearly_changes():
    y = np.array([1.0, 2.0, 4.0, 5.0, 7.0, 8.0])
    v = annual_calibration.validate(y, 6)
    assert v.change_sd == pytest.approx(np.std(np.diff(y), ddof=1))


def test_a_settings_variant_passed_in_changes_that_forecast_only():
    # the tuning harness passes variants instead of patching module globals: the next default call is unchanged
    y = np.array([50, 53, 55, 58, 62, 63, 67, 70], float)
    before = annual.forecast(y, 3)
    wide = annual.forecast(y, 3, settings=dataclasses.replace(ANNUAL, width=2 * ANNUAL.width))
    after = annual.forecast(y, 3)
    np.testing.assert_allclose(wide.scale, 2 * before.scale)
    np.testing.assert_array_equal(wide.point, before.point)
    np.testing.assert_array_equal(after.hi95, before.hi95)


def test_the_settings_in_force_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ANNUAL.width = 1.0  # type: ignore[misc]


def test_a_members_variant_is_weighted_over_its_own_members():
    y = np.array([50, 53, 55, 58, 62, 63, 67, 70], float)
    fc = annual.forecast(y, 3, settings=dataclasses.replace(ANNUAL, members=("drift", "ses")))
    assert set(fc.weights) == {"drift", "ses"} and sum(fc.weights.values()) == pytest.approx(1.0)


def test_the_ranges_have_the_t4_shape():
    # revision 6 tried per-level half-widths and kept revision 4's t(4) (bench/annual/protocol.md)
    fc = annual.forecast(np.array([50, 53, 55, 58, 62, 63, 67, 70], float), 3)
    assert fc.df == ANNUAL.df == 4
    assert np.allclose((fc.hi95 - fc.center) / (fc.hi80 - fc.center), 2.776445 / 1.533206, rtol=1e-5)
