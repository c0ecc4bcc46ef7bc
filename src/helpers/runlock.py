"""The tree's run lock: one clean, render, publish or ``gaoqi auto`` run at a time on a project tree.

Why: the scheduled run and a person at the keyboard can start together; without a lock one of them dies halfway
through swapping ``reports/<meeting>`` or replacing ``data/processed``. The lock is an OS file lock
(``filelock``), so it is released when its process dies, however it dies; beside it a small JSON note says who
holds it (pid, command, since when) so the second run can say so instead of failing obscurely.

The lock is re-entrant within a process: ``render`` holds it and calls ``clean``, which takes it again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from helpers import paths
from helpers.errors import RunInProgress
from helpers.wording import say

LOCK_NAME = ".gaoqi-run.lock"
HOLDER_NAME = ".gaoqi-run.holder.json"

_held: dict[Path, int] = {}  # lock path -> depth in this process


def lock_path(root: Path | None = None) -> Path:
    """Where the lock of a project tree lives (its root; ``GAOQI_ROOT`` decides the tree)."""
    return (root or paths.project_root()) / LOCK_NAME


def holder(root: Path | None = None) -> dict | None:
    """Who holds the lock now, as written by the holder (pid, command, since), or None if nobody does."""
    note = lock_path(root).with_name(HOLDER_NAME)
    try:
        return json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _holder_soon(root: Path | None, patience: float = 3.0) -> dict | None:
    """The holder's note, waiting briefly for it: a run that has just taken the lock writes it a moment later."""
    deadline = time.monotonic() + patience
    info = holder(root)
    while info is None and time.monotonic() < deadline:
        time.sleep(0.05)
        info = holder(root)
    return info


def _holder_text(info: dict | None, lang: str) -> str:
    if not info:
        return say("cli.lock.unknown", lang)
    return say("cli.lock.holder", lang, pid=info.get("pid", "?"), since=info.get("since", "?"),
               command=info.get("command", "gaoqi"))


def _busy_message(info: dict | None, lang: str = "zh") -> str:
    return say("cli.lock.busy", lang, holder=_holder_text(info, lang))


@contextmanager
def run_lock(what: str, *, wait: float = 0.0, root: Path | None = None,
             on_wait: Callable[[str], None] | None = None, lang: str = "zh") -> Iterator[None]:
    """Hold the tree's run lock for ``what`` (e.g. "render 2024-09").

    ``wait`` is how many seconds to wait for another run to finish (0: do not wait). If the lock cannot be had,
    raises :class:`RunInProgress` (exit 3) naming the holder. ``on_wait`` is told once, with a sentence naming
    the holder, when this run has to wait. Messages are in ``lang`` (the office's Chinese by default).
    """
    path = lock_path(root)
    key = path.resolve() if path.parent.exists() else path
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if wait <= 0:
            raise RunInProgress(_busy_message(_holder_soon(root), lang)) from None
        if on_wait:
            on_wait(say("run.busy_waiting", lang, holder=_holder_text(_holder_soon(root), lang)))
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise RunInProgress(_busy_message(_holder_soon(root), lang)) from None
    note = path.with_name(HOLDER_NAME)
    info = {"pid": os.getpid(), "command": what,
            "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "argv": " ".join(sys.argv[:4])}
    tmp = note.with_name(f".{note.name}.{os.getpid()}.{time.monotonic_ns()}")
    tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, note)
    _held[key] = 1
    try:
        yield
    finally:
        _held[key] = 0
        with suppress(OSError):
            note.unlink()
        lock.release()
