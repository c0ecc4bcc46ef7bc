"""`gaoqi assess`: one meeting's forecasts and statuses without rendering, the briefing's summary JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    from helpers.clean import clean

    out = tmp_path_factory.mktemp("assess-processed")
    clean(ROOT / "data" / "raw", out)
    return out


@pytest.fixture(scope="module")
def assessed(processed, tmp_path_factory) -> tuple[object, dict]:
    path = tmp_path_factory.mktemp("assess") / "summary.json"
    result = runner.invoke(app, ["assess", "--meeting", "2024-09", "--processed-dir", str(processed),
                                 "--json", str(path), "--lang", "en"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result, json.loads(path.read_text(encoding="utf-8"))


def test_summary_json_has_the_briefings_schema_and_numbers(assessed, processed):
    from helpers.briefing import Briefing, summary_record

    _, written = assessed
    briefing = summary_record(Briefing.build("2024-09", lang="en", processed_dir=processed, track_record=False))
    assert set(written) == set(briefing)
    assert written["targets"] == briefing["targets"]
    assert {k: v for k, v in written.items() if k != "generated_at"} == \
        {k: v for k, v in briefing.items() if k != "generated_at"}


def test_the_terminal_table_names_every_target_with_its_status(assessed):
    result, written = assessed
    for t in written["targets"]:
        assert t["name_en"].split()[0] in result.output
    assert "at risk" in result.output or "on track" in result.output or "off track" in result.output


def test_an_unknown_meeting_is_refused_with_the_plans_meetings(processed):
    result = runner.invoke(app, ["assess", "--meeting", "2031-09", "--processed-dir", str(processed)])
    assert result.exit_code == 2
    assert "2024-09" in result.output


def test_in_an_80_column_terminal_no_figure_is_broken_across_lines(processed):
    from helpers.labels import figure_of

    result = runner.invoke(app, ["assess", "--meeting", "2024-09", "--processed-dir", str(processed), "--lang", "en"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    summary = summary_2024_09_en(processed)
    for t in summary["targets"]:
        lo, hi = t["forecast_lo80"], t["forecast_hi80"]
        if lo is not None and hi is not None:
            assert f"{figure_of(lo, t['unit'], 'en')}–{figure_of(hi, t['unit'], 'en')}" in result.output


def summary_2024_09_en(processed: Path) -> dict:
    from helpers.briefing import Briefing, summary_record

    return summary_record(Briefing.build("2024-09", lang="en", processed_dir=processed, track_record=False))
