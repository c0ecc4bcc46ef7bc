"""Full-year shares (high-tech output / profit over the above-scale total) from year-to-date returns.

Why: the statistics are YTD cumulative (1-2月 combined, domain.md §6) and strongly seasonal (profits lean on
December), so a spring or summer YTD share is not the full-year share. The full-year share is projected with
the seasonal profile of earlier years: for each earlier year the ratio (full-year share / same-month YTD
share) = (YTD-to-year ratio of the denominator) / (that of the numerator); its mean and spread across years
give the point and a t range. Years in which a structural break happened are left out of the profile.

Breaks (a big plant entering the denominator, a definition change) are found in the towns' monthly flows
derived from the YTD figures (``flow_breaks``), each event reported once and dated to its first month with its
town and size, and never smoothed through. After a break the forecast starts from the post-break level (the
share of the flows since the break month) and year-to-year changes are taken without the break's jump.
Each change of the share is decomposed exactly into numerator and denominator contributions by town.

Towns are simulated by the same method, with what the share's towns have in common (``TownCourse``, revision 4
of the free-world benchmark, bench/worlds.md): a town's usual yearly change is its own mean change shrunk
towards the district's relative change at the town's level, its spread the towns' relative spread pooled (plus
the error of the estimated change, floored at ``TOWN_SD_FLOOR`` points), and a break after the data is
allowed for at the district's rate of breaks found. Why: a town's own three or four yearly changes, floored at
1.5 points with t(2) tails, gave ranges twice too wide and a noisy median, so the probabilities of towns near the
district target read optimistic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import ByLang, Context, amount, join, make, ratio_since_base, town_status, words
from helpers.forecast.share_risk import change_spread, ratio_spread, with_district_break_risk
from helpers.labels import figure_of, label
from helpers.targets import Target
from helpers.towns import DISTRICT, active_region
from helpers.vintage import industry_known

#: a town's step counts as a break only when it adds at least JUMP_SHARE of the district's flow.
JUMP_SHARE = 0.02
SD_FLOOR_LOG = 0.005
#: a step of a town's monthly flows (``flow_breaks``): at least FLOW_RUN consecutive periods FLOW_SDS robust sds
#: (and FLOW_MIN in log) from the usual year-on-year ratio; its start taken back over months FLOW_RAMP_SDS sds out.
FLOW_RUN = 3
FLOW_SDS = 4.0
FLOW_MIN = 0.15
FLOW_RAMP_SDS = 2.0
#: after a break in the latest or previous year the earlier years' seasonal profile describes a different
#: mix of firms, so its spread is doubled.
AFTER_BREAK_SD = 2.0
#: towns' yearly course (revision 4 of the free-world benchmark, bench/worlds.md, towns' part; switches tried by
#: bench/worlds_tune.py): a town's usual change is its own median change ("own"), the district's relative change
#: times the town's level ("district"), or the two weighted by their number of years with TOWN_SHRINK_YEARS years
#: for the district's ("shrink"); its spread is its own sd floored at TOWN_SD_FLOOR with a t of n-1 degrees of
#: freedom ("own") or the relative sd pooled over the share's towns, plus the error of the estimated change
#: ("pooled"); TOWN_BREAK_RISK adds the chance of a break after the data (a mixture, rate from the district's
#: history of breaks, size from the breaks found).
TOWN_DRIFT = "shrink"
TOWN_SPREAD = "pooled"
TOWN_SD_FLOOR = 0.5
TOWN_SHRINK_YEARS = 3.0
TOWN_BREAK_RISK = True
#: the log size of a future break when the district's history has none found (a plant adding a third to a town's
#: output, or a reclassification of that order)
DEFAULT_BREAK_LOG = 0.3


@dataclass
class ShareForecast:
    latest_share: float | None
    latest_date: dt.date | None
    history: pd.DataFrame  # date, value: full-year shares of complete years
    sims: np.ndarray  # n_sims × len(path_years): simulated full-year share
    path_years: list[int]
    breaks: pd.DataFrame
    decomposition: pd.DataFrame
    by_town: pd.DataFrame
    profile: pd.DataFrame  # year, month, ratio (FY share / YTD share) used
    #: wording keys (and their values) of what the forecast did about breaks, for the method note
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    #: each town's simulated full-year share in the deadline year (same method as the district's, own stream)
    town_sims: dict[str, np.ndarray] = field(default_factory=dict)


def known_ytd(industry: pd.DataFrame, cut: pd.Timestamp) -> pd.DataFrame:
    """Latest revision per (town, indicator, year, month) released by the cut-off (``helpers.vintage``)."""
    return industry_known(industry, cut)[["town", "indicator", "year", "month", "value"]]


def district_ytd(ytd: pd.DataFrame, indicator: str) -> pd.Series:
    """District YTD by (year, month): the district rows if reported, else the sum of the towns."""
    t = ytd.loc[ytd["indicator"] == indicator]
    d = t.loc[t["town"] == DISTRICT]
    if not d.empty:
        return d.set_index(["year", "month"])["value"].sort_index()
    return t.groupby(["year", "month"])["value"].sum().sort_index()


def monthly_flows(ytd: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Each town's flow of each reported period (1-2月 one period, then each month), from its YTD figures.

    A period whose YTD or the previous period's YTD is missing (a blank or "—" cell) has no flow (NaN)."""
    t = ytd.loc[(ytd["indicator"] == indicator) & (ytd["town"] != DISTRICT)]
    if t.empty:
        return pd.DataFrame(columns=["town", "year", "month", "flow"])
    w = t.pivot_table(index=["town", "year"], columns="month", values="value", aggfunc="sum")
    w = w.reindex(columns=range(2, 13))
    flows = w.diff(axis=1)
    flows[2] = w[2]
    out = flows.stack(future_stack=True).rename("flow").reset_index()
    return out.dropna(subset=["flow"]).sort_values(["town", "year", "month"], ignore_index=True)


