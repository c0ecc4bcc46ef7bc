"""What a render reads is declared: the stored benchmark results the page's method notes quote are an input of
the briefing, fingerprinted like the returns, so a bench run that changes them makes the rendered meeting stale.

Why: the briefing quotes ``bench/results/worlds.json`` (and ``annual.json``, ``replay.json``) at render time
(``helpers.briefing.bench``). If the file were read without being an input, a page would keep quoting the old
accuracy after a bench run, its English copy and PDF would count as fresh, and ``gaoqi auto`` would never render
again to catch up.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import manifest
from helpers.auto import changes
from helpers.briefing.bench import benchmark_result
from helpers.fingerprint import current_id, fingerprint, kind
from helpers.meeting_files import briefing_path, meeting_dir
from helpers.render.run import refresh_jobs

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"
WORLDS = "bench/results/worlds.json"


def _worlds_in(root: Path) -> Path:
    """The tree's own copy of the stored world scores (the file a render of that tree quotes)."""
    f = root / WORLDS
    f.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(RESULTS / "worlds.json", f)
    return f


def _rescored(f: Path) -> None:
    """What a new bench run does to the file: other scores."""
    worlds = json.loads(f.read_text(encoding="utf-8"))
    worlds["scores"]["all"]["brier"] = worlds["scores"]["all"]["brier"] + 0.05
    f.write_text(json.dumps(worlds, ensure_ascii=False, indent=2), encoding="utf-8")


def test_the_world_scores_the_page_quotes_are_an_input_of_every_briefing(project_copy):
    f = _worlds_in(project_copy)

    inputs = fingerprint()

    assert WORLDS in inputs and kind(WORLDS) == "benchmark"
    assert benchmark_result("worlds") == json.loads(f.read_text(encoding="utf-8"))  # the same file is quoted


def test_new_world_scores_change_the_fingerprint_and_are_named_as_the_change(project_copy):
    f = _worlds_in(project_copy)
    before = fingerprint()

    _rescored(f)

    assert fingerprint()[WORLDS] != before[WORLDS]
    assert changes(before, fingerprint(), "en") == [f"benchmark result quoted by the briefing {WORLDS} changed"]


def test_a_briefing_rendered_before_new_world_scores_is_stale(project_copy):
    f = _worlds_in(project_copy)
    folder = meeting_dir("2024-09")
    folder.mkdir(parents=True)
    made = manifest.new("2024-09", current_id())
    for lang in ("zh", "en"):
        briefing_path("2024-09", lang).write_text("<html></html>", encoding="utf-8")
        made.stamp(briefing_path("2024-09", lang).name, lang)
    manifest.write(folder, made)
    assert refresh_jobs("2024-09", "zh", False, current_id()) == (("zh", False),)  # the English page is fresh

    _rescored(f)

    assert refresh_jobs("2024-09", "zh", False, current_id()) == (("zh", False), ("en", False))
