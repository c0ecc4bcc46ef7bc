"""The ``gaoqi`` command: thin, delegates to the rooms of the package.

Errors never show a traceback: every command runs under one handler that prints a :class:`GaoqiError`'s located
message and exits with the code the error carries (``helpers.errors``: 1 render failed, 2 bad input, 3 busy).
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from helpers.errors import EXIT_BAD_INPUT, GaoqiError
from helpers.wording import say

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class _Gaoqi(typer.Typer):
    """A Typer app whose every command runs under the one error handler."""

    def command(self, *args, **kwargs) -> Callable[[Callable], Callable]:
        register = super().command(*args, **kwargs)

        def decorate(fn: Callable) -> Callable:
            @functools.wraps(fn)
            def guarded(*a, **kw):
                try:
                    return fn(*a, **kw)
                except GaoqiError as exc:
                    _fail(str(exc), exc.exit_code)

            return register(guarded)

        return decorate


app = _Gaoqi(add_completion=False, no_args_is_help=True, help="High-tech enterprise target briefings for a district's leading group (the active plan and region: `gaoqi inspect`).")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def sample(
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="where to write (default data/raw/sample)")] = None,
    seed: Annotated[int, typer.Option(help="random seed; the same seed writes the same files")] = 20221012,
    world: Annotated[str, typer.Option("--world", help="story (the shipped story, default), random (a free "
                                       "world drawn from the seed, outcomes not pinned) or stress (a world written "
                                       "from real statistics' behaviour, not the models'; see helpers.sample.stress)"
                                       )] = "story",
) -> None:
    """Write synthetic sample returns (xlsx/csv): the shipped story, or a free or stress world for benchmarks."""
    from helpers.paths import raw_dir
    from helpers.sample import write_sample

    target = out_dir or raw_dir() / "sample"
    files = write_sample(target, seed=seed, world=world)
    out.print(f"wrote {len(files)} synthetic sample files ({world} world) to {target}")


@app.command()
def clean(
    raw_dir: Annotated[Path | None, typer.Option("--raw-dir", help="raw inputs (default data/raw)")] = None,
    processed_dir: Annotated[Path | None, typer.Option("--processed-dir", help="output (default data/processed)")] = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help="seconds to wait for another run on this tree "
                                        "(default 0: stop at once with exit 3)")] = 0,
) -> None:
    """Read and validate every raw return; replace data/processed only when all of it is valid."""
    from helpers import paths
    from helpers.clean import clean as run_clean
    from helpers.runlock import run_lock

    with run_lock("clean", wait=wait, on_wait=_say_waiting):
        report = run_clean(raw_dir or paths.raw_dir(), processed_dir or paths.processed_dir())
    for line in report.summary_lines():
        out.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
def inspect(
    files: Annotated[list[Path], typer.Argument(help="returns to preview (xlsx, xls, csv)", exists=True,
                                                dir_okay=False)],
) -> None:
    """Show how each return would be read — form, header row, columns, towns, period — and what would fail."""
    from helpers.preview import ReturnRefused, inspect_files, render

    previews, faults = inspect_files(files)
    render(previews, out)
    if faults:
        raise ReturnRefused(faults)
    n = len(files)
    out.print(say("intake.inspect.fine.one" if n == 1 else "intake.inspect.fine.many", "en", n=n))


@app.command()
def forecast(
    input: Annotated[Path, typer.Option("--input", help="long table, one row per series and year: series_id, period, value (CSV in UTF-8 or GBK, or an .xlsx: its first sheet)")],
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=50, help="years ahead")],
    output: Annotated[Path, typer.Option("--output", help="CSV to write (UTF-8 with BOM; replaced in one rename)")],
    targets: Annotated[Path | None, typer.Option("--targets", help="CSV: series_id, target[, direction (at_least, more_than, at_most), period (default the last forecast year)]")] = None,
    seed: Annotated[int, typer.Option(help="random seed for simulated probabilities")] = 0,
) -> None:
    """Forecast yearly series in batch with the calibrated ensemble (point, 80 % and 95 % ranges, p_reach).

    Writes one row per series and forecast year: series_id, period, point, lo80, hi80, lo95, hi95.
    With --targets, p_reach (the probability of reaching the series' target) is on the target period's row.
    Bad input stops the run with exit 2 naming file, line, column and value; no series is dropped.
    """
    from helpers.forecast.batch import run_batch

    n = run_batch(input, horizon=horizon, output=output, targets=targets, seed=seed)
    out.print(f"forecast {n} series → {output}")


@app.command()
def calendar() -> None:
    """List the plan's meetings, their data cut-offs and which briefings exist."""
    from rich.table import Table

    from helpers.calendar import meetings
    from helpers.render import briefing_path
    from helpers.targets import load_plan

    plan = load_plan()
    table = Table(title=plan.title_zh)
    for col in ("meeting", "kind", "date", "cut-off", "focus year", "briefing"):
        table.add_column(col)
    for m in meetings(plan):
        path = briefing_path(m.id)
        table.add_row(m.id, m.kind_label("zh"), m.date.isoformat(), m.cut_off.isoformat(), str(m.focus_year),
                      str(path) if path.exists() else "—")
    out.print(table)


@app.command()
def assess(
    meeting: Annotated[str, typer.Option("--meeting", help="meeting month (e.g. 2024-09) or an ad-hoc meeting's day")],
    json_path: Annotated[Path | None, typer.Option("--json", help="also write the briefing's summary JSON here")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    processed_dir: Annotated[Path | None, typer.Option(
        "--processed-dir", help="processed data to read (default data/processed, cleaned first when stale)")] = None,
) -> None:
    """One meeting's forecasts and statuses without rendering: a table here, the summary JSON with --json."""
    from helpers.briefing.assess import assess as run_assess
    from helpers.briefing.assess import table, write_summary

    if lang not in ("zh", "en"):
        _fail(f"--lang must be zh or en, not {lang!r}")
    if processed_dir is None:
        from helpers.render import ensure_processed

        ensure_processed(err)
    c = run_assess(meeting, lang=lang, processed_dir=processed_dir)  # type: ignore[arg-type]
    Console(soft_wrap=True).print(table(c))  # sized to the terminal at call time (COLUMNS), not at import
    if json_path is not None:
        write_summary(c, json_path)
        out.print(say("assess.wrote", lang, path=json_path), markup=False, highlight=False)


@app.command()
def render(
    meeting: Annotated[str | None, typer.Option(
        "--meeting", help="regular meeting month (e.g. 2024-09) or an ad-hoc meeting's day (e.g. 2024-06-20)")] = None,
    cut_off: Annotated[str | None, typer.Option(
        "--cut-off", help="an ad-hoc meeting's data cut-off YYYY-MM-DD (default: the day before it)")] = None,
    all_meetings: Annotated[bool, typer.Option("--all", help="every meeting the data covers")] = False,
    next_meeting: Annotated[bool, typer.Option("--next", help="the next meeting after today")] = False,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    pdf: Annotated[bool, typer.Option("--pdf", help="also print a PDF through the system Chromium")] = False,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="meetings rendered in parallel with --all")] = 2,
    today: Annotated[str | None, typer.Option(help="today's date for --next (default: the system date)")] = None,
    publish_dir: Annotated[Path | None, typer.Option(
        "--publish-dir", help="also copy the meetings' folders and the index to this shared folder, atomically")] = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help="seconds to wait for another run on this tree "
                                        "(default 0: stop at once with exit 3)")] = 0,
) -> None:
    """Run the notebooks for a meeting and publish its briefing to reports/<meeting>/ (with its notice).

    One run at a time per project tree: if another clean or render holds the tree, this one stops with exit 3
    naming it (pid, since when), or waits up to --wait seconds for it to finish.
    """
    from helpers import render as rendering
    from helpers.calendar import ad_hoc_meeting, is_ad_hoc_id, record_ad_hoc
    from helpers.calendar import next_meeting as find_next
    from helpers.share import check_publish_dir
    from helpers.targets import load_plan

    if lang not in ("zh", "en"):
        _fail(f"--lang must be zh or en, not {lang!r}")
    chosen = sum(bool(x) for x in (meeting, all_meetings, next_meeting))
    if chosen != 1:
        _fail("give exactly one of --meeting YYYY-MM, --next or --all")
    plan = load_plan()
    if next_meeting:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
        nxt = find_next(plan, day)
        if nxt is None:
            _fail(f"the plan's meetings ended with {plan.last_meeting}; there is no next meeting after {day}", 1)
        meeting = nxt.id
    if meeting and is_ad_hoc_id(meeting):
        # recorded first: the notebook's kernel finds the meeting's cut-off in the record
        record_ad_hoc(plan, ad_hoc_meeting(plan, meeting, cut_off))
    elif cut_off:
        _fail("--cut-off is for an ad-hoc meeting (--meeting YYYY-MM-DD); a regular meeting's cut-off is set "
              "by the calendar")
    ids = None if all_meetings else [meeting]
    if publish_dir is not None:
        publish_dir = check_publish_dir(publish_dir)  # refused before any render
    results = rendering.render_meetings(ids, lang=lang, pdf=pdf, jobs=jobs, console=out, wait=wait)
    _after_render([r.meeting for r in results], publish_dir, lang)


