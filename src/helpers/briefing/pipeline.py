"""The recognition funnel (科技型中小企业入库 → 培育库 → 申报 → 认定) as the task returns known at the cut-off show it.

Why a data file for the stages (``data/raw/plan/pipeline.yaml``): which return series make the funnel is the
district's domain, not code; the briefing shows the latest complete year beside the current year to date, so
the leading group sees how many firms are in the pool and applying before the batches are announced.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from helpers import vocabulary
from helpers.errors import InputError
from helpers.paths import raw_dir
from helpers.towns import DISTRICT
from helpers.vintage import tasks_known
from helpers.yamlfile import read_yaml

FILE_NAME = "pipeline.yaml"
COLUMNS = ["stage", "series", "zh", "en", "year", "period_end", "value", "complete"]


def stages(path: Path | None = None) -> list[dict[str, str]]:
    """The funnel's stages in order (series, zh, en); [] when the project has no pipeline file."""
    path = path or raw_dir() / "plan" / FILE_NAME
    if not path.exists():
        return []
    doc = read_yaml(path) or {}
    out = doc.get("pipeline") if isinstance(doc, dict) else None
    if not isinstance(out, list) or not all(isinstance(s, dict) and {"series", "zh", "en"} <= set(s) for s in out):
        raise InputError(f"{path}: 'pipeline' must be a list of {{series, zh, en}} entries, got {out!r}")
    known = set(vocabulary.load().district_tasks.values())
    for i, s in enumerate(out, start=1):
        if str(s["series"]) not in known:
            raise InputError(f"{path}: stage #{i}: series {s['series']!r} is not a row of the district task sheet; "
                             f"expected one of {', '.join(sorted(known))} (vocabulary.yaml, district_tasks)")
    return [{k: str(s[k]) for k in ("series", "zh", "en")} for s in out]


def funnel(tasks: pd.DataFrame, cut_off: dt.date, steps: list[dict[str, str]]) -> pd.DataFrame:
    """Each stage's district figure for the latest complete year (its 31 December return) and for the current
    year to date (the year's latest return, if later), from the returns released by ``cut_off``."""
    t = tasks_known(tasks, cut_off)
    t = t.loc[(t["town"] == DISTRICT) & t["task_id"].isin([s["series"] for s in steps])]
    if t.empty:
        return pd.DataFrame(columns=COLUMNS)
    t = t.assign(end=pd.to_datetime(t["period_end"]))
    full = t.loc[t["end"].dt.month == 12]
    years = []
    if not full.empty:
        years.append((int(full["end"].dt.year.max()), True))
    latest = t["end"].max()
    if latest.month != 12:
        years.append((int(latest.year), False))
    rows = []
    for year, complete in years:
        for i, s in enumerate(steps):
            g = t.loc[(t["task_id"] == s["series"]) & (t["end"].dt.year == year)].sort_values("end")
            if complete:
                g = g.loc[g["end"].dt.month == 12]
            value = float(g["value"].iloc[-1]) if len(g) else float("nan")
            end = g["end"].iloc[-1].date() if len(g) else None
            rows.append({"stage": i, **s, "year": year, "period_end": end, "value": value, "complete": complete})
    return pd.DataFrame(rows, columns=COLUMNS)
