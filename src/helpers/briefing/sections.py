"""What each section of the briefing shows, as data: small functions of one meeting's context.

Each function takes the ``MeetingContext`` and returns tables (``markup.Table``), sentences or figures; the
``Briefing`` puts them on the page through the templates in ``templates/sections/``. Sections choose the
attainments they show by what those measure (``measures.measure_of``), never by target id.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

import helpers.briefing.pipeline as pipeline
import helpers.briefing.yearly as yearly
from helpers import charts
from helpers.datewords import day_text, deadline_text, meeting_text, ytd_text
from helpers.explore import share_view
from helpers.forecast.attainment import AT_RISK_P, ON_TRACK_P, Attainment
from helpers.goals import goal_value
from helpers.labels import label, label_or
from helpers.wording import catalogue, say

from .bench import benchmark_notes
from .context import MeetingContext
from .formatting import fmt_p, fmt_range, fmt_value, num
from .markup import Badge, Table
from .masthead import masthead
from .measures import REGISTER_VALID_STOCK, YTD_RATIO, measure_of, measuring


def _headline(c: MeetingContext) -> list[Attainment]:
    return [a for a in c.attainments if a.headline]


def _cut(c: MeetingContext) -> dict:
    return dict(lang=c.lang, cut_off=c.meeting.cut_off, source=c.source)


# ------------------------------------------------------------------------------------------ 1. header
def header(c: MeetingContext) -> dict:
    """The masthead (title with its 期数, 编印单位, date: ``masthead``), the meeting (its title says whether it is
    a 临时会议), the data cut-off in words, the data status and the plan line."""
    lang = c.lang
    head = masthead(c.plan, c.meeting, lang)
    return {
        "title": head.title, "compiled_label": say("masthead.compiled_label", lang), "compiled_by": head.compiled_by,
        "issued_label": say("masthead.date_label", lang), "issued": head.issued_text,
        "issued_iso": head.issued.isoformat(),
        "meeting_label": say("masthead.meeting_label", lang), "meeting": c.meeting.label(lang),
        "as_of_label": say("masthead.cut_off_label", lang), "cut_off": day_text(c.meeting.cut_off, lang),
        "cut_off_iso": c.meeting.cut_off.isoformat(),
        "status": c.source, "colon": say("join.label", lang),
        "plan": say("briefing.plan_line", lang, title=getattr(c.plan, f"title_{lang}"),
                    document_no=c.plan.document_no),
    }


# ------------------------------------------------------------------------------------------ 2. summary
def summary_table(c: MeetingContext) -> Table:
    """The headline targets: target and deadline, status, latest, forecast, range, probability, what it takes."""
    lang = c.lang
    def on(value: str, when: str) -> str:
        return say("briefing.value_on", lang, value=value, date=when) if when else value

    rows = [[a.name(lang), on(goal_value(a.target, a.unit, a.direction, lang), deadline_text(a.deadline, lang)),
             Badge.of(a.status, lang),
             on(fmt_value(a.latest_value, a.unit, lang), day_text(a.latest_date, lang) if a.latest_date else ""),
             fmt_value(a.forecast_point, a.unit, lang), fmt_range(a.forecast_lo80, a.forecast_hi80, a.unit, lang),
             fmt_p(a.p_reach), a.what_it_takes(lang)] for a in _headline(c)]
    header = [label(k, lang) for k in ("col.indicator", "col.target", "col.status", "col.latest", "col.forecast",
                                       "col.range80", "col.p_reach", "col.what_it_takes")]
    return _without_forecast_columns(Table(header, rows, numeric=(3, 4, 5, 6), gq="summary-table"),
                                     _headline(c), (4, 5, 6))


def _without_forecast_columns(table: Table, shown: list[Attainment], columns: tuple[int, ...]) -> Table:
    """The table without its forecast, range and probability columns when no target in it has a forecast (every
    one judged on its outcome, e.g. at the final review): a column of dashes reads as a forecast withheld."""
    if any(a.forecast_point is not None or a.p_reach is not None for a in shown) or not shown:
        return table
    keep = [i for i in range(len(table.header)) if i not in columns]
    numeric = tuple(keep.index(i) for i in table.numeric if i in keep)
    return Table([table.header[i] for i in keep], [[r[i] for i in keep] for r in table.rows], numeric, table.gq)


def risk_title(c: MeetingContext) -> str:
    return say("briefing.risks.title_final" if c.meeting.final_review else "briefing.risks.title", c.lang)


def risks(c: MeetingContext, n: int = 3) -> list[str]:
    """The ``n`` targets least likely to be reached (missed first, headline first on ties), as sentences; at the
    final review, every target that was missed."""
    if c.meeting.final_review:
        n = len(c.attainments)
    open_ = [a for a in c.attainments if a.status in ("off_track", "at_risk", "missed")]
    open_.sort(key=lambda a: (a.status != "missed", a.p_reach if a.p_reach is not None else 0.0, not a.headline))
    # the plan names no responsible unit for some targets (the headline ones): no empty "(责任单位:)" then
    # a target judged on its outcome has no probability: its line says the verdict only (verdicts.risks.*)
    out = [say(("verdicts.risks." if a.settled else "briefing.risks.")
               + ("item" if a.responsible else "item_unassigned"), c.lang,
               name=a.name(c.lang), status=label(f"status.{a.status}", c.lang), p=fmt_p(a.p_reach),
               what=a.what_it_takes(c.lang), responsible=a.responsible_in(c.lang)) for a in open_[:n]]
    if not out:
        out.append(say("briefing.risks.all_reached" if c.meeting.final_review else "briefing.risks.none", c.lang))
    return out


# ------------------------------------------------------------------------------------------ 3. headline charts
def headline_figures(c: MeetingContext) -> list[go.Figure]:
    """A fan chart per headline target; after a register stock's fan chart, its certificate cohorts."""
    figs = []
    for a in _headline(c):
        figs.append(charts.fan_chart(a, **_cut(c)))
        cohorts = a.details.get("cohorts") if measure_of(a) == REGISTER_VALID_STOCK else None
        if cohorts is not None and len(cohorts):
            figs.append(charts.cohort_chart(cohorts, **_cut(c)))
    return figs


