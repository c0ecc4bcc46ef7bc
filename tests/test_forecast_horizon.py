"""Ranges that widen with the horizon as they should, and regimes that persist (bench/worlds.md, revision 6):
the valid-firm count's volume and rates, the pass rate once the year's applications are known, and the district
share's yearly change."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import cohort_register

from helpers.forecast import cohort, priors, rates, share_risk
from helpers.forecast.priors import Priors


def _width80(certs: pd.DataFrame, cut_off: dt.date, deadline: dt.date) -> float:
    cf = cohort.forecast_valid_firms(certs, cut_off, deadline, ["kfq"], np.random.default_rng(0), 4000)
    d = cf.district()[:, -1]
    return float(np.quantile(d, 0.9) - np.quantile(d, 0.1))


def test_the_valid_firm_range_two_years_ahead_is_wider_than_half_a_year_ahead():
    c = cohort_register()
    two_years = _width80(c, dt.date(2023, 2, 28), dt.date(2024, 12, 31))
    half_year = _width80(c, dt.date(2024, 8, 31), dt.date(2024, 12, 31))
    assert two_years > 1.4 * half_year


def test_the_error_of_the_volumes_mean_is_shared_by_the_years_of_a_path(monkeypatch):
    monkeypatch.setattr(priors, "PRIORS", Priors(volume_persist=0.0))
    v = cohort.volume_paths(np.array([20.0, 30.0, 25.0]), 2, np.random.default_rng(0), 20000)
    # three years of about 25 recognitions leave their mean uncertain by a fifth: both years move with it
    assert np.corrcoef(v[:, 0], v[:, 1])[0, 1] > 0.2
    assert abs(v.mean() / 25.0 - 1) < 0.02  # the mean is kept


def test_a_persisting_volume_spreads_wider_two_years_ahead_than_one(monkeypatch):
    counts = np.array([100.0, 100.0, 100.0])
    monkeypatch.setattr(priors, "PRIORS", Priors(volume_persist=1.0))
    walk = cohort.volume_paths(counts, 2, np.random.default_rng(0), 20000)
    sd = np.log(walk).std(axis=0)
    assert sd[1] > 1.25 * sd[0]


def test_a_volume_that_rose_last_year_leans_the_next_years_up_when_years_persist(monkeypatch):
    monkeypatch.setattr(priors, "PRIORS", Priors(volume_persist=0.5))
    rose = cohort.volume_paths(np.array([80.0, 80.0, 140.0]), 1, np.random.default_rng(0), 20000)
    fell = cohort.volume_paths(np.array([140.0, 80.0, 80.0]), 1, np.random.default_rng(0), 20000)
    assert np.median(rose) > 1.1 * np.median(fell)  # same mean of the three years


@pytest.mark.parametrize("kind", ["pass", "renewal"])
def test_a_rate_that_fell_in_the_last_batch_lowers_the_next_years_rate(monkeypatch, kind):
    monkeypatch.setattr(priors, "PRIORS", Priors(rate_persist=0.5))
    applied = (200, 200, 200)
    if kind == "pass":
        last_low = cohort.Pipeline(2024, 200, applied, (140, 140, 80)).rate
        first_low = cohort.Pipeline(2024, 200, applied, (80, 140, 140)).rate
    else:
        last_low = rates.fit_yearly_rate(np.array([140.0, 140.0, 80.0]), np.array(applied, float))
        first_low = rates.fit_yearly_rate(np.array([80.0, 140.0, 140.0]), np.array(applied, float))
    assert abs(last_low.mean - first_low.mean) < 1e-9  # the pooled rate does not know the order
    low = np.median(last_low.draw(np.random.default_rng(0), 20000))
    high = np.median(first_low.draw(np.random.default_rng(0), 20000))
    assert high - low > 0.05


def test_without_persistence_the_order_of_the_batches_does_not_matter(monkeypatch):
    monkeypatch.setattr(priors, "PRIORS", Priors(rate_persist=0.0))
    a = rates.fit_yearly_rate(np.array([140.0, 140.0, 80.0]), np.full(3, 200.0))
    b = rates.fit_yearly_rate(np.array([80.0, 140.0, 140.0]), np.full(3, 200.0))
    assert np.allclose(a.draw(np.random.default_rng(0), 1000), b.draw(np.random.default_rng(0), 1000))


def test_the_pass_rates_prior_sets_the_september_range_once_the_applications_are_known(monkeypatch):
    pipe = cohort.Pipeline(2024, 200, (200, 200, 200), (130, 130, 130))
    monkeypatch.setattr(priors, "PRIORS", Priors(pass_sd=0.2, rate_sd=0.8))
    narrow = pipe.rate.draw(np.random.default_rng(0), 20000).std()
    monkeypatch.setattr(priors, "PRIORS", Priors(pass_sd=0.6, rate_sd=0.8))
    wide = cohort.Pipeline(2024, 200, (200, 200, 200), (130, 130, 130)).rate.draw(np.random.default_rng(0),
                                                                                   20000).std()
    assert wide > 2 * narrow


def test_calm_share_changes_keep_the_priors_spread_and_wild_ones_widen_it():
    calm, df_calm = share_risk.change_spread(np.array([0.5, 0.5, 0.5]))
    wild, _ = share_risk.change_spread(np.array([-6.0, 5.0, -4.0]))
    assert abs(calm - priors.PRIORS.change_sd * np.sqrt(priors.PRIORS.change_df / (priors.PRIORS.change_df + 2))) \
        < 1e-9
    assert wild > 2 * calm
    # three changes and the prior's years: a t of more than two degrees of freedom (the old rule's n - 1)
    assert df_calm == round(priors.PRIORS.change_df + 2) > 2


def _returns(june_share: float, june_2024: int) -> pd.DataFrame:
    """District task rows 2021-2023: 100 applications and 60 recognitions a year, the 30 June returns showing
    ``june_share`` of the year's applications; the 2024 30 June return shows ``june_2024``."""
    rows = []
    for y in (2021, 2022, 2023):
        rows.append(("hitech_applications", "district", y, f"{y}-06-30", round(100 * june_share), f"{y}-07-15"))
        rows.append(("hitech_applications", "district", y, f"{y}-12-31", 100, f"{y + 1}-01-15"))
        rows.append(("hitech_recognitions", "district", y, f"{y}-12-31", 60, f"{y + 1}-01-15"))
    rows.append(("hitech_applications", "district", 2024, "2024-06-30", june_2024, "2024-07-15"))
    df = pd.DataFrame(rows, columns=["task_id", "town", "year", "period_end", "value", "released"])
    df["period_end"], df["released"] = pd.to_datetime(df["period_end"]), pd.to_datetime(df["released"])
    return df.assign(revision=0)


def test_a_june_return_that_showed_half_the_years_applications_before_is_scaled_to_the_whole_year():
    pipe = cohort.known_pipeline(_returns(0.5, 50), pd.Timestamp(2024, 8, 31), 2024)
    assert pipe is not None and pipe.early_shares == (0.5, 0.5, 0.5)
    apps = pipe.final_applications(np.random.default_rng(0), 1000)
    assert abs(np.median(apps) - 100) <= 1 and apps.min() >= 50


def test_a_june_return_that_always_held_the_whole_year_is_taken_as_it_is():
    pipe = cohort.known_pipeline(_returns(1.0, 90), pd.Timestamp(2024, 8, 31), 2024)
    assert pipe is not None and pipe.early_shares == (1.0, 1.0, 1.0)
    assert (pipe.final_applications(np.random.default_rng(0), 100) == 90).all()