def flow_breaks(ytd: pd.DataFrame, indicator: str, kind: str) -> pd.DataFrame:
    """Steps in a town's monthly flows of ``indicator``: one event per step, dated to its first month.

    Why monthly flows and not the YTD: a plant entering in September moves the September YTD a little and
    the December YTD more, so a YTD rule dates it late and finds it again next spring. The flow of each period is
    compared with the same period a year earlier (log ratio, which removes the season); a step is a run of at
    least ``FLOW_RUN`` consecutive periods standing ``FLOW_SDS`` robust sds (and ``FLOW_MIN`` in log) from the
    town's usual ratio, in one direction, adding at least ``JUMP_SHARE`` of the district's flow. Its month is
    the first of the run, taken back over the ramp-up months still ``FLOW_RAMP_SDS`` sds out. A run starting
    10-14 months after an event of the same town is that event's echo in the year-on-year comparison (a
    ramp-up compared with full running), not a new event; a run that is back at the level of two years
    earlier is a rebound after a bad year, not a step.
    """
    cols = ["year", "month", "town", "size", "kind", "description", "description_zh"]
    f = monthly_flows(ytd, indicator)
    if f.empty:
        return pd.DataFrame(columns=cols)
    wide = f.pivot_table(index=["town", "month"], columns="year", values="flow", aggfunc="sum")
    total = f.groupby(["year", "month"])["flow"].sum()
    rows = []
    for town, g in wide.groupby(level="town"):
        g = g.droplevel("town")
        years = sorted(g.columns)
        d = {}
        for y in years[1:]:
            for m in g.index:
                if m < 3:  # 1-2月: the Spring Festival moves between January and February, and between years
                    continue
                a, b0 = g.loc[m, y], g.loc[m, y - 1] if (y - 1) in g.columns else np.nan
                if np.isfinite(a) and np.isfinite(b0) and a > 0 and b0 > 0:
                    d[(int(y), int(m))] = float(np.log(a / b0))
        if len(d) < 2 * FLOW_RUN:
            continue
        keys = sorted(d)
        z = np.array([d[k] for k in keys])
        usual = float(np.median(z))
        # the spread from month-to-month changes of the ratio: a step moves only two of them, so months after a
        # break do not widen the yardstick it is measured with
        steps = np.diff(z)
        rsd = 1.4826 * float(np.median(np.abs(steps - np.median(steps)))) / np.sqrt(2)
        hi, lo = max(FLOW_SDS * rsd, FLOW_MIN), max(FLOW_RAMP_SDS * rsd, FLOW_MIN / 2)
        dev = z - usual
        starts: list[int] = []
        i = 0
        while i < len(keys):
            sign = np.sign(dev[i])
            j = i
            while j < len(keys) and np.sign(dev[j]) == sign and abs(dev[j]) > hi:
                j += 1
            if j - i < FLOW_RUN:
                i = max(j, i + 1)
                continue
            k0 = i
            while k0 > 0 and np.sign(dev[k0 - 1]) == sign and abs(dev[k0 - 1]) > lo:
                k0 -= 1
            start = keys[k0]
            month_no = start[0] * 12 + start[1]
            echo = any(10 <= month_no - s <= 14 for s in starts)
            run = [keys[k] for k in range(k0, j)]
            added = [(g.loc[m, y] - g.loc[m, y - 1]) / total.get((y, m), np.inf) for y, m in run]
            # a rebound after a bad year is back at its level of two years earlier; a step is not
            two = [np.log(g.loc[m, y] / g.loc[m, y - 2]) - 2 * usual for y, m in run
                   if (y - 2) in g.columns and g.loc[m, y - 2] > 0 and g.loc[m, y] > 0]
            rebound = bool(two) and sign * float(np.median(two)) < hi / 2
            if not echo and not rebound and abs(float(np.median(added))) >= JUMP_SHARE:
                starts.append(month_no)
                growth = float(np.exp(np.median(dev[i:j]) + usual) - 1)
                zh, en = words("forecast.break.flow_step", town=_town_names(str(town)),
                               indicator=ByLang(label(f"ind.{indicator}", "zh"),
                                                label(f"ind.{indicator}", "en").lower()),
                               year=start[0], month=start[1], growth=f"{growth:+.0%}",
                               usual=f"{np.exp(usual) - 1:+.0%}")
                rows.append({"year": start[0], "month": start[1], "town": str(town),
                             "size": float(np.median(dev[i:j])), "kind": kind, "description": en,
                             "description_zh": zh})
            i = j
    return pd.DataFrame(rows, columns=cols).sort_values(["year", "month"], ignore_index=True)


