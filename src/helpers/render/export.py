"""Export an executed notebook to the briefing's self-contained page (nbconvert, our offline template).

Why this shape (measurements in docs/architecture.md): the page requests nothing from outside the file; the lab
template's require.js, MathJax and mermaid blocks are dropped; plotly.js is embedded once, gzip-compressed and
base64-encoded, and drawn by ``templates/briefing/loader.js``; code, prompts and stderr noise are hidden. The
export runs in-process (≈ 0.1 s) instead of through the nbconvert command (≈ 2 s of start-up).
"""

from __future__ import annotations

import base64
import gzip
from functools import cache
from pathlib import Path

import nbformat
from plotly.offline import get_plotlyjs

from helpers.labels import label

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
#: cells tagged so are left out of the page (the notebook's own instructions, the cell writing the outputs)
REMOVE_CELL, REMOVE_OUTPUT = "remove_cell", "remove_output"


@cache
def plotly_gz_b64() -> str:
    """plotly.js, gzip-compressed and base64-encoded: ≈ 2 MB on the page instead of 4.8 MB."""
    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), 9, mtime=0)).decode("ascii")


def asset(name: str) -> str:
    """A file of the briefing template (CSS, loader script) as text, to inline into a page."""
    return (TEMPLATE_DIR / "briefing" / name).read_text(encoding="utf-8")


def export_html(executed: Path, *, synthetic: bool, lang: str, footer: str) -> str:
    """The briefing page of an executed notebook: self-contained, code and prompts hidden, in ``lang``."""
    # ≈ 1.4 s to import: only an export needs nbconvert, not every command that asks where a briefing lives
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(executed, as_version=4)
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
            "plotly_gz_b64": plotly_gz_b64(),
            "synthetic": synthetic,
            "sample_mark": label("page.sample_mark", lang),
            "footer": footer,
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
