"""What every model shares when it turns simulated paths into an ``Attainment``.

Why one module: the point is always the median of the simulated values at the deadline, the ranges their 10-90 %
and 2.5-97.5 % quantiles, the probability the share of paths that reach the target by the one rule
(``helpers.targets.reached``), and the status follows from those; once the deadline has passed and the final figure
is known, the record states it in the same final words for every target. Models only supply the paths, the
observed history and their own sentences (from the wording catalogue, ``wording/forecast.yaml``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.calendar import Meeting
from helpers.forecast.attainment import Attainment, status_from
from helpers.goals import goal_need, goal_value
from helpers.labels import figure_of, quantity, quantity_apart
from helpers.processed import ProcessedData
from helpers.targets import Plan, Target, reached
from helpers.wording import say

QUANTILES = (0.1, 0.9, 0.025, 0.975)


@dataclass(frozen=True)
class Context:
    """Everything a model may use for one target at one meeting: data (cut by the models at ``cut``), the
    plan (its region and years), the deadline in force, and the target's own random stream."""

    data: ProcessedData
    plan: Plan
    meeting: Meeting
    deadline: dt.date
    rng: np.random.Generator
    n_sims: int
    #: the run's seed: streams shared by several targets (the task flows' district-wide yearly shock) start from it
    seed: int = 0

    @property
    def cut(self) -> pd.Timestamp:
        return pd.Timestamp(self.meeting.cut_off)

    @property
    def base_year(self) -> int:
        """Growth runs from the year end before the plan starts (2021-12-31 for a 2022-2024 plan)."""
        return self.plan.start.year - 1

    @property
    def towns(self) -> list[str]:
        return list(self.plan.region.codes)

    @property
    def passed(self) -> bool:
        return self.cut >= pd.Timestamp(self.deadline)


@dataclass(frozen=True)
class ByLang:
    """A placeholder value that differs by language (a date, an amount with its unit, a list of town names)."""

    zh: str
    en: str


def words(key: str, **values: object) -> tuple[str, str]:
    """The sentence ``key`` in Chinese and English; ``ByLang`` values are filled per language."""
    def pick(lang: str) -> dict[str, object]:
        return {k: (getattr(v, lang) if isinstance(v, ByLang) else v) for k, v in values.items()}

    return say(key, "zh", **pick("zh")), say(key, "en", **pick("en"))


def join(parts: list[tuple[str, str]], how: str = "join.clauses") -> tuple[str, str]:
    """Pieces (zh, en) joined into one text per language, with each language's separator from the catalogue
    (``join.clauses``: ；/ "; "; ``join.sentences``: nothing / a space): Chinese text takes full-width punctuation."""
    return (say(how, "zh").join(p[0] for p in parts if p[0]),
            say(how, "en").join(p[1] for p in parts if p[1]))


def amount(value: float, unit: str) -> ByLang:
    """A value with its unit in both languages (``helpers.labels.quantity``)."""
    return ByLang(quantity(value, unit, "zh"), quantity(value, unit, "en"))


def amount_apart(value: float, other: float, unit: str) -> ByLang:
    """``value`` with its unit, with the decimals it takes not to print like ``other`` beside it
    (``helpers.labels.quantity_apart``)."""
    return ByLang(quantity_apart(value, other, unit, "zh"), quantity_apart(value, other, unit, "en"))


def yearly_rate(rate: float, unit: str, *, added: bool = False) -> ByLang:
    """A yearly rate as a clause in whole units (docs/zh-style.md: no fractional firms or people in prose):
    "往年每年约32家"; below one a year "往年平均每年不足1家", or, for things added (``added``), "以往约每5年新增1个";
    "往年未见新增" for none."""
    if rate != rate or rate <= 0:
        return ByLang(*words("forecast.rate.none"))
    if round(rate) >= 1:
        return ByLang(*words("forecast.rate.added" if added else "forecast.rate.usual", n=amount(round(rate), unit)))
    if added:
        return ByLang(*words("forecast.rate.every_years", years=f"{1 / rate:.0f}", n=amount(1, unit)))
    return ByLang(*words("forecast.rate.rare", n=amount(1, unit)))


def gap_amount(gap: float, unit: str) -> ByLang:
    """A difference: percentage points for percent targets, the unit otherwise."""
    if unit == "percent":
        return ByLang(*words("forecast.gap.points", gap=figure_of(gap, "percent")))
    return amount(gap, unit)


