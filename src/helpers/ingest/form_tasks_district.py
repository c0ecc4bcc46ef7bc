"""The district task sheet (全区任务): one row per task, its label matched through the vocabulary's
``district_tasks``, its unit from a 单位 cell or the value column's header.

Recognised by a task column and a value column.
"""

from __future__ import annotations

import unicodedata

from helpers.ingest.cells import cell_text
from helpers.ingest.header import Table
from helpers.ingest.records import Parsed, cell_row, read_number, set_fate
from helpers.ingest.task_returns import task_record, task_start
from helpers.towns import DISTRICT
from helpers.validate import Fault
from helpers.vocabulary import Vocabulary


def recognises(keys: set[str], vocab: Vocabulary) -> bool:
    """A table with a task column and a value column is the district task sheet."""
    return "task" in keys and "value" in keys


def parse_tasks_district(table: Table) -> Parsed:
    """District task sheet: one row per task, its label matched through the vocabulary's ``district_tasks``."""
    out = Parsed()
    start = task_start(table, out)
    if start is None:
        return out
    vocab, released, end = start
    task_col, value_col, unit_col = table.columns["task"], table.columns["value"], table.columns.get("unit")
    for rno, cells in table.rows:
        label = cell_text(cells[task_col.index]) if task_col.index < len(cells) else ""
        if not label:
            continue
        task = vocab.task(label)
        out.cells.append(cell_row(table, rno, task_col, label, task_ok=task is not None))
        set_fate(out, table, rno, task_col.index, "field")
        if unit_col is not None:
            set_fate(out, table, rno, unit_col.index, "field")
        unit = cell_text(cells[unit_col.index]) if unit_col is not None else (value_col.unit or "")
        unit = unicodedata.normalize("NFKC", unit) or None
        raw = cells[value_col.index] if value_col.index < len(cells) else None
        value = read_number(table, rno, value_col, raw, unit, out, nonneg=True)
        if value is not None and unit_col is not None and unit not in table.units:
            # the 单位 cell is what scales the figure (亿元 → ×10,000): an unknown or blank one cannot be guessed
            out.faults.append(Fault.worded(table.file, table.sheet, rno, unit_col.header, unit or "",
                                           "intake.district.unit", label=label, value=cell_text(raw),
                                           units=" / ".join(table.units)))
        if value is not None:  # an unknown label is a located fault (known_task) that stops the clean
            set_fate(out, table, rno, value_col.index, "tasks")
        if task is not None and value is not None:
            kind = table.units.get(unit or "", ("count", 1.0))[0]
            out_unit = "万元" if kind == "money" else (unit or "")
            out.tasks.append(task_record(table, rno, value_col.header, task, DISTRICT, end, value, out_unit,
                                         released, False))
    return out
