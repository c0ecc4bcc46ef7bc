"""The Chinese briefing is in Chinese: its visible text (page and figures) carries no English passage except
names, file names, web addresses and identifiers. Checked on the real rendered 2024-09 page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

MEETING = "2024-09"
#: names that stay as they are in a Chinese text (measures of forecast accuracy, a competition's name, the
#: program's own name in the footer)
NAMES = {"sMAPE", "Theta", "Brier", "xlsx", "gaoqi-briefings"}
#: passages another room writes (cell texts of these tables' columns), checked by their own test below
OTHER_ROOMS = {("quality-table", 6), ("method-table", 1), ("footer", 0)}
FIGURE_TEXT_KEYS = {"text", "name", "ticktext"}


class _Page(HTMLParser):
    """Visible text chunks (with the table and column they sit in) and the figures' JSON specs."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[tuple[str, tuple[str, int] | None]] = []
        self.figures: list[dict] = []
        self._script: str | None = None
        self._table: list[str] = []
        self._col = -1
        self._in_mark = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "title"):
            self._script = a.get("type") or tag
        elif tag in ("table", "footer"):
            self._table.append(a.get("data-gq") or tag)
            self._col = 0
        elif tag == "tr":
            self._col = -1
        elif tag in ("td", "th"):
            self._col += 1
        if {"gq-sample-mark", "gq-sample-note"} & set((a.get("class") or "").split()):
            self._in_mark = tag  # the sample mark is bilingual on purpose

    def handle_endtag(self, tag):
        if tag == self._in_mark:
            self._in_mark = ""
        if tag in ("script", "style", "title"):
            self._script = None
        elif tag in ("table", "footer") and self._table:
            self._table.pop()

    def handle_data(self, data):
        if self._script == "application/vnd.gaoqi.plotly+json":
            self.figures.append(json.loads(data))
        elif self._script is None and data.strip() and not self._in_mark:
            where = (self._table[-1], self._col) if self._table else None
            self.chunks.append((data, where))


def _figure_texts(node, key: str = "") -> list[str]:
    if isinstance(node, dict):
        if key == "annotations":  # an annotation's ``name`` is an identifier the page's loader finds it by, not shown
            node = {k: v for k, v in node.items() if k != "name"}
        return [t for k, v in node.items() for t in _figure_texts(v, k)]
    if isinstance(node, list):
        return [t for v in node for t in _figure_texts(v, key)]
    return [node] if isinstance(node, str) and key in FIGURE_TEXT_KEYS else []


def english_passages(text: str) -> list[str]:
    """Latin-script words in ``text`` once web addresses, file names, identifiers and names are taken out."""
    text = re.sub(r"https?://\S+|\S+\.(?:xlsx|xls|csv|json|html)\b", " ", text)
    words = re.findall(r"[A-Za-z0-9_\-]*[A-Za-z]{2,}[A-Za-z0-9_\-]*", text)
    return [w for w in words if w not in NAMES and not re.search(r"\d", w) and not w.isupper()]


@pytest.fixture(scope="module")
def page(rendered_project) -> _Page:
    p = _Page()
    p.feed((Path(rendered_project) / "reports" / MEETING / f"briefing-{MEETING}.html").read_text(encoding="utf-8"))
    return p


def test_the_chinese_page_writes_no_english_passage_of_its_own(page):
    found = [(w, chunk[:80]) for chunk, where in page.chunks if where not in OTHER_ROOMS
             for w in english_passages(chunk)]
    found += [(w, t[:80]) for fig in page.figures for t in _figure_texts(fig) for w in english_passages(t)]
    assert found == []


def test_quality_messages_method_notes_and_footer_are_chinese_too(page):
    found = [w for chunk, where in page.chunks if where in OTHER_ROOMS for w in english_passages(chunk)]
    assert found == []


def test_the_figures_set_aside_are_summarised_not_listed_as_findings(page):
    checks = [chunk for chunk, where in page.chunks if where == ("quality-table", 0)]
    assert checks and "未入库（已说明）" not in checks


def test_an_ad_hoc_meetings_page_says_so_in_its_header(rendered_project, monkeypatch):
    from helpers.render import render_one

    monkeypatch.setenv("GAOQI_ROOT", str(rendered_project))
    render_one("2024-06-20")
    p = _Page()
    p.feed((Path(rendered_project) / "reports" / "2024-06-20" / "briefing-2024-06-20.html").read_text(encoding="utf-8"))
    head = "".join(chunk for chunk, _ in p.chunks[:12])
    assert "2024年6月20日领导小组临时会议" in head and head.count("临时会议") == 1
    # counted among 2024's meetings in date order: after 2024-03, before 2024-09
    assert "海门区高新技术企业培育认定工作领导小组会议简报（2024年第2期）" in head
