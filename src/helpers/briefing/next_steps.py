"""The 下一步工作建议 section in words: one item per target not on track (its quantities, its lead unit first), the
roll-up by unit, the 通报 of towns against their quotas and the 提请会议研究事项 — in the page's language, and as
records for the summary JSON.

Numbers come from ``actions`` (per target) and ``decisions`` (matters for the meeting, roll-up); this module only
words them through the catalogue (``wording/nextsteps.yaml``). Chinese is written as a 简报 writes it: dates as
2024年底, periods as 2024年上半年, whole firms and people, the target's own unit, no code or model names.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from helpers.departments import Department
from helpers.forecast.attainment import Attainment
from helpers.labels import Lang, quantity, status_label, town_label
from helpers.wording import say

from .actions import WHOLE_UNITS, Action, Quantity, TownGap, actions, town_report, who
from .context import MeetingContext
from .decisions import EFFORT_SHARE, Decision, UnitRoll, decisions, roll_up
from .formatting import num
from .markup import Table


# ------------------------------------------------------------------------------------------ figures and dates
def _trim(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pct(x: float) -> str:
    """A percentage without spurious decimals: 48%, 38.1%."""
    return f"{_trim(x, 1)}%"


def pct_apart(x: float, goal: float) -> str:
    """A rate beside the goal it falls short of, with the decimals that tell them apart (19.96%, never 20%)."""
    for digits in (1, 2, 3):
        if _trim(x, digits) != _trim(goal, digits):
            return f"{_trim(x, digits)}%"
    return pct(x)


def amount(x: float, unit: str, lang: Lang) -> str:
    """A figure in the target's own unit: whole counts, 亿元 to one decimal, percentages trimmed."""
    if unit == "percent":
        return pct(x)
    if unit == "100m_yuan":
        return say("nextsteps.yuan100m", lang, n=_trim(x, 1))
    if unit in WHOLE_UNITS:
        return quantity(round(x), unit, lang)
    return _trim(x, 1)


def chinese_date(day: dt.date, lang: Lang) -> str:
    """2024年底 for a year's last day, else 2024年8月31日 (English: the end of 2024, 31 August 2024)."""
    if day.month == 12 and day.day == 31:
        return say("nextsteps.date.year_end", lang, year=day.year)
    return say("nextsteps.date.day", lang, year=day.year, month=say(f"nextsteps.month.{day.month}", lang),
               day=day.day)


