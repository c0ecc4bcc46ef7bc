"""The data as known at a cut-off date: what a meeting's briefing may use, and nothing later.

Every downstream step for a meeting calls ``as_of(data, meeting.cut_off)``. A figure counts as known from
the day it was released (``released`` for statistics and task returns, ``announced`` for certificates,
``known`` for quality findings); of several revisions, the latest released by the cut-off wins. A revocation
dated after the cut-off had not happened yet, so it is undone. Pure and vectorised: it is called per meeting.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.processed import ProcessedData

INDUSTRY_KEY = ["town", "indicator", "year", "month"]
TASK_KEY = ["task_id", "town", "year", "period_end"]


def _stamp(cut_off: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(cut_off).normalize()


def latest(table: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per key: the highest revision present."""
    if table.empty:
        return table
    idx = table.groupby(key, sort=False)["revision"].idxmax()
    return table.loc[sorted(idx)].reset_index(drop=True)


def as_of(data: ProcessedData, cut_off: dt.date | str | pd.Timestamp, *, keep_history: bool = False) -> ProcessedData:
    """``data`` restricted to what was known on ``cut_off`` (inclusive), latest revision per key.

    With ``keep_history=True`` every revision released by the cut-off is kept (for "what changed" views).
    """
    day = _stamp(cut_off)
    industry = data.industry[data.industry["released"] <= day]
    tasks = data.tasks[data.tasks["released"] <= day]
    if not keep_history:
        industry = latest(industry, INDUSTRY_KEY)
        tasks = latest(tasks, TASK_KEY)
    certs = data.certificates[data.certificates["announced"] <= day].copy()
    certs.loc[certs["revoked"] > day, "revoked"] = pd.NaT
    quality = data.quality[data.quality["known"] <= day]
    manifest = dict(data.manifest)
    manifest["as_of"] = day.date().isoformat()
    return ProcessedData(
        industry=industry.reset_index(drop=True), certificates=certs.reset_index(drop=True),
        tasks=tasks.reset_index(drop=True), quality=quality.reset_index(drop=True), manifest=manifest,
    )


def monthly_flows(industry: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows derived from YTD cumulative figures (latest revision per key).

    The flow of month m is YTD(m) − YTD(previous reported month of the same year); the 1-2月 return is one
    flow covering two months (``months_covered`` = 2). A gap in the returns makes the next flow cover the gap.
    """
    cols = [*INDUSTRY_KEY, "ytd", "flow", "months_covered"]
    if industry.empty:
        return pd.DataFrame(columns=cols)
    df = latest(industry, INDUSTRY_KEY) if "revision" in industry else industry.copy()
    df = df.sort_values(["town", "indicator", "year", "month"]).rename(columns={"value": "ytd"})
    g = df.groupby(["town", "indicator", "year"], sort=False)
    prev_ytd = g["ytd"].shift().fillna(0.0)
    prev_month = g["month"].shift().fillna(0).astype(int)
    df["flow"] = df["ytd"] - prev_ytd
    df["months_covered"] = df["month"] - prev_month
    return df[cols].reset_index(drop=True)
