"""Every figure of the suite, in one theme. Words come from the wording catalogue (``wording/charts.yaml``,
``wording/labels.yaml``); nothing is spelled here, and no plan target or region is named in code.

Each builder returns a ``plotly.graph_objects.Figure`` whose title names the quantity and its unit and whose
foot line names the source and the data cut-off. ``show(fig)`` puts a figure into a notebook:
- when a briefing is being rendered (``GAOQI_RENDER=1``, set by ``helpers.render``) it emits an HTML block
  holding the figure as JSON, which the page's single embedded plotly.js draws (see templates/briefing), and
  beside it the plotly bundle JupyterLab draws when someone opens the executed notebook kept for audit;
- in JupyterLab it calls ``fig.show()`` for the usual interactive output.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import re
import textwrap
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display
from plotly.utils import PlotlyJSONEncoder

from helpers.datewords import chart_day_text, chart_meeting_text, day_text
from helpers.labels import Lang, label, label_or, town_label, unit_label
from helpers.public import authority_of, region_names
from helpers.wording import say

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


#: the shared margins (px); the foot line's top sits ``FOOT_DROP`` of the plot's height below the plot, but never
#: more than ``FOOT_DEPTH`` px, which keeps a 16-px line inside the bottom margin however tall the plot
MARGIN = dict(l=60, r=30, t=78, b=78)
FOOT_DROP = 0.22
FOOT_DEPTH = MARGIN["b"] - 20


def base_layout(title: str, subtitle: str, foot: str, *, height: int = 380) -> dict:
    """The shared layout: CJK-aware fonts, white background, title + subtitle (unit), foot line (source, cut-off).

    The foot line is the annotation named ``foot``: the page's loader (templates/briefing/loader.js) finds it by
    that name to wrap it on a narrow screen. Its depth is capped because a share of a tall plot's height (the task
    chart's, 800 px) put it below the figure's bottom edge, where it was cut off.
    """
    plot_height = max(height - MARGIN["t"] - MARGIN["b"], 1)
    return dict(
        template="plotly_white",
        height=height,
        font=dict(family=FONT_FAMILY, size=13, color=THEME["ink"]),
        title=dict(text=html.escape(title), subtitle=dict(text=html.escape(subtitle)), x=0.01, xanchor="left"),
        margin=dict(MARGIN),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
        annotations=[
            dict(name="foot", text=html.escape(foot), xref="paper", yref="paper", x=0,
                 y=-min(FOOT_DROP, FOOT_DEPTH / plot_height), xanchor="left", yanchor="top", align="left",
                 showarrow=False, font=dict(size=11, color=THEME["muted"]))
        ],
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
    )


def apply_layout(fig: go.Figure, layout: dict, **more: object) -> go.Figure:
    """Give ``fig`` the shared layout while keeping the annotations it already carries.

    Why: ``update_layout(annotations=[…])`` replaces the whole annotation list, so the labels that ``add_hline``
    (the target line's "目标"), or plotly express (facet titles) put there would silently vanish.
    """
    kept = [a.to_plotly_json() for a in fig.layout.annotations]
    fig.update_layout(**{**layout, "annotations": kept + list(layout.get("annotations", []))}, **more)
    return fig


def foot_line(source: str, cut_off: dt.date | None, lang: Lang) -> str:
    """The foot line of every figure: where the numbers come from and the data cut-off they stop at."""
    if cut_off is None:
        return say("charts.foot_no_cut_off", lang, source=source)
    return say("charts.foot", lang, source=source, cut_off=chart_day_text(cut_off, lang))


def rendering() -> bool:
    """True while ``helpers.render`` runs the notebook for a published briefing."""
    return os.environ.get("GAOQI_RENDER") == "1"


#: the mimetype JupyterLab's plotly extension draws (what ``fig.show()`` emits in a kernel)
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"


def figure_spec(fig: go.Figure) -> dict:
    """The figure's ``data`` and ``layout`` as plain JSON values (numpy arrays and dates already converted)."""
    plotly_json = fig.to_plotly_json()
    return json.loads(json.dumps({"data": plotly_json["data"], "layout": plotly_json["layout"]},
                                 cls=PlotlyJSONEncoder))


def figure_block(fig: go.Figure, *, caption: str = "", spec: dict | None = None) -> str:
    """The HTML a briefing page holds for one figure: an empty div and the figure as a JSON block
    (``spec``: the figure's ``figure_spec``, when the caller has it already)."""
    div_id = f"gq-chart-{next(_counter)}"
    spec = json.dumps(spec or figure_spec(fig), ensure_ascii=False, separators=(",", ":"))
    spec = spec.replace("</", "<\\/")  # a JSON string can never close the script element
    height = int(fig.layout.height or 380)
    cap = f'<p class="gq-chart-caption">{html.escape(caption)}</p>' if caption else ""
    return (
        f'<div class="gq-chart" id="{div_id}" style="height:{height}px"></div>'
        f'<script type="application/vnd.gaoqi.plotly+json" data-target="{div_id}">{spec}</script>{cap}'
    )


def show(fig: go.Figure, *, caption: str = "") -> None:
    """Display ``fig`` in the notebook the way the current context needs (see module docstring)."""
    if rendering():
        # the page draws the HTML block; JupyterLab, opening the executed notebook kept for audit, draws the
        # plotly bundle beside it (nbconvert's HTML export has no place for that mimetype and keeps the block)
        spec = figure_spec(fig)
        display({"text/html": figure_block(fig, caption=caption, spec=spec), PLOTLY_MIMETYPE: {**spec, "config": {}}},
                raw=True)
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
                  annotation_text=say("charts.fan.target_line", lang, unit=unit,
                                      value=say(f"verdicts.goal.cell.{att.direction}", lang, value=f"{att.target:g}")),
                  annotation_position="top left")
    fig.add_vline(x=pd.Timestamp(att.deadline).timestamp() * 1000, line=dict(color=THEME["muted"], dash="dot"))
    apply_layout(fig, base_layout(att.name(lang), say("charts.unit", lang, unit=unit),
                                  foot_line(source, cut_off, lang)))
    fig.update_yaxes(title_text=unit, gridcolor=THEME["grid"])
    first = min(pd.Timestamp(d).year for d in hist["date"]) if len(hist) else att.deadline.year - 1
    ends = [pd.Timestamp(y, 12, 31) for y in range(first, att.deadline.year + 1)]
    fig.update_xaxes(title_text=label("axis.date", lang), gridcolor=THEME["grid"], tickvals=ends,
                     ticktext=[say("charts.year_end", lang, year=d.year) for d in ends],
                     range=_padded_dates(hist["date"] if len(hist) else [], pd.Timestamp(att.deadline)))
    return fig