def period(iso: str | None, lang: Lang) -> str:
    """The period a year-to-date figure covers: 2024年上半年, 2024年全年, 2024年1—7月."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(str(iso)[:10])
    if day.month == 6 and day.day == 30:
        return say("nextsteps.period.h1", lang, year=day.year)
    if day.month == 12 and day.day == 31:
        return say("nextsteps.period.year", lang, year=day.year)
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return say("nextsteps.period.months", lang, year=day.year, month=say(f"nextsteps.month.{day.month}", lang))
    return say("nextsteps.period.at", lang, date=chinese_date(day, lang))


def _names(units: tuple[Department, ...], lang: Lang) -> str:
    return say("nextsteps.list_separator", lang).join(d.name(lang) for d in units)


def who_text(act: Action, lang: Lang) -> str:
    """Who acts: 由<lead>牵头，<support>配合 (the lead always first); a proposal where the plan names none."""
    if not act.lead:
        return say("nextsteps.who.none", lang)
    if act.proposed_lead:
        return say("nextsteps.who.proposed", lang, lead=_names(act.lead, lang))
    if act.support:
        return say("nextsteps.who.lead_support", lang, lead=_names(act.lead, lang), support=_names(act.support, lang))
    return say("nextsteps.who.lead", lang, lead=_names(act.lead, lang))


# ------------------------------------------------------------------------------------------ quantities in words
def quantity_text(c: MeetingContext, a: Attainment, q: Quantity, lang: Lang) -> str:
    """One quantity as a clause of the item."""
    b = q.basis
    deadline = chinese_date(a.deadline, lang)
    if q.kind == "recognitions":
        return say("nextsteps.q.recognitions", lang, deadline=deadline, safe=amount(b["safe"], "firms", lang),
                   need=amount(q.value, "firms", lang))
    if q.kind == "applications":
        if "applied" not in b:
            return say("nextsteps.q.applications_rate", lang, rate=pct(100 * float(b["rate"])),
                       apps=amount(q.value, "firms", lang))
        return say("nextsteps.q.applications", lang, rate=pct(100 * float(b["rate"])), apps=amount(q.value, "firms", lang),
                   year=b["year"], applied=amount(float(b["applied"]), "firms", lang))
    if q.kind == "numerator":
        key = "nextsteps.q.numerator_known" if b.get("month") == 12 else "nextsteps.q.numerator"
        return say(key, lang, year=b["year"],
                   denominator=say(f"ind.{b['denominator_of']}", lang), base=amount(float(b["denominator"]), "100m_yuan", lang),
                   numerator=say(f"ind.{b['numerator_of']}", lang), extra=amount(q.value, "100m_yuan", lang),
                   target=pct(a.target))
    if q.kind == "remaining":
        if not b.get("as_of"):  # nothing of the year reported yet
            return say("nextsteps.q.remaining_all", lang, deadline=deadline, need=amount(q.value, a.unit, lang))
        common = dict(period=period(b.get("as_of"), lang), deadline=deadline,
                      done=amount(float(b["done"]), a.unit, lang), need=amount(q.value, a.unit, lang))
        if "pace" in b:
            return say("nextsteps.q.remaining_pace", lang, pace=pct(100 * float(b["pace"])),
                       expected=amount(float(b["expected"]), a.unit, lang), **common)
        return say("nextsteps.q.remaining", lang, **common)
    if q.kind == "points":
        return say("nextsteps.q.points", lang, period=period(b.get("as_of"), lang), done=pct(float(b["done"])),
                   target=pct(a.target), gap=_trim(q.value, 1))
    if q.kind == "firms_short":
        return say("nextsteps.q.firms_short", lang, date=chinese_date(dt.date.fromisoformat(str(b["as_of"])), lang),
                   firms=amount(float(b["firms"]), "firms", lang), lacking=amount(q.value, "firms", lang))
    if q.kind == "stages":
        return say("nextsteps.q.stages", lang, done=int(b["done"]), need=int(q.value), deadline=deadline)
    if q.kind == "towns_behind":
        return say("nextsteps.q.towns_behind", lang, towns=int(b["towns"]), behind=int(q.value), goal=pct(a.target))
    if q.kind == "next_year":
        return say("nextsteps.q.next_year", lang, last=a.deadline.year, done=amount(float(b["done"]), a.unit, lang),
                   missed=amount(float(b["missed_by"]), a.unit, lang), year=b["year"], need=amount(q.value, a.unit, lang))
    raise KeyError(f"no wording for quantity kind {q.kind!r}")


def town_gap_text(g: TownGap, lang: Lang, *, detail: bool = False, when: str = "") -> str:
    """A town behind: in short (开发区尚差26个) for an item, in detail (任务, 完成, 应完成) for the 通报."""
    town = town_label(g.town, lang)
    if g.judged in ("rate", "final_rate"):
        key = {"rate": "nextsteps.towns.gap_rate", "final_rate": "nextsteps.towns.gap_final_rate"}[g.judged]
        return say(key if detail else "nextsteps.q.town_rate", lang, town=town, have=pct_apart(g.done, g.goal))
    if not detail:
        return say("nextsteps.q.town_count", lang, town=town, gap=amount(g.shortfall, g.unit, lang))
    values = dict(town=town, goal=amount(g.goal, g.unit, lang), period=when, done=amount(g.done, g.unit, lang),
                  gap=amount(g.shortfall, g.unit, lang))
    if g.judged == "final_count":
        return say("nextsteps.towns.gap_final_count", lang, **values)
    if g.judged == "pace" and g.expected is not None:
        return say("nextsteps.towns.gap_pace", lang, expected=amount(g.expected, g.unit, lang), **values)
    return say("nextsteps.towns.gap_count", lang, forecast=amount(g.forecast or 0.0, g.unit, lang), **values)


def quantities_text(c: MeetingContext, act: Action, lang: Lang) -> str:
    """The item's quantities as one sentence, with the towns behind (largest shortfall first)."""
    a = act.target
    parts = [quantity_text(c, a, q, lang) for q in act.quantities]
    if act.towns:
        key = {"pace": "nextsteps.q.towns_pace", "rate": "nextsteps.q.towns_rate"}.get(act.towns[0].judged,
                                                                                      "nextsteps.q.towns")
        parts.append(say(key, lang, towns=say("nextsteps.list_separator", lang).join(
            town_gap_text(g, lang) for g in act.towns)))
    if not parts:
        return ""
    return say("nextsteps.clause_join", lang).join(parts) + say("nextsteps.sentence_end", lang)


