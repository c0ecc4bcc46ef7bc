"""Readers for the bureau's raw returns: xlsx, xls and csv in, located tables and tidy records out.

Why this shape: returns come as workbooks laid out for people (merged title rows carrying the period and the
release date, Chinese headers with units in brackets — sometimes split over two rows —, footnotes under the
table, "—" for unpublished cells) or as CSV exports of older systems in GBK. Each reader finds the header row by
the spellings of ``data/raw/plan/vocabulary.yaml`` (``helpers.vocabulary``), reads units from the headers and
converts money to 万元, keeps YTD figures as reported (1-2月 is month 2; a January-only return is refused), and
gives every value its provenance (file, sheet, Excel row, column) and the date it became known.

Nothing is dropped silently: every cell holding a number below a header row gets a *fate* in ``Parsed.fates``
— a processed table, set aside with a reason (a share the suite recomputes, a 合计 row checked against the towns,
a 序号 column …) — and any number left without one becomes a located fault. Column drift (a blank or unknown
header over numbers, two columns meaning the same thing, a unit the reader does not know) is a located fault
too. Nothing here decides about single cells: every checked cell is emitted as a row of ``cells`` that
``helpers.validate`` checks with pandera.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import numformat
from helpers import vocabulary as vocab_mod
from helpers.towns import DISTRICT, town_code
from helpers.validate import Fault
from helpers.vocabulary import Meaning, Vocabulary, fold

MISSING_MARKS = {"", "—", "——", "-", "--", "–", "/", "…", "不公布", "无"}
FOOTNOTE_RE = re.compile(r"^(注|说明|备注|资料来源|数据来源|\*|※)")
REGISTER_FORM = ("firm_name", "credit_code", "cert_no", "issue_date", "announced", "town")
REGISTER_KEYS = {"firm_name", "credit_code", "cert_no", "issue_date", "announced"}
APPLICATIONS_FORM = ("firm_name", "credit_code", "town", "submitted")
#: how the application list writes its kinds (NFKC-folded, white space removed) → the contract's code
APPLICATION_KINDS = {"首次申报": "first", "首次": "first", "首次认定": "first", "重新认定": "renewal",
                     "重新申报": "renewal", "再次认定": "renewal", "复审": "renewal"}
_BATCH_RE = re.compile(r"^第?\s*(\d{1,2})\s*批?(次)?$")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # every format python-calamine reads
RETURN_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
#: spreadsheets the reader cannot open (WPS's own .et, Numbers, templates): a return saved in one of them is refused
#: with a located fault — listing it as "not a return" would drop its figures without a word
UNREADABLE_SPREADSHEET_SUFFIXES = (".et", ".ett", ".numbers", ".xlt", ".xltx", ".xltm", ".ots", ".dbf")
MAX_HEADER_SCAN = 60
_UNIT_RE = re.compile(r"^(.*?)\(([^()]*)\)$")


# --- reading files ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    """One sheet (or a whole CSV) as rows of cell values, each with its 1-based row number."""

    file: str
    name: str
    rows: list[tuple[int, tuple[Any, ...]]]
    #: (row, 0-based column) of numeric cells formatted as a percentage (``0.0%``: 0.828 shows as 82.8 %)
    percent: frozenset[tuple[int, int]] = frozenset()
    #: whether the file's number formats could be read at all (.xlsx/.xlsm: yes; .xls, .ods, .csv: no)
    formats_seen: bool = False


def read_file(path: Path, rel: str) -> tuple[list[Sheet], list[Fault]]:
    """Every sheet of an xlsx/xls/csv file; a located fault instead when the file cannot be read at all."""
    if path.stat().st_size == 0:
        return [], [Fault.worded(rel, None, None, None, "", "intake.file.empty")]
    suffix = path.suffix.lower()
    if suffix not in RETURN_SUFFIXES:
        return [], [Fault.worded(rel, None, None, None, suffix, "intake.file.kind")]
    try:
        if suffix == ".csv":
            return [_read_csv(path, rel)], []
        return _read_workbook(path, rel), []
    except Exception as exc:  # noqa: BLE001 - any reader failure is the same located fault
        kind = "csv" if suffix == ".csv" else "workbook"
        return [], [Fault.worded(rel, None, None, None, type(exc).__name__, f"intake.file.damaged_{kind}",
                                 suffix=suffix)]


def _read_workbook(path: Path, rel: str) -> list[Sheet]:
    """Read xlsx and xls alike with python-calamine (docs/intake.md: why calamine, not openpyxl or xlrd).

    Empty cells come back as ``""``; they become ``None`` here, as the rest of the reader expects. calamine gives
    stored numbers, not what Excel shows: the cells of an .xlsx formatted as percentages come from
    ``helpers.numformat`` so that a 0.828 shown as 82.8 % is read as 82.8 (see ``_number``).
    """
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))  # first: a damaged file is told as calamine tells it
    try:
        seen = path.suffix.lower() in numformat.READABLE_SUFFIXES
        percent = numformat.percent_cells(path) if seen else {}
        sheets = []
        for name in wb.sheet_names:
            grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [(i, tuple(None if c == "" else c for c in r)) for i, r in enumerate(grid, start=1)]
            sheets.append(Sheet(rel, name, rows, percent.get(name, frozenset()), seen))
        return sheets
    finally:
        wb.close()


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-16 when it starts with its byte-order mark, UTF-8 (with or without BOM) when valid,
    else GB18030 (a superset of the GBK that Excel on Chinese Windows writes for plain "CSV"), else the encoding
    charset-normalizer detects.

    GB18030 is tried strictly before any guess: a short GBK file (a one-line return) is too short for a detector,
    which read 海门 as Big5 漆藷; a mainland bureau's files are UTF-8 or GBK.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["big5", "utf_16", "cp1252"]).best()
    if best is None:
        raise ValueError("encoding not recognised")
    return str(best)


def _read_csv(path: Path, rel: str) -> Sheet:
    text = decode_csv(path.read_bytes())
    rows = [(i, tuple(r)) for i, r in enumerate(csv.reader(io.StringIO(text)), start=1)]
    return Sheet(rel, "", rows)


# --- cells ----------------------------------------------------------------------------------------------------

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


def parse_number(value: Any) -> tuple[float | None, str]:
    """(number, status): status ``ok``, ``text`` (a number typed as text), ``missing`` or ``bad``."""
    if value is None:
        return None, "missing"
    if isinstance(value, bool):
        return None, "bad"
    if isinstance(value, int | float):
        return (None, "missing") if value != value else (float(value), "ok")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in MISSING_MARKS or str(value).strip() in MISSING_MARKS:
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


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """(date, status): ``ok``, ``missing`` or ``bad`` (not a date, or an impossible one such as 2024-02-30)."""
    if value is None:
        return None, "missing"
    if isinstance(value, dt.datetime):
        return value.date(), "ok"
    if isinstance(value, dt.date):
        return value, "ok"
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()
    if text in MISSING_MARKS:
        return None, "missing"
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "ok"
            except ValueError:
                return None, "bad"
    return None, "bad"


_RELEASE_RE = re.compile(r"(发布日期|报送日期|发布时间|更新日期)\s*[:：]\s*([0-9][0-9年月日\-/. ]*[0-9日])")
_RANGE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*[-—–~～至]\s*(\d{1,2})\s*月")
_MONTH_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_ASOF_RE = re.compile(r"截至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HALF_RE = re.compile(r"(\d{4})\s*年\s*(上半年|下半年|全年|年度|H1|H2)")
_SHORT_RANGE_RE = re.compile(r"^\s*(\d{1,2})\s*[-—–~～至]\s*(\d{1,2})\s*月")


def find_release(text: str) -> tuple[dt.date | None, str, str]:
    """(date, status, raw) of a ``发布日期：…`` phrase in title text; status ``missing`` when there is none."""
    m = _RELEASE_RE.search(text)
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


# --- locating a table ---------------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class Column:
    """A column of a located table: what it means (``role``/``key``), its header as written, its unit."""

    index: int
    key: str
    header: str  # as written (both rows of a split header joined)
    unit: str | None
    role: str = "field"  # field / indicator / town_task / set_aside / ignored
    reason: str = ""  # set_aside: share / serial / remark; ignored: why
    default_unit: str = ""  # town_task: the unit when the header gives none

    @property
    def place(self) -> str:
        return column_name(self.index)


@dataclass
class Table:
    """A located table: title text above the header, its columns by meaning, data rows, footnotes cut off."""

    file: str
    sheet: str
    header_row: int
    title: str
    columns: dict[str, Column]
    rows: list[tuple[int, tuple[Any, ...]]]
    default_unit: str | None = None
    set_aside: list[Column] = field(default_factory=list)
    ignored: list[Column] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    after: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    vocab: Vocabulary | None = None
    percent: frozenset[tuple[int, int]] = frozenset()  # the sheet's percent-formatted cells (Sheet.percent)
    formats_seen: bool = False  # Sheet.formats_seen

    @property
    def keys(self) -> set[str]:
        return set(self.columns)

    @property
    def units(self) -> dict[str, tuple[str, float]]:
        return (self.vocab or vocab_mod.load()).units


def match_header(text: Any, vocab: Vocabulary) -> tuple[Meaning | None, str | None, bool]:
    """(meaning, unit, unit known) of a header cell such as ``规上工业总产值（亿元）``."""
    raw = fold(cell_text(text))
    if not raw:
        return None, None, True
    meaning = vocab.meaning(raw)
    if meaning is not None:
        return meaning, None, True
    m = _UNIT_RE.match(raw)
    if m:
        meaning = vocab.meaning(m.group(1))
        if meaning is not None:
            return meaning, m.group(2), m.group(2) in vocab.units
    return None, None, True


def header_key(text: Any, vocab: Vocabulary | None = None) -> tuple[str | None, str | None]:
    """(column key, unit) for a header cell; (None, None) for a spelling the vocabulary does not know."""
    meaning, unit, unit_ok = match_header(text, vocab or vocab_mod.load())
    if meaning is None or not unit_ok:
        return None, None
    return meaning.key, unit


def _known_keys(cells: tuple[Any, ...], vocab: Vocabulary) -> set[str]:
    return {m.key for m in (match_header(c, vocab)[0] for c in cells) if m is not None}


def _combine(upper: tuple[Any, ...], lower: tuple[Any, ...], vocab: Vocabulary) -> list[str]:
    """Join a header split over two rows, column by column.

    A group label (``header_groups``: 本年累计 above 产值/利润, merged across its columns) only says which figure a
    column is; the lower cell is the header. Otherwise the two parts are joined (规上工业总产值 above （万元）).
    """
    width = max(len(upper), len(lower))
    out, group = [], False
    for i in range(width):
        u = cell_text(upper[i]) if i < len(upper) else ""
        lo = cell_text(lower[i]) if i < len(lower) else ""
        if u:
            group = fold(u) in vocab.groups
        if not lo:
            out.append(u)  # "" under a group label merged from the left
            continue
        if not u or group:
            out.append(lo)
            continue
        joined = u + lo
        out.append(lo if match_header(lo, vocab)[0] is not None and match_header(joined, vocab)[0] is None
                   else joined)
    return out


def _is_continuation(cells: tuple[Any, ...], vocab: Vocabulary) -> bool:
    """A row under a header row that completes it: no figures, and at least one header-like cell."""
    texts = [cell_text(c) for c in cells]
    if any(is_number(c) for c in cells) or not any(texts):
        return False
    if any(town_code(t) is not None for t in texts if t):
        return False
    return any(match_header(t, vocab)[0] is not None or (_UNIT_RE.match(fold(t)) and fold(t)[0] == "(")
               for t in texts if t)


def _split_pair(rows: list[tuple[int, tuple[Any, ...]]], pos: int, vocab: Vocabulary) -> list[str] | None:
    """The joined header when neither this row nor the next is a header alone but the two together are."""
    if pos + 1 >= len(rows):
        return None
    upper, lower = rows[pos][1], rows[pos + 1][1]
    if any(is_number(c) for c in (*upper, *lower)) or len(_known_keys(lower, vocab)) >= 2:
        return None
    if sum(bool(cell_text(c)) for c in lower) < 2:
        return None
    joined = _combine(upper, lower, vocab)
    return joined if len(_known_keys(tuple(joined), vocab)) >= 2 else None


def locate_table(sheet: Sheet, vocab: Vocabulary | None = None, max_scan: int = MAX_HEADER_SCAN) -> Table | None:
    """Find the header row (the first with two or more known headers, possibly split over two rows) and the
    data rows below it; classify every column (see :func:`_classify`)."""
    vocab = vocab or vocab_mod.load()
    rows = sheet.rows
    for pos, (rowno, cells) in enumerate(rows[:max_scan]):
        header = [cell_text(c) for c in cells]
        header_rows, first_data, title_end = (rowno,), pos + 1, pos
        if len(_known_keys(cells, vocab)) < 2:
            halves = _split_pair(rows, pos, vocab)  # each header cut in two (规上工业 / 总产值（万元）)
            if halves is None:
                continue
            header, header_rows, first_data = halves, (rowno, rows[pos + 1][0]), pos + 2
        elif pos + 1 < len(rows) and _is_continuation(rows[pos + 1][1], vocab):
            header = _combine(cells, rows[pos + 1][1], vocab)
            header_rows, first_data = (rowno, rows[pos + 1][0]), pos + 2
        elif pos > 0 and not any(is_number(c) for c in rows[pos - 1][1]):
            joined = _combine(rows[pos - 1][1], cells, vocab)
            if len(_known_keys(tuple(joined), vocab)) > len(_known_keys(cells, vocab)):
                header, header_rows, title_end = joined, (rows[pos - 1][0], rowno), pos - 1
        title = "\n".join(" ".join(cell_text(c) for c in r if cell_text(c)) for _, r in rows[:title_end])
        data, after = [], []
        for i, (rno, r) in enumerate(rows[first_data:], start=first_data):
            texts = [cell_text(c) for c in r]
            if not any(texts):
                continue
            first = next(t for t in texts if t)
            if FOOTNOTE_RE.match(first) and sum(bool(t) for t in texts) == 1:
                after = [(n, c) for n, c in rows[i:] if any(cell_text(x) for x in c)]
                break
            data.append((rno, r))
        money = "|".join(re.escape(u) for u, (kind, _) in vocab.units.items() if kind == "money")
        unit_m = re.search(rf"单位\s*[:：]\s*({money})", title) if money else None
        table = Table(sheet.file, sheet.name, header_rows[-1], title, {}, data,
                      unit_m.group(1) if unit_m else None, header_rows=header_rows, after=after, vocab=vocab,
                      percent=sheet.percent, formats_seen=sheet.formats_seen)
        _classify(table, header, vocab)
        return table
    return None


def _classify(table: Table, header: list[str], vocab: Vocabulary) -> None:
    """Give every column a meaning, or a located fault when numbers stand under a header the reader cannot use."""
    width = max([len(header)] + [len(r) for _, r in table.rows])
    numbers: dict[int, list[tuple[int, Any]]] = {}
    for rno, r in table.rows:
        for i, c in enumerate(r):
            if is_number(c):
                numbers.setdefault(i, []).append((rno, c))
    present = {m.key for m in (match_header(h, vocab)[0] for h in header) if m is not None}
    for i in range(width):
        text = header[i] if i < len(header) else ""
        below = numbers.get(i, [])
        meaning, unit, unit_ok = match_header(text, vocab)
        if meaning is not None and not unit_ok:
            table.faults.append(_column_fault(table, i, text, "unit", unit=unit,
                                              units=" / ".join(vocab.units)))
            continue
        if meaning is None:
            if below and text:
                near = " / ".join(vocab.closest(text))
                table.faults.append(_column_fault(table, i, text, "unknown", near=near, first=_firsts(below)))
            elif below:
                wanted, left, right = _expected_here(table, header, i, present, vocab)
                table.faults.append(_column_fault(table, i, "", "blank" if wanted else "blank_any",
                                                  first=_firsts(below), wanted=wanted, left=left, right=right))
            elif text:
                table.ignored.append(Column(i, "", text, None, "ignored", "text"))
            continue
        col = Column(i, meaning.key, text, unit, meaning.role, meaning.reason, meaning.unit)
        if meaning.role == "set_aside":
            table.set_aside.append(col)
        elif meaning.key in table.columns:
            other = table.columns[meaning.key]
            table.faults.append(_column_fault(table, i, text, "twice", other=f"{other.header} ({other.place})"))
        else:
            table.columns[meaning.key] = col


def _firsts(cells: list[tuple[int, Any]], n: int = 3) -> str:
    return ", ".join(f"{cell_text(v)} (row {r})" for r, v in cells[:n])


def _expected_here(table: Table, header: list[str], i: int, present: set[str],
                   vocab: Vocabulary) -> tuple[str, str, str]:
    """What a blank header over numbers probably was: (the form's columns that are not in the header, or "" when
    all are there; the nearest headers on its left and right, "—" at an edge)."""
    keys = set(table.columns) | present
    if keys & REGISTER_KEYS:
        wanted = [("field", k) for k in (*REGISTER_FORM, "field", "revoked")]
    elif keys & set(vocab.indicators):
        wanted = [("indicator", k) for k in vocab.indicators]
    elif keys & set(vocab.town_tasks):
        wanted = [("town_task", k) for k in vocab.town_tasks]
    else:
        wanted = [("field", k) for k in ("task", "unit", "value")]
    missing = [vocab.first(role, k) for role, k in wanted if k not in present]
    left = next((f"{header[j]} ({column_name(j)})" for j in range(i - 1, -1, -1) if j < len(header) and header[j]), "")
    right = next((f"{header[j]} ({column_name(j)})" for j in range(i + 1, len(header)) if header[j]), "")
    return " / ".join(missing), left or "—", right or "—"


def _column_fault(table: Table, index: int, text: str, kind: str, **values: Any) -> Fault:
    return Fault.worded(table.file, table.sheet, table.header_row, column_name(index), text,
                        f"intake.column.{kind}", **values)


def form_of(table: Table) -> str | None:
    """Which return a table is: ``applications``, ``register``, ``industry``, ``tasks_town``, ``tasks_district``
    or None. An application list names firms too, so its 申报日期 column is what tells it from the register."""
    vocab = table.vocab or vocab_mod.load()
    keys = table.keys
    if "submitted" in keys and "firm_name" in keys and "cert_no" not in keys:
        return "applications"
    if len(keys & REGISTER_KEYS) >= 2:
        return "register"
    if keys & set(vocab.indicators):
        return "industry"
    if "town" in keys and keys & set(vocab.town_tasks):
        return "tasks_town"
    if "task" in keys and "value" in keys:
        return "tasks_district"
    return None


# --- records, checked cells and the fate of every number ----------------------------------------------------------

Loc = tuple[str, str, int, int]  # file, sheet, row, 0-based column


@dataclass
class Parsed:
    """What tables yield: tidy records, the cells to validate, faults found while reading, and the ledger.

    ``numbers`` is every cell holding a figure below a header row; ``fates`` says where each went (``industry``,
    ``tasks``, ``certificates``, ``field`` for a figure used as a date/label, ``set_aside:<reason>``).
    ``set_aside`` aggregates the set-aside figures per sheet and column (or 合计 row) for the quality table.
    """

    industry: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    applications: list[dict[str, Any]] = field(default_factory=list)
    cells: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    numbers: set[Loc] = field(default_factory=set)
    fates: dict[Loc, str] = field(default_factory=dict)
    set_aside: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        for name in ("industry", "certificates", "tasks", "applications", "cells", "faults", "notes", "set_aside"):
            getattr(self, name).extend(getattr(other, name))
        self.numbers |= other.numbers
        self.fates.update(other.fates)

    def ledger(self) -> Counter[str]:
        """How many figures went where (only cells holding a number; ``unaccounted`` must be 0 after a clean)."""
        out: Counter[str] = Counter(self.fates.get(loc, "unaccounted") for loc in self.numbers)
        return out


def _fate(out: Parsed, table: Table, rno: int, index: int, fate: str) -> None:
    out.fates[(table.file, table.sheet, rno, index)] = fate


def _cell(table: Table, row: int, col: Column, raw: Any, **checks: Any) -> dict[str, Any]:
    base = {"source_file": table.file, "sheet": table.sheet, "row": row, "column": col.header,
            "value": cell_text(raw), "town_ok": True, "number_ok": True, "date_ok": True, "present_ok": True,
            "task_ok": True, "nonneg": float("nan"), "percent": float("nan"), "count": float("nan"),
            "unit": col.unit or ""}
    base.update(checks)
    return base


def _sheet_fault(table: Table, column: str | None, value: str, key: str, /, row: int | None = None,
                 **values: Any) -> Fault:
    """A fault of the sheet's title rows (or, with ``row``, of its header), worded by ``intake.<key>``."""
    return Fault.worded(table.file, table.sheet, row, column, value, f"intake.{key}", **values)