def goal(t: Target) -> ByLang:
    """The target's value as the plan words it (超8.5亿元 / 400家), ``helpers.goals.goal_value``."""
    assert t.value is not None
    return ByLang(goal_value(t.value, t.unit, t.direction, "zh"), goal_value(t.value, t.unit, t.direction, "en"))


def need(t: Target) -> ByLang:
    """The target's value after 需 / "needs" (达到400家 / 超过8.5亿元), ``helpers.goals.goal_need``."""
    assert t.value is not None
    return ByLang(goal_need(t.value, t.unit, t.direction, "zh"), goal_need(t.value, t.unit, t.direction, "en"))


def day(d: dt.date) -> ByLang:
    return ByLang(f"{d.year}年{d.month}月{d.day}日", d.isoformat())


def names(codes: list[str], plan: Plan) -> ByLang:
    return ByLang(say("join.list", "zh").join(plan.region.name_of(c, "zh") for c in codes),
                  say("join.list", "en").join(plan.region.name_of(c, "en") for c in codes))


def quantiles(x: np.ndarray) -> dict[str, float]:
    lo80, hi80, lo95, hi95 = np.quantile(x, QUANTILES)
    return {"point": float(np.median(x)), "lo80": float(lo80), "hi80": float(hi80), "lo95": float(lo95),
            "hi95": float(hi95)}


def year_ends(years, values) -> pd.DataFrame:
    """An observed history (``date, value``) of year-end figures; ``date`` is datetime even when there are none
    (a register younger than three complete years has no cohort history yet), so callers can use ``.dt``."""
    return pd.DataFrame({"date": pd.to_datetime([pd.Timestamp(int(y), 12, 31) for y in years]),
                         "value": np.asarray(list(values), dtype=float)})


def _path(latest: float | None, latest_date: dt.date | None, years: list[int], sims: np.ndarray,
          deadline: dt.date) -> pd.DataFrame:
    rows = []
    if latest is not None and latest_date is not None:
        rows.append({"date": pd.Timestamp(latest_date), "point": latest, "lo80": latest, "hi80": latest,
                     "lo95": latest, "hi95": latest})
    for i, y in enumerate(years):
        end = pd.Timestamp(y, 12, 31)
        if latest_date is not None and end < pd.Timestamp(latest_date):
            continue
        rows.append({"date": min(end, pd.Timestamp(deadline)), **quantiles(sims[:, i])})
    return pd.DataFrame(rows, columns=["date", "point", "lo80", "hi80", "lo95", "hi95"])


def growth_ratio(base: float | None, latest: float | None, target: float, elapsed: float, total: float) -> float | None:
    """Eurostat-style: actual compound growth since the base year over the growth required to hit the target."""
    if base is None or latest is None or base <= 0 or latest <= 0 or elapsed <= 0 or total <= 0:
        return None
    actual = (latest / base) ** (1 / elapsed) - 1
    required = (target / base) ** (1 / total) - 1
    if abs(required) < 1e-9:
        return None
    return float(actual / required)


def ratio_since_base(ctx: Context, t: Target, history: pd.DataFrame, latest: float | None,
                     latest_date: dt.date | None) -> float | None:
    """``growth_ratio`` from the year end before the plan to the latest figure, for one-off level targets."""
    base = history.loc[history["date"].dt.year == ctx.base_year, "value"]
    if not len(base) or latest_date is None or t.value is None:
        return None
    start = pd.Timestamp(ctx.base_year, 12, 31)
    elapsed = (pd.Timestamp(latest_date) - start).days / 365.25
    total = (pd.Timestamp(ctx.deadline) - start).days / 365.25
    return growth_ratio(float(base.iloc[0]), latest, t.value, elapsed, total)


def final_words(t: Target, deadline: dt.date, latest: float, hit: bool) -> tuple[str, str]:
    """What the record says once the deadline has passed and the final figure is known."""
    assert t.value is not None
    if t.direction == "more_than":  # 超 / 突破: strict, and said so (a figure exactly at the value is not over it)
        key = "reached" if hit else ("missed" if latest < t.value else "at_value")
        return words(f"verdicts.final.more_than.{key}", date=day(deadline), latest=amount(latest, t.unit),
                     goal=goal(t), gap=gap_amount(abs(t.value - latest), t.unit))
    if hit:
        return words("forecast.final.reached", date=day(deadline), latest=amount(latest, t.unit),
                     target=amount(t.value, t.unit))
    return words("forecast.final.missed", date=day(deadline), latest=amount(latest, t.unit),
                 target=amount(t.value, t.unit), gap=gap_amount(abs(t.value - latest), t.unit))


