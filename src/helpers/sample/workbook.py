"""Write workbooks the way district offices lay them out: merged title rows, headers with units, footnotes.

Files are deterministic (fixed document creation time), so regenerating the sample with the same seed gives
the same bytes and git shows no spurious change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

FIXED_CREATED = dt.datetime(2025, 3, 1, 9, 0, 0)


@dataclass
class SheetSpec:
    """One sheet: title lines (merged across the table), a header row, data rows, footnotes under the table."""

    name: str
    title_lines: Sequence[str]
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    footnotes: Sequence[str] = ()
    column_widths: dict[int, float] = field(default_factory=dict)


def write_workbook(path: Path, sheets: Sequence[SheetSpec]) -> Path:
    """Write ``sheets`` to ``path`` (xlsx) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"created": FIXED_CREATED, "author": "gaoqi-briefings sample generator (synthetic)"})
    title_fmt = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "font_size": 13})
    sub_fmt = wb.add_format({"align": "left"})
    head_fmt = wb.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    cell_fmt = wb.add_format({"border": 1})
    date_fmt = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    note_fmt = wb.add_format({"italic": True, "font_size": 9})
    for spec in sheets:
        ws = wb.add_worksheet(spec.name)
        width = max(len(spec.header), 1)
        r = 0
        for i, line in enumerate(spec.title_lines):
            if width > 1:
                ws.merge_range(r, 0, r, width - 1, line, title_fmt if i == 0 else sub_fmt)
            else:
                ws.write_string(r, 0, line, title_fmt if i == 0 else sub_fmt)
            r += 1
        for c, h in enumerate(spec.header):
            ws.write_string(r, c, h, head_fmt)
        r += 1
        for row in spec.rows:
            for c, value in enumerate(row):
                if value is None:
                    ws.write_blank(r, c, None, cell_fmt)
                elif isinstance(value, dt.datetime | dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value, cell_fmt)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, float(value), cell_fmt)
                else:
                    ws.write_string(r, c, str(value), cell_fmt)
            r += 1
        if spec.footnotes:
            r += 1
            for note in spec.footnotes:
                ws.write_string(r, 0, note, note_fmt)
                r += 1
        for c in range(width):
            ws.set_column(c, c, spec.column_widths.get(c, 16))
    wb.close()
    return path
