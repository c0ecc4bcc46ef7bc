"""Benchmark: how long an idle `gaoqi auto` takes (issue 10: "with nothing changed it exits 0 in about a second").

On a throw-away copy of the project: one real render of 2024-09 on its first window day, then repeated runs of the
`gaoqi auto` command on the following days (nothing changed: idle) and outside the windows, each timed from
process start to exit, as a scheduler sees it. Goal: the median idle run ≤ 1.5 s on this machine. Results:
reports/bench/auto.json and .md.

Run: .venv/bin/python bench/auto.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import paths

GOAL_SECONDS = 1.5
REPEATS = 7
GAOQI = Path(sys.executable).parent / "gaoqi"


def _copy_project(root: Path) -> Path:
    source = paths.project_root()
    shutil.copytree(source / "data" / "raw", root / "data" / "raw")
    shutil.copytree(source / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
    return root


def _run(root: Path, day: str) -> tuple[float, int]:
    env = {**os.environ, "GAOQI_ROOT": str(root)}
    started = time.perf_counter()
    proc = subprocess.run([str(GAOQI), "auto", "--today", day], env=env, capture_output=True, text=True)
    return time.perf_counter() - started, proc.returncode


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="gaoqi-bench-auto-") as tmp:
        root = _copy_project(Path(tmp) / "project")
        render_s, code = _run(root, "2024-09-01")
        if code != 0:
            print(f"the first render failed (exit {code})")
            return 1
        idle = [_run(root, "2024-09-02") for _ in range(REPEATS)]
        outside = [_run(root, "2024-05-20") for _ in range(REPEATS)]
        actions = [line.split("\t")[4] for line in (root / "reports" / "auto.log").read_text().splitlines()]
    if any(c != 0 for _, c in idle + outside) or actions.count("idle") != REPEATS:
        print(f"unexpected outcome: {actions}")
        return 1
    result = {
        "render_first_day_s": round(render_s, 2),
        "idle_median_s": round(statistics.median(s for s, _ in idle), 3),
        "idle_max_s": round(max(s for s, _ in idle), 3),
        "outside_median_s": round(statistics.median(s for s, _ in outside), 3),
        "repeats": REPEATS,
        "goal_idle_s": GOAL_SECONDS,
    }
    result["goal_met"] = result["idle_median_s"] <= GOAL_SECONDS
    out = paths.reports_dir() / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "auto.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "auto.md").write_text(
        "| run | seconds |\n|---|---|\n"
        f"| first day: render 2024-09 | {result['render_first_day_s']} |\n"
        f"| idle day, median of {REPEATS} (max) | {result['idle_median_s']} ({result['idle_max_s']}) |\n"
        f"| outside the windows, median | {result['outside_median_s']} |\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