def share_breaks(ytd: pd.DataFrame, num: str, den: str) -> pd.DataFrame:
    """Every break of a share: steps of the denominator's flows (a plant entering or leaving a town's total) and
    of the numerator's (high-tech output reclassified), each reported once, in date order."""
    parts = [flow_breaks(ytd, den, "denominator_jump"), flow_breaks(ytd, num, "level_shift")]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return flow_breaks(ytd.iloc[:0], den, "denominator_jump")
    return pd.concat(parts, ignore_index=True).sort_values(["year", "month"], ignore_index=True)


def decompose(ytd: pd.DataFrame, num: str, den: str, y1: int, y0: int, month: int) -> pd.DataFrame:
    """Exact split of the district share change (y0 → y1, YTD to ``month``) into town contributions.

    s1 − s0 = Σ_i (n1_i − n0_i)/D1 − s0 · Σ_i (d1_i − d0_i)/D1: the numerator part of town i is its added
    high-tech value over the new total; its denominator part is the dilution its added total causes.
    """
    t = ytd.loc[(ytd["town"] != DISTRICT) & (ytd["month"] == month) & ytd["year"].isin([y0, y1])]
    w = t.pivot_table(index="town", columns=["indicator", "year"], values="value", aggfunc="sum")
    need = [(num, y0), (num, y1), (den, y0), (den, y1)]
    if any(k not in w.columns for k in need):
        return pd.DataFrame(columns=["town", "numerator_pp", "denominator_pp", "total_pp"])
    w = w[need].fillna(0.0)
    d1, d0 = w[(den, y1)].sum(), w[(den, y0)].sum()
    s0 = w[(num, y0)].sum() / d0
    out = pd.DataFrame({
        "town": w.index,
        "numerator_pp": 100 * (w[(num, y1)] - w[(num, y0)]) / d1,
        "denominator_pp": -100 * s0 * (w[(den, y1)] - w[(den, y0)]) / d1,
    }).reset_index(drop=True)
    out["total_pp"] = out["numerator_pp"] + out["denominator_pp"]
    out.attrs.update({"from_year": y0, "to_year": y1, "month": month})
    return out


