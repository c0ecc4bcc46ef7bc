"""Cells: what one cell of a return says — a number, a mark of a figure not published, a date, a period, a round.

Why a room of its own: the same cell grammar serves every form. The spellings a district may change (the marks of
a missing figure, the labels of the release date) come from the vocabulary file (``Vocabulary.grammar``); the
defaults of ``helpers.vocabulary.GRAMMAR`` apply when a caller has no vocabulary at hand.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Sequence
from functools import cache
from typing import Any

from helpers.vocabulary import GRAMMAR

_BATCH_RE = re.compile(r"^第?\s*(\d{1,2})\s*批?(次)?$")


def cell_text(value: Any) -> str:
    """A cell as text for messages and alias matching (dates in ISO form, floats without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_number(value: Any, missing: Collection[str] = GRAMMAR.missing_marks) -> tuple[float | None, str]:
    """(number, status): status ``ok``, ``text`` (a number typed as text), ``missing`` or ``bad``.

    ``missing``: the marks of a figure not published (the vocabulary's ``grammar.missing_marks``).
    """
    if value is None:
        return None, "missing"
    if isinstance(value, bool):
        return None, "bad"
    if isinstance(value, int | float):
        return (None, "missing") if value != value else (float(value), "ok")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in missing or str(value).strip() in missing:
        return None, "missing"
    cleaned = re.sub(r"[,\s]", "", text).rstrip("%")
    try:
        return float(cleaned), "text"
    except ValueError:
        return None, "bad"


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any, missing: Collection[str] = GRAMMAR.missing_marks) -> tuple[dt.date | None, str]:
    """(date, status): ``ok``, ``missing`` or ``bad`` (not a date, or an impossible one such as 2024-02-30)."""
    if value is None:
        return None, "missing"
    if isinstance(value, dt.datetime):
        return value.date(), "ok"
    if isinstance(value, dt.date):
        return value, "ok"
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()
    if text in missing:
        return None, "missing"
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "ok"
            except ValueError:
                return None, "bad"
    return None, "bad"


_RANGE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*[-—–~～至]\s*(\d{1,2})\s*月")
_MONTH_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_ASOF_RE = re.compile(r"截至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HALF_RE = re.compile(r"(\d{4})\s*年\s*(上半年|下半年|全年|年度|H1|H2)")
_SHORT_RANGE_RE = re.compile(r"^\s*(\d{1,2})\s*[-—–~～至]\s*(\d{1,2})\s*月")


@cache
def _release_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"({words})\s*[:：]\s*([0-9][0-9年月日\-/. ]*[0-9日])")


def find_release(text: str, labels: Sequence[str] = GRAMMAR.release_labels) -> tuple[dt.date | None, str, str]:
    """(date, status, raw) of a ``发布日期：…`` phrase in title text; status ``missing`` when there is none.

    ``labels``: how the title rows name the date (the vocabulary's ``grammar.release_labels``).
    """
    m = _release_re(tuple(labels)).search(text)
    if not m:
        return None, "missing", ""
    date, status = parse_date(m.group(2).strip())
    return date, status, m.group(0)


def parse_period(text: str, default_year: int | None = None) -> tuple[tuple[int, int] | None, str]:
    """(year, last month) of a YTD period such as ``2024年1-6月`` or ``2024年1-2月``.

    Status ``ok``; ``january`` for a January-only return (January and February are reported together as
    1-2月, so a January figure cannot be placed); ``not_ytd`` for a range not starting in January;
    ``missing`` when no period is written.
    """
    text = unicodedata.normalize("NFKC", text)
    m = _RANGE_RE.search(text)
    if m:
        year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if first != 1 or not 2 <= last <= 12:
            return None, "not_ytd"
        return (year, last), "ok"
    m = _MONTH_RE.search(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if month == 1:
            return None, "january"
        return ((year, month), "ok") if 2 <= month <= 12 else (None, "not_ytd")
    m = _SHORT_RANGE_RE.search(text)
    if m and default_year:
        first, last = int(m.group(1)), int(m.group(2))
        return ((default_year, last), "ok") if first == 1 and 2 <= last <= 12 else (None, "not_ytd")
    return None, "missing"


def parse_period_end(text: str) -> tuple[dt.date | None, str]:
    """The period end of a half-yearly return: ``截至2024年6月30日`` or ``2024年上半年`` / ``全年``."""
    text = unicodedata.normalize("NFKC", text)
    m = _ASOF_RE.search(text)
    if m:
        try:
            end = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None, "bad"
        return (end, "ok") if (end.month, end.day) in ((6, 30), (12, 31)) else (end, "not_half")
    m = _HALF_RE.search(text)
    if m:
        year = int(m.group(1))
        return (dt.date(year, 6, 30) if m.group(2) in ("上半年", "H1") else dt.date(year, 12, 31)), "ok"
    return None, "missing"


def is_number(value: Any) -> bool:
    """True for a cell that holds a figure: a number, or text that reads as one (``"12,345.6"``)."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value == value
    if isinstance(value, str):
        return parse_number(value)[1] == "text"
    return False


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def column_name(index: int) -> str:
    """How messages name a column by place: ``C (column 3)``."""
    return f"{column_letter(index)} (column {index + 1})"


def parse_batch(value: Any) -> int | None:
    """An application round as written (第2批, 2, 2批, 第 2 批次) → 2; None when it cannot be read."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))
    if re.fullmatch(r"\d+(\.0)?", text):
        return int(float(text))
    m = _BATCH_RE.match(text)
    return int(m.group(1)) if m else None

