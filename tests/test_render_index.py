"""reports/index.html: badges named by the plan's short names (never truncated), each meeting's completeness, ad-hoc
meetings marked 临时会议, each meeting's notice linked, and every briefing in reports/ listed under the plan it was
made for (after the bureau adopts its next plan, the ended plan's briefings stay reachable). Built on a copy of the
project with the sample cleaned into its data/processed and summaries of the shipped fixtures published into its
reports/."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

SUMMARY = FIXTURES / "summaries" / "summary-2024-09.json"
NEW_PLAN = FIXTURES / "plans" / "haimen-2025-2027" / "haimen-2025-2027.yaml"
OLD_ID, NEW_ID = "haimen-hightech-2022-2024", "haimen-hightech-2025-2027"
OLD_TITLE = "南通市海门区高新技术企业培育三年行动方案(2022-2024)"
NEW_TITLE = "南通市海门区高新技术企业培育三年行动方案(2025-2027)"


@pytest.fixture
def project(cleaned_project: Path) -> Path:
    return cleaned_project


def publish_summary(root: Path, meeting_id: str, plan_id: str | None = None, status: str | None = None) -> dict:
    """The fixture summary as ``meeting_id``'s, its headline targets renamed to the plan's headline ids; made for
    ``plan_id`` (default: the fixture's, the shipped plan) and with every headline ``status`` when given."""
    from helpers.targets import load_plan

    summary = json.loads(SUMMARY.read_text(encoding="utf-8"))
    headline_ids = iter(t.id for t in load_plan().scored if t.headline)
    for t in summary["targets"]:
        if t["headline"]:
            t["id"] = next(headline_ids)
            t["status"] = status or t["status"]
    summary["meeting"] = meeting_id
    summary["plan"] = plan_id or summary["plan"]
    folder = root / "reports" / meeting_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"summary-{meeting_id}.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    (folder / f"briefing-{meeting_id}.html").write_text("<html></html>", encoding="utf-8")
    return summary


def index_text() -> str:
    from helpers.render import write_index

    return html.unescape(write_index().read_text(encoding="utf-8"))


def row_of(index: str, meeting_id: str) -> str:
    match = re.search(rf'<tr data-meeting="{re.escape(meeting_id)}">(.*?)</tr>', index, re.S)
    assert match, f"no row for {meeting_id}"
    return match.group(1)


#: a badge's status and shown name ("有效高企：滞后": the name, then the Chinese colon, then the status)
BADGE = r'<span class="gq-badge ([a-z_]+)" title="[^"]+">([^：<]+)：'


def badges(row: str) -> list[tuple[str, str]]:
    """(title, shown name) of each badge of a row."""
    return re.findall(r'<span class="gq-badge [a-z_]+" title="([^"]+)">([^：<]+)：', row)


def test_badges_carry_the_short_names_of_the_plan_file(project):
    from helpers.targets import load_plan

    publish_summary(project, "2024-09")
    shown = badges(row_of(index_text(), "2024-09"))
    plan = load_plan()
    assert shown == [(t.name_zh, t.short_zh) for t in plan.scored if t.headline]
    assert ("有效高新技术企业数", "有效高企") in shown


def test_a_badge_without_a_short_name_shows_the_full_name_never_a_truncation(project):
    plan_file = project / "data" / "raw" / "plan" / "haimen-2022-2024.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("    short_zh: 高新产值占比\n", ""),
                         encoding="utf-8")
    publish_summary(project, "2024-09")
    shown = dict(badges(row_of(index_text(), "2024-09")))
    full = "高新技术产业产值占规模以上工业总产值比重"
    assert shown[full] == full


def test_each_meeting_row_states_the_completeness_of_its_returns(project):
    from helpers import paths
    from helpers.calendar import meeting
    from helpers.completeness import for_meeting
    from helpers.processed import load
    from helpers.targets import load_plan

    publish_summary(project, "2024-03")
    publish_summary(project, "2024-09")
    index = index_text()
    plan, data = load_plan(), load(paths.processed_dir())
    for m in ("2024-03", "2024-09"):
        expected = for_meeting(plan, meeting(plan, m), data).headline("zh")
        assert re.search(rf'<td data-gq="completeness"[^>]*>{re.escape(expected)}</td>', row_of(index, m))
        assert expected.startswith("数据")


def test_without_processed_data_the_completeness_is_unknown_not_an_error(project):
    shutil.rmtree(project / "data" / "processed")
    publish_summary(project, "2024-09")
    assert "未知（尚无清洗后的数据）" in row_of(index_text(), "2024-09")


