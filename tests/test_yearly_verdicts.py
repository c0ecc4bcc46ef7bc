"""Every plan year judged, both readings computed, 超 read strictly: on the returns of tests/fixtures/plans/yearly
(hand-chosen figures, its README states them) cleaned by the real pipeline, and on the shipped sample.

The fixture's plan (2022-2024): projects at least 20 each year (22, 19, 23: missed in 2023 only); a loan balance
超1.9亿元 at each year end (2.0, 2.1, then exactly 1.9); eaglet firms 年均不少于3家 read as every year (4, 2, 4: the
mean 3.33 meets it); gazelle firms 累计4家 from 2022 (3; with the 2 of 2021 in the returns, 5).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_project

FIELDS = ("forecast_point", "forecast_lo80", "forecast_hi80", "forecast_lo95", "forecast_hi95", "p_reach")


@pytest.fixture(scope="module")
def yearly_tree(tmp_path_factory) -> Path:
    """The fixture district's returns cleaned into a project copy (once for the module)."""
    from helpers.clean import clean

    root = copy_project(tmp_path_factory.mktemp("yearly") / "project", "yearly")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAOQI_ROOT", str(root))
        clean(root / "data" / "raw", root / "data" / "processed")
    return root


@pytest.fixture
def project(yearly_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(yearly_tree, root)
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    return root


def _briefing(meeting: str):
    from helpers.briefing.page import Briefing

    return Briefing.build(meeting, track_record=False)


def _by_name(c, name: str):
    found = [a for a in c.attainments if a.name_zh == name]
    assert len(found) == 1, name
    return found[0]


@pytest.fixture
def final(project):
    return _briefing("2025-03")


# ------------------------------------------------------------------------------------------ every plan year judged
def test_a_yearly_target_missed_in_one_year_only_is_not_achieved(final):
    a = _by_name(final, "新招引科创项目")
    assert [(y.year, y.value, y.reached) for y in a.years] == [(2022, 22, True), (2023, 19, False), (2024, 23, True)]
    assert a.years_missed == [2023]
    assert a.status == "missed"


def test_the_missed_year_is_named_with_its_figure_and_shortfall(final):
    a = _by_name(final, "新招引科创项目")
    assert "2023年未完成（19个，差1个）" in a.what_it_takes_zh
    assert "2023 missed (19 items, 1 item short)" in a.what_it_takes_en


def test_a_target_missed_in_an_earlier_year_does_not_say_it_reached_its_goal(final):
    a = _by_name(final, "新招引科创项目")
    assert "达到目标" not in a.what_it_takes_zh
    assert a.what_it_takes_zh.startswith("逐年：")
    assert "2024年完成（23个）" in a.what_it_takes_zh


def test_closed_years_above_the_value_are_reached(project):
    a = _by_name(_briefing("2024-03"), "科技信贷余额")  # 2.0 and 2.1 at the ends of 2022 and 2023
    assert [(y.year, y.reached, y.gap) for y in a.years] == [(2022, True, 0.0), (2023, True, 0.0)]
    assert a.years_missed == []


def test_before_the_last_year_closes_the_open_year_keeps_its_forecast_and_the_missed_year_is_said(project):
    a = _by_name(_briefing("2024-03"), "新招引科创项目")
    assert [y.year for y in a.years] == [2022, 2023]
    assert a.status in ("on_track", "at_risk", "off_track") and a.p_reach is not None
    assert a.what_it_takes_zh.endswith("此前2023年未完成（19个，差1个）")


def test_a_year_counts_only_once_it_has_closed_by_the_cut_off(project):
    a = _by_name(_briefing("2023-09"), "新招引科创项目")  # cut-off 2023-08-31: 2023 is still open
    assert [y.year for y in a.years] == [2022]


def test_a_closed_year_not_yet_reported_at_the_cut_off_has_no_outcome(project):
    from helpers.clean import clean

    (project / "data" / "raw" / "returns" / "SAMPLE_东滨_任务进度_2023H2.xlsx").unlink()
    clean(project / "data" / "raw", project / "data" / "processed")
    a = _by_name(_briefing("2024-03"), "新招引科创项目")
    assert [(y.year, y.value, y.reached) for y in a.years] == [(2022, 22, True), (2023, None, None)]


def test_in_march_last_years_count_is_not_shown_as_progress_toward_the_new_year(project):
    from helpers.briefing import sections

    c = _briefing("2024-03")
    row = next(r for r in sections.task_table(c).rows if r[0] == "新招引科创项目")
    assert row[3] == "2024年暂无报表"
    loan = next(r for r in sections.task_table(c).rows if r[0] == "科技信贷余额")
    assert loan[3] == "2.1亿元"  # a balance's last year end is its current level


# ------------------------------------------------------------------------------------------ 超 is strict
def test_a_more_than_target_exactly_at_its_value_is_not_reached(final):
    a = _by_name(final, "科技信贷余额")
    last = a.years[-1]
    assert (last.year, last.value, last.reached, last.gap) == (2024, 1.9, False, 0.0)
    assert a.status == "missed" and a.years_missed == [2024]
    assert "恰为目标值，未达到超1.9亿元的要求" in a.what_it_takes_zh


def test_a_more_than_target_reads_chao_in_the_table_and_the_sentence(project):
    from helpers.briefing import sections

    c = _briefing("2024-03")
    row = next(r for r in sections.task_table(c).rows if r[0] == "科技信贷余额")
    assert row[1] == "超1.9亿元"
    assert "需超过1.9亿元" in _by_name(c, "科技信贷余额").what_it_takes_zh


# ------------------------------------------------------------------------------------------ two readings
def test_a_yearly_average_whose_readings_disagree_shows_both(final):
    a = _by_name(final, "年均新增雏鹰企业")
    every, mean = a.readings
    assert (every.reading, every.decides, every.reached) == ("every_year", True, False)
    assert (mean.reading, mean.decides, mean.reached) == ("plan_mean", False, True)
    assert mean.value == pytest.approx(10 / 3)
    assert a.status == "missed"  # the plan file says every year decides
    assert "2022—2024年合计10家（三年目标合计9家），达到3家的目标" in mean.note_zh  # 4 + 2 + 4


def test_the_page_says_what_the_other_reading_gives_when_the_verdicts_differ(final):
    from helpers.briefing import yearly

    lines = yearly.reading_lines(final)
    assert any(x.startswith("年均新增雏鹰企业：按三年平均理解") and "本简报按每年均须达到判断" in x for x in lines)
    assert not any(x.startswith("新招引科创项目") for x in lines)  # one reading only: no line


def test_the_mean_decides_when_the_plan_file_says_so(project):
    plan = project / "data" / "raw" / "plan" / "dongbin-2022-2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("reading: every_year", "reading: plan_mean"),
                    encoding="utf-8")
    a = _by_name(_briefing("2025-03"), "年均新增雏鹰企业")
    assert a.readings[0].reading == "plan_mean" and a.status == "achieved"


