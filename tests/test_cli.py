"""The `gaoqi` command: clear messages and exit codes, never a traceback for a wrong call."""

from __future__ import annotations

from typer.testing import CliRunner

from helpers.cli import app

runner = CliRunner()


def test_render_needs_exactly_one_choice_of_meetings(project_copy):
    result = runner.invoke(app, ["render"])
    assert result.exit_code == 2
    assert "请在 --meeting YYYY-MM、--next 和 --all 中恰好给出一个" in result.output


def test_render_next_after_the_plan_has_ended_says_so(project_copy):
    result = runner.invoke(app, ["render", "--next", "--today", "2026-11-25"])
    assert result.exit_code == 1
    assert "计划的会议已于 2025-03 结束" in result.output
    assert "Traceback" not in result.output


def test_render_unknown_meeting_lists_the_plans_meetings(project_copy):
    result = runner.invoke(app, ["render", "--meeting", "2024-06"])
    assert result.exit_code == 2
    assert "no meeting 2024-06; its meetings are 2023-03, 2023-09, 2024-03, 2024-09, 2025-03" in result.output


def test_render_rejects_an_unknown_language(project_copy):
    result = runner.invoke(app, ["render", "--meeting", "2024-09", "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang 应为 zh 或 en" in result.output


def test_calendar_lists_meetings_with_their_cut_offs(project_copy):
    result = runner.invoke(app, ["calendar"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "2024-09" in result.output and "2024-08-31" in result.output
    assert "2025-03" in result.output and "2025-02-28" in result.output


def test_render_with_a_malformed_plan_file_exits_2_naming_target_and_field(project_copy):
    from helpers.paths import plan_file

    plan = plan_file()
    plan.write_text(plan.read_text(encoding="utf-8").replace("value: 400\n", "value: many\n", 1), encoding="utf-8")
    result = runner.invoke(app, ["render", "--meeting", "2024-09"])
    assert result.exit_code == 2
    assert "target hightech_firms: field 'value' is 'many'" in result.output
    assert "Traceback" not in result.output


def test_render_with_a_malformed_public_figures_file_exits_2_before_any_work(project_copy):
    pub = project_copy / "data" / "raw" / "public" / "public_figures.csv"
    lines = pub.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",47,", ",forty-seven,")
    pub.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["render", "--meeting", "2024-09"])
    assert result.exit_code == 2
    assert "public_figures.csv，第 4 行，列“value”：发现 'forty-seven'" in result.output
    assert not any((project_copy / "reports").iterdir())
    assert not (project_copy / "data" / "processed" / "manifest.json").exists()


def test_render_refuses_a_cut_off_for_a_regular_meeting(project_copy):
    result = runner.invoke(app, ["render", "--meeting", "2024-09", "--cut-off", "2024-08-15"])
    assert result.exit_code == 2
    assert "--cut-off 仅用于不定期会议" in result.output
    assert not any((project_copy / "reports").iterdir())


def test_render_refuses_an_ad_hoc_cut_off_on_or_after_the_meeting_day(project_copy):
    result = runner.invoke(app, ["render", "--meeting", "2024-06-20", "--cut-off", "2024-06-21"])
    assert result.exit_code == 2
    assert "must be before the meeting day" in result.output and "Traceback" not in result.output


def test_calendar_lists_a_recorded_ad_hoc_meeting_as_such(project_copy):
    from helpers.calendar import ad_hoc_meeting, record_ad_hoc
    from helpers.targets import load_plan

    plan = load_plan()
    record_ad_hoc(plan, ad_hoc_meeting(plan, "2024-06-20"))
    result = runner.invoke(app, ["calendar"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "2024-06-20" in result.output and "临时会议" in result.output and "2024-06-19" in result.output


def test_gaoqi_help_is_in_chinese_and_points_to_a_command_that_needs_no_files():
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "高新技术企业" in result.output and "命令" in result.output and "显示本帮助并退出" in result.output
    assert "gaoqi calendar" in result.output
    assert "active plan and region: `gaoqi inspect`" not in result.output
    listed = runner.invoke(app, ["calendar"], env={"COLUMNS": "200"})  # the command it points to, run bare
    assert listed.exit_code == 0, listed.output


def test_a_flag_is_shown_as_a_flag_not_as_taking_a_value():
    result = runner.invoke(app, ["render", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    pdf_line = next(ln for ln in result.output.splitlines() if "--pdf" in ln)
    assert "<bool>" not in result.output and "另用系统的 Chromium 打印 PDF" in pdf_line
    assert "<str>" in next(ln for ln in result.output.splitlines() if "--meeting" in ln)  # a value keeps its type


def test_the_calendar_table_has_chinese_headers_by_default_and_english_with_lang_en(project_copy):
    zh = runner.invoke(app, ["calendar"], env={"COLUMNS": "200"})
    en = runner.invoke(app, ["calendar", "--lang", "en"], env={"COLUMNS": "200"})
    assert "数据截止日" in zh.output and "定期会议" in zh.output and "cut-off" not in zh.output
    assert "cut-off" in en.output and "数据截止日" not in en.output


def test_an_error_follows_lang(project_copy):
    zh = runner.invoke(app, ["render", "--meeting", "2024-09", "--all"])
    en = runner.invoke(app, ["render", "--meeting", "2024-09", "--all", "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2
    assert "恰好给出一个" in zh.output and "give exactly one of" in en.output


def test_help_follows_lang_on_the_command_line():
    from helpers.cli import help_lang

    assert help_lang(["gaoqi", "render", "--help"]) == "zh"
    assert help_lang(["gaoqi", "render", "--lang", "en", "--help"]) == "en"
    assert help_lang(["gaoqi", "render", "--lang=en", "--help"]) == "en"