def pipeline_funnel(c: MeetingContext) -> tuple[go.Figure | None, str]:
    """The recognition funnel (stages from ``data/raw/plan/pipeline.yaml``) for the latest complete year and the
    current year to date, with one sentence on the year so far; no figure when the returns carry no stage."""
    steps = pipeline.stages()
    table = pipeline.funnel(c.data.tasks, c.meeting.cut_off, steps) if steps else pd.DataFrame()
    if table.empty or table["value"].isna().all():
        return None, say("pipeline.none", c.lang)
    fig = charts.pipeline_chart(table, **_cut(c))
    now = table.loc[table["year"] == table["year"].max()].sort_values("stage")
    ends = now["period_end"].dropna()
    values = [f"{v:.0f}" if num(v) is not None else "—" for v in now["value"]]
    if len(values) != 5 or not len(ends):  # the sentence names the five stages of the shipped pipeline file
        return fig, ""
    text = say("pipeline.note", c.lang, year=int(now["year"].iloc[0]), date=day_text(max(ends), c.lang), pan=values[0],
               first=values[1], pool=values[2], applications=values[3], recognised=values[4])
    return fig, text


# ------------------------------------------------------------------------------------------ 4. why the shares moved
@dataclass
class ShareStory:
    """For one year-to-date ratio: its monthly paths, its decomposition and the breaks found in its history."""

    figures: list[go.Figure]
    breaks_title: str
    breaks: list[str]


def _break_text(row: dict, lang: str) -> str:
    # the forecast writes each break in both languages: ``description_zh`` and ``description`` (English)
    text = row.get({"zh": "description_zh"}.get(lang, "description"))
    when = str(row.get("date", ""))[:10]
    when = day_text(when, lang) if when and when != "NaT" else ""
    return say("join.label", lang).join(p for p in (when, str(text or "")) if p)


def share_stories(c: MeetingContext) -> list[ShareStory]:
    out = []
    for a in measuring(c.attainments, YTD_RATIO):
        t = c.plan.target(a.id)
        name = a.name(c.lang)
        figs = [charts.share_paths(share_view(c.data, t.numerator, t.denominator, by_town=False), name=name,
                                   **_cut(c))]
        decomposition = a.details.get("decomposition")
        if decomposition is not None and len(decomposition):
            figs.append(charts.decomposition_chart(decomposition, name=name, numerator=t.numerator or "",
                                                   denominator=t.denominator or "", **_cut(c)))
        breaks = a.details.get("breaks")
        rows = breaks.to_dict("records") if breaks is not None and len(breaks) else []
        out.append(ShareStory(figs, say("briefing.shares.breaks", c.lang, name=name),
                              [_break_text(r, c.lang) for r in rows]))
    return out


