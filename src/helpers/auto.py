"""``gaoqi auto``: the one command a scheduler runs every day.

Why: briefings are due before each meeting, and late returns keep arriving until the meeting; nobody should have
to remember the right day, nor re-render by hand when a town's return comes in late. So a daily run decides:

- **When.** A meeting's *window* opens the day after its data cut-off and closes on the meeting day
  (``cut_off < today <= date``). Outside every window the run does nothing and says when the next cut-off is.
- **Whether.** Inside a window it renders the meeting's briefing unless the briefing was already rendered from
  exactly the inputs present now. The inputs are fingerprinted by content (``helpers.fingerprint``): every file
  under ``data/raw`` (the returns, the plan files, the published figures; hidden files and Excel lock files
  ``~$…`` excepted), the ad-hoc meetings recorded in ``reports/ad-hoc-meetings.json``, the stored benchmark
  results the page quotes, the briefing notebook, and the suite's version. With nothing changed the run only
  hashes those files and exits 0 — no file in ``reports/`` or the shared folder is rewritten; only the log gets
  its line. A render refreshes every language and PDF the meeting's folder held (``helpers.render.run``).
- **What else.** After a render it checks the meeting's data completeness (``helpers.completeness``), writes the
  notice (``helpers.notice``) and, with ``--publish-dir``, copies the meeting's folder and the index to the shared
  folder atomically (``helpers.share``). Publishing is remembered separately, so a failed copy is retried the
  next day without a new render.

Every run appends one line to ``reports/auto.log`` (when, for which day, exit code, seconds, action, what) and
exits with the codes of ``helpers.errors``: 0 done or nothing to do, 1 a render or the publishing failed, 2 bad
input, 3 another run holds the tree's run lock. A failed render leaves ``reports/<meeting>/`` and the shared
folder as they were (``render_one`` publishes only a finished render; the copy to the shared folder happens only
after it), and the state is not updated, so the next day tries again.

State lives in ``reports/.auto/<meeting>.json``: the inputs fingerprint of the last successful render, when it
ran, the files it made, its completeness summary, and for each shared folder the fingerprint last published
there. The idle path reads only that state and hashes the inputs: it imports neither pandas nor the renderer, so
the modules that do (``processed``, ``completeness``, ``notice``, ``share``, ``render``) are imported inside the
functions that need them; everything cheap is imported here.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers import manifest, paths
from helpers.atomic import write_text_atomic
from helpers.calendar import meetings
from helpers.completeness import for_meeting, headline_from_summary
from helpers.errors import EXIT_OK, GaoqiError, InputError, RenderFailure, RunInProgress
from helpers.fingerprint import SUITE_KEY, fingerprint, fingerprint_id, kind
from helpers.meeting_files import briefing_path, meeting_dir, summary_path
from helpers.paths import plan_file
from helpers.runlock import run_lock
from helpers.share import check_publish_dir, outdated, publish
from helpers.targets import load_plan
from helpers.wording import say

if TYPE_CHECKING:
    from helpers.calendar import Meeting
    from helpers.targets import Plan

STATE_DIR = ".auto"
LOG_NAME = "auto.log"


# ---------------------------------------------------------------------------------------------- where things are
def state_path(meeting_id: str) -> Path:
    return paths.reports_dir() / STATE_DIR / f"{meeting_id}.json"


def log_path() -> Path:
    return paths.reports_dir() / LOG_NAME


# ---------------------------------------------------------------------------------------------- when
def window(plan: Plan, today: dt.date) -> list[Meeting]:
    """The meetings whose render window holds ``today``: after the cut-off, up to and including the meeting day."""

    return [m for m in meetings(plan) if m.cut_off < today <= m.date]


def upcoming(plan: Plan, today: dt.date) -> Meeting | None:
    """The next meeting whose window has not opened yet (its cut-off is today or later); None when none is left."""

    later = [m for m in meetings(plan) if m.cut_off >= today]
    return min(later, key=lambda m: m.cut_off) if later else None


# ---------------------------------------------------------------------------------------------- what changed
def changes(before: dict[str, str], now: dict[str, str], lang: str = "zh") -> list[str]:
    """What differs between two fingerprints, in words, each input named for what it is: the suite's version,
    a plan file, a return, the published figures, the ad-hoc meetings, a benchmark result, the notebook, another
    file (a README under ``data/raw`` is not a return)."""
    out = []
    if before.get(SUITE_KEY) != now.get(SUITE_KEY):
        out.append(say("auto.change.version", lang, old=before.get(SUITE_KEY, "?"), new=now.get(SUITE_KEY, "?")))
    for key in sorted(set(before) | set(now)):
        if key == SUITE_KEY or before.get(key) == now.get(key):
            continue
        how = ("auto.how.added" if key not in before else "auto.how.removed" if key not in now
               else "auto.how.changed")
        out.append(say(f"auto.change.{kind(key)}", lang, path=key, how=say(how, lang)))
    return out


# ---------------------------------------------------------------------------------------------- state
def read_state(meeting_id: str) -> dict[str, Any] | None:
    try:
        return json.loads(state_path(meeting_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_state(meeting_id: str, state: dict[str, Any]) -> None:
    write_text_atomic(state_path(meeting_id), json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))


@dataclass(frozen=True)
class Due:
    """What today's run owes one meeting in its window."""

    meeting: Meeting
    render: bool
    reasons: tuple[str, ...]
    publish: bool