def _number(table: Table, rno: int, col: Column, raw: Any, unit: str | None, out: Parsed,
            nonneg: bool) -> float | None:
    """Parse a numeric cell into the contract unit; record the cell for validation and notes for soft findings.

    A percent-formatted cell of an .xlsx is read as Excel shows it (0.828 under ``0.0%`` is 82.8) in a percent
    column, and is a located fault in an amount or count column (82.8 % is not 82.8 万元, nor 0.828 家). Where
    number formats cannot be seen (.xls, .ods, .csv), a percentage between 0 and 1 may be such a cell read as
    stored: a soft finding (``percent_fraction``) says so.
    """
    value, status = parse_number(raw)
    kind, factor = table.units.get(unit or "", ("count", 1.0))
    if status == "text" and kind != "percent" and unicodedata.normalize("NFKC", str(raw)).strip().endswith("%"):
        value, status = None, "bad"  # a share typed into an amount or a count is not that amount (58.3% ≠ 58.3 万元)
        _fate(out, table, rno, col.index, "fault")  # accounted for by the located fault below, not a second one
    if status == "ok" and (rno, col.index) in table.percent:
        shown = f"{value * 100:.10g}%"
        if kind != "percent":
            _fate(out, table, rno, col.index, "fault")
            out.faults.append(Fault.worded(table.file, table.sheet, rno, col.header, shown,
                                           "intake.percent_format.not_percent", unit=unit or "", stored=cell_text(raw)))
            return None
        value = round(value * 100, 10)
    checks: dict[str, Any] = {"number_ok": status != "bad", "unit": unit or ""}
    if value is not None:
        if kind == "percent":
            checks["percent"] = value
            if not table.formats_seen and 0 < value <= 1:
                out.notes.append({"check": "percent_fraction", "source_file": table.file, "sheet": table.sheet,
                                  "row": rno, "column": col.header, "value": cell_text(raw),
                                  "values": {"value": cell_text(raw), "shown": f"{value * 100:.10g}"}})
        elif nonneg:
            checks["nonneg"] = value
        if kind == "count" and (unit or "") in table.units:
            checks["count"] = value
    out.cells.append(_cell(table, rno, col, raw, **checks))
    if status == "text" and not table.file.lower().endswith(".csv"):  # CSV cells are all text
        out.notes.append({"check": "text_in_number", "source_file": table.file, "sheet": table.sheet, "row": rno,
                          "column": col.header, "value": cell_text(raw)})
    if status == "missing":
        out.notes.append({"check": "missing_value", "source_file": table.file, "sheet": table.sheet, "row": rno,
                          "column": col.header, "value": cell_text(raw)})
    return None if value is None else round(value * factor, 6)


