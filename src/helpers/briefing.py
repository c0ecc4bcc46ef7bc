"""The briefing's content: what notebook 03 shows, section by section, and the files it writes.

The notebook stays a readable list of calls (``b = Briefing.build(...)``, ``b.summary()``, …); everything here
is plain functions of the processed data as known at the meeting's cut-off. Text that came from raw files
(firm names, file names, quality messages) is always escaped before it reaches HTML.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import charts
from helpers.calendar import Meeting, meeting, meetings, previous_meeting
from helpers.explore import share_view
from helpers.forecast.attainment import Attainment
from helpers.labels import Lang, label, label_or, status_label, unit_label
from helpers.processed import ProcessedData, load, write_text_atomic
from helpers.public import load_public_figures
from helpers.targets import Plan, load_plan

SCHEMA_VERSION = 1


# ---------------------------------------------------------------------------------------------- formatting
def fmt_value(value: float | None, unit: str, lang: Lang = "zh") -> str:
    """A value with its unit, rounded as the unit deserves (shares to 0.1, money to 0.01, counts whole)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "100m_yuan":
        return f"{value:.2f} {unit_label(unit, lang)}"
    return f"{value:,.0f} {unit_label(unit, lang)}" if lang == "en" else f"{value:.0f}{unit_label(unit, lang)}"


def fmt_range(lo: float | None, hi: float | None, unit: str, lang: Lang = "zh") -> str:
    if lo is None or hi is None:
        return "—"
    return f"{fmt_value(lo, unit, lang)} – {fmt_value(hi, unit, lang)}"


def fmt_p(p: float | None) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    return f"{100 * p:.0f}%"


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text))


