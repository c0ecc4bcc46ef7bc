"""Benchmark: one meeting's render against the floor, `--all` on both cores, and the size of every briefing.

Floor = papermill CLI on a one-cell notebook + nbconvert CLI to HTML, on this machine, in this run
(../shared/notes/rendering.md measured ≈ 5 s). Goals (issue 5): one meeting ≤ 1.5 × floor with cached clean
data; `--all` using both cores; every briefing ≤ 2.5 MB. Results: reports/bench/render.json and .md.

Run: .venv/bin/python bench/render.py  (or `make bench`)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from helpers import paths
from helpers.render import (
    KERNEL,
    briefing_path,
    covered_meetings,
    ensure_processed,
    render_meetings,
    render_one,
)

GOAL_RATIO = 1.5
GOAL_BYTES = 2.5 * 1024 * 1024
BIN = Path(sys.executable).parent


def floor_seconds(repeats: int = 2) -> float:
    """papermill CLI on an `x = 1` notebook plus the nbconvert CLI to HTML: the least a render can cost."""
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        nb = new_notebook(cells=[new_code_cell("x = 1")])
        nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": KERNEL, "language": "python"}
        src = Path(tmp) / "empty.ipynb"
        nbformat.write(nb, src)
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([str(BIN / "papermill"), str(src), str(Path(tmp) / "out.ipynb"), "-k", KERNEL,
                            "--no-progress-bar"], check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(Path(tmp) / "out.ipynb")],
                           check=True, capture_output=True)
            best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ensure_processed()
    floor = floor_seconds()
    meeting = "2024-09"
    render_one(meeting)  # warm caches (kernel spec lookup, compressed plotly.js) like a second run would
    one = min(render_one(meeting).seconds for _ in range(2))
    ids = covered_meetings()
    t0 = time.perf_counter()
    render_meetings(ids, jobs=1)
    serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_meetings(ids, jobs=2)
    parallel = time.perf_counter() - t0
    sizes = {m: briefing_path(m).stat().st_size for m in ids}
    result = {
        "cores": os.cpu_count(),
        "floor_s": round(floor, 2),
        "one_meeting_s": round(one, 2),
        "ratio_to_floor": round(one / floor, 2),
        "goal_ratio": GOAL_RATIO,
        "all_meetings": len(ids),
        "all_serial_s": round(serial, 2),
        "all_parallel_s": round(parallel, 2),
        "parallel_speedup": round(serial / parallel, 2),
        "html_bytes": sizes,
        "max_html_mb": round(max(sizes.values()) / 1024 / 1024, 2),
        "goal_html_mb": GOAL_BYTES / 1024 / 1024,
    }
    out = paths.reports_dir() / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "render.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    lines = [
        "| measure | value | goal |", "|---|---|---|",
        f"| floor (papermill CLI + nbconvert CLI) | {floor:.2f} s | |",
        f"| one meeting, cached clean data | {one:.2f} s ({one / floor:.2f} × floor) | ≤ {GOAL_RATIO} × floor |",
        f"| all {len(ids)} meetings, 1 job | {serial:.2f} s | |",
        f"| all {len(ids)} meetings, 2 jobs | {parallel:.2f} s (speed-up {serial / parallel:.2f}) | both cores |",
        f"| largest briefing | {result['max_html_mb']} MB | ≤ 2.5 MB |",
    ]
    (out / "render.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    ok = one <= GOAL_RATIO * floor and max(sizes.values()) <= GOAL_BYTES
    print("goals met" if ok else "goals NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
