"""Every figure of the suite, in one theme. Labels come from ``helpers.labels``; nothing is spelled here.

Each builder returns a ``plotly.graph_objects.Figure`` whose title names the quantity and its unit and whose
foot line names the source and the data cut-off. ``show(fig)`` puts a figure into a notebook:
- when a briefing is being rendered (``GAOQI_RENDER=1``, set by ``helpers.render``) it emits an HTML block
  holding the figure as JSON, which the page's single embedded plotly.js draws (see templates/briefing);
- in JupyterLab it calls ``fig.show()`` for the usual interactive output.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from helpers.labels import Lang, label, status_label, town_label, unit_label

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", '
    '"Helvetica Neue", Arial, sans-serif'
)

THEME = {
    "ink": "#1f2933",
    "muted": "#52606d",
    "grid": "#e4e7eb",
    "history": "#1f4e79",
    "forecast": "#2f80c1",
    "band80": "rgba(47,128,193,0.28)",
    "band95": "rgba(47,128,193,0.13)",
    "target": "#c0392b",
    "numerator": "#2e9e57",
    "denominator": "#d08b00",
    "expiring": "#c0392b",
    "renewed": "#2f80c1",
    "new": "#2e9e57",
    "status": {
        "achieved": "#1b7f3b", "on_track": "#2e9e57", "at_risk": "#d08b00",
        "off_track": "#c0392b", "missed": "#8e1b10", "no_data": "#7b8794",
    },
}

_counter = itertools.count(1)


def base_layout(title: str, subtitle: str, foot: str, *, height: int = 380) -> dict:
    """The shared layout: CJK-aware fonts, white background, title + subtitle (unit), foot line (source, cut-off)."""
    return dict(
        template="plotly_white",
        height=height,
        font=dict(family=FONT_FAMILY, size=13, color=THEME["ink"]),
        title=dict(text=html.escape(title), subtitle=dict(text=html.escape(subtitle)), x=0.01, xanchor="left"),
        margin=dict(l=60, r=30, t=78, b=78),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
        annotations=[
            dict(text=html.escape(foot), xref="paper", yref="paper", x=0, y=-0.22, xanchor="left", yanchor="top",
                 showarrow=False, font=dict(size=11, color=THEME["muted"]))
        ],
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
    )


def foot_line(source: str, cut_off: dt.date, lang: Lang) -> str:
    return f"{label('page.source', lang)}: {source} · {label('page.as_of', lang)}: {cut_off.isoformat()}"


def rendering() -> bool:
    """True while ``helpers.render`` runs the notebook for a published briefing."""
    return os.environ.get("GAOQI_RENDER") == "1"


def figure_block(fig: go.Figure, *, caption: str = "") -> str:
    """The HTML a briefing page holds for one figure: an empty div and the figure as a JSON block."""
    div_id = f"gq-chart-{next(_counter)}"
    plotly_json = fig.to_plotly_json()
    spec = json.dumps(
        {"data": plotly_json["data"], "layout": plotly_json["layout"]},
        cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"),
    )
    spec = spec.replace("</", "<\\/")  # a JSON string can never close the script element
    height = int(fig.layout.height or 380)
    cap = f'<p class="gq-chart-caption">{html.escape(caption)}</p>' if caption else ""
    return (
        f'<div class="gq-chart" id="{div_id}" style="height:{height}px"></div>'
        f'<script type="application/vnd.gaoqi.plotly+json" data-target="{div_id}">{spec}</script>{cap}'
    )


def show(fig: go.Figure, *, caption: str = "") -> None:
    """Display ``fig`` in the notebook the way the current context needs (see module docstring)."""
    from IPython.display import HTML, display

    if rendering():
        display(HTML(figure_block(fig, caption=caption)))
    else:
        fig.show()
        if caption:
            display(HTML(f'<p class="gq-chart-caption">{html.escape(caption)}</p>'))


def _dates(values: Iterable) -> list:
    return [pd.Timestamp(v) for v in values]


def fan_chart(att, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """History, forecast with 80 % and 95 % bands, the target line and the deadline, for one Attainment."""
    unit = unit_label(att.unit, lang)
    fig = go.Figure()
    path = att.path.dropna(subset=["point"]) if len(att.path) else att.path
    if len(path):
        x = _dates(path["date"])
        for lo, hi, colour, key in (("lo95", "hi95", THEME["band95"], "chart.range95"),
                                    ("lo80", "hi80", THEME["band80"], "chart.range80")):
            fig.add_trace(go.Scatter(x=x + x[::-1], y=list(path[hi]) + list(path[lo])[::-1], fill="toself",
                                     mode="lines", fillcolor=colour, line=dict(width=0), hoverinfo="skip",
                                     name=label(key, lang)))
        fig.add_trace(go.Scatter(x=x, y=path["point"], mode="lines+markers", name=label("chart.forecast", lang),
                                 line=dict(color=THEME["forecast"], dash="dash")))
    hist = att.history.dropna(subset=["value"]) if len(att.history) else att.history
    if len(hist):
        fig.add_trace(go.Scatter(x=_dates(hist["date"]), y=hist["value"], mode="lines+markers",
                                 name=label("chart.history", lang), line=dict(color=THEME["history"], width=2.5)))
    fig.add_hline(y=att.target, line=dict(color=THEME["target"], dash="dot"),
                  annotation_text=f"{label('chart.target', lang)} {att.target:g} {unit}",
                  annotation_position="top left")
    fig.add_vline(x=pd.Timestamp(att.deadline).timestamp() * 1000, line=dict(color=THEME["muted"], dash="dot"))
    layout = base_layout(att.name(lang), f"{label('col.indicator', lang)}: {unit}",
                         foot_line(source, cut_off, lang))
    fig.update_layout(**layout)
    fig.update_yaxes(title_text=unit, gridcolor=THEME["grid"])
    first = min([pd.Timestamp(d).year for d in hist["date"]] or [att.deadline.year]) if len(hist) else att.deadline.year
    ends = [pd.Timestamp(y, 12, 31) for y in range(first - (0 if len(hist) else 1), att.deadline.year + 1)]
    fig.update_xaxes(title_text=label("axis.date", lang), gridcolor=THEME["grid"], tickvals=ends,
                     ticktext=[f"{d.year}年末" if lang == "zh" else f"end {d.year}" for d in ends])
    return fig


def status_colour(status: str) -> str:
    return THEME["status"].get(status, THEME["status"]["no_data"])


def status_badge_html(status: str, lang: Lang) -> str:
    return f'<span class="gq-badge {html.escape(status)}">{html.escape(status_label(status, lang))}</span>'


def town_name(code: str, lang: Lang) -> str:
    try:
        return town_label(code, lang)
    except KeyError:
        return code


def share_paths(table: pd.DataFrame, *, name: str, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """The year-to-date share through each year, one line a year: the seasonal path the forecast leans on.

    ``table`` has ``year, month, share`` (``helpers.explore.share_view(..., by_town=False)``).
    """
    fig = go.Figure()
    years = sorted(table["year"].unique())
    for i, year in enumerate(years):
        part = table[table["year"] == year]
        last = i == len(years) - 1
        fig.add_trace(go.Scatter(
            x=part["month"], y=part["share"], mode="lines+markers", name=str(year),
            line=dict(width=3 if last else 1.5, color=THEME["history"] if last else None),
            opacity=1.0 if last else 0.6))
    zh = lang == "zh"
    title = f"{name}:{'逐月累计比重' if zh else 'year-to-date share by month'}"
    fig.update_layout(**base_layout(title, "%" + (" · 1–2月合并报送" if zh else " · Jan–Feb reported together"),
                                    foot_line(source, cut_off, lang)))
    fig.update_xaxes(title_text="月份(累计至)" if zh else "Month (cumulative to)", tickmode="array",
                     tickvals=list(range(2, 13)), ticktext=["1–2"] + [str(m) for m in range(3, 13)],
                     gridcolor=THEME["grid"])
    fig.update_yaxes(title_text="%", gridcolor=THEME["grid"])
    return fig


def cohort_chart(cohorts: pd.DataFrame, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """Each year's certificates: new recognitions and re-recognitions up, the expiring cohort down, and the
    year-end valid stock as a line (``details["cohorts"]`` of the firm forecast; ``kind == "forecast"`` rows are
    the simulated remaining batches, marked with *).
    """
    zh = lang == "zh"
    c = cohorts.dropna(subset=["expiring", "renewed"], how="all").copy()
    forecast = c["kind"].eq("forecast") if "kind" in c.columns else pd.Series(False, index=c.index)
    x = [f"{int(y)}{'*' if f else ''}" for y, f in zip(c["year"], forecast, strict=True)]
    new = c["other"] if "other" in c.columns else c["issued"] - c["renewed"]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=c["renewed"], name="重新认定" if zh else "re-recognised", marker_color=THEME["renewed"]))
    fig.add_trace(go.Bar(x=x, y=new, name="新认定" if zh else "new recognitions", marker_color=THEME["new"]))
    fig.add_trace(go.Bar(x=x, y=-c["expiring"], name="到期(三年前批次)" if zh else "expiring (issued three years before)",
                         marker_color=THEME["expiring"]))
    if "stock_end" in c.columns:
        fig.add_trace(go.Scatter(x=x, y=c["stock_end"], mode="lines+markers+text", name="年末有效数" if zh else
                                 "valid at year end", text=[("" if v != v else f"{v:.0f}") for v in c["stock_end"]],
                                 textposition="top center", line=dict(color=THEME["history"])))
    title = "有效高企的来龙去脉:新认定、重新认定与到期" if zh else "Valid high-tech firms: new, re-recognised and expiring"
    sub = "家;* 为预测(模拟中位数)" if zh else "firms; * forecast (simulated median)"
    fig.update_layout(**base_layout(title, sub, foot_line(source, cut_off, lang)), barmode="relative")
    fig.update_yaxes(title_text=unit_label("firms", lang), gridcolor=THEME["grid"])
    return fig


def decomposition_chart(decomposition: pd.DataFrame, *, name: str, lang: Lang, cut_off: dt.date,
                        source: str) -> go.Figure:
    """Change of the share split into numerator and denominator contributions by town (percentage points)."""
    zh = lang == "zh"
    d = decomposition.copy()
    d["town_name"] = [town_name(str(t), lang) for t in d["town"]]
    fig = go.Figure()
    for col, key, colour in (("numerator_pp", ("分子(高新产值/利润)", "numerator (high-tech)"), THEME["numerator"]),
                             ("denominator_pp", ("分母(规上总量)", "denominator (all above-scale)"), THEME["denominator"])):
        if col in d.columns:
            fig.add_trace(go.Bar(y=d["town_name"], x=d[col], orientation="h", name=key[0 if zh else 1],
                                 marker_color=colour))
    title = f"{name}:{'变化的分子/分母分解' if zh else 'change split into numerator and denominator'}"
    sub = "百分点,按区镇" if zh else "percentage points, by town"
    a = decomposition.attrs
    if {"from_year", "to_year", "month"} <= set(a):
        months = "1–2月" if a["month"] == 2 else f"1–{a['month']}月"
        sub += (f";{a['to_year']}年{months}累计对比{a['from_year']}年同期" if zh else
                f"; Jan–{dt.date(2000, a['month'], 1):%b} {a['to_year']} against the same months of {a['from_year']}")
    fig.update_layout(**base_layout(title, sub, foot_line(source, cut_off, lang), height=420), barmode="relative")
    fig.update_xaxes(title_text="百分点" if zh else "percentage points", gridcolor=THEME["grid"])
    return fig


def task_progress_chart(attainments: list, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """Each task target: latest value and forecast as a percentage of the target, coloured by status."""
    zh = lang == "zh"
    names, latest, forecast, colours = [], [], [], []
    for a in attainments:
        if not a.target:
            continue
        names.append(a.name(lang) if len(a.name(lang)) <= 18 else a.name(lang)[:17] + "…")
        latest.append(None if a.latest_value is None else 100 * a.latest_value / a.target)
        forecast.append(None if a.forecast_point is None else 100 * a.forecast_point / a.target)
        colours.append(status_colour(a.status))
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=latest, orientation="h", name="最新值" if zh else "latest",
                         marker_color=colours))
    fig.add_trace(go.Scatter(y=names, x=forecast, mode="markers", name="预测(期末)" if zh else "forecast (deadline)",
                             marker=dict(symbol="diamond", size=10, color=THEME["ink"])))
    fig.add_vline(x=100, line=dict(color=THEME["target"], dash="dot"))
    title = "重点任务:完成度与预测" if zh else "Task targets: progress and forecast"
    fig.update_layout(**base_layout(title, "占目标的%" if zh else "% of target", foot_line(source, cut_off, lang),
                                    height=max(380, 30 * len(names) + 160)))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="%", gridcolor=THEME["grid"])
    return fig


def town_heatmap(matrix: pd.DataFrame, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """Towns × targets: latest value as % of each town's quota or goal (100 = on target)."""
    zh = lang == "zh"
    z = matrix.to_numpy(dtype=float)
    fig = go.Figure(go.Heatmap(
        z=z, x=[label(f"target.{c}", lang) for c in matrix.columns],
        y=[town_name(str(t), lang) for t in matrix.index],
        zmin=0, zmax=150, colorscale=[[0, THEME["status"]["off_track"]], [0.5, "#f7e3a1"], [0.667, "#cde8d4"],
                                      [1, THEME["status"]["achieved"]]],
        text=[[("" if v != v else f"{v:.0f}%") for v in row] for row in z], texttemplate="%{text}",
        colorbar=dict(title="%")))
    title = "各区镇对目标的完成度" if zh else "Towns against their quotas and goals"
    fig.update_layout(**base_layout(title, "最新值占目标%" if zh else "latest as % of goal",
                                    foot_line(source, cut_off, lang), height=max(380, 34 * len(matrix) + 170)))
    fig.update_yaxes(autorange="reversed")
    return fig


