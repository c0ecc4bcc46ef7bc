"""Rendering briefings, one room per step (re-exports only):

- ``run``      papermill runs notebook 03 into a scratch folder; ``render_one`` / ``render_meetings`` drive a run
               under the tree's run lock (``gaoqi render``);
- ``export``   nbconvert turns the executed notebook into the offline page (plotly.js once);
- ``publish``  the atomic swap of a meeting's folder (its file names: ``helpers.meeting_files``);
- ``index``    ``reports/index.html`` from a Jinja2 template;
- ``pdf``      printing the page to A4 with the system Chromium, once every chart is drawn.
"""

import sys

# jsonschema, which nbformat and papermill import, builds an Earley parser for IRI syntax at import when the optional
# rfc3987-syntax is installed (a jupyter dependency): 5.1-6.9 s of every render's start-up measured at a load of 9-13
# on 2 cores (issue 25). No schema a render validates uses the "iri" formats and nothing here checks formats,
# so the renderer's process goes without it; an import elsewhere that already loaded it is left as it is.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from helpers.freshness import processed_is_current  # noqa: E402
from helpers.meeting_files import briefing_name, briefing_path, meeting_dir, summary_path  # noqa: E402
from helpers.render.export import export_html  # noqa: E402
from helpers.render.index import write_index  # noqa: E402
from helpers.render.pdf import chromium_path  # noqa: E402
from helpers.render.result import RenderError, RenderResult  # noqa: E402
from helpers.render.run import (  # noqa: E402
    KERNEL,
    covered_meetings,
    ensure_processed,
    render_meetings,
    render_one,
)

__all__ = [
    "KERNEL",
    "RenderError",
    "RenderResult",
    "briefing_name",
    "briefing_path",
    "chromium_path",
    "covered_meetings",
    "ensure_processed",
    "export_html",
    "meeting_dir",
    "processed_is_current",
    "render_meetings",
    "render_one",
    "summary_path",
    "write_index",
]
