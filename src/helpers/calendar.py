"""The leading group's meeting calendar and each briefing's data cut-off.

Rule (plan 附件2 三(一) and ../shared/notes/domain.md §4): regular meetings in early March and early
September. A briefing is named by its meeting month (``2024-09``). Its nominal meeting day is the
``MEETING_DAY``-th of that month and its **data cut-off is the last day of the previous month**: only
figures released on or before that day are used. Monthly statistics are released about three weeks
(``STATS_LAG_DAYS``) after the month ends, so a March briefing sees the full previous year (December figures
arrive around 21 January; the 1-2月 return around 21 March, after the meeting) and a September briefing sees
January-July.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from helpers.errors import InputError
from helpers.targets import Plan

MEETING_DAY = 5
STATS_LAG_DAYS = 21
_MEETING_RE = re.compile(r"^(\d{4})-(\d{2})$")


class CalendarError(InputError, ValueError):
    """A meeting id that is malformed or outside the plan's calendar."""


@dataclass(frozen=True, order=True)
class Meeting:
    """One regular meeting. ``id`` is ``YYYY-MM``; ``cut_off`` is the last day of data the briefing uses."""

    id: str
    date: dt.date
    cut_off: dt.date
    focus_year: int
    final_review: bool

    @property
    def label_zh(self) -> str:
        return f"{self.date.year}年{self.date.month}月领导小组会议"

    @property
    def label_en(self) -> str:
        return f"Leading group meeting, {self.date:%B %Y}"


def released_on(period_end: dt.date) -> dt.date:
    """The day monthly statistics for the month ending ``period_end`` are normally released."""
    return period_end + dt.timedelta(days=STATS_LAG_DAYS)


def cut_off_for(meeting_date: dt.date) -> dt.date:
    """The data cut-off of a meeting: the last day of the month before the meeting month."""
    return meeting_date.replace(day=1) - dt.timedelta(days=1)


def parse_meeting_id(meeting_id: str) -> tuple[int, int]:
    m = _MEETING_RE.match(meeting_id.strip())
    if not m:
        raise CalendarError(f"meeting {meeting_id!r} is not of the form YYYY-MM (e.g. 2024-09)")
    return int(m.group(1)), int(m.group(2))


def meetings(plan: Plan) -> list[Meeting]:
    """Every regular meeting of the plan, from its first to its last (final review), in order."""
    first = parse_meeting_id(plan.first_meeting)
    last = parse_meeting_id(plan.last_meeting)
    out: list[Meeting] = []
    for year in range(first[0], last[0] + 1):
        for month in sorted(plan.meeting_months):
            if (year, month) < first or (year, month) > last:
                continue
            date = dt.date(year, month, MEETING_DAY)
            out.append(
                Meeting(
                    id=f"{year}-{month:02d}",
                    date=date,
                    cut_off=cut_off_for(date),
                    focus_year=min(year, plan.end.year),
                    final_review=date > plan.end,
                )
            )
    return out


def meeting(plan: Plan, meeting_id: str) -> Meeting:
    """The meeting ``meeting_id`` of the plan; a clear error when the plan has no such meeting."""
    parse_meeting_id(meeting_id)
    for m in meetings(plan):
        if m.id == meeting_id:
            return m
    ids = ", ".join(m.id for m in meetings(plan))
    raise CalendarError(f"the plan has no meeting {meeting_id}; its meetings are {ids}")


def next_meeting(plan: Plan, today: dt.date) -> Meeting | None:
    """The first meeting on or after ``today``; ``None`` when the plan's calendar has ended."""
    for m in meetings(plan):
        if m.date >= today:
            return m
    return None


def previous_meeting(plan: Plan, current: Meeting) -> Meeting | None:
    earlier = [m for m in meetings(plan) if m.date < current.date]
    return earlier[-1] if earlier else None