def test_a_cumulative_count_is_also_computed_with_the_firms_before_the_plan(final):
    a = _by_name(final, "累计培育瞪羚企业")
    start, earlier = a.readings
    assert (start.reading, start.value, start.reached) == ("from_plan_start", 3, False)
    assert (earlier.reading, earlier.value, earlier.reached) == ("with_earlier", 5, True)
    assert "报表另载2021年培育2家" in earlier.note_zh and a.status == "missed"


def test_without_returns_before_the_plan_the_earlier_firms_are_said_to_be_unknown(project):
    from helpers.briefing import yearly
    from helpers.clean import clean

    for half in (1, 2):
        (project / "data" / "raw" / "returns" / f"SAMPLE_东滨_任务进度_2021H{half}.xlsx").unlink()
    clean(project / "data" / "raw", project / "data" / "processed")
    c = _briefing("2025-03")
    earlier = _by_name(c, "累计培育瞪羚企业").readings[1]
    assert earlier.value is None and earlier.reached is None
    assert "报表中没有2022年以前的培育数据，无法计算" in earlier.note_zh
    assert any("无法计算" in x for x in yearly.reading_lines(c))


# ------------------------------------------------------------------------------------------ the final review
def test_settled_targets_carry_no_forecast_in_the_summary_or_the_page(final):
    from helpers.briefing import sections

    records = final.summary_record()["targets"]
    assert all(r["status"] in ("achieved", "missed") for r in records)
    assert all(r[f] is None for r in records for f in FIELDS)
    header = sections.task_table(final).header
    assert "预测" not in "".join(header) and "概率" not in "".join(header)
    assert all(not len(a.path) for a in final.attainments)


