"""`make report` output: every meeting rendered, an index with status badges, the final review settled,
re-rendering idempotent, and an optional PDF printed by the system Chromium."""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

import pytest

MEETINGS = ["2023-03", "2023-09", "2024-03", "2024-09", "2025-03"]


def _summary(root: Path, meeting: str) -> dict:
    return json.loads((root / "reports" / meeting / f"summary-{meeting}.json").read_text(encoding="utf-8"))


def test_every_meeting_of_the_plan_is_rendered(rendered_project):
    for m in MEETINGS:
        folder = rendered_project / "reports" / m
        assert (folder / f"briefing-{m}.html").stat().st_size > 100_000, m
        assert _summary(rendered_project, m)["as_of"] < f"{m}-01"


def test_index_lists_every_briefing_with_headline_badges(rendered_project):
    index = (rendered_project / "reports" / "index.html").read_text(encoding="utf-8")
    for m in MEETINGS:
        assert f'href="{m}/briefing-{m}.html"' in index
    assert index.count('class="gq-badge') >= 3 * len(MEETINGS)
    assert "示例数据" in index


def _scored_ids(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids the rendered project's plan scores (components stand in for their target), in plan order."""
    from helpers.targets import load_plan

    monkeypatch.setenv("GAOQI_ROOT", str(root))
    return [t.id for t in load_plan().scored]


def test_final_review_settles_every_target(rendered_project, monkeypatch):
    targets = _summary(rendered_project, "2025-03")["targets"]
    assert [t["id"] for t in targets] == _scored_ids(rendered_project, monkeypatch)
    unsettled = {t["id"]: t["status"] for t in targets if t["status"] not in ("achieved", "missed")}
    assert unsettled == {}


def test_final_review_reports_the_year_end_firm_count_from_the_register(rendered_project):
    from helpers.processed import load
    from helpers.register import valid_firms

    data = load(rendered_project / "data" / "processed")
    stocks = [t for t in _summary(rendered_project, "2025-03")["targets"] if t["measure"] == "register_valid_stock"]
    assert len(stocks) == 1
    assert stocks[0]["latest_value"] == valid_firms(data.certificates, "2024-12-31")


def test_summaries_carry_the_synthetic_flag(rendered_project):
    assert all(_summary(rendered_project, m)["synthetic"] is True for m in MEETINGS)


def test_re_rendering_a_meeting_gives_the_same_results(rendered_project, monkeypatch):
    from helpers.render import render_one

    monkeypatch.setenv("GAOQI_ROOT", str(rendered_project))
    before = _summary(rendered_project, "2024-03")
    render_one("2024-03")
    after = _summary(rendered_project, "2024-03")
    before.pop("generated_at"), after.pop("generated_at")
    assert after == before


needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None and not os.environ.get("CI"), reason="needs Chromium")


@pytest.fixture(scope="module")
def printed(rendered_project) -> Path:
    """Meeting 2023-09 rendered again with --pdf: the PDF beside its briefing."""
    from helpers.render import render_one

    old = os.environ.get("GAOQI_ROOT")
    os.environ["GAOQI_ROOT"] = str(rendered_project)
    try:
        render_one("2023-09", pdf=True)
    finally:
        if old is None:
            os.environ.pop("GAOQI_ROOT", None)
        else:
            os.environ["GAOQI_ROOT"] = old
    return rendered_project / "reports" / "2023-09" / "briefing-2023-09.pdf"


@needs_chromium
def test_pdf_is_printed_next_to_the_briefing(printed):
    data = printed.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 4


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="needs poppler-utils")
def test_pdf_shows_every_chart_with_its_whole_title(printed):
    import re
    import subprocess

    page = printed.with_suffix(".html").read_text(encoding="utf-8")
    titles = [json.loads(block.replace("<\\/", "</"))["layout"]["title"]["text"]
              for block in re.findall(r'<script[^>]*application/vnd\.gaoqi\.plotly\+json[^>]*>(.*?)</script>', page, re.S)]
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert len(titles) >= 5
    for title in titles:  # a title cut at the figure's edge, or a chart never drawn, is missing here
        assert re.sub(r"\s+|<br>", "", html.unescape(title)) in flat, title


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="needs poppler-utils")
def test_pdf_numbers_its_pages_under_the_briefings_title(printed):
    import re
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 5
    for n, body in enumerate(pages, start=1):
        foot = body.strip().splitlines()[-1].replace(" ", "")
        assert foot.endswith(f"第{n}页，共{len(pages)}页"), (n, foot)
        assert "简报" in foot and "2023年9月" in foot, (n, foot)
    words = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(printed), "-"], check=True,
                           capture_output=True, text=True).stdout
    foot = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">第1页', words)
    assert foot and float(foot[2]) - float(foot[1]) >= 7, "the page number prints too small to read"


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="needs poppler-utils")
def test_pdf_ends_no_page_with_a_heading_and_breaks_no_figure_inside_its_brackets(printed):
    import re
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    page = printed.with_suffix(".html").read_text(encoding="utf-8")
    headings = {re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page)}
    # the last line above the footer is never one of the page's headings
    last_lines = [[x.strip() for x in b.splitlines() if x.strip()][-2:][0] for b in pages]
    assert [line for line in last_lines if line in headings] == []
    # "400家（" / "2024-12-31" / "）" once printed on three lines of a table cell
    assert not re.search(r"（\s*$", text, flags=re.M)
    assert not re.search(r"^\s*）", text, flags=re.M)


def test_towns_section_lists_every_town_with_its_firms_and_shares(rendered_project):
    import re

    page = (rendered_project / "reports" / "2024-09" / "briefing-2024-09.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="gq-table" data-gq="town-headline">.*?</table>', page, flags=re.S).group(0)
    assert table.count("<tr>") == 1 + 11
    assert "海永镇" in table and "开发区" in table


def test_an_english_render_keeps_the_chinese_appendix_and_writes_its_own(rendered_project):
    # the fixture renders 2024-09 in Chinese, then in English: one file name for both used to leave the Chinese
    # page's appendix in English
    from openpyxl import load_workbook

    folder = rendered_project / "reports" / "2024-09"
    assert load_workbook(folder / "briefing-2024-09.xlsx", read_only=True).sheetnames[0] == "目标"
    assert load_workbook(folder / "briefing-2024-09.en.xlsx", read_only=True).sheetnames[0] == "Targets"


def test_render_all_leaves_out_meetings_whose_cut_off_is_still_ahead(rendered_project, monkeypatch):
    import datetime as dt

    from helpers.render import covered_meetings

    monkeypatch.setenv("GAOQI_ROOT", str(rendered_project))
    assert covered_meetings(today=dt.date(2024, 3, 1)) == ["2023-03", "2023-09", "2024-03"]
    assert covered_meetings(today=dt.date(2026, 11, 30)) == ["2023-03", "2023-09", "2024-03", "2024-09", "2025-03"]