def _padded_dates(dates: Iterable, deadline: pd.Timestamp) -> list[str]:
    """The x range of a fan chart: from the first observation to the deadline, with room on both sides.

    Why: autoscaled, the range ended exactly at the deadline; on a phone plotly then dropped the deadline's tick
    label (its year-end tick is the one the chart is about)."""
    seen = [pd.Timestamp(d) for d in dates]
    start = min(seen + [deadline - pd.DateOffset(years=1)])
    pad = max((deadline - start) * 0.04, pd.Timedelta(days=20))
    return [(start - pad).strftime("%Y-%m-%d"), (deadline + pad).strftime("%Y-%m-%d")]


def status_colour(status: str) -> str:
    return THEME["status"].get(status, THEME["status"]["no_data"])


def town_name(code: str, lang: Lang) -> str:
    """A town's name in ``lang``; an unknown code is shown as it is rather than failing a whole page."""
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
    apply_layout(fig, base_layout(say("charts.shares.title", lang, name=name), say("charts.shares.subtitle", lang),
                                  foot_line(source, cut_off, lang)))
    fig.update_xaxes(title_text=say("charts.shares.x", lang), tickmode="array",
                     tickvals=list(range(2, 13)), ticktext=["1—2"] + [str(m) for m in range(3, 13)],
                     gridcolor=THEME["grid"])
    fig.update_yaxes(title_text="%", gridcolor=THEME["grid"])
    return fig