def track_record_chart(track: pd.DataFrame, att, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """What each earlier meeting forecast for the deadline (point and 80 % range) and, once known, the outcome."""
    zh = lang == "zh"
    fig = go.Figure()
    if len(track):
        fig.add_trace(go.Scatter(
            x=track["meeting"], y=track["forecast_point"], mode="markers", name=label("chart.forecast", lang),
            marker=dict(size=10, color=THEME["forecast"]),
            error_y=dict(type="data", symmetric=False, array=(track["hi80"] - track["forecast_point"]).tolist(),
                         arrayminus=(track["forecast_point"] - track["lo80"]).tolist())))
        outcome = track["outcome"].dropna()
        if len(outcome):
            fig.add_hline(y=float(outcome.iloc[-1]), line=dict(color=THEME["history"]),
                          annotation_text="实际" if zh else "outcome")
    fig.add_hline(y=att.target, line=dict(color=THEME["target"], dash="dot"),
                  annotation_text=label("chart.target", lang), annotation_position="bottom right")
    title = f"{att.name(lang)}:{'历次会议的预测' if zh else 'forecasts made at each meeting'}"
    fig.update_layout(**base_layout(title, unit_label(att.unit, lang) + (" · 80%区间" if zh else " · 80 % range"),
                                    foot_line(source, cut_off, lang), height=340))
    fig.update_xaxes(type="category", title_text=label("page.meeting", lang))
    return fig


def public_share_chart(pub: pd.DataFrame, *, lang: Lang) -> tuple[go.Figure, list[str]]:
    """Published high-tech output shares (real figures, with sources), kept apart from the district data.

    ``pub`` is ``helpers.public.load_public_figures()``.
    """
    zh = lang == "zh"
    part = pub[(pub["indicator"] == "hightech_output_share_pct") &
               pub["region"].isin(["江苏省", "南通市", "海门区", "崇川区", "启东市"])].copy()
    part["label"] = part["year"].astype(str) + part["period"].map(lambda p: "" if p == "year" else f" ({p})")
    fig = go.Figure()
    palette = ["#1f4e79", "#c0392b", "#2e9e57", "#8e44ad", "#d08b00"]
    for i, (region, g) in enumerate(part.groupby("region", sort=False)):
        colour = palette[i % len(palette)]
        full = g[g["period"] == "year"].sort_values("year")
        partial = g[g["period"] != "year"]
        fig.add_trace(go.Scatter(x=full["year"], y=full["value"], mode="lines+markers", name=str(region),
                                 legendgroup=str(region), line=dict(color=colour), text=full["label"],
                                 hovertemplate="%{text}: %{y}%<extra>" + html.escape(str(region)) + "</extra>"))
        if len(partial):
            fig.add_trace(go.Scatter(x=partial["year"], y=partial["value"], mode="markers", legendgroup=str(region),
                                     name=f"{region} ({'年内累计' if zh else 'part of year'})",
                                     marker=dict(symbol="circle-open", size=10, color=colour), text=partial["label"],
                                     hovertemplate="%{text}: %{y}%<extra>" + html.escape(str(region)) + "</extra>"))
    fig.add_hline(y=48, line=dict(color=THEME["target"], dash="dot"),
                  annotation_text="海门区2024目标 48%" if zh else "Haimen 2024 target 48 %")
    title = "公开发布的高新技术产业产值占比(真实数据)" if zh else "Published high-tech output shares (real figures)"
    src = "公开数据,见下方来源列表" if zh else "published figures; sources listed below"
    fig.update_layout(**base_layout(title, "%" + (" · 江苏省口径" if zh else " · Jiangsu definition"),
                                    f"{label('page.source', lang)}: {src}"))
    fig.update_xaxes(title_text=label("axis.year", lang), gridcolor=THEME["grid"], dtick=1)
    fig.update_yaxes(title_text="%", gridcolor=THEME["grid"])
    sources = [f"{r['region']} {r['year']} {r['period']}: {r['value']}%"
               + (f" ({r['qualifier']})" if isinstance(r["qualifier"], str) and r["qualifier"] else "")
               + f" — {r['source']}" for r in part.to_dict("records")]
    return fig, sources


def explore_lines(frame: pd.DataFrame, *, x: str, y: str, colour: str, title: str, unit: str, lang: Lang,
                  source: str, cut_off: dt.date | None = None, facet: str | None = None) -> go.Figure:
    """A line per ``colour`` group (optionally one panel per ``facet``), in the suite's theme: for exploring."""
    import plotly.express as px

    labelled = frame.copy()
    if colour == "town":
        labelled["town"] = [town_name(str(t), lang) for t in labelled["town"]]
    fig = px.line(labelled, x=x, y=y, color=colour, facet_col=facet, facet_col_wrap=2 if facet else 0,
                  markers=True)
    foot = foot_line(source, cut_off, lang) if cut_off else f"{label('page.source', lang)}: {source}"
    fig.update_layout(**base_layout(title, unit, foot, height=460 if not facet else 720))
    fig.update_yaxes(title_text=unit, gridcolor=THEME["grid"])
    return fig