def item_text(c: MeetingContext, act: Action, lang: Lang) -> str:
    a = act.target
    p = num(a.p_reach)
    args = dict(name=a.name(lang), status=status_label(a.status, lang), quantities=quantities_text(c, act, lang),
                who=who_text(act, lang))
    if p is not None and a.status not in ("missed", "achieved"):
        return say("nextsteps.item_p", lang, p=_p(p, lang), **args)
    return say("nextsteps.item", lang, **args)


def _p(p: float, lang: Lang) -> str:
    """A probability as a whole percentage: below 1 % as 不足1%, above 99 % as 99%以上 (a forecast is never 0 or 100 %)."""
    if p < 0.01:
        return say("nextsteps.p.below", lang, n=1)
    if p > 0.99:
        return say("nextsteps.p.above", lang, n=99)
    return say("nextsteps.p.about", lang, n=f"{100 * p:.0f}")


def short_text(a: Attainment, q: Quantity, lang: Lang) -> str:
    """A quantity in short, for the roll-up by unit."""
    b = q.basis
    values = dict(need=amount(q.value, q.unit or a.unit, lang), apps=amount(q.value, "firms", lang),
                  extra=amount(q.value, "100m_yuan", lang), gap=_trim(q.value, 1), behind=int(q.value),
                  deadline=chinese_date(a.deadline, lang), year=b.get("year", ""),
                  numerator=say(f"ind.{b['numerator_of']}", lang) if "numerator_of" in b else "")
    if q.kind == "stages":
        values["need"] = str(int(q.value))
    return say(f"nextsteps.short.{q.kind}", lang, **values)


# ------------------------------------------------------------------------------------------ the section
def responsibility_of(c: MeetingContext):
    """A target → (lead units, supporting units), the office proposed where the plan names none (``actions.who``)."""
    def of(a: Attainment) -> tuple[tuple[Department, ...], tuple[Department, ...]]:
        resp, _ = who(c, a)
        return resp.lead, resp.support
    return of


def rollup_table(c: MeetingContext, acts: list[Action], rolls: list[UnitRoll]) -> Table | None:
    """One row per unit that leads a target: the targets it leads by status and how many it supports, and what it
    must deliver for those not on track (the supporting-only units are named after the table, ``support_line``)."""
    lang = c.lang
    sep = say("nextsteps.list_separator", lang)
    rows = []
    for r in rolls:
        if not r.leads:
            continue
        targets = (say("nextsteps.rollup.and_supports", lang, leads=_status_counts(r.leads, lang), n=len(r.supports))
                   if r.supports else say("nextsteps.rollup.leads_only", lang, leads=_status_counts(r.leads, lang)))
        deliver = say("nextsteps.clause_join", lang).join(
            say("nextsteps.rollup.deliver_item", lang, name=act.target.name(lang),
                quantity=sep.join(short_text(act.target, q, lang) for q in act.quantities))
            for act in r.actions if act.quantities) or say("nextsteps.rollup.nothing", lang)
        rows.append([r.unit.name(lang), targets, deliver])
    header = [say(f"nextsteps.rollup.{k}", lang) for k in ("unit", "leads", "deliver")]
    return Table(header, rows, gq="nextsteps-rollup") if rows else None


def support_line(c: MeetingContext, rolls: list[UnitRoll]) -> str:
    """The units that only support: each with how many targets it supports (how many of them are not on track)."""
    lang = c.lang
    only = [r for r in rolls if not r.leads and r.supports]
    if not only:
        return ""
    units = say("nextsteps.list_separator", lang).join(
        say("nextsteps.rollup.support_unit", lang, unit=r.unit.name(lang), n=len(r.supports),
            open=sum(a.status in ("at_risk", "off_track") for a in r.supports)) for r in only)
    return say("nextsteps.rollup.support_only", lang, units=units)


