"""A second plan: a fictional district with other units, quotas, renamed targets and a subset of the measures,
with its own small returns (tests/fixtures/plans/dongbin, written by its make_returns.py). The suite runs for it
without code changes and gives the numbers its returns imply."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.targets import load_plan
from helpers.towns import TOWNS, town_code
from helpers.vintage import as_of

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "plans" / "dongbin"
N = 400
HAIMEN_VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "raw" / "plan" / "vocabulary.yaml"


@pytest.fixture(scope="module")
def dongbin(tmp_path_factory):
    """The fictional district's project tree (plan, region, vocabulary, returns), active through GAOQI_ROOT."""
    from helpers.clean import build

    root = tmp_path_factory.mktemp("dongbin") / "project"
    shutil.copytree(FIXTURE / "plan", root / "data" / "raw" / "plan")
    shutil.copytree(FIXTURE / "returns", root / "data" / "raw" / "returns")
    (root / "reports").mkdir()
    with pytest.MonkeyPatch.context() as mp:  # undone even when building fails: no later test sees this district
        mp.setenv("GAOQI_ROOT", str(root))
        data = build(root / "data" / "raw")[0]
        plan = load_plan()
        m = meeting(plan, "2025-10")
        yield plan, m, attain_all(as_of(data, m.cut_off), plan, m, n_sims=N)


def by_id(results, target_id):
    return next(a for a in results if a.id == target_id)


def test_the_active_region_is_the_second_districts(dongbin):
    assert list(TOWNS) == ["gc", "bh", "nl"]
    assert town_code("港城") == "gc" and town_code("南岭镇 ") == "nl" and town_code("开发区") is None


def test_every_target_of_the_second_plan_is_scored_under_its_own_label(dongbin):
    plan, m, results = dongbin
    assert m.cut_off.isoformat() == "2025-09-30" and m.focus_year == 2025
    assert [a.id for a in results] == ["高企存量", "产值比重", "科创项目", "贷款余额", "成长企业.雏鹰", "成长企业.瞪羚"]
    assert all(a.status != "no_data" for a in results)


def test_valid_firms_are_the_2022_to_2024_cohorts_counted_by_the_districts_units(dongbin):
    a = by_id(dongbin[2], "高企存量")
    assert a.latest_value == 36  # 10 + 12 + 14 certificates; the 2021 cohort expired on 2024-11-20
    assert a.by_town.set_index("town")["latest_value"].to_dict() == {"gc": 18, "bh": 11, "nl": 7}


def test_the_output_share_is_the_ratio_of_the_ytd_sums(dongbin):
    a = by_id(dongbin[2], "产值比重")
    assert a.latest_value == pytest.approx(39.0) and a.latest_date.isoformat() == "2025-08-31"
    assert a.p_reach < 0.5


def test_project_quotas_follow_the_second_districts_units_and_group(dongbin):
    a = by_id(dongbin[2], "科创项目")
    towns = a.by_town.set_index("town")
    assert towns["target"].to_dict() == {"gc": 10, "bh": 5, "nl": 5}
    assert towns["latest_value"].to_dict() == {"gc": 5, "bh": 2, "nl": 1}
    assert a.latest_value == 8


def test_the_loan_balance_is_read_in_its_target_unit(dongbin):
    a = by_id(dongbin[2], "贷款余额")
    assert a.latest_value == 2.05 and a.unit == "100m_yuan" and a.direction == "more_than"


def test_growth_firm_kinds_count_from_the_plans_own_start(dongbin):
    eaglet, gazelle = by_id(dongbin[2], "成长企业.雏鹰"), by_id(dongbin[2], "成长企业.瞪羚")
    assert (eaglet.latest_value, eaglet.target) == (2, 6)
    assert (gazelle.latest_value, gazelle.target) == (0, 2)
    assert eaglet.parent == gazelle.parent == "成长企业"


def test_the_second_districts_returns_need_its_own_vocabulary(tmp_path, monkeypatch):
    """Its forms call the loan balance 科技信贷余额 and head the unit column 镇街, spellings only its own vocabulary
    knows: with Haimen's vocabulary in its place the clean stops and names the label."""
    from helpers.clean import build
    from helpers.errors import InputError

    raw = tmp_path / "project" / "data" / "raw"
    shutil.copytree(FIXTURE / "returns", raw / "returns")
    shutil.copytree(FIXTURE / "plan", raw / "plan")
    shutil.copy(HAIMEN_VOCABULARY, raw / "plan" / "vocabulary.yaml")
    monkeypatch.setenv("GAOQI_ROOT", str(tmp_path / "project"))
    with pytest.raises(InputError, match="found '科技信贷余额'; expected a task row label the vocabulary knows"):
        build(raw)
