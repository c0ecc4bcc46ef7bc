"""The plan items tracked since issue 19: their rows and the application list are read, bad cells are located
faults, the plan scores each item, and the sample carries them without changing an earlier figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers.clean import build
from helpers.cli import app
from helpers.targets import load_plan
from helpers.validate import InputErrors

FIXTURES = Path(__file__).parent / "fixtures" / "tracked"
runner = CliRunner()


def _raw(tmp_path: Path, *files: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "returns").mkdir(parents=True)
    for f in files:
        shutil.copy(f, raw / "returns" / f.name)
    return raw


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    raw = _raw(tmp_path_factory.mktemp("tracked"), *sorted((FIXTURES / "valid").glob("*.xlsx")))
    data, _ = build(raw)
    return data


# ------------------------------------------------------------------------------------------ the district rows
def test_the_new_district_rows_are_read_as_their_series_with_their_units(valid):
    t = valid.tasks.set_index("task_id")
    assert t.loc["pan_tech_invention_coverage", "value"] == 41.5
    assert t.loc["pan_tech_invention_coverage", "unit"] == "%"
    assert t.loc["cultivation_tiers", "value"] == 5
    assert (t.loc["joint_service", "value"], t.loc["joint_service", "unit"]) == (1, "次")
    assert set(valid.tasks["town"]) == {"district"}
    assert set(pd.to_datetime(valid.tasks["period_end"])) == {pd.Timestamp("2024-06-30")}


def test_a_joint_service_count_written_as_words_is_a_located_fault(tmp_path):
    name = "任务进度_联合服务写成文字_2024H1.xlsx"
    raw = _raw(tmp_path, FIXTURES / "faulty" / name)
    result = runner.invoke(app, ["clean", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    line = next(ln for ln in result.output.splitlines() if name in ln)
    assert "工作表“全区指标”" in line and "第 7 行" in line and "列“完成值”" in line and "发现 '两次'" in line
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------ the application list
def test_the_application_list_is_read_one_row_per_applicant(valid):
    a = valid.applications.sort_values("row")
    assert list(a["town"]) == ["kfq", "sanxing", "sanxing"]
    assert list(a["batch"]) == [1, 2, 2]  # 第1批, 2, 第 2 批次
    assert list(a["kind"]) == ["renewal", "first", "first"]
    assert list(a["submitted"]) == [pd.Timestamp("2024-05-10"), pd.Timestamp("2024-06-01"),
                                    pd.Timestamp("2024-06-01")]  # the last written 2024年6月1日
    assert list(a["year"]) == [2024, 2024, 2024]
    assert a["credit_code_ok"].all() and (a["firm_id"] == a["credit_code"]).all()
    assert list(a["row"]) == [5, 6, 7] and set(a["sheet"]) == {"申报名单"}


def test_the_application_list_keeps_no_figure_unaccounted(tmp_path):
    raw = _raw(tmp_path, FIXTURES / "valid" / "高企申报名单_2024.xlsx")
    _, report = build(raw)
    figures = report.extra["figures"]
    assert "unaccounted" not in figures
    assert figures.get("set_aside:serial") == 3  # the 序号 column


@pytest.mark.parametrize(("name", "row", "column", "value", "expected"), [
    ("高企申报名单_日期有误.xlsx", 6, "申报日期", "2024-13-05", "a real date"),
    ("高企申报名单_批次有误.xlsx", 5, "申报批次", "补报", "an application round"),
    ("高企申报名单_类型有误.xlsx", 5, "申报类型", "续期", "an application kind"),
])
def test_a_malformed_cell_of_the_application_list_is_located(tmp_path, name, row, column, value, expected):
    raw = _raw(tmp_path, FIXTURES / "faulty" / name)
    with pytest.raises(InputErrors) as err:
        build(raw)
    [fault] = err.value.faults
    assert (fault.file, fault.sheet, fault.row, fault.column, fault.value) == (
        f"returns/{name}", "申报名单", row, column, value)
    assert expected in fault.expected


# ------------------------------------------------------------------------------------------ the plan file
def test_each_part_of_rd_management_is_scored_with_its_own_bureau():
    plan = load_plan()
    parts = {t.series: t for t in plan.scored if t.measure == "coverage" and t.parent}
    assert parts[("rd_filing",)].responsible.startswith("区科技局")
    assert parts[("rd_ledger",)].responsible.startswith("区税务局")
    assert parts[("rd_deduction",)].responsible.startswith("区税务局")
    assert parts[("rd_filing", "rd_ledger", "rd_deduction")].value == 100  # the lowest, kept as a summary line


def test_zero_out_pool_and_joint_service_are_targets_of_the_plan():
    plan = load_plan()
    by_series = {t.series: t for t in plan.scored}
    zero = by_series[("pan_tech_invention_coverage",)]
    assert (zero.measure, zero.value, zero.unit) == ("coverage", 100, "percent")
    pool = by_series[("cultivation_tiers",)]
    assert (pool.measure, pool.stages, pool.value) == ("milestone", 5, 1)
    joint = by_series[("joint_service",)]
    assert (joint.measure, joint.value, joint.unit, joint.period) == ("task_flow", 2, "times", "yearly")


# ------------------------------------------------------------------------------------------ the shipped sample
def test_the_sample_application_lists_agree_with_the_task_sheet_and_the_register(sample_processed):
    apps, tasks, certs = sample_processed.applications, sample_processed.tasks, sample_processed.certificates
    reported = tasks.loc[(tasks["task_id"] == "hitech_applications") & (tasks["town"] == "district")
                         & (pd.to_datetime(tasks["period_end"]).dt.month == 12)].set_index("year")["value"]
    assert apps.groupby("year").size().to_dict() == {int(y): int(v) for y, v in reported.items()}
    for year in range(2020, 2025):
        certified = set(certs.loc[certs["issue_date"].dt.year == year, "credit_code"])
        listed = set(apps.loc[apps["year"] == year, "credit_code"])
        assert len(certified - listed) <= 4  # only the register's mistyped codes (its credit_code_check findings)
    assert (apps["submitted"].dt.month <= 6).all()  # applications close by 30 June


def test_the_sample_keeps_its_earlier_figures_and_adds_the_new_rows(sample_processed):
    t = sample_processed.tasks
    year_end = t.loc[(t["town"] == "district") & (pd.to_datetime(t["period_end"]).dt.month == 12)]
    fin = year_end.loc[year_end["task_id"] == "fin_balance"].set_index("year")["value"]
    assert [fin[y] for y in (2022, 2023, 2024)] == [76_400, 83_100, 87_400]  # 7.64 / 8.31 / 8.74 亿元
    uir = t.loc[(t["task_id"] == "uir_projects") & (t["town"] != "district")
                & (pd.to_datetime(t["period_end"]) == pd.Timestamp("2023-12-31"))]
    assert uir["value"].sum() == 117
    joint = year_end.loc[year_end["task_id"] == "joint_service"].set_index("year")["value"]
    assert joint[2024] == 1 and joint[2023] == 2  # none held in the second half of 2024
    tiers = year_end.loc[year_end["task_id"] == "cultivation_tiers"].set_index("year")["value"]
    assert tiers[2022] == 4 and tiers[2023] == 5
    zero = year_end.loc[year_end["task_id"] == "pan_tech_invention_coverage"].set_index("year")["value"]
    assert zero.is_monotonic_increasing and zero[2024] < 100


# ------------------------------------------------------------------------------------------ every half-year
def _context(processed, cut_off: str, lang: str = "zh"):
    import datetime as dt
    from types import SimpleNamespace

    from helpers.vintage import as_of

    return SimpleNamespace(plan=load_plan(), data=as_of(processed, cut_off), lang=lang,
                           meeting=SimpleNamespace(cut_off=dt.date.fromisoformat(cut_off)))


def test_a_half_year_without_a_joint_service_round_is_named_once_reported(sample_processed):
    from helpers.briefing import half_years

    assert half_years.short_lines(_context(sample_processed, "2024-12-31")) == []  # 2024 H2 not yet reported
    assert half_years.short_lines(_context(sample_processed, "2025-02-28")) == [
        "联合服务：2024年下半年开展0次，未达到每半年1次的要求。"]


def test_each_half_is_refused_on_a_target_that_is_not_a_yearly_flow(tmp_path):
    import yaml

    from helpers.targets import PlanError

    plan = Path(__file__).resolve().parents[1] / "data" / "raw" / "plan"
    doc = yaml.safe_load((plan / "haimen-2022-2024.yaml").read_text(encoding="utf-8"))
    next(t for t in doc["targets"] if t.get("series") == "cultivation_tiers")["each_half"] = 1
    shutil.copy(plan / "region-haimen.yaml", tmp_path / "region-haimen.yaml")
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError, match="each_half"):
        load_plan(tmp_path / "plan.yaml")
