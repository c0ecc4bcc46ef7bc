"""The files a briefing leaves next to its page: the summary JSON and the Excel appendix.

The summary JSON is the machine-readable record (schema: docs/summary-schema.md). The xlsx is for people: it
reads like the page — sheet names, headers, statuses and town names in the briefing's language, number formats
on the cells from each column's unit (``sheetlayout``: 400家, 48.0%, 12.50亿元, probabilities to 0.1 %) while each
cell keeps the full-precision number, frozen header rows, widths that fit, and a print set-up (A4 landscape, the
page's width, header rows repeated, title and page number in the footer). Both are written to a temporary file and
renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

import helpers.briefing.next_steps as next_steps
import helpers.briefing.recognition as recognition
import helpers.briefing.sheetlayout as sheetlayout
import helpers.briefing.yearly as yearly
from helpers.atomic import write_text_atomic
from helpers.labels import Lang, known, label, label_or, quantity, town_label
from helpers.meeting_files import appendix_name, summary_name
from helpers.wording import say

from .context import MeetingContext
from .masthead import masthead
from .sections import quality_message
from .sheetlayout import display_width as _width
from .sheetlayout import sheet_name

SCHEMA_VERSION = 1

#: columns of the targets sheet: (summary field, header key, kind of cell)
TARGET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("no", "briefing.xlsx.col.no", "int"),
    ("name", "col.indicator", "text"),
    ("headline", "briefing.xlsx.col.headline", "bool"),
    ("direction", "briefing.xlsx.col.direction", "direction"),
    ("target", "col.target", "value"),
    ("deadline", "col.deadline", "date"),
    ("latest_value", "col.latest", "value"),
    ("latest_date", "briefing.xlsx.col.latest_date", "date"),
    ("forecast_point", "col.forecast", "value"),
    ("forecast_lo80", "briefing.xlsx.col.lo80", "value"),
    ("forecast_hi80", "briefing.xlsx.col.hi80", "value"),
    ("forecast_lo95", "briefing.xlsx.col.lo95", "value"),
    ("forecast_hi95", "briefing.xlsx.col.hi95", "value"),
    ("p_reach", "col.p_reach", "probability"),
    ("status", "col.status", "status"),
    ("growth_ratio", "briefing.xlsx.col.growth_ratio", "ratio"),
    ("what_it_takes", "col.what_it_takes", "text"),
    ("responsible", "col.responsible", "text"),
    ("method", "briefing.method.column", "text"),
    ("id", "briefing.xlsx.col.id", "text"),
)

#: headers and kinds of the by-town tables' columns (other columns keep their name and are written as they are)
TOWN_COLUMNS: dict[str, tuple[str, str]] = {
    "town": ("col.town", "town"), "latest_value": ("col.latest", "value"), "target": ("col.target", "value"),
    "forecast": ("col.forecast", "value"), "lo80": ("briefing.xlsx.col.lo80", "value"),
    "hi80": ("briefing.xlsx.col.hi80", "value"), "p_reach": ("col.p_reach", "probability"),
    "status": ("col.status", "status"), "same_month_last_year": ("briefing.xlsx.col.same_month_last_year", "value"),
    "change_pp": ("briefing.xlsx.col.change_pp", "pp"),
    "numerator_growth": ("briefing.xlsx.col.numerator_growth", "probability"),
    "denominator_growth": ("briefing.xlsx.col.denominator_growth", "probability"),
    "p_every_year": ("briefing.xlsx.col.p_every_year", "probability"),
}

QUALITY_COLUMNS: dict[str, tuple[str, str]] = {
    "check": ("briefing.quality.check", "check"), "severity": ("briefing.quality.severity", "severity"),
    "source_file": ("briefing.quality.file", "text"), "sheet": ("briefing.quality.sheet", "text"),
    "row": ("briefing.quality.row", "int"), "column": ("briefing.quality.column", "text"),
    "value": ("briefing.quality.value", "text"), "message": ("briefing.quality.message", "text"),
    "known": ("briefing.quality.known", "date"),
}


# ------------------------------------------------------------------------------------------ summary JSON
def summary_record(c: MeetingContext) -> dict:
    """The summary JSON (schema: docs/summary-schema.md)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "meeting": c.meeting.id,
        "meeting_date": c.meeting.date.isoformat(),
        "as_of": c.meeting.cut_off.isoformat(),
        "focus_year": c.meeting.focus_year,
        "plan": c.plan.id,
        "plan_title_zh": c.plan.title_zh,
        "plan_title_en": c.plan.title_en,
        "plan_document_no": c.plan.document_no,
        **_masthead_fields(c),
        "synthetic": c.synthetic,
        "generated_at": c.generated_at,
        "completeness": c.completeness.summary() if c.completeness is not None else None,
        "targets": [a.summary() for a in c.attainments],
        "next_steps": next_steps.summary(c),
    }