def table_html(header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = (),
               raw: Sequence[int] = (), attrs: str = "") -> str:
    """An HTML table. Cells are escaped, except columns listed in ``raw`` (already-built HTML)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            content = cell if i in raw else esc(cell)
            cells.append(f"<td{cls}>{content}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="gq-table" {attrs}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def show_html(fragment: str) -> None:
    from IPython.display import HTML, display

    display(HTML(fragment))


# ---------------------------------------------------------------------------------------------- sections 4-10
def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


class _Sections:
    """Sections 4-10 of the page; ``Briefing`` inherits them (kept apart to keep each part readable)."""

    # ------------------------------------------------------------------ 4. why the shares moved
    def show_shares(self: Briefing) -> None:
        for target_id in ("output_share", "profit_share"):
            a = self.att(target_id)
            t = self.plan.target(target_id)
            path = share_view(self.data, t.numerator, t.denominator, by_town=False)
            charts.show(charts.share_paths(path, name=a.name(self.lang), lang=self.lang,
                                           cut_off=self.meeting.cut_off, source=self.source))
            decomposition = a.details.get("decomposition")
            if decomposition is not None and len(decomposition):
                charts.show(charts.decomposition_chart(decomposition, name=a.name(self.lang), lang=self.lang,
                                                       cut_off=self.meeting.cut_off, source=self.source))
            breaks = a.details.get("breaks")
            if breaks is not None and len(breaks):
                items = "".join(f"<li>{esc(self._break_text(row))}</li>" for row in breaks.to_dict("records"))
                title = "检测到的结构性断点" if self.lang == "zh" else "Structural breaks detected"
                show_html(f"<h3>{esc(a.name(self.lang))}: {esc(title)}</h3><ul>{items}</ul>")

    def _break_text(self: Briefing, row: dict) -> str:
        text = row.get("description_zh") if self.lang == "zh" else row.get("description")
        when = str(row.get("date", ""))[:10]
        return " · ".join(p for p in (when, str(text or "")) if p)

    # ------------------------------------------------------------------ 5. task targets
    def task_rows(self: Briefing) -> list[list[str]]:
        rows = []
        for a in self.attainments:
            if a.headline:
                continue
            rows.append([
                a.name(self.lang), fmt_value(a.target, a.unit, self.lang), a.deadline.isoformat(),
                fmt_value(a.latest_value, a.unit, self.lang), fmt_value(a.forecast_point, a.unit, self.lang),
                fmt_range(a.forecast_lo80, a.forecast_hi80, a.unit, self.lang), fmt_p(a.p_reach),
                charts.status_badge_html(a.status, self.lang), a.responsible,
            ])
        return rows

    def show_tasks(self: Briefing) -> None:
        header = [self.t("col.indicator"), self.t("col.target"), self.t("col.deadline"), self.t("col.latest"),
                  self.t("col.forecast"), self.t("col.range80"), self.t("col.p_reach"), self.t("col.status"),
                  self.t("col.responsible")]
        show_html(table_html(header, self.task_rows(), numeric=(1, 3, 4, 5, 6), raw=(7,),
                             attrs='data-gq="task-table"'))
        tasks = [a for a in self.attainments if not a.headline]
        charts.show(charts.task_progress_chart(tasks, lang=self.lang, cut_off=self.meeting.cut_off,
                                               source=self.source))

    # ------------------------------------------------------------------ 6. towns
    def town_matrix(self: Briefing) -> pd.DataFrame:
        """Towns × targets with town quotas or growth goals: latest value as a percentage of the town's goal."""
        cols = {}
        for a in self.attainments:
            t = self.plan.target(a.id)
            if not (t.town_quota or t.town_growth_pct):
                continue
            bt = a.by_town
            if bt is None or not len(bt) or not {"town", "latest_value", "target"} <= set(bt.columns):
                continue
            ratio = 100 * pd.to_numeric(bt["latest_value"], errors="coerce") / pd.to_numeric(bt["target"],
                                                                                              errors="coerce")
            cols[a.id] = pd.Series(ratio.to_numpy(), index=bt["town"].astype(str))
        return pd.DataFrame(cols)

    def town_headline_html(self: Briefing) -> str:
        """Per town: valid firms now and forecast at the deadline, and the town's output and profit shares."""
        zh = self.lang == "zh"
        firms = self.att("valid_firms").by_town
        if firms is None or firms.empty:
            return ""
        table = firms.set_index("town")
        shares = {}
        for tid in ("output_share", "profit_share"):
            bt = self.att(tid).by_town
            if bt is not None and len(bt):
                shares[tid] = bt.set_index("town")
        rows = []
        for town, r in table.sort_values("forecast", ascending=False).iterrows():
            row = [charts.town_name(str(town), self.lang), fmt_value(_num(r.get("latest_value")), "firms", self.lang),
                   fmt_value(_num(r.get("forecast")), "firms", self.lang),
                   fmt_range(_num(r.get("lo80")), _num(r.get("hi80")), "firms", self.lang)]
            for tid in ("output_share", "profit_share"):
                sh = shares.get(tid)
                row.append(fmt_value(_num(sh.loc[town, "latest_value"]), "percent", self.lang)
                           if sh is not None and town in sh.index else "—")
            rows.append(row)
        header = [self.t("col.town"), ("有效高企(截至数据截止日)" if zh else "Valid firms (at cut-off)"),
                  ("期末预测" if zh else "Forecast at deadline"), self.t("col.range80"),
                  ("产值占比(年内累计)" if zh else "Output share (YTD)"),
                  ("利润占比(年内累计)" if zh else "Profit share (YTD)")]
        note = ("方案未对各区镇分配有效高企和比重目标;此表供比较各区镇对全区目标的贡献。" if zh else
                "The plan sets no town targets for valid firms or shares; the table compares each town's contribution.")
        return (table_html(header, rows, numeric=(1, 2, 3, 4, 5), attrs='data-gq="town-headline"')
                + f'<p class="gq-note">{esc(note)}</p>')

    def show_towns(self: Briefing) -> None:
        show_html(self.town_headline_html())
        matrix = self.town_matrix()
        if matrix.empty:
            show_html(f'<p class="gq-note">{esc("无分区镇数据" if self.lang == "zh" else "No town figures.")}</p>')
            return
        charts.show(charts.town_heatmap(matrix, lang=self.lang, cut_off=self.meeting.cut_off, source=self.source))
        ranking = matrix.clip(upper=150).mean(axis=1, skipna=True).sort_values(ascending=False)
        header = ["#", self.t("col.town"),
                  "平均完成度(对目标%)" if self.lang == "zh" else "Mean attainment (% of goal)",
                  "落后项目" if self.lang == "zh" else "Lagging targets"]
        rows = []
        for i, (town, score) in enumerate(ranking.items(), start=1):
            lag = [label(f"target.{tid}", self.lang) for tid, v in matrix.loc[town].items() if _num(v) is not None
                   and v < 100]
            rows.append([str(i), charts.town_name(town, self.lang), f"{score:.0f}%", "、".join(lag) or "—"])
        show_html(table_html(header, rows, numeric=(0, 2), attrs='data-gq="town-ranking"'))

    # ------------------------------------------------------------------ 7. since the last meeting
    def changes_html(self: Briefing) -> str:
        if self.previous is None:
            return f'<p class="gq-note">{esc("这是本计划的第一次会议。" if self.lang == "zh" else "This is the first meeting of the plan.")}</p>'
        prev = {r["id"]: r for r in self.previous_summary}
        lo, hi = pd.Timestamp(self.previous.cut_off), pd.Timestamp(self.meeting.cut_off)
        new = []
        for name, col in (("industry", "released"), ("tasks", "released"), ("certificates", "announced")):
            frame = getattr(self.data, name)
            if col in frame.columns:
                new.append((name, int(((frame[col] > lo) & (frame[col] <= hi)).sum())))
        zh = self.lang == "zh"
        intro = (f"上次会议 {self.previous.id}(数据截止 {self.previous.cut_off})以来新到数据:" if zh else
                 f"New data since meeting {self.previous.id} (cut-off {self.previous.cut_off}): ")
        names = {"industry": ("统计月报", "monthly statistics"), "tasks": ("任务进度", "task returns"),
                 "certificates": ("高企证书", "certificates")}
        intro += ("、" if zh else ", ").join(f"{names[n][0 if zh else 1]} {c}" + ("条" if zh else " rows")
                                             for n, c in new)
        rows = []
        for a in self.attainments:
            p = prev.get(a.id)
            if p is None:
                continue
            changed = p["status"] != a.status
            rows.append([
                a.name(self.lang), charts.status_badge_html(p["status"], self.lang),
                charts.status_badge_html(a.status, self.lang),
                fmt_value(p["forecast_point"], a.unit, self.lang), fmt_value(a.forecast_point, a.unit, self.lang),
                fmt_p(p["p_reach"]), fmt_p(a.p_reach), ("●" if changed else ""),
            ])
        rows.sort(key=lambda r: r[-1] != "●")
        header = [self.t("col.indicator"),
                  f"{self.t('col.status')} {self.previous.id}", f"{self.t('col.status')} {self.meeting.id}",
                  f"{self.t('col.forecast')} {self.previous.id}", f"{self.t('col.forecast')} {self.meeting.id}",
                  f"{self.t('col.p_reach')} {self.previous.id}", f"{self.t('col.p_reach')} {self.meeting.id}",
                  "状态变化" if zh else "Status changed"]
        return f"<p>{esc(intro)}</p>" + table_html(header, rows, numeric=(3, 4, 5, 6), raw=(1, 2),
                                                      attrs='data-gq="changes-table"')

    # ------------------------------------------------------------------ 8. track record
    def track_record(self: Briefing) -> pd.DataFrame:
        """What each earlier briefing forecast for the headline targets, against what is known now."""
        rows = []
        now = {a.id: a for a in self.attainments}
        for mid, records in self.earlier.items():
            for r in records:
                if not r["headline"] or r["id"] not in now:
                    continue
                cur = now[r["id"]]
                final = cur.deadline <= self.meeting.cut_off or cur.status in ("achieved", "missed")
                known = cur.latest_value if final else None
                inside = None if known is None or r["forecast_lo80"] is None else bool(
                    r["forecast_lo80"] <= known <= r["forecast_hi80"])
                rows.append({"meeting": mid, "id": r["id"], "forecast_point": r["forecast_point"],
                             "lo80": r["forecast_lo80"], "hi80": r["forecast_hi80"], "p_reach": r["p_reach"],
                             "status": r["status"], "outcome": known, "inside80": inside})
        return pd.DataFrame(rows)

    def show_track_record(self: Briefing) -> None:
        tr = self.track_record()
        zh = self.lang == "zh"
        if tr.empty:
            show_html(f'<p class="gq-note">{esc("尚无往次预测可回顾。" if zh else "No earlier forecasts to review yet.")}</p>')
            return
        for a in (x for x in self.attainments if x.headline):
            part = tr[tr["id"] == a.id]
            charts.show(charts.track_record_chart(part, a, lang=self.lang, cut_off=self.meeting.cut_off,
                                                  source=self.source))
        rows = [[r["meeting"], label(f"target.{r['id']}", self.lang),
                 fmt_value(_num(r["forecast_point"]), self.att(r["id"]).unit, self.lang),
                 fmt_range(_num(r["lo80"]), _num(r["hi80"]), self.att(r["id"]).unit, self.lang),
                 fmt_p(_num(r["p_reach"])), fmt_value(_num(r["outcome"]), self.att(r["id"]).unit, self.lang),
                 "—" if r["inside80"] is None or r["inside80"] != r["inside80"] else ("是" if zh else "yes")
                 if r["inside80"] else ("否" if zh else "no")] for r in tr.to_dict("records")]
        header = [self.t("page.meeting"), self.t("col.indicator"), self.t("col.forecast"), self.t("col.range80"),
                  self.t("col.p_reach"), "实际" if zh else "Outcome", "落在80%区间内" if zh else "Inside 80 % range"]
        show_html(table_html(header, rows, numeric=(2, 3, 4, 5), attrs='data-gq="track-table"'))

    # ------------------------------------------------------------------ 9. data quality and sources
    def quality_html(self: Briefing, limit: int = 25) -> str:
        zh = self.lang == "zh"
        q = self.data.quality
        parts = []
        if len(q):
            counts = q.groupby(["check", "severity"]).size().reset_index(name="n")
            parts.append(table_html(["检查" if zh else "Check", "级别" if zh else "Severity", "条数" if zh else "Findings"],
                                    [[label_or(f"check.{r['check']}", r["check"], self.lang),
                                      label_or(f"severity.{r['severity']}", r["severity"], self.lang), str(r["n"])]
                                     for r in counts.to_dict("records")],
                                    numeric=(2,), attrs='data-gq="quality-counts"'))
            shown = q.head(limit)
            parts.append(table_html(
                ["检查" if zh else "Check", "文件" if zh else "File", "工作表" if zh else "Sheet", "行" if zh else "Row",
                 "列" if zh else "Column", "值" if zh else "Value", "说明" if zh else "Message"],
                [[label_or(f"check.{r.get('check')}", str(r.get("check")), self.lang), r.get("source_file"), r.get("sheet"), r.get("row"), r.get("column"), r.get("value"),
                  r.get("message")] for r in shown.to_dict("records")], attrs='data-gq="quality-table"'))
            if len(q) > limit:
                parts.append(f'<p class="gq-note">{esc(f"另有 {len(q) - limit} 条见 xlsx。" if zh else f"{len(q) - limit} more in the xlsx file.")}</p>')
        else:
            parts.append(f"<p>{esc('截至数据截止日无数据质量问题。' if zh else 'No data-quality findings at this cut-off.')}</p>")
        files = self.data.manifest.get("raw_files", [])
        if files:
            items = "".join(f"<li>{esc(f.get('path'))}</li>" for f in files)
            title = "数据来源文件" if zh else "Source files"
            parts.append(f"<h3>{esc(title)}</h3><ul class=\"gq-note\">{items}</ul>")
        return "".join(parts)

    # ------------------------------------------------------------------ 10. method notes
    def show_method(self: Briefing) -> None:
        from helpers.forecast.attainment import AT_RISK_P, ON_TRACK_P

        zh = self.lang == "zh"
        rows = [[a.name(self.lang), a.method_text(self.lang)] for a in self.attainments]
        show_html(table_html([self.t("col.indicator"), "方法" if zh else "Method"], rows))
        status = (f"状态:达成概率 ≥ {ON_TRACK_P:.0%} 为“按进度”,{AT_RISK_P:.0%}–{ON_TRACK_P:.0%} 为“有风险”,"
                  f"低于 {AT_RISK_P:.0%} 为“滞后”;期限已过则为“已完成”或“未完成”。" if zh else
                  f"Status: probability ≥ {ON_TRACK_P:.0%} on track, {AT_RISK_P:.0%}–{ON_TRACK_P:.0%} at risk, below "
                  f"{AT_RISK_P:.0%} off track; after the deadline achieved or missed.")
        show_html(f"<p>{esc(status)}</p>")
        readings = [(t, r) for t in self.plan.targets for r in t.readings]
        title = "对方案措辞的理解" if zh else "Readings of the plan's wording"
        show_html(f"<h3>{esc(title)}</h3><ul>" + "".join(
            f"<li><b>{esc(t.name(self.lang))}</b>: {esc(r.text(self.lang))}</li>" for t, r in readings) + "</ul>")
        bench = benchmark_notes(self.lang, synthetic=self.synthetic)
        if bench:
            show_html(bench)
        show_html(f"<h3>{esc('公开数据对照(真实数据)' if zh else 'Context: published figures (real)')}</h3>")
        fig, sources = charts.public_share_chart(load_public_figures(), lang=self.lang)
        charts.show(fig)
        show_html("<ul class=\"gq-note\">" + "".join(f"<li>{esc(s)}</li>" for s in sources) + "</ul>")