def pending_words(ctx: Context, t: Target, latest: float | None, latest_date: dt.date | None,
                  detail: tuple[str, str] | None) -> tuple[str, str]:
    """What the record says when the deadline is reached at the cut-off but its outcome is not yet reported.

    Why: the models' sentences ask for what is "needed by" the deadline; read at or after that date they would ask
    for something that can no longer be done. The probability still stands (the outcome is unknown, not missed).
    """
    if detail is None:
        detail = (words("forecast.pending.latest", latest=amount(latest, t.unit), date=day(latest_date))
                  if latest is not None and latest_date is not None else words("forecast.pending.nothing"))
    zh, en = detail
    return words("forecast.pending", deadline=day(ctx.deadline), cut_off=day(ctx.meeting.cut_off),
                 detail=ByLang(zh, en))


def make(t: Target, ctx: Context, sims: np.ndarray, years: list[int], latest: float | None,
         latest_date: dt.date | None, history: pd.DataFrame, *, final_known: bool, method: tuple[str, str],
         takes: tuple[str, str], by_town: pd.DataFrame | None = None, details: dict[str, pd.DataFrame] | None = None,
         growth: float | None = None, final_suffix: tuple[str, str] | None = None, settled: bool = False,
         pending: tuple[str, str] | None = None) -> Attainment:
    """The attainment from simulated values (n_sims × years) of exactly the quantity the target is about.

    ``settled`` marks a target met for good before its deadline (a count that cannot fall, a milestone formed):
    its status is then ``achieved`` already. Once the cut-off has reached the deadline but the outcome is not yet in
    the returns, the record says so (``pending_words``; ``pending`` is the model's own account of what is known,
    else the latest figure) instead of the model's "… more needed by <deadline>", a date already reached.
    """
    assert t.value is not None
    end = sims[:, years.index(ctx.deadline.year)] if ctx.deadline.year in years else sims[:, -1]
    q = quantiles(end)
    p = float(np.mean(t.reached(end)))
    final = ctx.passed and final_known and latest is not None
    hit = bool(t.reached(latest)) if (final or settled) and latest is not None else None
    if final and hit is not None:
        assert latest is not None
        takes = final_words(t, ctx.deadline, latest, hit)
        if final_suffix:
            takes = join([takes, final_suffix])
    elif ctx.passed and not settled:
        takes = pending_words(ctx, t, latest, latest_date, pending)
    return Attainment(
        id=t.id, name_zh=t.name_zh, name_en=t.name_en, kind=t.kind, unit=t.unit, target=t.value,
        direction=t.direction, deadline=ctx.deadline, latest_value=latest, latest_date=latest_date,
        forecast_point=q["point"], forecast_lo80=q["lo80"], forecast_hi80=q["hi80"], forecast_lo95=q["lo95"],
        forecast_hi95=q["hi95"], p_reach=p, status=status_from(p, ctx.passed or settled, hit), growth_ratio=growth,
        what_it_takes_zh=takes[0], what_it_takes_en=takes[1], method=method[1], method_zh=method[0],
        responsible=t.responsible, responsible_en=t.responsible_en,
        headline=t.headline, measure=t.measure, parent=t.parent or "",
        history=history, path=_path(latest, latest_date, years, sims, ctx.deadline), by_town=by_town,
        details=details or {},
    )


def no_data(t: Target, deadline: dt.date, why: str) -> Attainment:
    """The record of a target nothing was known about at the cut-off (``why`` says what was missing)."""
    zh, en = words("forecast.no_data", why=why)
    return Attainment(
        id=t.id, name_zh=t.name_zh, name_en=t.name_en, kind=t.kind, unit=t.unit,
        target=t.value if t.value is not None else float("nan"), direction=t.direction, deadline=deadline,
        latest_value=None, latest_date=None, forecast_point=None, forecast_lo80=None, forecast_hi80=None,
        forecast_lo95=None, forecast_hi95=None, p_reach=None, status="no_data", what_it_takes_zh=zh,
        what_it_takes_en=en, method="", responsible=t.responsible, responsible_en=t.responsible_en,
        headline=t.headline, measure=t.measure,
        parent=t.parent or "",
    )


def town_status(p: float, passed: bool, latest: float | None, goal: float, direction: str, known: bool) -> str:
    """A town's status against its own quota, by the same rule as the district's."""
    hit = bool(reached(latest, goal, direction)) if (passed and known and latest is not None) else None
    return status_from(p, passed, hit)