def test_the_final_review_is_a_three_year_summary_from_the_base_year(final):
    from helpers.briefing import yearly

    table = yearly.review_table(final)
    assert list(table.header) == ["指标", "目标", "2021年底（基数）", "2022年", "2023年", "2024年", "完成值", "完成率",
                                  "差距", "结论"]
    row = next(r for r in table.rows if r[0] == "新招引科创项目")
    assert row[2:7] == ["18个", "22个", "19个（差1个）", "23个", "23个"]
    assert row[-1].text == "未完成"  # one status word; the 2023 cell above says the shortfall


def test_a_march_briefing_opens_its_task_section_with_the_year_just_closed(project):
    from helpers.briefing import yearly

    march = _briefing("2024-03")
    assert yearly.closed_year(march) == 2023
    table = yearly.annual_table(march, 2023)
    assert list(table.header) == ["指标", "目标", "完成值", "完成率", "差距", "结论"]
    assert table.rows[0][:5] == ["新招引科创项目", "20个", "19个", "95%", "差1个"]
    assert "2023年度任务完成情况" in march.annual_html()
    assert yearly.closed_year(_briefing("2024-09")) is None


def test_the_summary_xlsx_and_notice_carry_the_per_year_outcomes(final, tmp_path):
    from helpers.notice_years import yearly_lines

    written = final.write_outputs(tmp_path)
    summary = json.loads(written[0].read_text(encoding="utf-8"))
    loan = next(t for t in summary["targets"] if t["name_zh"] == "科技信贷余额")
    assert loan["years_missed"] == [2024] and loan["years"][-1]["reached"] is False
    lines = yearly_lines(summary, "zh")
    assert "- 科技信贷余额：2024年未完成（1.9亿元，未达到超1.9亿元）" in lines
    book = openpyxl.load_workbook(written[1])
    years = [r for r in book["逐年完成情况"].iter_rows(values_only=True) if r[0] == "新招引科创项目"]
    assert [(r[1], r[2], r[6]) for r in years] == [(2021, 18, None), (2022, 22, "已完成"), (2023, 19, "未完成"),
                                                 (2024, 23, "已完成")]
    assert "不同口径" in book.sheetnames


# ------------------------------------------------------------------------------------------ the plan file
def test_a_reading_of_yearly_average_on_a_target_not_set_for_each_year_is_refused(project):
    from helpers.targets import PlanError, load_plan

    plan = project / "data" / "raw" / "plan" / "dongbin-2022-2024.yaml"
    text = plan.read_text(encoding="utf-8").replace("    reading: from_plan_start", "    reading: plan_mean")
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match="target 瞪羚: field 'reading' is 'plan_mean'.*period: yearly"):
        load_plan(plan)


# ------------------------------------------------------------------------------------------ the shipped sample
def test_the_shipped_final_review_marks_the_yearly_targets_missed_in_earlier_years(sample_processed):
    from helpers.calendar import meeting
    from helpers.forecast import attain_all
    from helpers.targets import load_plan
    from helpers.vintage import as_of

    plan = load_plan(Path(__file__).resolve().parents[1] / "data" / "raw" / "plan" / "haimen-2022-2024.yaml")
    m = meeting(plan, "2025-03")
    got = {a.id: a for a in attain_all(as_of(sample_processed, m.cut_off), plan, m, n_sims=200)}
    assert (got["university_industry_projects"].status, got["university_industry_projects"].years_missed) == \
        ("missed", [2023])
    assert (got["tech_loan_balance"].status, got["tech_loan_balance"].years_missed) == ("missed", [2022, 2023])
    readings = {r.reading: r.reached for r in got["tech_smes_registered"].readings}
    assert readings == {"every_year": False, "plan_mean": True}
    settled = [a for a in got.values() if a.status in ("achieved", "missed")]
    assert settled and all(getattr(a, f) is None for a in settled for f in FIELDS)


def test_the_shipped_final_review_shows_no_forecast_by_town_in_the_changes_or_the_risks(cleaned_project):
    from helpers.briefing import sections

    c = _briefing("2025-03")
    town, _ = sections.town_headline(c)
    ranking = sections.town_ranking(c, sections.town_matrix(c))
    changes = sections.changes_table(c)
    shown = " ".join([*town.header, *ranking.header, *sections.risks(c)])
    assert not any(word in shown for word in ("预测", "区间", "概率"))
    now = next(i for i, h in enumerate(changes.header) if h.startswith("预测") and "2025年3月" in h)
    assert all(str(r[now]).startswith("实际") for r in changes.rows)
