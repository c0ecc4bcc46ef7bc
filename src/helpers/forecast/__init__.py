"""Forecasts of target attainment. ``attain_all`` gives one ``Attainment`` per target of the plan.

Each target is forecast by the model that follows how its number is produced (docs/forecasting.md):
the valid-firm stock by the certificate cohorts (``cohort``), the output/profit shares from the YTD path
and earlier years' seasonal profile (``shares``), task targets by their pace and count models (``tasks``).
All models simulate paths with one seeded generator, so the same inputs give the same numbers; the
probability of reaching a target is the share of simulated paths that reach it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from helpers.calendar import Meeting
from helpers.forecast import cohort, shares, tasks
from helpers.forecast.attainment import Attainment, status_from
from helpers.labels import unit_label
from helpers.processed import ProcessedData
from helpers.register import valid_firms
from helpers.targets import Plan, Target
from helpers.towns import TOWNS

QUANTILES = (0.1, 0.9, 0.025, 0.975)


def _q(x: np.ndarray) -> dict[str, float]:
    lo80, hi80, lo95, hi95 = np.quantile(x, QUANTILES)
    return {"point": float(np.median(x)), "lo80": float(lo80), "hi80": float(hi80), "lo95": float(lo95),
            "hi95": float(hi95)}


def _path(latest: float | None, latest_date: dt.date | None, years: list[int], sims: np.ndarray,
          deadline: dt.date) -> pd.DataFrame:
    rows = []
    if latest is not None and latest_date is not None:
        rows.append({"date": pd.Timestamp(latest_date), "point": latest, "lo80": latest, "hi80": latest,
                     "lo95": latest, "hi95": latest})
    for i, y in enumerate(years):
        day = pd.Timestamp(y, 12, 31)
        if latest_date is not None and day < pd.Timestamp(latest_date):
            continue
        rows.append({"date": min(day, pd.Timestamp(deadline)), **_q(sims[:, i])})
    return pd.DataFrame(rows, columns=["date", "point", "lo80", "hi80", "lo95", "hi95"])


def _reach(t: Target, x: np.ndarray) -> np.ndarray:
    return x > t.value if t.direction == "more_than" else x >= t.value


def _growth_ratio(base: float | None, latest: float | None, target: float, elapsed: float, total: float) -> float | None:
    """Eurostat-style: actual compound growth since the base year over the growth required to hit the target."""
    if base is None or latest is None or base <= 0 or latest <= 0 or elapsed <= 0 or total <= 0:
        return None
    actual = (latest / base) ** (1 / elapsed) - 1
    required = (target / base) ** (1 / total) - 1
    if abs(required) < 1e-9:
        return None
    return float(actual / required)


def _pace_zh(source: str) -> str:
    """The pace source of helpers.forecast.tasks in Chinese ("completion curve of 2021, 2022" / "linear …")."""
    if source.startswith("completion curve of "):
        return f"{source.removeprefix('completion curve of ').replace(', ', '、')}年的完成曲线"
    return "时间线性进度(无往年完整数据)"


def _amount(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "100m_yuan":
        return f"{value:.2f}{unit_label(unit, lang)}" if lang == "zh" else f"{value:.2f} {unit_label(unit, lang)}"
    return f"{value:.0f}{unit_label(unit, lang)}" if lang == "zh" else f"{value:.0f} {unit_label(unit, lang)}"


def _final_words(t: Target, deadline: dt.date, latest: float, reached: bool) -> tuple[str, str]:
    """What the record says once the deadline has passed and the final figure is known."""
    if not reached and t.reached(latest):
        # the district figure meets the target but the plan's every-town reading does not (pan_tech_growth)
        return (f"全区{_amount(latest, t.unit, 'zh')}达到{_amount(t.value, t.unit, 'zh')},但并非每个区镇都达标(见各区镇情况)",
                f"district {_amount(latest, t.unit, 'en')} meets {_amount(t.value, t.unit, 'en')}, but not every town "
                "does (see Towns)")
    gap = abs(t.value - latest)
    if t.unit == "percent":
        gap_zh, gap_en = f"{gap:.1f}个百分点", f"{gap:.1f} points"
    else:
        gap_zh, gap_en = _amount(gap, t.unit, "zh"), _amount(gap, t.unit, "en")
    zh = (f"截至{deadline.year}年{deadline.month}月{deadline.day}日实际{_amount(latest, t.unit, 'zh')},"
          + (f"达到目标{_amount(t.value, t.unit, 'zh')}" if reached else
             f"未达到目标{_amount(t.value, t.unit, 'zh')},差{gap_zh}"))
    en = (f"final figure at {deadline.isoformat()}: {_amount(latest, t.unit, 'en')}; "
          + (f"target {_amount(t.value, t.unit, 'en')} reached" if reached else
             f"target {_amount(t.value, t.unit, 'en')} missed by {gap_en}"))
    return zh, en


def _make(t: Target, meeting: Meeting, deadline: dt.date, sims: np.ndarray, years: list[int],
          latest: float | None, latest_date: dt.date | None, history: pd.DataFrame, *, final_known: bool,
          method: str, zh: str, en: str, method_zh: str = "", by_town: pd.DataFrame | None = None,
          details: dict[str, pd.DataFrame] | None = None, growth_ratio: float | None = None,
          p_override: float | None = None) -> Attainment:
    end = sims[:, years.index(deadline.year)] if deadline.year in years else sims[:, -1]
    q = _q(end)
    p = float(_reach(t, end).mean()) if p_override is None else p_override
    passed = pd.Timestamp(meeting.cut_off) >= pd.Timestamp(deadline)
    reached = (p >= 0.5) if (passed and final_known) else None
    if reached is not None and latest is not None:
        zh, en = _final_words(t, deadline, latest, reached)
    return Attainment(
        id=t.id, name_zh=t.name_zh, name_en=t.name_en, kind=t.kind, unit=t.unit, target=t.value,
        direction=t.direction, deadline=deadline, latest_value=latest, latest_date=latest_date,
        forecast_point=q["point"], forecast_lo80=q["lo80"], forecast_hi80=q["hi80"], forecast_lo95=q["lo95"],
        forecast_hi95=q["hi95"], p_reach=p, status=status_from(p, passed, reached), growth_ratio=growth_ratio,
        what_it_takes_zh=zh, what_it_takes_en=en, method=method, method_zh=method_zh, responsible=t.responsible,
        headline=t.headline, history=history, path=_path(latest, latest_date, years, sims, deadline), by_town=by_town,
        details=details or {},
    )


def _no_data(t: Target, deadline: dt.date, why: str) -> Attainment:
    return Attainment(
        id=t.id, name_zh=t.name_zh, name_en=t.name_en, kind=t.kind, unit=t.unit, target=t.value,
        direction=t.direction, deadline=deadline, latest_value=None, latest_date=None, forecast_point=None,
        forecast_lo80=None, forecast_hi80=None, forecast_lo95=None, forecast_hi95=None, p_reach=None,
        status="no_data", what_it_takes_zh="截至数据截止日无可用数据", what_it_takes_en=f"no data at the cut-off ({why})",
        method="", responsible=t.responsible, headline=t.headline,
    )


# ------------------------------------------------------------------ per kind

def _valid_firms(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, rng, n_sims: int,
                 base_year: int) -> Attainment:
    towns = list(TOWNS)
    cf = cohort.forecast_valid_firms(data.certificates, m.cut_off, deadline, towns, rng, n_sims)
    d = cf.district()
    hist = pd.DataFrame({"date": [pd.Timestamp(y, 12, 31) for y in cf.history["year"]],
                         "value": cf.history["stock_end"].astype(float)})
    end_t = cf.sims[:, -1, :]
    by_town = pd.DataFrame({
        "town": towns,
        "forecast": np.median(end_t, axis=0), "lo80": np.quantile(end_t, 0.1, axis=0),
        "hi80": np.quantile(end_t, 0.9, axis=0),
    })
    known = data.certificates.loc[pd.to_datetime(data.certificates["issue_date"]) <= pd.Timestamp(m.cut_off)]
    by_town["latest_value"] = valid_firms(known, m.cut_off, by_town=True).reindex(towns).to_numpy()
    by_town["target"] = np.nan
    by_town["status"] = "no_data"  # the plan sets no town quota for valid firms
    needed = max(int(np.ceil(t.value - cf.safe_at_deadline)), 0)
    yrs = f"{m.cut_off.year}" if deadline.year == m.cut_off.year else f"{m.cut_off.year}-{deadline.year}"
    zh = (f"{yrs}年剩余批次需认定(含重新认定)至少{needed}家,往年平均每年{cf.usual_recognitions:.0f}家;"
          f"到期需重新认定的企业中约{cf.renewal_rate:.0%}通常续认")
    en = (f"needs {needed} recognitions (incl. renewals) in the remaining {yrs} batches against "
          f"{cf.usual_recognitions:.0f} a year so far; about {cf.renewal_rate:.0%} of expiring firms are usually renewed")
    table = pd.concat([cf.history.assign(kind="actual"), cf.forecast_table.assign(kind="forecast")], ignore_index=True)
    base_value = cf.history.set_index("year")["stock_end"].get(base_year)
    elapsed = (pd.Timestamp(m.cut_off) - pd.Timestamp(base_year, 12, 31)).days / 365.25
    final = pd.Timestamp(m.cut_off) >= pd.Timestamp(deadline)
    latest, latest_date = (float(d[0, -1]), deadline) if final else (float(cf.latest_stock), m.cut_off)
    return _make(
        t, m, deadline, d, cf.years, latest, latest_date, hist, final_known=final,
        method=(f"Cohort stock-flow model of the certificate register: renewals of the expiring cohort "
                f"(rate {cf.renewal_rate:.0%}) and other recognitions ({cf.other_mean:.0f} a year) simulated "
                f"{n_sims} times; backtest in reports/bench/replay.json."),
        method_zh=(f"按高企证书登记的批次存量-流量模型:到期批次按续认率({cf.renewal_rate:.0%})重新认定,其他新认定"
                   f"(每年约{cf.other_mean:.0f}家)随机模拟{n_sims}次;回测见 reports/bench/replay.json。"),
        zh=zh, en=en, by_town=by_town, details={"cohorts": table},
        growth_ratio=_growth_ratio(float(base_value) if base_value else None, float(cf.latest_stock), t.value, elapsed,
                                   (deadline - dt.date(base_year, 12, 31)).days / 365.25),
    )


def _share(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, rng, n_sims: int,
           base_year: int) -> Attainment:
    sf = shares.forecast_share(data.industry, t.numerator, t.denominator, m.cut_off, deadline.year, rng, n_sims)
    end = sf.sims[:, -1]
    gap = t.value - float(np.median(end))
    zh = (f"预计{deadline.year}年全年比重{np.median(end):.1f}%,距目标{t.value:.0f}%还差{max(gap, 0):.1f}个百分点"
          if gap > 0 else f"预计{deadline.year}年全年比重{np.median(end):.1f}%,达到目标{t.value:.0f}%")
    en = (f"full-year {deadline.year} share forecast at {np.median(end):.1f} %, {max(gap, 0):.1f} points short of {t.value:.0f} %"
          if gap > 0 else f"full-year {deadline.year} share forecast at {np.median(end):.1f} %, meeting {t.value:.0f} %")
    if not sf.breaks.empty:
        zh += f";检测到{len(sf.breaks)}处结构性断点(见断点表),预测未平滑跨越断点"
        en += f"; {len(sf.breaks)} structural break(s) detected (see the breaks table) and not smoothed over"
    hist = sf.history
    base_value = hist.loc[hist["date"].dt.year == base_year, "value"]
    elapsed = (pd.Timestamp(sf.latest_date) - pd.Timestamp(base_year, 12, 31)).days / 365.25 if sf.latest_date else 0
    by_town = sf.by_town.assign(target=t.value)
    # towns have no share target of their own: the status says whether a town's full-year forecast is above
    # the district target (pulling the district share up) or below it
    by_town["status"] = np.where(by_town["forecast"].fillna(by_town["latest_value"]) >= t.value, "on_track", "off_track")
    breaks = sf.breaks.assign(date=[pd.Timestamp(int(y), int(mm), 1) + pd.offsets.MonthEnd(0)
                                    for y, mm in zip(sf.breaks["year"], sf.breaks["month"].fillna(12), strict=True)])
    method = ("Full-year share from the latest YTD share times earlier years' (full-year / same-month YTD) ratio; "
              "breaks detected and excluded from the profile; later years as a random walk with the usual change.")
    method_zh = ("全年比重 = 最新累计比重 × 往年同期(全年/同月累计)比值;检测到的断点年份不进入季节规律;"
                 "以后年份按往年常见变化随机游走。")
    if sf.start_note or sf.notes:
        method_zh += "断点后已调整起点或放宽区间(详见英文方法说明)。"
    if sf.start_note:
        method += " " + sf.start_note + "."
    if sf.notes:
        method += " " + "; ".join(sf.notes).capitalize() + "."
    last_complete = sf.path_years[0] == deadline.year and sf.latest_date and sf.latest_date.month == 12
    return _make(
        t, m, deadline, sf.sims, sf.path_years, sf.latest_share, sf.latest_date, hist,
        final_known=bool(last_complete), method=method, method_zh=method_zh, zh=zh, en=en, by_town=by_town,
        details={"breaks": breaks, "decomposition": sf.decomposition, "profile": sf.profile},
        growth_ratio=_growth_ratio(float(base_value.iloc[0]) if len(base_value) else None, sf.latest_share, t.value, elapsed,
                                   (deadline - dt.date(base_year, 12, 31)).days / 365.25),
    )


def _flow_text(t: Target, yf: tasks.YearForecast, year: int) -> tuple[str, str]:
    done = yf.latest_value if yf.latest_date and yf.latest_date.year == year else 0.0
    need = max(t.value - (done or 0), 0)
    if yf.pace is not None and yf.pace < 1:
        expect = t.value * yf.pace
        return (f"{year}年已完成{done:.0f},按往年进度此时应完成约{expect:.0f};全年还需{need:.0f}",
                f"{done:.0f} done in {year}; at the usual pace ({yf.pace:.0%} by mid-year) {expect:.0f} would be done; "
                f"{need:.0f} still needed")
    return (f"{year}年全年需完成{t.value:.0f}", f"{t.value:.0f} needed in {year}")


def _town_quota(t: Target, data: ProcessedData, m: Meeting, year: int, rng, n_sims: int) -> pd.DataFrame:
    rows = []
    cut = pd.Timestamp(m.cut_off)
    for town, quota in t.town_quota.items():
        r = tasks.returns(data.tasks, t.id, cut, town)
        try:
            yf = tasks.forecast_flow(r, year, year, cut, rng, n_sims)
        except LookupError:
            rows.append({"town": town, "latest_value": np.nan, "target": quota, "forecast": np.nan,
                         "p_reach": np.nan, "status": "no_data"})
            continue
        p = float((yf.sims[:, 0] >= quota).mean())
        passed = cut >= pd.Timestamp(year, 12, 31)
        known = yf.latest_date is not None and yf.latest_date == dt.date(year, 12, 31)
        rows.append({"town": town, "latest_value": yf.latest_value if yf.latest_date and yf.latest_date.year == year else 0.0,
                     "target": quota, "forecast": float(np.median(yf.sims[:, 0])), "p_reach": p,
                     "status": status_from(p, passed, (p >= 0.5) if known else None)})
    return pd.DataFrame(rows)


def _flow(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, rng, n_sims: int) -> Attainment:
    cut = pd.Timestamp(m.cut_off)
    r = tasks.returns(data.tasks, t.id, cut)
    year = deadline.year
    yf = tasks.forecast_flow(r, year, year, cut, rng, n_sims)
    zh, en = _flow_text(t, yf, year)
    hist = yf.history.dropna(subset=["fy"])
    history = pd.DataFrame({"date": [pd.Timestamp(int(y), 12, 31) for y in hist["year"]], "value": hist["fy"].to_numpy()})
    by_town = _town_quota(t, data, m, year, rng, n_sims) if t.town_quota else None
    details: dict[str, pd.DataFrame] = {"completion": yf.history}
    if t.id == "carriers":
        rs = tasks.returns(data.tasks, "carriers_specialised", cut)
        if not rs.empty:
            details["specialised"] = rs
    known = yf.latest_date == dt.date(year, 12, 31)
    return _make(
        t, m, deadline, yf.sims, yf.years, yf.latest_value, yf.latest_date, history, final_known=known,
        method=f"Gamma-Poisson count model; pace from the {yf.pace_source}.",
        method_zh=f"伽马-泊松计数模型;进度参照{_pace_zh(yf.pace_source)}。", zh=zh, en=en, by_town=by_town,
        details=details,
    )


def _stock(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, rng, n_sims: int,
           base_year: int) -> Attainment:
    cut = pd.Timestamp(m.cut_off)
    r = tasks.returns(data.tasks, t.id, cut)
    if t.unit == "100m_yuan" and not r.empty and r["value"].max() > 1000:
        r = r.assign(value=r["value"] / 10_000)  # 万元 → 亿元
    year0 = min(cut.year, deadline.year)
    yf = tasks.forecast_stock(r, year0, deadline.year, rng, n_sims)
    end = yf.sims[:, -1]
    short = t.value - float(np.median(end))
    f = ".2f" if t.unit == "100m_yuan" else ".0f"
    zh = f"到{deadline:%Y年%m月%d日}需达到{t.value:g},预计{np.median(end):{f}}" + (f",缺口约{short:{f}}" if short > 0 else "")
    en = f"needs {t.value:g} by {deadline}; forecast {np.median(end):{f}}" + (f", about {short:{f}} short" if short > 0 else "")
    hist = yf.history.dropna(subset=["fy"])
    history = pd.DataFrame({"date": [pd.Timestamp(int(y), 12, 31) for y in hist["year"]], "value": hist["fy"].to_numpy()})
    by_town = None
    if t.town_growth_pct:
        by_town = _town_growth(t.id, data, m, deadline.year, t.town_growth_pct, rng, n_sims)[0]
    base_value = hist.loc[hist["year"] == base_year, "fy"]
    elapsed = (pd.Timestamp(yf.latest_date) - pd.Timestamp(base_year, 12, 31)).days / 365.25 if yf.latest_date else 0
    known = yf.latest_date == dt.date(deadline.year, 12, 31)
    return _make(
        t, m, deadline, yf.sims, yf.years, yf.latest_value, yf.latest_date, history, final_known=known,
        method="Year-end level = latest level × log-growth of earlier years (half-year→year end, year→year).",
        method_zh="年末水平 = 最新水平 × 往年对数增长(半年→年末,年→年)。", zh=zh, en=en, by_town=by_town,
        growth_ratio=_growth_ratio(float(base_value.iloc[0]) if len(base_value) else None, yf.latest_value, t.value, elapsed,
                                   (deadline - dt.date(base_year, 12, 31)).days / 365.25),
    )


def _town_growth(task_id: str, data: ProcessedData, m: Meeting, year: int, pct: float, rng, n_sims: int
                 ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Each town's growth over its previous year-end count: table, simulated growth (sims × towns), district."""
    cut = pd.Timestamp(m.cut_off)
    rows, growth, levels, prevs = [], [], [], []
    common = rng.standard_t(4, size=(n_sims, 3))  # the district-wide part of each year's shock
    for town in TOWNS:
        r = tasks.returns(data.tasks, task_id, cut, town)
        fy = r.loc[r["period_end"].dt.month == 12].set_index("year")["value"]
        try:
            yf = tasks.forecast_stock(r, min(cut.year, year), year, rng, n_sims, common)
        except LookupError:
            continue
        prev = fy.get(year - 1)
        prev_sim = yf.sims[:, yf.years.index(year - 1)] if (year - 1) in yf.years else np.full(n_sims, prev)
        g = 100 * (yf.sims[:, -1] / prev_sim - 1)
        p = float((g >= pct).mean())
        passed = cut >= pd.Timestamp(year, 12, 31)
        latest_g = None
        if yf.latest_date is not None and prev is not None and yf.latest_date.year == year:
            latest_g = 100 * (yf.latest_value / prev - 1)
        rows.append({"town": town, "latest_value": latest_g, "target": pct, "forecast": float(np.median(g)),
                     "p_reach": p, "status": status_from(p, passed, (p >= 0.5) if passed else None)})
        growth.append(g)
        levels.append(yf.sims[:, -1])
        prevs.append(prev_sim)
    dist = 100 * (np.sum(levels, axis=0) / np.sum(prevs, axis=0) - 1) if levels else np.zeros(n_sims)
    return pd.DataFrame(rows), np.column_stack(growth) if growth else np.zeros((n_sims, 0)), dist


