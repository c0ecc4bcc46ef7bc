"""Cohort, share and pace models on hand-checkable cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from helpers.forecast import cohort, flow, flow_scores, shares, tasks

# ------------------------------------------------------------------ cohort


def _register() -> pd.DataFrame:
    """10 first-time firms a year 2015-2023 (issued 1 Nov); of each expiring cohort exactly half renew."""
    rows, n = [], 0
    by_year: dict[int, list[str]] = {}
    for y in range(2015, 2024):
        ids = [f"f{n + i}" for i in range(10)]
        n += 10
        renew = by_year.get(y - 3, [])[: len(by_year.get(y - 3, [])) // 2]
        by_year[y] = ids + renew
        rows += [(f, "kfq", f"{y}-11-01") for f in ids + renew]
    df = pd.DataFrame(rows, columns=["firm_id", "town", "issue_date"])
    df["issue_date"] = pd.to_datetime(df["issue_date"])
    df["revoked"] = pd.NaT
    return df


def test_cohort_history_counts_expiring_renewed_and_other():
    h = cohort.yearly_history(_register(), 2023).set_index("year")
    # 2021: cohort 2018 = 10 new + 5 renewals from 2015; all 15 expire, 7 renew; 10 others.
    assert h.loc[2021, ["expiring", "renewed", "other", "issued"]].tolist() == [15, 7, 10, 17]


def test_cohort_forecast_mean_is_safe_stock_plus_renewals_plus_others():
    c = _register()
    cf = cohort.forecast_valid_firms(c, dt.date(2024, 8, 31), dt.date(2024, 12, 31), ["kfq"],
                                     np.random.default_rng(0), 4000)
    # safe at 2024-12-31: cohorts 2022 and 2023 (firms); expiring: cohort 2021
    hist = cohort.yearly_history(c, 2023).set_index("year")
    safe = hist.loc[2022, "issued"] + hist.loc[2023, "issued"]
    assert cf.safe_at_deadline == safe
    expiring = hist.loc[2021, "issued"]
    expected = safe + cf.renewal_rate * expiring + 10
    assert abs(cf.district()[:, -1].mean() - expected) < 1.0
    assert cf.remaining_share == 1.0  # batches are in November, after the August cut-off


def test_cohort_forecast_ignores_certificates_after_the_cut_off():
    c = _register()
    late = pd.DataFrame({"firm_id": ["x"], "town": ["kfq"], "issue_date": [pd.Timestamp("2024-11-01")],
                         "revoked": [pd.NaT]})
    a = cohort.forecast_valid_firms(c, dt.date(2024, 8, 31), dt.date(2024, 12, 31), ["kfq"], np.random.default_rng(0), 500)
    b = cohort.forecast_valid_firms(pd.concat([c, late]), dt.date(2024, 8, 31), dt.date(2024, 12, 31), ["kfq"],
                                    np.random.default_rng(0), 500)
    assert np.array_equal(a.sims, b.sims)


def _pipeline_returns(applications_2024: int, released_2024: str) -> pd.DataFrame:
    """District task rows: 40 applications and 20 recognitions a year 2021-2023 (pass rate 0.5), and the 2024
    applications in the 30 June return released on ``released_2024``."""
    rows = []
    for y in (2021, 2022, 2023):
        for task, v in (("hitech_applications", 40), ("hitech_recognitions", 20)):
            rows.append((task, "district", y, f"{y}-12-31", v, f"{y + 1}-01-15"))
    rows.append(("hitech_applications", "district", 2024, "2024-06-30", applications_2024, released_2024))
    df = pd.DataFrame(rows, columns=["task_id", "town", "year", "period_end", "value", "released"])
    df["period_end"], df["released"] = pd.to_datetime(df["period_end"]), pd.to_datetime(df["released"])
    return df.assign(revision=0)


def test_the_years_applications_known_at_the_cut_off_times_the_pass_rate_set_its_recognitions():
    c = _register()
    args = (c, dt.date(2024, 8, 31), dt.date(2024, 12, 31), ["kfq"])
    plain = cohort.forecast_valid_firms(*args, np.random.default_rng(0), 4000)
    piped = cohort.forecast_valid_firms(*args, np.random.default_rng(0), 4000,
                                        tasks=_pipeline_returns(80, "2024-07-15"))
    assert piped.pipeline is not None and piped.pipeline.applications == 80
    assert abs(piped.pipeline.pass_rate - 0.5) < 1e-9  # the GLM's pooled rate of three batches of 20 in 40
    # 80 applications × a pass rate of about 0.5 = about 40 recognitions, against about 18 a year from the register
    assert abs(piped.district()[:, -1].mean() - (piped.safe_at_deadline + 80 * piped.pipeline.pass_rate)) < 1.5
    assert plain.district()[:, -1].mean() < piped.district()[:, -1].mean() - 15
    # the pass rate's uncertainty: wider than a binomial with a known rate
    assert piped.district()[:, -1].std() > np.sqrt(80 * 0.25)


def test_applications_released_after_the_cut_off_are_not_used():
    c = _register()
    args = (c, dt.date(2024, 8, 31), dt.date(2024, 12, 31), ["kfq"])
    plain = cohort.forecast_valid_firms(*args, np.random.default_rng(0), 500)
    late = cohort.forecast_valid_firms(*args, np.random.default_rng(0), 500, tasks=_pipeline_returns(80, "2024-09-15"))
    assert late.pipeline is None
    assert np.array_equal(plain.sims, late.sims)


# ------------------------------------------------------------------ shares

NUM_SEASON = np.array([0.06, 0.06, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.09, 0.09, 0.12])
DEN_SEASON = np.array([0.07, 0.07, 0.09, 0.08, 0.09, 0.09, 0.08, 0.08, 0.09, 0.08, 0.09, 0.09])


def _industry(years, share=0.4, last_month=12, jump: dict | None = None, towns: dict | None = None) -> pd.DataFrame:
    """YTD figures for one town (kfq) and one other (sijia): fixed seasonal paths, full-year share ``share``
    (``towns``: town → (size, share) instead)."""
    rows = []
    towns = towns or {"kfq": (1000.0, share), "sijia": (500.0, share)}
    for y in years:
        months = range(2, (last_month if y == years[-1] else 12) + 1)
        for town, (size, share) in towns.items():
            den = size * 1.05 ** (y - years[0]) * DEN_SEASON.cumsum()
            num = share * size * 1.05 ** (y - years[0]) * NUM_SEASON.cumsum() / NUM_SEASON.sum() * DEN_SEASON.sum()
            if jump and town == jump["town"] and y >= jump["year"]:
                den = den + jump["size"] * np.arange(1, 13) * (y > jump["year"] or True)
            for m in months:
                rows += [(town, "hightech_output", y, m, num[m - 1]), (town, "total_output", y, m, den[m - 1])]
    return pd.DataFrame(rows, columns=["town", "indicator", "year", "month", "value"])


def test_share_with_known_seasonal_path_projects_the_full_year_not_the_ytd():
    ind = _industry(list(range(2019, 2025)), last_month=7)
    sf = shares.forecast_share(ind, "hightech_output", "total_output", dt.date(2024, 8, 31), 2024,
                               np.random.default_rng(0), 20000)
    ytd = sf.latest_share
    assert abs(ytd - 40.0) > 1.0  # the July YTD share is not the full-year share…
    assert abs(np.median(sf.sims[:, -1]) - 40.0) < 0.05  # …the seasonal profile recovers it


def test_denominator_jump_is_found_in_its_town_and_not_smoothed_over():
    ind = _industry(list(range(2019, 2025)), jump={"town": "sijia", "year": 2023, "size": 150.0})
    sf = shares.forecast_share(ind, "hightech_output", "total_output", dt.date(2024, 12, 31), 2024,
                               np.random.default_rng(0), 500)
    jumps = sf.breaks.loc[sf.breaks["kind"] == "denominator_jump"]
    assert set(jumps["town"]) == {"sijia"} and 2023 in set(jumps["year"])
    # the 2024 share is read, not smoothed: the full-year 2024 value stands
    assert np.allclose(sf.sims[:, -1], sf.latest_share)


def test_decomposition_adds_up_to_the_change_of_share():
    ind = _industry([2022, 2023], jump={"town": "sijia", "year": 2023, "size": 100.0})
    d = shares.decompose(ind, "hightech_output", "total_output", 2023, 2022, 12)
    w = ind[ind.month == 12].pivot_table(index="year", columns="indicator", values="value", aggfunc="sum")
    s = 100 * w["hightech_output"] / w["total_output"]
    assert abs(d["total_pp"].sum() - (s[2023] - s[2022])) < 1e-9
    assert d.set_index("town").loc["sijia", "denominator_pp"] < d.set_index("town").loc["kfq", "denominator_pp"]


def test_each_towns_full_year_share_is_simulated_from_its_own_seasonal_path():
    ind = _industry(list(range(2019, 2025)), last_month=7, towns={"kfq": (1000.0, 0.45), "sijia": (500.0, 0.35)})
    sf = shares.forecast_share(ind, "hightech_output", "total_output", dt.date(2024, 8, 31), 2024,
                               np.random.default_rng(0), 500)
    assert set(sf.town_sims) == {"kfq", "sijia"}
    assert abs(np.median(sf.town_sims["kfq"]) - 45.0) < 0.05
    assert abs(np.median(sf.town_sims["sijia"]) - 35.0) < 0.05
    assert sf.town_sims["kfq"].std() > 0  # a range, not a point


def test_a_towns_simulation_does_not_depend_on_the_other_towns_nor_move_the_districts(monkeypatch):
    # a town's own random stream: other towns change its numbers only through the course the towns share (the
    # district's change, the pooled spread, the district's breaks: revision 4, tests/test_forecast_town_shares.py),
    # which is data, not draws; with that course switched off, a town's numbers are its own
    monkeypatch.setattr(shares, "TOWN_DRIFT", "own")
    monkeypatch.setattr(shares, "TOWN_SPREAD", "own")
    monkeypatch.setattr(shares, "TOWN_BREAK_RISK", False)
    two = {"kfq": (1000.0, 0.45), "sijia": (500.0, 0.35)}
    three = {**two, "haiyong": (200.0, 0.3)}

    def run(towns):
        ind = _industry(list(range(2019, 2025)), last_month=7, towns=towns)
        return shares.forecast_share(ind, "hightech_output", "total_output", dt.date(2024, 8, 31), 2026,
                                     np.random.default_rng(5), 400)

    a, b = run(two), run(three)
    assert np.array_equal(a.town_sims["kfq"], b.town_sims["kfq"])
    # the district's paths are drawn first: the same as the district simulated alone from the same stream
    ind = _industry(list(range(2019, 2025)), last_month=7, towns=two)
    n = shares.district_ytd(ind, "hightech_output")
    d = shares.district_ytd(ind, "total_output")
    both = pd.concat({"n": n, "d": d}, axis=1)
    share = 100 * both["n"] / both["d"]
    alone, *_ = shares.simulate_years(share, share.xs(12, level="month"), both, a.breaks, 2026,
                                      np.random.default_rng(5), 400)
    # (the deadline year then carries the chance of a break the data do not show: share_risk)
    assert np.array_equal(alone[:, :-1], a.sims[:, :-1])


# ------------------------------------------------------------------ tasks


def _task_rows(h1_share: float, fy: dict[int, float], h1_now: float | None) -> pd.DataFrame:
    rows = []
    for y, v in fy.items():
        rows += [(y, pd.Timestamp(y, 6, 30), round(v * h1_share)), (y, pd.Timestamp(y, 12, 31), v)]
    if h1_now is not None:
        rows.append((2024, pd.Timestamp(2024, 6, 30), h1_now))
    return pd.DataFrame(rows, columns=["year", "period_end", "value"])


def test_pace_comes_from_the_completion_curve_of_earlier_years():
    r = _task_rows(0.25, {2021: 100, 2022: 100, 2023: 100}, 25)
    share, years = tasks.completion_share(tasks.halves(r), 2024)
    assert share == 0.25 and years == (2021, 2022, 2023)


def test_pace_falls_back_to_linear_and_says_so():
    r = pd.DataFrame({"year": [2024], "period_end": [pd.Timestamp(2024, 6, 30)], "value": [10.0]})
    share, years = tasks.completion_share(tasks.halves(r), 2024)
    assert share == 0.5 and years == ()


def test_flow_on_its_usual_pace_is_forecast_at_its_usual_year():
    r = _task_rows(0.25, {2021: 100, 2022: 100, 2023: 100}, 25)
    yf = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 8, 31), np.random.default_rng(0), 20000)
    assert abs(np.median(yf.sims[:, 0]) - 100) <= 2
    assert (yf.sims[:, 0] >= 25).all()  # what is done stays done


def test_flow_behind_its_pace_has_a_lower_probability():
    r_ok = _task_rows(0.25, {2021: 100, 2022: 100, 2023: 100}, 25)
    r_late = _task_rows(0.25, {2021: 100, 2022: 100, 2023: 100}, 15)
    p = [(flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 8, 31), np.random.default_rng(0), 4000).sims[:, 0] >= 100).mean()
         for r in (r_ok, r_late)]
    assert p[1] < p[0]


def test_a_growing_flow_is_forecast_above_its_three_year_mean():
    r = _task_rows(0.25, {2020: 80, 2021: 90, 2022: 100, 2023: 110}, None)
    yf = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 3, 31), np.random.default_rng(0), 4000)
    assert np.median(yf.sims[:, 0]) > 105  # the mean of 2021-2023 is 100; the flow grows about 10 a year


def test_an_uncertain_pace_widens_the_forecast_of_a_slow_first_half():
    r = _task_rows(0.25, {2021: 100, 2022: 100, 2023: 100}, 15)
    h = tasks.halves(r)
    assert tasks.pace_spread(h, 2024) == tasks.MIN_PACE_SD  # three identical curves: the floor
    yf = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 8, 31), np.random.default_rng(0), 4000)
    lo, hi = np.quantile(yf.sims[:, 0], [0.1, 0.9])
    assert (yf.sims[:, 0] >= 100).mean() > 0.1  # a year-end push may still reach the usual year
    assert hi - lo > 30


def test_the_pace_source_is_stated_in_both_languages():
    r = _task_rows(0.25, {2021: 100, 2022: 100, 2023: 100}, 25)
    yf = flow.forecast_flow(r, 2024, 2024, pd.Timestamp(2024, 8, 31), np.random.default_rng(0), 100)
    src = flow_scores.pace_source(yf)
    assert yf.pace_state == "curve" and yf.pace_years == (2021, 2022, 2023)
    assert src.en == "pace from the completion curves of 2021, 2022, 2023" and src.zh == "按2021、2022、2023年同期完成情况"


# ------------------------------------------------------------------ the one as-of path


def test_task_returns_see_only_what_was_released_by_the_cut_off_at_its_latest_revision():
    rows = pd.DataFrame({
        "task_id": ["x"] * 3, "town": ["district"] * 3, "year": [2024] * 3,
        "period_end": pd.to_datetime(["2024-06-30"] * 3), "value": [10.0, 12.0, 99.0], "revision": [0, 1, 2],
        "released": pd.to_datetime(["2024-07-15", "2024-08-01", "2024-09-10"]),
    })
    r = tasks.returns(rows, "x", pd.Timestamp("2024-08-31"))
    assert r["value"].tolist() == [12.0]
