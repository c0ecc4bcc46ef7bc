"""The ``gaoqi`` command: thin, delegates to the rooms of the package.

Errors never show a traceback: every command runs under one handler that prints a :class:`GaoqiError`'s located
message and exits with the code the error carries (``helpers.errors``: 1 render failed, 2 bad input, 3 busy).

The office reads Chinese: help, messages, errors and table headers come from the wording catalogue
(``wording/cli.yaml``) in the language of ``--lang`` (the project's default, Chinese, without it). Help is built
when the command is defined, before typer parses the line, so its language is taken from ``--lang`` on the
command line or ``GAOQI_LANG`` (``help_lang``); typer's own frame (panel titles, "[default: …]") follows it, and
flags are shown as the flags they are (``--pdf``, not ``--pdf <bool>``).

Start-up speed: ``gaoqi --help`` and every command pay for what this module imports at the top, so only light rooms
(the standard library, ``paths``, ``meeting_files``, ``share``, ``runlock``, ``schedule``) are
imported here; a command imports the heavy ones it needs (pandas, numpy through the plan loader, the forecast
models, papermill, nbconvert) inside its function.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
import typer.core
import typer.rich_utils
from rich.console import Console
from rich.table import Table

from helpers import paths
from helpers.errors import EXIT_BAD_INPUT, EXIT_RENDER_FAILED, GaoqiError, InputError
from helpers.meeting_files import briefing_path
from helpers.runlock import run_lock
from helpers.schedule import build, instructions
from helpers.share import check_publish_dir, publish
from helpers.wording import LANGS, say

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def help_lang(argv: list[str] | None = None) -> str:
    """The language of ``--help``: ``--lang`` on the command line, else ``GAOQI_LANG``, else Chinese."""
    argv = sys.argv if argv is None else argv
    for i, word in enumerate(argv):
        value = argv[i + 1] if word == "--lang" and i + 1 < len(argv) else word.partition("=")[2] \
            if word.startswith("--lang=") else None
        if value in LANGS:
            return value
    env = os.environ.get("GAOQI_LANG", "")
    return env if env in LANGS else "zh"


HELP = help_lang()


def h(key: str) -> str:
    """A help text of the catalogue in the help's language."""
    return say(key, HELP)


def _typer_in(lang: str) -> None:
    """typer's own frame of the help and of usage errors in ``lang`` (its module constants are meant to be set)."""
    ru = typer.rich_utils
    ru.OPTIONS_PANEL_TITLE, ru.ARGUMENTS_PANEL_TITLE = say("cli.typer.options", lang), say("cli.typer.arguments", lang)
    ru.COMMANDS_PANEL_TITLE, ru.ERRORS_PANEL_TITLE = say("cli.typer.commands", lang), say("cli.typer.error", lang)
    ru.ABORTED_TEXT, ru.REQUIRED_LONG_STRING = say("cli.typer.aborted", lang), say("cli.typer.required", lang)
    ru.DEFAULT_STRING = say("cli.typer.default", lang, value="{}")
    ru.RICH_HELP = say("cli.typer.try_help", lang, command_path="{command_path}", help_option="{help_option}")


def _flag_type(self, ctx):  # a flag takes no value: show ``--pdf``, not ``--pdf <bool>``
    return None if self.is_flag else _value_type(self, ctx)


_value_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]
_typer_in(HELP)


