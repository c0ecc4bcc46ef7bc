"""How the Excel appendix looks on screen and on paper: number formats from units, sheet names, print set-up.

Why a module of its own: every sheet of the appendix (the targets, each by-town table, the quality findings, and
sheets other parts of the suite add) is formatted from what its columns declare — a kind of cell and a unit — and
never from the sheet it is on. A by-town table says the unit of its figures in ``DataFrame.attrs["unit"]`` when
they are not in the target's own unit (a count target judged by each town's growth in %): printed from
LibreOffice, the old appendix showed a growth of 14.98 % as "15" beside the 800家 goal, a rate both as 48.0% and
"%", and ran to 41 pages with columns split across them.

Formats are built from the wording catalogue's ``quantity.<unit>`` forms, so the cell reads exactly as the page
does (``400家``, ``48.0%``, ``12.50亿元``, ``1 team`` / ``4 teams``) while it keeps the full-precision number.
"""

from __future__ import annotations

import re
import unicodedata

from helpers.labels import Lang, known
from helpers.wording import say

#: decimals of a unit's figures, as the page prints them (helpers.labels.DECIMALS)
UNIT_DECIMALS = {"percent": 1, "100m_yuan": 2}
PROBABILITY_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
PP_FORMAT = "+0.0;-0.0;0.0"
RATIO_FORMAT = "0.00"
INT_FORMAT = "0"
PLAIN_NUMBER_FORMAT = "#,##0.####"
#: Excel's limit on a sheet's name, and the characters it refuses there
SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
#: a column of running text is wrapped at this width (Excel character units) rather than widened
WRAP_WIDTH = 48
#: A4 in xlsxwriter's paper codes
A4 = 9


def _quoted(text: str) -> str:
    return f'"{text}"' if text else ""


def _number(unit: str, lang: Lang = "en") -> str:
    """The figure's digits as the page prints them: thousands grouped in English, not in Chinese."""
    decimals = UNIT_DECIMALS.get(unit, 0)
    return ("#,##0" if lang == "en" else "0") + ("." + "0" * decimals if decimals else "")


def unit_format(unit: str, lang: Lang) -> str:
    """The number format of a figure in ``unit``: the figure as the page rounds it, with the unit's words.

    A unit the catalogue does not know (an indicator's own unit from a return) gets the bare figure."""
    key = f"quantity.{unit}"
    if not unit or not known(key):
        return _number(unit) if unit in UNIT_DECIMALS else PLAIN_NUMBER_FORMAT
    before, _, after = say(key, lang, n="\0").partition("\0")
    many = f"{_quoted(before)}{_number(unit, lang)}{_quoted(after)}"
    if known(f"{key}.one"):
        one_before, _, one_after = say(f"{key}.one", lang, n="\0").partition("\0")
        one = f"{_quoted(one_before)}0{_quoted(one_after)}"
        if one != many.replace(_number(unit, lang), "0"):
            return f"[=1]{one};{many}"
    return many


def number_format(kind: str, unit: str, lang: Lang) -> str | None:
    """The number format of a cell of ``kind`` (see ``outputs._Sheets.cell``) whose figures are in ``unit``."""
    if kind == "value":
        return unit_format(unit, lang)
    return {"probability": PROBABILITY_FORMAT, "share": PROBABILITY_FORMAT, "pp": PP_FORMAT, "ratio": RATIO_FORMAT,
            "int": INT_FORMAT, "date": DATE_FORMAT, "number": PLAIN_NUMBER_FORMAT}.get(kind)


def display_width(text: str) -> int:
    """Display width in Excel character units: CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, unique in ``taken``.

    A longer name is cut at the last word boundary that leaves room for "…" (Chinese, which has no spaces, at any
    character), never inside a word: "02 High-tech share of above-sca" read as a typo."""
    base = _shorten(_NOT_IN_SHEET_NAME.sub(" ", text).strip() or "-", SHEET_NAME_MAX)
    name, i = base, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name, i = _shorten(base, SHEET_NAME_MAX - len(suffix)) + suffix, i + 1
    taken.add(name.lower())
    return name


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    if " " in text[limit - 1: limit] or not re.search(r"[A-Za-z0-9]$", head):
        cut = len(head)  # the cut falls between words, or after a Chinese character
    elif cut > limit // 2:
        head = head[:cut]
    return head.rstrip(" ,;-–(（、，") + "…"


def footer(title: str, lang: Lang) -> str:
    """The printed footer of every sheet: the briefing's title left, "page n of N" right (Excel's &-codes)."""
    text = title.replace("&", "&&")[:120]
    return f"&L{text}&R{say('devices.xlsx.page', lang, page='&P', pages='&N')}"


def print_setup(ws: object, *, title: str, lang: Lang) -> None:
    """A4 landscape, every column on the page's width (as many pages down as it takes), the header row on every
    page, the title and page number in the footer, the sheet's name in the header."""
    ws.set_paper(A4)  # type: ignore[attr-defined]
    ws.set_landscape()  # type: ignore[attr-defined]
    ws.fit_to_pages(1, 0)  # type: ignore[attr-defined]
    ws.repeat_rows(0)  # type: ignore[attr-defined]
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)  # type: ignore[attr-defined]
    ws.set_header("&C&A")  # type: ignore[attr-defined]
    ws.set_footer(footer(title, lang))  # type: ignore[attr-defined]