def _after_render(ids: list[str], publish_dir: Path | None, lang: str = "zh") -> None:
    """Each rendered meeting gets its notice in the language of its page (an English page, an English notice
    naming it); with --publish-dir its folder and the index go to the shared folder."""
    from helpers.calendar import meeting
    from helpers.completeness import for_meeting
    from helpers.notice import write_for_meeting
    from helpers.share import publish
    from helpers.targets import load_plan

    plan = load_plan()
    for meeting_id in ids:
        report = for_meeting(plan, meeting(plan, meeting_id))
        notice = write_for_meeting(meeting_id, completeness=report.summary(), lang=lang,
                                   location=str(publish_dir) if publish_dir else None)
        if notice is not None:
            out.print(f"notice: {notice}", markup=False, highlight=False)
    if publish_dir is not None and ids:
        publish(ids, publish_dir)
        out.print(f"published {', '.join(ids)} and index.html to {publish_dir}", markup=False, highlight=False)


@app.command()
def auto(
    today: Annotated[str | None, typer.Option(help="today's date YYYY-MM-DD (default: the system date)")] = None,
    publish_dir: Annotated[Path | None, typer.Option(
        "--publish-dir", help="copy the meeting's folder and the index to this shared folder, atomically")] = None,
    lang: Annotated[str, typer.Option("--lang", help="language of the messages and the log: zh or en")] = "zh",
    wait: Annotated[float, typer.Option("--wait", min=0, help="seconds to wait for another run to finish")] = 0,
) -> None:
    """The daily run for a scheduler: render the coming meeting's briefing when due and only when its inputs changed.

    Exit codes: 0 done or nothing to do, 1 render or publishing failed, 2 bad input, 3 another run in progress.
    One line per run is appended to reports/auto.log.
    """
    from helpers.auto import run

    def tell(line: str) -> None:
        out.print(line, markup=False, highlight=False, soft_wrap=True)

    run(today, publish_dir=publish_dir, lang=lang, wait=wait, say_line=tell, console=out)


@app.command()
def schedule(
    at: Annotated[str, typer.Option("--at", help="time of day of the daily run, HH:MM")] = "06:30",
    publish_dir: Annotated[Path | None, typer.Option(
        "--publish-dir", help="the shared folder the daily run publishes to")] = None,
    lang: Annotated[str, typer.Option("--lang", help="language of the instructions: zh or en")] = "zh",
) -> None:
    """Print a crontab line and a systemd service + timer that run `gaoqi auto` daily, and how to install them."""
    from helpers.schedule import build, instructions

    if lang not in ("zh", "en"):
        _fail(f"--lang must be zh or en, not {lang!r}")
    out.print(instructions(build(at, publish_dir), lang), markup=False, highlight=False, soft_wrap=True)


def _say_waiting(message: str) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
