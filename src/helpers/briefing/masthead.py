"""The 简报's masthead: its title with the issue number (期数), the 编印单位 and the date it is issued.

Rules (docs/zh-style.md, "简报的格式"):
- Title: "<district><group>会议简报（<year>年第<n>期）", the district and group as the region file's ``briefing``
  block names them (the region's name and the catalogue's generic group when the file gives none).
- Issue number: the meeting's place among the plan's meetings **of the same calendar year**, in date order, the
  ad-hoc meetings briefed so far included (``calendar.meetings``): 2024-03 is 2024年第1期, 2024-09 第2期; an ad-hoc
  meeting on 2024-06-20 would make 2024-09 第3期. A new year starts again at 第1期 (the final review, 2025-03, is
  2025年第1期).
- 编印单位: ``compiled_by_zh/en`` of the region file (else "<group>办公室"); it also signs the cover note.
- Date: ``issued_days_before`` days before the meeting (region file; 3 by default), never before the data
  cut-off's next day.
The page's ``<title>``, the PDF's title, the index and the cover note all take this title from the summary JSON
(``title_zh`` / ``title_en``), so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from helpers.calendar import Meeting, meetings
from helpers.datewords import day_text
from helpers.targets import Plan
from helpers.wording import say


@dataclass(frozen=True)
class Masthead:
    """One briefing's masthead in one language."""

    title: str
    number: int
    year: int
    compiled_by: str
    issued: dt.date
    issued_text: str


def issue_number(plan: Plan, m: Meeting) -> int:
    """The meeting's 期数: 1 + the plan's meetings earlier in the same calendar year (ad-hoc ones included)."""
    earlier = {x.id for x in meetings(plan) if x.date.year == m.date.year and (x.date, x.ad_hoc) < (m.date, m.ad_hoc)}
    earlier.discard(m.id)
    return 1 + len(earlier)


def issue_date(plan: Plan, m: Meeting) -> dt.date:
    """The day the 简报 is dated: ``issued_days_before`` the meeting, never on or before the data cut-off."""
    head = plan.region.masthead
    days = head.issued_days_before if head is not None else 3
    return max(m.date - dt.timedelta(days=days), m.cut_off + dt.timedelta(days=1))


def masthead(plan: Plan, m: Meeting, lang: str = "zh") -> Masthead:
    """The masthead of meeting ``m``'s 简报 in ``lang``."""
    head = plan.region.masthead
    if head is not None:
        name, group, compiled = head.name(lang), head.group(lang), head.compiled_by(lang)
    else:
        name = plan.region.name_zh if lang == "zh" else plan.region.name_en
        group = say("masthead.group", lang)
        compiled = say("masthead.compiled_by", lang, group=group)
    number = issue_number(plan, m)
    issued = issue_date(plan, m)
    return Masthead(title=say("masthead.title", lang, name=name, group=group, year=m.date.year, no=number),
                    number=number, year=m.date.year, compiled_by=compiled, issued=issued,
                    issued_text=day_text(issued, lang))