def _town(table: Table, rno: int, raw: Any, out: Parsed) -> str | None:
    code = town_code(raw)
    out.cells.append(_cell(table, rno, table.columns["town"], raw, town_ok=code is not None))
    _fate(out, table, rno, table.columns["town"].index, "field")
    return code


def _is_total(raw: Any) -> bool:
    return town_code(raw) == DISTRICT


def _get(table: Table, cells: tuple[Any, ...], key: str) -> Any:
    c = table.columns.get(key)
    return cells[c.index] if c is not None and c.index < len(cells) else None


def _total_row(table: Table, rno: int, cells: tuple[Any, ...], out: Parsed, known: dt.date | None) -> None:
    """A 合计 / 全区 row is checked against its towns, not published: its figures are set aside."""
    label = table.columns["town"]
    n = 0
    for col in table.columns.values():
        if col.role in ("indicator", "town_task") and col.index < len(cells) and is_number(cells[col.index]):
            _fate(out, table, rno, col.index, "set_aside:total")
            n += 1
    _fate(out, table, rno, label.index, "field")
    if n:
        out.set_aside.append({"source_file": table.file, "sheet": table.sheet, "row": rno,
                              "column": cell_text(cells[label.index]), "reason": "total", "count": n,
                              "known": known})


def parse_industry(table: Table) -> Parsed:
    """Statistics: one record per town × indicator × period, YTD cumulative in 万元, with its release date."""
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    cols = table.columns
    title_release, rel_status, rel_raw = find_release(table.title)
    period, per_status = parse_period(table.title.replace(rel_raw, ""))
    if per_status == "missing" and "period" not in cols:
        period, per_status = parse_period(table.sheet, _year_hint(table))
    if "released" not in cols and rel_status != "ok":
        out.faults.append(_sheet_fault(table, "发布日期", rel_raw, "release.missing"))
    if "period" not in cols and per_status != "ok":
        out.faults.append(_period_fault(table, per_status, _period_line(table.title, rel_raw) or table.sheet))
    if "town" not in cols:
        out.faults.append(_sheet_fault(table, "区镇", "", "town.missing", row=table.header_row,
                                       spellings=" / ".join(vocab.all_of("field", "town"))))
    for key in vocab.indicators:
        col = cols.get(key)
        unit = col.unit or table.default_unit or "万元" if col is not None else None
        if col is not None and table.units.get(unit or "", ("", 0))[0] != "money":
            out.faults.append(Fault.worded(table.file, table.sheet, table.header_row, f"{col.header} ({col.place})",
                                           unit or "", "intake.unit.money"))
    if out.faults:
        return out
    for rno, cells in table.rows:
        town_raw = _get(table, cells, "town")
        if cell_text(town_raw) == "" and all(_get(table, cells, k) in (None, "") for k in vocab.indicators):
            continue
        total = _is_total(town_raw)
        town = None if total else _town(table, rno, town_raw, out)
        released, row_period = title_release, period
        if "released" in cols:
            released, status = parse_date(_get(table, cells, "released"))
            out.cells.append(_cell(table, rno, cols["released"], _get(table, cells, "released"),
                                   date_ok=status == "ok"))
            _fate(out, table, rno, cols["released"].index, "field")
        if "period" in cols:
            _fate(out, table, rno, cols["period"].index, "field")
            row_period, status = parse_period(cell_text(_get(table, cells, "period")))
            if status != "ok":
                out.faults.append(_period_fault(table, status, cell_text(_get(table, cells, "period")), rno,
                                                cols["period"].header))
                continue
        if released is not None and row_period is not None:
            end = _month_end(*row_period)
            if released < end:
                col = cols.get("released")
                out.faults.append(Fault.worded(table.file, table.sheet, rno if col else None,
                                               col.header if col else "发布日期", released.isoformat(),
                                               "intake.release.early", end=end.isoformat()))
                continue
        if total:
            _total_row(table, rno, cells, out, released)
        for key in vocab.indicators:
            col = cols.get(key)
            if col is None:
                continue
            unit = col.unit or table.default_unit or "万元"
            value = _number(table, rno, col, _get(table, cells, key), unit, out, nonneg=key.endswith("output"))
            if value is None or released is None or row_period is None:
                continue
            if not total:
                _fate(out, table, rno, col.index, "industry")
            out.industry.append({
                "town": DISTRICT if total else town, "indicator": key, "year": row_period[0],
                "month": row_period[1], "value": value, "released": released, "source_file": table.file,
                "sheet": table.sheet, "row": rno, "column": col.header, "unit": unit, "is_total": total})
    return out


