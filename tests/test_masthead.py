"""The 简报's masthead: title with its 期数 counted over the plan's meetings of the year (ad-hoc ones included, in
date order), 编印单位 and date from the region file, dates in Chinese."""

from __future__ import annotations

import datetime as dt

from helpers.briefing.masthead import issue_number, masthead
from helpers.calendar import ad_hoc_meeting, meeting, record_ad_hoc
from helpers.datewords import day_text, deadline_text, meeting_text, ytd_text
from helpers.targets import load_plan


def test_the_september_briefing_is_the_years_second_issue_titled_compiled_and_dated_from_the_region_file():
    plan = load_plan()
    head = masthead(plan, meeting(plan, "2024-09"), "zh")

    assert head.title == "海门区高新技术企业培育认定工作领导小组会议简报（2024年第2期）"
    assert head.compiled_by == "海门区高新技术企业培育认定工作领导小组办公室（区科技局）"
    assert head.issued_text == "2024年9月2日"


def test_each_year_starts_again_at_the_first_issue():
    plan = load_plan()
    assert [issue_number(plan, meeting(plan, m)) for m in ("2023-03", "2023-09", "2024-03", "2024-09", "2025-03")] \
        == [1, 2, 1, 2, 1]


def test_an_ad_hoc_meeting_takes_its_place_in_the_years_count(project_copy):
    plan = load_plan()
    extra = ad_hoc_meeting(plan, "2024-06-20")
    assert issue_number(plan, extra) == 2  # after 2024-03, before it is recorded
    record_ad_hoc(plan, extra)

    assert issue_number(plan, meeting(plan, "2024-06-20")) == 2
    assert issue_number(plan, meeting(plan, "2024-09")) == 3


def test_the_english_masthead_says_the_same_in_english():
    plan = load_plan()
    head = masthead(plan, meeting(plan, "2024-09"), "en")
    assert head.title.endswith("meeting briefing (2024, no. 2)") and head.issued_text == "2 September 2024"


def test_dates_and_periods_read_as_a_chinese_reader_writes_them():
    assert day_text(dt.date(2024, 8, 31)) == "2024年8月31日"
    assert deadline_text(dt.date(2024, 12, 31)) == "2024年底"
    assert deadline_text(dt.date(2026, 6, 30)) == "2026年6月30日"
    assert ytd_text(2024, 7) == "2024年1—7月累计" and ytd_text(2023, 12) == "2023年全年"
    assert meeting_text("2024-03") == "2024年3月会议" and meeting_text("2024-06-20") == "2024年6月20日会议"
