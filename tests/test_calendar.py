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