class _HelpInLang:
    """``--help``'s own line in the help's language (click words it in English)."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = h("cli.typer.help_option")
        return option


class _Command(_HelpInLang, typer.core.TyperCommand):
    pass


class _Group(_HelpInLang, typer.core.TyperGroup):
    pass


class _Gaoqi(typer.Typer):
    """A Typer app whose every command runs under the one error handler."""

    def command(self, *args, **kwargs) -> Callable[[Callable], Callable]:
        kwargs.setdefault("cls", _Command)
        register = super().command(*args, **kwargs)

        def decorate(fn: Callable) -> Callable:
            @functools.wraps(fn)
            def guarded(*a, **kw):
                try:
                    return fn(*a, **kw)
                except GaoqiError as exc:  # worded in the command's --lang when the error can be (located faults)
                    lang = kw.get("lang") if kw.get("lang") in LANGS else HELP
                    told = getattr(exc, "told", None)
                    _fail(told(lang) if callable(told) else str(exc), exc.exit_code)

            return register(guarded)

        return decorate


app = _Gaoqi(cls=_Group, add_completion=False, no_args_is_help=True, help=h("cli.app.help"),
             context_settings={"help_option_names": ["--help", "-h"]})
LANG_OPTION = typer.Option("--lang", help=h("cli.opt.lang"))


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InputError(say("cli.error.lang", HELP, value=lang))
    return lang


@app.command(help=h("cli.sample.help"))
def sample(
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help=h("cli.sample.out_dir"))] = None,
    seed: Annotated[int, typer.Option(help=h("cli.sample.seed"))] = 20221012,
    world: Annotated[str, typer.Option("--world", help=h("cli.sample.world"))] = "story",
    lang: Annotated[str, LANG_OPTION] = HELP,
) -> None:
    """Write synthetic sample returns (xlsx/csv): the shipped story, or a free or stress world for benchmarks."""
    from helpers.sample import write_sample

    lang = _check_lang(lang)
    target = out_dir or paths.raw_dir() / "sample"
    files = write_sample(target, seed=seed, world=world)
    out.print(say("cli.sample.wrote", lang, n=len(files), world=world, target=target), markup=False,
              highlight=False)


@app.command(help=h("cli.clean.help"))
def clean(
    raw_dir: Annotated[Path | None, typer.Option("--raw-dir", help=h("cli.clean.raw_dir"))] = None,
    processed_dir: Annotated[Path | None, typer.Option("--processed-dir", help=h("cli.clean.processed_dir"))] = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help=h("cli.opt.wait"))] = 0,
    lang: Annotated[str, LANG_OPTION] = HELP,
) -> None:
    """Read and validate every raw return; replace data/processed only when all of it is valid."""
    from helpers.clean import clean as run_clean

    with run_lock("clean", wait=wait, on_wait=_say_waiting, lang=_check_lang(lang)):
        report = run_clean(raw_dir or paths.raw_dir(), processed_dir or paths.processed_dir())
    for line in report.summary_lines(lang):
        out.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command(help=h("cli.inspect.help"))
def inspect(
    files: Annotated[list[Path], typer.Argument(help=h("cli.inspect.files"), exists=True, dir_okay=False)],
    lang: Annotated[str, LANG_OPTION] = HELP,
) -> None:
    """Show how each return would be read — form, header row, columns, towns, period — and what would fail."""
    from helpers.preview import ReturnRefused, inspect_files, render

    lang = _check_lang(lang)
    previews, faults = inspect_files(files, lang)
    render(previews, out, lang)
    if faults:
        raise ReturnRefused(faults, lang)
    n = len(files)
    out.print(say("intake.inspect.fine.one" if n == 1 else "intake.inspect.fine.many", lang, n=n))


@app.command(help=h("cli.forecast.help"))
def forecast(
    input: Annotated[Path, typer.Option("--input", help=h("cli.forecast.input"))],
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=50, help=h("cli.forecast.horizon"))],
    output: Annotated[Path, typer.Option("--output", help=h("cli.forecast.output"))],
    targets: Annotated[Path | None, typer.Option("--targets", help=h("cli.forecast.targets"))] = None,
    seed: Annotated[int, typer.Option(help=h("cli.forecast.seed"))] = 0,
    lang: Annotated[str, LANG_OPTION] = HELP,
) -> None:
    """Forecast yearly series in batch with the calibrated ensemble (point, 80 % and 95 % ranges, p_reach).

    Writes one row per series and forecast year: series_id, period, point, lo80, hi80, lo95, hi95.
    With --targets, p_reach (the probability of reaching the series' target) is on the target period's row.
    Bad input stops the run with exit 2 naming file, line, column and value; no series is dropped.
    """
    from helpers.forecast.batch import run_batch

    lang = _check_lang(lang)
    n = run_batch(input, horizon=horizon, output=output, targets=targets, seed=seed, lang=lang)
    out.print(say("cli.forecast.done", lang, n=n, output=output), markup=False, highlight=False)


@app.command(help=h("cli.calendar.help"))
def calendar(lang: Annotated[str, LANG_OPTION] = HELP) -> None:
    """List the plan's meetings, their data cut-offs and which briefings exist."""
    from helpers.calendar import meetings
    from helpers.targets import load_plan

    lang = _check_lang(lang)
    plan = load_plan()
    table = Table(title=getattr(plan, f"title_{lang}"))
    for col in ("meeting", "kind", "date", "cut_off", "focus_year", "briefing"):
        table.add_column(say(f"cli.calendar.col.{col}", lang))
    for m in meetings(plan):
        path = briefing_path(m.id, lang)
        table.add_row(m.id, m.kind_label(lang), m.date.isoformat(), m.cut_off.isoformat(), str(m.focus_year),
                      str(path) if path.exists() else "—")
    out.print(table)


@app.command(help=h("cli.assess.help"))
def assess(
    meeting: Annotated[str, typer.Option("--meeting", help=h("cli.assess.meeting"))],
    json_path: Annotated[Path | None, typer.Option("--json", help=h("cli.assess.json"))] = None,
    lang: Annotated[str, LANG_OPTION] = HELP,
    processed_dir: Annotated[Path | None, typer.Option("--processed-dir", help=h("cli.assess.processed_dir"))] = None,
) -> None:
    """One meeting's forecasts and statuses without rendering: a table here, the summary JSON with --json."""
    from helpers.briefing.assess import assess as run_assess
    from helpers.briefing.assess import table, write_summary

    _check_lang(lang)
    if processed_dir is None:
        from helpers.render import ensure_processed

        ensure_processed(err, lang)
    c = run_assess(meeting, lang=lang, processed_dir=processed_dir)  # type: ignore[arg-type]
    Console(soft_wrap=True).print(table(c))  # sized to the terminal at call time (COLUMNS), not at import
    if json_path is not None:
        write_summary(c, json_path)
        out.print(say("assess.wrote", lang, path=json_path), markup=False, highlight=False)


@app.command(help=h("cli.render.help"))
def render(
    meeting: Annotated[str | None, typer.Option("--meeting", help=h("cli.render.meeting"))] = None,
    cut_off: Annotated[str | None, typer.Option("--cut-off", help=h("cli.render.cut_off"))] = None,
    all_meetings: Annotated[bool, typer.Option("--all", help=h("cli.render.all"))] = False,
    next_meeting: Annotated[bool, typer.Option("--next", help=h("cli.render.next"))] = False,
    lang: Annotated[str, LANG_OPTION] = HELP,
    pdf: Annotated[bool, typer.Option("--pdf", help=h("cli.render.pdf"))] = False,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help=h("cli.render.jobs"))] = 2,
    today: Annotated[str | None, typer.Option(help=h("cli.render.today"))] = None,
    publish_dir: Annotated[Path | None, typer.Option("--publish-dir", help=h("cli.render.publish_dir"))] = None,
    wait: Annotated[float, typer.Option("--wait", min=0, help=h("cli.opt.wait"))] = 0,
) -> None:
    """Run the notebooks for a meeting and publish its briefing to reports/<meeting>/ (with its notice).

    One run at a time per project tree: if another clean or render holds the tree, this one stops with exit 3
    naming it (pid, since when), or waits up to --wait seconds for it to finish. Pages and PDFs the meeting's
    folder held are made again when the inputs changed (helpers.render.run).
    """
    from helpers import render as rendering
    from helpers.auto import parse_day
    from helpers.calendar import ad_hoc_meeting, is_ad_hoc_id, record_ad_hoc
    from helpers.calendar import next_meeting as find_next
    from helpers.targets import load_plan

    _check_lang(lang)
    chosen = sum(bool(x) for x in (meeting, all_meetings, next_meeting))
    if chosen != 1:
        _fail(say("cli.render.exactly_one", lang))
    if publish_dir is not None:
        publish_dir = check_publish_dir(publish_dir, lang)  # refused before any render
    plan = load_plan()
    if next_meeting:
        day = parse_day(today, lang)
        nxt = find_next(plan, day)
        if nxt is None:
            _fail(say("cli.render.plan_ended", lang, last=plan.last_meeting, day=day), EXIT_RENDER_FAILED)
        meeting = nxt.id
    if meeting and is_ad_hoc_id(meeting):
        # recorded first: the notebook's kernel finds the meeting's cut-off in the record
        record_ad_hoc(plan, ad_hoc_meeting(plan, meeting, cut_off))
    elif cut_off:
        _fail(say("cli.render.cut_off_regular", lang))
    ids = None if all_meetings else [meeting]
    written: list[Path] = []
    location = str(publish_dir) if publish_dir else None

    def notices(results, data):  # under the render's lock, before its one index, which links them
        return _write_notices({r.meeting: r.langs or (r.lang,) for r in results}, data, location, written)

    results = rendering.render_meetings(ids, lang=lang, pdf=pdf, jobs=jobs, console=out, wait=wait,
                                        before_index=notices)
    _after_render({r.meeting: r.langs or (r.lang,) for r in results}, publish_dir, lang, notices=written)


