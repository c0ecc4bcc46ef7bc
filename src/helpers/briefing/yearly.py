"""The page's year-by-year pieces: 年度任务完成情况, the final review's 三年行动总结, and the other readings.

Why a module apart from ``sections``: these tables are verdicts on closed years, not forecasts, and they have
their own rules - a March briefing (the first meeting after a plan year closes) opens its task section with the
year just closed; the meeting after the plan's last deadline is a three-year summary, year by year from the base
(the year end before the plan) to the last plan year, with no forecast, range or probability for any target whose
outcome is known; and where the plan's wording allows two readings, one line says what the other gives whenever
the verdicts differ. Everything here reads the attainments (``helpers.forecast.yearly`` filled them from the data
known at the cut-off); nothing is recomputed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from helpers.forecast.attainment import Attainment, ReadingOutcome, YearOutcome
from helpers.goals import goal_value
from helpers.labels import Lang, label, quantity
from helpers.wording import say

from .context import MeetingContext
from .markup import Badge, Table


def closed_year(c: MeetingContext) -> int | None:
    """The plan year that closed since the previous meeting's cut-off (the year a March briefing reports), or
    None. The first meeting of a plan reports the last plan year closed by its cut-off."""
    cut = c.meeting.cut_off
    year = cut.year - 1
    if not c.plan.start.year <= year <= c.plan.end.year or dt.date(year, 12, 31) > cut:
        return None
    if c.previous is not None and c.previous.cut_off >= dt.date(year, 12, 31):
        return None
    return year


def _amount(value: float | None, unit: str, lang: Lang) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else quantity(value, unit, lang)


def _gap(value: float | None, unit: str, lang: Lang) -> str:
    if unit == "percent":
        return say("verdicts.gap.points", lang, gap=f"{value:.1f}")
    return quantity(value or 0.0, unit, lang)


def rate_text(value: float | None, target: float, hit: bool | None) -> str:
    """完成率 as a whole percentage; one decimal, rounded down, where a miss would otherwise print as 100%."""
    if value is None or not target:
        return "—"
    rate = 100 * value / target
    shown = f"{rate:.0f}%"
    if hit is False and rate >= 99.5:
        return f"{math.floor(10 * rate) / 10:.1f}%"
    return shown


def gap_text(o: YearOutcome, unit: str, lang: Lang) -> str:
    """差距: what the figure fell short by; exactly at a ``more_than`` value, that it is not over it; — when met."""
    if o.reached is None:
        return "—"
    if o.reached:
        return "—"
    if not o.gap:
        return say("verdicts.gap.at_value", lang)
    return say("verdicts.gap.short", lang, gap=_gap(o.gap, unit, lang))


def conclusion(hit: bool | None, lang: Lang) -> str:
    return say({True: "verdicts.conclusion.reached", False: "verdicts.conclusion.missed",
                None: "verdicts.conclusion.unknown"}[hit], lang)


def _goal(a: Attainment, lang: Lang) -> str:
    return goal_value(a.target, a.unit, a.direction, lang)


def annual_table(c: MeetingContext, year: int) -> Table | None:
    """年度任务完成情况 of ``year``: every target set for each year - 目标 | 完成值 | 完成率 | 差距 | 结论."""
    lang = c.lang
    rows = []
    for a in c.attainments:
        o = next((y for y in a.years or () if y.year == year), None)
        if o is None:
            continue
        rows.append([a.name(lang), _goal(a, lang), _amount(o.value, a.unit, lang),
                     rate_text(o.value, o.target, o.reached), gap_text(o, a.unit, lang),
                     Badge("achieved" if o.reached else "missed" if o.reached is False else "no_data",
                           conclusion(o.reached, lang))])
    if not rows:
        return None
    header = [label("col.indicator", lang), label("col.target", lang), say("verdicts.col.value", lang, year=year),
              say("verdicts.col.rate", lang), say("verdicts.col.gap", lang), say("verdicts.col.conclusion", lang)]
    return Table(header, rows, numeric=(1, 2, 3, 4), gq="annual-table")


def annual_title(c: MeetingContext, year: int) -> str:
    return say("verdicts.annual.title", c.lang, year=year)


def annual_note(c: MeetingContext, year: int) -> str:
    """One sentence under the yearly table: how many targets were met, and which were missed."""
    lang = c.lang
    outs = [(a, o) for a in c.attainments for o in a.years or () if o.year == year]
    missed = [a.name(lang) for a, o in outs if o.reached is False]
    met = sum(1 for _, o in outs if o.reached)
    if not missed:
        return say("verdicts.annual.all_met", lang, year=year, n=met)
    return say("verdicts.annual.some_missed", lang, year=year, n=len(outs), met=met, missed=len(missed),
               names=say("join.list", lang).join(missed))


def settled(c: MeetingContext) -> list[Attainment]:
    """The targets judged on their outcome (achieved or missed), in plan order."""
    return [a for a in c.attainments if a.settled]


def review_table(c: MeetingContext) -> Table | None:
    """三年行动总结: every settled target year by year from the base year end to the plan's last year, then
    完成值 | 完成率 | 差距 | 结论 - no forecast, range or probability. A target set for each year shows each year's
    shortfall in its cell and the missed years in its conclusion."""
    lang = c.lang
    base, last = c.plan.start.year - 1, c.plan.end.year
    years = list(range(base, last + 1))
    rows = []
    for a in settled(c):
        ends = dict(a.year_ends)
        by_year = {o.year: o for o in a.years or ()}
        cells = []
        for y in years:
            value = ends.get(y)
            o = by_year.get(y)
            text = _amount(value, a.unit, lang)
            if o is not None and o.reached is False and value is not None:
                text = say("verdicts.review.cell_missed", lang, value=text, gap=gap_text(o, a.unit, lang))
            cells.append(text)
        hit = a.status == "achieved"
        final = YearOutcome(last, a.latest_value, a.target, a.direction)
        gap = gap_text(final, a.unit, lang)
        verdict = conclusion(hit, lang)  # one status word (docs/zh-style.md); the missed years' cells say 差…
        rows.append([a.name(lang), _goal(a, lang), *cells, _amount(a.latest_value, a.unit, lang),
                     rate_text(a.latest_value, a.target, final.reached), gap, Badge(a.status, verdict)])
    if not rows:
        return None
    header = [label("col.indicator", lang), label("col.target", lang),
              say("verdicts.col.base", lang, year=base), *(say("verdicts.col.year", lang, year=y) for y in years[1:]),
              say("verdicts.col.value", lang, year=last), say("verdicts.col.rate", lang), say("verdicts.col.gap", lang),
              say("verdicts.col.conclusion", lang)]
    n = len(header)
    return Table(header, rows, numeric=tuple(range(1, n - 1)), gq="review-table")


def review_title(c: MeetingContext) -> str:
    return say("verdicts.review.title", c.lang, start=c.plan.start.year, end=c.plan.end.year)


def review_note(c: MeetingContext) -> str:
    """How many targets were met, and which are still awaiting their figure (shown with their forecast)."""
    lang = c.lang
    done = settled(c)
    met = sum(1 for a in done if a.status == "achieved")
    waiting = [a.name(lang) for a in c.attainments if not a.settled]
    text = say("verdicts.review.note", lang, n=len(done), met=met, missed=len(done) - met)
    if waiting:
        text += say("verdicts.review.waiting", lang, names=say("join.list", lang).join(waiting))
    return text


def _differ(readings: list[ReadingOutcome]) -> bool:
    """The deciding reading and the other give different verdicts (one known either way and not the other's)."""
    if len(readings) < 2:
        return False
    deciding, other = readings[0], readings[1]
    known = [r.reached for r in (deciding, other) if r.reached is not None]
    return len(known) >= 1 and deciding.reached != other.reached and other.value is not None


def reading_lines(c: MeetingContext) -> list[str]:
    """One line per target whose two readings give different verdicts: what the other reading gives, and which
    reading this briefing judges by (the plan file's ``reading``). A reading that cannot be computed from the data
    (no year before the plan's start in the returns) is said so as well."""
    lang = c.lang
    out = []
    for a in c.attainments:
        if len(a.readings) < 2:
            continue
        other = a.readings[1]
        if _differ(a.readings) or (other.value is None and other.note(lang)):
            out.append(say("verdicts.reading.line", lang, name=a.name(lang), note=other.note(lang),
                           deciding=say(f"verdicts.reading.name.{a.readings[0].reading}", lang,
                                        start=c.plan.start.year)))
    return out


def reading_title(c: MeetingContext) -> str:
    return say("verdicts.reading.title", c.lang)



def xlsx_years(c: MeetingContext) -> tuple[list[str], list[list[tuple[str, object, str]]]]:
    """The Excel appendix's year-by-year sheet: one row per target and year end, from the base year to the last
    plan year closed by the cut-off; a target set for each year adds each year's verdict (cells as
    ``outputs._Sheets.write`` takes them: kind, value, unit)."""
    lang = c.lang
    header = [label("col.indicator", lang), say("verdicts.xlsx.col.year", lang), say("verdicts.col.value", lang),
              label("col.target", lang), say("verdicts.col.rate", lang), say("verdicts.col.gap", lang),
              say("verdicts.col.conclusion", lang)]
    rows = []
    for a in c.attainments:
        by_year = {o.year: o for o in a.years or ()}
        for year, value in a.year_ends:
            o = by_year.get(year)
            if o is None and a.settled and year == a.deadline.year:
                o = YearOutcome(year, a.latest_value, a.target, a.direction)
            rows.append([("text", a.name(lang), ""), ("int", year, ""), ("value", value, a.unit),
                         ("text", _goal(a, lang) if o is not None else None, ""),
                         ("probability", o.rate if o is not None else None, ""),
                         ("text", gap_text(o, a.unit, lang) if o is not None else None, ""),
                         ("text", conclusion(o.reached, lang) if o is not None else None, "")])
    return header, rows


def xlsx_readings(c: MeetingContext) -> tuple[list[str], list[list[tuple[str, object, str]]]]:
    """The Excel appendix's readings sheet: each reading of each target whose wording allows two."""
    lang = c.lang
    header = [label("col.indicator", lang), say("verdicts.xlsx.col.reading", lang),
              say("verdicts.xlsx.col.decides", lang), say("verdicts.col.value", lang),
              say("verdicts.col.conclusion", lang), say("verdicts.xlsx.col.note", lang)]
    rows = []
    for a in c.attainments:
        for r in a.readings:
            rows.append([("text", a.name(lang), ""),
                         ("text", say(f"verdicts.reading.name.{r.reading}", lang, start=c.plan.start.year), ""),
                         ("bool", r.decides, ""), ("value", r.value, a.unit),
                         ("text", conclusion(r.reached, lang) if r.reached is not None
                          else say("verdicts.conclusion.open", lang), ""),
                         ("text", r.note(lang), "")])
    return header, rows


def latest_cell(a: Attainment, lang: Lang) -> str:
    """The task table's latest figure: for a count set for each year, only a figure of the year it is judged for
    (in March the year just closed is in the yearly table above it, not progress toward the new year)."""
    if (a.years is not None and a.kind == "yearly_flow" and a.latest_date is not None
            and a.latest_date.year < a.deadline.year):
        return say("verdicts.latest.none_this_year", lang, year=a.deadline.year)
    return _amount(a.latest_value, a.unit, lang)


def of_focus_year(a: Attainment) -> Attainment:
    """``a`` with no latest figure when that figure is a previous year's count (see ``latest_cell``), for the task
    chart's bars: last year's count is not this year's progress."""
    if latest_cell(a, "en") == _amount(a.latest_value, a.unit, "en"):
        return a
    return dataclasses.replace(a, latest_value=None, latest_date=None)