def forecast_share(
    industry: pd.DataFrame, num: str, den: str, cut_off: dt.date, deadline_year: int,
    rng: np.random.Generator, n_sims: int = 2000,
) -> ShareForecast:
    cut = pd.Timestamp(cut_off)
    ytd = known_ytd(industry, cut)
    ytd = ytd.loc[ytd["year"] <= deadline_year]
    n, d = district_ytd(ytd, num), district_ytd(ytd, den)
    both = pd.concat({"n": n, "d": d}, axis=1).dropna()
    if both.empty:
        raise LookupError(f"no {num}/{den} figures known at {cut.date()}")
    share = 100 * both["n"] / both["d"]
    full = share.xs(12, level="month") if 12 in share.index.get_level_values("month") else pd.Series(dtype=float)
    all_breaks = share_breaks(ytd, num, den)
    last_y, last_m = both.index[-1]
    latest = float(share.iloc[-1])
    sims, path_years, profile, notes = simulate_years(share, full, both, all_breaks, deadline_year, rng, n_sims)
    sims[:, -1] = _with_unseen_break(sims[:, -1], ytd, den, all_breaks, (int(last_y), int(last_m)), deadline_year, rng)

    # 3. decomposition of the latest change, and towns
    if last_m < 12 or (last_y - 1, 12) in share.index:
        dec = decompose(ytd, num, den, int(last_y), int(last_y) - 1, int(last_m))
    else:
        dec = pd.DataFrame(columns=["town", "numerator_pp", "denominator_pp", "total_pp"])
    prof = [int(y) for y in profile["year"]] if len(profile) else []
    by_town = _town_shares(ytd, num, den, int(last_y), int(last_m), prof)
    town_sims = _town_sims(ytd, num, den, (int(last_y), int(last_m)), prof, all_breaks, deadline_year, rng, n_sims,
                           district_full=full)
    hist = pd.DataFrame({"date": [pd.Timestamp(y, 12, 31) for y in full.index], "value": full.to_numpy()})
    latest_date = (pd.Timestamp(int(last_y), int(last_m), 1) + pd.offsets.MonthEnd(0)).date()
    return ShareForecast(
        latest_share=latest, latest_date=latest_date, history=hist, sims=sims, path_years=path_years,
        breaks=all_breaks, decomposition=dec, by_town=by_town, profile=profile, notes=notes, town_sims=town_sims,
    )


def simulate_years(
    share: pd.Series, full: pd.Series, both: pd.DataFrame, breaks: pd.DataFrame, deadline_year: int,
    rng: np.random.Generator, n_sims: int, profile_years: list[int] | None = None, course: TownCourse | None = None,
) -> tuple[np.ndarray, list[int], pd.DataFrame, list[tuple[str, dict[str, object]]]]:
    """Simulated full-year shares (n_sims × years from the latest year with data to ``deadline_year``) of one
    unit - the district, or one town - from its YTD shares ``share`` ((year, month) index, percent), its full-year
    shares ``full``, its YTD numerator and denominator ``both`` and the breaks found in it.

    Why one function for the district and the towns: a town's range and probability mean the same as the
    district's only if they come from the same method (seasonal ratio with t spread, then a random walk with the
    break-free yearly change). ``profile_years`` (towns) fixes the years of the seasonal profile; by default
    (district) they are the years without a break. ``course`` (towns): what the share's towns have in common, for
    the town's usual yearly change and its spread (``town_change``).
    """
    break_years = {int(y) for y in breaks["year"]}
    last_y, last_m = both.index[-1]
    latest = float(share.iloc[-1])
    notes: list[tuple[str, dict[str, object]]] = []

    # 1. the full-year share of the latest year with data
    carry = None  # the level later years start from, when a break makes it differ from the full-year share
    if last_m < 12:
        if profile_years is not None:
            prof_years = [y for y in profile_years if y in full.index and (y, last_m) in share.index]
        else:
            prof_years = [y for y in full.index
                          if y < last_y and (y, last_m) in share.index and y not in break_years]
            if not prof_years:
                prof_years = [y for y in full.index if y < last_y and (y, last_m) in share.index]
                notes.append(("forecast.share.note.break_years_used", {}))
        prof_years = [y for y in prof_years if full[y] > 0 and share[(y, last_m)] > 0]
        ratios = np.log([full[y] / share[(y, last_m)] for y in prof_years]) if prof_years else np.array([])
        mu = float(ratios.mean()) if ratios.size else 0.0
        # the years' own spread pooled with the prior of a ratio's year-to-year variation (share_risk)
        sd, df = ratio_spread(ratios, int(last_m), SD_FLOOR_LOG)
        if break_years & {int(last_y), int(last_y) - 1}:
            sd *= AFTER_BREAK_SD
            notes.append(("forecast.share.note.spread_doubled", {}))
        first = latest * np.exp(mu + sd * stats.t.rvs(df, size=n_sims, random_state=rng))
        profile = pd.DataFrame({"year": prof_years, "month": last_m, "ratio": np.exp(ratios) if ratios.size else []})
        start_year = int(last_y)
    else:
        first = np.full(n_sims, latest)
        profile = pd.DataFrame(columns=["year", "month", "ratio"])
        start_year = int(last_y)
        if start_year in break_years and start_year < deadline_year:
            post = _post_break_level(both, start_year, breaks)
            if post is not None:
                carry = np.full(n_sims, post[0])
                notes.append(("forecast.share.note.post_break_start",
                              {"year": start_year, "month": post[1], "post": f"{post[0]:.1f}", "latest": f"{latest:.1f}"}))

    # 2. later years to the deadline: random walk with the usual change, break jumps removed
    path_years = list(range(start_year, deadline_year + 1))
    sims = np.zeros((n_sims, len(path_years)))
    sims[:, 0] = first
    changes = _changes(full, break_years)
    if course is None:
        c_mu = float(changes.median()) if len(changes) >= 2 else 0.0
        c_sd, c_df, c_err = *change_spread(changes.to_numpy(float)), 0.0
    else:
        c_mu, c_sd, c_df, c_err = town_change(full, changes, course)
    drift: float | np.ndarray = c_mu
    if c_err > 0 and len(path_years) > 1:  # the usual change is estimated: one error per path, kept every year
        drift = c_mu + c_err * stats.t.rvs(c_df, size=n_sims, random_state=rng)
    for i in range(1, len(path_years)):
        base = carry if (i == 1 and carry is not None) else sims[:, i - 1]
        sims[:, i] = base + drift + c_sd * stats.t.rvs(c_df, size=n_sims, random_state=rng)
    return np.clip(sims, 0, 100), path_years, profile, notes