# ------------------------------------------------------------------------------------------ 5. task targets
def task_table(c: MeetingContext) -> Table:
    """Every other target: goal, latest, forecast and range, probability, status, what it would take (for a
    yearly count, the pace it is judged against and where that pace comes from) and who is responsible."""
    lang = c.lang
    rows = [[a.name(lang), goal_value(a.target, a.unit, a.direction, lang), deadline_text(a.deadline, lang),
             yearly.latest_cell(a, lang), fmt_value(a.forecast_point, a.unit, lang),
             fmt_range(a.forecast_lo80, a.forecast_hi80, a.unit, lang), fmt_p(a.p_reach), Badge.of(a.status, lang),
             a.what_it_takes(lang), a.responsible_in(lang)] for a in c.attainments if not a.headline]
    header = [label(k, lang) for k in ("col.indicator", "col.target", "col.deadline", "col.latest", "col.forecast",
                                       "col.range80", "col.p_reach", "col.status", "col.what_it_takes",
                                       "col.responsible")]
    return _without_forecast_columns(Table(header, rows, numeric=(1, 3, 4, 5, 6), gq="task-table", detail=(8, 9)),
                                     [a for a in c.attainments if not a.headline], (4, 5, 6))


def task_figure(c: MeetingContext) -> go.Figure:
    return charts.task_progress_chart([yearly.of_focus_year(a) for a in c.attainments if not a.headline], **_cut(c))


# ------------------------------------------------------------------------------------------ 6. towns
def town_matrix(c: MeetingContext) -> pd.DataFrame:
    """Towns (codes) × targets with town quotas or growth goals (columns: target names): each town's forecast for
    the deadline as a percentage of its goal.

    Why the forecast and not the latest figure: a year's count done so far reads as 0 % in March (no return of the
    year yet) and about half in September whatever the pace, so "latest as % of goal" paints every town red; the
    forecast already weighs the pace, and is what "which towns lag" asks. Where a model gives no forecast per town,
    the latest figure stands in."""
    cols = {}
    for a in c.attainments:
        t = c.plan.target(a.id)
        bt = a.by_town
        if not (t.town_quota or t.town_growth_pct) or bt is None or not len(bt):
            continue
        # a target judged on its outcome: the towns' outcomes, never a forecast
        value = "forecast" if "forecast" in bt.columns and not a.settled else "latest_value"
        if not {"town", value, "target"} <= set(bt.columns):
            continue
        ratio = 100 * pd.to_numeric(bt[value], errors="coerce") / pd.to_numeric(bt["target"], errors="coerce")
        cols[a.name(c.lang)] = pd.Series(ratio.to_numpy(), index=bt["town"].astype(str))
    return pd.DataFrame(cols)


def town_headline(c: MeetingContext) -> tuple[Table | None, str]:
    """Per town: the register stock now and forecast at the deadline, and each year-to-date ratio; with a note
    when the plan gives these targets no town quotas."""
    lang = c.lang
    stocks = [a for a in measuring(c.attainments, REGISTER_VALID_STOCK) if a.by_town is not None and len(a.by_town)]
    if not stocks:
        return None, ""
    stock = stocks[0]
    ratios = [(a, a.by_town.set_index("town")) for a in measuring(c.attainments, YTD_RATIO)
              if a.by_town is not None and len(a.by_town)]
    rows = []
    order = "latest_value" if stock.settled else "forecast"  # judged on its outcome: no forecast by town either
    for town, r in stock.by_town.set_index("town").sort_values(order, ascending=False).iterrows():
        row = [charts.town_name(str(town), lang), fmt_value(num(r.get("latest_value")), stock.unit, lang)]
        if not stock.settled:
            row += [fmt_value(num(r.get("forecast")), stock.unit, lang),
                    fmt_range(num(r.get("lo80")), num(r.get("hi80")), stock.unit, lang)]
        for a, bt in ratios:
            row.append(fmt_value(num(bt.loc[town, "latest_value"]), a.unit, lang) if town in bt.index else "—")
            if not a.settled:
                row.append(_town_share_forecast(bt.loc[town] if town in bt.index else None, a.unit, lang))
        rows.append(row)
    header = [label("col.town", lang), say("briefing.towns.at_cut_off", lang, name=stock.name(lang),
                                           date=day_text(c.meeting.cut_off, lang))]
    if not stock.settled:
        header += [say("briefing.towns.forecast", lang, deadline=deadline_text(stock.deadline, lang)),
                   label("col.range80", lang)]
    for a, _ in ratios:
        period = ytd_text(a.latest_date.year, a.latest_date.month, lang) if a.latest_date else "—"
        header.append(say("briefing.towns.ytd", lang, name=a.name(lang), period=period))
        if not a.settled:
            header.append(say("towns.share.column", lang, name=a.name(lang)))
    shown = [stock] + [a for a, _ in ratios]
    quotas = any(c.plan.target(a.id).town_quota or c.plan.target(a.id).town_growth_pct for a in shown)
    note = "" if quotas else say("briefing.towns.no_town_targets", lang)
    if any(not a.settled for a, _ in ratios):
        note = say("join.sentences", lang).join(x for x in (note, say("towns.share.note", lang)) if x)
    return Table(header, rows, numeric=tuple(range(1, len(header))), gq="town-headline"), note