def _masthead_fields(c: MeetingContext) -> dict:
    """The 简报's title in both languages, its 期数, 编印单位 and date (``masthead``): the page's ``<title>``, the
    PDF's title, the index and the cover note all read them from here."""
    zh, en = masthead(c.plan, c.meeting, "zh"), masthead(c.plan, c.meeting, "en")
    return {"title_zh": zh.title, "title_en": en.title, "issue_number": zh.number,
            "compiled_by_zh": zh.compiled_by, "compiled_by_en": en.compiled_by, "issued": zh.issued.isoformat()}


def write_outputs(c: MeetingContext, output_dir: str | Path) -> list[Path]:
    """Write ``summary-<meeting>.json`` and the xlsx (``appendix_name``) into ``output_dir``."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = out / summary_name(c.meeting.id)
    write_text_atomic(summary, json.dumps(summary_record(c), ensure_ascii=False, indent=2))
    xlsx = out / appendix_name(c.meeting.id, c.lang)
    write_xlsx(c, xlsx)
    return [summary, xlsx]


# ------------------------------------------------------------------------------------------ xlsx
class _Sheets:
    """Writes tables as formatted sheets: typed cells, frozen header row, auto filter, fitted widths, print set-up
    (``title`` is printed in every page's footer)."""

    def __init__(self, book: xlsxwriter.Workbook, lang: Lang, title: str = ""):
        self.book, self.lang, self.taken, self.title = book, lang, set(), title
        self.fmt: dict[tuple[str, bool], object] = {}

    def format(self, spec: str | None, wrap: bool = False) -> object:
        key = (spec or "", wrap)
        if key not in self.fmt:
            props: dict[str, object] = {"num_format": spec} if spec else {}
            if wrap:
                props |= {"text_wrap": True, "valign": "top"}
            self.fmt[key] = self.book.add_format(props)
        return self.fmt[key]

    def header_format(self) -> object:
        if "__header" not in self.fmt:
            self.fmt["__header"] = self.book.add_format({"bold": True, "bg_color": "#e4e7eb", "text_wrap": True,
                                                          "valign": "top", "bottom": 1})
        return self.fmt["__header"]

    def cell(self, kind: str, value: object, unit: str) -> tuple[object, str | None, str]:
        """(value to write, number format, text as shown) for one cell of ``kind``."""
        lang = self.lang
        if _missing(value):
            return None, None, ""
        if kind == "text" and _is_number(value):
            kind = "number"  # a figure in a column nobody declared is still stored as a number, never as text
        if kind in ("value", "pp", "ratio", "probability", "int", "number"):
            try:
                x = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return str(value), None, str(value)
            if math.isnan(x):
                return None, None, ""
            shown = f"{100 * x:.1f}%" if kind == "probability" else f"{x:,.2f}"
            if kind == "value" and known(f"quantity.{unit}"):
                shown = quantity(x, unit, lang)
            return x, sheetlayout.number_format(kind, unit, lang), shown
        if kind == "date":
            d = pd.Timestamp(value)
            return (d.to_pydatetime().replace(tzinfo=None), sheetlayout.DATE_FORMAT, d.strftime("%Y-%m-%d"))
        text = {
            "bool": lambda: say("briefing.yes" if value else "briefing.no", lang),
            "status": lambda: label_or(f"status.{value}", str(value), lang),
            "unit": lambda: label_or(f"unit.{value}", str(value), lang),
            "direction": lambda: label_or(f"briefing.xlsx.direction.{value}", str(value), lang),
            "town": lambda: _town(str(value), lang),
            "check": lambda: label_or(f"check.{value}", str(value), lang),
            "severity": lambda: label_or(f"severity.{value}", str(value), lang),
        }.get(kind, lambda: str(value))()
        return text, None, text

    def write(self, title: str, header: Sequence[str], rows: Sequence[Sequence[tuple[str, object, str]]],
              *, freeze_cols: int = 0) -> str:
        """One sheet: ``rows`` of (kind, value, unit) cells under ``header``; returns the sheet's name."""
        name = sheet_name(title, self.taken)
        ws = self.book.add_worksheet(name)
        cells = [[self.cell(kind, value, unit) for kind, value, unit in row] for row in rows]
        # a header is wrapped over two lines rather than widening a column of short figures
        widths = [min(_width(h), 14) for h in header]
        for row in cells:
            for j, (_, _, shown) in enumerate(row):
                widths[j] = max(widths[j], _width(shown))
        wrap = [w > sheetlayout.WRAP_WIDTH for w in widths]
        for j, h in enumerate(header):
            ws.write_string(0, j, h, self.header_format())
        for i, row in enumerate(cells, start=1):
            for j, (v, spec, _) in enumerate(row):
                fmt = self.format(spec, wrap[j])
                if v is None:
                    ws.write_blank(i, j, None, fmt)
                elif isinstance(v, float):
                    ws.write_number(i, j, v, fmt)
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(i, j, v, fmt)
                else:
                    ws.write_string(i, j, str(v), fmt)
        for j, w in enumerate(widths):
            ws.set_column(j, j, min(max(w + 2, 6), sheetlayout.WRAP_WIDTH))
        ws.freeze_panes(1, freeze_cols)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(header) - 1, 0))
        sheetlayout.print_setup(ws, title=self.title, lang=self.lang)
        return name


