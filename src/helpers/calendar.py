"""The leading group's meeting calendar and each briefing's data cut-off: regular and ad-hoc meetings.

Rule (plan 附件2 三(一) and ../shared/notes/domain.md §4): regular meetings "一般" twice a year, in the plan's
meeting months (early March and early September). A regular briefing is named by its meeting month
(``2024-09``); its nominal day is the ``MEETING_DAY``-th and its **data cut-off is the last day of the previous
month**: only figures released on or before that day are used. Monthly statistics are released about three
weeks (``STATS_LAG_DAYS``) after the month ends, so a March briefing sees the full previous year and a September
briefing sees January-July.

不定期会议 are called as needed: an **ad-hoc meeting** is named by its day (``2024-06-20``); its cut-off is the
day before unless one is set (``gaoqi render --meeting 2024-06-20 --cut-off 2024-06-15``). Ad-hoc meetings that
were briefed are recorded in ``reports/ad-hoc-meetings.json`` (with their cut-off), so the calendar, the index
and later briefings ("since the last meeting") know them; the record goes with the reports it belongs to.
Each record names the plan it was briefed under: when the next plan becomes active, the earlier plan's ad-hoc
meetings stay in the record (they are part of ``reports/``) but are not meetings of the new plan's calendar.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.atomic import write_text_atomic
from helpers.errors import InputError
from helpers.meeting_files import ad_hoc_record_path
from helpers.targets import Plan
from helpers.wording import say

MEETING_DAY = 5
STATS_LAG_DAYS = 21
_MEETING_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CalendarError(InputError, ValueError):
    """A meeting id that is malformed or outside the plan's calendar."""


@dataclass(frozen=True, order=True)
class Meeting:
    """One meeting. ``id`` is ``YYYY-MM`` (regular) or ``YYYY-MM-DD`` (ad hoc); ``cut_off`` is the last day of
    data the briefing uses."""

    id: str
    date: dt.date
    cut_off: dt.date
    focus_year: int
    final_review: bool
    ad_hoc: bool = False

    def label(self, lang: str = "zh") -> str:
        """The meeting's title: "2024年9月领导小组会议", "2024年6月20日领导小组临时会议" (and in English)."""
        d = self.date
        if self.ad_hoc:
            when = f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d:%B %Y}"
            return say("calendar.meeting.ad_hoc", lang, when=when)
        return say("calendar.meeting.regular", lang, when=f"{d.year}年{d.month}月" if lang == "zh" else f"{d:%B %Y}")

    def kind_label(self, lang: str = "zh") -> str:
        """定期会议 / 临时会议 (regular / ad-hoc meeting)."""
        return say("calendar.kind.ad_hoc" if self.ad_hoc else "calendar.kind.regular", lang)

    @property
    def label_zh(self) -> str:
        return self.label("zh")

    @property
    def label_en(self) -> str:
        return self.label("en")


def released_on(period_end: dt.date) -> dt.date:
    """The day monthly statistics for the month ending ``period_end`` are normally released."""
    return period_end + dt.timedelta(days=STATS_LAG_DAYS)


def cut_off_for(meeting_date: dt.date) -> dt.date:
    """The data cut-off of a regular meeting: the last day of the month before the meeting month."""
    return meeting_date.replace(day=1) - dt.timedelta(days=1)


def parse_meeting_id(meeting_id: str) -> tuple[int, int]:
    """(year, month) of a regular meeting id ``YYYY-MM``."""
    m = _MEETING_RE.match(meeting_id.strip())
    if not m:
        raise CalendarError(f"meeting {meeting_id!r} is not of the form YYYY-MM (e.g. 2024-09) for a regular "
                            "meeting or YYYY-MM-DD (e.g. 2024-06-20) for an ad-hoc meeting")
    return int(m.group(1)), int(m.group(2))


def is_ad_hoc_id(meeting_id: str) -> bool:
    """Whether ``meeting_id`` names an ad-hoc meeting (a day, ``YYYY-MM-DD``)."""
    return bool(_DAY_RE.match(meeting_id.strip()))


def regular_meetings(plan: Plan) -> list[Meeting]:
    """Every regular meeting of the plan, from its first to its last (final review), in order."""
    first = parse_meeting_id(plan.first_meeting)
    last = parse_meeting_id(plan.last_meeting)
    out: list[Meeting] = []
    for year in range(first[0], last[0] + 1):
        for month in sorted(plan.meeting_months):
            if (year, month) < first or (year, month) > last:
                continue
            date = dt.date(year, month, MEETING_DAY)
            out.append(Meeting(id=f"{year}-{month:02d}", date=date, cut_off=cut_off_for(date),
                               focus_year=min(year, plan.end.year), final_review=date > plan.end))
    return out