def _pan_tech(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, rng, n_sims: int) -> Attainment:
    table, g, dist = _town_growth("pan_tech_firms", data, m, deadline.year, t.town_growth_pct or t.value, rng, n_sims)
    if table.empty:
        return _no_data(t, deadline, "no pan-tech firm returns")
    all_ok = (g >= t.value).all(axis=1)
    lag = table.loc[table["p_reach"] < 0.5, "town"].tolist()
    zh = f"按各区镇均增长{t.value:.0f}%口径:预计{len(table) - len(lag)}/{len(table)}个区镇达标" + (
        f",滞后:{'、'.join(TOWNS[x][0] for x in lag)}" if lag else "")
    en = f"every town +{t.value:.0f} %: {len(table) - len(lag)}/{len(table)} towns expected to make it" + (
        f"; lagging: {', '.join(TOWNS[x][1] for x in lag)}" if lag else "")
    cut = pd.Timestamp(m.cut_off)
    r = tasks.returns(data.tasks, "pan_tech_firms", cut)
    fy = r.loc[r["period_end"].dt.month == 12].set_index("year")["value"]
    hist = pd.DataFrame({"date": [pd.Timestamp(int(y), 12, 31) for y in fy.index[1:]],
                         "value": (100 * (fy / fy.shift(1) - 1)).dropna().to_numpy()})
    latest = float(hist["value"].iloc[-1]) if len(hist) else None
    latest_date = hist["date"].iloc[-1].date() if len(hist) else None
    known = latest_date == deadline
    return _make(
        t, m, deadline, dist[:, None], [deadline.year], latest, latest_date, hist, final_known=known,
        method="Town year-end counts by log-growth of earlier years; status uses the every-town reading "
               "(probability that all towns grow ≥ 20 %); the value shown is the district growth.",
        method_zh="各区镇年末数按往年对数增长预测;状态按“每个区镇均增长20%以上”口径(全部区镇达标的概率),"
                  "显示值为全区增长率。",
        zh=zh, en=en, by_town=table, p_override=float(all_ok.mean()),
    )


