"""attain_all on the processed sample: one result per scored target, seeded by what targets measure, no look-ahead,
final review settled; the plan is data (renaming, reordering, changing or dropping targets does only that)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.targets import load_plan
from helpers.vintage import as_of

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "plan" / "haimen-2022-2024.yaml"
NUMBERS = ("latest_value", "forecast_point", "forecast_lo80", "forecast_hi80", "forecast_lo95", "forecast_hi95",
           "p_reach", "status", "growth_ratio")
N = 200


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN)


@pytest.fixture(scope="module")
def at_2024_09(sample_processed, plan):
    m = meeting(plan, "2024-09")
    return as_of(sample_processed, m.cut_off), m


@pytest.fixture(scope="module")
def results(at_2024_09, plan):
    data, m = at_2024_09
    return attain_all(data, plan, m, n_sims=N)


def one(results, measure: str, **where):
    found = [a for a in results if a.measure == measure
             and all(getattr(a, k) == v for k, v in where.items())]
    assert len(found) == 1, (measure, where, [a.id for a in found])
    return found[0]


def _variant(tmp_path: Path, mutate) -> Path:
    doc = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    mutate(doc)
    shutil.copy(PLAN.parent / "region-haimen.yaml", tmp_path / "region-haimen.yaml")
    out = tmp_path / "variant.yaml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _numbers(a) -> tuple:
    return tuple(getattr(a, k) for k in NUMBERS)


# ---------------------------------------------------------------------------------------------- one per target

def test_one_attainment_per_scored_target_in_plan_order_with_its_measure(results, plan):
    assert [a.id for a in results] == [t.id for t in plan.scored]
    assert [a.measure for a in results] == [t.measure for t in plan.scored]
    for a in results:
        assert a.status != "no_data", a.id
        if a.settled:  # judged on its outcome (a milestone already formed): no forecast, range or probability
            assert (a.forecast_point, a.forecast_lo80, a.p_reach) == (None, None, None), a.id
            continue
        assert a.forecast_lo95 <= a.forecast_lo80 <= a.forecast_point <= a.forecast_hi80 <= a.forecast_hi95, a.id
        assert set(a.path.columns) == {"date", "point", "lo80", "hi80", "lo95", "hi95"}


def test_same_seed_same_numbers(sample_processed, plan):
    m = meeting(plan, "2024-03")
    d = as_of(sample_processed, m.cut_off)
    a = [x.summary() for x in attain_all(d, plan, m, seed=3, n_sims=N)]
    b = [x.summary() for x in attain_all(d, plan, m, seed=3, n_sims=N)]
    assert a == b


def test_no_look_ahead_beyond_the_cut_off(sample_processed, results, plan):
    m = meeting(plan, "2024-09")
    b = attain_all(sample_processed, plan, m, n_sims=N)  # unfiltered: the models must still stop at the cut-off
    assert [x.summary() for x in results] == [x.summary() for x in b]


def test_final_review_settles_every_target(sample_processed, plan):
    m = meeting(plan, "2025-03")
    res = attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N)
    assert {a.status for a in res} <= {"achieved", "missed"}


# ---------------------------------------------------------------------------------------------- the plan is data

def test_renaming_every_id_changes_no_forecast_number(at_2024_09, results, tmp_path):
    def rename(doc):
        for k, t in enumerate(doc["targets"]):
            t["id"] = f"renamed-{k}-{t['id'][::-1]}"
            t["name_en"] = f"Target {k}"
            t.pop("short_en", None)  # a short name longer than the full name would be refused

    data, m = at_2024_09
    renamed = attain_all(data, load_plan(_variant(tmp_path, rename)), m, n_sims=N)
    assert [a.id for a in renamed] != [a.id for a in results]
    assert [_numbers(a) for a in renamed] == [_numbers(a) for a in results]


def test_reordering_targets_changes_no_forecast_number(at_2024_09, results, tmp_path):
    data, m = at_2024_09
    reordered = attain_all(data, load_plan(_variant(tmp_path, lambda doc: doc["targets"].reverse())), m, n_sims=N)
    assert {a.id: _numbers(a) for a in reordered} == {a.id: _numbers(a) for a in results}


def test_changing_a_value_changes_only_that_targets_probability_and_status(at_2024_09, results, tmp_path):
    def lower(doc):
        next(t for t in doc["targets"] if t.get("series") == "tech_sme")["value"] = 300

    data, m = at_2024_09
    changed = {a.id: a for a in attain_all(data, load_plan(_variant(tmp_path, lower)), m, n_sims=N)}
    for a in results:
        b = changed[a.id]
        if a.measure == "task_flow" and a.target == 400:
            assert b.target == 300 and b.p_reach > a.p_reach
            assert (b.forecast_point, b.forecast_lo80, b.forecast_hi80) == (a.forecast_point, a.forecast_lo80,
                                                                          a.forecast_hi80)
        else:
            assert _numbers(b) == _numbers(a), a.id


def test_dropping_a_target_removes_it_and_changes_no_other(at_2024_09, results, tmp_path):
    def drop(doc):
        doc["targets"] = [t for t in doc["targets"] if t.get("series") != "projects"]

    data, m = at_2024_09
    rest = attain_all(data, load_plan(_variant(tmp_path, drop)), m, n_sims=N)
    dropped = next(a for a in results
                   if a.by_town is not None and a.measure == "task_flow" and a.by_town["target"].sum() == 130)
    assert dropped.id not in {a.id for a in rest} and len(rest) == len(results) - 1
    assert [_numbers(a) for a in rest] == [_numbers(a) for a in results if a.id != dropped.id]


# ---------------------------------------------------------------------------------------------- what each target says

def test_valid_firms_carries_the_cohort_table_and_what_it_takes(results):
    a = one(results, "register_valid_stock")
    assert {"expiring", "renewed", "other"} <= set(a.details["cohorts"].columns)
    assert "剩余批次" in a.what_it_takes_zh and "remaining" in a.what_it_takes_en
    assert a.by_town["latest_value"].sum() == a.latest_value


def test_shares_keep_the_decomposition_and_breaks_tables(results):
    for a in (x for x in results if x.measure == "ytd_ratio"):
        assert {"decomposition", "breaks", "profile"} <= set(a.details)


def test_final_review_reports_the_known_full_year_share_itself(sample_processed, plan):
    m = meeting(plan, "2025-03")
    res = attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N)
    for a in (x for x in res if x.measure == "ytd_ratio"):
        assert a.latest_date.isoformat() == "2024-12-31" and a.status in ("achieved", "missed")
        # the outcome is known: it is stated as the latest value, with no forecast, range or probability (issue 19)
        assert a.latest_value is not None
        assert (a.forecast_point, a.forecast_lo95, a.forecast_hi95, a.p_reach) == (None, None, None, None)


def test_final_review_states_the_final_figure_and_the_shortfall(sample_processed, plan):
    from helpers.register import valid_firms

    m = meeting(plan, "2025-03")
    firms = one(attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N), "register_valid_stock")
    final = valid_firms(sample_processed.certificates, "2024-12-31")
    assert firms.latest_value == final
    if final < 400:
        assert firms.status == "missed"
        assert f"实际{final:.0f}家，未达到目标400家，差{400 - final:.0f}家" in firms.what_it_takes_zh
        assert f"missed by {400 - final:.0f} firms" in firms.what_it_takes_en
    else:
        assert firms.status == "achieved" and "达到目标400家" in firms.what_it_takes_zh


def test_pan_tech_growth_probability_and_range_are_about_the_slowest_towns_compound_growth(results):
    a = one(results, "town_growth")
    towns = a.by_town.set_index("town")
    assert len(towns) == 11
    # the quantity is the slowest unit's growth: its median is at most every unit's median, and the probability
    # that every unit makes it is at most any one unit's
    assert a.forecast_point <= towns["forecast"].min() + 1e-9
    assert a.p_reach <= towns["p_reach"].min() + 1e-9
    assert a.latest_value == pytest.approx(towns["latest_value"].min())
    assert (a.forecast_lo80 < a.target) == (a.p_reach < 0.9)


def test_pan_tech_growth_records_both_readings_and_uses_the_literal_one(results):
    readings = one(results, "town_growth").details["readings"].set_index("reading")
    assert bool(readings.loc["compound_average", "used"]) and not bool(readings.loc["every_year", "used"])
    assert readings.loc["every_year", "p_reach"] <= readings.loc["compound_average", "p_reach"] + 0.05
    assert "every unit, every year" in one(results, "town_growth").method


def test_each_kind_of_growth_firm_and_the_yearly_minimum_are_scored_on_their_own(results, plan):
    parent = next(t for t in plan.targets if t.components)
    parts = [a for a in results if a.parent == parent.id]
    assert sorted(a.target for a in parts) == [2, 10, 12, 40]
    assert {a.measure for a in parts} == {"task_cumulative", "task_flow"}
    assert len({a.status for a in parts}) > 1  # a shortfall of one kind is not hidden by another


def test_growth_firm_kinds_settle_separately_at_the_final_review(sample_processed, plan):
    m = meeting(plan, "2025-03")
    parent = next(t for t in plan.targets if t.components)
    parts = {a.target: a for a in attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N)
             if a.parent == parent.id}
    assert parts[40].status == "missed" and parts[40].latest_value == 39  # eaglets: 13 + 14 + 12
    assert parts[10].status == parts[2].status == parts[12].status == "achieved"


def test_the_incubation_chain_is_formed_only_when_its_third_link_arrives(sample_processed, results, plan):
    chain = next(t.id for t in plan.scored if t.series == ("incubation_chain_links",))
    before = one(results, "milestone", id=chain)
    assert before.latest_value == 0 and 0 < before.p_reach < 0.5
    m = meeting(plan, "2025-03")
    after = one(attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N), "milestone", id=chain)
    assert after.status == "achieved" and after.latest_value == 1


def test_the_five_level_pool_is_formed_once_its_fifth_level_is_in_place(results, plan):
    pool = next(t.id for t in plan.scored if t.series == ("cultivation_tiers",))
    a = one(results, "milestone", id=pool)  # 2024-09: five levels since 2023 H2
    assert a.latest_value == 1 and a.status == "achieved"


def test_patent_coverage_targets_are_scored_from_their_returns(results):
    cov = {a.latest_value: a for a in results if a.measure == "coverage"}
    assert 40.8 in cov and 57.0 in cov  # applications and grants at 2024-06-30 (sample)
    assert cov[57.0].deadline.isoformat() == "2024-12-31" and cov[57.0].status == "off_track"


def test_specialised_carriers_are_scored_on_their_own(results):
    specialised = [a for a in results if a.measure == "task_flow" and a.target == 1]
    assert len(specialised) == 1 and specialised[0].p_reach is not None


# ---------------------------------------------------------------------------------------------- towns' shares

def test_town_shares_carry_a_range_and_the_probability_of_the_district_target(sample_processed, plan):
    from helpers.forecast.attainment import status_from

    m = meeting(plan, "2024-03")
    for a in [x for x in attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N) if x.measure == "ytd_ratio"]:
        towns = a.by_town
        assert len(towns) == 11 and towns[["forecast", "lo80", "hi80", "p_reach"]].notna().all().all()
        assert (towns["lo80"] <= towns["forecast"]).all() and (towns["forecast"] <= towns["hi80"]).all()
        assert (towns["hi80"] > towns["lo80"]).all()
        assert (towns.loc[towns["lo80"] >= a.target, "p_reach"] >= 0.9).all()
        assert (towns.loc[towns["hi80"] < a.target, "p_reach"] <= 0.1).all()
        assert 0 < (towns["p_reach"] >= 0.5).sum() < 11  # some towns above the district target, some below
        assert list(towns["status"]) == [status_from(p, False, None) for p in towns["p_reach"]]
        assert "no town share target" in a.method


def test_town_shares_are_settled_by_the_final_figure_at_the_final_review(sample_processed, plan):
    m = meeting(plan, "2025-03")
    for a in [x for x in attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=N) if x.measure == "ytd_ratio"]:
        towns = a.by_town
        expected = ["achieved" if v >= a.target else "missed" for v in towns["latest_value"]]
        assert list(towns["status"]) == expected