def due(meeting: Meeting, inputs: dict[str, str], state: dict[str, Any] | None, target: Path | None,
        lang: str = "zh") -> Due:
    """Whether ``meeting`` needs a render (and why) and whether the shared folder needs its current version (not
    yet published from these inputs, or its shared copy differs from the folder in ``reports/``: a page or PDF
    rendered by hand since is published the next day)."""
    root = paths.project_root()
    if state is None or not state.get("files"):
        reasons = (say("auto.reason.first", lang),)
    elif not all((root / f).is_file() for f in state["files"]):
        reasons = (say("auto.reason.briefing_gone", lang),)
    else:
        reasons = tuple(changes(state.get("inputs", {}), inputs, lang))
    render = bool(reasons)
    publish = False
    if target is not None:
        published = (state or {}).get("published", {}).get(str(target))
        publish = (render or published != fingerprint_id(inputs)
                   or outdated(paths.reports_dir() / meeting.id, target / meeting.id))
    return Due(meeting, render, reasons, publish)


# ---------------------------------------------------------------------------------------------- the run
@dataclass
class Outcome:
    """What a run did: ``action`` (outside, ended, idle, rendered, published), its exit code and sentences."""

    action: str
    exit_code: int = EXIT_OK
    lines: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)


def parse_day(text: str | dt.date | None, lang: str = "zh") -> dt.date:
    if text is None:
        return dt.date.today()
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(say("cli.error.today", lang, value=text)) from None