def benchmark_result(name: str) -> dict | None:
    """A benchmark's results: a local run in reports/bench/ if there is one, else the committed bench/results/."""
    from helpers.paths import project_root, reports_dir

    for folder in (reports_dir() / "bench", project_root() / "bench" / "results",
                   Path(__file__).resolve().parents[2] / "bench" / "results"):
        f = folder / f"{name}.json"
        if f.exists():
            try:
                return json.loads(f.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                continue
    return None


def benchmark_notes(lang: Lang, *, synthetic: bool) -> str:
    """The stated backtest accuracy: M3 for the annual ensemble; the replay on the sample for the target models."""
    zh = lang == "zh"
    parts = []
    m3 = benchmark_result("m3")
    if m3 and "ensemble" in m3.get("table", {}):
        e, d, th = m3["table"]["ensemble"], m3["table"].get("drift", {}), m3["table"].get("theta_sm", {})
        parts.append(
            f"年度序列集成预测(用于公开数据对照与批量预测)在 M3 年度竞赛数据({m3['series']} 条真实序列)上回测:"
            f"sMAPE {e['smape']:.2f}(漂移法 {d.get('smape', float('nan')):.2f},Theta {th.get('smape', float('nan')):.2f}),"
            f"80%区间实际覆盖 {e['cov80']:.0%},95%区间实际覆盖 {e['cov95']:.0%}。" if zh else
            f"The annual ensemble (context benchmarks, batch forecasts) backtested on M3 yearly ({m3['series']} real "
            f"series): sMAPE {e['smape']:.2f} (drift {d.get('smape', float('nan')):.2f}, Theta "
            f"{th.get('smape', float('nan')):.2f}); 80 % intervals covered {e['cov80']:.0%}, 95 % intervals {e['cov95']:.0%}.")
    replay = benchmark_result("replay")
    if replay and synthetic and "brier" in replay:
        vf = replay.get("valid_firms_vs_trend", {}).get("mae", {})
        parts.append(
            f"在示例数据上回放历次会议的预测:达成概率的 Brier 分数 {replay['brier']:.3f}(恒定基准 "
            f"{replay['brier_base_rate']:.3f},越低越好),80%区间覆盖 {replay['coverage80']:.0%};有效高企数的平均绝对误差:"
            f"批次模型 {vf.get('cohort', float('nan')):.1f} 家,线性趋势 {vf.get('trend', float('nan')):.1f} 家。" if zh else
            f"Replay of each meeting's forecasts on the sample data: Brier score of the probabilities "
            f"{replay['brier']:.3f} (constant base rate {replay['brier_base_rate']:.3f}; lower is better), 80 % ranges "
            f"covered {replay['coverage80']:.0%}; valid-firm mean absolute error: cohort model "
            f"{vf.get('cohort', float('nan')):.1f}, linear trend {vf.get('trend', float('nan')):.1f}.")
    if not parts:
        return ""
    title = "预测准确度(回测)" if zh else "Forecast accuracy (backtests)"
    return f"<h3>{esc(title)}</h3>" + "".join(f"<p>{esc(p)}</p>" for p in parts)


# ---------------------------------------------------------------------------------------------- earlier meetings
def _forecast_code_digest() -> str:
    """A digest of the forecasting code: a cached result is reused only while the code is unchanged."""
    folder = Path(__file__).parent / "forecast"
    h = hashlib.sha256()
    for f in sorted([*folder.glob("*.py"), Path(__file__).parent / "register.py", Path(__file__).parent / "vintage.py"]):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def earlier_summary(everything: ProcessedData, plan: Plan, m: Meeting, *, seed: int = 0,
                    processed_dir: str | Path | None = None) -> list[dict]:
    """The summary records meeting ``m`` produced: computed from ``as_of(everything, m.cut_off)`` only.

    Cached as JSON in ``data/processed/cache/`` keyed by meeting, seed and a digest of the forecasting code; the
    cache lives inside the processed folder, so a new ``gaoqi clean`` (which replaces that folder) empties it.
    """
    from helpers.forecast import attain_all
    from helpers.paths import processed_dir as default_processed
    from helpers.vintage import as_of

    folder = Path(processed_dir) if processed_dir else default_processed()
    cache = folder / "cache" / f"summary-{m.id}-seed{seed}-{_forecast_code_digest()}.json"
    if cache.exists():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass
    records = [a.summary() for a in attain_all(as_of(everything, m.cut_off), plan, m, seed=seed)]
    with contextlib.suppress(OSError):  # a read-only processed folder only costs time
        write_text_atomic(cache, json.dumps(records, ensure_ascii=False))
    return records


# ---------------------------------------------------------------------------------------------- the briefing
@dataclass
class Briefing(_Sections):
    """Everything one meeting's briefing shows, computed once from the data known at its cut-off."""

    plan: Plan
    meeting: Meeting
    lang: Lang
    data: ProcessedData
    attainments: list[Attainment]
    previous: Meeting | None = None
    previous_summary: list[dict] = field(default_factory=list)
    earlier: dict[str, list[dict]] = field(default_factory=dict)
    generated_at: str = ""

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, meeting_id: str, *, lang: Lang = "zh", processed_dir: str | Path | None = None,
              seed: int = 0, track_record: bool = True) -> Briefing:
        """Load the processed data, cut it at the meeting's cut-off and forecast every target.

        Earlier meetings are recomputed from the data as known at *their* cut-offs (never from today's data),
        so "since the last meeting" and the track record show what those briefings said. Their summary records
        are cached next to the processed data (see ``earlier_summary``).
        """
        from helpers.forecast import attain_all
        from helpers.vintage import as_of

        plan = load_plan()
        m = meeting(plan, meeting_id)
        everything = load(processed_dir or None)
        data = as_of(everything, m.cut_off)
        atts = attain_all(data, plan, m, seed=seed)
        prev = previous_meeting(plan, m)
        earlier = {e.id: earlier_summary(everything, plan, e, seed=seed, processed_dir=processed_dir)
                   for e in meetings(plan) if e.date < m.date and (track_record or e == prev)}
        return cls(
            plan=plan, meeting=m, lang=lang, data=data, attainments=atts, previous=prev,
            previous_summary=earlier.get(prev.id, []) if prev else [], earlier=earlier,
            generated_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        )

    @property
    def synthetic(self) -> bool:
        return self.data.synthetic

    @property
    def source(self) -> str:
        return label("page.source_sample", self.lang) if self.synthetic else label("page.real_data", self.lang)

    def t(self, key: str) -> str:
        return label(key, self.lang)

    def att(self, target_id: str) -> Attainment:
        for a in self.attainments:
            if a.id == target_id:
                return a
        raise KeyError(target_id)

    # ------------------------------------------------------------------ 1. header
    def header_html(self) -> str:
        m = self.meeting
        title = m.label_zh if self.lang == "zh" else m.label_en
        mark = ""
        if self.synthetic:
            mark = f'<p class="gq-sample-note">{esc(self.t("page.sample_mark"))} — {esc(self.t("page.sample_note"))}</p>'
        status = self.t("page.source_sample") if self.synthetic else self.t("page.real_data")
        return (
            f'<h1>{esc(self.t("page.title"))}</h1>'
            f'<p class="gq-meta"><span>{esc(self.t("page.meeting"))}: <b>{esc(title)}</b></span>'
            f'<span>{esc(self.t("page.as_of"))}: <b data-gq="cut-off">{m.cut_off.isoformat()}</b></span>'
            f'<span>{esc(self.t("page.generated"))}: {esc(self.generated_at[:16].replace("T", " "))}</span>'
            f'<span>{esc(status)}</span></p>'
            f'<p class="gq-note">{esc(self.plan.title_zh if self.lang == "zh" else self.plan.title_en)}'
            f' ({esc(self.plan.document_no)})</p>{mark}'
        )

    # ------------------------------------------------------------------ 2. summary
    def summary_html(self) -> str:
        rows = []
        for a in self.attainments:
            if not a.headline:
                continue
            rows.append([
                a.name(self.lang), fmt_value(a.target, a.unit, self.lang) + f" ({a.deadline.isoformat()})",
                charts.status_badge_html(a.status, self.lang),
                fmt_value(a.latest_value, a.unit, self.lang)
                + (f" ({a.latest_date.isoformat()})" if a.latest_date else ""),
                fmt_value(a.forecast_point, a.unit, self.lang),
                fmt_range(a.forecast_lo80, a.forecast_hi80, a.unit, self.lang),
                fmt_p(a.p_reach), a.what_it_takes(self.lang),
            ])
        header = [self.t("col.indicator"), self.t("col.target"), self.t("col.status"), self.t("col.latest"),
                  self.t("col.forecast"), self.t("col.range80"), self.t("col.p_reach"), self.t("col.what_it_takes")]
        table = table_html(header, rows, numeric=(3, 4, 5, 6), raw=(2,), attrs='data-gq="summary-table"')
        risks = "".join(f"<li>{esc(r)}</li>" for r in self.risks())
        return f"{table}<h3>{esc(self.risk_title())}</h3><ol class=\"gq-risks\">{risks}</ol>"

    def risk_title(self) -> str:
        if self.meeting.final_review:
            return "未完成的目标" if self.lang == "zh" else "Targets missed"
        return "三大风险" if self.lang == "zh" else "Three biggest risks"

    def risks(self, n: int = 3) -> list[str]:
        """The ``n`` targets least likely to be reached (headline first on ties), as sentences; at the final
        review, every target that was missed."""
        if self.meeting.final_review:
            n = len(self.attainments)
        open_ = [a for a in self.attainments if a.status in ("off_track", "at_risk", "missed")]
        open_.sort(key=lambda a: (a.status != "missed", a.p_reach if a.p_reach is not None else 0.0,
                                  not a.headline))
        out = []
        for a in open_[:n]:
            if self.lang == "zh":
                out.append(f"{a.name_zh}:{status_label(a.status, 'zh')},达成概率{fmt_p(a.p_reach)}。"
                           f"{a.what_it_takes_zh}(责任单位:{a.responsible})")
            else:
                out.append(f"{a.name_en}: {status_label(a.status, 'en')}, probability {fmt_p(a.p_reach)}. "
                           f"{a.what_it_takes_en} (responsible: {a.responsible})")
        if not out and self.meeting.final_review:
            out.append("所有目标均已完成。" if self.lang == "zh" else "Every target was reached.")
        elif not out:
            out.append("暂无明显风险。" if self.lang == "zh" else "No target is currently at risk.")
        return out

    # ------------------------------------------------------------------ 3. headline charts
    def headline_figures(self) -> list:
        figs = [charts.fan_chart(a, lang=self.lang, cut_off=self.meeting.cut_off, source=self.source)
                for a in self.attainments if a.headline]
        firms = self.att("valid_firms")
        if "cohorts" in firms.details and len(firms.details["cohorts"]):
            figs.insert(1, charts.cohort_chart(firms.details["cohorts"], lang=self.lang,
                                               cut_off=self.meeting.cut_off, source=self.source))
        return figs

    # ------------------------------------------------------------------ outputs
    def summary_record(self) -> dict:
        """The summary JSON (schema: docs/summary-schema.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "meeting": self.meeting.id,
            "meeting_date": self.meeting.date.isoformat(),
            "as_of": self.meeting.cut_off.isoformat(),
            "focus_year": self.meeting.focus_year,
            "plan": self.plan.id,
            "synthetic": self.synthetic,
            "generated_at": self.generated_at,
            "targets": [a.summary() for a in self.attainments],
        }

    def write_outputs(self, output_dir: str | Path) -> list[Path]:
        """Write ``summary-<meeting>.json`` and ``briefing-<meeting>.xlsx`` into ``output_dir``."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        summary = out / f"summary-{self.meeting.id}.json"
        write_text_atomic(summary, json.dumps(self.summary_record(), ensure_ascii=False, indent=2))
        xlsx = out / f"briefing-{self.meeting.id}.xlsx"
        self.write_xlsx(xlsx)
        return [summary, xlsx]

    def write_xlsx(self, path: Path) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as xw:
            pd.DataFrame([a.summary() for a in self.attainments]).to_excel(xw, sheet_name="targets", index=False)
            for a in self.attainments:
                if a.by_town is not None and len(a.by_town):
                    a.by_town.to_excel(xw, sheet_name=f"town_{a.id}"[:31], index=False)
            self.data.quality.to_excel(xw, sheet_name="quality", index=False)
            pd.DataFrame([{"synthetic": self.synthetic, "as_of": self.meeting.cut_off.isoformat(),
                           "meeting": self.meeting.id}]).to_excel(xw, sheet_name="about", index=False)
        tmp.replace(path)
