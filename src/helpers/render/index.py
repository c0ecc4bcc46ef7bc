"""``reports/index.html``: every published briefing with its headline status badges, its returns' completeness
and its files, grouped by the plan each was made for.

Built from the summary JSON of every briefing in ``reports/`` (never from the pages, never from the active plan's
calendar alone) and the plan files, through a Jinja2 template (``templates/index/index.html.j2``, autoescaped) and
written atomically, so a reader never sees half an index. Why each part comes from where it does:

- the briefings are found on disk (``reports/*/summary-*.json``), not by walking the active plan's meetings: when
  the bureau adopts its next plan, the ended plan's briefings are still records a reader must reach;
- they are grouped by the plan their summary names (``plan``), the active plan first, then earlier plans newest
  first, meetings in calendar order; a group is titled by its plan file while that file is still in
  ``data/raw/plan`` (ended plans stay beside the active one), else by what the summary records;
- a badge's status is the briefing's own (its summary), never recomputed under another plan's targets; its short
  name is the briefing's plan's (``short_zh``; the full name when the plan gives none or is gone), never a
  truncated name, which can cut a name into a different or meaningless phrase;
- the completeness line is recomputed from the processed data for each meeting's cut-off under the briefing's own
  plan (``helpers.completeness``), so a return that arrived after a render shows as late, not as missing;
- an ad-hoc meeting says so (临时会议), and the meeting's notice (``notice-<meeting>.txt``) is linked with its files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers import paths
from helpers.calendar import Meeting, is_ad_hoc_id, meetings
from helpers.completeness import CompletenessReport, for_meeting
from helpers.errors import InputError
from helpers.labels import label, status_label
from helpers.meeting_files import index_path, meeting_dir, notice_name, summary_path
from helpers.processed import ProcessedData, ProcessedDataMissing, load, write_text_atomic
from helpers.render.export import TEMPLATE_DIR, asset
from helpers.targets import Plan, PlanError, load_plan
from helpers.wording import both, say

#: the files of a meeting's folder the index links to (besides its notice)
LINKED = (".html", ".json", ".xlsx", ".pdf")
COLUMNS = ("meeting", "title", "cut_off", "generated", "headline", "completeness", "files")

_env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR / "index")), autoescape=select_autoescape(["j2"]),
                   keep_trailing_newline=True)


def badge_name(plan: Plan | None, target: dict, lang: str = "zh") -> str:
    """A headline badge's name: the plan's short name of the target, else its full name (from the summary when
    the plan is gone or no longer has the target)."""
    try:
        if plan is not None:
            return plan.target(str(target["id"])).short(lang)
    except KeyError:
        pass
    return str(target.get(f"name_{lang}") or target.get("name_zh") or target["id"])


#: completeness reports already computed by the run writing the index, by ``(plan id, meeting id)``, from the same
#: processed data (issue 25: the render's notices computed them, then the index again)
Known = Mapping[tuple[str, str], CompletenessReport]


def completeness_line(plan: Plan | None, m: Meeting | None, data: ProcessedData | None,
                      known: Known | None = None) -> str:
    """The one-sentence completeness of ``m``'s returns at its cut-off under its own plan (unknown without
    processed data, or when the briefing's plan file or meeting is no longer known). ``known`` holds reports the
    caller computed from ``data`` already."""
    if data is None:
        return say("render.index_completeness_unknown", "zh")
    if plan is None or m is None:
        return say("render.index_completeness_not_in_plan", "zh")
    report = (known or {}).get((plan.id, m.id)) or for_meeting(plan, m, data)
    return report.headline("zh")


class UnreadableSummary(InputError):
    """A published briefing's summary JSON that is not valid JSON (edited by hand, or copied in half)."""


def published_summaries() -> list[tuple[str, dict]]:
    """(meeting id, summary) of every briefing in ``reports/``, whatever plan it was made for: the folder
    ``reports/<meeting>/`` with its ``summary-<meeting>.json``. Working folders (``.scratch``, ``.failed``) hold no
    published briefing, and a copy beside the summary (``summary-2024-09 (1).json``) is not one either."""
    out = []
    for folder in sorted(p for p in paths.reports_dir().iterdir() if p.is_dir() and not p.name.startswith(".")):
        f = summary_path(folder.name)
        if not f.is_file():
            continue
        try:
            out.append((folder.name, json.loads(f.read_text(encoding="utf-8"))))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "its bytes"
            raise UnreadableSummary(say("render.index_unreadable_summary", "en", file=str(f), where=where,
                                        problem=str(exc))) from None
    return out


def plans_on_file(active: Plan) -> dict[str, Plan]:
    """Plan id → plan of every plan file in ``data/raw/plan``, the active plan among them. An ended plan whose
    file no longer loads is left out: its briefings are then named from their summaries."""
    plans = {active.id: active}
    others = [f for f in paths.plan_files() if f.resolve() != active.source.resolve()]
    for f in others:
        try:
            other = load_plan(f)
        except PlanError:
            continue
        plans.setdefault(other.id, other)
    if others:
        load_plan(active.source)  # loading registered the other plans' target names: the active plan's win again
    return plans


