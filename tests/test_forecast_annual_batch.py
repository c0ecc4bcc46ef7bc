"""Batch calibration of the annual ensemble (``annual_batch``): width factors from the batch's own history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.forecast import annual, annual_batch


def calm_then_wild(seed: int, end: int = 2020) -> pd.Series:
    """A steady trend for 20 years, then 8 years of large swings: the late in-history errors exceed the stated scale."""
    rng = np.random.default_rng(seed)
    calm = 100 + 2 * np.arange(20) + rng.normal(0, 0.3, 20)
    wild = calm[-1] + 2 * np.arange(1, 9) + rng.choice([-1, 1], 8) * rng.uniform(8, 14, 8)
    y = np.concatenate([calm, wild])
    return pd.Series(y, index=range(end - len(y) + 1, end + 1))


def test_a_batch_whose_histories_ran_wider_than_stated_gets_wider_ranges(monkeypatch):
    monkeypatch.setattr(annual_batch, "CALIBRATE_RANGES", True)  # present, off since revision 7 (protocol)
    monkeypatch.setattr(annual_batch, "CALIBRATE_POINTS", False)
    batch = {f"s{i}": calm_then_wild(i) for i in range(8)}
    out = annual_batch.forecast_batch(batch, 3)
    for sid, s in batch.items():
        alone = annual.forecast(s, 3)
        assert np.all(out[sid].hi80 - out[sid].lo80 > 1.05 * (alone.hi80 - alone.lo80))
        assert np.allclose(out[sid].point, alone.point)


def test_factors_follow_the_pooled_errors_and_shrink_with_few_series():
    errs = [annual_batch.HistoryErrors(z=2 * np.array([1.533, -2.776, 0.5, -0.5, 1.0]), horizon=np.ones(5, int),
                                       back=np.arange(1, 6), outcome=np.arange(2016, 2021), ensemble_err=np.zeros(5),
                                       drift_err=np.zeros(5), end=2020) for _ in range(40)]
    raw, n = annual_batch.raw_factors(errs)
    assert n == 40 and raw[0.8] > 1.5
    many = annual_batch.shrunk_factors(raw, 40)
    few = annual_batch.shrunk_factors(raw, 6)
    assert 1 < few[0.8] < many[0.8] < raw[0.8]


def test_a_single_series_keeps_its_single_series_forecast():
    s = calm_then_wild(1)
    alone = annual.forecast(s, 4)
    out = annual_batch.forecast_batch({"only": s}, 4)["only"]
    for k in ("point", "lo80", "hi80", "lo95", "hi95"):
        np.testing.assert_array_equal(getattr(out, k), getattr(alone, k))


def test_by_default_a_batch_gets_the_single_series_forecasts():
    # revision 7's drift share was switched off after the reported run (bench/annual/protocol.md)
    batch = {f"s{k}": calm_then_wild(k) for k in range(6)}
    out = annual_batch.forecast_batch(batch, 4)
    for sid, s in batch.items():
        alone = annual.forecast(s, 4)
        for k in ("point", "lo80", "hi80", "lo95", "hi95"):
            np.testing.assert_array_equal(getattr(out[sid], k), getattr(alone, k))


def test_only_history_up_to_each_series_end_is_used(monkeypatch):
    monkeypatch.setattr(annual_batch, "CALIBRATE_RANGES", True)
    early = calm_then_wild(0, end=2015)
    others = {f"s{i}": calm_then_wild(i, end=2020) for i in range(1, 8)}
    base = annual_batch.forecast_batch({"early": early} | others, 3)["early"]
    changed = {k: v.where(v.index <= 2015, v * 3) for k, v in others.items()}
    again = annual_batch.forecast_batch({"early": early} | changed, 3)["early"]
    np.testing.assert_array_equal(base.hi95, again.hi95)
    later = annual_batch.forecast_batch({"early": early} | others, 3)["s1"]
    later_changed = annual_batch.forecast_batch({"early": early} | changed, 3)["s1"]
    assert not np.allclose(later.hi95, later_changed.hi95)  # the check can fail: later outcomes do count for s1


def test_history_errors_use_only_origins_inside_the_history():
    s = calm_then_wild(3)
    e = annual_batch.history_errors(s)
    assert e.outcome.max() == s.index[-1]
    assert np.all(e.outcome - e.horizon < s.index[-1])
    assert set(e.back) == set(range(1, annual_batch.ORIGINS_BACK + 1))


@pytest.mark.parametrize("factors", [{0.8: 0.8, 0.95: 0.95}, {0.8: 1.6, 0.95: 1.3}])
def test_sample_keeps_the_batch_calibrated_ranges_as_its_quantiles(factors):
    fc = annual_batch.calibrated(annual.forecast(calm_then_wild(2), 4), factors)
    paths = fc.sample(np.random.default_rng(0), 40000)
    for q, bound in ((0.1, fc.lo80), (0.9, fc.hi80), (0.025, fc.lo95), (0.975, fc.hi95)):
        np.testing.assert_allclose(np.quantile(paths, q, axis=0), bound, rtol=0.02)
    assert np.all(fc.hi80 < fc.hi95) and np.all(fc.lo95 < fc.lo80)


def errors_where_drift_wins(n_err: int = 5) -> annual_batch.HistoryErrors:
    return annual_batch.HistoryErrors(z=np.zeros(n_err), horizon=np.ones(n_err, int), back=np.arange(1, n_err + 1),
                                      outcome=np.arange(2016, 2016 + n_err), ensemble_err=np.full(n_err, 3.0),
                                      drift_err=np.full(n_err, 0.5), end=2020)


def test_a_batch_where_drift_beat_the_ensemble_in_its_histories_leans_on_drift():
    share = annual_batch.drift_share([errors_where_drift_wins()] * 30)
    assert share == pytest.approx(30 / (30 + annual_batch.POINT_KAPPA))
    assert annual_batch.drift_share([errors_where_drift_wins()] * 4) == 0.0  # too few series: no change


def test_a_leaned_point_keeps_its_ranges_around_it_and_sample_agrees():
    s = calm_then_wild(4)
    fc = annual.forecast(s, 4)
    out = annual_batch.leaned(fc, s, 0.6)
    y = s.to_numpy()
    drift = y[-1] + (y[-1] - y[0]) / (len(y) - 1) * np.arange(1, 5)
    np.testing.assert_allclose(out.point, np.maximum(0.4 * fc.center + 0.6 * drift, 0))
    np.testing.assert_allclose(out.hi80 - out.point, fc.hi80 - fc.point)
    paths = out.sample(np.random.default_rng(1), 40000)
    np.testing.assert_allclose(np.quantile(paths, 0.9, axis=0), out.hi80, rtol=0.02)
