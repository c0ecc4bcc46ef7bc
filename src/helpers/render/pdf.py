"""Print a finished briefing page to an A4 PDF with the system Chromium.

Why playwright and not ``chromium --print-to-pdf``: the command line prints when a time budget runs out, whether or
not every chart is drawn, and it lays charts out at the screen's width (they printed at two-thirds of the
page). Here the page is opened with print media emulated, so ``templates/briefing/loader.js`` draws every chart
at the printed column's width, and the PDF is taken only once the page says ``data-charts="ready"``. Nothing
outside the file is requested. Chromium is Debian's (``executable_path``); no browser is downloaded.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from helpers.atomic import make_shareable
from helpers.render.result import RenderError
from helpers.wording import say

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: the printed text column of A4 less briefing.css's @page margins (12 mm a side), in CSS px
PRINT_VIEWPORT = {"width": 703, "height": 1000}
CHARTS_TIMEOUT_S = 120


def chromium_path() -> str | None:
    """The system Chromium (Debian's ``chromium``), or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


#: what the printed page's footer shows, read from the page as rendered: its title (the header's h1, so a changed
#: title follows) and meeting, with "page n of N" (the sample mark stays the page's own @page header, briefing.css)
MARGIN_TEXTS = """() => ({
    lang: document.body.lang || document.documentElement.lang || 'zh',
    title: (document.querySelector('.gq-main h1') || {}).textContent || document.title,
    meeting: (document.querySelector('[data-gq="meeting"]') || {}).textContent || ''})"""
#: (inside a double-quoted style attribute: no double quote in it, or the style is lost and the text prints tiny)
MARGIN_STYLE = ("font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif; font-size: 8pt; color: #52606d; "
                "width: 100%; margin: 0 12mm; display: flex; justify-content: space-between;")


def margin_templates(tab: object) -> dict[str, str]:
    """Chromium's header and footer templates for ``tab``'s page (its own text, escaped; page numbers by class)."""
    texts = tab.evaluate(MARGIN_TEXTS)  # type: ignore[attr-defined]
    lang = "en" if str(texts["lang"]).startswith("en") else "zh"
    title = html.escape(" ".join(p for p in (texts["title"].strip(), texts["meeting"].strip()) if p))
    pages = say("devices.xlsx.page", lang, page='<span class="pageNumber"></span>',
                pages='<span class="totalPages"></span>')
    return {"header_template": "<span></span>",
            "footer_template": f'<div style="{MARGIN_STYLE}"><span>{title}</span><span>{pages}</span></div>'}


def print_pdf(page: Path, *, timeout_s: int = CHARTS_TIMEOUT_S) -> Path:
    """Print ``page`` to ``<page>.pdf`` beside it (A4, backgrounds kept) once every chart is drawn."""
    browser = chromium_path()
    if browser is None:
        raise RenderError(say("render.no_chromium", "en"))
    out = page.with_suffix(".pdf")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
            try:
                tab = chromium.new_page(viewport=PRINT_VIEWPORT)
                tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                tab.emulate_media(media="print")
                tab.goto(page.resolve().as_uri())
                tab.wait_for_function("['ready', 'failed'].includes(document.documentElement.dataset.charts)",
                                      timeout=timeout_s * 1000)
                if tab.evaluate("document.documentElement.dataset.charts") != "ready":
                    raise RenderError(say("render.pdf_failed", "en", page=page.name, error="charts failed to draw"))
                tab.pdf(path=tmp, format="A4", print_background=True, prefer_css_page_size=True,
                        display_header_footer=True, **margin_templates(tab))
            finally:
                chromium.close()
        make_shareable(Path(tmp))
        os.replace(tmp, out)
    except PlaywrightError as exc:
        raise RenderError(say("render.pdf_failed", "en", page=page.name, error=str(exc).strip()[-500:])) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out
