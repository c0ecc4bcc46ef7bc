"""What the numbers ask the leading group to decide (提请会议研究事项), who answers for what (roll-up by unit), and
which towns are behind their own quotas (通报): numbers only, from the actions of ``actions``.

Why each item carries its figures: a decision put to the meeting must rest on the data, never on a phrase. An item
is emitted only when its figures exist — a target whose forecast gives no probability raises no decision, a
target with no town goals no 通报 line.

- Targets that can no longer be met: judged on their outcome and missed with no later plan year, or forecast with
  a probability below ``HOPELESS_P``.
- Where effort moves a probability most: the forecast distribution at the deadline (its 95 %, 80 % and central
  figures, read as a piecewise-linear distribution function) shifted up by a stated extra effort,
  ``EFFORT_SHARE`` of the target's value; the gain is the probability mass the shift carries over the target.
- Towns behind on several quota targets at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from helpers.departments import Department
from helpers.forecast.attainment import Attainment

from .actions import OPEN, Action, TownGap, whole
from .formatting import num

#: a probability below which a target is put to the meeting as one that can no longer be met
HOPELESS_P = 0.05
#: the extra effort the probability gain is computed for, as a share of the target's value
EFFORT_SHARE = 0.05
#: the smallest probability gain worth putting to the meeting, and how many targets at most
MIN_GAIN, MAX_LEVERS = 0.05, 3
#: a town behind on at least this many quota targets is named for the meeting
TOWN_MIN_TARGETS = 2


@dataclass(frozen=True)
class Decision:
    """One matter for the meeting: its ``kind`` (``missed`` | ``cannot_meet`` | ``lever`` | ``towns``), the targets or towns it
    is about and the figures behind it."""

    kind: str
    targets: tuple[Attainment, ...] = ()
    figures: tuple[dict, ...] = ()
    towns: tuple[str, ...] = ()


def _cdf(a: Attainment, x: float) -> float | None:
    """The forecast's probability of ending below ``x``, from its 95 %, 80 % and central figures."""
    qs = [num(a.forecast_lo95), num(a.forecast_lo80), num(a.forecast_point), num(a.forecast_hi80),
          num(a.forecast_hi95)]
    if any(q is None for q in qs):
        return None
    xs = np.maximum.accumulate(np.asarray(qs, dtype=float))
    if xs[-1] - xs[0] <= 0:
        return None
    return float(np.interp(x, xs, [0.025, 0.10, 0.50, 0.90, 0.975], left=0.0, right=1.0))


def effort_gain(a: Attainment, share: float = EFFORT_SHARE) -> dict | None:
    """The probability gain of an extra effort of ``share`` × the target's value, with the effort in the target's
    unit (whole for counts); None where the forecast gives no distribution or the target is settled."""
    if a.p_reach is None or a.status not in OPEN:
        return None
    effort = whole(share * a.target, a.unit)
    below_now, below_after = _cdf(a, a.target), _cdf(a, a.target - effort)
    if below_now is None or below_after is None or effort <= 0:
        return None
    gain = max(below_now - below_after, 0.0)
    return {"effort": effort, "share": share, "p_now": a.p_reach, "p_after": min(a.p_reach + gain, 1.0),
            "gain": gain}


def cannot_meet(acts: list[Action]) -> list[Decision]:
    """Targets that can no longer be met at the present pace: a probability below ``HOPELESS_P`` (one item)."""
    hopeless = [act.target for act in acts if act.next_year is None and act.target.p_reach is not None
                and act.target.p_reach < HOPELESS_P and act.target.status in OPEN]
    if not hopeless:
        return []
    return [Decision("cannot_meet", tuple(hopeless), tuple({"p": a.p_reach, "forecast": a.forecast_point,
                                                            "target": a.target, "threshold": HOPELESS_P}
                                                           for a in hopeless))]


def missed_for_good(attainments: list[Attainment], acts: list[Action]) -> list[Decision]:
    """Targets judged on their outcome and missed, with no later plan year to make the gap up."""
    carried = {act.target.id for act in acts}
    missed = [a for a in attainments if a.status == "missed" and a.id not in carried and a.latest_value is not None]
    if not missed:
        return []
    return [Decision("missed", tuple(missed), tuple({"outcome": a.latest_value, "target": a.target} for a in missed))]


def levers(acts: list[Action]) -> list[Decision]:
    """The targets where the stated extra effort would raise the probability most (at least ``MIN_GAIN``)."""
    gains = [(act.target, g) for act in acts if (g := effort_gain(act.target)) is not None and g["gain"] >= MIN_GAIN]
    gains.sort(key=lambda x: -x[1]["gain"])
    if not gains:
        return []
    top = gains[:MAX_LEVERS]
    return [Decision("lever", tuple(a for a, _ in top), tuple(g for _, g in top))]


def towns_behind(report: list[tuple[Attainment, int, list[TownGap]]]) -> dict[str, list[tuple[Attainment, TownGap]]]:
    """Town code → the targets it is behind on (target, gap), from the 通报 (``actions.town_report``)."""
    out: dict[str, list[tuple[Attainment, TownGap]]] = {}
    for a, _, gaps in report:
        for g in gaps:
            out.setdefault(g.town, []).append((a, g))
    return out


def town_decision(report: list[tuple[Attainment, int, list[TownGap]]]) -> list[Decision]:
    """Towns behind on ``TOWN_MIN_TARGETS`` or more targets at once: a matter for the meeting (e.g. 督导)."""
    behind = towns_behind(report)
    many = [t for t, gaps in behind.items() if len(gaps) >= TOWN_MIN_TARGETS]
    if not many:
        return []
    many.sort(key=lambda t: -len(behind[t]))
    return [Decision("towns", towns=tuple(many), figures=tuple({"town": t, "targets": len(behind[t])} for t in many))]


def decisions(attainments: list[Attainment], acts: list[Action],
              report: list[tuple[Attainment, int, list[TownGap]]]) -> list[Decision]:
    """Every matter the numbers raise, in the order the meeting takes them (``report``: the towns' 通报)."""
    return [*missed_for_good(attainments, acts), *cannot_meet(acts), *levers(acts), *town_decision(report)]


# ------------------------------------------------------------------------------------------ roll-up by unit
@dataclass
class UnitRoll:
    """One responsible unit: the targets it leads and supports, and the actions it leads."""

    unit: Department
    leads: list[Attainment] = field(default_factory=list)
    supports: list[Attainment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def roll_up(attainments: list[Attainment], acts: list[Action], responsibility_of) -> list[UnitRoll]:
    """Each unit named by the plan (or proposed to lead), in order of first appearance with leads before supports:
    the targets it leads and supports, and the actions it must lead. ``responsibility_of(a)`` gives a target's
    ``(lead, support)`` units."""
    rolls: dict[str, UnitRoll] = {}
    by_id = {act.target.id: act for act in acts}
    for a in attainments:
        lead, support = responsibility_of(a)
        for d in lead:
            r = rolls.setdefault(d.code, UnitRoll(d))
            r.leads.append(a)
            if a.id in by_id:
                r.actions.append(by_id[a.id])
        for d in support:
            rolls.setdefault(d.code, UnitRoll(d)).supports.append(a)
    ordered = sorted(rolls.values(), key=lambda r: (r.unit.every_unit, not r.leads))
    return ordered