def _period_line(title: str, release_phrase: str) -> str:
    """The title line that states the period (for messages), without the release-date phrase."""
    for line in title.replace(release_phrase, "").splitlines():
        if re.search(r"\d{4}\s*年|\d{1,2}\s*月", line):
            return line.strip()
    return ""


def _year_hint(table: Table) -> int | None:
    m = re.search(r"(20\d{2})", table.title + " " + table.file)
    return int(m.group(1)) if m else None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _period_fault(table: Table, status: str, value: str, row: int | None = None,
                  column: str | None = None) -> Fault:
    """A period that cannot be placed: ``status`` of :func:`parse_period` (january / not_ytd / missing)."""
    kind = status if status in ("january", "not_ytd") else "missing"
    return Fault.worded(table.file, table.sheet, row, column or "统计期", value, f"intake.period.{kind}")


def _date_cell(table: Table, rno: int, key: str, cells: tuple[Any, ...], out: Parsed,
               required: bool) -> dt.date | None:
    col = table.columns.get(key)
    if col is None:
        return None
    raw = cells[col.index] if col.index < len(cells) else None
    value, status = parse_date(raw)
    out.cells.append(_cell(table, rno, col, raw, date_ok=status != "bad",
                           present_ok=not (required and status == "missing")))
    _fate(out, table, rno, col.index, "field")
    return value


