"""The data as known at a cut-off date: what a meeting's briefing may use, and nothing later.

This is the ONE place that decides what was known when. Every downstream step for a meeting calls
``as_of(data, meeting.cut_off)``; the forecast models call the per-table functions below on whatever they are
given (so a model handed unfiltered data still stops at the cut-off). A figure counts as known from the day it
was released (``released`` for statistics and task returns, ``announced`` for certificates, ``known`` for
quality findings) and not before its own period ended; of several revisions, the latest released by the
cut-off wins. A revocation dated after the cut-off had not happened yet, so it is undone. Tables without a
release or revision column (hand-made model inputs) are taken as known. Pure and vectorised.
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
    """One row per key: the highest revision present (the table as it is when there is no revision column)."""
    if table.empty or "revision" not in table:
        return table
    idx = table.groupby(key, sort=False)["revision"].idxmax()
    return table.loc[sorted(idx)].reset_index(drop=True)


def industry_known(industry: pd.DataFrame, cut_off: dt.date | str | pd.Timestamp, *,
                   keep_history: bool = False) -> pd.DataFrame:
    """Industry YTD figures released by the cut-off, latest revision per (town, indicator, year, month)."""
    day = _stamp(cut_off)
    t = industry
    if "released" in t:
        t = t[pd.to_datetime(t["released"]) <= day]
    return t.reset_index(drop=True) if keep_history else latest(t, INDUSTRY_KEY).reset_index(drop=True)


def tasks_known(tasks: pd.DataFrame, cut_off: dt.date | str | pd.Timestamp, *,
                keep_history: bool = False) -> pd.DataFrame:
    """Task returns released by the cut-off for periods ended by then, latest revision per key."""
    day = _stamp(cut_off)
    t = tasks
    if "released" in t:
        t = t[pd.to_datetime(t["released"]) <= day]
    if "period_end" in t:
        t = t[pd.to_datetime(t["period_end"]) <= day]
    return t.reset_index(drop=True) if keep_history else latest(t, TASK_KEY).reset_index(drop=True)


def certificates_known(certs: pd.DataFrame, cut_off: dt.date | str | pd.Timestamp) -> pd.DataFrame:
    """Certificates announced (and issued) by the cut-off; revocations dated later undone."""
    day = _stamp(cut_off)
    c = certs.copy()
    c["issue_date"] = pd.to_datetime(c["issue_date"])
    seen = pd.to_datetime(c["announced"]) if "announced" in c else c["issue_date"]
    c = c.loc[(seen <= day) & (c["issue_date"] <= day)].copy()
    if "revoked" in c:
        c["revoked"] = pd.to_datetime(c["revoked"])
        c.loc[c["revoked"] > day, "revoked"] = pd.NaT
    else:
        c["revoked"] = pd.NaT
    return c.reset_index(drop=True)


def applications_known(applications: pd.DataFrame, cut_off: dt.date | str | pd.Timestamp) -> pd.DataFrame:
    """Applications submitted by the cut-off (a firm's application is known from the day it was submitted)."""
    day = _stamp(cut_off)
    return applications.loc[pd.to_datetime(applications["submitted"]) <= day].reset_index(drop=True)


def as_of(data: ProcessedData, cut_off: dt.date | str | pd.Timestamp, *, keep_history: bool = False) -> ProcessedData:
    """``data`` restricted to what was known on ``cut_off`` (inclusive), latest revision per key.

    With ``keep_history=True`` every revision released by the cut-off is kept (for "what changed" views).
    """
    day = _stamp(cut_off)
    quality = data.quality[data.quality["known"] <= day]
    manifest = dict(data.manifest)
    manifest["as_of"] = day.date().isoformat()
    return ProcessedData(
        industry=industry_known(data.industry, day, keep_history=keep_history),
        certificates=certificates_known(data.certificates, day),
        tasks=tasks_known(data.tasks, day, keep_history=keep_history),
        quality=quality.reset_index(drop=True), manifest=manifest,
        applications=applications_known(data.applications, day),
    )


def monthly_flows(industry: pd.DataFrame) -> pd.DataFrame:
    """Monthly flows derived from YTD cumulative figures (latest revision per key).

    The flow of month m is YTD(m) − YTD(previous reported month of the same year); the 1-2月 return is one
    flow covering two months (``months_covered`` = 2). A gap in the returns makes the next flow cover the gap.
    """
    cols = [*INDUSTRY_KEY, "ytd", "flow", "months_covered"]
    if industry.empty:
        return pd.DataFrame(columns=cols)
    df = latest(industry, INDUSTRY_KEY)
    df = df.sort_values(["town", "indicator", "year", "month"]).rename(columns={"value": "ytd"})
    g = df.groupby(["town", "indicator", "year"], sort=False)
    prev_ytd = g["ytd"].shift().fillna(0.0)
    prev_month = g["month"].shift().fillna(0).astype(int)
    df["flow"] = df["ytd"] - prev_ytd
    df["months_covered"] = df["month"] - prev_month
    return df[cols].reset_index(drop=True)
