"""Dates and periods as a reader writes them: "2024年8月31日", "2024年底", "1—7月累计", "2023年全年" on a Chinese
page, "31 August 2024", "end of 2024", "January-July" on an English one.

Why one module: a 简报 never prints an ISO date (``2024-08-31`` reads as a database field), and the same day must
read the same way in a table, a sentence, a chart's axis and the cover note. The words are in the catalogue
(``wording/form.yaml``, keys ``dates.*``); this module only picks the key and fills it.
"""

from __future__ import annotations

import datetime as dt

from helpers.wording import say


def _mon(month: int, lang: str) -> str:
    return say(f"dates.month_name.{month}", lang)


def _as_date(day: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(str(day)[:10]) if not isinstance(day, dt.date) else day


def day_text(day: dt.date | str | None, lang: str = "zh") -> str:
    """A day: 2024年8月31日 / 31 August 2024; a dash when unknown."""
    if day is None or str(day) in ("", "NaT", "None", "nan"):
        return "—"
    d = _as_date(day)
    return say("dates.day", lang, y=d.year, mon=_mon(d.month, lang), d=d.day)


def chart_day_text(day: dt.date, lang: str = "zh") -> str:
    """A day in a chart's foot line: 2024年8月31日 / 2024-08-31 (English keeps the compact form a phone fits)."""
    return say("dates.chart_day", lang, y=day.year, m=day.month, d=day.day)


def chart_meeting_text(meeting_id: str, lang: str = "zh") -> str:
    """A meeting on a chart's axis: 2024年3月 / 2024-03; an ad-hoc meeting by its day (``chart_day_text``)."""
    parts = [int(p) for p in meeting_id.split("-")]
    if len(parts) == 3:
        return chart_day_text(dt.date(*parts), lang)
    return say("dates.chart_month", lang, y=parts[0], m=parts[1])


def month_text(year: int, month: int, lang: str = "zh") -> str:
    """A month: 2024年8月 / August 2024."""
    return say("dates.month", lang, y=year, mon=_mon(month, lang))


def year_end_text(year: int, lang: str = "zh") -> str:
    """The end of a year, as a deadline reads: 2024年底 / end of 2024."""
    return say("dates.year_end", lang, y=year)


def deadline_text(day: dt.date | str, lang: str = "zh") -> str:
    """A deadline: 31 December reads as the year's end (2024年底), any other day as the day."""
    d = _as_date(day)
    return year_end_text(d.year, lang) if (d.month, d.day) == (12, 31) else day_text(d, lang)


def ytd_text(year: int, month: int, lang: str = "zh") -> str:
    """A year-to-date period ending in ``month``: 2024年1—7月累计 (2023年全年 for December; 2024年1月 for January)."""
    if month == 12:
        return say("dates.full_year", lang, y=year)
    if month == 1:
        return month_text(year, 1, lang)
    return say("dates.ytd", lang, y=year, mon=_mon(month, lang))


def meeting_text(meeting_id: str, lang: str = "zh") -> str:
    """A meeting by its id: 2024-03 reads 2024年3月会议, an ad-hoc 2024-06-20 reads 2024年6月20日会议."""
    parts = [int(p) for p in meeting_id.split("-")]
    if len(parts) == 3:
        return say("dates.meeting", lang, when=day_text(dt.date(*parts), lang))
    return say("dates.meeting", lang, when=month_text(parts[0], parts[1], lang))