@dataclass(frozen=True)
class TownCourse:
    """What the towns of one share have in common, known at the cut-off: the district's usual yearly change
    relative to its level (break years left out), the towns' yearly changes' relative spread pooled over the towns
    (with its degrees of freedom), and the district's history of breaks (how often, how big).

    Why: a town has four or five full years, so its own usual change and spread rest on three or four changes;
    the towns of a district move largely together (one economy, one definition), so the district's change and the
    towns' pooled spread are far better estimated (bench/worlds.md, revision 4, towns' part)."""

    drift_rel: float | None
    drift_years: int
    sd_rel: float | None
    df: int
    #: breaks found per month of data in the whole district, and their signed log effects on a town's share
    break_rate: float
    jumps: tuple[float, ...]


def _changes(full: pd.Series, break_years: set[int]) -> pd.Series:
    """Yearly changes of full-year shares (points), the years with a break left out."""
    ch = full.sort_index().diff().dropna()
    return ch.drop([y for y in ch.index if y in break_years], errors="ignore")


def town_course(district_full: pd.Series, district_breaks: set[int],
                towns: list[tuple[pd.Series, set[int]]], breaks: pd.DataFrame, months_of_data: int) -> TownCourse:
    """The course the towns of one share have in common (``TownCourse``) from the district's full-year shares and
    break years, each town's full-year shares and own break years, the breaks found and the months of data."""
    full = district_full.sort_index()
    rel = (full.diff() / full.shift()).dropna()
    rel = rel.drop([y for y in rel.index if y in district_breaks], errors="ignore")
    drift_rel = float(rel.median()) if len(rel) >= 2 else None
    resid, df = [], 0
    for f, own_breaks in towns:
        f = f.sort_index()
        ch = _changes(f, own_breaks)
        prev = f.shift().reindex(ch.index)
        ok = (prev > 0).to_numpy()
        r = (ch / prev).to_numpy()[ok]
        if TOWN_DRIFT == "district" and drift_rel is not None:
            if r.size:
                resid += list(r - drift_rel)
                df += r.size
        elif r.size >= 2:
            resid += list(r - r.mean())
            df += r.size - 1
    sd_rel = float(np.sqrt(np.sum(np.square(resid)) / df)) if df >= 2 else None
    signs = np.where(breaks["kind"] == "denominator_jump", -1.0, 1.0) if len(breaks) else np.array([])
    jumps = tuple(float(v) for v in signs * breaks["size"].to_numpy(float)) if len(breaks) else ()
    rate = (len(breaks) + 0.5) / max(months_of_data, 1)
    return TownCourse(drift_rel=drift_rel, drift_years=len(rel), sd_rel=sd_rel, df=max(df, 2), break_rate=rate,
                      jumps=jumps)