def _town_share_forecast(r: pd.Series | None, unit: str, lang: str) -> str:
    """A town's full-year share forecast in one cell: point (80 % range, probability of the district target)."""
    if r is None or num(r.get("forecast")) is None:
        return "—"
    if num(r.get("p_reach")) is None:
        return fmt_value(num(r.get("forecast")), unit, lang)
    return say("towns.share.cell", lang, point=fmt_value(num(r.get("forecast")), unit, lang),
               range=fmt_range(num(r.get("lo80")), num(r.get("hi80")), unit, lang), p=fmt_p(num(r.get("p_reach"))))


RANKING_CAP = 150  # % of a goal: one far-exceeded goal does not hide a town's lagging ones


def town_ranking(c: MeetingContext, matrix: pd.DataFrame) -> Table:
    """Towns by mean attainment of their goals (each capped at ``RANKING_CAP``, as the header says: a reader
    averaging the heatmap's cells must find the printed mean), with the targets each lags on."""
    lang = c.lang
    ranking = matrix.clip(upper=RANKING_CAP).mean(axis=1, skipna=True).sort_values(ascending=False)
    rows = []
    for i, (town, score) in enumerate(ranking.items(), start=1):
        lag = [str(name) for name, v in matrix.loc[town].items() if num(v) is not None and v < 100]
        rows.append([str(i), charts.town_name(str(town), lang), f"{score:.0f}%",
                     say("briefing.list_separator", lang).join(lag) or "—"])
    # at the final review every goal is judged on its outcome: the ranking is of outcomes, not forecasts
    final = c.meeting.final_review and all(a.settled for a in c.attainments)
    header = [say("briefing.xlsx.col.no", lang), label("col.town", lang),
              say("verdicts.towns.mean_attainment" if final else "briefing.towns.mean_attainment", lang,
                  cap=RANKING_CAP),
              say("verdicts.towns.lagging" if final else "briefing.towns.lagging", lang)]
    return Table(header, rows, numeric=(0, 2), gq="town-ranking")


def town_figure(c: MeetingContext, matrix: pd.DataFrame) -> go.Figure:
    return charts.town_heatmap(matrix, **_cut(c))


# ------------------------------------------------------------------------------------------ 7. since the last meeting
def changes_intro(c: MeetingContext) -> str:
    """What data arrived since the previous meeting's cut-off (or that this is the plan's first meeting)."""
    if c.previous is None:
        return say("briefing.changes.first", c.lang)
    lo, hi = pd.Timestamp(c.previous.cut_off), pd.Timestamp(c.meeting.cut_off)
    items = []
    for name, col in (("industry", "released"), ("tasks", "released"), ("certificates", "announced")):
        frame = getattr(c.data, name)
        if col in frame.columns:
            n = int(((frame[col] > lo) & (frame[col] <= hi)).sum())
            items.append(say("briefing.changes.rows", c.lang, what=say(f"briefing.changes.{name}", c.lang), n=n))
    return say("briefing.changes.intro", c.lang, meeting=meeting_text(c.previous.id, c.lang),
               cut_off=day_text(c.previous.cut_off, c.lang),
               items=say("briefing.list_separator", c.lang).join(items))


