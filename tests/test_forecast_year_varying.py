"""Ranges that admit what a few years cannot show: rates that move from year to year (renewals, pass rates), the
task flows' district-wide yearly shock, the seasonal ratio's own variation and a break the data do not show."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import statsmodels.api as sm
from conftest import cohort_register
from scipy.special import expit, logit

from helpers.forecast import cohort, flow, priors, rates, share_risk, year_shock

# ------------------------------------------------------------------ yearly rates


def test_the_pooled_rate_is_the_binomial_glms_fit():
    s, t = np.array([30.0, 50.0, 40.0]), np.array([60.0, 70.0, 80.0])
    r = rates.fit_yearly_rate(s, t)
    glm = sm.GLM(np.column_stack([s + 0.5, t - s + 0.5]), np.ones((3, 1)), family=sm.families.Binomial()).fit()
    assert abs(r.mu - glm.params[0]) < 1e-9
    # an intercept-only binomial GLM's rate is the pooled share of successes
    assert abs(r.mean - (s + 0.5).sum() / (t + 1).sum()) < 1e-9


def test_batches_that_scatter_beyond_binomial_noise_widen_the_year_variance():
    calm = rates.fit_yearly_rate(np.array([65.0, 65.0, 65.0]), np.array([100.0, 100.0, 100.0]))
    moving = rates.fit_yearly_rate(np.array([40.0, 85.0, 65.0]), np.array([100.0, 100.0, 100.0]))
    assert moving.dispersion > 5 > calm.dispersion
    assert moving.s2 > 2 * calm.s2
    assert calm.s2 > 0  # three calm years do not prove the next one calm: the prior keeps a year variance


def test_a_rates_draws_vary_by_year_and_by_its_year_variance():
    r = rates.fit_yearly_rate(np.array([650.0, 650.0, 650.0]), np.array([1000.0, 1000.0, 1000.0]))
    x = r.draw(np.random.default_rng(0), 20000, years=2, persist=0.0)
    assert x.shape == (20000, 2)
    assert abs(np.median(x) - 0.65) < 0.01
    # a thousand firms a year pin the pooled rate to about a point; the year effect (its prior sd in logit) does not
    sd_binomial = np.sqrt(0.65 * 0.35 / 3000)
    assert x[:, 0].std() > 3 * sd_binomial
    assert abs(np.corrcoef(x[:, 0], x[:, 1])[0, 1]) < 0.6  # each year draws its own effect


def _width80(c: pd.DataFrame) -> float:
    cf = cohort.forecast_valid_firms(c, dt.date(2024, 8, 31), dt.date(2024, 12, 31), ["kfq"],
                                     np.random.default_rng(0), 4000)
    d = cf.district()[:, -1]
    return float(np.quantile(d, 0.9) - np.quantile(d, 0.1))


def test_renewal_rates_that_moved_between_years_widen_the_valid_firm_range(monkeypatch):
    # the year variance alone: without persistence the last batch's low rate does not move the centre
    monkeypatch.setattr(priors, "PRIORS", priors.Priors(rate_persist=0.0))
    constant = cohort_register({})
    moving = cohort_register({2022: 0.9, 2023: 0.1})  # the cohort expiring in 2024 is as large in both
    assert _width80(moving) > 1.3 * _width80(constant)


# ------------------------------------------------------------------ the task flows' yearly shock


def test_flows_that_rose_and_fell_together_show_a_larger_yearly_shock():
    years = range(2017, 2024)
    together = [pd.Series({y: 200 * f * (1.4 if y % 2 else 0.7) for y in years}) for f in (1, 2, 3)]
    apart = [pd.Series({y: 200 * f for y in years}) for f in (1, 2, 3)]
    a, b = year_shock.fit_year_shock(together, 2024), year_shock.fit_year_shock(apart, 2024)
    assert a.data_var > 0.05 and b.data_var == 0.0
    assert a.var > 3 * b.var
    assert b.var > 0  # calm years keep the prior's shock


def test_the_common_shock_ties_the_outcomes_of_different_flows():
    shock = flow.CommonShock(0.04, {2024: year_shock.common_normals(0, 2024, 4000)})
    big = pd.DataFrame({"year": [y for y in range(2019, 2024) for _ in (0, 1)],
                        "period_end": [pd.Timestamp(y, m, 30 if m == 6 else 31) for y in range(2019, 2024)
                                       for m in (6, 12)],
                        "value": [v for _ in range(2019, 2024) for v in (200.0, 400.0)]})
    other = big.assign(value=big["value"] / 2)
    cut = pd.Timestamp(2024, 3, 31)

    def outcomes(common):
        x = flow.forecast_flow(big, 2024, 2024, cut, np.random.default_rng(1), 4000, 0.0, common).sims[:, 0]
        y = flow.forecast_flow(other, 2024, 2024, cut, np.random.default_rng(2), 4000, 0.0, common).sims[:, 0]
        return np.corrcoef(x, y)[0, 1]

    assert outcomes(shock) > 0.5
    assert abs(outcomes(None)) < 0.1


def test_the_common_shock_widens_a_flows_range():
    r = pd.DataFrame({"year": [y for y in range(2019, 2024) for _ in (0, 1)],
                      "period_end": [pd.Timestamp(y, m, 30 if m == 6 else 31) for y in range(2019, 2024)
                                     for m in (6, 12)],
                      "value": [v for _ in range(2019, 2024) for v in (200.0, 400.0)]})
    cut = pd.Timestamp(2024, 3, 31)
    plain = flow.forecast_flow(r, 2024, 2024, cut, np.random.default_rng(1), 4000, 0.0).sims[:, 0]
    shocked = flow.forecast_flow(r, 2024, 2024, cut, np.random.default_rng(1), 4000, 0.0,
                                 flow.CommonShock(0.04, {2024: year_shock.common_normals(0, 2024, 4000)})).sims[:, 0]
    assert np.std(shocked) > 1.3 * np.std(plain)


def test_the_common_draws_depend_on_the_run_and_the_year_only():
    a = year_shock.common_normals(0, 2024, 100)
    assert np.array_equal(a, year_shock.common_normals(0, 2024, 100))
    assert not np.array_equal(a, year_shock.common_normals(1, 2024, 100))
    assert not np.array_equal(a, year_shock.common_normals(0, 2025, 100))


# ------------------------------------------------------------------ shares


def test_identical_seasonal_years_still_leave_the_ratio_a_spread_that_shrinks_as_the_year_fills():
    same = np.zeros(4)  # four years with exactly one profile
    march, _ = share_risk.ratio_spread(same, 3, 0.0)
    september, _ = share_risk.ratio_spread(same, 9, 0.0)
    october, _ = share_risk.ratio_spread(same, 10, 0.0)
    assert march > september > october > 0.0
    assert abs(september / march - 3 / 9) < 1e-9
    assert share_risk.ratio_spread(same, 10, 0.5)[0] == 0.5  # never below the floor


def test_seasonal_ratios_that_moved_between_years_widen_the_spread_beyond_the_prior():
    calm, _ = share_risk.ratio_spread(np.zeros(4), 9, 0.0)
    moving, _ = share_risk.ratio_spread(np.log([0.9, 1.1, 0.95, 1.08]), 9, 0.0)
    assert moving > 2 * calm


def test_an_unseen_break_moves_some_paths_of_the_district_share_by_the_town_hit():
    x = np.full(20000, 40.0)
    found = pd.DataFrame({"kind": ["level_shift"], "size": [0.4]})
    out = share_risk.with_district_break_risk(x, found, np.array([0.5, 0.5]), 60, 12, 0.3,
                                              np.random.default_rng(0))
    moved = out != 40.0
    # one break in 60 months (rate 1.5 / 60) over 15 months: about 31 % of paths (those starting after December
    # move nothing in the deadline year; here the year ahead is the deadline year, so every hit moves it)
    assert abs(moved.mean() - (1 - np.exp(-1.5 / 60 * 15))) < 0.02
    # a level shift of the numerator raises the share, by at most the hit town's part of e^0.4
    assert (out[moved] > 40).all() and out.max() <= 40 * (1 + 0.5 * np.expm1(0.4)) + 1e-9
    # when none was found, a break may go either way
    none = share_risk.with_district_break_risk(x, found.iloc[:0], np.array([0.5, 0.5]), 60, 12, 0.3,
                                               np.random.default_rng(0))
    assert (none > 40).any() and (none < 40).any()


def test_no_time_ahead_and_no_towns_leave_the_district_share_as_it_is():
    x = np.full(100, 40.0)
    empty = pd.DataFrame({"kind": [], "size": []})
    assert np.array_equal(share_risk.with_district_break_risk(x, empty, np.array([]), 60, 12, 0.3,
                                                              np.random.default_rng(0)), x)
    assert np.array_equal(share_risk.with_district_break_risk(x, empty, np.array([1.0]), 60, 0, 0.3,
                                                              np.random.default_rng(0)), x)


def test_the_rate_draws_logit_scale():
    r = rates.fit_yearly_rate(np.array([20.0]), np.array([40.0]))
    assert abs(r.mu - logit(0.5)) < 1e-9 and abs(expit(r.mu) - 0.5) < 1e-9
