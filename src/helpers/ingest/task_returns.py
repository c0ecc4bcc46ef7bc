"""What the two task returns (by town, by district) share: the submission date and the period end of their title
rows, and the record each task figure becomes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import helpers.vocabulary as vocab_mod
from helpers.ingest.cells import cell_text, find_release, parse_period_end
from helpers.ingest.header import Table
from helpers.ingest.records import Parsed, sheet_fault
from helpers.vocabulary import Vocabulary


def task_context(table: Table, out: Parsed) -> tuple[dt.date | None, dt.date | None]:
    """(submission date, period end) of a task return's title rows (the period end may come from a file name such
    as ``…_2024H1.xlsx``); a located fault for each that is missing, or a submission before the period ended."""
    released, rel_status, rel_raw = find_release(table.title, table.grammar.release_labels)
    end, end_status = parse_period_end(table.title.replace(rel_raw, ""))
    if end_status == "missing":
        m = re.search(r"(20\d{2})\s*[Hh]([12])", table.file)
        if m:
            end = dt.date(int(m.group(1)), 6, 30) if m.group(2) == "1" else dt.date(int(m.group(1)), 12, 31)
            end_status = "ok"
    if rel_status != "ok":
        out.faults.append(sheet_fault(table, "报送日期", rel_raw, "submission.missing"))
    if end_status != "ok":
        out.faults.append(sheet_fault(table, "截至", cell_text(end) if end else table.title[:40],
                                      "half_year.missing"))
    if released and end and end_status == "ok" and released < end:
        out.faults.append(sheet_fault(table, "报送日期", released.isoformat(), "submission.early",
                                      end=end.isoformat()))
    return released, end


def task_start(table: Table, out: Parsed) -> tuple[Vocabulary, dt.date, dt.date] | None:
    """What both task parsers need before their rows: the vocabulary and the title's (submission date, period end);
    None when the title rows gave a fault (``out`` holds it), so no row is read against an unknown period."""
    vocab = table.vocab or vocab_mod.load()
    released, end = task_context(table, out)
    if out.faults or released is None or end is None:
        return None
    return vocab, released, end


def task_record(table: Table, rno: int, column: str, task: str, town: str | None, end: dt.date, value: float,
                unit: str, released: dt.date, total: bool) -> dict[str, Any]:
    """One task figure as a row of tasks.parquet, with its provenance."""
    return {"task_id": task, "town": town, "year": end.year, "period_end": end, "value": value, "unit": unit,
            "released": released, "source_file": table.file, "sheet": table.sheet, "row": rno, "column": column,
            "is_total": total}
