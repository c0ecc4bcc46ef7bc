"""Two `gaoqi render` runs on one tree at once (the scheduled run and a person at the keyboard): one publishes,
the other stops with exit 3 naming the holder, or waits with --wait. No traceback, no half-swapped folder, nothing
left in reports/.scratch/. Real processes running the real command on a copy of the project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project

GAOQI = str(Path(sys.executable).parent / "gaoqi")
MEETING = "2024-09"
BUSY = re.compile(r"另一运行正在进行（进程 \d+，自 \d{4}-\d\d-\d\dT[\d:]+[+-][\d:]+ 起，render 2024-09")

pytestmark = pytest.mark.slow


def _start(root: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "GAOQI_ROOT": str(root), "COLUMNS": "200"}
    return subprocess.Popen([GAOQI, "render", "--meeting", MEETING, *extra], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out + err


def _assert_tidy(root: Path) -> None:
    reports = root / "reports"
    assert (reports / MEETING / f"briefing-{MEETING}.html").stat().st_size > 100_000
    assert (reports / MEETING / f"summary-{MEETING}.json").exists()
    assert not (reports / ".scratch").exists() or list((reports / ".scratch").iterdir()) == []
    assert [p.name for p in reports.glob(".*.old-*")] == []
    assert not (root / ".gaoqi-run.holder.json").exists()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_two_renders_started_together_one_publishes_and_the_other_stops_with_exit_3(project):
    first, second = _start(project), _start(project)
    results = sorted([_finish(first), _finish(second)])
    (ok_code, ok_text), (busy_code, busy_text) = results
    assert (ok_code, busy_code) == (0, 3), results
    assert BUSY.search(busy_text), busy_text
    assert "Traceback" not in ok_text + busy_text
    _assert_tidy(project)


def test_a_render_started_while_another_is_rendering_stops_and_the_first_still_publishes(project):
    first = _start(project)
    scratch = project / "reports" / ".scratch"
    deadline = time.monotonic() + 300
    while not (scratch.exists() and any(scratch.iterdir())):  # the first run is executing its notebook
        assert first.poll() is None and time.monotonic() < deadline, _finish(first)
        time.sleep(0.05)
    code, text = _finish(_start(project))
    assert code == 3 and BUSY.search(text) and "Traceback" not in text, text
    code, text = _finish(first)
    assert code == 0 and "Traceback" not in text, text
    _assert_tidy(project)


def test_with_wait_the_second_render_says_it_waits_then_publishes_too(project):
    first = _start(project)
    time.sleep(1.0)
    second = _start(project, "--wait", "600")
    (code1, text1), (code2, text2) = _finish(first), _finish(second)
    assert (code1, code2) == (0, 0), (text1, text2)
    assert "等待其结束" in text2 and "另一运行正在进行（进程" in text2
    assert "Traceback" not in text1 + text2
    _assert_tidy(project)


def test_a_killed_render_leaves_nothing_behind_once_the_next_run_has_finished(project):
    first = _start(project)
    scratch = project / "reports" / ".scratch"
    deadline = time.monotonic() + 300
    while not (scratch.exists() and any(scratch.iterdir())):
        assert first.poll() is None and time.monotonic() < deadline, _finish(first)
        time.sleep(0.05)
    first.kill()
    first.communicate()
    code, text = _finish(_start(project))
    assert code == 0 and "Traceback" not in text, text
    _assert_tidy(project)
