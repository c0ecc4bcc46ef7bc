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


app = _Gaoqi(add_completion=False, no_args_is_help=True, help="Haimen high-tech enterprise target briefings.")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def sample(
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="where to write (default data/raw/sample)")] = None,
    seed: Annotated[int, typer.Option(help="random seed; the same seed writes the same files")] = 20221012,
) -> None:
    """Write the synthetic sample returns (xlsx/csv) the suite ships with."""
    from helpers.paths import raw_dir
    from helpers.sample import write_sample

    target = out_dir or raw_dir() / "sample"
    files = write_sample(target, seed=seed)
    out.print(f"wrote {len(files)} synthetic sample files to {target}")


@app.command()
def clean(
    raw_dir: Annotated[Path | None, typer.Option("--raw-dir", help="raw inputs (default data/raw)")] = None,
    processed_dir: Annotated[Path | None, typer.Option("--processed-dir", help="output (default data/processed)")] = None,
) -> None:
    """Read and validate every raw return; replace data/processed only when all of it is valid."""
    from helpers import paths
    from helpers.clean import clean as run_clean
    from helpers.validate import InputErrors

    try:
        report = run_clean(raw_dir or paths.raw_dir(), processed_dir or paths.processed_dir())
    except InputErrors as exc:
        _fail(str(exc))
    for line in report.summary_lines():
        out.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
def forecast(
    input: Annotated[Path, typer.Option("--input", help="long CSV: series_id, period, value")],
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=50, help="years ahead")],
    output: Annotated[Path, typer.Option("--output", help="CSV to write")],
    targets: Annotated[Path | None, typer.Option("--targets", help="CSV: series_id, target[, direction]")] = None,
    seed: Annotated[int, typer.Option(help="random seed for simulated probabilities")] = 0,
) -> None:
    """Forecast yearly series in batch with the calibrated ensemble (point, 80 % and 95 % ranges, p_reach)."""
    from helpers.forecast.batch import BatchInputError, run_batch

    try:
        n = run_batch(input, horizon=horizon, output=output, targets=targets, seed=seed)
    except BatchInputError as exc:
        _fail(str(exc))
    out.print(f"forecast {n} series → {output}")


@app.command()
def calendar() -> None:
    """List the plan's meetings, their data cut-offs and which briefings exist."""
    from rich.table import Table

    from helpers.calendar import meetings
    from helpers.render import briefing_path
    from helpers.targets import PlanError, load_plan

    try:
        plan = load_plan()
    except PlanError as exc:
        _fail(str(exc))
    table = Table(title=plan.title_zh)
    for col in ("meeting", "kind", "date", "cut-off", "focus year", "briefing"):
        table.add_column(col)
    for m in meetings(plan):
        path = briefing_path(m.id)
        table.add_row(m.id, m.kind_label("zh"), m.date.isoformat(), m.cut_off.isoformat(), str(m.focus_year),
                      str(path) if path.exists() else "—")
    out.print(table)


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
) -> None:
    """Run the notebooks for a meeting and publish its briefing to reports/<meeting>/."""
    from helpers import render as rendering
    from helpers.calendar import CalendarError, ad_hoc_meeting, is_ad_hoc_id, record_ad_hoc
    from helpers.calendar import next_meeting as find_next
    from helpers.targets import PlanError, load_plan
    from helpers.validate import InputErrors

    if lang not in ("zh", "en"):
        _fail(f"--lang must be zh or en, not {lang!r}")
    chosen = sum(bool(x) for x in (meeting, all_meetings, next_meeting))
    if chosen != 1:
        _fail("give exactly one of --meeting YYYY-MM, --next or --all")
    try:
        plan = load_plan()
    except PlanError as exc:
        _fail(str(exc))
    try:
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
        rendering.render_meetings(ids, lang=lang, pdf=pdf, jobs=jobs, console=out)
    except (CalendarError, PlanError, InputErrors) as exc:
        _fail(str(exc))
    except rendering.RenderError as exc:
        _fail(str(exc), 1)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
