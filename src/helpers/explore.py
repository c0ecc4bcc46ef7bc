"""Slices of the processed data for analysts (notebook 04): by town, indicator and period.

Everything goes through ``as_of`` first when a cut-off is given, so an analyst exploring "what did we know in
March" sees exactly that. Monthly flows come from ``vintage.monthly_flows`` (the 1–2月 return is one
two-month flow; there is no January figure).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.processed import ProcessedData
from helpers.vintage import INDUSTRY_KEY, TASK_KEY, as_of, latest, monthly_flows


def industry_view(data: ProcessedData, *, towns: list[str] | None = None, indicators: list[str] | None = None,
                  start_year: int | None = None, end_year: int | None = None, flows: bool = False,
                  cut_off: dt.date | None = None) -> pd.DataFrame:
    """Tidy ``town, indicator, year, month, value`` (万元): YTD figures, or monthly flows with ``flows=True``."""
    if cut_off is not None:
        data = as_of(data, cut_off)
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
        data = as_of(data, cut_off)
    t = latest(data.tasks, TASK_KEY)[["task_id", "town", "year", "period_end", "value"]]
    if task_ids:
        t = t[t["task_id"].isin(task_ids)]
    if towns:
        t = t[t["town"].isin(towns)]
    return t.sort_values(["task_id", "town", "period_end"]).reset_index(drop=True)
