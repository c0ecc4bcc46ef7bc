"""The tree's run lock: a second run on the same tree stops with exit code 3 and names the holder."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from helpers.errors import RunInProgress
from helpers.runlock import holder, run_lock

HOLD = """
import sys, time
from pathlib import Path
from helpers.runlock import run_lock
with run_lock("render 2024-09", root=Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(root, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(root), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_stops_naming_the_holders_pid_and_command(tmp_path):
    proc = _hold(tmp_path, 5)
    try:
        expected = rf"另一运行正在进行（进程 {proc.pid}，自 .* 起，render 2024-09）"
        with pytest.raises(RunInProgress, match=expected), run_lock("clean", root=tmp_path):
            pass
        assert RunInProgress.exit_code == 3
    finally:
        proc.kill()
        proc.wait()


def test_a_waiting_run_proceeds_once_the_holder_finishes(tmp_path):
    proc = _hold(tmp_path, 0.5)
    told = []
    started = time.monotonic()
    with run_lock("clean", root=tmp_path, wait=30, on_wait=told.append):
        assert holder(tmp_path)["command"] == "clean"
    proc.wait()
    assert told and "等待其结束" in told[0]
    assert time.monotonic() - started < 30


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    proc = _hold(tmp_path, 60)
    proc.kill()
    proc.wait()
    with run_lock("render", root=tmp_path):
        pass
    assert holder(tmp_path) is None


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    with run_lock("render", root=tmp_path), run_lock("clean", root=tmp_path):
        assert holder(tmp_path)["command"] == "render"


def test_a_run_that_just_took_the_lock_is_still_named_once_its_note_appears(tmp_path):
    import json
    import threading

    from filelock import FileLock

    from helpers.runlock import HOLDER_NAME, lock_path

    taken = FileLock(str(lock_path(tmp_path)))
    taken.acquire()  # the lock is held, but its holder has not written its note yet
    note = {"pid": 4242, "command": "render 2024-09", "since": "2026-11-30T04:00:00+00:00"}
    later = threading.Timer(0.3, lambda: (tmp_path / HOLDER_NAME).write_text(json.dumps(note), encoding="utf-8"))
    later.start()
    try:
        with pytest.raises(RunInProgress, match=r"进程 4242，自 2026-11-30T04:00:00\+00:00 起，render 2024-09"), \
                run_lock("clean", root=tmp_path):
            pass
    finally:
        later.join()
        taken.release()