#: the order statuses are counted in (worst first)
STATUS_ORDER = ("missed", "off_track", "at_risk", "on_track", "achieved", "no_data")


def _status_counts(targets: list[Attainment], lang: Lang) -> str:
    """How many targets a unit leads, by status, worst first: 18项（滞后6项、有风险9项、按进度3项）."""
    parts = [say("nextsteps.rollup.status_count", lang, status=status_label(st, lang), n=n)
             for st in STATUS_ORDER if (n := sum(a.status == st for a in targets))]
    return say("nextsteps.rollup.count", lang, n=len(targets),
               parts=say("nextsteps.list_separator", lang).join(parts))


def town_lines(c: MeetingContext, report: list[tuple[Attainment, int, list[TownGap]]]) -> list[str]:
    """The 通报: per target with goals by unit, how many of its units are behind and by how much (11个区镇中4个)."""
    lang = c.lang
    out = []
    for a, units, gaps in report:
        when = period(a.latest_date.isoformat() if a.latest_date else None, lang)
        if not gaps:
            out.append(say("nextsteps.towns.line_none", lang, name=a.name(lang), units=units))
            continue
        text = say("nextsteps.town_separator", lang).join(town_gap_text(g, lang, detail=True, when=when) for g in gaps)
        key = f"nextsteps.towns.line_{gaps[0].judged}"
        out.append(say(key, lang, name=a.name(lang), units=units, behind=len(gaps), gaps=text, goal=pct(gaps[0].goal)
                       if gaps[0].unit == "percent" else amount(gaps[0].goal, gaps[0].unit, lang)))
    return out


def decision_text(d: Decision, lang: Lang) -> str:
    sep = say("nextsteps.list_separator", lang)
    if d.kind == "missed":
        items = sep.join(say("nextsteps.decisions.missed_item", lang, name=a.name(lang),
                             outcome=amount(f["outcome"], a.unit, lang), target=amount(a.target, a.unit, lang))
                         for a, f in zip(d.targets, d.figures, strict=True))
        return say("nextsteps.decisions.missed", lang, items=items)
    if d.kind == "cannot_meet":
        items = sep.join(say("nextsteps.decisions.cannot_meet_item", lang, name=a.name(lang),
                             forecast=amount(f["forecast"], a.unit, lang), target=amount(a.target, a.unit, lang))
                         for a, f in zip(d.targets, d.figures, strict=True))
        return say("nextsteps.decisions.cannot_meet", lang, items=items, threshold=pct(100 * d.figures[0]["threshold"]))
    if d.kind == "lever":
        items = say("nextsteps.list_separator", lang).join(
            say("nextsteps.decisions.lever_item", lang, name=a.name(lang), effort=amount(g["effort"], a.unit, lang)
                if a.unit != "percent" else say("nextsteps.decisions.points", lang, n=_trim(g["effort"], 1)),
                p_now=_p(g["p_now"], lang), p_after=_p(g["p_after"], lang))
            for a, g in zip(d.targets, d.figures, strict=True))
        return say("nextsteps.decisions.levers", lang, share=pct(100 * EFFORT_SHARE), items=items)
    if d.kind == "towns":
        towns = say("nextsteps.list_separator", lang).join(town_label(t, lang) for t in d.towns)
        return say("nextsteps.decisions.towns", lang, towns=towns, n=min(f["targets"] for f in d.figures))
    raise KeyError(f"no wording for decision kind {d.kind!r}")


def intro(c: MeetingContext, acts: list[Action], date: str) -> str:
    """The section's first sentence: how many targets need action; else whether any was missed for good."""
    if acts:
        return say("nextsteps.intro", c.lang, date=date, n=len(acts))
    missed = sum(a.status == "missed" for a in c.attainments)
    if missed:
        return say("nextsteps.none_missed", c.lang, date=date, n=missed)
    return say("nextsteps.none", c.lang, date=date)


@dataclass
class NextSteps:
    """The section as data for its template (``templates/sections/next_steps.html.j2``)."""

    title: str
    intro: str
    items: list[str]
    rollup_title: str
    rollup: Table | None
    support: str
    towns_title: str
    towns: list[str]
    decisions_title: str
    decisions: list[str]


