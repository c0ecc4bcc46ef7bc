"""The towns' full-year share forecasts (revision 4 of the free-world benchmark, bench/worlds.md): a town's
usual change and spread come from what the share's towns have in common, known at the cut-off."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from helpers.forecast import priors, shares

NUM_SEASON = np.array([0.06, 0.06, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.09, 0.09, 0.12])
DEN_SEASON = np.array([0.07, 0.07, 0.09, 0.08, 0.09, 0.09, 0.08, 0.08, 0.09, 0.08, 0.09, 0.09])


def _industry(paths: dict[str, tuple[float, dict[int, float]]], released: bool = False) -> pd.DataFrame:
    """YTD figures of towns (town → (size, {year: full-year share})) on fixed seasonal paths; each month's return
    released 21 days after its month (``released``)."""
    rows = []
    for town, (size, path) in paths.items():
        for y, share in path.items():
            den = size * 1.05 ** (y - 2019) * DEN_SEASON.cumsum()
            num = share * size * 1.05 ** (y - 2019) * NUM_SEASON.cumsum() / NUM_SEASON.sum() * DEN_SEASON.sum()
            for m in range(2, 13):
                day = (pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0) + pd.Timedelta(days=21)).date()
                rows += [(town, "hightech_output", y, m, num[m - 1], day), (town, "total_output", y, m, den[m - 1], day)]
    out = pd.DataFrame(rows, columns=["town", "indicator", "year", "month", "value", "released"])
    return out if released else out.drop(columns="released")


def _forecast(ind: pd.DataFrame, cut: dt.date, seed: int = 0) -> shares.ShareForecast:
    return shares.forecast_share(ind, "hightech_output", "total_output", cut, 2024, np.random.default_rng(seed), 4000)


YEARS = range(2019, 2024)
RISING = {y: 0.40 + 0.01 * (y - 2019) for y in YEARS}  # one point a year
FLAT = dict.fromkeys(YEARS, 0.30)


def test_a_towns_usual_change_is_the_districts_relative_change_at_the_towns_level(monkeypatch):
    ind = _industry({"kfq": (1000.0, RISING), "sijia": (500.0, FLAT)})
    monkeypatch.setattr(shares, "TOWN_BREAK_RISK", False)
    monkeypatch.setattr(shares, "TOWN_DRIFT", "district")
    sf = _forecast(ind, dt.date(2024, 1, 31))
    full = sf.history.set_index(sf.history["date"].dt.year)["value"]
    rel = float(np.median((full.diff() / full.shift()).dropna()))
    # a flat town in a district whose share rises moves with the district, in proportion to its level
    assert abs(np.median(sf.town_sims["sijia"]) - 30.0 * (1 + rel)) < 0.1
    assert np.median(sf.town_sims["sijia"]) > 30.3
    monkeypatch.setattr(shares, "TOWN_DRIFT", "own")
    alone = _forecast(ind, dt.date(2024, 1, 31))
    assert abs(np.median(alone.town_sims["sijia"]) - 30.0) < 0.15  # on its own it would stay flat


def test_a_towns_spread_is_pooled_over_the_shares_towns_relative_to_their_levels(monkeypatch):
    steady = {y: 0.40 + 0.01 * (y - 2019) for y in YEARS}
    jumpy = {2019: 0.30, 2020: 0.33, 2021: 0.29, 2022: 0.34, 2023: 0.30}
    ind = _industry({"kfq": (1000.0, steady), "sijia": (500.0, jumpy), "haiyong": (300.0, steady)})
    monkeypatch.setattr(shares, "TOWN_SPREAD", "pooled")
    monkeypatch.setattr(shares, "TOWN_SD_FLOOR", 0.0)
    monkeypatch.setattr(shares, "TOWN_BREAK_RISK", False)
    sf = _forecast(ind, dt.date(2024, 1, 31))

    def width(x: np.ndarray) -> float:
        lo, hi = np.quantile(x, (0.1, 0.9))
        return (hi - lo) / np.median(x)

    # one relative spread for every town: the steady town gets some of the jumpy one's, the jumpy one less
    assert abs(width(sf.town_sims["kfq"]) - width(sf.town_sims["sijia"])) < 0.02
    monkeypatch.setattr(shares, "TOWN_SPREAD", "own")
    alone = _forecast(ind, dt.date(2024, 1, 31))
    assert width(alone.town_sims["sijia"]) > 1.5 * width(sf.town_sims["sijia"])


def test_the_towns_common_course_uses_only_figures_released_by_the_cut_off():
    later = {2024: 0.60}  # a 2024 the forecast made in January 2024 cannot know
    ind = _industry({"kfq": (1000.0, {**RISING, **later}), "sijia": (500.0, {**FLAT, **later})}, released=True)
    known = ind.loc[pd.to_datetime(ind["released"]) <= pd.Timestamp(2024, 1, 31)]
    a, b = _forecast(ind, dt.date(2024, 1, 31)), _forecast(known, dt.date(2024, 1, 31))
    assert set(a.town_sims) == {"kfq", "sijia"}
    for town in a.town_sims:
        assert np.array_equal(a.town_sims[town], b.town_sims[town])


def test_a_towns_range_allows_for_a_break_after_the_data_in_proportion_to_its_size(monkeypatch):
    course = shares.TownCourse(drift_rel=0.0, drift_years=4, sd_rel=0.02, df=20, break_rate=1 / 24, jumps=(-0.4,))
    x = np.full(20000, 50.0)
    big = shares.with_break_risk(x, course, 0.5, 12, np.random.default_rng(1))
    small = shares.with_break_risk(x, course, 0.05, 12, np.random.default_rng(1))
    # a break hits a town with half the district's output about 1 - exp(-12 × 0.5 / 24) ≈ 22 % of the time
    assert abs(np.mean(big < 50.0) - (1 - np.exp(-0.25))) < 0.02
    assert np.mean(small < 50.0) < 0.04
    assert big.min() >= 50.0 * np.exp(-0.4) - 1e-9 and big.max() == 50.0  # no more than the break found


def test_the_shipped_towns_model_shrinks_to_the_district_course_with_a_pooled_spread_and_a_break_risk():
    assert (shares.TOWN_DRIFT, shares.TOWN_SPREAD, shares.TOWN_BREAK_RISK) == ("shrink", "pooled", True)
    assert priors.PRIORS.change_sd > shares.TOWN_SD_FLOOR  # the district's own prior is not the towns' floor


def test_a_towns_usual_change_is_its_own_shrunk_towards_the_districts_by_their_years(monkeypatch):
    ind = _industry({"kfq": (1000.0, RISING), "sijia": (500.0, FLAT)})
    monkeypatch.setattr(shares, "TOWN_BREAK_RISK", False)
    sf = _forecast(ind, dt.date(2024, 1, 31))
    full = sf.history.set_index(sf.history["date"].dt.year)["value"]
    rel = float(np.median((full.diff() / full.shift()).dropna()))
    own_years, k = 4, shares.TOWN_SHRINK_YEARS  # sijia's four flat changes (0) and the district's weight
    assert abs(np.median(sf.town_sims["sijia"]) - (30.0 + k / (own_years + k) * 30.0 * rel)) < 0.1
    assert 30.1 < np.median(sf.town_sims["sijia"]) < 30.0 * (1 + rel) - 0.1


def test_a_break_found_in_the_districts_history_widens_the_lower_tail_of_a_big_town_more_than_a_small_ones(
        monkeypatch):
    paths = {"kfq": (2000.0, RISING), "sijia": (500.0, RISING), "haiyong": (200.0, FLAT)}
    ind = _industry(paths)
    jump = (ind["town"] == "haiyong") & (ind["indicator"] == "total_output") & (ind["year"] >= 2021)
    ind.loc[jump, "value"] += 150.0 * np.where(ind.loc[jump, "year"] == 2021, ind.loc[jump, "month"], 12)
    sf = _forecast(ind, dt.date(2024, 1, 31))
    assert "haiyong" in set(sf.breaks["town"])  # the plant entering haiyong's total is found
    monkeypatch.setattr(shares, "TOWN_BREAK_RISK", False)
    calm = _forecast(ind, dt.date(2024, 1, 31))

    def drop(town: str) -> float:  # how far the 5th percentile falls, relative to the median
        lo = lambda x: np.quantile(x, 0.05) / np.median(x)  # noqa: E731
        return lo(calm.town_sims[town]) - lo(sf.town_sims[town])

    assert drop("kfq") > 0.02
    assert drop("kfq") > drop("sijia") > 0
