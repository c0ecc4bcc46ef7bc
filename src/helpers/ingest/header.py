"""Locating a header: the header row of a sheet (possibly split over two rows, under merged title rows), the
meaning of every column, the data rows down to the footnotes — or a located fault for a column that cannot be used.

Why a room of its own: finding the table is the same for every form; which form a located table is, and how its
rows are read, belongs to the forms (``helpers.ingest.registry``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from helpers import vocabulary as vocab_mod
from helpers.ingest.cells import cell_text, column_name, is_number
from helpers.ingest.files import Sheet
from helpers.towns import town_code
from helpers.validate import Fault
from helpers.vocabulary import Grammar, Meaning, Vocabulary, fold

#: the certificate register's columns: a blank header next to them is guessed to be one of these
REGISTER_FORM = ("firm_name", "credit_code", "cert_no", "issue_date", "announced", "town")
REGISTER_KEYS = {"firm_name", "credit_code", "cert_no", "issue_date", "announced"}
MAX_HEADER_SCAN = 60
_UNIT_RE = re.compile(r"^(.*?)\(([^()]*)\)$")


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

    @property
    def grammar(self) -> Grammar:
        """How this table's cells and title rows are read (the vocabulary's ``grammar``)."""
        return (self.vocab or vocab_mod.load()).grammar


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


@cache
def _footnote_re(marks: tuple[str, ...]) -> re.Pattern[str]:
    """A line starting with one of the vocabulary's ``grammar.footnote_marks`` (注, 说明 …) ends the table."""
    return re.compile("^(" + "|".join(re.escape(m) for m in marks) + ")")


def locate_table(sheet: Sheet, vocab: Vocabulary | None = None, max_scan: int = MAX_HEADER_SCAN) -> Table | None:
    """Find the header row (the first with two or more known headers, possibly split over two rows) and the
    data rows below it; classify every column (see :func:`_classify`)."""
    vocab = vocab or vocab_mod.load()
    footnote = _footnote_re(vocab.grammar.footnote_marks)
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
            if footnote.match(first) and sum(bool(t) for t in texts) == 1:
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

