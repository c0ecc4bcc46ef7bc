"""Data completeness before a meeting: which returns are due by its cut-off, and which are missing or late."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.calendar import meeting
from helpers.completeness import (
    LATE,
    MISSING,
    STATISTICS,
    TASK_RETURN,
    expected_statistics,
    expected_task_periods,
    for_meeting,
)
from helpers.targets import load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan()  # the project's plan file (no test here writes to the tree)


def _without(df: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    return df[~mask].reset_index(drop=True)


def test_the_sample_has_every_return_due_for_the_september_2024_meeting(plan, sample_processed):
    report = for_meeting(plan, meeting(plan, "2024-09"), sample_processed)
    summary = report.summary()
    assert report.complete and summary["missing"] == 0
    # 2021-02 … 2024-07: 11 + 11 + 11 + 6 periods; 2021H2 … 2024H1: 6 half-years × (11 towns + district sheet)
    assert summary["statistics_expected"] == 39
    assert summary["task_returns_expected"] == 72


def test_statistics_due_are_those_normally_released_by_the_cut_off(plan):
    september = [p for p, _, _ in expected_statistics(plan, meeting(plan, "2024-09").cut_off)]
    assert september[0] == "2021-02" and september[-1] == "2024-07"  # July released 2024-08-21; August after
    march = [p for p, _, _ in expected_statistics(plan, meeting(plan, "2025-03").cut_off)]
    assert march[-1] == "2024-12"  # 1-2月 2025 is released on 2025-03-21, after the meeting
    assert not any(p.endswith("-01") for p in march)  # there is no January figure


def test_task_returns_due_are_the_half_years_sent_by_the_cut_off(plan):
    september = [p for p, _, _ in expected_task_periods(plan, meeting(plan, "2024-09").cut_off)]
    assert september == ["2021H2", "2022H1", "2022H2", "2023H1", "2023H2", "2024H1"]
    march = [p for p, _, _ in expected_task_periods(plan, meeting(plan, "2024-03").cut_off)]
    assert march[-1] == "2023H2"


def test_a_town_that_has_not_sent_its_task_return_is_listed_by_name(plan, sample_processed):
    tasks = sample_processed.tasks
    data = sample_processed.replace(tasks=_without(
        tasks, (tasks["town"] == "yudong") & (tasks["period_end"] == pd.Timestamp("2024-06-30"))))

    report = for_meeting(plan, meeting(plan, "2024-09"), data)

    assert [(r.kind, r.period, r.sender, r.status) for r in report.missing] == [
        (TASK_RETURN, "2024H1", "yudong", MISSING)]
    assert report.summary()["task_returns_missing"] == {"2024H1": ["yudong"]}
    text = " ".join(report.lines("zh"))
    assert "2024年上半年" in text and "余东镇" in text and "2024年7月20日" in text


def test_a_month_of_statistics_not_yet_released_is_listed(plan, sample_processed):
    ind = sample_processed.industry
    data = sample_processed.replace(industry=_without(ind, (ind["year"] == 2024) & (ind["month"] == 7)))

    report = for_meeting(plan, meeting(plan, "2024-09"), data)

    assert [(r.kind, r.period, r.status) for r in report.missing] == [(STATISTICS, "2024-07", MISSING)]
    assert report.summary()["statistics_missing"] == ["2024-07"]
    assert "2024年1-7月" in " ".join(report.lines("zh"))
    assert "YTD 2024-07" in " ".join(report.lines("en"))


def test_a_month_lacking_an_indicator_the_plan_divides_is_not_complete(plan, sample_processed):
    ind = sample_processed.industry
    data = sample_processed.replace(industry=_without(
        ind, (ind["year"] == 2024) & (ind["month"] == 7) & (ind["indicator"] == "hightech_output")))

    report = for_meeting(plan, meeting(plan, "2024-09"), data)

    assert [r.lacking for r in report.missing] == [("hightech_output",)]
    assert "高新技术产业产值" in " ".join(report.lines("zh"))


def test_a_return_dated_after_the_cut_off_is_late_and_not_counted_as_present(plan, sample_processed):
    tasks = sample_processed.tasks.copy()
    late = (tasks["town"] == "haiyong") & (tasks["period_end"] == pd.Timestamp("2024-06-30"))
    tasks.loc[late, "released"] = pd.Timestamp("2024-09-02")

    report = for_meeting(plan, meeting(plan, "2024-09"), sample_processed.replace(tasks=tasks))

    assert [(r.sender, r.status, str(r.released)) for r in report.missing] == [("haiyong", LATE, "2024-09-02")]
    assert "2024年9月2日" in " ".join(report.lines("zh")) and "未采用" in " ".join(report.lines("zh"))


def test_the_district_sheet_is_expected_only_where_earlier_returns_carried_one(plan, sample_processed):
    tasks = sample_processed.tasks
    data = sample_processed.replace(tasks=_without(tasks, tasks["town"] == "district"))

    report = for_meeting(plan, meeting(plan, "2024-09"), data)

    assert report.complete
    assert report.summary()["task_returns_expected"] == 66


def test_the_summary_is_json_ready_and_reads_back_into_the_same_sentences(plan, sample_processed):
    from helpers.completeness import lines_from_summary

    tasks = sample_processed.tasks
    data = sample_processed.replace(tasks=_without(tasks, tasks["period_end"] == pd.Timestamp("2024-06-30")))
    report = for_meeting(plan, meeting(plan, "2024-09"), data)

    stored = json.loads(json.dumps(report.summary()))

    assert lines_from_summary(stored, "en") == report.lines("en")
    assert stored["missing"] == 12  # the whole 2024 H1 return: 11 towns and the district sheet
    assert "12 units have not sent their task return for 2024 H1" in report.lines("en")[0]
