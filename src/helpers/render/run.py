"""Render briefings: papermill runs notebook 03 into a scratch folder, the page is exported, and the meeting's
folder in ``reports/`` is replaced in one rename — all under the tree's run lock.

Why this shape (measurements in docs/architecture.md):
- one kernel per meeting (notebook 03 only; it calls the same helpers as notebooks 01-02), HTML exported
  in-process, processed data reused while ``data/raw`` is unchanged: a meeting costs about one kernel start;
- papermill never writes to a published path; a failed render leaves ``reports/<meeting>/`` as it was and keeps
  the failed notebook under ``reports/.failed/`` for inspection;
- one run at a time per tree: ``render_meetings`` holds the run lock from the freshness check (which may clean)
  to the index; a second run stops at once with exit 3 naming the holder, or waits ``wait`` seconds for it.
  With ``jobs`` > 1, worker processes only produce scratch folders; the run holding the lock publishes them;
- nothing stale stays beside a new page (``helpers.manifest``): a render stamps every file it makes with
  the fingerprint of its inputs, and *refreshes* what the meeting's folder held — every language whose page was
  there and a PDF wherever one was — when their stamps differ from today's inputs. Why refresh rather than
  remove: the office asked for those copies (the English page for the province's readers, the PDF for the
  printed pack) and expects them to follow the data; a file the render cannot remake (one placed by hand) is
  not carried into the new folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from helpers import manifest, paths
from helpers.briefing.pipeline import stages as funnel_stages
from helpers.calendar import meeting as find_meeting
from helpers.calendar import meetings
from helpers.clean import clean
from helpers.datewords import day_text
from helpers.fingerprint import current_id
from helpers.freshness import processed_is_current
from helpers.meeting_files import (
    briefing_name,
    briefing_path,
    executed_notebook_name,
    meeting_dir,
    pdf_path,
    summary_name,
)
from helpers.processed import ProcessedData, load
from helpers.public import load_public_figures
from helpers.render.export import export_html
from helpers.render.index import write_index
from helpers.render.pdf import print_pdf
from helpers.render.publish import (
    check_same_plan,
    discard,
    keep_failed,
    new_scratch,
    publish,
    published_files,
    scratch_dir,
    sweep_stale,
)
from helpers.render.result import RenderError, RenderResult
from helpers.runlock import run_lock
from helpers.targets import load_plan
from helpers.version import __version__
from helpers.wording import LANGS, say

if TYPE_CHECKING:
    from helpers.completeness import CompletenessReport

KERNEL = "gaoqi-briefings"
NOTEBOOK = "03_briefing.ipynb"
EXECUTION_TIMEOUT = 600
#: tells helpers.charts to emit figures as JSON blocks for the page's one plotly.js (see helpers.charts.rendering)
RENDER_ENV = "GAOQI_RENDER"


# ---------------------------------------------------------------------------------------------- processed data
def ensure_processed(console: Console | None = None, lang: str = "zh") -> None:
    """Clean ``data/raw`` into ``data/processed`` unless it is already current (under the run lock)."""
    raw, processed = paths.raw_dir(), paths.processed_dir()
    with run_lock("clean"):
        if processed_is_current(raw, processed):
            return
        if console is not None:
            console.print(say("render.cleaning", lang))
        report = clean(raw, processed)
    if console is not None:
        for line in report.summary_lines(lang):
            console.print(line, markup=False, highlight=False)


def covered_meetings(today: dt.date | None = None, data: ProcessedData | None = None) -> list[str]:
    """Meetings that can be briefed now: at least one figure released by their cut-off, and the cut-off reached.

    Why the upper bound: a meeting whose cut-off is still ahead (a new plan's later meetings) would be "briefed"
    from data that stop earlier, and its final review would state a target achieved or missed before its time.
    """
    today = today or dt.date.today()
    data = load(paths.processed_dir()) if data is None else data
    releases = [data.industry["released"].min(), data.tasks["released"].min(), data.certificates["announced"].min()]
    first_known = min(r for r in releases if r == r)
    return [m.id for m in meetings(load_plan()) if first_known.date() <= m.cut_off <= today]


# ---------------------------------------------------------------------------------------------- one meeting
def execute(meeting_id: str, lang: str, scratch: Path) -> Path:
    """Run notebook 03 for one meeting with papermill, writing only inside ``scratch``; the executed notebook."""
    import papermill as pm  # ≈ 1.4 s to import: only a render needs it, not `gaoqi calendar`

    executed = scratch / executed_notebook_name(meeting_id, lang)
    os.environ[RENDER_ENV] = "1"
    threading.Thread(target=_warm_up, name="gaoqi-warm-up", daemon=True).start()
    pm.execute_notebook(
        str(paths.notebooks_dir() / NOTEBOOK),
        str(executed),
        parameters={"meeting": meeting_id, "lang": lang, "output_dir": str(scratch),
                    "processed_dir": str(paths.processed_dir())},
        kernel_name=KERNEL,
        execution_timeout=EXECUTION_TIMEOUT,
        progress_bar=False,
        cwd=str(paths.notebooks_dir()),
        # the kernel's own start-up and shutdown log lines are noise on the console; cell errors still fail the
        # render with their traceback
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    return executed


def _warm_up() -> None:
    """Load, while the kernel runs notebook 03, what this process needs once the kernel is done: nbconvert's HTML
    exporter and the compressed plotly.js (the page), the probability format, which loads the forecast models
    (the notice). Why: the kernel keeps one core busy and this process waits on it; these imports ran after it,
    one after the other (issue 25; the forecast package alone took 7.7 s to import at a load of 12 on 2 cores). Nothing is produced here: a failure is
    left to the real import or call after the kernel, which reports it."""
    try:
        from nbconvert import HTMLExporter  # noqa: F401
        from nbconvert.preprocessors import TagRemovePreprocessor  # noqa: F401

        import helpers.briefing.formatting  # noqa: F401
        from helpers.render.export import plotly_gz_b64

        plotly_gz_b64(partial=True)
    except Exception:  # noqa: S110 - see the docstring
        pass


#: what one render of a meeting makes: ``(language, with a PDF)`` for each page, in order
Jobs = tuple[tuple[str, bool], ...]
#: called by ``render_meetings`` after publishing, before the index, with the results and the processed data the
#: run read; returns the completeness reports it computed, by ``(plan id, meeting id)``, for the index to reuse
BeforeIndex = Callable[[list[RenderResult], ProcessedData], Mapping[tuple[str, str], "CompletenessReport"]]


def refresh_jobs(meeting_id: str, lang: str, pdf: bool, inputs: str) -> Jobs:
    """The pages a render of ``meeting_id`` in ``lang`` makes so that nothing stale stays in its folder: the page
    asked for (with a PDF if asked, or if one was there), then every other language whose page is published but
    was made from other inputs than ``inputs`` (with its PDF if it had one). A language whose files are fresh is
    carried over as it is."""
    recorded = manifest.read(meeting_dir(meeting_id))

    def fresh(path: Path) -> bool:
        return recorded is not None and recorded.files.get(path.name, {}).get("inputs") == inputs

    jobs = [(lang, pdf or pdf_path(meeting_id, lang).exists())]
    for other in LANGS:
        page, printed = briefing_path(meeting_id, other), pdf_path(meeting_id, other)
        if other != lang and page.exists() and not (fresh(page) and (fresh(printed) or not printed.exists())):
            jobs.append((other, printed.exists()))
    return tuple(jobs)


def produce(meeting_id: str, jobs: Jobs, scratch: Path, inputs: str) -> None:
    """Fill ``scratch`` with one meeting's briefing in each language of ``jobs``: executed notebook, summary JSON,
    xlsx, page (and PDF), every file stamped with ``inputs`` in the scratch folder's manifest.

    On failure the scratch folder is kept under ``reports/.failed/<meeting>/`` and a :class:`RenderError` says
    what failed; nothing published is touched.
    """
    made = manifest.new(meeting_id, inputs)
    for lang, pdf in jobs:
        before = {p.name for p in scratch.iterdir()}
        _produce_page(meeting_id, lang, scratch, pdf=pdf)
        for f in sorted(scratch.iterdir()):
            if f.is_file() and f.name not in before:
                made.stamp(f.name, None if f.name == summary_name(meeting_id) else lang)
    manifest.write(scratch, made)


def _produce_page(meeting_id: str, lang: str, scratch: Path, *, pdf: bool = False) -> None:
    plan = load_plan()
    m = find_meeting(plan, meeting_id)
    try:
        executed = execute(m.id, lang, scratch)
    except Exception as exc:  # papermill's errors carry the failing cell and its traceback
        kept = keep_failed(scratch, m.id)
        raise RenderError(say("render.notebook_failed", lang, meeting=m.id, notebook=NOTEBOOK,
                              error=f"{type(exc).__name__}: {_last_lines(exc)}", kept=kept)) from None
    summary_file = scratch / summary_name(m.id)
    if not summary_file.exists():
        raise RenderError(say("render.no_summary", lang, meeting=m.id, kept=keep_failed(scratch, m.id)))
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    footer = say("render.footer", lang, plan=plan.title_zh if lang == "zh" else plan.title_en,
                 meeting=m.label(lang), cut_off=day_text(m.cut_off, lang),
                 version=__version__)
    try:
        page = export_html(executed, synthetic=bool(summary.get("synthetic", True)), lang=lang, footer=footer,
                           title=str(summary.get(f"title_{lang}") or ""))
    except Exception as exc:  # nbconvert's template errors: say which meeting, keep what was produced
        kept = keep_failed(scratch, m.id)
        raise RenderError(say("render.export_failed", lang, meeting=m.id, kept=kept,
                              error=f"{type(exc).__name__}: {_last_lines(exc)}")) from None
    (scratch / briefing_name(m.id, lang)).write_text(page, encoding="utf-8")
    if pdf:
        print_pdf(scratch / briefing_name(m.id, lang))


def render_one(meeting_id: str, *, lang: str = "zh", pdf: bool = False, wait: float = 0.0) -> RenderResult:
    """Render one meeting's briefing and publish ``reports/<meeting>/`` atomically, under the run lock.

    An unknown meeting is refused before anything runs (exit 2); another run on the tree stops this one with
    exit 3 unless it finishes within ``wait`` seconds.
    """
    started = time.perf_counter()
    plan = load_plan()
    m = find_meeting(plan, meeting_id)
    with run_lock(f"render {m.id}", wait=wait):
        sweep_stale()
        check_same_plan(m.id, plan.id)
        inputs = current_id()
        jobs = refresh_jobs(m.id, lang, pdf, inputs)
        with scratch_dir(m.id, lang) as scratch:
            produce(m.id, jobs, scratch, inputs)
            publish(scratch, m.id)
    return RenderResult(m.id, lang, published_files(m.id), time.perf_counter() - started,
                        tuple(x for x, _ in jobs))


def _produce_in_worker(meeting_id: str, jobs: Jobs, inputs: str) -> tuple[str, Path, float]:
    """A worker process's part of ``render_meetings``: a scratch folder ready to publish (the parent, which
    holds the run lock, publishes it or removes it)."""
    started = time.perf_counter()
    scratch = new_scratch(meeting_id, jobs[0][0])
    try:
        produce(meeting_id, jobs, scratch, inputs)
    except BaseException:
        discard(scratch)
        raise
    return meeting_id, scratch, time.perf_counter() - started


# ---------------------------------------------------------------------------------------------- many meetings
def render_meetings(ids: list[str] | None, *, lang: str = "zh", pdf: bool = False, jobs: int = 2,
                    console: Console | None = None, wait: float = 0.0,
                    before_index: BeforeIndex | None = None) -> list[RenderResult]:
    """Render the given meetings (``None``: every meeting the data covers), then rebuild the index.

    The whole run holds the tree's run lock; if another run holds it, this one stops with
    :class:`~helpers.errors.RunInProgress` (exit 3) before touching anything, or waits up to ``wait`` seconds,
    saying so on ``console``. ``before_index`` adds files the index links (the notices, ``gaoqi render``) under
    the same lock, so the index is written once per run, after them (issue 25: it was written again by every
    notice), from the processed data read once.
    """
    plan = load_plan()  # a malformed plan file stops here (PlanError), before any kernel starts
    for meeting_id in ids or []:
        find_meeting(plan, meeting_id)  # refuse an unknown meeting before any work
    load_public_figures()  # likewise a malformed published-figures file (InputErrors)
    funnel_stages()  # and the funnel's stage file (data/raw/plan/pipeline.yaml)
    on_wait: Callable[[str], None] | None = None
    if console is not None:
        def on_wait(message: str) -> None:
            console.print(message, markup=False, highlight=False)
    what = "render " + (" ".join(ids) if ids else "--all")
    with run_lock(what, wait=wait, on_wait=on_wait, lang=lang):
        sweep_stale()
        try:
            ensure_processed(console, lang)
            data = load(paths.processed_dir())  # current: ensure_processed just checked it under this lock
            ids = covered_meetings(data=data) if ids is None else ids
            for meeting_id in ids:  # another plan's briefing is a record: refused before any kernel starts
                check_same_plan(meeting_id, plan.id)
            results, errors = _render_all(ids, lang=lang, pdf=pdf, jobs=jobs, console=console)
            # as before the hook existed: a run with a failed meeting writes the index but no notices
            known = before_index(results, data) if before_index is not None and not errors else {}
            index = write_index(data=data, completeness=known)
        finally:
            sweep_stale()  # scratch folders of workers whose results were never published
    if console is not None:
        for r in results:
            console.print(say("render.done_one", lang, meeting=r.meeting, path=briefing_path(r.meeting, r.lang),
                              seconds=r.seconds), markup=False, highlight=False)
            for printed in (f for f in r.files if f.suffix == ".pdf" and pdf):  # --pdf says where it wrote
                console.print(say("devices.pdf.written", lang, meeting=r.meeting, path=printed), markup=False,
                              highlight=False)
            refreshed = [briefing_path(r.meeting, x).name for x in r.langs if x != r.lang]
            if refreshed:
                console.print(say("cli.render.refreshed", lang, meeting=r.meeting, files=", ".join(refreshed)),
                              markup=False, highlight=False)
        console.print(say("render.done_index", lang, path=index), markup=False, highlight=False)
    if errors:
        raise RenderError("\n".join(errors))
    return results


def _render_all(ids: list[str], *, lang: str, pdf: bool, jobs: int,
                console: Console | None) -> tuple[list[RenderResult], list[str]]:
    results: list[RenderResult] = []
    errors: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, disable=console is None or len(ids) < 2) as progress:
        task = progress.add_task(say("render.progress", lang), total=len(ids))
        if jobs > 1 and len(ids) > 1:
            inputs = current_id()
            planned = {i: refresh_jobs(i, lang, pdf, inputs) for i in ids}
            with ProcessPoolExecutor(max_workers=min(jobs, len(ids))) as pool:
                futures = [pool.submit(_produce_in_worker, i, planned[i], inputs) for i in ids]
                for fut in as_completed(futures):
                    try:
                        meeting_id, scratch, seconds = fut.result()
                    except RenderError as exc:
                        errors.append(str(exc))
                    else:
                        publish(scratch, meeting_id)
                        results.append(RenderResult(meeting_id, lang, published_files(meeting_id), seconds,
                                                    tuple(x for x, _ in planned[meeting_id])))
                    progress.advance(task)
        else:
            for i in ids:
                try:
                    results.append(render_one(i, lang=lang, pdf=pdf))
                except RenderError as exc:
                    errors.append(str(exc))
                progress.advance(task)
    return sorted(results, key=lambda r: r.meeting), errors


def _last_lines(exc: Exception, n: int = 6) -> str:
    text = str(exc).strip().splitlines()
    return "\n".join(text[-n:]) if text else repr(exc)