def next_steps(c: MeetingContext) -> NextSteps:
    """The whole section for the meeting in its language."""
    lang = c.lang
    acts = actions(c)
    date = chinese_date(c.meeting.cut_off, lang)
    items = [item_text(c, act, lang) for act in acts]
    rolls = roll_up(c.attainments, acts, responsibility_of(c))
    report = town_report(c)
    towns = town_lines(c, report) or [say("nextsteps.towns.no_goals", lang)]
    matters = [decision_text(d, lang) for d in decisions(c.attainments, acts, report)] or [
        say("nextsteps.decisions.none", lang)]
    return NextSteps(
        title=say("sec.next_steps", lang),
        intro=intro(c, acts, date),
        items=items, rollup_title=say("nextsteps.rollup.title", lang),
        rollup=rollup_table(c, acts, rolls), support=support_line(c, rolls),
        towns_title=say("nextsteps.towns.title", lang), towns=towns,
        decisions_title=say("nextsteps.decisions.title", lang), decisions=matters)


# ------------------------------------------------------------------------------------------ summary JSON
def _units(units: tuple[Department, ...]) -> list[dict]:
    return [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en} for d in units]


def summary(c: MeetingContext) -> dict:
    """The section as a record (docs/summary-schema.md, ``next_steps``): numbers, units by code and both languages."""
    acts = actions(c)
    langs: tuple[Lang, ...] = ("zh", "en")
    rolls = roll_up(c.attainments, acts, responsibility_of(c))
    report = town_report(c)
    return {
        "actions": [{
            "id": act.target.id, "status": act.target.status, "lead": _units(act.lead), "support": _units(act.support),
            "lead_proposed": act.proposed_lead,
            "quantities": [{"kind": q.kind, "value": q.value, "unit": q.unit, "basis": q.basis} for q in act.quantities],
            "towns": [{"town": g.town, "goal": g.goal, "done": g.done, "shortfall": g.shortfall, "judged": g.judged}
                      for g in act.towns],
            **{f"text_{lang}": item_text(c, act, lang) for lang in langs},
        } for act in acts],
        "units": [{"code": r.unit.code, "name_zh": r.unit.name_zh, "name_en": r.unit.name_en,
                   "leads": [a.id for a in r.leads], "supports": [a.id for a in r.supports],
                   "open": [act.target.id for act in r.actions]} for r in rolls],
        "decisions": [{"kind": d.kind, "targets": [a.id for a in d.targets], "towns": list(d.towns),
                       "figures": list(d.figures), **{f"text_{lang}": decision_text(d, lang) for lang in langs}}
                      for d in decisions(c.attainments, acts, report)],
        "towns": [{"id": a.id, "units": units,
                   "behind": [{"town": g.town, "goal": g.goal, "done": g.done, "shortfall": g.shortfall,
                               "judged": g.judged, "expected": g.expected} for g in gaps]}
                  for a, units, gaps in report],
    }


def sheet(c: MeetingContext) -> tuple[str, list[str], list[list[tuple[str, object, str]]]]:
    """The xlsx appendix's sheet: one row per action (target, status, probability, lead, supporting units, what to
    deliver, towns behind), as ``(kind, value, unit)`` cells for ``outputs._Sheets.write``."""
    lang = c.lang
    sep = say("nextsteps.list_separator", lang)
    rows = []
    for no, act in enumerate(actions(c), start=1):
        a = act.target
        rows.append([("int", no, ""), ("text", a.name(lang), ""), ("status", a.status, ""),
                     ("probability", a.p_reach, ""), ("text", say("nextsteps.xlsx.proposed", lang, lead=_names(act.lead, lang))
                                                            if act.proposed_lead else _names(act.lead, lang), ""),
                     ("text", _names(act.support, lang), ""), ("text", quantities_text(c, act, lang), ""),
                     ("text", sep.join(town_label(g.town, lang) for g in act.towns), "")])
    header = [say(f"nextsteps.xlsx.{k}", lang) for k in ("no", "target", "status", "p", "lead", "support", "deliver",
                                                          "towns")]
    return say("sec.next_steps", lang), header, rows


__all__ = ["NextSteps", "next_steps", "sheet", "summary"]
