"""Meeting calendar and cut-off rule: early March and early September, data to the end of the previous month."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.calendar import (
    STATS_LAG_DAYS,
    CalendarError,
    cut_off_for,
    meeting,
    meetings,
    next_meeting,
    previous_meeting,
    released_on,
)
from helpers.targets import load_plan


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(autouse=True)
def _own_reports(tmp_path, monkeypatch):
    """Ad-hoc meetings are recorded under reports/: every test here works on its own empty tree."""
    monkeypatch.setenv("GAOQI_ROOT", str(tmp_path / "project"))


def test_plan_has_five_regular_meetings_from_2023_03_to_the_2025_03_final_review(plan):
    assert [m.id for m in meetings(plan)] == ["2023-03", "2023-09", "2024-03", "2024-09", "2025-03"]
    assert [m.final_review for m in meetings(plan)] == [False, False, False, False, True]


def test_cut_off_is_the_last_day_of_the_month_before_the_meeting(plan):
    assert meeting(plan, "2024-03").cut_off == dt.date(2024, 2, 29)
    assert meeting(plan, "2024-09").cut_off == dt.date(2024, 8, 31)
    assert cut_off_for(dt.date(2025, 3, 5)) == dt.date(2025, 2, 28)


def test_september_briefing_sees_july_statistics_but_not_august(plan):
    cut = meeting(plan, "2024-09").cut_off
    assert released_on(dt.date(2024, 7, 31)) <= cut
    assert released_on(dt.date(2024, 8, 31)) > cut


def test_march_briefing_sees_december_but_not_the_jan_feb_return(plan):
    cut = meeting(plan, "2024-03").cut_off
    assert released_on(dt.date(2023, 12, 31)) <= cut
    assert released_on(dt.date(2024, 2, 29)) > cut
    assert STATS_LAG_DAYS == 21


def test_final_review_focuses_on_the_plans_last_year(plan):
    assert meeting(plan, "2025-03").focus_year == 2024
    assert meeting(plan, "2023-09").focus_year == 2023


def test_next_meeting_after_a_date_and_none_after_the_plan(plan):
    assert next_meeting(plan, dt.date(2024, 3, 6)).id == "2024-09"
    assert next_meeting(plan, dt.date(2024, 9, 5)).id == "2024-09"
    assert next_meeting(plan, dt.date(2026, 11, 25)) is None


def test_previous_meeting(plan):
    assert previous_meeting(plan, meeting(plan, "2024-09")).id == "2024-03"
    assert previous_meeting(plan, meeting(plan, "2023-03")) is None


def test_unknown_or_malformed_meeting_is_a_clear_error(plan):
    with pytest.raises(CalendarError, match="no meeting 2024-06; its meetings are 2023-03"):
        meeting(plan, "2024-06")
    with pytest.raises(CalendarError, match="not of the form YYYY-MM"):
        meeting(plan, "Sept 2024")


# ------------------------------------------------------------------ ad-hoc meetings (不定期会议)


def test_an_ad_hoc_meeting_is_named_by_its_day_with_data_to_the_day_before(plan, tmp_path):
    m = meeting(plan, "2024-06-20")
    assert m.ad_hoc and m.date == dt.date(2024, 6, 20) and m.cut_off == dt.date(2024, 6, 19)
    assert m.focus_year == 2024 and not m.final_review
    assert m.kind_label("zh") == "临时会议" and m.label("zh") == "2024年6月20日领导小组临时会议"
    assert meeting(plan, "2024-09").kind_label("zh") == "定期会议"


def test_an_ad_hoc_meeting_may_set_an_earlier_cut_off_but_never_a_later_one(plan):
    from helpers.calendar import ad_hoc_meeting

    assert ad_hoc_meeting(plan, "2024-06-20", "2024-06-15").cut_off == dt.date(2024, 6, 15)
    with pytest.raises(CalendarError, match="must be before the meeting day"):
        ad_hoc_meeting(plan, "2024-06-20", "2024-06-20")


def test_an_ad_hoc_meeting_outside_the_plans_calendar_is_refused(plan):
    with pytest.raises(CalendarError, match="outside the plan's calendar"):
        meeting(plan, "2026-06-20")


def test_a_recorded_ad_hoc_meeting_joins_the_calendar_with_its_cut_off(plan, tmp_path):
    from helpers.calendar import ad_hoc_meeting, record_ad_hoc

    record_ad_hoc(plan, ad_hoc_meeting(plan, "2024-06-20", "2024-06-15"))
    ids = [m.id for m in meetings(plan)]
    assert ids == ["2023-03", "2023-09", "2024-03", "2024-06-20", "2024-09", "2025-03"]
    assert meeting(plan, "2024-06-20").cut_off == dt.date(2024, 6, 15)
    assert previous_meeting(plan, meeting(plan, "2024-09")).id == "2024-06-20"
    assert (tmp_path / "project" / "reports" / "ad-hoc-meetings.json").exists()


def test_without_a_record_the_calendar_has_only_the_regular_meetings(plan, tmp_path):
    assert [m.ad_hoc for m in meetings(plan)] == [False] * 5
