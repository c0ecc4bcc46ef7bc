"""Every plan year judged, and both readings of an ambiguous time word computed (plan wording 每年 / 年均 / 累计).

Why a step of its own after the models: a model forecasts the one year a meeting looks at (the focus year), but a
target the plan sets for each year (产学研 每年不少于120项, 年度余额超8.5亿元) is a promise for every plan year. A
year missed stays missed when a later year is met, so the verdict cannot come from the focus year alone. And where
the plan's words allow two readings (年均: the plan years' mean, or every year; 累计: from the plan's start, or
with firms cultivated before it), the plan file says which decides (``Target.reading``) and the other is computed
beside it from the same figures, so the leading group sees when the verdict hangs on the reading.

What it uses: only the year-end figures the model itself observed (``Attainment.history``, cut at the meeting's
cut-off by the model), so a year counts only once it has closed by the cut-off and its figure was reported by
then - no look-ahead. What it changes: the per-year outcomes and readings are added; once the focus year's outcome
is known the status follows the deciding reading over every plan year (``every_year``: achieved only when no year
was missed); and a target judged on its outcome carries no forecast, range or probability.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from helpers.calendar import Meeting
from helpers.forecast.attainment import FINAL_STATUSES, Attainment, ReadingOutcome, YearOutcome
from helpers.forecast.scoring import ByLang, amount, amount_apart, gap_amount, join, words
from helpers.goals import goal_value
from helpers.targets import Plan, Target, reached


def year_values(a: Attainment) -> dict[int, float]:
    """The year-end figures the model observed (its ``history``), by year."""
    h = a.history
    if h is None or not len(h):
        return {}
    dates = pd.to_datetime(h["date"])
    return {int(d.year): float(v) for d, v in zip(dates, h["value"], strict=True) if pd.notna(v)}


def closed_years(plan: Plan, cut_off: dt.date) -> list[int]:
    """The plan years whose 31 December is on or before the cut-off."""
    return [y for y in range(plan.start.year, plan.end.year + 1) if dt.date(y, 12, 31) <= cut_off]


def outcomes(t: Target, values: dict[int, float], years: list[int]) -> list[YearOutcome]:
    """One outcome per closed plan year (value None where the year's figure was not known at the cut-off)."""
    assert t.value is not None
    return [YearOutcome(y, values.get(y), t.value, t.direction) for y in years]


def _goal(t: Target) -> ByLang:
    assert t.value is not None
    return ByLang(goal_value(t.value, t.unit, t.direction, "zh"), goal_value(t.value, t.unit, t.direction, "en"))


def year_words(o: YearOutcome, unit: str) -> tuple[str, str]:
    """One year's outcome in a clause: 2023年未完成（117个，差3个）; exactly at a ``more_than`` value, 未超过."""
    if o.value is None:
        return words("verdicts.year.unknown", year=o.year)
    if o.reached:
        return words("verdicts.year.reached", year=o.year, value=amount(o.value, unit))
    if not o.gap:
        return words("verdicts.year.at_value", year=o.year, value=amount(o.value, unit),
                     goal=ByLang(goal_value(o.target, unit, o.direction, "zh"),
                                 goal_value(o.target, unit, o.direction, "en")))
    return words("verdicts.year.missed", year=o.year, value=amount(o.value, unit), gap=gap_amount(o.gap, unit))


def _span(years: list[int] | tuple[int, ...]) -> ByLang:
    if len(years) == 1:
        return ByLang(f"{years[0]}年", str(years[0]))
    return ByLang(f"{years[0]}—{years[-1]}年", f"{years[0]}-{years[-1]}")


def _verdict(hit: bool | None, t: Target, open_year: int | None = None) -> ByLang:
    if hit is None:
        return ByLang(*words("verdicts.verdict.open", year=open_year or ""))
    return ByLang(*words("verdicts.verdict.reached" if hit else "verdicts.verdict.missed", goal=_goal(t)))


def yearly_readings(t: Target, plan: Plan, years: list[YearOutcome]) -> list[ReadingOutcome]:
    """Both readings of 年均 for a target set for each year: every year, and the plan years' mean.

    The mean's verdict is known once every plan year is; before that, what the open years would need on average
    for the mean to reach the value."""
    assert t.value is not None and t.reading is not None
    all_years = list(range(plan.start.year, plan.end.year + 1))
    known = [o for o in years if o.value is not None]
    missed = [o for o in known if o.reached is False]
    complete = len(known) == len(all_years)
    # every year: decided as soon as one year is missed; reached once every plan year is known and reached
    every_hit = False if missed else (True if complete else None)
    lowest = min(known, key=lambda o: o.value) if known else None  # type: ignore[arg-type, return-value]
    if missed:
        note = join([words("verdicts.reading.every_year.missed"), join([year_words(o, t.unit) for o in missed],
                                                                        "join.list")], "join.sentences")
    elif complete:
        note = words("verdicts.reading.every_year.reached", span=_span(all_years), goal=_goal(t))
    else:
        note = words("verdicts.reading.every_year.open", span=_span([o.year for o in known]) if known else "")
    every = ReadingOutcome("every_year", t.reading == "every_year", lowest.value if lowest else None, every_hit,
                           tuple(o.year for o in known), *note)
    mean = sum(o.value for o in known) / len(known) if known else None  # type: ignore[misc]
    if complete and mean is not None:
        mean_hit = bool(reached(round(mean, 9), t.value, t.direction))
        # said as totals (the mean reached ⇔ the total reaches n × the value): no 10.5名 in prose (docs/zh-style.md)
        note = words("verdicts.reading.plan_mean.final", span=_span(all_years),
                     total=amount(sum(o.value for o in known), t.unit),  # type: ignore[misc]
                     goal=amount(t.value * len(all_years), t.unit), verdict=_verdict(mean_hit, t))
    elif known:
        mean_hit = None
        rest = [y for y in all_years if y not in {o.year for o in known}]
        need = max(t.value * len(all_years) - sum(o.value for o in known), 0.0)  # type: ignore[misc]
        note = words("verdicts.reading.plan_mean.open" if len(rest) == 1 else "verdicts.reading.plan_mean.open_years",
                     span=_span([o.year for o in known]), total=amount(sum(o.value for o in known), t.unit),  # type: ignore[misc]
                     rest=_span(rest),
                     need=amount_apart(need, t.value, t.unit))  # the rest years' total: whole people, firms
    else:
        mean_hit = None
        note = words("verdicts.reading.plan_mean.none")
    mean_r = ReadingOutcome("plan_mean", t.reading == "plan_mean", mean, mean_hit, tuple(o.year for o in known),
                            *note)
    return [every, mean_r] if t.reading == "every_year" else [mean_r, every]


def cumulative_readings(a: Attainment, t: Target, plan: Plan, final: bool) -> list[ReadingOutcome]:
    """Both readings of 累计: from the plan's start, and with the firms cultivated before it.

    The earlier firms are those the returns report for years before the plan's start (the model's completion
    table); when the returns hold no such year, the reading cannot be computed and the note says so rather than
    inventing a figure. The returns' first year is named: firms cultivated before it are in no return."""
    assert t.value is not None and t.reading is not None
    start = plan.start.year
    completion = a.details.get("completion")
    fy = pd.Series(dtype=float)
    if completion is not None and len(completion):
        fy = completion.set_index("year")["fy"].dropna()
    before = fy.loc[fy.index < start]
    total = a.latest_value
    if total is None:
        return []
    with_earlier = t.reading == "with_earlier"
    earlier = float(before.sum())
    # the model counted what the deciding reading counts: the other reading adds or removes the earlier years
    from_start = total - earlier if with_earlier else total
    including = total if with_earlier else total + earlier

    def verdict(value: float) -> bool | None:
        hit = bool(reached(value, t.value, t.direction))
        return hit if (hit or final) else None  # a count that cannot fall is reached for good once reached

    start_hit = verdict(from_start)
    first = ByLang(*words("verdicts.reading.from_plan_start", start=start, value=amount(from_start, t.unit),
                          verdict=_verdict(start_hit, t, plan.end.year)))
    plan_start = ReadingOutcome("from_plan_start", not with_earlier, from_start, start_hit,
                                tuple(int(y) for y in fy.index if y >= start), first.zh, first.en)
    if before.empty:
        note = words("verdicts.reading.with_earlier.none", start=start)
        earlier_r = ReadingOutcome("with_earlier", with_earlier, None, None, (), *note)
    else:
        years = [int(y) for y in before.index]
        inc_hit = verdict(including)
        note = words("verdicts.reading.with_earlier", start=start, span=_span(years), first=years[0],
                     earlier=amount(earlier, t.unit), total=amount(including, t.unit),
                     verdict=_verdict(inc_hit, t, plan.end.year))
        earlier_r = ReadingOutcome("with_earlier", with_earlier, including, inc_hit, tuple(int(y) for y in fy.index),
                                   *note)
    return [earlier_r, plan_start] if with_earlier else [plan_start, earlier_r]


def _without_forecast(a: Attainment) -> Attainment:
    """A target judged on its outcome: no forecast, range or probability anywhere it is shown."""
    return dataclasses.replace(a, forecast_point=None, forecast_lo80=None, forecast_hi80=None, forecast_lo95=None,
                               forecast_hi95=None, p_reach=None, path=a.path.iloc[0:0])


def judge(a: Attainment, t: Target, plan: Plan, meeting: Meeting) -> Attainment:
    """``a`` with its per-year outcomes, both readings where the wording allows two, the year-end figures from the
    base year, and - once the focus year's outcome is known - the status over every plan year."""
    values = year_values(a)
    years = closed_years(plan, meeting.cut_off)
    base = plan.start.year - 1
    ends = [(y, values.get(y)) for y in range(base, (years[-1] if years else base) + 1)]
    a = dataclasses.replace(a, year_ends=ends)
    if a.status == "no_data" or t.value is None:
        return a
    if t.period == "yearly":
        outs = outcomes(t, values, years)
        readings = yearly_readings(t, plan, outs) if t.reading else []
        a = dataclasses.replace(a, years=outs, readings=readings)
        a = _yearly_status(a, t, outs, readings)
    elif t.measure == "task_cumulative" and t.reading:
        a = dataclasses.replace(a, readings=cumulative_readings(a, t, plan, a.status in FINAL_STATUSES))
    return _without_forecast(a) if a.status in FINAL_STATUSES else a


def _yearly_status(a: Attainment, t: Target, outs: list[YearOutcome],
                   readings: list[ReadingOutcome]) -> Attainment:
    """Once the focus year is judged, the status over every plan year by the deciding reading, and its words.

    Before that, the status is the focus year's forecast (that year's promise can still be kept), and the
    sentence names the earlier years that were missed."""
    missed = [o for o in outs if o.reached is False and o.year != a.deadline.year]
    if a.status not in FINAL_STATUSES:
        if not missed:
            return a
        earlier = words("verdicts.years.earlier_missed",
                        years=ByLang(*join([year_words(o, t.unit) for o in missed], "join.list")))
        zh, en = join([(a.what_it_takes_zh, a.what_it_takes_en), earlier])
        return dataclasses.replace(a, what_it_takes_zh=zh, what_it_takes_en=en)
    deciding = next((r for r in readings if r.decides), None)
    if deciding is not None and deciding.reading == "plan_mean":
        hit = deciding.reached
    else:
        known = [o.reached for o in outs]
        hit = False if False in known else (True if known and None not in known else None)
    if hit is None:
        return a  # an earlier plan year was never reported: the focus year's verdict stands, its words say so
    course = words("verdicts.years.course", years=ByLang(*join([year_words(o, t.unit) for o in outs], "join.list")))
    focus_reached = a.status == "achieved"
    # a focus year reached beside an earlier year missed: its "reached" sentence under 未完成 would contradict the
    # status, so the course alone (which names the focus year's figure) says it
    zh, en = course if focus_reached and not hit else join([(a.what_it_takes_zh, a.what_it_takes_en), course])
    return dataclasses.replace(a, status="achieved" if hit else "missed", what_it_takes_zh=zh, what_it_takes_en=en)


def judge_all(attainments: list[Attainment], plan: Plan, meeting: Meeting) -> list[Attainment]:
    """``judge`` for every attainment of a meeting, in the same order."""
    return [judge(a, plan.target(a.id), plan, meeting) for a in attainments]


__all__ = ["closed_years", "cumulative_readings", "judge", "judge_all", "outcomes", "year_values", "year_words",
           "yearly_readings"]
