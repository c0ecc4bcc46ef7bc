"""The flow model's rate spread: the error of the estimated mean and the rate of a series with no counts.

Revision of issue 13 (bench/worlds.md, revision 3): the gamma prior's spread was the extra-Poisson spread of
three yearly counts alone, as if their mean, moved on by one noisy yearly change, were known; and a series
whose counts were all zero got a rate of zero, so reaching even one was impossible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.forecast import flow, tasks


@pytest.fixture(autouse=True)
def three_year_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    """These specify the three-year-mean rate of revision 3 (``flow.LEVEL = "mean3"``, kept as a switch); the
    local level that replaced it in revision 4 is specified in test_forecast_flow_level.py."""
    monkeypatch.setattr(flow, "LEVEL", "mean3")
    monkeypatch.setattr(flow, "CUM_PATH", False)


def _years(fy: dict[int, float], h1_share: float = 0.4) -> pd.DataFrame:
    rows = []
    for y, v in fy.items():
        rows += [(y, pd.Timestamp(y, 6, 30), round(v * h1_share)), (y, pd.Timestamp(y, 12, 31), v)]
    return pd.DataFrame(rows, columns=["year", "period_end", "value"])


def _p_at_least(r: pd.DataFrame, goal: float, n: int = 20000) -> float:
    yf = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 3, 31), np.random.default_rng(0), n)
    return float((yf.sims[:, 0] >= goal).mean())


def test_a_flow_with_no_count_in_three_years_may_still_count_one():
    p = _p_at_least(_years({2021: 0, 2022: 0, 2023: 0}), 1)
    assert 0.05 < p < 0.3  # Jeffreys: a rate of about 0.5 / 3 a year, not zero


def test_a_flow_that_fell_to_zero_is_not_forecast_as_certainly_zero():
    assert _p_at_least(_years({2020: 3, 2021: 1, 2022: 0, 2023: 0}), 1) > 0.1


def test_the_rate_spread_includes_the_error_of_its_estimated_mean():
    h = tasks.halves(_years({2021: 100, 2022: 100, 2023: 100}))
    m, cv2 = flow.rate_prior(h, 2024)
    assert m == 100
    # three identical years: the extra-Poisson floor plus the mean's own error (Poisson over three years and
    # the yearly change over two steps), not the floor alone
    assert cv2 > tasks.MIN_CV2 + (1 / 100 + tasks.MIN_CV2) / 3


def test_fewer_known_years_give_a_wider_forecast():
    def width(fy: dict[int, float]) -> float:
        yf = flow.forecast_flow(_years(fy), 2024, 2024, pd.Timestamp(2024, 3, 31), np.random.default_rng(0), 20000)
        lo, hi = np.quantile(yf.sims[:, 0], (0.1, 0.9))
        return float(hi - lo)

    assert width({2022: 100, 2023: 100}) > 1.2 * width({2020: 100, 2021: 100, 2022: 100, 2023: 100})


def test_the_district_change_is_pooled_over_its_flows_with_large_counts_weighing_most():
    big = tasks.halves(_years({2020: 1000, 2021: 1100, 2022: 1210, 2023: 1331}))  # +10 % a year
    small = tasks.halves(_years({2020: 4, 2021: 2, 2022: 5, 2023: 3}))  # noisy, no trend
    change = flow.pool_change([big, small], 2024)
    big_change, small_change = np.log(1331.5 / 1000.5) / 3, np.log(3.5 / 4.5) / 3
    assert small_change < change < big_change
    assert big_change - change < 0.25 * (big_change - small_change)  # the large flow weighs about four fifths
    assert flow.pool_change([tasks.halves(_years({2023: 5}))], 2024) is None  # no change known anywhere


def test_a_flat_flow_in_a_growing_district_is_moved_on_by_the_district_change_not_its_own():
    r = _years({2020: 100, 2021: 100, 2022: 100, 2023: 100})
    own = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 3, 31), np.random.default_rng(0), 20000)
    pooled = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 3, 31), np.random.default_rng(0), 20000,
                                change=np.log(1.1))
    assert abs(own.sims[:, 0].mean() - 100) <= 3
    assert 116 <= pooled.sims[:, 0].mean() <= 126  # two years of +10 %: the three-year mean sits two behind


def test_the_district_change_is_known_without_its_own_error_so_the_forecast_is_narrower():
    r = _years({2021: 100, 2022: 100, 2023: 100})
    h = tasks.halves(r)
    assert flow.rate_prior(h, 2024, change=0.0)[1] < flow.rate_prior(h, 2024)[1]
