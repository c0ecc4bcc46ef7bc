"""Which cells of an .xlsx workbook carry a percent number format (``0.0%``), read straight from its XML.

Why: the cell reader (python-calamine) returns a cell's stored number, not what Excel shows. A clerk who types
82.8 % into a cell formatted ``0.0%`` stores 0.828; read as stored, a rate of 82.8 % becomes 0.828 % — a hundred
times too small, with nothing to see. Only the number format tells the two apart, and calamine does not expose
it. openpyxl would (its read-only mode costs about ten times calamine's whole read), so this module reads just
the two parts that matter from the zip: ``xl/styles.xml`` (which cell styles are percent formats) and — only when
the workbook has such a style at all — each sheet's cells that use one. A workbook without any percent style
(the common case) costs one small XML parse.

Formats whose number formats are not read here (.xls, .xlsb, .ods, .csv) get no answer; ``helpers.ingest``
says what it does about those (docs/intake.md, "Percent-formatted cells").
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import iterparse

#: the suffixes whose number formats this module can read (Office Open XML spreadsheets)
READABLE_SUFFIXES = (".xlsx", ".xlsm")
#: Excel's built-in percent formats: 9 = ``0%``, 10 = ``0.00%``
BUILTIN_PERCENT = {9, 10}
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_RE = re.compile(r"^([A-Z]+)(\d+)$")

PercentCells = dict[str, frozenset[tuple[int, int]]]  # sheet name -> {(1-based row, 0-based column)}


def is_percent_format(code: str) -> bool:
    """True when a number-format code shows its number as a percentage (a ``%`` not quoted or escaped)."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in bare


def percent_cells(path: Path) -> PercentCells:
    """Every numeric cell with a percent number format, per sheet name; empty for a workbook with none."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/styles.xml" not in names:
            return {}
        styles = _percent_styles(zf.read("xl/styles.xml"))
        if not styles:
            return {}
        out: PercentCells = {}
        for sheet, part in _sheet_parts(zf).items():
            if part in names:
                with zf.open(part) as fh:
                    cells = _cells_with_style(fh, styles)
                if cells:
                    out[sheet] = cells
        return out


def _percent_styles(xml: bytes) -> set[int]:
    """Indices into ``cellXfs`` (a cell's ``s`` attribute) whose number format is a percentage."""
    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    for event, el in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = el.tag.removeprefix(_MAIN)
        if tag == "cellXfs":
            in_cell_xfs = event == "start"
        elif event == "start" and tag == "numFmt":
            custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
        elif event == "start" and tag == "xf" and in_cell_xfs:
            xfs.append(int(el.get("numFmtId", "0")))
    return {i for i, fmt in enumerate(xfs)
            if fmt in BUILTIN_PERCENT or (fmt in custom and is_percent_format(custom[fmt]))}


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the zip (``xl/worksheets/sheet1.xml``), through the workbook's relationships."""
    targets = {}
    for _, el in iterparse(zf.open("xl/_rels/workbook.xml.rels")):
        if el.tag == f"{_PKG_REL}Relationship":
            target = el.get("Target", "")
            targets[el.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    out = {}
    for _, el in iterparse(zf.open("xl/workbook.xml")):
        if el.tag == f"{_MAIN}sheet" and el.get(f"{_REL}id") in targets:
            out[el.get("name", "")] = targets[el.get(f"{_REL}id")]
    return out


def _cells_with_style(fh: IO[bytes], styles: set[int]) -> frozenset[tuple[int, int]]:
    """(row, column) of the numeric cells whose style is one of ``styles``."""
    found = set()
    row, col = 0, -1
    for event, el in iterparse(fh, events=("start", "end")):
        tag = el.tag.removeprefix(_MAIN)
        if event == "start":
            if tag == "row":
                row, col = int(el.get("r", row + 1)), -1
            elif tag == "c":
                ref = _CELL_RE.match(el.get("r", ""))
                col = _column_index(ref.group(1)) if ref else col + 1
                if ref:
                    row = int(ref.group(2))
            continue
        if tag == "c":
            if int(el.get("s", "0")) in styles and el.get("t", "n") == "n":
                found.add((row, col))
            el.clear()
        elif tag == "row":
            el.clear()
    return frozenset(found)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
