"""What each target not on track asks of its units, as quantities a unit can act on (下一步工作建议).

Why: a probability or a gap in points tells the leading group how far off a target is, not what must happen. Each
function here turns one target's gap into the quantities of its measure, from the data known at the cut-off only
(the context's data are already cut): new recognitions and the applications they take at the observed pass rate,
output to add for a share (in 亿元, from the full-year denominator the year's own path and earlier years' seasons
give), the count still to do in the year and against the same period of earlier years (序时进度), coverage points,
links of a chain. Counts of firms, items and people are whole (rounded up: half a firm cannot be recognised).
Quantities carry numbers only; ``next_steps`` words them in the page's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from helpers.departments import Department, Responsibility, load_registry
from helpers.explore import industry_view
from helpers.forecast.attainment import FINAL_STATUSES, Attainment
from helpers.forecast.cohort import known_pipeline
from helpers.forecast.tasks import completion_share, halves
from helpers.labels import DECIMALS
from helpers.register import valid_firms
from helpers.targets import UNITS, reached
from helpers.vintage import certificates_known

from .context import MeetingContext
from .formatting import num
from .measures import measure_of

#: statuses that call for action: the forecast says the target may well be missed
OPEN = ("at_risk", "off_track")
#: units counted in whole things (a firm, a project, a person, a team, a round …): every unit of the plan format
#: that prints without decimals; quantities rounded up
WHOLE_UNITS = tuple(u for u in UNITS if u not in DECIMALS)
#: years of earlier seasons the full-year denominator is scaled by (as the forecasts' own lookback)
SEASON_YEARS = 3


@dataclass(frozen=True)
class Quantity:
    """One thing to deliver: ``kind`` names what (recognitions, applications, remaining, …), ``value`` how much in
    ``unit``; ``basis`` holds the figures it was computed from (rate, done, expected …), for the sentence and JSON."""

    kind: str
    value: float
    unit: str
    basis: dict[str, float | int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class TownGap:
    """One unit behind its own quota or growth goal. ``judged`` says against what: ``pace`` (the count done so far
    below the quota's 序时进度, ``expected``), ``count`` (no pace known: the forecast below the quota), ``rate`` (a
    growth rate forecast below the goal; ``done`` is the forecast rate), or, once the outcome is known,
    ``final_count`` / ``final_rate`` (the unit's outcome below its goal).
    ``shortfall`` is what the unit still owes: the rest of its quota, or the rate's points below the goal."""

    town: str
    goal: float
    done: float
    shortfall: float
    unit: str
    status: str
    judged: str = "count"
    expected: float | None = None
    forecast: float | None = None


@dataclass(frozen=True)
class Action:
    """One target not on track: who acts (lead first), what they must deliver, which towns are behind."""

    target: Attainment
    lead: tuple[Department, ...]
    support: tuple[Department, ...]
    proposed_lead: bool  # the plan names no unit; the leading group's office is proposed to lead
    quantities: tuple[Quantity, ...]
    towns: tuple[TownGap, ...] = ()
    next_year: int | None = None  # a missed yearly target: the plan year still ahead


def whole(x: float, unit: str) -> float:
    """``x`` rounded up to a whole thing for counts (a firm, a project); other units keep their value."""
    return float(math.ceil(x - 1e-9)) if unit in WHOLE_UNITS else float(x)


def still_needed(a: Attainment, have: float) -> float:
    """What the target still lacks beyond ``have``: at least the gap, one more for a strict "more than" count."""
    gap = a.target - have
    if a.direction == "more_than" and a.unit in WHOLE_UNITS:
        gap = math.floor(a.target - have) + 1
    return max(whole(gap, a.unit), 0.0)


# ------------------------------------------------------------------------------------------ by measure
def recognitions(c: MeetingContext, a: Attainment) -> list[Quantity]:
    """Valid-firm stock: firms that still hold a certificate at the deadline (certificates known at the cut-off)
    fall short by the recognitions needed; the applications they take at the pass rate of earlier years'
    applications (the district's pipeline returns)."""
    known = certificates_known(c.data.certificates, pd.Timestamp(c.meeting.cut_off))
    safe = int(valid_firms(known, a.deadline))
    need = still_needed(a, safe)
    out = [Quantity("recognitions", need, a.unit, {"safe": safe})]
    # the deadline year's applications may not be reported yet (a March meeting): the pass rate of the years before
    pipe = (known_pipeline(c.data.tasks, c.meeting.cut_off, a.deadline.year)
            or known_pipeline(c.data.tasks, c.meeting.cut_off, a.deadline.year - 1))
    if pipe is not None and need > 0 and pipe.pass_rate > 0:
        basis: dict[str, float | int | str] = {"rate": pipe.pass_rate}
        if pipe.year == a.deadline.year:
            basis |= {"applied": pipe.applications, "year": pipe.year}
        out.append(Quantity("applications", whole(need / pipe.pass_rate, "firms"), "firms", basis))
    return out


def full_year_sum(c: MeetingContext, indicator: str, year: int) -> tuple[float, int] | None:
    """The district's full-year sum of ``indicator`` (万元) for ``year`` and the last month it rests on: the year
    to date scaled by the mean full-year / same-month ratio of up to ``SEASON_YEARS`` earlier years."""
    view = industry_view(c.data, indicators=[indicator])
    ytd = view.groupby(["year", "month"])["value"].sum()
    if year not in ytd.index.get_level_values(0):
        return None
    month = int(ytd.loc[year].index.max())
    now = float(ytd.loc[(year, month)])
    if month == 12:
        return now, month
    ratios = [float(ytd.loc[(y, 12)] / ytd.loc[(y, month)]) for y in range(year - SEASON_YEARS, year)
              if (y, 12) in ytd.index and (y, month) in ytd.index and ytd.loc[(y, month)] > 0]
    return (now * sum(ratios) / len(ratios), month) if ratios else None


def share_output(c: MeetingContext, a: Attainment) -> list[Quantity]:
    """A year-to-date ratio: the numerator to add so that the full-year share reaches the target — new output counts
    in both sums, so x = (s·D − N) / (1 − s) with D the full-year denominator and N = forecast share · D."""
    t = c.plan.target(a.id)
    point = num(a.forecast_point)
    if point is None or not t.denominator:
        return []
    year = a.deadline.year
    base = full_year_sum(c, t.denominator, year)
    if base is None:  # nothing of the deadline year known yet: the last complete year's sum is the base
        year -= 1
        base = full_year_sum(c, t.denominator, year)
        if base is None or base[1] != 12:
            return []
    d, month = base
    s, p = a.target / 100, point / 100
    extra = max((s * d - p * d) / (1 - s), 0.0) / 10_000  # 万元 → 亿元
    return [Quantity("numerator", extra, "100m_yuan", {"denominator": d / 10_000, "year": year, "month": month,
                                                       "numerator_of": t.numerator or "",
                                                       "denominator_of": t.denominator})]


def _pace(a: Attainment) -> tuple[float, tuple[int, ...]] | None:
    """The share of a year usually done by 30 June (earlier years' returns), when the latest return is mid-year."""
    h = a.details.get("completion")
    if h is None or not len(h) or a.latest_date is None or a.latest_date.month != 6:
        return None
    share, years = completion_share(halves_of(h), a.latest_date.year)
    return (share, years) if years else None


def halves_of(h: pd.DataFrame) -> pd.DataFrame:
    """A completion table (year, h1, fy) indexed by year, as ``tasks.completion_share`` reads it."""
    return h.set_index("year")[["h1", "fy"]].astype(float) if "year" in h.columns else halves(h)


def yearly_count(c: MeetingContext, a: Attainment) -> list[Quantity]:
    """A yearly count: what is still to do this year, and where the 序时进度 of earlier years puts the count now."""
    year = a.deadline.year
    done = (a.latest_value or 0.0) if a.latest_date and a.latest_date.year == year else 0.0
    basis: dict[str, float | int | str] = {"done": done, "year": year}
    if a.latest_date and a.latest_date.year == year:
        basis["as_of"] = a.latest_date.isoformat()
    pace = _pace(a)
    if pace is not None and pace[0] > 0:
        basis |= {"pace": pace[0], "expected": a.target * pace[0], "pace_years": ",".join(map(str, pace[1]))}
    return [Quantity("remaining", still_needed(a, done), a.unit, basis)]


def level_gap(c: MeetingContext, a: Attainment) -> list[Quantity]:
    """A level, a cumulative count, a coverage rate or a chain: what is still missing from the latest figure."""
    have = a.latest_value or 0.0
    kind = {"coverage": "points", "milestone": "stages"}.get(measure_of(a), "remaining")
    basis: dict[str, float | int | str] = {"done": have}
    if a.latest_date:
        basis["as_of"] = a.latest_date.isoformat()
    if kind == "milestone":
        t = c.plan.target(a.id)
        stages = a.details.get("stages")
        in_place = num(stages["stages_in_place"].iloc[-1]) if stages is not None and len(stages) else None
        if in_place is None or not t.stages:
            return []
        return [Quantity("stages", float(t.stages - in_place), "items", {"done": in_place, "stages": t.stages})]
    gap = a.target - have if kind == "points" else still_needed(a, have)
    out = [Quantity(kind, max(gap, 0.0), "percent" if kind == "points" else a.unit, basis)]
    if kind == "points" and a.latest_date is not None:
        out += firms_short(c, a, have)
    return out


def firms_short(c: MeetingContext, a: Attainment, rate: float) -> list[Quantity]:
    """For a coverage rate of the valid high-tech firms (the plan's ``population``), how many firms still fall short:
    the firms valid at the rate's date (register known at the cut-off) times the share not yet covered."""
    if c.plan.target(a.id).population != "register_valid_stock" or a.latest_date is None:
        return []
    known = certificates_known(c.data.certificates, pd.Timestamp(c.meeting.cut_off))
    firms = int(valid_firms(known, a.latest_date))
    lacking = round(firms * max(100 - rate, 0.0) / 100)
    if not firms or not lacking:
        return []
    return [Quantity("firms_short", float(lacking), "firms", {"firms": firms, "as_of": a.latest_date.isoformat()})]


def growth_towns(c: MeetingContext, a: Attainment) -> list[Quantity]:
    """A growth goal for every unit: how many units are forecast below it (the towns list says by how much)."""
    bt = a.by_town
    if bt is None or not len(bt) or "target" not in bt.columns:
        return []
    units = int(pd.to_numeric(bt["target"], errors="coerce").notna().sum())
    return [Quantity("towns_behind", float(len(town_gaps(c, a))), "", {"towns": units, "goal": a.target})]


#: measure → the quantities of its gap
QUANTITIES = {
    "register_valid_stock": recognitions, "ytd_ratio": share_output, "task_flow": yearly_count,
    "task_stock": level_gap, "task_cumulative": level_gap, "coverage": level_gap, "milestone": level_gap,
    "town_growth": growth_towns,
}


def has_town_goals(c: MeetingContext, a: Attainment) -> bool:
    """Whether the plan sets each unit a goal of its own for the target (a quota, a growth rate); a district share
    shown by town is no town's goal, so a town below it is not behind a quota."""
    t = c.plan.target(a.id)
    return bool(t.town_quota or t.town_growth_pct or t.measure == "town_growth")


def town_gaps(c: MeetingContext, a: Attainment) -> list[TownGap]:
    """Units whose own forecast falls short of their own goal (a quota or a growth rate), largest shortfall first.

    Counts are judged on the count done so far against the quota (the shortfall the unit must still make up);
    growth rates on the forecast rate against the goal."""
    bt = a.by_town
    if (not has_town_goals(c, a) or bt is None or not len(bt) or "target" not in bt.columns
            or "status" not in bt.columns):
        return []
    t = c.plan.target(a.id)
    pace = _pace(a)
    final = a.status in FINAL_STATUSES  # the outcome is known: each unit's own outcome, no forecast
    rows = bt.loc[pd.to_numeric(bt["target"], errors="coerce").notna()]
    out = []
    for r in rows.to_dict("records"):
        goal = float(r["target"])
        if final:
            have = num(r.get("latest_value"))
            if have is not None and not reached(have, goal, t.direction):
                unit = a.unit if t.town_quota else "percent"
                out.append(TownGap(str(r["town"]), goal, have, whole(goal - have, unit), unit, r["status"],
                                   "final_count" if t.town_quota else "final_rate"))
            continue
        if t.town_quota:  # a count against each unit's quota
            done = num(r.get("latest_value")) or 0.0
            if pace is not None:
                expected = goal * pace[0]
                if done < math.floor(expected + 0.5):  # behind what the page prints as 应完成
                    out.append(TownGap(str(r["town"]), goal, done, whole(max(goal - done, 0.0), a.unit), a.unit,
                                       r["status"], "pace", expected))
                continue
            fc = num(r.get("forecast"))
            if fc is not None and fc < goal:
                out.append(TownGap(str(r["town"]), goal, done, whole(max(goal - done, 0.0), a.unit), a.unit,
                                   r["status"], "count", forecast=fc))
        else:  # a growth rate (%) against each unit's growth goal
            have = num(r.get("forecast"))
            if have is not None and not reached(have, goal, t.direction):
                out.append(TownGap(str(r["town"]), goal, have, max(goal - have, 0.0), "percent", r["status"], "rate"))
    return sorted(out, key=lambda g: -g.shortfall)


def town_report(c: MeetingContext) -> list[tuple[Attainment, int, list[TownGap]]]:
    """The 通报: every target that sets each unit a goal, with how many units have one and those behind it,
    whether or not the district as a whole is on track (a town behind its quota is news either way)."""
    out = []
    for a in c.attainments:
        if not has_town_goals(c, a) or a.by_town is None or "target" not in a.by_town.columns:
            continue
        units = int(pd.to_numeric(a.by_town["target"], errors="coerce").notna().sum())
        if units:
            out.append((a, units, town_gaps(c, a)))
    return out


def who(c: MeetingContext, a: Attainment) -> tuple[Responsibility, bool]:
    """The target's units, lead first, and whether the lead is only proposed: where the plan names no unit, the
    leading group's office (the region file's ``departments.office``) is proposed, and the page says so."""
    resp = c.plan.target(a.id).responsibility
    if resp:
        return resp, False
    office = load_registry(c.plan.region.source).office_department
    return (Responsibility((office,), ()), True) if office is not None else (resp, False)


def later_year(c: MeetingContext, a: Attainment) -> int | None:
    """For a yearly target missed in a closed year, the next plan year (its target still stands); else None."""
    t = c.plan.target(a.id)
    year = a.deadline.year + 1
    return year if a.status == "missed" and t.period == "yearly" and year <= c.plan.end.year else None


def needs_action(c: MeetingContext, a: Attainment) -> bool:
    """At risk or off track, or missed in a closed year while a later plan year remains."""
    return a.status in OPEN or later_year(c, a) is not None


def action(c: MeetingContext, a: Attainment) -> Action:
    """The action one target asks for: its units, quantities and towns behind."""
    resp, proposed = who(c, a)
    nxt = later_year(c, a)
    if nxt is not None:  # last year's shortfall is history; the new year's whole target is what remains
        quantities = [Quantity("next_year", a.target, a.unit, {"year": nxt, "done": a.latest_value or 0.0,
                                                              "missed_by": still_needed(a, a.latest_value or 0.0)})]
    else:
        quantities = QUANTITIES.get(measure_of(a), level_gap)(c, a)
    return Action(a, resp.lead, resp.support, proposed, tuple(quantities), tuple(town_gaps(c, a)) if nxt is None else (),
                  nxt)


def actions(c: MeetingContext) -> list[Action]:
    """Every target that needs action, headline targets first, then by probability (least likely first)."""
    open_ = [a for a in c.attainments if needs_action(c, a)]
    open_.sort(key=lambda a: (not a.headline, a.p_reach if a.p_reach is not None else -1.0))
    return [action(c, a) for a in open_]

