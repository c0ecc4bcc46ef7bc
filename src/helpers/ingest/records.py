"""Records, checked cells and the fate of every number: what the forms share once a table is located.

Why a room of its own: every form yields the same :class:`Parsed` — tidy records, the cells ``helpers.validate``
checks, soft findings, and the ledger that gives each figure below a header row a fate —, and reads its figures,
towns, dates and 合计 rows the same way.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from helpers.ingest.cells import cell_text, is_number, parse_date, parse_number
from helpers.ingest.header import Column, Table
from helpers.towns import DISTRICT, town_code
from helpers.validate import Fault

if TYPE_CHECKING:
    from helpers.vocabulary import Vocabulary

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


def set_fate(out: Parsed, table: Table, rno: int, index: int, fate: str) -> None:
    out.fates[(table.file, table.sheet, rno, index)] = fate


def cell_row(table: Table, row: int, col: Column, raw: Any, **checks: Any) -> dict[str, Any]:
    base = {"source_file": table.file, "sheet": table.sheet, "row": row, "column": col.header,
            "value": cell_text(raw), "town_ok": True, "number_ok": True, "date_ok": True, "present_ok": True,
            "task_ok": True, "nonneg": float("nan"), "percent": float("nan"), "count": float("nan"),
            "unit": col.unit or ""}
    base.update(checks)
    return base


def sheet_fault(table: Table, column: str | None, value: str, key: str, /, row: int | None = None,
                **values: Any) -> Fault:
    """A fault of the sheet's title rows (or, with ``row``, of its header), worded by ``intake.<key>``."""
    return Fault.worded(table.file, table.sheet, row, column, value, f"intake.{key}", **values)


def missing_columns(table: Table, required: tuple[str, ...] | list[str], key: str, out: Parsed,
                    vocab: Vocabulary) -> bool:
    """Whether any ``required`` column is missing from ``table``; each one missing is a fault located at the header
    row (``<key>.missing``) that lists the spellings the vocabulary accepts for it."""
    missing = [k for k in required if k not in table.columns]
    for name in missing:
        first = vocab.first("field", name)
        out.faults.append(sheet_fault(table, first, "", f"{key}.missing", row=table.header_row, column=first,
                                      spellings=" / ".join(vocab.all_of("field", name))))
    return bool(missing)


def read_number(table: Table, rno: int, col: Column, raw: Any, unit: str | None, out: Parsed,
                nonneg: bool) -> float | None:
    """Parse a numeric cell into the contract unit; record the cell for validation and notes for soft findings.

    A percent-formatted cell of an .xlsx is read as Excel shows it (0.828 under ``0.0%`` is 82.8) in a percent
    column, and is a located fault in an amount or count column (82.8 % is not 82.8 万元, nor 0.828 家). Where
    number formats cannot be seen (.xls, .ods, .csv), a percentage between 0 and 1 may be such a cell read as
    stored: a soft finding (``percent_fraction``) says so.
    """
    value, status = parse_number(raw, table.grammar.missing_marks)
    kind, factor = table.units.get(unit or "", ("count", 1.0))
    if status == "text" and kind != "percent" and unicodedata.normalize("NFKC", str(raw)).strip().endswith("%"):
        value, status = None, "bad"  # a share typed into an amount or a count is not that amount (58.3% ≠ 58.3 万元)
        set_fate(out, table, rno, col.index, "fault")  # accounted for by the located fault below, not a second one
    if status == "ok" and (rno, col.index) in table.percent:
        shown = f"{value * 100:.10g}%"
        if kind != "percent":
            set_fate(out, table, rno, col.index, "fault")
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
    out.cells.append(cell_row(table, rno, col, raw, **checks))
    if status == "text" and not table.file.lower().endswith(".csv"):  # CSV cells are all text
        out.notes.append({"check": "text_in_number", "source_file": table.file, "sheet": table.sheet, "row": rno,
                          "column": col.header, "value": cell_text(raw)})
    if status == "missing":
        out.notes.append({"check": "missing_value", "source_file": table.file, "sheet": table.sheet, "row": rno,
                          "column": col.header, "value": cell_text(raw)})
    return None if value is None else round(value * factor, 6)


def read_town(table: Table, rno: int, raw: Any, out: Parsed) -> str | None:
    code = town_code(raw)
    out.cells.append(cell_row(table, rno, table.columns["town"], raw, town_ok=code is not None))
    set_fate(out, table, rno, table.columns["town"].index, "field")
    return code


def is_total(raw: Any) -> bool:
    return town_code(raw) == DISTRICT


def value_of(table: Table, cells: tuple[Any, ...], key: str) -> Any:
    c = table.columns.get(key)
    return cells[c.index] if c is not None and c.index < len(cells) else None


def total_row(table: Table, rno: int, cells: tuple[Any, ...], out: Parsed, known: dt.date | None) -> None:
    """A 合计 / 全区 row is checked against its towns, not published: its figures are set aside."""
    label = table.columns["town"]
    n = 0
    for col in table.columns.values():
        if col.role in ("indicator", "town_task") and col.index < len(cells) and is_number(cells[col.index]):
            set_fate(out, table, rno, col.index, "set_aside:total")
            n += 1
    set_fate(out, table, rno, label.index, "field")
    if n:
        out.set_aside.append({"source_file": table.file, "sheet": table.sheet, "row": rno,
                              "column": cell_text(cells[label.index]), "reason": "total", "count": n,
                              "known": known})



def read_date(table: Table, rno: int, key: str, cells: tuple[Any, ...], out: Parsed,
              required: bool) -> dt.date | None:
    col = table.columns.get(key)
    if col is None:
        return None
    raw = cells[col.index] if col.index < len(cells) else None
    value, status = parse_date(raw, table.grammar.missing_marks)
    out.cells.append(cell_row(table, rno, col, raw, date_ok=status != "bad",
                              present_ok=not (required and status == "missing")))
    set_fate(out, table, rno, col.index, "field")
    return value
