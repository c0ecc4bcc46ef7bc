"""Task targets from half-yearly returns: pace against earlier years' completion curves, count models.

Why: a yearly flow at 30 June says little without knowing how much of a year is normally done by then
(科技型中小企业 evaluation runs mostly in the first half; projects mostly in the second). The pace is the
mean share of the full year done by the return's period end in earlier years (completion curve); with no
earlier year the stated fallback is linear (the share of the year elapsed).

Flows are counts, so the full year is forecast with a gamma-Poisson model: the yearly rate has a gamma prior
from the last three full years (mean and extra-Poisson spread); the count done so far updates it over the
exposure ``pace``; the remainder is Poisson. Stocks (loan balance, firm counts) grow multiplicatively: the
year end is the latest level times a log-growth drawn from earlier years (half-year → year end, or year end
→ year end). Coverage rates close part of the gap to 100 % each half year, as in earlier years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

LOOKBACK = 3
MIN_CV2 = 0.01


@dataclass
class YearForecast:
    """Simulated full-year values of one series for the years ``years`` (n_sims × years)."""

    years: list[int]
    sims: np.ndarray
    latest_value: float | None
    latest_date: dt.date | None
    pace: float | None  # share of the year normally done by the latest return (flows)
    pace_source: str
    history: pd.DataFrame  # year, h1, fy


def returns(tasks: pd.DataFrame, task_id: str, cut: pd.Timestamp, town: str | None = "district") -> pd.DataFrame:
    """Latest known value per (year, period_end) of a task: the district row, else the sum of the towns.

    With ``town`` a town code, that town's rows; with ``None``, one row per town (column ``town``).
    """
    t = tasks.loc[tasks["task_id"] == task_id]
    if "released" in t:
        t = t.loc[pd.to_datetime(t["released"]) <= cut]
    t = t.loc[pd.to_datetime(t["period_end"]) <= cut]
    if "revision" in t:
        t = t.sort_values("revision").drop_duplicates(["task_id", "town", "year", "period_end"], keep="last")
    t = t.assign(period_end=pd.to_datetime(t["period_end"]))
    if town is None:
        return t.loc[t["town"] != "district", ["town", "year", "period_end", "value"]]
    if town == "district":
        d = t.loc[t["town"] == "district"]
        if d.empty:
            d = t.groupby(["year", "period_end"], as_index=False)["value"].sum()
        return d[["year", "period_end", "value"]].sort_values("period_end").reset_index(drop=True)
    return t.loc[t["town"] == town, ["year", "period_end", "value"]].sort_values("period_end").reset_index(drop=True)


def _halves(r: pd.DataFrame) -> pd.DataFrame:
    """year, h1, fy (NaN where not reported)."""
    out = pd.DataFrame(columns=["h1", "fy"], dtype=float)
    for y, m, v in zip(r["year"], r["period_end"].dt.month, r["value"], strict=True):
        out.loc[int(y), "h1" if m <= 6 else "fy"] = float(v)
    out.index.name = "year"
    return out.sort_index().astype(float)


def _latest(r: pd.DataFrame) -> tuple[float | None, dt.date | None]:
    if r.empty:
        return None, None
    last = r.sort_values("period_end").iloc[-1]
    return float(last["value"]), last["period_end"].date()


def completion_share(h: pd.DataFrame, before: int, month: int = 6) -> tuple[float, str]:
    """Mean share of the year done by 30 June in earlier complete years; linear fallback when none."""
    past = h.loc[(h.index < before) & h["fy"].gt(0) & h["h1"].notna()].tail(LOOKBACK)
    if past.empty:
        return month / 12, "linear (no earlier year with both returns)"
    return float((past["h1"] / past["fy"]).mean()), f"completion curve of {', '.join(map(str, past.index))}"


def forecast_flow(r: pd.DataFrame, year: int, last_year: int, cut: pd.Timestamp,
                  rng: np.random.Generator, n_sims: int) -> YearForecast:
    """Full-year counts for ``year`` … ``last_year`` (gamma-Poisson; counts so far update the rate)."""
    h = _halves(r)
    past = h.loc[h.index < year, "fy"].dropna().tail(LOOKBACK)
    m = float(past.mean()) if len(past) else float("nan")
    if not np.isfinite(m):
        raise LookupError("no full year known")
    var = float(past.var(ddof=1)) if len(past) > 1 else m
    cv2 = max((var - m) / max(m, 1e-9) ** 2, MIN_CV2) if m > 0 else MIN_CV2
    a, b = 1 / cv2, 1 / (cv2 * max(m, 1e-9))
    years = list(range(year, last_year + 1))
    sims = np.zeros((n_sims, len(years)))
    pace, src = None, "no return yet this year"
    done = 0.0
    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
        pace, src = 1.0, "full year reported"
    else:
        if cur is not None and pd.notna(cur["h1"]):
            done = float(cur["h1"])
            pace, src = completion_share(h, year)
        expo = pace or 0.0
        lam = rng.gamma(a + done, 1 / (b + expo), size=n_sims)
        sims[:, 0] = done + rng.poisson(lam * (1 - expo))
    for i in range(1, len(years)):
        sims[:, i] = rng.poisson(rng.gamma(a, 1 / b, size=n_sims))
    lv, ld = _latest(r)
    hist = h.reset_index()
    return YearForecast(years, sims, lv, ld, pace, src, hist)


def forecast_stock(r: pd.DataFrame, year: int, last_year: int, rng: np.random.Generator, n_sims: int,
                   common: np.ndarray | None = None) -> YearForecast:
    """Year-end levels: latest level × log-growth from earlier years (t-distributed across years).

    ``common`` (n_sims × years standard shocks) ties series together: towns share a district-wide good or bad
    year (half of each town's shock variance), so the district sum is not spuriously precise.
    """
    step = [0]
    h = _halves(r)
    years = list(range(year, last_year + 1))
    fy = h["fy"].dropna()
    yearly = np.log(fy / fy.shift(1)).dropna()
    yearly = yearly.loc[yearly.index < year].tail(LOOKBACK + 1)
    half = np.log(h["fy"] / h["h1"]).dropna()
    half = half.loc[half.index < year].tail(LOOKBACK)
    sims = np.zeros((n_sims, len(years)))

    def draw(g: pd.Series) -> np.ndarray:
        mu = float(g.mean()) if len(g) else 0.0
        sd = max(float(g.std(ddof=1)), 0.01) if len(g) > 1 else 0.05
        z = stats.t.rvs(max(len(g) - 1, 2), size=n_sims, random_state=rng)
        if common is not None:
            z = np.sqrt(0.5) * common[:, min(step[0], common.shape[1] - 1)] + np.sqrt(0.5) * z
        step[0] += 1
        return mu + sd * z

    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
    elif cur is not None and pd.notna(cur["h1"]):
        sims[:, 0] = cur["h1"] * np.exp(draw(half))
    else:
        if fy.loc[fy.index < year].empty:
            raise LookupError("no year-end level known")
        sims[:, 0] = fy.loc[fy.index < year].iloc[-1] * np.exp(draw(yearly))
    for i in range(1, len(years)):
        sims[:, i] = sims[:, i - 1] * np.exp(draw(yearly))
    lv, ld = _latest(r)
    return YearForecast(years, sims, lv, ld, None, "log growth of earlier years", h.reset_index())


def forecast_coverage(r: pd.DataFrame, year: int, last_year: int, rng: np.random.Generator, n_sims: int) -> YearForecast:
    """Coverage (%) at year end: each step closes a share of the gap to 100 % drawn from earlier steps."""
    h = _halves(r)
    years = list(range(year, last_year + 1))
    fy = h["fy"].dropna()
    gap = 100 - h

    def closes(a: pd.Series, b: pd.Series) -> tuple[float, float]:
        """Mean and spread (floored at 0.1) of the share of the gap closed per step."""
        c = (1 - b / a.replace(0, np.nan)).dropna()
        if c.empty:
            return 0.0, 0.2
        return float(c.mean()), max(float(c.std(ddof=1)) if len(c) > 1 else 0.0, 0.1)

    def close(rate: tuple[float, float]) -> np.ndarray:
        return np.clip(rng.normal(rate[0], rate[1], n_sims), -0.5, 1.0)

    half_close = closes(gap["h1"], gap["fy"])
    prev_fy = gap["fy"].shift(1)
    year_close = closes(prev_fy.loc[prev_fy.index < year], gap["fy"].loc[gap.index < year])
    sims = np.zeros((n_sims, len(years)))
    cur = h.loc[year] if year in h.index else None
    if cur is not None and pd.notna(cur["fy"]):
        sims[:, 0] = cur["fy"]
    elif cur is not None and pd.notna(cur["h1"]):
        sims[:, 0] = 100 - (100 - cur["h1"]) * (1 - close(half_close))
    else:
        if fy.loc[fy.index < year].empty:
            raise LookupError("no year-end coverage known")
        sims[:, 0] = 100 - (100 - fy.loc[fy.index < year].iloc[-1]) * (1 - close(year_close))
    for i in range(1, len(years)):
        sims[:, i] = 100 - (100 - sims[:, i - 1]) * (1 - close(year_close))
    lv, ld = _latest(r)
    return YearForecast(years, np.clip(sims, 0, 100), lv, ld, None, "gap-closing rates of earlier years (normal, spread ≥ 0.1)", h.reset_index())
