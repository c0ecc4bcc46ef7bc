"""``reports/index.html``: every published briefing with its headline status badges.

Built from the summary JSON of each published meeting (never from the pages), through a Jinja2 template
(``templates/index/index.html.j2``, autoescaped) and written atomically, so a reader never sees half an index.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers import paths
from helpers.calendar import meetings
from helpers.labels import label, label_or, status_label
from helpers.processed import write_text_atomic
from helpers.render.export import TEMPLATE_DIR, asset
from helpers.render.publish import meeting_dir, summary_path
from helpers.targets import load_plan
from helpers.wording import both

#: the files of a meeting's folder the index links to
LINKED = (".html", ".json", ".xlsx", ".pdf")

_env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR / "index")), autoescape=select_autoescape(["j2"]),
                   keep_trailing_newline=True)


def index_rows() -> tuple[list[dict], bool]:
    """One row per published meeting, in calendar order, and whether any of them shows synthetic data."""
    rows: list[dict] = []
    synthetic = False
    for m in meetings(load_plan()):
        sfile = summary_path(m.id)
        if not sfile.exists():
            continue
        summary = json.loads(sfile.read_text(encoding="utf-8"))
        synthetic = synthetic or bool(summary.get("synthetic", True))
        rows.append({
            "meeting": m.id,
            "cut_off": m.cut_off.isoformat(),
            "generated": summary.get("generated_at", "")[:16].replace("T", " "),
            "badges": [{"status": t["status"], "title": t["name_zh"],
                        "name": label_or("short." + t["id"], t["name_zh"][:8]),
                        "status_label": status_label(t["status"], "zh")}
                       for t in summary.get("targets", []) if t.get("headline")],
            "files": [f.name for f in sorted(meeting_dir(m.id).iterdir())
                      if f.is_file() and f.suffix in LINKED],
        })
    return rows, synthetic


def write_index() -> Path:
    """Write ``reports/index.html`` (atomically) and return its path."""
    plan = load_plan()
    rows, synthetic = index_rows()
    page = _env.get_template("index.html.j2").render(
        title=both("render.index_title", plan=plan.title_zh)[0],
        css=asset("briefing.css"),
        synthetic=synthetic,
        sample_mark=label("page.sample_mark", "zh"),
        plan_title=plan.title_zh,
        lead=both("render.index_lead"),
        document_no=plan.document_no,
        columns=[both(f"render.index_col_{c}") for c in ("meeting", "cut_off", "generated", "headline", "files")],
        rows=rows,
        empty=both("render.index_empty"),
    )
    index = paths.reports_dir() / "index.html"
    write_text_atomic(index, page)
    return index
