"""The shipped synthetic sample is one district's (``helpers.sample.REGION``): its towns, file names, README and the
replay measured on its story. Another district's page leaves out the figures measured on that sample (the
generic backtests stay), and `gaoqi sample` refuses to write that district's returns into another district's tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from helpers.briefing import Briefing, benchmark_notes, sections
from helpers.calendar import meeting
from helpers.targets import load_plan

GAOQI = Path(sys.executable).parent / "gaoqi"
#: the two sentences measured on the shipped sample's single story (bench/results/replay.json)
REPLAY = ("Sanity check on the sample's single story", "Valid-firm mean absolute error")
#: sentences measured on data of no district (real yearly sets, free synthetic worlds)
GENERIC = ("The annual ensemble", "free synthetic worlds")


def _notes(**kw) -> str:
    return " ".join(benchmark_notes("en", **kw)[1])


def test_the_sample_regions_synthetic_page_quotes_the_replay_of_the_shipped_story():
    notes = _notes(synthetic=True, region="haimen")
    assert [s for s in REPLAY + GENERIC if s not in notes] == []


def test_another_districts_page_leaves_out_the_figures_measured_on_the_shipped_sample():
    notes = _notes(synthetic=True, region="xilan")
    assert [s for s in REPLAY if s in notes] == []
    assert [s for s in GENERIC if s not in notes] == []


def test_the_method_notes_of_another_districts_briefing_quote_no_figure_of_the_shipped_sample(tmp_path, monkeypatch):
    from helpers.clean import build

    root = copy_project(tmp_path / "project", "xilan")
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    data = build(root / "data" / "raw")[0]
    assert data.synthetic  # the fixture's returns are synthetic too: that alone must not bring the replay in
    plan = load_plan()
    b = Briefing(plan=plan, meeting=meeting(plan, "2026-07"), lang="en", data=data, attainments=[])
    bench = " ".join(sections.method(b)["bench"])
    assert [s for s in REPLAY if s in bench] == [] and "free synthetic worlds" in bench


def test_gaoqi_sample_under_another_districts_plan_refuses_naming_the_region_and_writes_nothing(tmp_path):
    root = copy_project(tmp_path / "project", "xilan")
    kept = root / "data" / "raw" / "sample" / "SAMPLE_earlier.xlsx"
    kept.parent.mkdir()
    kept.write_bytes(b"an earlier file")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    done = subprocess.run([str(GAOQI), "sample"], env={**os.environ, "GAOQI_ROOT": str(root)}, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert "the active plan's region is Xilan District (fictional, for tests) (xilan, region-xilan.yaml)" in message
    assert "covers only the shipped sample's region (haimen)" in message and "Nothing was written" in message
    assert "Traceback" not in done.stderr
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert kept.read_bytes() == b"an earlier file"


def test_the_sample_is_still_written_for_the_sample_region(tmp_path):
    from helpers.sample import write_sample

    files = write_sample(tmp_path / "sample")  # the repository's own plan (Haimen's) is active
    assert any(f.name.startswith("SAMPLE_") for f in files) and (tmp_path / "sample" / "SYNTHETIC").exists()


def test_the_sample_module_does_not_depend_on_the_region_active_when_it_was_imported(tmp_path):
    """Imported while another district is active (as a render of that district may), it still writes the sample's
    own spellings once the sample's region is active again."""
    import importlib

    import helpers.sample

    root = copy_project(tmp_path / "project", "xilan")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAOQI_ROOT", str(root))
        importlib.reload(helpers.sample)
    helpers.sample.write_sample(tmp_path / "sample")
    text = (tmp_path / "sample" / "SAMPLE_规上工业统计_2019_旧系统导出.csv").read_bytes().decode("gbk")
    assert "海门开发区" in text and "临江新区" in text