def test_an_ad_hoc_meeting_is_labelled_as_one_and_a_regular_meeting_is_not(project):
    from helpers.calendar import ad_hoc_meeting, record_ad_hoc
    from helpers.targets import load_plan

    record_ad_hoc(load_plan(), ad_hoc_meeting(load_plan(), "2024-06-20"))
    publish_summary(project, "2024-06-20")
    publish_summary(project, "2024-09")
    index = index_text()
    assert '<span class="gq-kind" data-gq="ad-hoc">临时会议</span>' in row_of(index, "2024-06-20")
    assert "临时会议" not in row_of(index, "2024-09")


def test_the_notice_is_linked_once_it_is_written(project):
    from helpers.notice import write_for_meeting

    publish_summary(project, "2024-09")
    assert "notice-2024-09.txt" not in index_text()
    write_for_meeting("2024-09")
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert '<a href="2024-09/notice-2024-09.txt">notice-2024-09.txt</a>' in index


def test_an_ad_hoc_meetings_notice_is_written(project):
    from helpers.calendar import ad_hoc_meeting, record_ad_hoc
    from helpers.notice import write_for_meeting
    from helpers.targets import load_plan

    record_ad_hoc(load_plan(), ad_hoc_meeting(load_plan(), "2024-06-20"))
    publish_summary(project, "2024-06-20")
    path = write_for_meeting("2024-06-20")
    assert path.name == "notice-2024-06-20.txt" and "2024-06-20/briefing-2024-06-20.html" in path.read_text("utf-8")


def test_rendering_the_english_page_writes_an_english_notice_naming_it_and_the_index_links_it(project):
    from helpers.cli import _after_render

    publish_summary(project, "2024-09")
    _after_render({"2024-09": ("en",)}, None, "en")

    notice = project / "reports" / "2024-09" / "notice-2024-09.en.txt"
    assert notice.is_file() and "Open the briefing: 2024-09/briefing-2024-09.en.html" in notice.read_text("utf-8")
    assert not (project / "reports" / "2024-09" / "notice-2024-09.txt").exists()
    assert '<a href="2024-09/notice-2024-09.en.txt">notice-2024-09.en.txt</a>' in index_text()


def adopt_new_plan(root: Path, *, short_zh: str = "有效高企") -> None:
    """The next plan (2025-2027) beside the ended one, its first headline target's badge name ``short_zh``."""
    text = NEW_PLAN.read_text(encoding="utf-8").replace("short_zh: 有效高企\n", f"short_zh: {short_zh}\n", 1)
    (root / "data" / "raw" / "plan" / NEW_PLAN.name).write_text(text, encoding="utf-8")


def tables(index: str) -> list[tuple[str, list[str]]]:
    """(plan id, meeting ids in page order) of each table of the index, in page order."""
    found = re.findall(r'<table class="gq-table" data-gq="index" data-plan="([^"]+)">(.*?)</table>', index, re.S)
    return [(plan, re.findall(r'<tr data-meeting="([^"]+)">', body)) for plan, body in found]


def test_a_single_plans_index_is_one_table_under_the_plans_title(project):
    publish_summary(project, "2024-03")
    publish_summary(project, "2024-09")
    index = index_text()
    assert tables(index) == [(OLD_ID, ["2024-03", "2024-09"])]
    assert f"<h1>{OLD_TITLE}</h1>" in index and "<h2" not in index


def test_after_the_next_plan_is_adopted_the_ended_plans_briefings_are_still_listed(project):
    for m in ("2024-09", "2024-03", "2025-03"):
        publish_summary(project, m)
    adopt_new_plan(project)
    publish_summary(project, "2025-09", NEW_ID)
    index = index_text()
    assert tables(index) == [(NEW_ID, ["2025-09"]), (OLD_ID, ["2024-03", "2024-09", "2025-03"])]
    for m in ("2024-03", "2024-09", "2025-03"):
        assert f'<a href="{m}/briefing-{m}.html">briefing-{m}.html</a>' in row_of(index, m)


def test_each_ended_plans_group_is_titled_with_that_plans_title_under_the_active_plans(project):
    publish_summary(project, "2024-09")
    adopt_new_plan(project)
    publish_summary(project, "2025-09", NEW_ID)
    index = index_text()
    assert f"<h1>{NEW_TITLE}</h1>" in index
    assert f'<h2 data-plan="{OLD_ID}">{OLD_TITLE}</h2>' in index
    assert index.index(f'data-plan="{NEW_ID}"') < index.index(f"<h2 data-plan=\"{OLD_ID}\"") \
        < index.index('data-meeting="2024-09"')


def test_an_ended_plans_badges_are_its_own_briefings_never_recomputed_under_the_active_plan(project):
    old = publish_summary(project, "2025-03", status="missed")
    adopt_new_plan(project, short_zh="新有效高企")
    publish_summary(project, "2025-09", NEW_ID, status="on_track")
    index = index_text()
    old_badges = re.findall(BADGE, row_of(index, "2025-03"))
    new_badges = re.findall(BADGE, row_of(index, "2025-09"))
    assert [s for s, _ in old_badges] == [t["status"] for t in old["targets"] if t["headline"]] == ["missed"] * 3
    assert [n for _, n in old_badges][0] == "有效高企" and [n for _, n in new_badges][0] == "新有效高企"
    assert [s for s, _ in new_badges] == ["on_track"] * 3


