"""Sheets to records: locate each sheet's table, recognise its form, parse it, and account for every figure.

Why a room of its own: the ledger — every number below a header row gets a fate, and a number left without one is
a located fault — is the same whatever the form; the forms themselves come from the registry
(``helpers.ingest.registry``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from helpers import vocabulary as vocab_mod
from helpers.ingest.cells import cell_text, column_name, is_number
from helpers.ingest.files import Sheet
from helpers.ingest.header import Table, locate_table
from helpers.ingest.records import Loc, Parsed, read_number, set_fate
from helpers.ingest.registry import FormRegistry, forms
from helpers.validate import Fault
from helpers.vocabulary import Vocabulary


def _sheet_numbers(sheet: Sheet, rows: Iterable[tuple[int, tuple[Any, ...]]]) -> set[Loc]:
    return {(sheet.file, sheet.name, rno, i) for rno, r in rows for i, c in enumerate(r) if is_number(c)}


def _set_aside_columns(table: Table, out: Parsed) -> None:
    """Figures in set-aside columns: checked where a check applies (shares 0-100), then set aside with the reason."""
    for col in table.set_aside:
        n, known = 0, None
        for rno, cells in table.rows:
            raw = cells[col.index] if col.index < len(cells) else None
            if col.reason == "share" and raw not in (None, ""):
                read_number(table, rno, col, raw, "%", out, nonneg=False)
            if is_number(raw) and (table.file, table.sheet, rno, col.index) not in out.fates:
                set_fate(out, table, rno, col.index, f"set_aside:{col.reason}")
                n += 1
        if n:
            out.set_aside.append({"source_file": table.file, "sheet": table.sheet, "row": table.header_row,
                                  "column": col.header, "reason": col.reason, "count": n, "known": known})


def parse_table(sheet: Sheet, table: Table, form: str, registry: FormRegistry = forms) -> Parsed:
    """Parse one located table as the form ``form`` of the registry and account for every figure in it (a located
    fault for any left over). A form the registry does not know is refused with a fault at the table's header."""
    out = Parsed(faults=list(table.faults))
    out.numbers = _sheet_numbers(sheet, [*table.rows, *table.after])
    if table.faults:
        return out
    known = registry.get(form)
    if known is None:
        out.faults.append(Fault.worded(table.file, table.sheet, table.header_row, None, form, "intake.form.unknown",
                                       forms=" / ".join(registry.names())))
        return out
    out.extend(known.parse(table))
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


def parse_sheets(sheets: Iterable[Sheet], vocab: Vocabulary | None = None,
                 registry: FormRegistry = forms) -> tuple[Parsed, list[str]]:
    """Parse every sheet with a recognised table; return what was parsed and the names of skipped sheets.

    A skipped sheet (no header row the vocabulary knows) must hold no figures: if it does, that is a fault.
    """
    vocab = vocab or vocab_mod.load()
    out = Parsed()
    skipped = []
    for sheet in sheets:
        table = locate_table(sheet, vocab)
        form = registry.recognise(table) if table is not None else None
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
        out.extend(parse_table(sheet, table, form, registry))
    return out, skipped
