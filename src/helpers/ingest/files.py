"""Files and encodings: a return file (xlsx, xls, csv …) read into sheets of cell values, or a located fault.

Why a room of its own: which library opens which format, how a GBK CSV from an old system is decoded and which
cells Excel shows as percentages are questions of files, not of forms; the rest of the reader sees only
:class:`Sheet` rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import numformat
from helpers.validate import Fault

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # every format python-calamine reads
RETURN_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
#: spreadsheets the reader cannot open (WPS's own .et, Numbers, templates): a return saved in one of them is refused
#: with a located fault — listing it as "not a return" would drop its figures without a word
UNREADABLE_SPREADSHEET_SUFFIXES = (".et", ".ett", ".numbers", ".xlt", ".xltx", ".xltm", ".ots", ".dbf")


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
    ``helpers.numformat`` so that a 0.828 shown as 82.8 % is read as 82.8 (see ``read_number``).
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