def _cumulative(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, plan: Plan, rng, n_sims: int) -> Attainment:
    cut = pd.Timestamp(m.cut_off)
    start = plan.start.year
    year0 = max(min(cut.year, deadline.year), start)
    r = tasks.returns(data.tasks, t.id, cut)
    yf = tasks.forecast_flow(r, year0, deadline.year, cut, rng, n_sims)
    h = yf.history.set_index("year")["fy"] if "year" in yf.history else pd.Series(dtype=float)
    done_before = float(h.loc[(h.index >= start) & (h.index < year0)].sum())
    cum = done_before + np.cumsum(yf.sims, axis=1)
    details: dict[str, pd.DataFrame] = {"completion": yf.history}
    if t.components:
        comp_rows = []
        for name, goal in t.components.items():
            rc = tasks.returns(data.tasks, f"{t.id}_{name}", cut)
            v = rc.loc[(rc["year"] >= start)].sort_values("period_end").groupby("year")["value"].last().sum()
            comp_rows.append({"component": name, "done": float(v), "target": goal})
        details["components"] = pd.DataFrame(comp_rows)
    so_far = done_before + (yf.latest_value if yf.latest_date and yf.latest_date.year == year0 and yf.latest_date.month < 12 else 0)
    if yf.latest_date and yf.latest_date.year == year0 and yf.latest_date.month == 12:
        so_far = done_before + yf.latest_value
    need = max(t.value - so_far, 0)
    usual = float(h.loc[h.index < year0].tail(3).mean()) if len(h.loc[h.index < year0]) else float("nan")
    zh = f"{start}年以来累计{so_far:.0f},到{deadline.year}年底还需{need:.0f}(往年每年约{usual:.0f})"
    en = f"{so_far:.0f} since {start}; {need:.0f} more needed by the end of {deadline.year} (about {usual:.0f} a year so far)"
    if t.yearly_minimum:
        zh += f";另要求每年新增不少于{t.yearly_minimum:g}"
        en += f"; the plan also asks for ≥ {t.yearly_minimum:g} a year"
    hist_cum = h.loc[h.index >= start].cumsum()
    history = pd.DataFrame({"date": [pd.Timestamp(int(y), 12, 31) for y in hist_cum.index], "value": hist_cum.to_numpy()})
    known = yf.latest_date == deadline
    return _make(
        t, m, deadline, cum, yf.years, so_far, yf.latest_date, history, final_known=known,
        method=f"Sum of yearly flows since {start}; remaining years by the gamma-Poisson count model ({yf.pace_source}).",
        method_zh=f"{start}年以来各年累计;剩余年份用伽马-泊松计数模型(进度参照{_pace_zh(yf.pace_source)})。",
        zh=zh, en=en, details=details,
    )


