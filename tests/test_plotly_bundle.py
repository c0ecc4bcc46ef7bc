"""The vendored briefing bundle (tools/plotly-bundle) draws what its manifest promises, in the system Chromium.

A page of the three chart kinds the briefings use is exported with the real exporter (so it embeds the briefing
bundle), opened from disk with every outside request aborted, and drawn whole.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers import charts
from helpers.render import export_html
from helpers.render.export import BUNDLE_MANIFEST

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason="system Chromium not installed (apt-get install chromium); CI installs it"),
]


def _page(tmp_path: Path) -> Path:
    figures = [go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="s")),
               go.Figure(go.Bar(x=["a", "b"], y=[2, 1])),
               go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=["q1", "q2"], y=["t1", "t2"]))]
    nb = new_notebook()
    for fig in figures:
        cell = new_code_cell("charts.show(fig)")
        cell.outputs = [new_output("display_data", data={"text/html": charts.figure_block(fig), "text/plain": "x"})]
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "gaoqi-briefings", "display_name": "x", "language": "python"}
    executed = tmp_path / "executed.ipynb"
    nbformat.write(nb, executed)
    page = tmp_path / "page.html"
    page.write_text(export_html(executed, synthetic=False, lang="zh", footer="f"), encoding="utf-8")
    return page


def test_the_briefing_bundle_registers_exactly_the_manifests_traces_and_draws_each(tmp_path):
    from playwright.sync_api import sync_playwright

    page_path = _page(tmp_path)
    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else
                  (outside.append(r.request.url), r.abort()))
        tab.goto(page_path.as_uri())
        tab.evaluate("window.gaoqiCharts.drawAll()")
        tab.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=30_000)
        banner = tab.evaluate("document.getElementById('gq-plotly-gz') && window.Plotly.version")
        registered = tab.evaluate("Object.keys(window.Plotly.PlotSchema.get().traces).sort()")
        drawn = tab.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
            .map(d => d._fullData.map(t => t.type + ':' + (d.querySelectorAll('.trace, .hm image').length > 0)))""")
        browser.close()
    manifest = json.loads(BUNDLE_MANIFEST.read_text(encoding="utf-8"))
    assert banner == manifest["plotly.js"]
    assert registered == sorted(manifest["traces"])
    assert drawn == [["scatter:true"], ["bar:true"], ["heatmap:true"]]
    assert errors == [] and outside == []


def test_the_towns_heatmap_keeps_long_target_names_and_its_foot_line_apart(tmp_path):
    import datetime as dt

    import pandas as pd
    from playwright.sync_api import sync_playwright

    names = ["New science-and-technology projects attracted", "Pan-tech firms owning intellectual property",
             "University-industry research projects"]
    matrix = pd.DataFrame([[75.0, 159.0, 150.0], [0.0, 100.0, None], [112.0, 106.0, 80.0]],
                          index=["kfq", "hyz", "zyz"], columns=names)
    fig = charts.town_heatmap(matrix, lang="en", cut_off=dt.date(2024, 8, 31), source="synthetic sample data")
    nb = new_notebook()
    cell = new_code_cell("charts.show(fig)")
    cell.outputs = [new_output("display_data", data={"text/html": charts.figure_block(fig), "text/plain": "x"})]
    nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "gaoqi-briefings", "display_name": "x", "language": "python"}
    nbformat.write(nb, tmp_path / "executed.ipynb")
    page = tmp_path / "page.html"
    page.write_text(export_html(tmp_path / "executed.ipynb", synthetic=False, lang="en", footer="f"), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.goto(page.as_uri())
        tab.evaluate("window.gaoqiCharts.drawAll()")
        tab.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=30_000)
        boxes = tab.evaluate("""() => {
            const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            const plot = document.querySelector('.js-plotly-plot');
            return {svg: box(plot.querySelector('svg.main-svg')),
                    ticks: [...plot.querySelectorAll('.xtick text')].map(box),
                    foot: [...plot.querySelectorAll('.annotation-text')].filter(a => a.textContent.includes('2024-08-31'))
                          .map(box)};
        }""")
        browser.close()
    assert len(boxes["ticks"]) == 3 and len(boxes["foot"]) == 1
    foot = boxes["foot"][0]
    assert all(foot[1] >= tick[3] for tick in boxes["ticks"]), boxes  # below the deepest label, not across it
    assert foot[3] <= boxes["svg"][3], boxes  # and inside the chart, not cut off
    assert all(tick[2] - tick[0] < 300 for tick in boxes["ticks"]), boxes  # wrapped, not one long slanted line
