"""The task return by town (区镇任务进度): one record per town × task column of the vocabulary's ``town_tasks``.

Recognised by a town column beside a task column.
"""

from __future__ import annotations

from helpers.ingest.cells import cell_text, is_number
from helpers.ingest.header import Table
from helpers.ingest.records import Parsed, is_total, read_number, read_town, set_fate, total_row, value_of
from helpers.ingest.task_returns import task_record, task_start
from helpers.towns import DISTRICT
from helpers.vocabulary import Vocabulary


def recognises(keys: set[str], vocab: Vocabulary) -> bool:
    """A table with a town column and a task column of ``town_tasks`` is the task return by town."""
    return "town" in keys and bool(keys & set(vocab.town_tasks))


def parse_tasks_town(table: Table) -> Parsed:
    """Task returns by town: one record per town × task column."""
    out = Parsed()
    start = task_start(table, out)
    if start is None:
        return out
    vocab, released, end = start
    for rno, cells in table.rows:
        town_raw = cells[table.columns["town"].index]
        if cell_text(town_raw) == "" and not any(
                is_number(value_of(table, cells, k)) for k in vocab.town_tasks):  # a blank town over figures: a fault
            continue
        total = is_total(town_raw)
        town = DISTRICT if total else read_town(table, rno, town_raw, out)
        if total:
            total_row(table, rno, cells, out, released)
        for task in vocab.town_tasks:
            col = table.columns.get(task)
            if col is None:
                continue
            raw = cells[col.index] if col.index < len(cells) else None
            unit = col.unit or col.default_unit
            value = read_number(table, rno, col, raw, unit, out, nonneg=True)
            if value is not None:
                if not total:
                    set_fate(out, table, rno, col.index, "tasks")
                out.tasks.append(task_record(table, rno, col.header, task, town, end, value, unit, released, total))
    return out
