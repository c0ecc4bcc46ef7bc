"""`gaoqi inspect FILE…`: how each return would be read, and exit 2 with located messages when it would be refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "sample"
FAULTY = ROOT / "tests" / "fixtures" / "intake" / "faulty"
runner = CliRunner()


def _statistics() -> Path:
    return sorted(SAMPLE.glob("SAMPLE_规上工业统计_20??.xlsx"))[-1]


def test_a_good_return_shows_form_header_row_columns_towns_and_period_and_exits_0():
    result = runner.invoke(app, ["inspect", str(_statistics()), "--lang", "en"], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "industry statistics" in out and "header row 5" in out and "(YTD), released" in out
    assert "total_output [万元]" in out and "set aside: share" in out
    assert "合计 → district" in out and "would be read without a problem" in out


def test_a_refused_return_exits_2_with_the_located_message(tmp_path):
    bad = tmp_path / "unknown_town.xlsx"
    shutil.copy(FAULTY / "unknown_town.xlsx", bad)
    result = runner.invoke(app, ["inspect", str(bad), "--lang", "en"], terminal_width=200)
    assert result.exit_code == 2
    assert "火星镇 → UNKNOWN" in result.output
    assert "unknown_town.xlsx, sheet '1-6月（累计）', row 5, column '区镇': found '火星镇'" in result.output
    assert "would refuse" in result.output and "Traceback" not in result.output


def test_an_unknown_header_is_shown_with_its_column_and_the_closest_spellings(tmp_path):
    path = tmp_path / "renamed.xlsx"
    wb = load_workbook(_statistics())
    ws = wb.worksheets[0]
    ws.cell(5, 3).value = "其他指标（万元）"
    wb.save(path)
    result = runner.invoke(app, ["inspect", str(path), "--lang", "en"], terminal_width=200)
    assert result.exit_code == 2
    line = next(ln for ln in result.output.splitlines() if ln.startswith("- ") and "其他指标" in ln)
    assert "C (column 3)" in line and "closest known spellings" in line and "vocabulary.yaml" in line


def test_inspect_changes_nothing_in_the_project(tmp_path):
    before = sorted(p.name for p in tmp_path.iterdir())
    runner.invoke(app, ["inspect", str(_statistics())])
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_by_default_inspect_speaks_chinese(tmp_path):
    bad = tmp_path / "unknown_town.xlsx"
    shutil.copy(FAULTY / "unknown_town.xlsx", bad)
    result = runner.invoke(app, ["inspect", str(bad)], terminal_width=200)
    assert result.exit_code == 2
    assert "工作表“1-6月（累计）”" in result.output and "读作" in result.output
    assert "unknown_town.xlsx，工作表“1-6月（累计）”，第 5 行，列“区镇”：发现 '火星镇'" in result.output


def test_each_problem_is_reported_once(tmp_path):
    bad = tmp_path / "unknown_town.xlsx"
    shutil.copy(FAULTY / "unknown_town.xlsx", bad)
    result = runner.invoke(app, ["inspect", str(bad), "--lang", "en"], terminal_width=200)
    assert result.exit_code == 2
    assert result.output.count("found '火星镇'") == 1, result.output
    assert [ln for ln in result.output.splitlines() if ln.startswith("- ")] == [
        ln for ln in result.output.splitlines() if "found '火星镇'" in ln]


def test_a_long_csv_with_a_period_column_has_its_period_read_from_that_column():
    long_csv = ROOT / "tests" / "fixtures" / "intake" / "valid" / "统计_2023_旧系统导出.csv"
    result = runner.invoke(app, ["inspect", str(long_csv), "--lang", "en"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "period per row, from the column '统计期': 2023-12 (YTD)" in result.output
    assert "missing" not in result.output