def town_change(full: pd.Series, changes: pd.Series, course: TownCourse) -> tuple[float, float, int, float]:
    """A town's usual yearly change, its sd, degrees of freedom and the sd of the estimated usual change (points),
    by the switches ``TOWN_DRIFT`` and ``TOWN_SPREAD``; ("own", "own") is a town on its own, floored at
    ``TOWN_SD_FLOOR``."""
    n = len(changes)
    level = float(full.sort_index().iloc[-1]) if len(full) else float("nan")
    known = np.isfinite(level) and course.drift_rel is not None
    if TOWN_DRIFT == "district" and known:
        mu, n_mu = level * float(course.drift_rel), course.drift_years
    elif TOWN_DRIFT == "shrink" and known:
        k = TOWN_SHRINK_YEARS
        own = float(changes.mean()) if n else 0.0
        mu, n_mu = (n * own + k * level * float(course.drift_rel)) / (n + k), n + k
    else:
        mu, n_mu = (float(changes.median()) if n >= 2 else 0.0), n
    if TOWN_SPREAD == "pooled" and course.sd_rel is not None and np.isfinite(level):
        sd = max(level * course.sd_rel, TOWN_SD_FLOOR)
        return mu, sd, course.df, sd / np.sqrt(max(n_mu, 1))
    sd = max(float(changes.std(ddof=1)) if n >= 2 else 1.0, TOWN_SD_FLOOR)
    return mu, sd, max(n - 1, 2), 0.0


def with_break_risk(x: np.ndarray, course: TownCourse, weight: float, months_ahead: int,
                    rng: np.random.Generator) -> np.ndarray:
    """A town's simulated deadline-year shares ``x`` with the chance of a break after the data: the town's share
    ``weight`` of the district's breaks per month (``course.break_rate``) over the ``months_ahead`` to the end of
    the deadline year; a break's log effect drawn from those found (``DEFAULT_BREAK_LOG`` down if none), scaled by
    the part of the deadline year after it."""
    if months_ahead <= 0 or not np.isfinite(weight) or weight <= 0:
        return x
    q = 1 - np.exp(-course.break_rate * weight * months_ahead)
    hit = rng.random(x.size) < q
    month = rng.integers(1, months_ahead + 1, size=x.size)  # months after the data's last month
    part = np.clip(months_ahead - month + 1, 0, 12) / 12
    sizes = np.array(course.jumps or (-DEFAULT_BREAK_LOG,))
    effect = sizes[rng.integers(len(sizes), size=x.size)] * part
    return np.clip(np.where(hit, x * np.exp(effect), x), 0, 100)


def town_stream(base: int, town: str) -> np.random.Generator:
    """A town's own random stream from ``base`` (one draw from the target's stream, taken after the district's
    paths, so the district's numbers do not change) and the town's code: adding, dropping or reordering towns
    changes no other town's draws (other towns move its numbers only through the common ``TownCourse``, data)."""
    digest = hashlib.sha256(town.encode("utf-8")).digest()
    return np.random.default_rng([base, int.from_bytes(digest[:4], "little")])