def changes_table(c: MeetingContext) -> Table | None:
    """Each target's status, forecast and probability then and now; changed statuses first."""
    if c.previous is None:
        return None
    lang = c.lang
    prev = {r["id"]: r for r in c.previous_summary}
    rows = []
    for a in c.attainments:
        p = prev.get(a.id)
        if p is None:
            continue
        rows.append([a.name(lang), Badge.of(p["status"], lang), Badge.of(a.status, lang),
                     fmt_value(p["forecast_point"], a.unit, lang),
                     say("verdicts.changes.outcome", lang, value=fmt_value(a.latest_value, a.unit, lang))
                     if a.settled else fmt_value(a.forecast_point, a.unit, lang),
                     fmt_p(p["p_reach"]), fmt_p(a.p_reach), "●" if p["status"] != a.status else ""])
    rows.sort(key=lambda r: r[-1] != "●")
    header = [label("col.indicator", lang)]
    for key in ("col.status", "col.forecast", "col.p_reach"):
        for m in (c.previous, c.meeting):
            header.append(say("briefing.changes.column", lang, column=label(key, lang),
                              meeting=meeting_text(m.id, lang)))
    header.append(say("briefing.changes.status_changed", lang))
    return Table(header, rows, numeric=(3, 4, 5, 6), gq="changes-table")


# ------------------------------------------------------------------------------------------ 8. track record
def track_record(c: MeetingContext) -> pd.DataFrame:
    """What each earlier briefing forecast for the headline targets, against what is known now."""
    rows = []
    now = {a.id: a for a in c.attainments}
    for mid, records in c.earlier.items():
        for r in records:
            if not r["headline"] or r["id"] not in now:
                continue
            cur = now[r["id"]]
            final = cur.deadline <= c.meeting.cut_off or cur.status in ("achieved", "missed")
            known = cur.latest_value if final else None
            inside = None if known is None or r["forecast_lo80"] is None else bool(
                r["forecast_lo80"] <= known <= r["forecast_hi80"])
            rows.append({"meeting": mid, "id": r["id"], "forecast_point": r["forecast_point"],
                         "lo80": r["forecast_lo80"], "hi80": r["forecast_hi80"], "p_reach": r["p_reach"],
                         "status": r["status"], "outcome": known, "inside80": inside})
    return pd.DataFrame(rows)


def track_figures(c: MeetingContext, tr: pd.DataFrame) -> list[go.Figure]:
    return [charts.track_record_chart(tr[tr["id"] == a.id], a, **_cut(c)) for a in _headline(c)]


def track_table(c: MeetingContext, tr: pd.DataFrame) -> Table:
    lang = c.lang
    now = {a.id: a for a in c.attainments}

    def inside(v: object) -> str:
        if v is None or v != v:
            return "—"
        return say("briefing.yes" if v else "briefing.no", lang)

    rows = []
    for r in tr.to_dict("records"):
        a = now[r["id"]]
        rows.append([r["meeting"], a.name(lang), fmt_value(num(r["forecast_point"]), a.unit, lang),
                     fmt_range(num(r["lo80"]), num(r["hi80"]), a.unit, lang), fmt_p(num(r["p_reach"])),
                     fmt_value(num(r["outcome"]), a.unit, lang), inside(r["inside80"])])
    header = [label("page.meeting", lang), label("col.indicator", lang), label("col.forecast", lang),
              label("col.range80", lang), label("col.p_reach", lang), say("briefing.track.outcome", lang),
              say("briefing.track.inside80", lang)]
    return Table(header, rows, numeric=(2, 3, 4, 5), gq="track-table")


# ------------------------------------------------------------------------------------------ 9. data quality
#: the intake's check for figures deliberately not stored (serial numbers, shares recomputed, total rows): each is
#: accounted for, none is a fault, so the page counts them by reason instead of listing every row as a finding
SET_ASIDE = "set_aside"
_SEVERITY_ORDER = {"warning": 0, "info": 1}


def check_name(check: object, lang: str) -> str:
    return label_or(f"check.{check}", str(check), lang)


def quality_message(row: dict, lang: str) -> object:
    """A finding's message in ``lang``: ``message_zh`` on Chinese pages (the intake writes both), else ``message``."""
    if lang == "zh":
        zh = row.get("message_zh")
        if isinstance(zh, str) and zh.strip():
            return zh
    return row.get("message")