def ad_hoc_meeting(plan: Plan, day: dt.date | str, cut_off: dt.date | str | None = None) -> Meeting:
    """An ad-hoc meeting on ``day``: cut-off the day before unless given (never on or after the meeting day)."""
    if isinstance(day, str):
        day = _parse_day(day)
    if isinstance(cut_off, str):
        cut_off = _parse_day(cut_off, what="cut-off")
    regular = regular_meetings(plan)
    earliest, latest = plan.issued, regular[-1].date if regular else plan.end
    if not earliest <= day <= latest:
        raise CalendarError(f"ad-hoc meeting {day.isoformat()} is outside the plan's calendar "
                            f"({earliest.isoformat()} to the final review {latest.isoformat()})")
    cut = cut_off or day - dt.timedelta(days=1)
    if cut >= day:
        raise CalendarError(f"the cut-off {cut.isoformat()} of the ad-hoc meeting {day.isoformat()} must be before "
                            "the meeting day (a briefing uses only data known before it is written)")
    return Meeting(id=day.isoformat(), date=day, cut_off=cut, focus_year=min(day.year, plan.end.year),
                   final_review=day > plan.end, ad_hoc=True)


def _parse_day(text: str, what: str = "meeting") -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"{what} {text!r} is not a date of the form YYYY-MM-DD (e.g. 2024-06-20)") from None


# ---------------------------------------------------------------------------------------------- the record

def _record_file() -> Path:
    return ad_hoc_record_path()


def recorded_ad_hoc(plan: Plan) -> list[Meeting]:
    """The ad-hoc meetings briefed so far (``reports/ad-hoc-meetings.json``), with their cut-offs."""
    path = _record_file()
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [ad_hoc_meeting(plan, r["date"], r["cut_off"]) for r in rows if _of_plan(r, plan)]
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise CalendarError(f"{path}: not a list of {{date, cut_off, plan}} records ({exc}); fix or delete the "
                            "file") from None


def _of_plan(row: dict, plan: Plan) -> bool:
    """Whether a record row is one of ``plan``'s ad-hoc meetings: by the plan it names; a row written before
    rows named their plan belongs to the plan whose calendar holds its day (an earlier plan's otherwise)."""
    if "plan" in row:
        return row["plan"] == plan.id
    day = _parse_day(str(row["date"]))
    regular = regular_meetings(plan)
    return plan.issued <= day <= (regular[-1].date if regular else plan.end)


def record_ad_hoc(plan: Plan, m: Meeting) -> None:
    """Add (or update) an ad-hoc meeting in the record, atomically, so the calendar and index list it."""
    if not m.ad_hoc:
        raise ValueError(f"meeting {m.id} is a regular meeting")
    kept = {x.id: x for x in recorded_ad_hoc(plan)}  # first: a malformed record is a clear error
    kept[m.id] = m
    path = _record_file()
    others = [r for r in json.loads(path.read_text(encoding="utf-8")) if not _of_plan(r, plan)] \
        if path.exists() else []  # other plans' meetings stay on record
    rows = others + [{"date": x.date.isoformat(), "cut_off": x.cut_off.isoformat(), "plan": plan.id}
                     for x in kept.values()]
    rows.sort(key=lambda r: str(r["date"]))
    write_text_atomic(path, json.dumps(rows, indent=2) + "\n")


# ---------------------------------------------------------------------------------------------- queries

def meetings(plan: Plan) -> list[Meeting]:
    """Every meeting of the plan - regular ones and the ad-hoc ones briefed so far - in date order."""
    return sorted([*regular_meetings(plan), *recorded_ad_hoc(plan)], key=lambda m: (m.date, m.ad_hoc))


def meeting(plan: Plan, meeting_id: str) -> Meeting:
    """The meeting ``meeting_id``: a regular meeting (``YYYY-MM``) of the plan or an ad-hoc one (``YYYY-MM-DD``;
    as recorded, else with the default cut-off); a clear error when the plan has no such meeting."""
    if is_ad_hoc_id(meeting_id):
        for m in recorded_ad_hoc(plan):
            if m.id == meeting_id.strip():
                return m
        return ad_hoc_meeting(plan, meeting_id)
    parse_meeting_id(meeting_id)
    regular = regular_meetings(plan)
    for m in regular:
        if m.id == meeting_id:
            return m
    ids = ", ".join(m.id for m in regular)
    raise CalendarError(f"the plan has no meeting {meeting_id}; its meetings are {ids} "
                        "(an ad-hoc meeting is named by its day, e.g. 2024-06-20)")


def next_meeting(plan: Plan, today: dt.date) -> Meeting | None:
    """The first meeting on or after ``today``; ``None`` when the plan's calendar has ended."""
    for m in meetings(plan):
        if m.date >= today:
            return m
    return None


def previous_meeting(plan: Plan, current: Meeting) -> Meeting | None:
    """The meeting before ``current`` (regular or ad hoc), whose briefing "since the last meeting" compares with."""
    earlier = [m for m in meetings(plan) if m.date < current.date]
    return earlier[-1] if earlier else None