def _town_sims(ytd: pd.DataFrame, num: str, den: str, latest: tuple[int, int], profile_years: list[int],
               breaks: pd.DataFrame, deadline_year: int, rng: np.random.Generator,
               n_sims: int, district_full: pd.Series | None = None) -> dict[str, np.ndarray]:
    """Each town's simulated full-year share in ``deadline_year`` (n_sims values), by ``simulate_years`` on the
    town's own YTD figures, the district's profile years, the breaks found in that town and what the share's towns
    have in common (``town_course``: the district's change, the towns' pooled spread, the district's breaks).

    A town without figures for the district's latest month gets no simulation (it is left out). Each town draws
    from its own stream (``town_stream``); the common course is data, not draws."""
    base = int(rng.integers(2**32))
    t = ytd.loc[ytd["town"] != DISTRICT]
    units: dict[str, tuple[pd.Series, pd.Series, pd.DataFrame, pd.DataFrame]] = {}
    for town in sorted(t["town"].astype(str).unique()):
        u = t.loc[t["town"] == town]
        n, d = district_ytd(u, num), district_ytd(u, den)
        both = pd.concat({"n": n, "d": d}, axis=1).dropna()
        both = both.loc[both["d"] > 0]
        if both.empty or both.index[-1] != latest:
            continue
        share = 100 * both["n"] / both["d"]
        full = share.xs(12, level="month") if 12 in share.index.get_level_values("month") else pd.Series(dtype=float)
        units[town] = (share, full, both, breaks.loc[breaks["town"].astype(str) == town])
    course = None
    if district_full is not None:
        first = ytd[["year", "month"]].min()
        months = (latest[0] - int(first["year"])) * 12 + latest[1]
        course = town_course(district_full, {int(y) for y in breaks["year"]},
                             [(f, {int(y) for y in own["year"]}) for _, f, _, own in units.values()], breaks, months)
    total = sum(float(b["d"].iloc[-1]) for _, _, b, _ in units.values())
    ahead = deadline_year * 12 + 12 - (latest[0] * 12 + latest[1])
    out: dict[str, np.ndarray] = {}
    for town, (share, full, both, own) in units.items():
        stream = town_stream(base, town)
        sims, years, _, _ = simulate_years(share, full, both, own, deadline_year, stream, n_sims,
                                           profile_years=profile_years, course=course)
        x = sims[:, years.index(deadline_year)] if deadline_year in years else sims[:, -1]
        if TOWN_BREAK_RISK and course is not None:
            x = with_break_risk(x, course, float(both["d"].iloc[-1]) / total, ahead, stream)
        out[town] = x
    return out


def _with_unseen_break(x: np.ndarray, ytd: pd.DataFrame, den: str, breaks: pd.DataFrame, latest: tuple[int, int],
                       deadline_year: int, rng: np.random.Generator) -> np.ndarray:
    """The district's deadline-year shares with the chance of a break the data do not show
    (``share_risk.with_district_break_risk``; towns weighted by their latest YTD denominator)."""
    t = ytd.loc[(ytd["town"] != DISTRICT) & (ytd["indicator"] == den) & (ytd["year"] == latest[0])
                & (ytd["month"] == latest[1])]
    weights = t.groupby("town")["value"].sum().clip(lower=0).to_numpy(float)
    first = ytd[["year", "month"]].min()
    months = (latest[0] - int(first["year"])) * 12 + latest[1]
    ahead = deadline_year * 12 + 12 - (latest[0] * 12 + latest[1])
    return with_district_break_risk(x, breaks, weights, months, ahead, DEFAULT_BREAK_LOG, rng)


def _post_break_level(both: pd.DataFrame, year: int, breaks: pd.DataFrame) -> tuple[float, int] | None:
    """The share of the flows from the break month to December of ``year`` (the level after the break)."""
    j = breaks.loc[breaks["year"] == year]
    if j.empty:
        return None
    month = int(j["month"].min())
    y = both.xs(year, level="year")
    prev = [m for m in y.index if m < month]
    if not prev or 12 not in y.index:
        return None
    flows = y.loc[12] - y.loc[prev[-1]]
    return float(100 * flows["n"] / flows["d"]), month


def _town_shares(ytd: pd.DataFrame, num: str, den: str, year: int, month: int,
                 profile_years: list[int]) -> pd.DataFrame:
    """Each town's latest YTD share, its change on the same month last year, and a full-year point forecast.

    The town forecast uses the town's own seasonal ratio (full-year / same-month YTD share) over the years of
    the district profile; with a full year known (``month`` 12) it is that year's share.
    """
    t = ytd.loc[ytd["town"] != DISTRICT]
    w = t.pivot_table(index="town", columns=["indicator", "year", "month"], values="value", aggfunc="sum")
    rows = []
    for town in w.index:
        def g(ind: str, y: int, m: int = month, town: str = town) -> float:
            return float(w.loc[town, (ind, y, m)]) if (ind, y, m) in w.columns else float("nan")

        def share(y: int, m: int = month) -> float:
            return 100 * g(num, y, m) / g(den, y, m)

        s1, s0 = share(year), share(year - 1)
        ratios = [share(y, 12) / share(y) for y in profile_years if np.isfinite(share(y, 12) / share(y))]
        fc = s1 * float(np.exp(np.mean(np.log(ratios)))) if (month < 12 and ratios) else (s1 if month == 12 else np.nan)
        rows.append({"town": town, "latest_value": s1, "same_month_last_year": s0, "change_pp": s1 - s0,
                     "forecast": fc,
                     "numerator_growth": g(num, year) / g(num, year - 1) - 1,
                     "denominator_growth": g(den, year) / g(den, year - 1) - 1})
    return pd.DataFrame(rows)