def _coverage(t: Target, data: ProcessedData, m: Meeting, deadline: dt.date, rng, n_sims: int) -> Attainment:
    cut = pd.Timestamp(m.cut_off)
    r = tasks.returns(data.tasks, t.id, cut)
    comps: dict[str, pd.DataFrame] = {}
    if r.empty:
        parts = [tasks.returns(data.tasks, c, cut).assign(component=c) for c in ("rd_filing", "rd_ledger", "rd_deduction")]
        parts = [p for p in parts if not p.empty]
        if parts:
            allp = pd.concat(parts)
            comps["components"] = allp
            r = allp.groupby(["year", "period_end"], as_index=False)["value"].min()
    if r.empty:
        return _no_data(t, deadline, "no coverage returns")
    yf = tasks.forecast_coverage(r, min(cut.year, deadline.year), deadline.year, rng, n_sims)
    hist = yf.history.dropna(subset=["fy"])
    history = pd.DataFrame({"date": [pd.Timestamp(int(y), 12, 31) for y in hist["year"]], "value": hist["fy"].to_numpy()})
    gap = 100 - (yf.latest_value or 0)
    zh = f"最近为{yf.latest_value:.1f}%,距100%还差{gap:.1f}个百分点(约{gap:.1f}%的高企未达标)"
    en = f"latest {yf.latest_value:.1f} %; {gap:.1f} points (that share of high-tech firms) still to cover"
    known = yf.latest_date == deadline
    return _make(
        t, m, deadline, yf.sims, yf.years, yf.latest_value, yf.latest_date, history, final_known=known,
        method="Each half year closes a share of the gap to 100 % drawn from earlier years' gap-closing rates"
               + ("; the lowest of the three R&D rates" if comps else "") + ".",
        method_zh="每半年按往年缩小差距的比例向100%靠近" + (";取三项研发比率中最低者" if comps else "") + "。",
        zh=zh, en=en, details=comps,
    )