def parse_register(table: Table) -> Parsed:
    """The certificate register: one record per certificate row, names kept as written (trimmed)."""
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    missing = [k for k in REGISTER_FORM if k not in table.columns]
    for key in missing:
        first = vocab.first("field", key)
        out.faults.append(_sheet_fault(table, first, "", "register.missing", row=table.header_row, column=first,
                                       spellings=" / ".join(vocab.all_of("field", key))))
    if missing:
        return out
    cols = table.columns
    for rno, cells in table.rows:
        def text(key: str, cells: tuple[Any, ...] = cells) -> str:
            return cell_text(_get(table, cells, key))

        if not any(text(k) for k in ("firm_name", "credit_code", "cert_no")):
            continue
        for key in ("firm_name", "credit_code", "cert_no", "field"):
            if key in cols:
                _fate(out, table, rno, cols[key].index, "field")
        for key in ("firm_name", "credit_code", "cert_no"):
            out.cells.append(_cell(table, rno, cols[key], text(key), present_ok=bool(text(key))))
        town = _town(table, rno, cells[cols["town"].index], out)
        issued = _date_cell(table, rno, "issue_date", cells, out, required=True)
        announced = _date_cell(table, rno, "announced", cells, out, required=True)
        revoked = _date_cell(table, rno, "revoked", cells, out, required=False)
        out.certificates.append({
            "credit_code": text("credit_code").upper(), "firm_name": text("firm_name"), "town": town,
            "cert_no": text("cert_no").upper().replace(" ", ""), "issue_date": issued, "announced": announced,
            "revoked": revoked, "field": text("field"), "source_file": table.file, "sheet": table.sheet,
            "row": rno})
    return out