def _town_names(code: str) -> ByLang:
    """A unit's names in the active region (the code itself for a unit the region does not know)."""
    try:
        unit = active_region().unit(code)
    except (KeyError, LookupError):
        return ByLang(code, code)
    return ByLang(unit.name_zh, unit.name_en)


def _town_ranges(sf: ShareForecast, t: Target, ctx: Context, final_known: bool) -> pd.DataFrame:
    """Each town's full-year forecast in the deadline year with its 80 % range and the probability that it reaches
    the district target (towns have no share target of their own), and a status from that probability by the
    district's rule (``town_status``): once the year is complete, whether the town's share reached it."""
    assert t.value is not None
    by_town = sf.by_town.assign(target=t.value)
    rows = []
    for town in by_town["town"].astype(str):
        x = sf.town_sims.get(town)
        if x is None:
            rows.append({"forecast": np.nan, "lo80": np.nan, "hi80": np.nan, "p_reach": np.nan})
            continue
        lo, hi = np.quantile(x, (0.1, 0.9))
        rows.append({"forecast": float(np.median(x)), "lo80": float(lo), "hi80": float(hi),
                     "p_reach": float(np.mean(t.reached(x)))})
    sim = pd.DataFrame(rows, index=by_town.index)
    by_town["forecast"] = sim["forecast"].fillna(by_town["forecast"])
    by_town[["lo80", "hi80", "p_reach"]] = sim[["lo80", "hi80", "p_reach"]]
    by_town["status"] = [
        town_status(p, ctx.passed, latest, t.value, t.direction, final_known and np.isfinite(latest))
        for p, latest in zip(by_town["p_reach"], by_town["latest_value"], strict=True)]
    return by_town


def score(t: Target, ctx: Context) -> Attainment:
    """``ytd_ratio``: the full-year share of the deadline year, from the YTD path and the seasonal profile."""
    assert t.numerator and t.denominator and t.value is not None
    sf = forecast_share(ctx.data.industry, t.numerator, t.denominator, ctx.meeting.cut_off, ctx.deadline.year,
                        ctx.rng, ctx.n_sims)
    point = float(np.median(sf.sims[:, -1]))
    gap = t.value - point
    key = "forecast.share.short" if gap > 0 else "forecast.share.meets"
    parts = [words(key, year=ctx.deadline.year, point=amount(point, "percent"), target=amount(t.value, "percent"),
                   gap=figure_of(max(gap, 0), "percent"))]
    if not sf.breaks.empty:
        parts.append(words("forecast.share.breaks", n=len(sf.breaks)))
    last_complete = sf.path_years[0] == ctx.deadline.year and sf.latest_date and sf.latest_date.month == 12
    by_town = _town_ranges(sf, t, ctx, bool(last_complete))
    breaks = sf.breaks.assign(date=[pd.Timestamp(int(y), int(mm), 1) + pd.offsets.MonthEnd(0)
                                    for y, mm in zip(sf.breaks["year"], sf.breaks["month"].fillna(12), strict=True)])
    method = ([words("forecast.share.method"), words("forecast.share.unseen")] + [words(k, **v) for k, v in sf.notes]
              + [words("towns.share.method")])
    if TOWN_DRIFT == "shrink" and TOWN_SPREAD == "pooled" and TOWN_BREAK_RISK:
        method.append(words("forecast.share.town_course", years=f"{TOWN_SHRINK_YEARS:g}",
                            floor=f"{TOWN_SD_FLOOR:g}"))
    return make(
        t, ctx, sf.sims, sf.path_years, sf.latest_share, sf.latest_date, sf.history, final_known=bool(last_complete),
        method=join(method, "join.sentences"), takes=join(parts), by_town=by_town,
        details={"breaks": breaks, "decomposition": sf.decomposition, "profile": sf.profile},
        growth=ratio_since_base(ctx, t, sf.history, sf.latest_share, sf.latest_date),
    )

