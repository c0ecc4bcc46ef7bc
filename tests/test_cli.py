"""The `gaoqi` command: clear messages and exit codes, never a traceback for a wrong call."""

from __future__ import annotations

from typer.testing import CliRunner

from helpers.cli import app

runner = CliRunner()


def test_render_needs_exactly_one_choice_of_meetings(project_copy):
    result = runner.invoke(app, ["render"])
    assert result.exit_code == 2
    assert "give exactly one of --meeting YYYY-MM, --next or --all" in result.output


def test_render_next_after_the_plan_has_ended_says_so(project_copy):
    result = runner.invoke(app, ["render", "--next", "--today", "2026-11-25"])
    assert result.exit_code == 1
    assert "the plan's meetings ended with 2025-03" in result.output
    assert "Traceback" not in result.output


def test_render_unknown_meeting_lists_the_plans_meetings(project_copy):
    result = runner.invoke(app, ["render", "--meeting", "2024-06"])
    assert result.exit_code == 2
    assert "no meeting 2024-06; its meetings are 2023-03, 2023-09, 2024-03, 2024-09, 2025-03" in result.output


def test_render_rejects_an_unknown_language(project_copy):
    result = runner.invoke(app, ["render", "--meeting", "2024-09", "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang must be zh or en" in result.output


def test_calendar_lists_meetings_with_their_cut_offs(project_copy):
    result = runner.invoke(app, ["calendar"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "2024-09" in result.output and "2024-08-31" in result.output
    assert "2025-03" in result.output and "2025-02-28" in result.output
