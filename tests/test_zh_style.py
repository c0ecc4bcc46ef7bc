"""The Chinese style of docs/zh-style.md, held over every rendered Chinese page, every cover note and every
Chinese Excel appendix of the shipped sample (every meeting rendered, as `make report` does).

The page's main text is everything before the 附件 (``data-gq="annex"``), figures included, so a section added
to the main text is checked without touching this file. Each rule is one test; a failure names the page and the
offending passages.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

FIGURE = "application/vnd.gaoqi.plotly+json"
FIGURE_TEXT_KEYS = {"text", "ticktext", "name"}

#: words a 简报 does not use (docs/zh-style.md, "Words"), and what it says instead
BANNED = {
    "需要做到": "完成目标还需",
    "三大风险": "需重点关注的目标",
    "来龙去脉": "构成",
    "结构性断点": "明显偏离往年规律的变化",
    "平滑跨越": "(method words stay in the 附件)",
    "应有进度": "序时进度",
    "年中应完成": "序时进度",
    "截止": "截至",
}
#: the status words and what each means (docs/zh-style.md, "Status words")
STATUS_WORDS = {"预计完成", "存在风险", "完成难度大", "已完成", "未完成", "无数据", "未分配任务数"}

ISO_DATE = re.compile(r"(?<![\d/])\d{4}-\d{2}(?:-\d{2})?(?![\d])")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
MEASURE = r"(?:%|亿元|万元|家|个|名|项|条|人)"
SPURIOUS_DECIMAL = re.compile(rf"(?<![–\d.])\d+\.\d*0(?!\d)(?=\s*{MEASURE})")
FRACTIONAL_COUNT = re.compile(r"\d+\.\d+\s*(?:家|名|项|条|人|个(?!百分点))")
SLASH_COUNT = re.compile(r"\d+\s*/\s*\d+\s*个")
PERIOD_DASH = re.compile(r"\d+\s*[-–~]\s*\d+\s*月")
HALF_WIDTH_PUNCT = re.compile(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]")


class _MainText(HTMLParser):
    """Visible text and figure texts of a briefing page, split at the 附件's opening."""

    def __init__(self) -> None:
        super().__init__()
        self.main: list[str] = []
        self.annex: list[str] = []
        self.main_figures: list[dict] = []
        self.badges: list[str] = []
        self.title = ""
        self.sample_mark = ""
        self._skip: str | None = None
        self._in: list[str] = []
        self._annex = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("data-gq") == "annex":
            self._annex = True
        if tag in ("script", "style", "title"):
            self._skip = a.get("type") or tag
        classes = set((a.get("class") or "").split())
        self._in.append("badge" if "gq-badge" in classes else "mark" if "gq-sample-mark" in classes else tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip = None
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        if self._skip == FIGURE:
            if not self._annex:
                self.main_figures.append(json.loads(data))
        elif self._skip == "title":
            self.title += data
        elif self._skip is None and data.strip():
            if "mark" in self._in:
                self.sample_mark += data.strip()
                return
            if "badge" in self._in and not self._annex:
                self.badges.append(data.strip())
            (self.annex if self._annex else self.main).append(data.strip())


def _figure_texts(node, key: str = "") -> list[str]:
    if isinstance(node, dict):
        if key == "annotations":  # an annotation's ``name`` is the loader's handle, never shown
            node = {k: v for k, v in node.items() if k != "name"}
        return [t for k, v in node.items() for t in _figure_texts(v, k)]
    if isinstance(node, list):
        return [t for v in node for t in _figure_texts(v, key)]
    return [node] if isinstance(node, str) and key in FIGURE_TEXT_KEYS else []


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in (root / "reports").glob("*/briefing-*.html") if not p.name.endswith(".en.html"))


@pytest.fixture(scope="module")
def pages(rendered_project) -> dict[str, _MainText]:
    out = {}
    for path in _pages(Path(rendered_project)):
        parsed = _MainText()
        parsed.feed(path.read_text(encoding="utf-8"))
        out[path.parent.name] = parsed
    assert {"2023-03", "2023-09", "2024-03", "2024-09", "2025-03"} <= set(out)
    return out


def main_text(page: _MainText) -> list[str]:
    """The main text's passages: its visible text, then every text of its figures (titles, axes, legends, feet)."""
    return page.main + [t for fig in page.main_figures for t in _figure_texts(fig)]


def _found(passages: list[str], pattern: re.Pattern) -> list[str]:
    return [f"{m.group(0)!r} in {p[:90]!r}" for p in passages for m in pattern.finditer(p)]


def _each_page(pages, pattern: re.Pattern) -> dict[str, list[str]]:
    return {m: hits for m, page in pages.items() if (hits := _found(main_text(page), pattern))}


# ------------------------------------------------------------------------------------------ the form of a 简报
def test_every_page_has_a_main_text_and_an_annex(pages):
    for meeting, page in pages.items():
        assert page.main and page.annex, meeting
        assert page.annex[0] == "附件", meeting


def test_the_page_title_is_the_briefings_title_with_its_issue_number(pages, rendered_project):
    for meeting, page in pages.items():
        summary = json.loads((Path(rendered_project) / "reports" / meeting / f"summary-{meeting}.json").read_text(
            encoding="utf-8"))
        assert page.title == summary["title_zh"] == page.main[0], meeting
        assert re.fullmatch(r"海门区高新技术企业培育认定工作领导小组会议简报（\d{4}年第\d+期）", page.title), meeting
    assert pages["2024-09"].title.endswith("（2024年第2期）")
    assert pages["2025-03"].title.endswith("（2025年第1期）")


