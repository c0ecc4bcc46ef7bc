"""The one way a render reaches ``reports/``: an atomic swap under the tree's run lock (the names of a meeting's
folder and files are ``helpers.meeting_files``'s).

Why: a person reading ``reports/<meeting>/`` must never see half of a new briefing, and two runs on the same
tree (the scheduled one and a person at the keyboard) must never swap the same folder at once. So:
- everything a render writes goes to a scratch folder under ``reports/.scratch/`` first, removed whatever
  happens;
- the scratch folder replaces ``reports/<meeting>/`` in one rename (``processed.publish_dir``), while the run
  lock is held (``helpers.runlock``; re-entrant, so a run that already holds it simply continues);
- leftovers of a run that was killed (scratch folders, a folder moved aside mid-swap) are swept by the next run,
  under the lock, when nobody else can be using them; a finished run leaves ``reports/.scratch/`` empty;
- a published briefing is a record of what was said under the plan it was made for: a render under another plan
  (the next three-year plan whose calendar reuses a meeting id, say the old plan's final review ``2025-03``)
  never replaces it nor mixes its files into it (``check_same_plan``), it is refused before any work.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from helpers import manifest, paths
from helpers.atomic import make_shareable, publish_dir
from helpers.errors import InputError
from helpers.meeting_files import meeting_dir, summary_name, summary_path
from helpers.runlock import run_lock
from helpers.wording import say

SCRATCH = ".scratch"
FAILED = ".failed"


class OtherPlansBriefing(InputError):
    """``reports/<meeting>/`` holds the briefing of another plan: rendering this plan's meeting there would
    overwrite a record (exit 2, nothing touched)."""


def published_plan(meeting_id: str) -> str | None:
    """The plan id the published briefing of ``meeting_id`` was made for (its summary's ``plan``); ``None``
    when nothing is published there, or the summary names no plan."""
    return _plan_of(summary_path(meeting_id))


def _plan_of(summary_file: Path) -> str | None:
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    plan = summary.get("plan") if isinstance(summary, dict) else None
    return str(plan) if plan else None


def check_same_plan(meeting_id: str, plan_id: str) -> None:
    """Refuse to (re)publish ``meeting_id`` under ``plan_id`` when its published briefing belongs to another
    plan: a past briefing must stay as it was said, and one folder must not mix two plans' files."""
    other = published_plan(meeting_id)
    if other is not None and other != plan_id:
        raise OtherPlansBriefing(say("render.other_plans_briefing", "en", meeting=meeting_id, other=other,
                                     plan=plan_id, folder=meeting_dir(meeting_id)))


def scratch_root() -> Path:
    return paths.reports_dir() / SCRATCH


def new_scratch(meeting_id: str, lang: str) -> Path:
    """A fresh folder under ``reports/.scratch/`` for one render, on the same file system as
    ``reports/<meeting>/`` so that publishing it is a rename. Whoever makes one publishes or discards it."""
    root = scratch_root()
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{meeting_id}-{lang}-", dir=root))
    make_shareable(scratch)
    return scratch


def discard(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def scratch_dir(meeting_id: str, lang: str) -> Iterator[Path]:
    """``new_scratch`` for the length of a ``with`` block, gone on the way out whatever happens (once published
    it no longer exists and there is nothing to remove)."""
    scratch = new_scratch(meeting_id, lang)
    try:
        yield scratch
    finally:
        discard(scratch)


def sweep_stale() -> list[Path]:
    """Remove what killed runs left behind: scratch folders and published folders moved aside mid-swap.

    Call only while holding the run lock: then no other run can be using them. Returns what was removed.
    """
    reports = paths.reports_dir()
    if not reports.is_dir():
        return []
    stale = sorted(scratch_root().glob("*")) + sorted(p for p in reports.glob(".*.old-*") if p.is_dir())
    for p in stale:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    _remove_if_empty(scratch_root())
    return stale


def keep_failed(scratch: Path, meeting_id: str) -> Path:
    """Copy a failed render's scratch folder to ``reports/.failed/<meeting>/`` for inspection."""
    failed = paths.reports_dir() / FAILED / meeting_id
    if failed.exists():
        shutil.rmtree(failed)
    failed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(scratch, failed)
    return failed


def publish(scratch: Path, meeting_id: str) -> Path:
    """Make ``scratch`` the published ``reports/<meeting>/`` in one rename, under the run lock.

    Files of the published folder this render did not produce (the other language's page, a PDF) are carried
    over when they were made from the same inputs as the new files (their stamps in the manifests agree), never
    otherwise: a stale file does not outlive the render. ``scratch`` is consumed: published, or removed if
    publishing fails.
    """
    target = meeting_dir(meeting_id)
    try:
        with run_lock(f"publish {meeting_id}"):
            made_for = _plan_of(scratch / summary_name(meeting_id))
            if made_for is not None:  # the last guard: the renders check before any work
                check_same_plan(meeting_id, made_for)
            _carry_over(target, scratch)
            publish_dir(scratch, target)
    finally:
        discard(scratch)
    return target


def published_files(meeting_id: str) -> tuple[Path, ...]:
    return tuple(sorted(p for p in meeting_dir(meeting_id).iterdir() if p.is_file()))


def _carry_over(published: Path, scratch: Path) -> None:
    if not published.exists():
        return
    made = manifest.read(scratch)
    if made is None:  # not a stamped render: the folder's other files are carried as they are
        for f in published.iterdir():
            if f.is_file() and not (scratch / f.name).exists():
                shutil.copy2(f, scratch / f.name)
        return
    before = manifest.read(published)
    for name, entry in (before.files.items() if before is not None else ()):
        f = published / name
        if entry.get("inputs") == made.inputs and f.is_file() and name not in made.files:
            shutil.copy2(f, scratch / name)
            made.files[name] = dict(entry)
    manifest.write(scratch, made)


def _remove_if_empty(folder: Path) -> None:
    with suppress(OSError):  # not empty, or already gone
        folder.rmdir()
