"""The statistics return (规上工业): one record per town × indicator × period, YTD cumulative in 万元.

Recognised by an indicator column of the vocabulary (``indicators``).
"""

from __future__ import annotations

import datetime as dt
import re

from helpers import vocabulary as vocab_mod
from helpers.ingest.cells import cell_text, find_release, parse_date, parse_period
from helpers.ingest.header import Table
from helpers.ingest.records import (
    Parsed,
    cell_row,
    is_total,
    read_number,
    read_town,
    set_fate,
    sheet_fault,
    total_row,
    value_of,
)
from helpers.towns import DISTRICT
from helpers.validate import Fault
from helpers.vocabulary import Vocabulary


def recognises(keys: set[str], vocab: Vocabulary) -> bool:
    """A table with an indicator column is a statistics return."""
    return bool(keys & set(vocab.indicators))


def parse_industry(table: Table) -> Parsed:
    """Statistics: one record per town × indicator × period, YTD cumulative in 万元, with its release date."""
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    cols = table.columns
    title_release, rel_status, rel_raw = find_release(table.title, table.grammar.release_labels)
    period, per_status = parse_period(table.title.replace(rel_raw, ""))
    if per_status == "missing" and "period" not in cols:
        period, per_status = parse_period(table.sheet, _year_hint(table))
    if "released" not in cols and rel_status != "ok":
        out.faults.append(sheet_fault(table, "发布日期", rel_raw, "release.missing"))
    if "period" not in cols and per_status != "ok":
        out.faults.append(_period_fault(table, per_status, _period_line(table.title, rel_raw) or table.sheet))
    if "town" not in cols:
        out.faults.append(sheet_fault(table, "区镇", "", "town.missing", row=table.header_row,
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
        town_raw = value_of(table, cells, "town")
        if cell_text(town_raw) == "" and all(value_of(table, cells, k) in (None, "") for k in vocab.indicators):
            continue
        total = is_total(town_raw)
        town = None if total else read_town(table, rno, town_raw, out)
        released, row_period = title_release, period
        if "released" in cols:
            released, status = parse_date(value_of(table, cells, "released"), table.grammar.missing_marks)
            out.cells.append(cell_row(table, rno, cols["released"], value_of(table, cells, "released"),
                                      date_ok=status == "ok"))
            set_fate(out, table, rno, cols["released"].index, "field")
        if "period" in cols:
            set_fate(out, table, rno, cols["period"].index, "field")
            row_period, status = parse_period(cell_text(value_of(table, cells, "period")))
            if status != "ok":
                out.faults.append(_period_fault(table, status, cell_text(value_of(table, cells, "period")), rno,
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
            total_row(table, rno, cells, out, released)
        for key in vocab.indicators:
            col = cols.get(key)
            if col is None:
                continue
            unit = col.unit or table.default_unit or "万元"
            value = read_number(table, rno, col, value_of(table, cells, key), unit, out, nonneg=key.endswith("output"))
            if value is None or released is None or row_period is None:
                continue
            if not total:
                set_fate(out, table, rno, col.index, "industry")
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