def _is_number(value: object) -> bool:
    """A number (not a flag): numpy and Python ints and floats."""
    return not isinstance(value, bool) and pd.api.types.is_number(value)


def _missing(value: object) -> bool:
    if value is None or isinstance(value, (str, bool)):
        return value is None
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _town(code: str, lang: Lang) -> str:
    try:
        return town_label(code, lang)
    except KeyError:
        return code


def _header(key: str, lang: Lang) -> str:
    return label(key, lang)


def _column_header(column: object, lang: Lang) -> str:
    """A by-town column's header: a known column's label, else ``briefing.xlsx.col.<name>`` if the catalogue has
    it, else the name as it is (a column another model adds is named by declaring that key)."""
    if column in TOWN_COLUMNS:
        return _header(TOWN_COLUMNS[str(column)][0], lang)
    return label_or(f"briefing.xlsx.col.{column}", str(column), lang)


def write_xlsx(c: MeetingContext, path: Path) -> None:
    """The Excel appendix: every target, each by-town table, the data-quality findings and what the file is."""
    lang = c.lang
    tmp = path.with_name(f".{path.name}.tmp")
    book = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True})
    try:
        title = say("devices.xlsx.title", lang, title=label("page.title", lang), meeting=c.meeting.label(lang))
        sheets = _Sheets(book, lang, title)
        rows = []
        for no, a in enumerate(c.attainments, start=1):
            record = a.summary() | {"no": no, "name": a.name(lang), "what_it_takes": a.what_it_takes(lang),
                                    "method": a.method_text(lang), "responsible": a.responsible_in(lang)}
            rows.append([(kind, record.get(field), a.unit) for field, _, kind in TARGET_COLUMNS])
        sheets.write(say("briefing.xlsx.sheet.targets", lang), [_header(k, lang) for _, k, _ in TARGET_COLUMNS],
                     rows, freeze_cols=2)
        sheets.write(*next_steps.sheet(c), freeze_cols=2)
        for no, a in enumerate(c.attainments, start=1):
            bt = a.by_town
            if bt is None or not len(bt):
                continue
            cols = list(bt.columns)
            header = [_column_header(col, lang) for col in cols]
            kinds = [TOWN_COLUMNS.get(col, ("", "text"))[1] for col in cols]
            unit = bt.attrs.get("unit", a.unit)  # the unit of the table's figures, where not the target's
            body = [[(k, v, unit) for k, v in zip(kinds, r, strict=True)] for r in bt.itertuples(index=False)]
            sheets.write(say("briefing.xlsx.sheet.towns", lang, no=no, name=a.name(lang)), header, body,
                         freeze_cols=1)
        for key, (header, body) in (("verdicts.xlsx.sheet.years", yearly.xlsx_years(c)),
                                    ("verdicts.xlsx.sheet.readings", yearly.xlsx_readings(c))):
            if body:
                sheets.write(say(key, lang), header, body, freeze_cols=1)
        for title, header, body in recognition.appendix_sheets(c):
            sheets.write(title, header, body, freeze_cols=1)
        q = c.data.quality
        qcols = [col for col in QUALITY_COLUMNS if col in q.columns]
        sheets.write(say("briefing.xlsx.sheet.quality", lang), [_header(QUALITY_COLUMNS[x][0], lang) for x in qcols],
                     [[(QUALITY_COLUMNS[x][1], quality_message(r, lang) if x == "message" else r[x], "") for x in qcols]
                      for r in q.to_dict("records")])
        about = [
            (say("briefing.xlsx.about.plan", lang), ("text", getattr(c.plan, f"title_{lang}"), "")),
            (label("page.meeting", lang), ("text", c.meeting.label(lang), "")),
            (label("page.as_of", lang), ("date", c.meeting.cut_off, "")),
            (say("briefing.xlsx.about.synthetic", lang), ("bool", c.synthetic, "")),
            (say("briefing.xlsx.about.generated", lang), ("text", c.generated_at, "")),
        ]
        sheets.write(say("briefing.xlsx.sheet.about", lang),
                     [say("briefing.xlsx.about.item", lang), say("briefing.xlsx.about.value", lang)],
                     [[("text", k, ""), cell] for k, cell in about])
    finally:
        book.close()
    tmp.replace(path)
