"""Issue 9: a full render of the second plan gives the right numbers. The fictional Dongbin district (plan, region,
vocabulary and returns of tests/fixtures/plans/dongbin) replaces Haimen's in a project copy; one meeting is
rendered end to end (clean, notebook 03 through papermill, page, xlsx, index) and every output carries the numbers
its returns imply and every target under the district's own labels."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import openpyxl
import pytest
from conftest import copy_project

pytestmark = pytest.mark.slow

MEETING = "2025-10"
#: what the fixture's returns imply at the 2025-10 meeting (tests/fixtures/plans/dongbin/README.md)
EXPECTED = {  # id: (latest value, target, latest date)
    "高企存量": (36, 60, "2025-09-30"),
    "产值比重": (39.0, 40, "2025-08-31"),
    "科创项目": (8, 20, "2025-06-30"),
    "贷款余额": (2.05, 2, "2025-06-30"),
    "成长企业.雏鹰": (2, 6, "2025-06-30"),
    "成长企业.瞪羚": (0, 2, "2025-06-30"),
}
HAIMEN_WORDS = ("海门", "Haimen", "开发区", "临江新区", "三厂")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from helpers.render import render_meetings

    root = copy_project(tmp_path_factory.mktemp("dongbin-render") / "project", "dongbin")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAOQI_ROOT", str(root))
        render_meetings([MEETING], jobs=1)
        from helpers.targets import load_plan

        plan = load_plan()
    yield root, plan


def _summary(root: Path) -> dict:
    return json.loads((root / "reports" / MEETING / f"summary-{MEETING}.json").read_text(encoding="utf-8"))


def test_the_summary_gives_the_numbers_the_returns_imply(rendered):
    root, _ = rendered
    summary = _summary(root)
    assert summary["plan"] == "dongbin-2025-2027" and summary["as_of"] == "2025-09-30"
    got = {t["id"]: (t["latest_value"], t["target"], t["latest_date"]) for t in summary["targets"]}
    assert list(got) == list(EXPECTED)
    for target_id, (value, target, date) in EXPECTED.items():
        assert got[target_id][0] == pytest.approx(value), target_id
        assert got[target_id][1:] == (target, date), target_id


def test_the_summary_scores_every_target_with_a_status_and_probability(rendered):
    for t in _summary(rendered[0])["targets"]:
        assert t["status"] not in ("no_data", "") and 0 <= t["p_reach"] <= 1, t["id"]


def test_the_page_carries_every_target_and_unit_under_the_districts_own_labels(rendered):
    root, plan = rendered
    page = html.unescape((root / "reports" / MEETING / f"briefing-{MEETING}.html").read_text(encoding="utf-8"))
    for t in _summary(root)["targets"]:
        assert t["name_zh"] in page, t["id"]
    for unit in plan.region.units:
        assert unit.name_zh in page, unit.code
    assert plan.title_zh in page
    assert not [w for w in HAIMEN_WORDS if w in page]


def test_the_xlsx_lists_every_target_by_its_own_id_and_name(rendered):
    root, _ = rendered
    book = openpyxl.load_workbook(root / "reports" / MEETING / f"briefing-{MEETING}.xlsx", data_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    name_col, id_col = header.index("指标"), header.index("目标编号")
    listed = {r[id_col]: r[name_col] for r in rows[1:] if r[id_col]}
    assert listed == {t["id"]: t["name_zh"] for t in _summary(root)["targets"]}
    words = " ".join(str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r if c)
    assert not [w for w in HAIMEN_WORDS if w in words]


def test_the_index_shows_the_districts_plan_and_every_headline_target(rendered):
    root, plan = rendered
    index = html.unescape((root / "reports" / "index.html").read_text(encoding="utf-8"))
    assert plan.title_zh in index and f'href="{MEETING}/briefing-{MEETING}.html"' in index
    for t in _summary(root)["targets"]:
        if t["headline"]:
            assert f'title="{t["name_zh"]}"' in index, t["id"]
    assert not [w for w in HAIMEN_WORDS if w in index]


def test_the_active_region_outside_the_render_is_haimens_again(rendered):
    from helpers.towns import TOWNS

    assert os.environ.get("GAOQI_ROOT") != str(rendered[0]) and "kfq" in TOWNS