def parse_batch(value: Any) -> int | None:
    """An application round as written (第2批, 2, 2批, 第 2 批次) → 2; None when it cannot be read."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))
    if re.fullmatch(r"\d+(\.0)?", text):
        return int(float(text))
    m = _BATCH_RE.match(text)
    return int(m.group(1)) if m else None


def parse_applications(table: Table) -> Parsed:
    """The application list (高企申报名单): one record per applicant firm, with its round and submission date.

    A round or a kind that cannot be read, a missing name or code and a bad date are located faults: the list
    is what the bureau follows firms up from, so a row is never guessed.
    """
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    missing = [k for k in APPLICATIONS_FORM if k not in table.columns]
    for key in missing:
        first = vocab.first("field", key)
        out.faults.append(_sheet_fault(table, first, "", "applications.missing", row=table.header_row,
                                       column=first, spellings=" / ".join(vocab.all_of("field", key))))
    if missing:
        return out
    cols = table.columns
    for rno, cells in table.rows:
        def text(key: str, cells: tuple[Any, ...] = cells) -> str:
            return cell_text(_get(table, cells, key))

        if not any(text(k) for k in ("firm_name", "credit_code")):
            continue
        for key in ("firm_name", "credit_code"):
            _fate(out, table, rno, cols[key].index, "field")
            out.cells.append(_cell(table, rno, cols[key], text(key), present_ok=bool(text(key))))
        town = _town(table, rno, cells[cols["town"].index], out)
        submitted = _date_cell(table, rno, "submitted", cells, out, required=True)
        batch = None
        if "batch" in cols:
            _fate(out, table, rno, cols["batch"].index, "field")
            batch = parse_batch(_get(table, cells, "batch"))
            if batch is None:
                out.faults.append(Fault.worded(table.file, table.sheet, rno, cols["batch"].header, text("batch"),
                                               "intake.applications.batch"))
        kind = ""
        if "application_kind" in cols:
            _fate(out, table, rno, cols["application_kind"].index, "field")
            kind = APPLICATION_KINDS.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text("application_kind"))), "")
            if not kind and text("application_kind"):
                out.faults.append(Fault.worded(table.file, table.sheet, rno, cols["application_kind"].header,
                                               text("application_kind"), "intake.applications.kind",
                                               kinds=" / ".join(APPLICATION_KINDS)))
        out.applications.append({
            "credit_code": text("credit_code").upper(), "firm_name": text("firm_name"), "town": town,
            "year": submitted.year if submitted else None, "batch": batch if batch is not None else 1,
            "submitted": submitted, "kind": kind, "source_file": table.file, "sheet": table.sheet, "row": rno})
    return out


def _task_context(table: Table, out: Parsed) -> tuple[dt.date | None, dt.date | None]:
    released, rel_status, rel_raw = find_release(table.title)
    end, end_status = parse_period_end(table.title.replace(rel_raw, ""))
    if end_status == "missing":
        m = re.search(r"(20\d{2})\s*[Hh]([12])", table.file)
        if m:
            end = dt.date(int(m.group(1)), 6, 30) if m.group(2) == "1" else dt.date(int(m.group(1)), 12, 31)
            end_status = "ok"
    if rel_status != "ok":
        out.faults.append(_sheet_fault(table, "报送日期", rel_raw, "submission.missing"))
    if end_status != "ok":
        out.faults.append(_sheet_fault(table, "截至", cell_text(end) if end else table.title[:40],
                                       "half_year.missing"))
    if released and end and end_status == "ok" and released < end:
        out.faults.append(_sheet_fault(table, "报送日期", released.isoformat(), "submission.early",
                                       end=end.isoformat()))
    return released, end


def parse_tasks_town(table: Table) -> Parsed:
    """Task returns by town: one record per town × task column."""
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    released, end = _task_context(table, out)
    if out.faults:
        return out
    assert released is not None and end is not None
    for rno, cells in table.rows:
        town_raw = cells[table.columns["town"].index]
        if cell_text(town_raw) == "" and not any(
                is_number(_get(table, cells, k)) for k in vocab.town_tasks):  # a blank town over figures: a fault
            continue
        total = _is_total(town_raw)
        town = DISTRICT if total else _town(table, rno, town_raw, out)
        if total:
            _total_row(table, rno, cells, out, released)
        for task in vocab.town_tasks:
            col = table.columns.get(task)
            if col is None:
                continue
            raw = cells[col.index] if col.index < len(cells) else None
            unit = col.unit or col.default_unit
            value = _number(table, rno, col, raw, unit, out, nonneg=True)
            if value is not None:
                if not total:
                    _fate(out, table, rno, col.index, "tasks")
                out.tasks.append(_task_record(table, rno, col.header, task, town, end, value, unit, released, total))
    return out


def parse_tasks_district(table: Table) -> Parsed:
    """District task sheet: one row per task, its label matched through the vocabulary's ``district_tasks``."""
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    released, end = _task_context(table, out)
    if out.faults:
        return out
    assert released is not None and end is not None
    task_col, value_col, unit_col = table.columns["task"], table.columns["value"], table.columns.get("unit")
    for rno, cells in table.rows:
        label = cell_text(cells[task_col.index]) if task_col.index < len(cells) else ""
        if not label:
            continue
        task = vocab.task(label)
        out.cells.append(_cell(table, rno, task_col, label, task_ok=task is not None))
        _fate(out, table, rno, task_col.index, "field")
        if unit_col is not None:
            _fate(out, table, rno, unit_col.index, "field")
        unit = cell_text(cells[unit_col.index]) if unit_col is not None else (value_col.unit or "")
        unit = unicodedata.normalize("NFKC", unit) or None
        raw = cells[value_col.index] if value_col.index < len(cells) else None
        value = _number(table, rno, value_col, raw, unit, out, nonneg=True)
        if value is not None and unit_col is not None and unit not in table.units:
            # the 单位 cell is what scales the figure (亿元 → ×10,000): an unknown or blank one cannot be guessed
            out.faults.append(Fault.worded(table.file, table.sheet, rno, unit_col.header, unit or "",
                                           "intake.district.unit", label=label, value=cell_text(raw),
                                           units=" / ".join(table.units)))
        if value is not None:  # an unknown label is a located fault (known_task) that stops the clean
            _fate(out, table, rno, value_col.index, "tasks")
        if task is not None and value is not None:
            kind = table.units.get(unit or "", ("count", 1.0))[0]
            out_unit = "万元" if kind == "money" else (unit or "")
            out.tasks.append(_task_record(table, rno, value_col.header, task, DISTRICT, end, value, out_unit,
                                          released, False))
    return out