def test_the_sample_mark_reads_shilishuju_and_its_explanation_is_in_the_annex(pages):
    for meeting, page in pages.items():
        assert page.sample_mark == "示例数据", meeting
        assert not any("合成" in p and "不代表" in p for p in page.main), meeting
        assert any("合成的示例数据" in p for p in page.annex), meeting


# ------------------------------------------------------------------------------------------ what the main text holds
def test_the_main_text_has_no_english_word_model_name_file_path_or_code(pages):
    assert _each_page(pages, LATIN_WORD) == {}


def test_the_main_text_shows_no_credit_code(pages):
    assert _each_page(pages, CREDIT_CODE) == {}


def test_dates_are_written_in_chinese(pages):
    assert _each_page(pages, ISO_DATE) == {}


def test_periods_of_months_take_the_chinese_dash(pages):
    assert _each_page(pages, PERIOD_DASH) == {}


def test_figures_carry_no_spurious_decimals(pages):
    assert _each_page(pages, SPURIOUS_DECIMAL) == {}


def test_prose_counts_no_fractional_firms_people_or_projects(pages):
    assert _each_page(pages, FRACTIONAL_COUNT) == {}


def test_counts_of_towns_read_n_of_m_not_a_fraction(pages):
    assert _each_page(pages, SLASH_COUNT) == {}


def test_chinese_text_takes_full_width_punctuation(pages):
    assert _each_page(pages, HALF_WIDTH_PUNCT) == {}


@pytest.mark.parametrize("word", sorted(BANNED))
def test_translated_sounding_words_are_replaced(pages, word):
    assert {m: hits for m, page in pages.items() if (hits := [p[:90] for p in main_text(page) if word in p])} == {}


def test_status_words_are_the_defined_ones(pages):
    for meeting, page in pages.items():
        assert page.badges and set(page.badges) <= STATUS_WORDS, (meeting, set(page.badges) - STATUS_WORDS)


def test_the_status_rule_defines_the_words_it_uses(pages):
    rule = next(p for p in pages["2024-09"].annex if p.startswith("状态："))
    for word in ("预计完成", "存在风险", "完成难度大"):
        assert f"“{word}”" in rule


def test_task_progress_is_judged_against_the_same_point_of_earlier_years(pages):
    sentences = [p for p in main_text(pages["2024-09"]) if "序时进度" in p]
    assert sentences and all("同期" in s for s in sentences)
    assert not [p for p in main_text(pages["2024-09"]) if re.search(r"全年的0%，约0", p)]


def test_each_target_takes_the_plans_measure_word(pages):
    text = " ".join(main_text(pages["2024-09"]))
    assert re.search(r"产学研项目 120项", " ".join(pages["2024-09"].main)) or "120项" in text
    assert "3家" in text and "1条" in text


# ------------------------------------------------------------------------------------------ the cover note
def _notices(root: Path) -> dict[str, str]:
    """Each rendered meeting's cover note, made from its summary and the previous meeting's as `gaoqi render`
    makes it (``helpers.notice.notice_text``), without writing into the shared rendered tree."""
    from helpers.notice import notice_text

    summaries = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((root / "reports").glob("*/summary-*.json"))}
    out, previous = {}, None
    for meeting in sorted(summaries):
        summary = summaries[meeting]
        out[meeting] = notice_text(summary, previous, summary.get("completeness"))
        previous = summary
    return out


def test_every_cover_note_follows_the_style(rendered_project):
    notices = _notices(Path(rendered_project))
    assert notices
    for meeting, text in notices.items():
        prose = re.sub(r"\S+\.html|index\.html", " ", text)  # the file to open is named as it is
        for pattern in (ISO_DATE, SPURIOUS_DECIMAL, FRACTIONAL_COUNT, SLASH_COUNT, PERIOD_DASH, LATIN_WORD):
            assert _found([prose], pattern) == [], (meeting, pattern.pattern)
        assert not [w for w in BANNED if w in prose], meeting
        assert "报送如下，请审阅" in text, meeting


# ------------------------------------------------------------------------------------------ the Excel appendix
def test_every_chinese_workbooks_words_follow_the_style(rendered_project):
    books = sorted((Path(rendered_project) / "reports").glob("*/briefing-*.xlsx"))
    books = [b for b in books if not b.name.endswith(".en.xlsx")]
    assert books
    for book in books:
        wb = load_workbook(book, read_only=True)
        for ws in wb.worksheets:
            if ws.title == "数据质量":  # the returns' own cells, quoted as found
                continue
            texts = [str(c) for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
            for pattern in (SLASH_COUNT, FRACTIONAL_COUNT, PERIOD_DASH):
                assert _found(texts, pattern) == [], (book.name, ws.title, pattern.pattern)
            assert not [w for w in BANNED if any(w in t for t in texts)], (book.name, ws.title)
            statuses = {t for t in texts if t in STATUS_WORDS | {"按进度", "有风险", "滞后"}}
            assert statuses <= STATUS_WORDS, (book.name, ws.title, statuses)
        wb.close()


# ------------------------------------------------------------------------------------------ English keeps working
def test_the_english_page_keeps_the_same_parts_in_english(rendered_project):
    path = Path(rendered_project) / "reports" / "2024-09" / "briefing-2024-09.en.html"
    page = _MainText()
    page.feed(path.read_text(encoding="utf-8"))
    summary = json.loads((path.parent / "summary-2024-09.json").read_text(encoding="utf-8"))

    assert page.title == summary["title_en"] == page.main[0]
    assert page.annex and page.annex[0] == "Annex"
    assert page.sample_mark == "sample data"
    assert {"on track", "at risk", "off track"} & set(page.badges)
