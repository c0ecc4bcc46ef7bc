"""The flow model's local level (revision 4 of the free-world benchmark, bench/worlds.md, task flows' part).

On the tuning worlds the three-year mean, moved on by two years of the district's change, treated a flow of
hundreds like one of three: its range was twice as wide as its errors (80 % ranges covered 93 %) and it lagged
a large flow's last count. The local level (a Kalman filter of the log counts) follows the last count of a large
flow, averages the noisy counts of a small one, and is moved on from the last known year.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from helpers.calendar import meetings
from helpers.forecast import flow, tasks
from helpers.forecast.registry import attain, stream
from helpers.forecast.scoring import Context
from helpers.targets import load_plan


@pytest.fixture
def level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flow, "LEVEL", "filter")


def _years(fy: dict[int, float], h1_share: float = 0.4) -> pd.DataFrame:
    rows = []
    for y, v in fy.items():
        rows += [(y, pd.Timestamp(y, 6, 30), round(v * h1_share)), (y, pd.Timestamp(y, 12, 31), v)]
    return pd.DataFrame(rows, columns=["year", "period_end", "value"])


def _median(fy: dict[int, float], change: float = 0.0) -> float:
    yf = flow.forecast_flow(_years(fy), 2024, 2024, pd.Timestamp(2024, 3, 31), np.random.default_rng(0), 20000,
                            change=change)
    return float(np.median(yf.sims[:, 0]))


def test_a_large_flow_is_forecast_from_its_last_count_more_than_from_its_three_year_mean(level):
    m = _median({2020: 400, 2021: 400, 2022: 400, 2023: 600})
    assert m > 560  # the three-year mean is 467; a count of 600 is precise to 4 %, so it carries the level


def test_a_small_flow_is_forecast_from_the_average_of_its_noisy_counts(level):
    m = _median({2020: 2, 2021: 6, 2022: 2, 2023: 6})
    assert 3 <= m <= 5  # a last count of 6 in a flow of a few units is mostly noise


def test_the_level_is_moved_on_from_the_last_known_year_by_the_change(level):
    m = _median({2020: 1000, 2021: 1000, 2022: 1000, 2023: 1000}, change=np.log(1.1))
    assert 1060 <= m <= 1140  # one year of +10 % from 2023 (the three-year mean would be moved on by two)


def test_a_large_flows_range_is_narrower_than_the_three_year_means(level, monkeypatch):
    def width() -> float:
        yf = flow.forecast_flow(_years({2021: 400, 2022: 420, 2023: 440}), 2024, 2024, pd.Timestamp(2024, 3, 31),
                                np.random.default_rng(0), 20000, change=0.05)
        lo, hi = np.quantile(yf.sims[:, 0], (0.1, 0.9))
        return float(hi - lo)

    filtered = width()
    monkeypatch.setattr(flow, "LEVEL", "mean3")
    assert filtered < 0.8 * width()


def test_the_level_still_keeps_a_small_rate_for_a_series_of_zeros(level):
    yf = flow.forecast_flow(_years({2021: 0, 2022: 0, 2023: 0}), 2024, 2024, pd.Timestamp(2024, 3, 31),
                            np.random.default_rng(0), 20000, change=0.0)
    assert 0.05 < float((yf.sims[:, 0] >= 1).mean()) < 0.6


def test_local_level_uses_only_the_counts_it_is_given():
    counts = pd.Series([100.0, 110.0, 121.0], index=[2021, 2022, 2023])
    level, var, last = flow.local_level(counts, np.log(1.1), 0.02)
    assert last == 2023 and 115 < np.exp(level) < 127 and 0 < var < 0.02


def test_the_flow_forecast_ignores_returns_released_after_the_cut_off(level, sample_processed):
    plan = load_plan()
    meeting = next(m for m in meetings(plan) if m.id == "2024-03")
    cut = pd.Timestamp(meeting.cut_off)
    t = sample_processed.tasks.copy()
    late = t["released"] > cut
    assert late.any()
    t.loc[late, "value"] = 9.9e6  # later returns poisoned: nothing of them may reach the forecast
    poisoned = sample_processed.replace(tasks=t)
    flows = [x for x in plan.scored if x.measure in flow.FLOW_MEASURES]
    for x in flows:
        a = attain(x, sample_processed.replace(), plan, meeting, stream(0, x))
        b = attain(x, poisoned, plan, meeting, stream(0, x))
        assert (a.p_reach, a.forecast_point, a.forecast_hi80) == (b.p_reach, b.forecast_point, b.forecast_hi80)
    assert meeting.cut_off < dt.date(2024, 12, 31)


def test_the_district_change_with_series_of_their_own_course_lets_a_precise_flat_flow_keep_its_own():
    big_flat = tasks.halves(_years({2020: 1000, 2021: 1000, 2022: 1000, 2023: 1000}))
    growing = [tasks.halves(_years({2020: 100, 2021: 125, 2022: 156, 2023: 195})) for _ in range(3)]
    d = flow.pool_change_between([big_flat, *growing], 2024)
    assert d is not None and d.between_var > 0  # the series do not share one course
    own = flow._recent(big_flat, 2024)
    assert own is not None
    change, _ = flow.series_change(own, d)
    assert abs(change) < 0.5 * d.mean  # the flat flow of a thousand a year keeps most of its own (zero) course


def _two_years(monkeypatch: pytest.MonkeyPatch, cum_path: bool, change: float) -> np.ndarray:
    monkeypatch.setattr(flow, "CUM_PATH", cum_path)
    r = _years({2020: 50, 2021: 50, 2022: 50})
    return flow.forecast_flow(r, 2023, 2024, pd.Timestamp(2023, 3, 31), np.random.default_rng(0), 20000,
                              change=change).sims


def test_later_years_of_a_cumulative_target_are_moved_on_by_the_change(level, monkeypatch):
    sims = _two_years(monkeypatch, True, np.log(1.1))
    assert 1.06 < np.median(sims[:, 1]) / np.median(sims[:, 0]) < 1.14  # 2024 a year of +10 % after 2023


def test_later_years_share_the_first_years_rate_error_so_the_sum_is_wider(level, monkeypatch):
    shared = _two_years(monkeypatch, True, 0.0)
    fresh = _two_years(monkeypatch, False, 0.0)
    assert np.corrcoef(shared[:, 0], shared[:, 1])[0, 1] > 0.1
    assert shared.sum(axis=1).std() > 1.05 * fresh.sum(axis=1).std()


def test_flows_with_town_quotas_pool_their_change_apart_from_the_other_flows(sample_processed, monkeypatch):
    monkeypatch.setattr(flow, "POOL_BY_QUOTA", True)
    plan = load_plan()
    meeting = next(m for m in meetings(plan) if m.id == "2024-03")
    flows = [x for x in plan.scored if x.measure in flow.FLOW_MEASURES]
    quota = next(x for x in flows if x.town_quota)
    other = next(x for x in flows if not x.town_quota)
    ctx = Context(sample_processed.replace(), plan, meeting, dt.date(2024, 12, 31), stream(0, quota), 100)

    def pooled(ts) -> float:
        hs = [tasks.halves(tasks.target_series(ctx.data.tasks, x.series[0], ctx.cut, x.unit)) for x in ts]
        change = flow.pool_change(hs, 2024)
        assert change is not None
        return change

    with_quota = flow.district_change(ctx, 2024, quota)
    without = flow.district_change(ctx, 2024, other)
    assert with_quota is not None and without is not None
    assert with_quota.mean == pytest.approx(pooled([x for x in flows if x.town_quota]))
    assert without.mean == pytest.approx(pooled([x for x in flows if not x.town_quota]))
    assert with_quota.mean != pytest.approx(without.mean)
