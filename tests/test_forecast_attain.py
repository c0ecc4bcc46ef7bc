"""attain_all on the processed sample: one result per target, seeded, no look-ahead, final review settled."""

from __future__ import annotations

import pytest

from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.targets import load_plan


@pytest.fixture(scope="module")
def world(sample_processed):
    from helpers.vintage import as_of

    return sample_processed, load_plan(), as_of


def test_one_attainment_per_target_in_plan_order(world):
    data, plan, as_of = world
    m = meeting(plan, "2024-09")
    res = attain_all(as_of(data, m.cut_off), plan, m, n_sims=300)
    assert [a.id for a in res] == [t.id for t in plan.targets]
    for a in res:
        assert a.status != "no_data", a.id
        assert a.forecast_lo95 <= a.forecast_lo80 <= a.forecast_point <= a.forecast_hi80 <= a.forecast_hi95, a.id
        assert set(a.path.columns) == {"date", "point", "lo80", "hi80", "lo95", "hi95"}


def test_same_seed_same_numbers(world):
    data, plan, as_of = world
    m = meeting(plan, "2024-03")
    d = as_of(data, m.cut_off)
    a = [x.summary() for x in attain_all(d, plan, m, seed=3, n_sims=300)]
    b = [x.summary() for x in attain_all(d, plan, m, seed=3, n_sims=300)]
    assert a == b


def test_no_look_ahead_beyond_the_cut_off(world):
    data, plan, as_of = world
    m = meeting(plan, "2024-09")
    a = attain_all(as_of(data, m.cut_off), plan, m, n_sims=300)
    b = attain_all(data, plan, m, n_sims=300)  # unfiltered: the models must still stop at the cut-off
    assert [x.summary() for x in a] == [x.summary() for x in b]


def test_final_review_settles_every_target(world):
    data, plan, as_of = world
    m = meeting(plan, "2025-03")
    res = attain_all(as_of(data, m.cut_off), plan, m, n_sims=200)
    assert {a.status for a in res} <= {"achieved", "missed"}


def test_valid_firms_carries_the_cohort_table_and_what_it_takes(world):
    data, plan, as_of = world
    m = meeting(plan, "2024-09")
    a = attain_all(as_of(data, m.cut_off), plan, m, n_sims=300)[0]
    assert {"expiring", "renewed", "other"} <= set(a.details["cohorts"].columns)
    assert "剩余批次" in a.what_it_takes_zh and "remaining" in a.what_it_takes_en
    assert a.by_town["latest_value"].sum() == a.latest_value


def test_final_review_reports_the_known_full_year_share_itself(world):
    data, plan, as_of = world
    m = meeting(plan, "2025-03")
    a = attain_all(as_of(data, m.cut_off), plan, m, n_sims=200)[1]
    assert a.latest_date.isoformat() == "2024-12-31"
    assert a.forecast_point == a.latest_value == a.forecast_lo95 == a.forecast_hi95


def test_final_review_states_the_final_figure_and_the_shortfall(world):
    from helpers.register import valid_firms

    data, plan, as_of = world
    m = meeting(plan, "2025-03")
    firms = attain_all(as_of(data, m.cut_off), plan, m, n_sims=300)[0]
    final = valid_firms(data.certificates, "2024-12-31")
    assert firms.latest_value == final
    if final < 400:
        assert firms.status == "missed"
        assert f"实际{final:.0f}家,未达到目标400家,差{400 - final:.0f}家" in firms.what_it_takes_zh
        assert f"missed by {400 - final:.0f} firms" in firms.what_it_takes_en
    else:
        assert firms.status == "achieved" and "达到目标400家" in firms.what_it_takes_zh
