"""What a person sees: a real rendered briefing opened from disk in the system Chromium, network blocked.

One render of meeting 2024-09 (Chinese and English) from the shipped sample data is shared by these tests.
Chromium is Debian's (`/usr/bin/chromium`), driven by playwright with `executable_path`; every request that is
not a file:// URL is aborted and counted.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from helpers.briefing import fmt_p, fmt_range, fmt_value
from helpers.datewords import chart_day_text

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MEETING = "2024-09"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason="system Chromium not installed (apt-get install chromium); CI installs it"),
]


@pytest.fixture(scope="module")
def rendered(rendered_project) -> Path:
    return rendered_project / "reports" / MEETING


class Visit:
    """One page load: console errors, outside requests, the page handle and how many charts the first screen drew."""

    def __init__(self, page, errors: list[str], outside: list[str], drawn_at_first_screen: int = 0):
        self.page, self.errors, self.outside = page, errors, outside
        self.drawn_at_first_screen = drawn_at_first_screen


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def _visit(browser, path: Path) -> Visit:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    first_screen = page.evaluate("document.querySelectorAll('.gq-chart.js-plotly-plot').length")
    page.evaluate("window.gaoqiCharts.drawAll()")
    return Visit(page, errors, outside, first_screen)


@pytest.fixture(scope="module")
def zh(browser, rendered) -> Visit:
    return _visit(browser, rendered / f"briefing-{MEETING}.html")


@pytest.fixture(scope="module")
def summary(rendered) -> dict:
    return json.loads((rendered / f"summary-{MEETING}.json").read_text(encoding="utf-8"))


def test_every_chart_is_drawn(zh):
    assert zh.page.evaluate("document.documentElement.dataset.charts") == "ready"
    blocks = zh.page.locator('script[type="application/vnd.gaoqi.plotly+json"]').count()
    drawn = zh.page.locator(".gq-chart.js-plotly-plot svg.main-svg").count()
    assert blocks >= 5
    assert zh.page.locator(".gq-chart.js-plotly-plot").count() == blocks
    assert drawn >= blocks


def test_the_first_screen_does_not_wait_for_the_charts_below_it(zh):
    blocks = zh.page.locator('script[type="application/vnd.gaoqi.plotly+json"]').count()
    assert zh.page.evaluate("document.documentElement.dataset.firstScreen") == "ready"
    assert 1 <= zh.drawn_at_first_screen < blocks


def test_scrolling_to_the_end_draws_every_chart(browser, rendered):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((rendered / f"briefing-{MEETING}.html").resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height + 900, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=60_000)
    blocks = page.locator('script[type="application/vnd.gaoqi.plotly+json"]').count()
    assert page.locator(".gq-chart.js-plotly-plot").count() == blocks
    page.close()


@pytest.fixture(scope="module")
def printed(browser, rendered):
    """The page as printed on A4: print media, the width of the printed text column (703 px)."""
    page = browser.new_page(viewport={"width": 703, "height": 1000})
    page.emulate_media(media="print")
    page.goto((rendered / f"briefing-{MEETING}.en.html").resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=60_000)
    yield page
    page.close()


def test_printing_draws_every_chart(printed):
    blocks = printed.locator('script[type="application/vnd.gaoqi.plotly+json"]').count()
    assert printed.locator(".gq-chart.js-plotly-plot").count() == blocks >= 5


def test_nothing_printed_is_wider_than_the_page(printed):
    # wider content makes Chromium shrink every page (charts then print at two-thirds of the width)
    assert printed.evaluate("document.documentElement.scrollWidth") <= 703


def test_every_printed_chart_spans_the_text_width(printed):
    widths = printed.evaluate("Array.from(document.querySelectorAll('.gq-chart svg.main-svg:first-of-type'))"
                              ".map(s => Math.round(s.getBoundingClientRect().width))")
    assert widths and all(702 <= w <= 703 for w in widths), widths  # 186 mm at 96 px per inch


def test_printed_titles_and_legends_are_whole_and_apart(printed):
    problems = printed.evaluate("""() => Array.from(document.querySelectorAll('.gq-chart.js-plotly-plot')).flatMap(div => {
        const svg = div.querySelector('svg.main-svg').getBoundingClientRect();
        const title = div.querySelector('.g-gtitle .gtitle');
        const sub = div.querySelector('.g-gtitle .gtitle-subtitle') || div.querySelector('.gtitle-subtitle');
        const legend = div.querySelector('.legend');
        const out = [];
        if (title && title.getBoundingClientRect().right > svg.right) out.push(['title cut', title.textContent]);
        if (legend && legend.getBoundingClientRect().right > svg.right + 1) out.push(['legend cut', title && title.textContent]);
        if (sub && legend) {
            const a = sub.getBoundingClientRect(), b = legend.getBoundingClientRect();
            if (a.bottom > b.top + 1 && a.top < b.bottom - 1 && a.right > b.left && a.left < b.right)
                out.push(['subtitle overlaps legend', title && title.textContent]);
        }
        return out;
    })""")
    assert problems == []


#: every text run of a numeric cell (a value with its unit, a range's end, a date) that spans two lines in print
BROKEN_IN_PRINT = r"""() => Array.from(document.querySelectorAll('table.gq-table td')).flatMap(td => {
    const broken = [];
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.data;
        // a line may break at a space, after a range's dash or after Chinese punctuation, never inside a figure
        const runs = td.classList.contains('num') ? text.split(/(?<=[–，、；：）])|\s+|(?=（)/)
                                                  : (text.match(/\d{4}-\d{2}-\d{2}/g) || []);
        for (const run of runs) {
            const at = text.indexOf(run);
            if (!run || at < 0) continue;
            const tops = new Set();
            for (let i = at; i < at + run.length; i++) {
                const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                const box = r.getClientRects()[0]; if (box) tops.add(Math.round(box.top));
            }
            if (tops.size > 1) broken.push(run);
        }
    }
    return broken;
})"""


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_printed_tables_never_break_a_number_or_a_date_over_two_lines(browser, rendered, suffix):
    # squeezed into the A4 column, "38.1%" once printed as "38." above "1%" and "2024-12-31" as "2024-12-" / "31"
    page = browser.new_page(viewport={"width": 703, "height": 1000})
    page.emulate_media(media="print")
    page.goto((rendered / f"briefing-{MEETING}{suffix}.html").resolve().as_uri())
    try:
        assert page.evaluate(BROKEN_IN_PRINT) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 703
    finally:
        page.close()


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_printed_headers_never_break_inside_a_short_bracketed_term(browser, rendered, suffix):
    # the A4 PDF printed the towns table's header as "全年预测（80%区" / "间）"
    page = browser.new_page(viewport={"width": 703, "height": 1000})
    page.emulate_media(media="print")
    page.goto((rendered / f"briefing-{MEETING}{suffix}.html").resolve().as_uri())
    try:
        terms = page.evaluate("""() => [...document.querySelectorAll('table.gq-table th .gq-nobr')].map(s =>
            [s.textContent, new Set([...s.getClientRects()].map(r => Math.round(r.top))).size])""")
    finally:
        page.close()
    assert any("80" in text for text, _ in terms)
    assert [text for text, lines in terms if lines > 1] == []


def test_page_makes_no_outside_request(zh):
    assert zh.outside == []


def test_page_logs_no_console_error(zh):
    assert zh.errors == []


def test_chinese_text_is_shown_in_a_cjk_font(zh):
    text = zh.page.inner_text("main")
    assert "领导小组" in text and "有效高新技术企业数" in text
    assert zh.page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '高新技术')")


def test_sample_mark_is_visible_at_the_top_of_the_screen(zh):
    mark = zh.page.locator(".gq-sample-mark")
    assert mark.is_visible()
    assert mark.inner_text().strip() == "示例数据"  # the mark only; its explanation is in the 附件
    assert mark.bounding_box()["y"] == 0


def test_summary_table_shows_the_numbers_of_the_summary_json(zh, summary):
    rows = zh.page.locator('table[data-gq="summary-table"] tbody tr')
    headline = [t for t in summary["targets"] if t["headline"]]
    assert rows.count() == len(headline) == 3
    for i, t in enumerate(headline):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        assert cells[0] == t["name_zh"]
        assert cells[4] == fmt_value(t["forecast_point"], t["unit"], "zh")
        assert cells[5] == fmt_range(t["forecast_lo80"], t["forecast_hi80"], t["unit"], "zh")
        assert cells[6] == fmt_p(t["p_reach"])


def test_cut_off_on_the_page_is_the_summary_as_of(zh, summary):
    cut_off = zh.page.locator('[data-gq="cut-off"]')
    assert cut_off.get_attribute("data-date") == summary["as_of"] == "2024-08-31"
    assert cut_off.inner_text() == "2024年8月31日"


def test_only_the_expected_scripts_are_on_the_page(zh):
    scripts = zh.page.evaluate("Array.from(document.scripts).map(s => [s.type || 'js', s.src])")
    assert [src for _, src in scripts if src] == []
    kinds = [kind for kind, _ in scripts]
    assert set(kinds) <= {"application/octet-stream", "js", "application/vnd.gaoqi.plotly+json"}
    assert kinds.count("application/octet-stream") == 1  # plotly.js, compressed, once
    assert kinds.count("js") == 2  # the loader, and plotly.js as the loader inserts it


def test_english_briefing_uses_english_labels(browser, rendered):
    en = _visit(browser, rendered / f"briefing-{MEETING}.en.html")
    text = en.page.inner_text("main")
    assert "Valid high-tech enterprises" in text and "Summary" in text
    assert not re.search(r"[一-龥]{6,}", en.page.inner_text('table[data-gq="summary-table"] thead'))
    assert en.outside == [] and en.errors == []


def test_briefing_is_under_2_5_mb(rendered):
    assert (rendered / f"briefing-{MEETING}.html").stat().st_size <= 2.5 * 1024 * 1024


def test_meeting_folder_holds_html_json_xlsx_and_the_executed_notebook(rendered):
    names = {p.name for p in rendered.iterdir()}
    assert {f"briefing-{MEETING}.html", f"briefing-{MEETING}.en.html", f"summary-{MEETING}.json",
            f"briefing-{MEETING}.xlsx", f"03_briefing-{MEETING}.ipynb"} <= names


def _phone(browser, path: Path):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(path.resolve().as_uri())
    return ctx, page


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_on_a_phone_every_table_fits_the_screen_and_keeps_its_numbers_whole(browser, rendered, suffix):
    # the summary once showed 指标/目标/状态 only, the rest a sideways scroll away: every row is now a card
    ctx, page = _phone(browser, rendered / f"briefing-{MEETING}{suffix}.html")
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    tables = page.evaluate("""() => [...document.querySelectorAll('table.gq-table')].map(t => ({
        name: t.dataset.gq, right: Math.max(...[...t.querySelectorAll('td')].map(td => td.getBoundingClientRect().right)),
        scrolled: t.scrollWidth > t.clientWidth + 1,
        broken: [...t.querySelectorAll('td.num')].filter(td => {
            const r = document.createRange(); r.selectNodeContents(td);
            return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; }).length }))""")
    width = page.evaluate("document.documentElement.scrollWidth")
    ctx.close()

    assert tables and width <= 390
    for t in tables:
        assert t["right"] <= 390 and not t["scrolled"], f"table {t['name']} reaches {t['right']:.0f} px"
        assert t["broken"] == 0, f"table {t['name']}: {t['broken']} numbers broken over two lines"


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_on_a_phone_each_headline_targets_key_figures_are_on_the_screen(browser, rendered, summary, suffix):
    lang = "en" if suffix else "zh"
    ctx, page = _phone(browser, rendered / f"briefing-{MEETING}{suffix}.html")
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    header = page.locator('table[data-gq="summary-table"] thead th').all_inner_texts()
    rows = page.locator('table[data-gq="summary-table"] tbody tr')
    headline = [t for t in summary["targets"] if t["headline"]]
    assert rows.count() == len(headline)
    for i, t in enumerate(headline):
        cells = rows.nth(i).locator("td")
        for col in (3, 4, 6, 7):  # latest, forecast, probability, what it would take
            box = cells.nth(col).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (t["id"], header[col], box)
            assert cells.nth(col).is_visible()
        # the figure beside its column's name (the hidden header's words, drawn before the cell)
        assert cells.nth(6).inner_text().strip() == fmt_p(t["p_reach"])
        named = cells.nth(6).evaluate("td => getComputedStyle(td, '::before').content")
        assert named == f'"{header[6]}"'
        assert cells.nth(0).inner_text().strip() == t[f"name_{lang}"]
    ctx.close()


def test_on_a_phone_the_index_links_are_on_the_screen(browser, rendered):
    ctx, page = _phone(browser, rendered.parent / "index.html")
    links = page.evaluate("""() => [...document.querySelectorAll('table[data-gq="index"] a')].map(a => {
        const r = a.getBoundingClientRect(); return [a.textContent, r.left, r.right]; })""")
    width = page.evaluate("document.documentElement.scrollWidth")
    ctx.close()
    assert links and width <= 390
    assert [name for name, left, right in links if left < 0 or right > 390] == []


def test_on_a_phone_no_toolbar_covers_a_chart_title_and_the_deadline_keeps_its_tick(browser, rendered, summary):
    ctx, page = _phone(browser, rendered / f"briefing-{MEETING}.html")
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    page.evaluate("window.gaoqiCharts.drawAll()")
    page.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=60_000)
    page.locator(".gq-chart").first.tap()
    covered = page.evaluate("""() => [...document.querySelectorAll('.gq-chart.js-plotly-plot')].filter(div => {
        const bar = div.querySelector('.modebar'), title = div.querySelector('.g-gtitle .gtitle');
        if (!bar || !title || getComputedStyle(bar.closest('.modebar-container')).display === 'none') return false;
        const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
        return a.width > 0 && a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
    }).length""")
    ticks = page.evaluate("""() => [...document.querySelectorAll('.gq-chart.js-plotly-plot')].slice(0, 1)
        .map(div => [...div.querySelectorAll('.xtick text')].map(t => t.textContent))[0]""")
    ctx.close()
    assert covered == 0
    deadline_year = summary["targets"][0]["deadline"][:4]
    assert any(deadline_year in t for t in ticks), ticks


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_on_a_phone_flat_category_labels_never_run_into_each_other(browser, rendered, suffix):
    # the towns heatmap's target names, set flat under three narrow columns, overlapped on a 390 px screen
    ctx, page = _phone(browser, rendered / f"briefing-{MEETING}{suffix}.html")
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    page.evaluate("window.gaoqiCharts.drawAll()")
    page.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=60_000)
    charts = page.evaluate("""() => [...document.querySelectorAll('.gq-chart.js-plotly-plot')]
        .filter(div => div._fullLayout.xaxis && div._fullLayout.xaxis.type === 'category'
                       && div._fullLayout.xaxis.tickangle === 0)
        .map(div => ({svg: div.querySelector('svg.main-svg').getBoundingClientRect().toJSON(),
                      ticks: [...div.querySelectorAll('.xaxislayer-above .xtick text')]
                               .map(t => t.getBoundingClientRect().toJSON())}))""")
    ctx.close()
    assert charts, "no chart with flat category labels (the towns heatmap)"
    for c in charts:
        ticks = sorted(c["ticks"], key=lambda b: b["left"])
        assert all(a["right"] <= b["left"] + 1 for a, b in itertools.pairwise(ticks)), ticks
        assert all(t["bottom"] <= c["svg"]["bottom"] for t in ticks)


def test_the_english_desktop_task_table_keeps_its_long_text_readable(browser, rendered):
    page = _visit(browser, rendered / f"briefing-{MEETING}.en.html").page
    box = page.evaluate("""() => { const t = document.querySelector('table[data-gq="task-table"]');
        const main = document.querySelector('.gq-main').getBoundingClientRect();
        const items = [...t.querySelectorAll('.gq-detail-item')].map(d => d.getBoundingClientRect().width);
        return {height: t.getBoundingClientRect().height, right: t.getBoundingClientRect().right,
                main: main.right, narrowest: Math.min(...items), rows: t.querySelectorAll('tbody.gq-row').length}; }""")
    page.close()
    # it was 7,199 px tall, wider than its column, with "What it would take" 89 px wide
    assert box["right"] <= box["main"]
    assert box["narrowest"] >= 600
    assert box["height"] <= 160 * box["rows"]


#: for every drawn chart: its box, and the boxes and font sizes of its title, subtitle and foot line (the annotation
#: naming the source and the data cut-off); Chinese and English pages both end their foot line with the cut-off day
CHART_TEXTS = """cutOff => [...document.querySelectorAll('.gq-chart.js-plotly-plot')].map(div => {
    const box = el => { const r = el.getBoundingClientRect();
        return {text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                size: parseFloat(getComputedStyle(el).fontSize)}; };
    const title = div.querySelector('.g-gtitle .gtitle'), subtitle = div.querySelector('.gtitle-subtitle');
    const foot = [...div.querySelectorAll('.annotation-text')].filter(a => a.textContent.includes(cutOff));
    return {chart: box(div), title: title && box(title), subtitle: subtitle && box(subtitle), foot: foot.map(box)};
})"""


@pytest.mark.parametrize("suffix", ["", ".en"])
def test_on_a_phone_every_chart_keeps_its_title_subtitle_and_foot_line_whole_and_readable(browser, rendered, summary,
                                                                                         suffix):
    # on a 390 px phone plotly cut long titles and every foot line at the chart's right edge (and a title broken
    # after its colon began above the chart); the page grew to 427 px
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto((rendered / f"briefing-{MEETING}{suffix}.html").resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.firstScreen", timeout=60_000)
    page.evaluate("window.gaoqiCharts.drawAll()")
    page.wait_for_function("document.documentElement.dataset.charts === 'ready'", timeout=60_000)
    # the foot line names the cut-off as the page's language writes it in a chart (helpers.datewords)
    as_of = dt.date.fromisoformat(summary["as_of"])
    charts = page.evaluate(CHART_TEXTS, chart_day_text(as_of, "en" if suffix else "zh"))
    width = page.evaluate("document.documentElement.scrollWidth")
    ctx.close()

    assert len(charts) >= 5
    problems = []
    for n, c in enumerate(charts, 1):
        box = c["chart"]
        if not c["title"] or not c["subtitle"] or len(c["foot"]) != 1:
            problems.append((n, "title, subtitle or foot line missing", c["title"] and c["title"]["text"]))
            continue
        for part in ("title", "subtitle", "foot"):
            text = c[part][0] if part == "foot" else c[part]
            inside = (text["left"] >= box["left"] - 1 and text["right"] <= box["right"] + 1
                      and text["top"] >= box["top"] - 1 and text["bottom"] <= box["bottom"] + 1)
            if not inside:
                problems.append((n, f"{part} outside the chart", text["text"]))
            if text["size"] < 10:
                problems.append((n, f"{part} in {text['size']} px", text["text"]))
    assert problems == []
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