def _write_notices(made: dict[str, tuple[str, ...]], data, location: str | None, written: list[Path]) -> dict:
    """A notice for every page each rendered meeting got, in the page's language (an English page, an English
    notice naming it), without rewriting the index; the completeness reports computed on the way, by
    ``(plan id, meeting id)``, for the index. ``data``: the processed data the render read (None: read here)."""
    from helpers.calendar import meeting
    from helpers.completeness import for_meeting
    from helpers.notice import write_for_meeting
    from helpers.targets import load_plan

    plan = load_plan()
    known = {}
    for meeting_id, langs in made.items():
        report = for_meeting(plan, meeting(plan, meeting_id), data)
        known[(plan.id, meeting_id)] = report
        for page_lang in langs:
            notice = write_for_meeting(meeting_id, completeness=report.summary(), lang=page_lang,
                                       location=location, index=False)
            if notice is not None:
                written.append(notice)
    return known


def _after_render(made: dict[str, tuple[str, ...]], publish_dir: Path | None, lang: str = "zh",
                  notices: list[Path] | None = None) -> None:
    """Each rendered meeting gets a notice for every page the render made, in the page's language (``notices``:
    those the render already wrote, before its index; else they are written here, then the index); with
    --publish-dir its folder and the index go to the shared folder."""
    if notices is None:
        from helpers import render as rendering

        notices = []
        known = _write_notices(made, None, str(publish_dir) if publish_dir else None, notices)
        rendering.write_index(completeness=known)
    for notice in notices:
        out.print(say("cli.render.notice", lang, path=notice), markup=False, highlight=False)
    ids = list(made)
    if publish_dir is not None and ids:
        publish(ids, publish_dir, lang)
        out.print(say("cli.render.published", lang, meetings=", ".join(ids), target=publish_dir), markup=False,
                  highlight=False)


