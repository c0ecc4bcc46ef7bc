"""Slices of the processed data for analysts (notebook 04): by town, indicator and period.

Everything goes through ``as_of`` first when a cut-off is given, so an analyst exploring "what did we know in
March" sees exactly that. Monthly flows come from ``vintage.monthly_flows`` (the 1–2月 return is one
two-month flow; there is no January figure).

The notebooks' parameters are typed by people, so ``parse_cut_off`` and ``town_codes`` read them the way people
write them (2024/8/31, a town's Chinese name) and refuse what cannot be read with a message that says how to
write it, instead of an empty chart or a traceback from deep inside pandas.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd

from helpers.errors import InputError
from helpers.labels import label
from helpers.processed import ProcessedData
from helpers.towns import DISTRICT, active_region, town_code
from helpers.vintage import INDUSTRY_KEY, TASK_KEY, as_of, latest, monthly_flows
from helpers.wording import both, say


class ExploreError(InputError, ValueError):
    """A notebook parameter that cannot be used as written; the message says what was expected."""


def _refused(key: str, **values: object) -> ExploreError:
    """The error told in Chinese, then in English: the analyst's notebook shows it whatever its ``lang``."""
    return ExploreError("\n".join(both(key, **values)))


_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_cut_off(text: str | dt.date | None) -> dt.date | None:
    """A cut-off as an analyst types it: ``""`` → None (everything); ``2024-08-31`` and the other year-first
    spellings people use (``2024/8/31``, ``2024.08.31``, ``20240831``, ``2024年8月31日``).

    Why year first only: ``08/09/2024`` is the 8th of September to some and the 9th of August to others.
    """
    if text is None or isinstance(text, dt.date):
        return text.date() if isinstance(text, dt.datetime) else text
    value = str(text).strip()
    if not value:
        return None
    match = _DAY.fullmatch(value) or _COMPACT_DAY.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise _refused("explore.error.cut_off", value=repr(value)) from None


def town_codes(towns: str | Iterable[str] | None) -> list[str] | None:
    """The unit codes for a comma-separated list of towns (codes, names or any spelling the region knows);
    None (every town) when empty. An unknown town is refused, naming the units there are."""
    parts = re.split(r"[,，、;；]", towns) if isinstance(towns, str) else list(towns or [])
    parts = [str(p).strip() for p in parts if str(p).strip()]
    if not parts:
        return None
    codes = {p: town_code(p) for p in parts}
    unknown = [p for p, code in codes.items() if code is None]
    if unknown:
        region = active_region()
        known = ", ".join(f"{u.code} ({u.name('zh')})" for u in region.units)
        raise _refused("explore.error.town", towns=", ".join(map(repr, unknown)), file=region.source.name,
                       known=known, district=DISTRICT)
    return list(dict.fromkeys(codes.values()))


def known_until(data: ProcessedData, cut_off: dt.date | None = None) -> dt.date:
    """The day the numbers shown stop at, for a chart's foot line: the cut-off, or else the latest release."""
    if cut_off is not None:
        return cut_off
    released = [t["released"].max() for t in (data.industry, data.tasks) if len(t)]
    if not released:
        raise _refused("explore.error.no_returns")
    return max(released).date()


def industry_title(indicator: str, *, flows: bool, lang: str) -> str:
    """A chart title that names the indicator and says whether its figures are year to date or monthly."""
    key = "explore.industry.flows" if flows else "explore.industry.ytd"
    return say(key, lang, name=label(f"ind.{indicator}", lang))


def _known_on(data: ProcessedData, cut_off: dt.date) -> ProcessedData:
    """``as_of(data, cut_off)``, refusing a day before anything was released rather than returning nothing."""
    known = as_of(data, cut_off)
    if known.industry.empty and len(data.industry):
        first = data.industry["released"].min().date()
        raise _refused("explore.error.too_early", cut_off=cut_off.isoformat(), first=first.isoformat())
    return known


def industry_view(data: ProcessedData, *, towns: list[str] | None = None, indicators: list[str] | None = None,
                  start_year: int | None = None, end_year: int | None = None, flows: bool = False,
                  cut_off: dt.date | None = None) -> pd.DataFrame:
    """Tidy ``town, indicator, year, month, value`` (万元): YTD figures, or monthly flows with ``flows=True``.

    An indicator the data do not hold, or a selection that matches nothing, is refused with what there is.
    """
    unknown = sorted(set(indicators or []) - set(data.industry["indicator"]))
    if unknown:
        raise _refused("explore.error.indicator", indicators=", ".join(map(repr, unknown)),
                       known=", ".join(sorted(set(data.industry["indicator"]))))
    if cut_off is not None:
        data = _known_on(data, cut_off)
    if flows:
        ind = monthly_flows(data.industry).rename(columns={"flow": "value"})
    else:
        ind = latest(data.industry, INDUSTRY_KEY)
    ind = ind[["town", "indicator", "year", "month", "value"]]
    if towns:
        ind = ind[ind["town"].isin(towns)]
    if indicators:
        ind = ind[ind["indicator"].isin(indicators)]
    if start_year is not None:
        ind = ind[ind["year"] >= start_year]
    if end_year is not None:
        ind = ind[ind["year"] <= end_year]
    if ind.empty and len(data.industry):
        years = data.industry["year"]
        raise _refused("explore.error.nothing", towns=towns or "*", indicators=indicators or "*",
                       start=start_year or "…", end=end_year or "…", first=years.min(), last=years.max())
    return ind.sort_values(["town", "indicator", "year", "month"]).reset_index(drop=True)


def share_view(data: ProcessedData, numerator: str, denominator: str, *, by_town: bool = True,
               cut_off: dt.date | None = None) -> pd.DataFrame:
    """YTD share (%) by town (or district) and month: ratio of the YTD sums, never a mean of monthly shares."""
    view = industry_view(data, indicators=[numerator, denominator], cut_off=cut_off)
    keys = ["town", "year", "month"] if by_town else ["year", "month"]
    wide = view.groupby([*keys, "indicator"])["value"].sum().unstack("indicator")
    out = (100 * wide[numerator] / wide[denominator]).rename("share").reset_index()
    out["date"] = pd.to_datetime(dict(year=out["year"], month=out["month"], day=1)) + pd.offsets.MonthEnd(0)
    return out


def tasks_view(data: ProcessedData, *, task_ids: list[str] | None = None, towns: list[str] | None = None,
               cut_off: dt.date | None = None) -> pd.DataFrame:
    """Task returns, latest revision per (task, town, period): ``task_id, town, year, period_end, value``."""
    if cut_off is not None:
        data = _known_on(data, cut_off)
    t = latest(data.tasks, TASK_KEY)[["task_id", "town", "year", "period_end", "value"]]
    if task_ids:
        t = t[t["task_id"].isin(task_ids)]
    if towns:
        t = t[t["town"].isin(towns)]
    return t.sort_values(["task_id", "town", "period_end"]).reset_index(drop=True)
