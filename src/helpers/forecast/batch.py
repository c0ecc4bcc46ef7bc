"""Batch forecasts of many yearly series (``gaoqi forecast``): long CSV in, ranges and probabilities out.

Why a batch path: context benchmarks (other districts, the province) and analysts' own series are yearly
and come as spreadsheets; they get the same calibrated ensemble as the notebooks, with clear messages for
bad input instead of tracebacks. Input ``series_id, period, value`` (period = year); optional targets CSV
``series_id, target[, direction]``; output ``series_id, period, point, lo80, hi80, lo95, hi95`` (+ ``p_reach``
per series when targets are given: the share of simulated paths reaching the target in the last period).
The paths come from the same distribution as the ranges (``annual.Forecast.sample``): their quantiles are the
stated ranges and, for an always-positive series, none falls below zero, so a probability never counts a
negative count or balance as a miss or a hit.

One file is one batch (series of one kind, as a user submits them), forecast by ``annual_batch.forecast_batch``.
Its calibration on the batch's own histories (revision 7) is switched off (bench/annual/protocol.md: it lost to
the single-series path on every blind set), so today every series gets ``annual.forecast``'s forecast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.forecast import annual, annual_batch

REQUIRED = ("series_id", "period", "value")
N_SIMS = 4000


class BatchInputError(InputError, ValueError):
    """Bad batch input; the message says which file, row or series and what was expected."""


def _read(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    if not Path(path).exists():
        raise BatchInputError(f"{path}: file not found")
    try:
        df = pd.read_csv(path, dtype={"series_id": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BatchInputError(f"{path}: not a readable CSV ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise BatchInputError(f"{path}: missing column(s) {missing}; expected columns {list(required)}, found {list(df.columns)}")
    return df


def _numeric(df: pd.DataFrame, col: str, path: Path, integer: bool = False) -> pd.Series:
    v = pd.to_numeric(df[col], errors="coerce")
    bad = v.isna() & df[col].notna() & (df[col].astype(str).str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise BatchInputError(f"{path}: line {i + 2}: {col} {df[col].iloc[i]!r} is not a number")
    if integer and (v.dropna() % 1 != 0).any():
        i = int(np.flatnonzero(((v % 1) != 0).fillna(False).to_numpy())[0])
        raise BatchInputError(f"{path}: line {i + 2}: period {df[col].iloc[i]!r} is not a year")
    return v


def run_batch(input: Path, *, horizon: int, output: Path, targets: Path | None = None, seed: int = 0) -> int:
    """Forecast every series of ``input`` ``horizon`` years ahead; write ``output``; return the series count."""
    input, output = Path(input), Path(output)
    if horizon < 1:
        raise BatchInputError(f"horizon must be at least 1, got {horizon}")
    df = _read(input, REQUIRED)
    if df.empty:
        raise BatchInputError(f"{input}: no rows")
    df["period"] = _numeric(df, "period", input, integer=True)
    df["value"] = _numeric(df, "value", input)
    if df["period"].isna().any():
        i = int(np.flatnonzero(df["period"].isna().to_numpy())[0])
        raise BatchInputError(f"{input}: line {i + 2}: period is empty")
    dup = df.duplicated(["series_id", "period"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise BatchInputError(f"{input}: line {i + 2}: series {df['series_id'].iloc[i]!r} has period "
                              f"{int(df['period'].iloc[i])} twice")
    goal = None
    if targets is not None:
        tg = _read(Path(targets), ("series_id", "target"))
        tg["target"] = _numeric(tg, "target", Path(targets))
        if "direction" not in tg:
            tg["direction"] = "at_least"
        bad = ~tg["direction"].isin(["at_least", "more_than", "at_most"])
        if bad.any():
            raise BatchInputError(f"{targets}: direction {tg['direction'][bad].iloc[0]!r}; expected at_least, more_than or at_most")
        goal = tg.set_index("series_id")[["target", "direction"]]
    rng = np.random.default_rng(seed)
    frames = []
    batch = {}
    for sid, g in df.groupby("series_id", sort=False):
        s = g.set_index(g["period"].astype(int))["value"]
        try:
            annual.as_series(s, None)
        except annual.SeriesTooShort as exc:
            raise BatchInputError(f"{input}: series {sid!r}: {exc}") from None
        batch[sid] = s
    forecasts = annual_batch.forecast_batch(batch, horizon)
    for sid, fc in forecasts.items():
        out = fc.frame().assign(series_id=sid)
        if goal is not None and sid in goal.index:
            target, direction = goal.loc[sid, "target"], goal.loc[sid, "direction"]
            last = fc.sample(rng, N_SIMS)[:, -1]
            hit = last > target if direction == "more_than" else last <= target if direction == "at_most" else last >= target
            out["p_reach"] = float(hit.mean())
        frames.append(out)
    res = pd.concat(frames, ignore_index=True)
    cols = ["series_id", "period", "point", "lo80", "hi80", "lo95", "hi95"] + (["p_reach"] if "p_reach" in res else [])
    output.parent.mkdir(parents=True, exist_ok=True)
    res[cols].to_csv(output, index=False)
    return len(frames)