@app.command(help=h("cli.auto.help"))
def auto(
    today: Annotated[str | None, typer.Option(help=h("cli.auto.today"))] = None,
    publish_dir: Annotated[Path | None, typer.Option("--publish-dir", help=h("cli.auto.publish_dir"))] = None,
    lang: Annotated[str, LANG_OPTION] = HELP,
    wait: Annotated[float, typer.Option("--wait", min=0, help=h("cli.opt.wait"))] = 0,
) -> None:
    """The daily run for a scheduler: render the coming meeting's briefing when due and only when its inputs changed.

    Exit codes: 0 done or nothing to do, 1 render or publishing failed, 2 bad input, 3 another run in progress.
    One line per run is appended to reports/auto.log.
    """
    from helpers.auto import run

    def tell(line: str) -> None:
        out.print(line, markup=False, highlight=False, soft_wrap=True)

    run(today, publish_dir=publish_dir, lang=lang, wait=wait, say_line=tell, console=out)


@app.command(help=h("cli.schedule.help"))
def schedule(
    at: Annotated[str, typer.Option("--at", help=h("cli.schedule.at"))] = "06:30",
    publish_dir: Annotated[Path | None, typer.Option("--publish-dir", help=h("cli.schedule.publish_dir"))] = None,
    lang: Annotated[str, LANG_OPTION] = HELP,
) -> None:
    """Print a crontab line and a systemd service + timer that run `gaoqi auto` daily, and how to install them."""
    _check_lang(lang)
    out.print(instructions(build(at, publish_dir, lang=lang), lang), markup=False, highlight=False, soft_wrap=True)


def _say_waiting(message: str) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