def _processed() -> ProcessedData | None:
    try:
        return load(paths.processed_dir())
    except ProcessedDataMissing:
        return None


def _files(meeting_id: str) -> list[str]:
    folder = meeting_dir(meeting_id)
    files = [f.name for f in sorted(folder.iterdir()) if f.is_file() and f.suffix in LINKED]
    notices = [folder / notice_name(meeting_id, lang) for lang in ("zh", "en")]
    return files + [n.name for n in notices if n.is_file()]


def _row(meeting_id: str, summary: dict, plan: Plan | None, m: Meeting | None, data: ProcessedData | None,
         known: Known | None = None) -> dict:
    """One briefing's row: what its own summary says, placed in its own plan's calendar when that is known."""
    ad_hoc = m.ad_hoc if m is not None else is_ad_hoc_id(meeting_id)
    when = m.date.isoformat() if m is not None else str(summary.get("meeting_date") or meeting_id)
    return {
        "meeting": meeting_id,
        "ad_hoc": ad_hoc,
        "kind": say("calendar.kind.ad_hoc", "zh") if ad_hoc else "",
        # the 简报's own title (with its 期数), as its page and PDF are titled; older summaries carry none
        "title": str(summary.get("title_zh") or ""),
        "cut_off": m.cut_off.isoformat() if m is not None else str(summary.get("as_of") or ""),
        "generated": str(summary.get("generated_at") or "")[:16].replace("T", " "),
        "badges": [{"status": t["status"], "title": t["name_zh"], "name": badge_name(plan, t, "zh"),
                    "status_label": status_label(t["status"], "zh"), "colon": say("join.label", "zh")}
                   for t in summary.get("targets", []) if t.get("headline")],
        "completeness": completeness_line(plan, m, data, known),
        "files": _files(meeting_id),
        "order": (when, ad_hoc, meeting_id),
    }


def _group(plan_id: str, plan: Plan | None, summary: dict | None, rows: list[dict], active: bool) -> dict:
    """One plan's briefings, titled by its plan file, else by what its (first) summary records."""
    recorded = summary or {}
    rows.sort(key=lambda r: r["order"])
    return {
        "plan": plan_id,
        "active": active,
        "title": plan.title_zh if plan else str(recorded.get("plan_title_zh") or plan_id),
        "document_no": plan.document_no if plan else str(recorded.get("plan_document_no") or ""),
        "since": plan.start.isoformat() if plan else (rows[0]["order"][0] if rows else ""),
        "rows": rows,
    }


def index_groups(plan: Plan | None = None, data: ProcessedData | None = None,
                 known: Known | None = None) -> tuple[list[dict], bool]:
    """One group per plan with published briefings (the active plan's always, possibly empty): the active plan
    first, then earlier plans newest first, each with one row per briefing in calendar order; and whether any
    briefing shows synthetic data. A summary naming no plan (written before summaries did) is the active plan's.
    ``data`` is the processed data when the caller has read it already (else it is read here), ``known`` the
    completeness reports it computed from it."""
    active = plan or load_plan()
    briefings = published_summaries()
    plans = plans_on_file(active) if briefings else {active.id: active}
    calendars = {pid: {m.id: m for m in meetings(p)} for pid, p in plans.items()}
    if not briefings:
        data = None
    elif data is None:
        data = _processed()
    rows: dict[str, list[dict]] = {active.id: []}
    first_summary: dict[str, dict] = {}
    synthetic = False
    for meeting_id, summary in briefings:
        plan_id = str(summary.get("plan") or active.id)
        own = plans.get(plan_id)
        m = calendars.get(plan_id, {}).get(meeting_id)
        synthetic = synthetic or bool(summary.get("synthetic", True))
        first_summary.setdefault(plan_id, summary)
        rows.setdefault(plan_id, []).append(_row(meeting_id, summary, own, m, data, known))
    groups = [_group(pid, plans.get(pid), first_summary.get(pid), r, pid == active.id) for pid, r in rows.items()]
    groups.sort(key=lambda g: (g["active"], g["since"]), reverse=True)
    return groups, synthetic


def write_index(*, data: ProcessedData | None = None, completeness: Known | None = None) -> Path:
    """Write ``reports/index.html`` (atomically) and return its path. A run that has read the processed data
    (``data``) and computed completeness reports from it (``completeness``) passes them, so that neither is
    read or computed twice."""
    plan = load_plan()
    groups, synthetic = index_groups(plan, data, completeness)
    page = _env.get_template("index.html.j2").render(
        title=both("render.index_title", plan=plan.title_zh)[0],
        css=asset("briefing.css"),
        synthetic=synthetic,
        sample_mark=label("page.sample_mark", "zh"),
        plan_title=plan.title_zh,
        lead=both("render.index_lead"),
        document_no=plan.document_no,
        columns=[both(f"render.index_col_{c}") for c in COLUMNS],
        groups=groups,
        empty=both("render.index_empty"),
    )
    index = index_path()
    write_text_atomic(index, page)
    return index