def _task_record(table: Table, rno: int, column: str, task: str, town: str | None, end: dt.date, value: float,
                 unit: str, released: dt.date, total: bool) -> dict[str, Any]:
    return {"task_id": task, "town": town, "year": end.year, "period_end": end, "value": value, "unit": unit,
            "released": released, "source_file": table.file, "sheet": table.sheet, "row": rno, "column": column,
            "is_total": total}


PARSERS = {"applications": parse_applications, "register": parse_register, "industry": parse_industry, "tasks_town": parse_tasks_town,
           "tasks_district": parse_tasks_district}


def _sheet_numbers(sheet: Sheet, rows: Iterable[tuple[int, tuple[Any, ...]]]) -> set[Loc]:
    return {(sheet.file, sheet.name, rno, i) for rno, r in rows for i, c in enumerate(r) if is_number(c)}


def _set_aside_columns(table: Table, out: Parsed) -> None:
    """Figures in set-aside columns: checked where a check applies (shares 0-100), then set aside with the reason."""
    for col in table.set_aside:
        n, known = 0, None
        for rno, cells in table.rows:
            raw = cells[col.index] if col.index < len(cells) else None
            if col.reason == "share" and raw not in (None, ""):
                _number(table, rno, col, raw, "%", out, nonneg=False)
            if is_number(raw) and (table.file, table.sheet, rno, col.index) not in out.fates:
                _fate(out, table, rno, col.index, f"set_aside:{col.reason}")
                n += 1
        if n:
            out.set_aside.append({"source_file": table.file, "sheet": table.sheet, "row": table.header_row,
                                  "column": col.header, "reason": col.reason, "count": n, "known": known})


