"""Another district's plan of another shape (tests/fixtures/plans/xilan): five units, meetings in January and July,
a more_than headline stock, a profit share set for every year, a coverage and a milestone due before the plan's
end, certificates of another province, a register younger than three years. A new user's whole path - clean,
calendar, render from another working directory - works for it and nothing of Haimen's reaches its pages."""

from __future__ import annotations

import html
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from helpers.calendar import meeting, meetings
from helpers.forecast import attain_all
from helpers.targets import load_plan
from helpers.vintage import as_of

GAOQI = Path(sys.executable).parent / "gaoqi"
N = 400
#: Haimen's name, headline figures, towns, meeting months and plan years: none belongs on Xilan's pages
HAIMEN = ("海门", "Haimen", "南通", "Nantong", "开发区", "临江", "三厂", "三星", "常乐", "悦来", "四甲", "正余", "余东",
          "海永", "中心镇", "Development Zone", "Linjiang", "Sanchang", "Changle", "Yuelai", "Haiyong", "400 firms",
          "400家", "48.0%", "54.0%", "March", "September", "3月", "9月", "2022-2024", "2022–2024")


@pytest.fixture(scope="module")
def xilan(tmp_path_factory):
    """Xilan's cleaned data and plan, active through GAOQI_ROOT for the module only."""
    from helpers.clean import build

    root = copy_project(tmp_path_factory.mktemp("xilan") / "project", "xilan")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAOQI_ROOT", str(root))
        data = build(root / "data" / "raw")[0]
        yield root, load_plan(), data


def _scored(xilan, meeting_id: str):
    _, plan, data = xilan
    m = meeting(plan, meeting_id)
    return {a.id: a for a in attain_all(as_of(data, m.cut_off), plan, m, n_sims=N)}


def test_the_plans_meetings_are_in_january_and_july_with_their_cut_offs(xilan):
    _, plan, _ = xilan
    listed = [(m.id, m.cut_off.isoformat()) for m in meetings(plan)]
    assert listed == [("2025-07", "2025-06-30"), ("2026-01", "2025-12-31"), ("2026-07", "2026-06-30"),
                      ("2027-01", "2026-12-31"), ("2027-07", "2027-06-30"), ("2028-01", "2027-12-31")]


def test_the_valid_firm_count_is_forecast_before_the_register_holds_three_complete_years(xilan):
    firms = next(a for a in _scored(xilan, "2025-07").values() if a.measure == "register_valid_stock")
    assert firms.latest_value == 33 and firms.status in ("on_track", "at_risk", "off_track")


def test_a_flow_with_one_full_year_of_returns_gets_a_finite_forecast(xilan):
    flows = [a for a in _scored(xilan, "2025-07").values() if a.measure == "task_flow"]
    assert len(flows) == 2
    for a in flows:  # 2024 is the one full year known at the cut-off 2025-06-30
        assert math.isfinite(a.forecast_point) and 0 < a.p_reach < 1, a.id


def test_certificate_numbers_of_another_province_are_not_flagged(xilan):
    _, _, data = xilan
    assert "cert_no_format" not in set(data.quality["check"])


def test_every_target_is_scored_with_the_numbers_the_returns_imply(xilan):
    _, plan, _ = xilan
    scored = _scored(xilan, "2026-07")
    assert list(scored) == [t.id for t in plan.scored]
    latest = {plan.target(i).measure + ":" + ",".join(plan.target(i).series): a.latest_value for i, a in scored.items()}
    assert latest == {"register_valid_stock:": 39, "ytd_ratio:": pytest.approx(35.0), "task_flow:tech_sme": 62,
                      "town_growth:pan_tech_firms": pytest.approx(10.0), "task_flow:projects": 25,
                      "coverage:patent_apply_coverage": 47.0, "milestone:incubation_chain_links": 0}


# ---------------------------------------------------------------------------------------------- a new user's path

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """`gaoqi clean` and `gaoqi render --meeting 2026-07` (zh and en) run as a person would, from another folder."""
    root = copy_project(tmp_path_factory.mktemp("xilan-cli") / "project", "xilan")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    env = {**os.environ, "GAOQI_ROOT": str(root)}
    for args in (["clean"], ["render", "--meeting", "2026-07"], ["render", "--meeting", "2026-07", "--lang", "en"]):
        done = subprocess.run([str(GAOQI), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return root, load_plan(root / "data" / "raw" / "plan" / "xilan-2025-2027.yaml")


def _visible(path: Path) -> str:
    """What a reader sees: the page's text and the JSON of its charts (titles, labels, hover text)."""
    s = path.read_text(encoding="utf-8")
    charts = " ".join(re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', s, flags=re.S))
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", s, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text)) + " " + charts


@pytest.mark.slow
@pytest.mark.parametrize("name", ["briefing-2026-07.html", "briefing-2026-07.en.html", "notice-2026-07.txt",
                                  "summary-2026-07.json"])
def test_nothing_of_haimen_reaches_the_other_districts_outputs(rendered, name):
    root, _ = rendered
    path = root / "reports" / "2026-07" / name
    text = _visible(path) if name.endswith(".html") else path.read_text(encoding="utf-8")
    assert [w for w in HAIMEN if w in text] == []


@pytest.mark.slow
def test_the_index_names_no_haimen_figure_or_place(rendered):
    root, _ = rendered
    text = _visible(root / "reports" / "index.html")
    assert [w for w in HAIMEN if w in text] == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_target_and_unit_appears_on_the_page(rendered, lang):
    root, plan = rendered
    page = _visible(root / "reports" / "2026-07" / ("briefing-2026-07.html" if lang == "zh" else
                                                    "briefing-2026-07.en.html"))
    missing = [t.name(lang) for t in plan.scored if t.name(lang) not in page]
    missing += [u.name_zh if lang == "zh" else u.name_en for u in plan.region.units
                if (u.name_zh if lang == "zh" else u.name_en) not in page]
    assert missing == []


@pytest.mark.slow
def test_the_summary_scores_every_target_with_a_status(rendered):
    root, plan = rendered
    summary = json.loads((root / "reports" / "2026-07" / "summary-2026-07.json").read_text(encoding="utf-8"))
    assert summary["plan"] == plan.id and summary["as_of"] == "2026-06-30"
    assert [t["id"] for t in summary["targets"]] == [t.id for t in plan.scored]
    assert all(t["status"] in ("on_track", "at_risk", "off_track") for t in summary["targets"])


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_method_notes_repeat_the_regions_group_reading(rendered, lang):
    root, plan = rendered
    group = plan.region.groups[0]
    page = _visible(root / "reports" / "2026-07" / ("briefing-2026-07.html" if lang == "zh" else
                                                    "briefing-2026-07.en.html"))
    assert (group.reading_zh if lang == "zh" else group.reading_en) in page
