"""Export an executed notebook to the briefing's self-contained page (nbconvert, our offline template).

Why this shape (measurements in docs/architecture.md): the page requests nothing from outside the file; the lab
template's require.js, MathJax and mermaid blocks are dropped; plotly.js is embedded once, gzip-compressed and
base64-encoded (only the briefing bundle, plotly.js's core with the few trace types the briefings draw, when every
figure can be drawn with it: evaluating it takes about a fifth of the full library's time, and that evaluation is
the largest cost of the first screen), and drawn by ``templates/briefing/loader.js``; code, prompts and stderr noise are hidden. The
export runs in-process (≈ 0.1 s) instead of through the nbconvert command (≈ 2 s of start-up).
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from functools import cache
from pathlib import Path

import nbformat
from plotly.offline import get_plotlyjs

from helpers.labels import label

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
#: cells tagged so are left out of the page (the notebook's own instructions, the cell writing the outputs)
REMOVE_CELL, REMOVE_OUTPUT = "remove_cell", "remove_output"


VENDOR = TEMPLATE_DIR / "briefing" / "vendor"
#: what the vendored briefing bundle holds: its plotly.js version, trace types and file (tools/plotly-bundle builds
#: the bundle from this manifest; vendor/README.md says why a page embeds it when it can)
BUNDLE_MANIFEST = VENDOR / "plotly-briefing.json"
_FIGURE = re.compile(r'<script type="application/vnd\.gaoqi\.plotly\+json"[^>]*>(.*?)</script>', re.S)
_VERSION = re.compile(r"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)")


@cache
def bundle_traces() -> frozenset[str]:
    """The trace types the vendored briefing bundle can draw."""
    return frozenset(json.loads(BUNDLE_MANIFEST.read_text(encoding="utf-8"))["traces"])


def vendored_bundle() -> str:
    """The vendored briefing bundle's code (kept gzip-compressed in the repository: a third of the size)."""
    manifest = json.loads(BUNDLE_MANIFEST.read_text(encoding="utf-8"))
    return gzip.decompress((VENDOR / manifest["file"]).read_bytes()).decode("utf-8")


def bundle_version(code: str) -> str | None:
    """The plotly.js version a bundle's banner states (``plotly.js v4.1.1``, ``plotly.js (briefing: …) v4.1.1``)."""
    found = _VERSION.search(code[:400])
    return found.group(1) if found else None


def trace_types(nb) -> set[str]:
    """Every trace type of the figures a page will draw (the JSON blocks in the notebook's HTML outputs)."""
    types: set[str] = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for block in _FIGURE.findall(str(output.get("data", {}).get("text/html", ""))):
                spec = json.loads(block.replace("<\\/", "</"))
                types |= {str(trace.get("type", "scatter")) for trace in spec.get("data", [])}
    return types


@cache
def plotly_gz_b64(partial: bool = False) -> str:
    """plotly.js, gzip-compressed and base64-encoded: the briefing bundle (≈ 0.55 MB on the page) when
    ``partial`` and its version is the installed plotly.js's, else the full library (≈ 2 MB)."""
    full = get_plotlyjs()
    code = full
    if partial:
        partial_code = vendored_bundle()
        if bundle_version(partial_code) == bundle_version(full):
            code = partial_code
    return base64.b64encode(gzip.compress(code.encode("utf-8"), 9, mtime=0)).decode("ascii")


def asset(name: str) -> str:
    """A file of the briefing template (CSS, loader script) as text, to inline into a page."""
    return (TEMPLATE_DIR / "briefing" / name).read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string, the rule or the <style> element."""
    return '"' + "".join(c if c.isalnum() or c in " /·-_()" else f"\\{ord(c):x} " for c in text) + '"'


def export_html(executed: Path, *, synthetic: bool, lang: str, footer: str, title: str = "") -> str:
    """The briefing page of an executed notebook: self-contained, code and prompts hidden, in ``lang``; its
    ``<title>`` (browser tab, share sheet, the PDF's title field) is ``title``, the 简报's (summary ``title_<lang>``)."""
    # ≈ 1.4 s to import: only an export needs nbconvert, not every command that asks where a briefing lives
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(executed, as_version=4)
    if title:
        nb.metadata["title"] = title  # nbconvert's base template titles the page from it ("Notebook" otherwise)
    exporter = HTMLExporter(
        template_name="briefing",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
        language_code=lang,  # ISO 639-1 only: "zh" or "en"
    )
    remover = TagRemovePreprocessor(remove_cell_tags={REMOVE_CELL}, remove_all_outputs_tags={REMOVE_OUTPUT})
    exporter.register_preprocessor(remover, enabled=True)
    resources = {
        "gaoqi": {
            "css": asset("briefing.css"),
            "loader_js": asset("loader.js"),
            "plotly_gz_b64": plotly_gz_b64(partial=trace_types(nb) <= bundle_traces()),
            "synthetic": synthetic,
            "sample_mark": label("page.sample_mark", lang),
            "sample_mark_css": css_string(label("page.sample_mark", lang)),
            "footer": footer,
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
