"""``reports/index.html``: every published briefing with its headline status badges, its returns' completeness
and its files.

Built from the summary JSON of each published meeting (never from the pages) and the plan file, through a Jinja2
template (``templates/index/index.html.j2``, autoescaped) and written atomically, so a reader never sees half an
index. Why each column comes from where it does:

- a badge's short name is the plan's (``short_zh``; the full name when the plan gives none), never a truncated
  name, which can cut a name into a different or meaningless phrase;
- the completeness line is recomputed from the processed data for each meeting's cut-off
  (``helpers.completeness``), so a return that arrived after a render shows as late, not as missing;
- an ad-hoc meeting says so (临时会议), and the meeting's notice (``notice-<meeting>.txt``) is linked with its files.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers import paths
from helpers.calendar import Meeting, meetings
from helpers.completeness import for_meeting
from helpers.labels import label, status_label
from helpers.notice import notice_name
from helpers.processed import ProcessedData, ProcessedDataMissing, load, write_text_atomic
from helpers.render.export import TEMPLATE_DIR, asset
from helpers.render.publish import meeting_dir, summary_path
from helpers.targets import Plan, load_plan
from helpers.wording import both, say

#: the files of a meeting's folder the index links to (besides its notice)
LINKED = (".html", ".json", ".xlsx", ".pdf")
COLUMNS = ("meeting", "cut_off", "generated", "headline", "completeness", "files")

_env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR / "index")), autoescape=select_autoescape(["j2"]),
                   keep_trailing_newline=True)


def badge_name(plan: Plan, target: dict, lang: str = "zh") -> str:
    """A headline badge's name: the plan's short name of the target, else its full name (from the summary when
    the plan no longer has the target)."""
    try:
        return plan.target(str(target["id"])).short(lang)
    except KeyError:
        return str(target.get(f"name_{lang}") or target.get("name_zh") or target["id"])


def completeness_line(plan: Plan, m: Meeting, data: ProcessedData | None) -> str:
    """The one-sentence completeness of ``m``'s returns at its cut-off (unknown without processed data)."""
    if data is None:
        return say("render.index_completeness_unknown", "zh")
    return for_meeting(plan, m, data).headline("zh")


def _processed() -> ProcessedData | None:
    try:
        return load(paths.processed_dir())
    except ProcessedDataMissing:
        return None


def _files(m: Meeting) -> list[str]:
    folder = meeting_dir(m.id)
    files = [f.name for f in sorted(folder.iterdir()) if f.is_file() and f.suffix in LINKED]
    notices = [folder / notice_name(m.id, lang) for lang in ("zh", "en")]
    return files + [n.name for n in notices if n.is_file()]


def index_rows(plan: Plan | None = None) -> tuple[list[dict], bool]:
    """One row per published meeting, in calendar order, and whether any of them shows synthetic data."""
    plan = plan or load_plan()
    rows: list[dict] = []
    synthetic = False
    data: ProcessedData | None = None
    loaded = False
    for m in meetings(plan):
        sfile = summary_path(m.id)
        if not sfile.exists():
            continue
        if not loaded:
            data, loaded = _processed(), True
        summary = json.loads(sfile.read_text(encoding="utf-8"))
        synthetic = synthetic or bool(summary.get("synthetic", True))
        rows.append({
            "meeting": m.id,
            "ad_hoc": m.ad_hoc,
            "kind": m.kind_label("zh") if m.ad_hoc else "",
            "cut_off": m.cut_off.isoformat(),
            "generated": summary.get("generated_at", "")[:16].replace("T", " "),
            "badges": [{"status": t["status"], "title": t["name_zh"], "name": badge_name(plan, t, "zh"),
                        "status_label": status_label(t["status"], "zh")}
                       for t in summary.get("targets", []) if t.get("headline")],
            "completeness": completeness_line(plan, m, data),
            "files": _files(m),
        })
    return rows, synthetic


def write_index() -> Path:
    """Write ``reports/index.html`` (atomically) and return its path."""
    plan = load_plan()
    rows, synthetic = index_rows(plan)
    page = _env.get_template("index.html.j2").render(
        title=both("render.index_title", plan=plan.title_zh)[0],
        css=asset("briefing.css"),
        synthetic=synthetic,
        sample_mark=label("page.sample_mark", "zh"),
        plan_title=plan.title_zh,
        lead=both("render.index_lead"),
        document_no=plan.document_no,
        columns=[both(f"render.index_col_{c}") for c in COLUMNS],
        rows=rows,
        empty=both("render.index_empty"),
    )
    index = paths.reports_dir() / "index.html"
    write_text_atomic(index, page)
    return index