def set_aside_lines(q: pd.DataFrame, lang: str) -> list[str]:
    """One counted line per reason figures were set aside: how many figures, in how many places."""
    rows = q[q["check"] == SET_ASIDE]
    if rows.empty:
        return []
    keys = rows["message_key"].fillna("") if "message_key" in rows else pd.Series("", index=rows.index)
    out = []
    for key, group in rows.groupby(keys, sort=True):
        figures = int(pd.to_numeric(group["value"], errors="coerce").fillna(0).sum())
        what = (say(str(key), lang, n=figures) if key in catalogue()
                else say("briefing.quality.set_aside_other", lang, check=check_name(SET_ASIDE, lang), n=figures))
        out.append(say("briefing.quality.set_aside_item", lang, what=what, places=len(group)))
    return out


def completeness_lines(c: MeetingContext) -> list[str]:
    """Which returns the meeting should have by its cut-off and which are missing or late (``helpers.completeness``,
    computed from every release so that returns dated after the cut-off show as late, not missing)."""
    return c.completeness.lines(c.lang) if c.completeness is not None else []


def quality(c: MeetingContext, limit: int = 25) -> dict:
    """The returns expected by the cut-off, the findings counted by check and severity, the first ``limit``
    findings located (warnings first), the figures set aside counted by reason, and the source files."""
    lang = c.lang
    q = c.data.quality
    found = q[q["check"] != SET_ASIDE] if len(q) else q
    out: dict = {"counts": None, "findings": None, "more": "", "none": "", "files_title": "", "files": [],
                 "completeness_title": say("briefing.quality.completeness", lang), "completeness": completeness_lines(c),
                 "set_aside_title": "", "set_aside": set_aside_lines(q, lang) if len(q) else []}
    if out["set_aside"]:
        out["set_aside_title"] = say("briefing.quality.set_aside_title", lang)
    if len(found):
        order = found["severity"].map(_SEVERITY_ORDER).fillna(len(_SEVERITY_ORDER))
        found = found.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")
        counts = found.groupby(["check", "severity"]).size().reset_index(name="n")
        counts = counts.assign(_order=counts["severity"].map(_SEVERITY_ORDER).fillna(len(_SEVERITY_ORDER)))
        counts = counts.sort_values(["_order", "n"], ascending=[True, False], kind="stable")
        out["counts"] = Table(
            [say(f"briefing.quality.{k}", lang) for k in ("check", "severity", "findings")],
            [[check_name(r["check"], lang), label_or(f"severity.{r['severity']}", str(r["severity"]), lang),
              str(r["n"])] for r in counts.to_dict("records")], numeric=(2,), gq="quality-counts")
        out["findings"] = Table(
            [say(f"briefing.quality.{k}", lang) for k in ("check", "file", "sheet", "row", "column", "value", "message")],
            [[check_name(r.get("check"), lang), r.get("source_file"), r.get("sheet"), r.get("row"), r.get("column"),
              r.get("value"), quality_message(r, lang)] for r in found.head(limit).to_dict("records")],
            gq="quality-table")
        if len(found) > limit:
            out["more"] = say("briefing.quality.more", lang, n=len(found) - limit)
    else:
        out["none"] = say("briefing.quality.none", lang)
    files = c.data.manifest.get("raw_files", [])
    if files:
        out["files_title"] = say("briefing.quality.files", lang)
        out["files"] = [f.get("path") for f in files]
    return out


# ------------------------------------------------------------------------------------------ 10. method notes
def method(c: MeetingContext) -> dict:
    """The method of each target, the status rule, the plan readings and the stated backtest accuracy."""
    lang = c.lang
    readings = [(what, r.text(lang)) for what, r in c.plan.all_readings(lang)]
    bench_title, bench = benchmark_notes(lang, synthetic=c.synthetic, region=c.plan.region.id)
    return {
        "table": Table([label("col.indicator", lang), say("briefing.method.column", lang)],
                       [[a.name(lang), a.method_text(lang)] for a in c.attainments], gq="method-table"),
        "status_rule": say("briefing.method.status_rule", lang, on_track=f"{ON_TRACK_P:.0%}",
                           at_risk=f"{AT_RISK_P:.0%}"),
        "readings_title": say("briefing.method.readings", lang), "readings": readings,
        "bench_title": bench_title, "bench": bench,
    }