def cohort_chart(cohorts: pd.DataFrame, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """Each year's certificates: new recognitions and re-recognitions up, the expiring cohort down, and the
    year-end valid stock as a line (``details["cohorts"]`` of the register stock forecast; ``kind == "forecast"``
    rows are the simulated remaining batches, marked with *).
    """
    c = cohorts.dropna(subset=["expiring", "renewed"], how="all").copy()
    forecast = c["kind"].eq("forecast") if "kind" in c.columns else pd.Series(False, index=c.index)
    x = [f"{int(y)}{'*' if f else ''}" for y, f in zip(c["year"], forecast, strict=True)]
    new = c["other"] if "other" in c.columns else c["issued"] - c["renewed"]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=c["renewed"], name=say("charts.cohort.renewed", lang), marker_color=THEME["renewed"]))
    fig.add_trace(go.Bar(x=x, y=new, name=say("charts.cohort.new", lang), marker_color=THEME["new"]))
    fig.add_trace(go.Bar(x=x, y=-c["expiring"], name=say("charts.cohort.expiring", lang),
                         marker_color=THEME["expiring"]))
    if "stock_end" in c.columns:
        fig.add_trace(go.Scatter(x=x, y=c["stock_end"], mode="lines+markers+text",
                                 name=say("charts.cohort.stock_end", lang),
                                 text=[("" if v != v else f"{v:.0f}") for v in c["stock_end"]],
                                 textposition="top center", line=dict(color=THEME["history"])))
    sub = say("charts.cohort.subtitle", lang, unit=unit_label("firms", lang))
    apply_layout(fig, base_layout(say("charts.cohort.title", lang), sub, foot_line(source, cut_off, lang)),
                 barmode="relative")
    # room above the highest bar or label: the year-end stock's label sits above its point, and at the top of an
    # autoscaled axis it was cut off under the legend (the PDF showed half of "380")
    tops = [float(v) for v in list(c["renewed"].fillna(0) + new.fillna(0))
            + list(c["stock_end"] if "stock_end" in c.columns else []) if v == v]
    bottom = float(-c["expiring"].fillna(0).max()) if len(c) else 0.0
    top = max(tops, default=0.0)
    fig.update_yaxes(title_text=unit_label("firms", lang), gridcolor=THEME["grid"],
                     range=[min(bottom, 0.0) * 1.08, top * 1.18 if top > 0 else 1.0])
    return fig


def decomposition_chart(decomposition: pd.DataFrame, *, name: str, lang: Lang, cut_off: dt.date,
                        source: str, numerator: str = "", denominator: str = "") -> go.Figure:
    """Change of the share split into numerator and denominator contributions by town (percentage points).

    ``numerator``/``denominator`` are the indicator codes of the ratio (named through ``ind.<code>`` labels).
    """
    d = decomposition.copy()
    d["town_name"] = [town_name(str(t), lang) for t in d["town"]]
    fig = go.Figure()
    for col, key, code, colour in (("numerator_pp", "charts.decomposition.numerator", numerator, THEME["numerator"]),
                                   ("denominator_pp", "charts.decomposition.denominator", denominator,
                                    THEME["denominator"])):
        if col in d.columns:
            what = label_or(f"ind.{code}", code, lang)
            fig.add_trace(go.Bar(y=d["town_name"], x=d[col], orientation="h", name=say(key, lang, name=what),
                                 marker_color=colour))
    sub = say("charts.decomposition.subtitle", lang)
    a = decomposition.attrs
    if {"from_year", "to_year", "month"} <= set(a):
        sub += say("charts.decomposition.period", lang, to_year=a["to_year"], from_year=a["from_year"],
                   end=dt.date(2000, int(a["month"]), 1))
    apply_layout(fig, base_layout(say("charts.decomposition.title", lang, name=name), sub,
                                  foot_line(source, cut_off, lang), height=420), barmode="relative")
    fig.update_xaxes(title_text=say("charts.percentage_points", lang), gridcolor=THEME["grid"])
    return fig


