"""Render briefings: papermill runs notebook 03 into a scratch folder, nbconvert exports offline HTML,
and the meeting's folder in ``reports/`` is replaced in one rename.

Why this shape (see ../shared/notes/rendering.md for the measurements):
- one kernel per meeting (notebook 03 only; it calls the same helpers as notebooks 01-02), HTML exported
  in-process, processed data reused while ``data/raw`` is unchanged: a meeting costs about one kernel start;
- papermill never writes to a published path; a failed render leaves ``reports/<meeting>/`` as it was and
  keeps the failed notebook under ``reports/.failed/`` for inspection;
- the page embeds plotly.js once (gzip + base64, drawn by templates/briefing/loader.js), requests nothing
  from outside the file, and hides code and prompts.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import html
import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers import paths
from helpers.errors import RenderFailure
from helpers.processed import make_shareable, publish_dir, write_text_atomic

KERNEL = "gaoqi-briefings"
NOTEBOOK = "03_briefing.ipynb"
EXECUTION_TIMEOUT = 600
TEMPLATE_DIR = Path(__file__).parent / "templates"


class RenderError(RenderFailure, RuntimeError):
    """A briefing could not be rendered; the message says which meeting, which step and where to look."""


@dataclass(frozen=True)
class RenderResult:
    meeting: str
    lang: str
    files: tuple[Path, ...]
    seconds: float


def meeting_dir(meeting_id: str) -> Path:
    return paths.reports_dir() / meeting_id


def briefing_name(meeting_id: str, lang: str = "zh") -> str:
    return f"briefing-{meeting_id}.html" if lang == "zh" else f"briefing-{meeting_id}.{lang}.html"


def briefing_path(meeting_id: str, lang: str = "zh") -> Path:
    return meeting_dir(meeting_id) / briefing_name(meeting_id, lang)


def summary_path(meeting_id: str) -> Path:
    return meeting_dir(meeting_id) / f"summary-{meeting_id}.json"


# ---------------------------------------------------------------------------------------------- processed data
def processed_is_current(raw: Path, processed: Path) -> bool:
    """True when data/processed was cleaned from exactly the returns now in data/raw.

    ``clean`` records the sha256 of every return it read in ``manifest.json``; the returns now present are
    those ``clean.discover`` would read. The plan file and public figures are read at render time, so editing
    them needs no new clean.
    """
    from helpers.clean import discover, file_digest

    manifest = processed / "manifest.json"
    if not manifest.exists():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("raw_files", [])
        recorded_map = {f["path"]: f["sha256"] for f in recorded}
    except (json.JSONDecodeError, KeyError, TypeError):
        return False
    files, _ = discover(raw)
    return recorded_map == {f.relative_to(raw).as_posix(): file_digest(f) for f in files}


def ensure_processed(console=None) -> None:
    """Clean ``data/raw`` into ``data/processed`` unless it is already current."""
    from helpers.clean import clean

    raw, processed = paths.raw_dir(), paths.processed_dir()
    if processed_is_current(raw, processed):
        return
    if console is not None:
        console.print("cleaning data/raw → data/processed …")
    report = clean(raw, processed)
    if console is not None:
        for line in report.summary_lines():
            console.print(line, markup=False, highlight=False)


# ---------------------------------------------------------------------------------------------- HTML export
@lru_cache(maxsize=1)
def _plotly_gz_b64() -> str:
    from plotly.offline import get_plotlyjs

    return base64.b64encode(gzip.compress(get_plotlyjs().encode("utf-8"), 9, mtime=0)).decode("ascii")


def _asset(name: str) -> str:
    return (TEMPLATE_DIR / "briefing" / name).read_text(encoding="utf-8")


def export_html(executed: Path, *, synthetic: bool, lang: str, footer: str) -> str:
    """Export an executed notebook to the briefing's self-contained page (code and prompts hidden)."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from helpers.labels import label

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
    remover = TagRemovePreprocessor(remove_cell_tags={"remove_cell"}, remove_all_outputs_tags={"remove_output"})
    exporter.register_preprocessor(remover, enabled=True)
    resources = {
        "gaoqi": {
            "css": _asset("briefing.css"),
            "loader_js": _asset("loader.js"),
            "plotly_gz_b64": _plotly_gz_b64(),
            "synthetic": synthetic,
            "sample_mark": label("page.sample_mark", lang),
            "footer": footer,
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


# ---------------------------------------------------------------------------------------------- one meeting
def render_one(meeting_id: str, *, lang: str = "zh", pdf: bool = False) -> RenderResult:
    """Render one meeting's briefing and publish ``reports/<meeting>/`` atomically."""
    import papermill as pm

    from helpers.calendar import meeting as find_meeting
    from helpers.targets import load_plan

    started = time.perf_counter()
    plan = load_plan()
    m = find_meeting(plan, meeting_id)
    reports = paths.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    scratch_root = reports / ".scratch"
    scratch_root.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{m.id}-{lang}-", dir=scratch_root))
    make_shareable(scratch)
    executed = scratch / f"03_briefing-{m.id}{'' if lang == 'zh' else '.' + lang}.ipynb"
    os.environ["GAOQI_RENDER"] = "1"
    try:
        try:
            pm.execute_notebook(
                str(paths.notebooks_dir() / NOTEBOOK),
                str(executed),
                parameters={"meeting": m.id, "lang": lang, "output_dir": str(scratch),
                            "processed_dir": str(paths.processed_dir())},
                kernel_name=KERNEL,
                execution_timeout=EXECUTION_TIMEOUT,
                progress_bar=False,
                cwd=str(paths.notebooks_dir()),
                # the kernel's own start-up and shutdown log lines are noise on the console; cell errors still
                # fail the render with their traceback
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            )
        except Exception as exc:  # papermill's errors carry the failing cell and traceback
            kept = _keep_failed(scratch, m.id)
            raise RenderError(
                f"meeting {m.id}: notebook {NOTEBOOK} failed: {type(exc).__name__}: {_first_lines(exc)}\n"
                f"the executed notebook is kept in {kept}; reports/{m.id}/ was not changed"
            ) from None
        summary_file = scratch / f"summary-{m.id}.json"
        if not summary_file.exists():
            kept = _keep_failed(scratch, m.id)
            raise RenderError(f"meeting {m.id}: the notebook wrote no summary JSON; see {kept}")
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        footer = (f"{plan.title_zh} · {m.id} · cut-off {m.cut_off.isoformat()} · "
                  f"gaoqi-briefings {_version()}")
        page = export_html(executed, synthetic=bool(summary.get("synthetic", True)), lang=lang, footer=footer)
        (scratch / briefing_name(m.id, lang)).write_text(page, encoding="utf-8")
        if pdf:
            _print_pdf(scratch / briefing_name(m.id, lang))
        _carry_over(meeting_dir(m.id), scratch, lang)
        publish_dir(scratch, meeting_dir(m.id))
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    files = tuple(sorted(p for p in meeting_dir(m.id).iterdir() if p.is_file()))
    return RenderResult(m.id, lang, files, time.perf_counter() - started)


def _first_lines(exc: Exception, n: int = 6) -> str:
    text = str(exc).strip().splitlines()
    return "\n".join(text[-n:]) if text else repr(exc)


def _keep_failed(scratch: Path, meeting_id: str) -> Path:
    failed = paths.reports_dir() / ".failed" / meeting_id
    if failed.exists():
        shutil.rmtree(failed)
    failed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(scratch, failed)
    return failed


def _carry_over(published: Path, scratch: Path, lang: str) -> None:
    """Keep files of the published folder that this render does not produce (e.g. the other language)."""
    if not published.exists():
        return
    for f in published.iterdir():
        if f.is_file() and not (scratch / f.name).exists():
            shutil.copy2(f, scratch / f.name)


def _version() -> str:
    from helpers import __version__

    return __version__


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _print_pdf(page: Path) -> Path:
    """Print the finished page to PDF with the system Chromium (headless, no network)."""
    browser = chromium_path()
    if browser is None:
        raise RenderError("--pdf needs Chromium (Debian package 'chromium'); it was not found on PATH")
    out = page.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="gaoqi-chromium-") as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--no-pdf-header-footer",
            f"--print-to-pdf={out.resolve()}", page.resolve().as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if proc.returncode != 0 or not out.exists():
        raise RenderError(f"printing {page.name} to PDF failed: {proc.stderr.strip()[-500:]}")
    return out


# ---------------------------------------------------------------------------------------------- many meetings
def covered_meetings() -> list[str]:
    """Meetings whose cut-off falls within the data: at least one figure released by then."""
    from helpers.calendar import meetings
    from helpers.processed import load
    from helpers.targets import load_plan

    data = load(paths.processed_dir())
    releases = [data.industry["released"].min(), data.tasks["released"].min(), data.certificates["announced"].min()]
    first_known = min(r for r in releases if r == r)
    return [m.id for m in meetings(load_plan()) if m.cut_off >= first_known.date()]


def render_meetings(ids: list[str] | None, *, lang: str = "zh", pdf: bool = False, jobs: int = 2,
                    console=None) -> list[RenderResult]:
    """Render the given meetings (``None``: every meeting the data covers), then rebuild the index."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from helpers.calendar import meeting as find_meeting
    from helpers.public import load_public_figures
    from helpers.targets import load_plan

    plan = load_plan()  # a malformed plan file stops here (PlanError), before any kernel starts
    for meeting_id in ids or []:
        find_meeting(plan, meeting_id)  # refuse an unknown meeting before any work
    load_public_figures()  # likewise a malformed published-figures file (InputErrors)
    ensure_processed(console)
    ids = covered_meetings() if ids is None else ids
    results: list[RenderResult] = []
    errors: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, disable=console is None or len(ids) < 2) as progress:
        task = progress.add_task("rendering briefings", total=len(ids))
        if jobs > 1 and len(ids) > 1:
            with ProcessPoolExecutor(max_workers=min(jobs, len(ids))) as pool:
                futures = {pool.submit(render_one, i, lang=lang, pdf=pdf): i for i in ids}
                for fut in as_completed(futures):
                    try:
                        results.append(fut.result())
                    except RenderError as exc:
                        errors.append(str(exc))
                    progress.advance(task)
        else:
            for i in ids:
                try:
                    results.append(render_one(i, lang=lang, pdf=pdf))
                except RenderError as exc:
                    errors.append(str(exc))
                progress.advance(task)
    write_index()
    if console is not None:
        for r in sorted(results, key=lambda r: r.meeting):
            console.print(f"{r.meeting}: {briefing_path(r.meeting, r.lang)} ({r.seconds:.1f} s)")
        console.print(f"index: {paths.reports_dir() / 'index.html'}")
    if errors:
        raise RenderError("\n".join(errors))
    return sorted(results, key=lambda r: r.meeting)


def write_index() -> Path:
    """Write ``reports/index.html``: every published briefing with its headline status badges."""
    from helpers.calendar import meetings
    from helpers.labels import label, label_or, status_label
    from helpers.targets import load_plan

    plan = load_plan()
    rows = []
    synthetic = False
    for m in meetings(plan):
        folder = meeting_dir(m.id)
        sfile = summary_path(m.id)
        if not sfile.exists():
            continue
        summary = json.loads(sfile.read_text(encoding="utf-8"))
        synthetic = synthetic or bool(summary.get("synthetic", True))
        badges = "".join(
            f'<span class="gq-badge {html.escape(t["status"])}" title="{html.escape(t["name_zh"])}">'
            f'{html.escape(label_or("short." + t["id"], t["name_zh"][:8]))}: '
            f'{html.escape(status_label(t["status"], "zh"))}</span> '
            for t in summary.get("targets", []) if t.get("headline")
        )
        links = " · ".join(
            f'<a href="{html.escape(m.id)}/{html.escape(f.name)}">{html.escape(f.name)}</a>'
            for f in sorted(folder.iterdir()) if f.is_file() and f.suffix in (".html", ".json", ".xlsx", ".pdf")
        )
        rows.append(
            f"<tr><td>{html.escape(m.id)}</td><td>{m.cut_off.isoformat()}</td>"
            f"<td>{html.escape(summary.get('generated_at', '')[:16].replace('T', ' '))}</td><td>{badges}</td><td>{links}</td></tr>"
        )
    mark = f'<div class="gq-sample-mark">{html.escape(label("page.sample_mark", "zh"))}</div>' if synthetic else ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(plan.title_zh)} · 简报目录</title><style>{_asset("briefing.css")}</style></head>
<body class="gq-page" data-synthetic="{'true' if synthetic else 'false'}">{mark}<main class="gq-main">
<h1>{html.escape(plan.title_zh)}</h1>
<p class="gq-meta">领导小组会议简报目录 / Briefings for the leading group · {html.escape(plan.document_no)}</p>
<table class="gq-table"><thead><tr><th>会议 Meeting</th><th>数据截止 Cut-off</th><th>生成 Generated</th>
<th>主要目标 Headline targets</th><th>文件 Files</th></tr></thead><tbody>
{''.join(rows) or '<tr><td colspan="5">尚无简报 / no briefings yet: run make report</td></tr>'}
</tbody></table></main></body></html>
"""
    index = paths.reports_dir() / "index.html"
    write_text_atomic(index, page)
    return index


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
