"""The Excel appendix reads like the page: opened in LibreOffice (headless), its sheets, headers, towns and
numbers are those of the Chinese briefing and its values are the summary JSON's, at full precision."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from helpers.briefing import Briefing
from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.targets import load_plan
from helpers.towns import TOWNS
from helpers.vintage import as_of

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                                   reason="LibreOffice not installed (.ci/run installs libreoffice-calc-nogui)")
VALUE_FIELDS = ("target", "latest_value", "forecast_point", "forecast_lo80", "forecast_hi80", "p_reach")


@pytest.fixture(scope="module")
def written(sample_processed, tmp_path_factory) -> tuple[Path, dict]:
    plan = load_plan()
    m = meeting(plan, "2024-09")
    data = as_of(sample_processed, m.cut_off)
    b = Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=attain_all(data, plan, m, n_sims=300))
    out = tmp_path_factory.mktemp("appendix")
    summary, xlsx = b.write_outputs(out)
    return xlsx, json.loads(summary.read_text(encoding="utf-8"))


def _libreoffice_csv(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice exports it to CSV (UTF-8), each cell as displayed."""
    spec = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
                    spec, "--outdir", str(out), str(xlsx)], check=True, capture_output=True, timeout=180)
    sheets = {}
    for f in out.glob(f"{xlsx.stem}-*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            sheets[f.stem.removeprefix(f"{xlsx.stem}-")] = list(csv.reader(fh))
    return sheets


@pytest.fixture(scope="module")
def shown(written, tmp_path_factory):
    return _libreoffice_csv(written[0], tmp_path_factory.mktemp("shown"))


@pytest.fixture(scope="module")
def stored(written, tmp_path_factory) -> dict[str, list[list[object]]]:
    """Every sheet's stored values after LibreOffice opened the file and saved it again as xlsx."""
    out = tmp_path_factory.mktemp("stored")
    subprocess.run([SOFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(written[0])],
                   check=True, capture_output=True, timeout=180)
    book = openpyxl.load_workbook(out / written[0].name, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


@needs_soffice
def test_sheet_names_and_headers_are_in_the_briefings_language(shown):
    assert {"目标", "数据质量", "说明"} <= set(shown)
    assert not [name for name in shown if re.search(r"[A-Za-z]", name)]
    assert shown["目标"][0][:3] == ["序号", "指标", "主要目标"]
    assert not [h for h in shown["目标"][0] if re.fullmatch(r"[a-z_0-9]+", h)]


@needs_soffice
def test_values_stored_in_the_appendix_are_the_summary_json_at_full_precision(written, stored):
    summary = written[1]
    header, *rows = stored["目标"]
    assert len(rows) == len(summary["targets"])
    for row, record in zip(rows, summary["targets"], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["指标"] == record["name_zh"]
        for field, column in zip(VALUE_FIELDS, ("目标", "最新值", "预测", "80%区间下限", "80%区间上限", "达成概率"),
                                 strict=True):
            if record[field] is None:
                assert cells[column] is None
            else:
                assert cells[column] == pytest.approx(record[field], rel=1e-12, abs=1e-12), (record["id"], field)


@needs_soffice
def test_cells_show_shares_and_probabilities_to_one_decimal_and_counts_whole(written, shown):
    header, *rows = shown["目标"]
    for row, record in zip(rows, written[1]["targets"], strict=True):
        cells = dict(zip(header, row, strict=True))
        if record["p_reach"] is not None:
            assert cells["达成概率"] == f"{100 * record['p_reach']:.1f}%"
        if record["latest_value"] is not None and record["unit"] == "percent":
            assert cells["最新值"] == f"{record['latest_value']:.1f}%"
        if record["latest_value"] is not None and record["unit"] == "firms":
            assert cells["最新值"] == f"{record['latest_value']:,.0f}"
        assert cells["状态"] in {"已完成", "预计完成", "存在风险", "完成难度大", "未完成", "无数据"}


@needs_soffice
def test_town_sheets_name_towns_not_codes(shown):
    names = {zh for zh, _ in TOWNS.values()} | {"全区"}
    town_sheets = [rows for name, rows in shown.items() if name[:2].isdigit()]
    assert town_sheets
    for rows in town_sheets:
        assert rows[0][0] == "区镇"
        assert {r[0] for r in rows[1:]} <= names
    assert any("海永镇" in {r[0] for r in rows} for rows in town_sheets)


def test_every_sheet_freezes_its_header_row_and_sizes_its_columns(written):
    book = openpyxl.load_workbook(written[0])
    for ws in book.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2"), ws.title
        widths = [ws.column_dimensions[c].width for c in ("A", "B")]
        assert all(w and 6 <= w <= 62 for w in widths), ws.title