def task_progress_chart(attainments: list, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """Each task target: latest value and forecast as a percentage of the target, coloured by status."""
    names, latest, forecast, colours = [], [], [], []
    for a in attainments:
        if not a.target:
            continue
        names.append(a.name(lang) if len(a.name(lang)) <= 18 else a.name(lang)[:17] + "…")
        latest.append(None if a.latest_value is None else 100 * a.latest_value / a.target)
        forecast.append(None if a.forecast_point is None else 100 * a.forecast_point / a.target)
        colours.append(status_colour(a.status))
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=latest, orientation="h", name=say("charts.tasks.latest", lang),
                         marker_color=colours))
    fig.add_trace(go.Scatter(y=names, x=forecast, mode="markers", name=say("charts.tasks.forecast", lang),
                             marker=dict(symbol="diamond", size=10, color=THEME["ink"])))
    fig.add_vline(x=100, line=dict(color=THEME["target"], dash="dot"))
    apply_layout(fig, base_layout(say("charts.tasks.title", lang), say("charts.tasks.subtitle", lang),
                                  foot_line(source, cut_off, lang), height=max(380, 30 * len(names) + 160)))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="%", gridcolor=THEME["grid"])
    return fig


def town_heatmap(matrix: pd.DataFrame, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """Towns × targets: each town's forecast as % of its quota or goal (100 = on target).

    ``matrix`` is indexed by town code; its columns are already the targets' names in ``lang``.
    """
    z = matrix.to_numpy(dtype=float)
    ticks = [_tick_lines(str(c)) for c in matrix.columns]
    fig = go.Figure(go.Heatmap(
        z=z, x=ticks,
        y=[town_name(str(t), lang) for t in matrix.index],
        zmin=0, zmax=150, colorscale=[[0, THEME["status"]["off_track"]], [0.5, "#f7e3a1"], [0.667, "#cde8d4"],
                                      [1, THEME["status"]["achieved"]]],
        text=[[("" if v != v else f"{v:.0f}%") for v in row] for row in z], texttemplate="%{text}",
        colorbar=dict(title="%")))
    apply_layout(fig, base_layout(say("charts.heatmap.title", lang), say("charts.heatmap.subtitle", lang),
                                  foot_line(source, cut_off, lang), height=max(380, 34 * len(matrix) + 170)))
    fig.update_yaxes(autorange="reversed")
    # target names run long: wrapped flat under their column, and the foot line (source, cut-off) set a fixed
    # distance below the deepest label rather than a share of the plot's height, so neither covers the other
    lines = max((t.count("<br>") + 1 for t in ticks), default=1)
    fig.update_xaxes(tickangle=0)
    fig.update_layout(margin_b=18 * lines + 52)
    fig.layout.annotations[-1].update(y=0, yshift=-(18 * lines + 14))
    return fig


def _tick_lines(name: str, width: int = 24) -> str:
    """A long axis label on a few lines (``<br>``): words wrapped at ``width`` characters; text without spaces
    (Chinese, each character about twice as wide) in as few lines of at most ``width // 2`` characters as it
    needs, of even length (no line of one stray character)."""
    if " " not in name:
        lines = -(-len(name) // max(width // 2, 1))
        step = max(-(-len(name) // max(lines, 1)), 1)
        return "<br>".join(name[i:i + step] for i in range(0, len(name), step))
    return "<br>".join(textwrap.wrap(name, width)) or name


def track_record_chart(track: pd.DataFrame, att, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """What each earlier meeting forecast for the deadline (point and 80 % range) and, once known, the outcome."""
    fig = go.Figure()
    if len(track):
        fig.add_trace(go.Scatter(
            x=[chart_meeting_text(str(m), lang) for m in track["meeting"]], y=track["forecast_point"], mode="markers",
            name=label("chart.forecast", lang),
            marker=dict(size=10, color=THEME["forecast"]),
            error_y=dict(type="data", symmetric=False, array=(track["hi80"] - track["forecast_point"]).tolist(),
                         arrayminus=(track["forecast_point"] - track["lo80"]).tolist())))
        outcome = track["outcome"].dropna()
        if len(outcome):
            fig.add_hline(y=float(outcome.iloc[-1]), line=dict(color=THEME["history"]),
                          annotation_text=say("charts.track.outcome", lang))
    fig.add_hline(y=att.target, line=dict(color=THEME["target"], dash="dot"),
                  annotation_text=label("chart.target", lang), annotation_position="bottom right")
    apply_layout(fig, base_layout(say("charts.track.title", lang, name=att.name(lang)),
                                  say("charts.track.subtitle", lang, unit=unit_label(att.unit, lang)),
                                  foot_line(source, cut_off, lang), height=340))
    fig.update_xaxes(type="category", title_text=label("page.meeting", lang))
    return fig


def public_regions(pub: pd.DataFrame, indicator: str, single: tuple[str, ...] = ()) -> list[str]:
    """Regions with at least two published figures of ``indicator`` (one point makes no series), and the regions
    of ``single`` with any (the district itself and the districts it is ranked against: one point is still their
    published figure), in file order."""
    counts = pub.loc[pub["indicator"] == indicator, "region"].value_counts(sort=False)
    return [str(r) for r, n in counts.items() if n >= 2 or (n >= 1 and str(r) in single)]


def public_period(period: str, lang: Lang) -> str:
    """``year`` or ``Jan-Jun`` (the part of the year a cumulative figure covers) in words."""
    m = re.fullmatch(r"Jan-([A-Z][a-z]{2})", str(period))
    if m:
        end = dt.datetime.strptime(m.group(1), "%b").date()
        return say("charts.public.period_months", lang, end=end)
    return say("charts.public.period_year", lang) if period == "year" else str(period)


def public_qualifier(qualifier: object, lang: Lang) -> str:
    """The figure's qualifier(s) (``estimate``, ``at least``…; several joined by ``;``) in words, or ''."""
    if not isinstance(qualifier, str) or not qualifier.strip():
        return ""
    words = [label_or("charts.public.qualifier." + q.strip().replace(" ", "_"), q.strip(), lang)
             for q in qualifier.split(";") if q.strip()]
    return say("charts.public.qualifier", lang, qualifier=say("charts.list_separator", lang).join(words))


def public_share_chart(pub: pd.DataFrame, *, indicator: str, name: str, lang: Lang,
                       target: tuple[float, int] | None = None, cut_off: dt.date | None = None,
                       single: tuple[str, ...] = ()) -> tuple[go.Figure, list[str]]:
    """Published figures of one share (real, with sources), kept apart from the district data.

    ``pub`` is ``helpers.public.load_public_figures()``; ``indicator`` its indicator code; ``target`` the
    plan's (value, year) to draw as a line; ``cut_off`` the briefing's, said in the foot line (the caller keeps
    only figures known by then: ``helpers.public.ended_by``); ``single`` the regions shown even with one figure
    (``public_regions``). Returns the figure and one source line per point, naming its publishing authority where
    known and flagging third-party copies and news reports.
    """
    regions = public_regions(pub, indicator, single)
    part = pub[(pub["indicator"] == indicator) & pub["region"].isin(regions)].copy()
    part["label"] = [f"{y} {public_period(p, lang)}" for y, p in zip(part["year"], part["period"], strict=True)]
    part["shown"] = region_names(part, lang)  # the legend and source list name regions in the page's language
    fig = go.Figure()
    palette = ["#1f4e79", "#c0392b", "#2e9e57", "#8e44ad", "#d08b00"]
    for i, (_, g) in enumerate(part.groupby("region", sort=False)):
        colour = palette[i % len(palette)]
        region = g["shown"].iloc[0]
        full = g[g["period"] == "year"].sort_values("year")
        partial = g[g["period"] != "year"]
        hover = "%{text}: %{y}%<extra>" + html.escape(str(region)) + "</extra>"
        fig.add_trace(go.Scatter(x=full["year"], y=full["value"], mode="lines+markers", name=str(region),
                                 legendgroup=str(region), line=dict(color=colour), text=full["label"],
                                 hovertemplate=hover))
        if len(partial):
            fig.add_trace(go.Scatter(x=partial["year"], y=partial["value"], mode="markers", legendgroup=str(region),
                                     name=say("charts.public.partial", lang, region=region),
                                     marker=dict(symbol="circle-open", size=10, color=colour), text=partial["label"],
                                     hovertemplate=hover))
    if target is not None:
        value, year = target
        fig.add_hline(y=value, line=dict(color=THEME["target"], dash="dot"),
                      annotation_text=say("charts.public.target_line", lang, year=year, value=f"{value:g}"))
    apply_layout(fig, base_layout(say("charts.public.title", lang, name=name), say("charts.public.subtitle", lang),
                                  foot_line(say("charts.public.source", lang), cut_off, lang)))
    fig.update_xaxes(title_text=label("axis.year", lang), gridcolor=THEME["grid"], dtick=1)
    fig.update_yaxes(title_text="%", gridcolor=THEME["grid"])
    sources = [say("charts.public.source_item", lang, region=r["shown"], year=r["year"],
                   period=public_period(r["period"], lang), value=f"{r['value']:g}",
                   qualifier=public_qualifier(r["qualifier"], lang), source=r["source"],
                   authority=say("public.authority", lang, authority=authority_of(r, lang))
                   if authority_of(r, lang) else "",
                   kind=say(f"public.kind.{r['source_kind']}", lang) if r.get("source_kind") else "")
               for r in part.to_dict("records")]
    return fig, sources


def explore_lines(frame: pd.DataFrame, *, x: str, y: str, colour: str, title: str, unit: str, lang: Lang,
                  source: str, cut_off: dt.date | None = None, facet: str | None = None) -> go.Figure:
    """A line per ``colour`` group (optionally one panel per ``facet``), in the suite's theme: for exploring."""
    import plotly.express as px  # about a second to import; only notebook 04 needs it

    labelled = frame.copy()
    if colour == "town":
        labelled["town"] = [town_name(str(t), lang) for t in labelled["town"]]
    fig = px.line(labelled, x=x, y=y, color=colour, facet_col=facet, facet_col_wrap=2 if facet else 0,
                  markers=True)
    apply_layout(fig, base_layout(title, unit, foot_line(source, cut_off, lang), height=460 if not facet else 720))
    fig.update_yaxes(title_text=unit, gridcolor=THEME["grid"])
    return fig


def certificate_batches_chart(certificates: pd.DataFrame, *, lang: Lang, cut_off: dt.date,
                              source: str) -> go.Figure:
    """Certificates per announced batch (the ``announced`` day of the certificate register): when the
    province's recognitions arrived, the steps the firm count moves in."""
    per_batch = certificates.groupby(certificates["announced"].dt.date).size()
    fig = go.Figure(go.Bar(x=[d.isoformat() for d in per_batch.index], y=list(per_batch),
                           marker_color=THEME["history"], name=say("explore.batches.title", lang)))
    apply_layout(fig, base_layout(say("explore.batches.title", lang), say("explore.batches.subtitle", lang),
                                  foot_line(source, cut_off, lang), height=360))
    fig.update_xaxes(title_text=say("explore.batches.x", lang), type="category", gridcolor=THEME["grid"])
    fig.update_yaxes(gridcolor=THEME["grid"])
    return fig


def pipeline_chart(funnel: pd.DataFrame, *, lang: Lang, cut_off: dt.date, source: str) -> go.Figure:
    """The recognition funnel: each stage's count for the latest complete year and the current year to date
    (``briefing.pipeline.funnel``), stages top to bottom in funnel order."""
    fig = go.Figure()
    colours = {True: THEME["history"], False: THEME["forecast"]}
    for (year, complete), g in funnel.groupby(["year", "complete"], sort=True):
        g = g.sort_values("stage")
        end = g["period_end"].dropna()
        name = (say("pipeline.complete", lang, year=year) if complete else
                say("pipeline.ytd", lang, year=year, date=day_text(end.iloc[-1], lang) if len(end) else ""))
        fig.add_trace(go.Bar(y=list(g[lang]), x=list(g["value"]), orientation="h", name=name,
                             marker_color=colours[bool(complete)], text=[f"{v:.0f}" if v == v else "" for v in g["value"]],
                             textposition="outside", cliponaxis=False))
    fig.update_layout(**base_layout(say("pipeline.title", lang), say("pipeline.subtitle", lang),
                                    foot_line(source, cut_off, lang)), barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(gridcolor=THEME["grid"])
    return fig
