"""The recognition funnel, the plan's five-level 梯次培育库 (泛科技型企业 → 科技型中小企业入库 → 培育库 → 申报 → 认定), as
the task returns known at the cut-off show it.

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
    vocab = vocabulary.load()
    known = set(vocab.district_tasks.values()) | set(vocab.town_tasks)
    for i, s in enumerate(out, start=1):
        if str(s["series"]) not in known:
            raise InputError(f"{path}: stage #{i}: series {s['series']!r} is not a row of the district task sheet "
                             f"nor a column of the towns' sheet; expected one of {', '.join(sorted(known))} "
                             "(vocabulary.yaml, district_tasks / town_tasks)")
    return [{k: str(s[k]) for k in ("series", "zh", "en")} for s in out]


def funnel(tasks: pd.DataFrame, cut_off: dt.date, steps: list[dict[str, str]]) -> pd.DataFrame:
    """Each stage's district figure for the latest complete year (its 31 December return) and for the current
    year to date (the year's latest return, if later), from the returns released by ``cut_off``. A stage the
    district sheet does not report (泛科技型企业, a column of the towns' sheet) is the sum of the towns' figures."""
    t = district_series(tasks_known(tasks, cut_off), [s["series"] for s in steps])
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


def district_series(known: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """The district rows of ``series``; for a series with no district row, the towns' figures summed per period
    (only periods every reporting town of the series has: a partial sum would understate the stage)."""
    t = known.loc[known["task_id"].isin(series)]
    district = t.loc[t["town"] == DISTRICT]
    towns = t.loc[(t["town"] != DISTRICT) & ~t["task_id"].isin(district["task_id"].unique())]
    if towns.empty:
        return district
    n_towns = towns.groupby("task_id")["town"].nunique()
    summed = towns.groupby(["task_id", "year", "period_end"], as_index=False).agg(value=("value", "sum"),
                                                                                n=("town", "nunique"))
    summed = summed.loc[summed["n"] == summed["task_id"].map(n_towns)].drop(columns="n").assign(town=DISTRICT)
    return pd.concat([district, summed], ignore_index=True)
