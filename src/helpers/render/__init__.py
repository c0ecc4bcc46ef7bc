"""Rendering briefings, one room per step (re-exports only):

- ``run``      papermill runs notebook 03 into a scratch folder; ``render_one`` / ``render_meetings`` drive a run
               under the tree's run lock (``gaoqi render``);
- ``export``   nbconvert turns the executed notebook into the offline page (plotly.js once);
- ``publish``  the atomic swap of a meeting's folder (its file names: ``helpers.meeting_files``);
- ``index``    ``reports/index.html`` from a Jinja2 template;
- ``pdf``      printing the page to A4 with the system Chromium, once every chart is drawn.
"""

from helpers.freshness import processed_is_current
from helpers.meeting_files import briefing_name, briefing_path, meeting_dir, summary_path
from helpers.render.export import export_html
from helpers.render.index import write_index
from helpers.render.pdf import chromium_path
from helpers.render.result import RenderError, RenderResult
from helpers.render.run import (
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
