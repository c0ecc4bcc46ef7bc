"""The exported page is self-contained: no outside reference, plotly.js once, code hidden, sample mark shown.

These tests export hand-made executed notebooks (outputs filled in, no kernel needed), so they check the
template and exporter alone; tests/test_briefing_browser.py checks a real rendered briefing in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers import charts
from helpers.render import export_html

OUTSIDE_REF = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", re.I)


def _executed(tmp_path: Path, *, stderr: str = "", fig: go.Figure | None = None, text: str = "<p>hello</p>") -> Path:
    fig = fig or go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    nb = new_notebook()
    code = new_code_cell("secret_code_marker = 1\ncharts.show(fig)")
    code.outputs = [new_output("display_data", data={"text/html": charts.figure_block(fig), "text/plain": "x"})]
    if stderr:
        code.outputs.append(new_output("stream", name="stderr", text=stderr))
    html_cell = new_code_cell("show_html(x)")
    html_cell.outputs = [new_output("display_data", data={"text/html": text, "text/plain": "x"})]
    nb.cells = [new_markdown_cell("# Title"), code, html_cell]
    nb.metadata["kernelspec"] = {"name": "gaoqi-briefings", "display_name": "x", "language": "python"}
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    return path


def test_page_references_nothing_outside_the_file(tmp_path):
    page = export_html(_executed(tmp_path), synthetic=True, lang="zh", footer="f")
    assert OUTSIDE_REF.findall(page) == []
    assert "require.js" not in page and "mathjax" not in page.lower()


def test_plotly_js_is_embedded_exactly_once_even_with_several_charts(tmp_path):
    page = export_html(_executed(tmp_path), synthetic=True, lang="zh", footer="f")
    assert page.count('id="gq-plotly-gz"') == 1
    assert page.count("application/vnd.gaoqi.plotly+json") >= 1


def test_code_and_prompts_are_hidden(tmp_path):
    page = export_html(_executed(tmp_path), synthetic=True, lang="zh", footer="f")
    assert "secret_code_marker" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page


def test_stderr_noise_is_not_shown(tmp_path):
    page = export_html(_executed(tmp_path, stderr="DeprecationWarning: noisy"), synthetic=True, lang="zh", footer="f")
    assert "noisy" not in page


def test_sample_mark_on_synthetic_pages_only(tmp_path):
    nb = _executed(tmp_path)
    assert "gq-sample-mark" in export_html(nb, synthetic=True, lang="zh", footer="f")
    assert 'class="gq-sample-mark"' not in export_html(nb, synthetic=False, lang="zh", footer="f")


def test_a_title_cannot_close_the_figure_script(tmp_path):
    fig = go.Figure(go.Scatter(x=[1], y=[1], name="</script><script>alert(1)</script>"))
    page = export_html(_executed(tmp_path, fig=fig), synthetic=True, lang="zh", footer="f")
    assert "</script><script>alert(1)" not in page


@pytest.mark.parametrize("lang,code", [("zh", "zh"), ("en", "en")])
def test_page_language_follows_the_briefing_language(tmp_path, lang, code):
    page = export_html(_executed(tmp_path), synthetic=False, lang=lang, footer="f")
    assert f'lang="{code}"' in page


def test_plotly_payload_is_compressed_below_half_the_library_size(tmp_path):
    from plotly.offline import get_plotlyjs

    page = export_html(_executed(tmp_path), synthetic=True, lang="zh", footer="f")
    assert len(page.encode()) < 0.5 * len(get_plotlyjs().encode())


def test_the_vendored_bundle_is_the_installed_plotly_js_version():
    from plotly.offline import get_plotlyjs

    from helpers.render.export import bundle_version, vendored_bundle

    assert bundle_version(vendored_bundle()) == bundle_version(get_plotlyjs()) is not None


def _embedded_plotly(page: str) -> str:
    import base64
    import gzip

    b64 = re.search(r'<script id="gq-plotly-gz"[^>]*>(.*?)</script>', page, re.S).group(1)
    return gzip.decompress(base64.b64decode(b64)).decode("utf-8")[:200]


def test_a_page_of_the_briefings_chart_kinds_embeds_the_briefing_bundle(tmp_path):
    fig = go.Figure([go.Scatter(x=[1, 2], y=[3, 4]), go.Bar(x=[1, 2], y=[2, 1]), go.Heatmap(z=[[1, 2], [3, 4]])])
    page = export_html(_executed(tmp_path, fig=fig), synthetic=True, lang="zh", footer="f")
    assert "plotly.js (briefing: bar, heatmap, scatter" in _embedded_plotly(page)


def test_a_page_with_another_kind_of_chart_embeds_the_full_library(tmp_path):
    fig = go.Figure(go.Box(y=[1, 2, 3]))
    page = export_html(_executed(tmp_path, fig=fig), synthetic=True, lang="zh", footer="f")
    assert "briefing:" not in _embedded_plotly(page) and "plotly.js v" in _embedded_plotly(page)


def test_a_rendered_chart_carries_a_bundle_jupyterlab_draws_beside_the_pages_block(monkeypatch):
    shown = []
    monkeypatch.setenv("GAOQI_RENDER", "1")
    monkeypatch.setattr(charts, "display", lambda bundle, raw=False: shown.append((bundle, raw)))
    charts.show(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="line")))
    (bundle, raw), = shown
    assert raw and 'class="gq-chart"' in bundle["text/html"]
    assert bundle[charts.PLOTLY_MIMETYPE]["data"][0]["y"] == [3, 4]


def test_the_page_draws_a_chart_from_its_block_not_from_the_jupyterlab_bundle(tmp_path):
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="unique_trace_name"))
    path = _executed(tmp_path, fig=fig)
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs[0]["data"][charts.PLOTLY_MIMETYPE] = fig.to_plotly_json()
    nbformat.write(nb, path)
    page = export_html(path, synthetic=True, lang="zh", footer="f")
    assert page.count("unique_trace_name") == 1  # the block's JSON only
    assert 'data-target="gq-chart-' in page and charts.PLOTLY_MIMETYPE not in page
