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
def test_cells_show_each_figure_with_its_unit_as_the_page_does(written, shown):
    # a share to 0.1 % with its % sign, a count whole with 家/个, 亿元 to 0.01; the value stays a number
    header, *rows = shown["目标"]
    assert "单位" not in header  # the unit is in every figure: no "48.0% %" beside a unit column
    suffix = {"firms": "家", "items": "个", "100m_yuan": "亿元"}
    checked = set()
    for row, record in zip(rows, written[1]["targets"], strict=True):
        cells = dict(zip(header, row, strict=True))
        if record["p_reach"] is not None:
            assert cells["达成概率"] == f"{100 * record['p_reach']:.1f}%"
        value = record["latest_value"]
        if value is not None and record["unit"] == "percent":
            assert cells["最新值"] == f"{value:.1f}%"
            checked.add("percent")
        if value is not None and record["unit"] in suffix:
            digits = 2 if record["unit"] == "100m_yuan" else 0
            assert cells["最新值"] == f"{value:.{digits}f}{suffix[record['unit']]}"
            checked.add(record["unit"])
        assert cells["状态"] in {"已完成", "预计完成", "存在风险", "完成难度大", "未完成", "无数据"}
    assert {"percent", "firms", "items", "100m_yuan"} <= checked


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


# ------------------------------------------------------------------------------------------ print set-up, units
@pytest.fixture(scope="module")
def written_en(sample_processed, tmp_path_factory) -> Path:
    plan = load_plan()
    m = meeting(plan, "2024-09")
    data = as_of(sample_processed, m.cut_off)
    b = Briefing(plan=plan, meeting=m, lang="en", data=data, attainments=attain_all(data, plan, m, n_sims=300))
    return b.write_outputs(tmp_path_factory.mktemp("appendix_en"))[1]


@pytest.fixture(scope="module")
def printed_appendix(written, tmp_path_factory) -> list[str]:
    """The appendix printed by LibreOffice (headless, to PDF), as the text of each page (pdftotext -layout)."""
    out = tmp_path_factory.mktemp("printed")
    subprocess.run([SOFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), str(written[0])], check=True, capture_output=True, timeout=180)
    pdf = out / f"{written[0].stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height, f"pages print portrait ({width} × {height} pt)"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def test_every_sheet_prints_landscape_at_the_pages_width_with_its_header_and_a_footer(written):
    book = openpyxl.load_workbook(written[0])
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0), ws.title  # 1 wide is the default
        assert ws.print_title_rows == "$1:$1", ws.title
        footer = ws.oddFooter
        assert "领导小组" in footer.left.text and "2024年9月" in footer.left.text, ws.title
        assert "&P" in footer.right.text and "&N" in footer.right.text, ws.title


@needs_soffice
def test_libreoffice_prints_each_sheet_whole_across_the_page_with_page_numbers(written, printed_appendix):
    pages = printed_appendix
    sheets = openpyxl.load_workbook(written[0], read_only=True).sheetnames
    # 41 pages before, columns split over them: now each sheet is as wide as the page and runs down
    assert len(pages) <= 2 * len(sheets), len(pages)
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页，共{len(pages)}页" in page.replace(" ", ""), n
    first = pages[0]
    # the targets sheet's first and last columns are on its first page (no column printed on a page of its own)
    assert "序号" in first and "目标编号" in first


@needs_soffice
def test_figures_are_stored_as_numbers_and_every_header_is_translated(stored):
    for title, (header, *rows) in stored.items():
        assert not [h for h in header if h and re.fullmatch(r"[a-z_0-9]+", str(h))], (title, header)
        for row in rows:
            looks_numeric = [v for v in row if isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v)]
            # the quality sheet's row and value columns quote the return as it was (text), nowhere else
            assert title == "数据质量" or not looks_numeric, (title, looks_numeric)


@needs_soffice
def test_a_count_target_judged_by_each_towns_growth_shows_that_growth_in_percent(written, shown):
    # the plan judges 拥有知识产权的泛科技型企业 (800家) by each town's yearly growth (≥ 20 %): the by-town sheet
    # showed "15" for 14.98 % growth, formatted as a count
    sheet = next(rows for name, rows in shown.items() if "拥有知识产权" in name)
    header, *rows = sheet
    latest, target = header.index("最新值"), header.index("目标")
    assert rows and all(r[target] == "20.0%" for r in rows)
    assert all(re.fullmatch(r"-?\d+\.\d%", r[latest]) for r in rows if r[latest])


def test_english_sheet_names_fit_excels_limit_without_cutting_a_word(written_en):
    names = openpyxl.load_workbook(written_en, read_only=True).sheetnames
    assert "Targets" in names and "Data quality" in names
    plan = load_plan()
    for name in names:
        assert len(name) <= 31, name
        if name.endswith("…"):  # a target's name cut short: whole words of it
            words = name[3:-1]
            full = next(t.name_en for t in plan.targets if t.name_en.startswith(words))
            assert full[len(words)] in " ,", name


def test_a_long_sheet_name_is_cut_between_words():
    from helpers.briefing.sheetlayout import sheet_name

    taken: set[str] = set()
    name = sheet_name("02 High-tech share of above-scale industrial output", taken)
    assert name == "02 High-tech share of…"
    assert sheet_name("02 High-tech share of above-scale industrial output", taken) == "02 High-tech share of… (2)"
    assert sheet_name("02 高新技术产业产值占规模以上工业总产值比重和其他很长的说明文字", set()) == \
        "02 高新技术产业产值占规模以上工业总产值比重和其他很长的说…"  # 31 characters
