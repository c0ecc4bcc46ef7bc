"""The files a briefing leaves next to its page: the summary JSON and the Excel appendix.

The summary JSON is the machine-readable record (schema: docs/summary-schema.md). The xlsx is for people: it
reads like the page — sheet names, headers, statuses and town names in the briefing's language, number formats
on the cells (shares to 0.1 %, probabilities to 0.1 %, counts whole) while each cell keeps the full-precision
value, frozen header rows and widths that fit. Both are written to a temporary file and renamed, so a reader
never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

from helpers.labels import Lang, label, label_or, town_label
from helpers.processed import write_text_atomic
from helpers.wording import say

from . import next_steps, recognition, yearly
from .context import MeetingContext
from .masthead import masthead
from .sections import quality_message

SCHEMA_VERSION = 1

#: Excel number formats by unit: the value keeps full precision, the cell shows what the page shows
UNIT_FORMATS = {"percent": '0.0"%"', "100m_yuan": "#,##0.00", "10k_yuan": "#,##0"}
COUNT_FORMAT = "#,##0"
PROBABILITY_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"

#: columns of the targets sheet: (summary field, header key, kind of cell)
TARGET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("no", "briefing.xlsx.col.no", "int"),
    ("name", "col.indicator", "text"),
    ("headline", "briefing.xlsx.col.headline", "bool"),
    ("direction", "briefing.xlsx.col.direction", "direction"),
    ("target", "col.target", "value"),
    ("unit", "briefing.xlsx.col.unit", "unit"),
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


def appendix_name(meeting_id: str, lang: Lang) -> str:
    """The xlsx's file name, in step with the page's: ``briefing-<meeting>.xlsx`` in Chinese, ``….en.xlsx`` in English.

    Why: the workbook is written in the briefing's language; one name for both meant an English render replaced
    the Chinese page's appendix with an English one (the summary JSON holds both languages and keeps one name).
    """
    return f"briefing-{meeting_id}.xlsx" if lang == "zh" else f"briefing-{meeting_id}.{lang}.xlsx"


def write_outputs(c: MeetingContext, output_dir: str | Path) -> list[Path]:
    """Write ``summary-<meeting>.json`` and the xlsx (``appendix_name``) into ``output_dir``."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = out / f"summary-{c.meeting.id}.json"
    write_text_atomic(summary, json.dumps(summary_record(c), ensure_ascii=False, indent=2))
    xlsx = out / appendix_name(c.meeting.id, c.lang)
    write_xlsx(c, xlsx)
    return [summary, xlsx]


# ------------------------------------------------------------------------------------------ xlsx
def _width(text: str) -> int:
    """Display width in Excel character units: CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "-"
    name, i = base, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(name.lower())
    return name


class _Sheets:
    """Writes tables as formatted sheets: typed cells, frozen header row, auto filter, fitted widths."""

    def __init__(self, book: xlsxwriter.Workbook, lang: Lang):
        self.book, self.lang, self.taken = book, lang, set()
        self.fmt: dict[str, object] = {}

    def format(self, spec: str | None) -> object:
        key = spec or ""
        if key not in self.fmt:
            props = {"num_format": spec} if spec else {}
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
        if kind in ("value", "pp", "ratio", "probability", "int"):
            try:
                x = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return str(value), None, str(value)
            if math.isnan(x):
                return None, None, ""
            spec = {"value": UNIT_FORMATS.get(unit, COUNT_FORMAT), "pp": "0.0", "ratio": "0.00",
                    "probability": PROBABILITY_FORMAT, "int": "0"}[kind]
            shown = f"{100 * x:.1f}%" if kind == "probability" else f"{x:,.2f}"
            return x, spec, shown
        if kind == "date":
            d = pd.Timestamp(value)
            return d.to_pydatetime().replace(tzinfo=None), DATE_FORMAT, d.strftime("%Y-%m-%d")
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
        widths = [_width(h) for h in header]
        for j, h in enumerate(header):
            ws.write_string(0, j, h, self.header_format())
        for i, row in enumerate(rows, start=1):
            for j, (kind, value, unit) in enumerate(row):
                v, spec, shown = self.cell(kind, value, unit)
                widths[j] = max(widths[j], _width(shown))
                if v is None:
                    ws.write_blank(i, j, None, self.format(spec))
                elif isinstance(v, float):
                    ws.write_number(i, j, v, self.format(spec))
                elif isinstance(v, dt.datetime):
                    ws.write_datetime(i, j, v, self.format(spec))
                else:
                    ws.write_string(i, j, str(v), self.format(spec))
        for j, w in enumerate(widths):
            ws.set_column(j, j, min(max(w + 2, 6), 60))
        ws.freeze_panes(1, freeze_cols)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(header) - 1, 0))
        return name


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


def write_xlsx(c: MeetingContext, path: Path) -> None:
    """The Excel appendix: every target, each by-town table, the data-quality findings and what the file is."""
    lang = c.lang
    tmp = path.with_name(f".{path.name}.tmp")
    book = xlsxwriter.Workbook(str(tmp), {"nan_inf_to_errors": True})
    try:
        sheets = _Sheets(book, lang)
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
            header = [_header(TOWN_COLUMNS[col][0], lang) if col in TOWN_COLUMNS else str(col) for col in cols]
            kinds = [TOWN_COLUMNS.get(col, ("", "text"))[1] for col in cols]
            body = [[(k, v, a.unit) for k, v in zip(kinds, r, strict=True)] for r in bt.itertuples(index=False)]
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