def append_log(today: str, exit_code: int, seconds: float, action: str, detail: str) -> None:
    """One line per run, tab-separated: time, today, exit code, seconds, action, detail."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    detail = " | ".join(x.strip() for x in str(detail).splitlines() if x.strip())
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"{now}\ttoday={today}\texit={exit_code}\t{seconds:.1f}s\t{action}\t{detail}\n")


def run(today: str | dt.date | None = None, *, publish_dir: Path | None = None, lang: str = "zh",
        wait: float = 0.0, say_line: Callable[[str], None] | None = None, console=None) -> Outcome:
    """One daily run (see the module's docstring). Logs one line whatever happens; errors propagate with their
    exit code after being logged."""
    started = time.perf_counter()
    tell = say_line or (lambda _line: None)
    day_text = str(today) if today is not None else dt.date.today().isoformat()
    try:
        outcome = _run(parse_day(today, lang if lang in ("zh", "en") else "zh"), publish_dir, lang, wait, tell,
                       console)
    except GaoqiError as exc:
        action = ("busy" if isinstance(exc, RunInProgress) else "failed" if isinstance(exc, RenderFailure)
                  else "bad-input")
        append_log(day_text, exc.exit_code, time.perf_counter() - started, action, str(exc))
        raise
    except BaseException as exc:
        append_log(day_text, 1, time.perf_counter() - started, "crashed", f"{type(exc).__name__}: {exc}")
        raise
    append_log(day_text, outcome.exit_code, time.perf_counter() - started, outcome.action, " ".join(outcome.lines))
    return outcome


def _run(day: dt.date, publish_dir: Path | None, lang: str, wait: float, tell: Callable[[str], None],
         console) -> Outcome:
    if lang not in ("zh", "en"):
        raise InputError(say("cli.error.lang", "zh", value=lang))
    plan = _plan()
    target = check_publish_dir(publish_dir, lang) if publish_dir is not None else None
    open_now = window(plan, day)
    if not open_now:
        return _outside(plan, day, lang, tell)

    inputs = fingerprint()
    dues = [due(m, inputs, read_state(m.id), target, lang) for m in open_now]
    if not any(d.render or d.publish for d in dues):
        outcome = Outcome("idle")
        for d in dues:
            _say(outcome, tell, _idle_line(d.meeting, read_state(d.meeting.id), lang))
        return outcome

    ids = " ".join(m.id for m in open_now)
    with run_lock(f"gaoqi auto {ids}", wait=wait, on_wait=tell, lang=lang):
        inputs = fingerprint()  # again, under the lock: another run may have rendered meanwhile
        outcome = Outcome("idle")
        for m in open_now:
            d = due(m, inputs, read_state(m.id), target, lang)
            if d.render:
                _render(plan, d, day, inputs, target, lang, tell, console, outcome)
            if target is not None and (d.render or d.publish):
                _publish(m.id, inputs, target, lang, tell, outcome)
            if not (d.render or d.publish):
                _say(outcome, tell, _idle_line(m, read_state(m.id), lang))
        outcome.action = "rendered" if outcome.rendered else "published" if outcome.published else "idle"
        return outcome


def _plan() -> Plan:
    """The plan, parsed once per version of its file within a process (parsing takes ~50 ms; a caller driving
    many days, like the tests through a whole plan period, would spend most of its time there)."""

    try:
        path = plan_file()
    except FileNotFoundError as exc:
        raise InputError(str(exc)) from None
    st = path.stat()
    return _parsed_plan(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)
def _parsed_plan(path: Path, mtime_ns: int, size: int) -> Plan:

    return load_plan(path)


def _say(outcome: Outcome, tell: Callable[[str], None], line: str) -> None:
    outcome.lines.append(line)
    tell(line)


def _outside(plan: Plan, day: dt.date, lang: str, tell: Callable[[str], None]) -> Outcome:
    nxt = upcoming(plan, day)
    if nxt is None:
        outcome = Outcome("ended")
        _say(outcome, tell, say("auto.ended", lang, today=day.isoformat(), last=plan.last_meeting))
        return outcome
    outcome = Outcome("outside")
    _say(outcome, tell, say("auto.outside", lang, today=day.isoformat(), meeting=nxt.id,
                            cut_off=nxt.cut_off.isoformat(), date=nxt.date.isoformat(),
                            start=(nxt.cut_off + dt.timedelta(days=1)).isoformat()))
    return outcome


def _idle_line(meeting: Meeting, state: dict[str, Any] | None, lang: str) -> str:
    state = state or {}
    done = say("auto.idle", lang, meeting=meeting.id, rendered=str(state.get("rendered_at", "?"))[:16],
               date=meeting.date.isoformat())
    if state.get("completeness"):
        done += " " + headline_from_summary(state["completeness"], lang)
    return done


def _render(plan: Plan, d: Due, day: dt.date, inputs: dict[str, str], target: Path | None, lang: str,
            tell: Callable[[str], None], console, outcome: Outcome) -> None:
    # here for start-up speed: the notice and the renderer load pandas, papermill and nbconvert, which the idle
    # day (the usual day) never needs
    from helpers import notice
    from helpers import render as rendering

    m = d.meeting
    _say(outcome, tell, say("auto.rendering", lang, meeting=m.id, cut_off=m.cut_off.isoformat(),
                            reasons="; ".join(d.reasons[:4]) + ("…" if len(d.reasons) > 4 else "")))
    made: dict[str, Any] = {}

    def notices(results, data):  # under the render's lock, before its one index, which links them
        langs = list(next((r.langs for r in results if r.meeting == m.id and r.langs), ("zh",)))
        report = for_meeting(plan, m, data)  # from the data the render read, not read again
        for notice_lang in langs:  # a notice per page, each naming its page
            notice.write_for_meeting(m.id, completeness=report.summary(), lang=notice_lang,
                                     location=str(target) if target else None, index=False)
        made.update(langs=langs, report=report)
        return {(plan.id, m.id): report}

    # the Chinese page; the render refreshes the English page and the PDFs the folder held (helpers.render.run)
    rendering.render_meetings([m.id], lang="zh", console=console, before_index=notices)
    langs, report = made["langs"], made["report"]
    summary = report.summary()
    state = read_state(m.id) or {}
    folder = meeting_dir(m.id)
    fresh = manifest.fresh_files(folder)
    made = [folder / n for n in fresh] if fresh else [briefing_path(m.id), summary_path(m.id)]
    recorded = manifest.read(folder)
    state.update({"meeting": m.id, "inputs": inputs, "files": [_rel(f) for f in made],
                  "fingerprint": recorded.inputs if recorded is not None else fingerprint_id(inputs),
                  "rendered_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                  "today": day.isoformat(), "langs": langs, "completeness": summary})
    state.setdefault("published", {})
    write_state(m.id, state)
    outcome.rendered.append(m.id)
    _say(outcome, tell, say("auto.rendered", lang, meeting=m.id, path=str(briefing_path(m.id))))
    for line in report.lines(lang):
        _say(outcome, tell, line)


def _rel(path: Path) -> str:
    """A path relative to the project root, as stored in the state (the tree may move; GAOQI_ROOT decides)."""
    return Path(path).resolve().relative_to(paths.project_root()).as_posix()


def _publish(meeting_id: str, inputs: dict[str, str], target: Path, lang: str, tell: Callable[[str], None],
             outcome: Outcome) -> None:
    publish([meeting_id], target)
    state = read_state(meeting_id) or {"meeting": meeting_id}
    state.setdefault("published", {})[str(target)] = fingerprint_id(inputs)
    write_state(meeting_id, state)
    outcome.published.append(meeting_id)
    _say(outcome, tell, say("auto.published", lang, meeting=meeting_id, target=str(target)))