def test_an_ended_plans_completeness_is_computed_under_its_own_plan(project):
    from helpers import paths
    from helpers.calendar import meeting
    from helpers.completeness import for_meeting
    from helpers.processed import load
    from helpers.targets import load_plan

    old_plan = load_plan()
    publish_summary(project, "2024-09")
    adopt_new_plan(project)
    expected = for_meeting(old_plan, meeting(old_plan, "2024-09"), load(paths.processed_dir())).headline("zh")
    assert re.search(rf'<td data-gq="completeness"[^>]*>{re.escape(expected)}</td>', row_of(index_text(), "2024-09"))


def test_a_briefing_whose_plan_file_is_gone_is_titled_and_badged_from_its_own_summary(project):
    summary = publish_summary(project, "2024-09")
    summary_file = project / "reports" / "2024-09" / "summary-2024-09.json"
    summary.update(plan_title_zh="某区旧行动方案(2019-2021)", plan_document_no="某政发〔2019〕1号",
                   plan="some-ended-plan")
    summary_file.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    index = index_text()
    assert tables(index) == [(OLD_ID, []), ("some-ended-plan", ["2024-09"])]
    assert '<h2 data-plan="some-ended-plan">某区旧行动方案(2019-2021)</h2>' in index and "某政发〔2019〕1号" in index
    row = row_of(index, "2024-09")
    assert [n for _, n in badges(row)] == [t["name_zh"] for t in summary["targets"] if t["headline"]]
    assert "已不在 data/raw/plan" in row


def test_the_active_plan_without_briefings_yet_says_so_above_the_ended_plans(project):
    publish_summary(project, "2024-09")
    adopt_new_plan(project)
    index = index_text()
    assert tables(index) == [(NEW_ID, []), (OLD_ID, ["2024-09"])]
    assert "尚无简报" in index.split("<h2")[0]


def test_a_summary_that_is_not_valid_json_is_refused_naming_the_file_and_line(project):
    from helpers.render.index import UnreadableSummary, write_index

    publish_summary(project, "2024-09")
    broken = project / "reports" / "2024-03" / "summary-2024-03.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"meeting": "2024-03",\n "targets": [\n', encoding="utf-8")
    before = (project / "reports" / "index.html").read_bytes() if (project / "reports" / "index.html").exists() else None
    with pytest.raises(UnreadableSummary, match=r"summary-2024-03\.json \(line 3, column 1\) is not valid JSON"):
        write_index()
    after = (project / "reports" / "index.html").read_bytes() if (project / "reports" / "index.html").exists() else None
    assert after == before


def test_a_copy_beside_a_summary_is_not_listed_as_a_briefing(project):
    publish_summary(project, "2024-09")
    folder = project / "reports" / "2024-09"
    (folder / "summary-2024-09 (1).json").write_text((folder / "summary-2024-09.json").read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    assert re.findall(r'<tr data-meeting="([^"]+)">', index_text()) == ["2024-09"]


def test_gaoqi_renders_notices_reach_the_index_written_once_with_the_completeness_they_computed(project,
                                                                                             monkeypatch):
    """The notices of a render come before its one index (``render_meetings(before_index=…)``), and the index
    reuses their completeness reports instead of computing them again (issue 25)."""
    from helpers import completeness, paths
    from helpers.cli import _write_notices
    from helpers.processed import load
    from helpers.render import index as index_module
    from helpers.render import write_index
    from helpers.targets import load_plan

    publish_summary(project, "2024-03")
    publish_summary(project, "2024-09")
    data = load(paths.processed_dir())
    notices: list[Path] = []
    known = _write_notices({"2024-09": ("zh",)}, data, None, notices)
    assert [n.name for n in notices] == ["notice-2024-09.txt"]
    assert set(known) == {(load_plan().id, "2024-09")}

    asked: list[str] = []
    real = completeness.for_meeting
    monkeypatch.setattr(index_module, "for_meeting", lambda plan, m, d: asked.append(m.id) or real(plan, m, d))
    index = html.unescape(write_index(data=data, completeness=known).read_text(encoding="utf-8"))
    assert asked == ["2024-03"]  # 2024-09's report came from its notice
    assert '<a href="2024-09/notice-2024-09.txt">notice-2024-09.txt</a>' in index
    expected = known[(load_plan().id, "2024-09")].headline("zh")
    assert re.search(rf'<td data-gq="completeness"[^>]*>{re.escape(expected)}</td>', row_of(index, "2024-09"))
