"""The notice: the 简报's cover note (报送说明) per rendered briefing, ready to paste into an e-mail or a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.notice import notice_text, write_notice

SUMMARIES = Path(__file__).parent / "fixtures" / "summaries"


@pytest.fixture
def september() -> dict:
    return json.loads((SUMMARIES / "summary-2024-09.json").read_text(encoding="utf-8"))


@pytest.fixture
def march() -> dict:
    return json.loads((SUMMARIES / "summary-2024-03.json").read_text(encoding="utf-8"))


def test_each_headline_target_gets_a_line_with_latest_forecast_range_probability_and_status(september, march):
    text = notice_text(september, march)

    assert "1. 有效高新技术企业数：截至2024年8月31日为378家，预计2024年底达到409家（80%区间375家至462家），" \
           "目标400家，达成概率62%，存在风险。" in text
    assert "2. 高新技术产业产值占规模以上工业总产值比重：截至2024年7月31日为38.1%" in text
    assert "3. 规模以上高新技术企业利润占规模以上工业企业利润比重" in text
    assert "4. " not in text.split("二、")[0]  # only the three headline targets


def test_changes_since_the_last_meeting_name_moved_probabilities_and_statuses(september, march):
    text = notice_text(september, march)

    assert "二、与上次会议（2024年3月会议）相比" in text
    assert "有效高新技术企业数：仍为存在风险，达成概率由63%变为62%，预计由411家变为409家。" in text
    assert "产学研项目：由存在风险变为预计完成，达成概率由46%变为99%。" in text


def test_without_a_previous_briefing_the_notice_says_there_is_nothing_to_compare(september):
    text = notice_text(september, None)

    assert "暂无可比" in text
    assert "→" not in text


def test_the_notice_names_the_file_to_open_relative_to_the_index(september, march):
    text = notice_text(september, march, location="/srv/share/briefings")

    assert "简报文件：2024-09/briefing-2024-09.html" in text
    assert "共享文件夹：/srv/share/briefings" in text


def test_a_notice_built_on_sample_data_carries_the_sample_mark_and_one_on_real_data_does_not(september, march):
    assert notice_text(september, march).startswith("【示例数据】")
    real = {**september, "synthetic": False}
    assert "示例数据" not in notice_text(real, {**march, "synthetic": False})


def test_missing_returns_are_listed_so_they_can_be_chased(september, march):
    completeness = {
        "meeting": "2024-09", "cut_off": "2024-08-31", "complete": False, "stale": False, "expected": 111,
        "present": 110, "missing": 1, "statistics_expected": 39, "statistics_missing": [],
        "task_returns_expected": 72, "task_returns_missing": {"2024H1": ["yudong"]},
        "rows": [{"kind": "task_return", "period": "2024H1", "period_end": "2024-06-30", "due": "2024-07-20",
                  "sender": "yudong", "status": "missing", "released": None, "lacking": []}],
    }
    text = notice_text(september, march, completeness)

    assert "三、数据完整性" in text
    assert "2024年上半年任务进度报表尚未报送的单位（1个，应于2024年7月20日前报送）：余东镇。" in text


def test_the_english_notice_uses_the_same_figures(september, march):
    text = notice_text(september, march, lang="en")

    assert "Valid high-tech enterprises: latest 378 firms (31 August 2024); forecast for end of 2024 409 firms" in text
    assert "Open the briefing: 2024-09/briefing-2024-09.en.html" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace("示例数据", ""))


def test_write_notice_puts_notice_meeting_txt_into_the_meeting_folder(tmp_path, september, march):
    path = write_notice(tmp_path / "2024-09", september, march)

    assert path == tmp_path / "2024-09" / "notice-2024-09.txt"
    assert path.read_text(encoding="utf-8") == notice_text(september, march)
    assert [p.name for p in path.parent.iterdir()] == ["notice-2024-09.txt"]  # no temporary file left behind


def test_an_ad_hoc_meetings_notice_names_its_day_not_only_its_month(september):
    ad_hoc = {**september, "meeting": "2024-06-20", "meeting_date": "2024-06-20", "as_of": "2024-06-19"}

    assert "主题：【示例数据】2024年6月20日领导小组临时会议简报" in notice_text(ad_hoc, None)
    assert "简报供2024年6月20日领导小组临时会议研究，数据截至2024年6月19日" in notice_text(ad_hoc, None)
    assert "for the Leading group ad-hoc meeting, 20 June 2024, with data to 19 June 2024" \
        in notice_text(ad_hoc, None, lang="en")
    assert "主题：【示例数据】2024年9月领导小组会议简报" in notice_text(september, None)


def _judged(summary: dict, status: str) -> dict:
    """``summary`` as a meeting after the deadline: every headline target judged, its figure final."""
    targets = [{**t, "status": status, "p_reach": 0.0, "latest_date": t["deadline"],
                "forecast_point": t["latest_value"], "forecast_lo80": t["latest_value"],
                "forecast_hi80": t["latest_value"]} if t["headline"] else t for t in summary["targets"]]
    return {**summary, "meeting": "2025-03", "meeting_date": "2025-03-05", "as_of": "2025-02-28",
            "targets": targets}


def test_after_the_deadline_a_headline_target_gives_its_final_figure_not_a_forecast_range_or_probability(september):
    text = notice_text(_judged(september, "missed"), september)
    headline = text.split("一、主要指标")[1].split("二、")[0]

    assert "1. 有效高新技术企业数：截至2024年12月31日实际为378家，目标400家，未完成。" in headline
    assert "预计" not in headline and "80%区间" not in headline and "达成概率" not in headline
    assert "有效高新技术企业数：由存在风险变为未完成，上次预计409家，实际为378家。" in text
    english = notice_text(_judged(september, "achieved"), september, lang="en")
    assert "1. Valid high-tech enterprises: final figure 378 firms (31 December 2024) against a target of 400 firms; " \
           "achieved." in english
    assert "80 % range" not in english


def test_the_subject_line_of_a_sample_notice_is_marked_too_as_the_inbox_shows_only_the_subject(september, march):
    assert "主题：【示例数据】2024年9月领导小组会议简报\n" in notice_text(september, march)
    assert "Subject: [SAMPLE DATA] briefing for the Leading group meeting, September 2024\n" \
        in notice_text(september, march, lang="en")
    real = notice_text({**september, "synthetic": False}, None)
    assert "主题：2024年9月领导小组会议简报\n" in real


def test_without_a_previous_briefing_the_changes_heading_names_no_meeting(september):
    assert "二、与上次会议相比\n" in notice_text(september, None)
    assert "(—)" not in notice_text(september, None)


def test_the_english_notice_does_not_number_its_sections_like_its_list_items(september, march):
    lines = notice_text(september, march, lang="en").splitlines()

    assert "Headline targets" in lines and "1. Valid high-tech enterprises" not in lines
    assert [x for x in lines if x.startswith("1. ")] == [x for x in lines if x.startswith("1. Valid")]


def test_the_note_is_a_cover_note_titled_by_the_briefing_and_signed_by_its_compiler(september, march):
    titled = {**september, "title_zh": "海门区高新技术企业培育认定工作领导小组会议简报（2024年第2期）",
              "compiled_by_zh": "海门区高新技术企业培育认定工作领导小组办公室（区科技局）", "issued": "2024-09-02"}
    lines = notice_text(titled, march).rstrip("\n").splitlines()

    assert "主题：【示例数据】海门区高新技术企业培育认定工作领导小组会议简报（2024年第2期）" in lines
    assert "现将《海门区高新技术企业培育认定工作领导小组会议简报（2024年第2期）》报送如下，请审阅。" \
           "简报供2024年9月领导小组会议研究，数据截至2024年8月31日，要点如下。" in lines
    assert lines[-2:] == ["海门区高新技术企业培育认定工作领导小组办公室（区科技局）", "2024年9月2日"]


def _moved(summary: dict, target_id: str, status: str, p: float, forecast: float) -> dict:
    return {**summary, "targets": [{**t, "status": status, "p_reach": p, "forecast_point": forecast}
                                   if t["id"] == target_id else t for t in summary["targets"]]}


def test_a_status_that_crossed_its_threshold_by_noise_is_not_news(september, march):
    """瞪羚 at 2024-09: 79.8 % → 80 % moved it from at risk to on track while its forecast fell."""
    tid = next(t["id"] for t in september["targets"] if not t["headline"])
    target = next(t["target"] for t in september["targets"] if t["id"] == tid)
    before = _moved(march, tid, "at_risk", 0.798, 1.2 * target)
    after = _moved(september, tid, "on_track", 0.80, 1.1 * target)
    name = next(t["name_zh"] for t in september["targets"] if t["id"] == tid)
    text = notice_text(after, before)

    assert f"{name}：由存在风险变为预计完成" not in text
    assert f"（{name}）状态变化源于达成概率和预计的小幅波动（不足10%），不作为实质变化。" in text


def test_a_status_change_with_a_material_move_of_its_probability_is_news(september, march):
    tid = next(t["id"] for t in september["targets"] if not t["headline"])
    target = next(t["target"] for t in september["targets"] if t["id"] == tid)
    name = next(t["name_zh"] for t in september["targets"] if t["id"] == tid)
    text = notice_text(_moved(september, tid, "on_track", 0.85, target), _moved(march, tid, "at_risk", 0.75, target))

    assert f"{name}：由存在风险变为预计完成，达成概率由75%变为85%。" in text
    assert "小幅波动" not in text.split(name)[1].split("\n")[0]