def parse_table(sheet: Sheet, table: Table, form: str) -> Parsed:
    """Parse one located table and account for every figure in it (a located fault for any left over)."""
    out = Parsed(faults=list(table.faults))
    out.numbers = _sheet_numbers(sheet, [*table.rows, *table.after])
    if table.faults:
        return out
    out.extend(PARSERS[form](table))
    _set_aside_columns(table, out)
    if out.faults:
        return out
    left = sorted(loc for loc in out.numbers if loc not in out.fates)
    by_column: dict[int, list[Loc]] = {}
    for loc in left:
        by_column.setdefault(loc[3], []).append(loc)
    cells = {(sheet.file, sheet.name, rno, i): c for rno, r in sheet.rows for i, c in enumerate(r)} if left else {}
    for index, locs in by_column.items():
        header = next((c.header for c in [*table.columns.values(), *table.set_aside] if c.index == index), "")
        below = any(loc[2] in {r for r, _ in table.after} for loc in locs)
        kind = "below" if below else "unread"
        out.faults.append(Fault.worded(table.file, table.sheet, locs[0][2],
                                       f"{header} ({column_name(index)})" if header else column_name(index),
                                       cell_text(cells[locs[0]]), f"intake.ledger.{kind}", n=len(locs), form=form))
    return out


def parse_sheets(sheets: Iterable[Sheet], vocab: Vocabulary | None = None) -> tuple[Parsed, list[str]]:
    """Parse every sheet with a recognised table; return what was parsed and the names of skipped sheets.

    A skipped sheet (no header row the vocabulary knows) must hold no figures: if it does, that is a fault.
    """
    vocab = vocab or vocab_mod.load()
    out = Parsed()
    skipped = []
    for sheet in sheets:
        table = locate_table(sheet, vocab)
        form = form_of(table) if table is not None else None
        if table is None or form is None:
            numbers = sorted(_sheet_numbers(sheet, sheet.rows))
            if numbers:
                first = numbers[0]
                value = next(c for rno, r in sheet.rows if rno == first[2] for i, c in enumerate(r) if i == first[3])
                out.faults.append(Fault.worded(sheet.file, sheet.name or None, first[2], column_name(first[3]),
                                               cell_text(value), "intake.sheet.unknown", n=len(numbers)))
                out.numbers |= set(numbers)
            skipped.append(f"{sheet.file}:{sheet.name}")
            continue
        out.extend(parse_table(sheet, table, form))
    return out, skipped
