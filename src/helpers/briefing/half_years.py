"""Half-years short of a target the plan wants every half-year (e.g. 联合服务 原则上每半年组织实施一次).

Why apart from the yearly verdict: a yearly count of two can hide a half-year with none (two rounds in the first
half, none in the second), which is exactly what "every half-year" rules out. The plan file marks such a target
with ``each_half`` (how many each half-year must have); the returns give the year-to-date count at 30 June and
31 December, so the second half is the year's count less the first half's.

No look-ahead: only returns known at the cut-off (``MeetingContext.data`` is already cut), and only half-years
that have ended and been reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.labels import Lang, quantity
from helpers.targets import Target
from helpers.towns import DISTRICT
from helpers.vintage import latest
from helpers.wording import say

from .context import MeetingContext

TASK_KEY = ["task_id", "town", "year", "period_end"]


@dataclass(frozen=True)
class HalfYear:
    """One reported half-year of an ``each_half`` target."""

    target: Target
    year: int
    half: int  # 1 (January-June) or 2 (July-December)
    done: float
    needed: int

    @property
    def short(self) -> bool:
        return self.done < self.needed


def half_years(c: MeetingContext) -> list[HalfYear]:
    """Every reported half-year of the plan's years for each target with ``each_half``, in time order."""
    out: list[HalfYear] = []
    tasks = c.data.tasks
    if tasks.empty:
        return out
    known = latest(tasks.loc[tasks["town"] == DISTRICT], TASK_KEY)
    ends = pd.to_datetime(known["period_end"])
    for t in c.plan.scored:
        if not t.each_half or not t.series:
            continue
        for year in range(c.plan.start.year, c.plan.end.year + 1):
            ytd = {}
            for half, month in ((1, 6), (2, 12)):
                row = known.loc[(known["task_id"] == t.series[0]) & (ends.dt.year == year) & (ends.dt.month == month)]
                if len(row):
                    ytd[half] = float(row["value"].iloc[-1])
            if 1 in ytd:
                out.append(HalfYear(t, year, 1, ytd[1], t.each_half))
            if 1 in ytd and 2 in ytd:
                out.append(HalfYear(t, year, 2, ytd[2] - ytd[1], t.each_half))
    return out


def short_lines(c: MeetingContext) -> list[str]:
    """One sentence per half-year short of its target's ``each_half``, for the task section."""
    return [line(h, c.lang) for h in half_years(c) if h.short]


def line(h: HalfYear, lang: Lang) -> str:
    return say("half_years.short", lang, name=h.target.short(lang), year=h.year,
               half=say(f"half_years.half.{h.half}", lang), done=quantity(h.done, h.target.unit, lang),
               needed=quantity(h.needed, h.target.unit, lang))