def attain(t: Target, data: ProcessedData, plan: Plan, meeting: Meeting, rng: np.random.Generator,
           n_sims: int = 2000) -> Attainment:
    """The attainment of one target at one meeting."""
    deadline = t.deadline_for(meeting.focus_year)
    base_year = plan.start.year - 1  # growth ratios run from the year end before the plan starts
    try:
        if t.id == "valid_firms" or (t.kind == "stock" and t.unit == "firms" and t.id.startswith("valid")):
            return _valid_firms(t, data, meeting, deadline, rng, n_sims, base_year)
        if t.kind == "ratio":
            return _share(t, data, meeting, deadline, rng, n_sims, base_year)
        if t.kind == "stock" and t.unit == "percent" and t.town_growth_pct:
            return _pan_tech(t, data, meeting, deadline, rng, n_sims)
        if t.kind == "stock":
            return _stock(t, data, meeting, deadline, rng, n_sims, base_year)
        if t.kind == "yearly_flow":
            return _flow(t, data, meeting, deadline, rng, n_sims)
        if t.kind == "cumulative":
            return _cumulative(t, data, meeting, deadline, plan, rng, n_sims)
        if t.kind == "coverage":
            return _coverage(t, data, meeting, deadline, rng, n_sims)
    except LookupError as exc:
        return _no_data(t, deadline, str(exc))
    return _no_data(t, deadline, f"no model for kind {t.kind}")


def attain_all(data: ProcessedData, plan: Plan, meeting: Meeting, *, seed: int = 0, n_sims: int = 2000) -> list[Attainment]:
    """One ``Attainment`` per target of the plan, in plan order, for the meeting's focus year. Seeded."""
    out = []
    for i, t in enumerate(plan.targets):
        rng = np.random.default_rng([seed, i])  # one stream per target: adding a target changes no other
        out.append(attain(t, data, plan, meeting, rng, n_sims))
    return out
