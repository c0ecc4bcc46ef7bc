"""Readers for the bureau's raw returns: xlsx and csv in, located tables and tidy records out.

Why this shape: returns come as workbooks laid out for people (merged title rows carrying the period and the
release date, Chinese headers with units in brackets, footnotes under the table, "—" for unpublished cells)
or as CSV exports of older systems in GBK. Each reader finds the header row by matching **one header alias
table**, reads units from the headers (万元 / 亿元 / % / 家 …) and converts money to 万元, keeps YTD figures
as reported (1-2月 is month 2; a January-only return is refused), and gives every value its provenance
(file, sheet, Excel row, column) and the date it became known. Nothing here decides what is an error: every
checked cell is also emitted as a row of ``cells`` that ``helpers.validate`` checks with pandera.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.towns import DISTRICT, normalise_text, town_code
from helpers.validate import Fault

# --- alias tables ---------------------------------------------------------------------------------------------

#: canonical column key → every header spelling seen in returns (compared after ``normalise_text``, unit removed).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "town": ("区镇", "区镇名称", "地区", "所属区镇", "所在区镇", "属地", "镇区", "区(镇)"),
    "period": ("统计期", "期别", "时期", "统计期间"),
    "released": ("发布日期", "报送日期", "发布时间"),
    "total_output": ("规上工业总产值", "规模以上工业总产值", "工业总产值"),
    "hightech_output": ("高新技术产业产值", "高新技术产业总产值", "高新产业产值"),
    "output_share": ("高新技术产业产值占比", "高新技术产业产值占规上工业总产值比重", "高新技术产业占比"),
    "total_profit": ("规上工业利润", "规模以上工业利润", "规上工业利润总额", "利润总额"),
    "hightech_profit": ("规上高新技术企业利润", "高新技术企业利润", "规上高企利润"),
    "firm_name": ("企业名称", "单位名称", "企业"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "cert_no": ("证书编号", "证书号", "高企证书编号"),
    "issue_date": ("发证日期", "颁证日期", "证书日期", "认定日期"),
    "announced": ("公示日期", "公告日期", "公布日期"),
    "field": ("技术领域", "领域", "所属技术领域"),
    "revoked": ("取消资格日期", "撤销日期", "取消日期"),
    "task": ("指标", "指标名称", "任务", "任务名称"),
    "unit": ("单位", "计量单位"),
    "value": ("完成值", "数值", "完成数", "本年累计", "期末值"),
    "projects": ("新招引科创项目", "科创项目", "新招引科创项目数"),
    "uir_projects": ("产学研项目", "产学研合作项目"),
    "pan_tech_firms": ("泛科技型企业", "泛科技型企业数"),
    "ip_firms": ("拥有知识产权的泛科技型企业", "有知识产权的泛科技型企业"),
    "valid_firms": ("有效高新技术企业", "有效高新技术企业数", "有效高企数"),
}
#: task id → row labels of the district sheet of the task returns.
TASK_ALIASES: dict[str, tuple[str, ...]] = {
    "tech_sme": ("科技型中小企业评价入库", "科技型中小企业入库"),
    "incubated": ("载体孵化培育科技型小微企业", "孵化科技型小微企业"),
    "talent_lead": ("领军型创新创业人才(团队)项目", "领军人才项目"),
    "talent_prov": ("入选省双创人才", "省双创人才"),
    "talent_overseas": ("引进海外高层次人才(团队)", "海外高层次人才"),
    "fin_balance": ("科技金融贷款余额",),
    "fin_firms": ("科技金融支持科技创新型企业",),
    "carriers": ("新增省级以上双创载体",),
    "carriers_specialised": ("其中:专业型载体", "专业型载体"),
    "growth_firms_eaglet": ("雏鹰企业",),
    "growth_firms_gazelle": ("瞪羚企业",),
    "growth_firms_unicorn": ("独角兽培育企业",),
    "growth_firms": ("雏鹰、瞪羚、独角兽培育企业合计", "雏鹰瞪羚独角兽培育企业合计"),
    "hitech_ip": ("高企知识产权申报达标率",),
    "rd_filing": ("高企研发项目备案率",),
    "rd_ledger": ("高企研发费用辅助账建账率",),
    "rd_deduction": ("高企研发费用加计扣除享受率",),
    "valid_firms": ("有效高新技术企业",),
    "patent_apply_coverage": ("科技型中小企业、高企培育入库企业、高新技术企业发明专利申请覆盖率", "发明专利申请覆盖率"),
    "patent_grant_coverage": ("“小升高”培育入库企业、高新技术企业发明专利授权覆盖率", "小升高培育入库企业、高新技术企业发明专利授权覆盖率", "发明专利授权覆盖率"),
    "incubation_chain_links": ("科技企业孵化链条已建成环节", "孵化链条已建成环节"),
}
INDICATORS = ("total_output", "hightech_output", "total_profit", "hightech_profit")
TOWN_TASKS = ("projects", "uir_projects", "pan_tech_firms", "ip_firms", "valid_firms")
#: unit → (kind, factor to the contract unit: 万元 for money)
UNITS: dict[str, tuple[str, float]] = {
    "万元": ("money", 1.0), "亿元": ("money", 10_000.0), "千元": ("money", 0.1), "元": ("money", 0.0001),
    "%": ("percent", 1.0), "家": ("count", 1.0), "个": ("count", 1.0), "名": ("count", 1.0),
    "项": ("count", 1.0), "人": ("count", 1.0), "户": ("count", 1.0),
}
MISSING_MARKS = {"", "—", "——", "-", "--", "–", "/", "…", "不公布", "无"}
FOOTNOTE_RE = re.compile(r"^(注|说明|备注|资料来源|数据来源|\*|※)")
REGISTER_FORM = ("firm_name", "credit_code", "cert_no", "issue_date", "announced", "town")


def _key(text: str) -> str:
    return normalise_text(text).replace("：", ":")


_HEADER_INDEX = {_key(s): k for k, spellings in HEADER_ALIASES.items() for s in spellings}
_TASK_INDEX = {_key(s): k for k, spellings in TASK_ALIASES.items() for s in spellings}
_UNIT_RE = re.compile(r"^(.*?)\(([^()]*)\)$")


# --- reading files ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    """One sheet (or a whole CSV) as rows of cell values, each with its 1-based row number."""

    file: str
    name: str
    rows: list[tuple[int, tuple[Any, ...]]]


def read_file(path: Path, rel: str) -> tuple[list[Sheet], list[Fault]]:
    """Every sheet of an xlsx/csv file; a located fault instead when the file cannot be read at all."""
    if path.stat().st_size == 0:
        return [], [Fault(rel, None, None, None, "", "a workbook or CSV with a table",
                          "the file is empty (0 bytes): export it again from the source system")]
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path, rel), []
        if suffix == ".csv":
            return [_read_csv(path, rel)], []
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        what = "an Excel workbook (.xlsx)" if suffix != ".csv" else "a text CSV file"
        return [], [Fault(rel, None, None, None, type(exc).__name__, f"{what} that can be opened",
                          "the file is damaged or not what its extension says: open it in Excel/WPS and save it "
                          "again as .xlsx (or export the CSV again)")]
    return [], [Fault(rel, None, None, None, suffix, "an .xlsx or .csv file",
                      "save the file as .xlsx (Excel 2007+) or .csv; old .xls files cannot be read")]


def _read_xlsx(path: Path, rel: str) -> list[Sheet]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows = [(i, tuple(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
            sheets.append(Sheet(rel, ws.title, rows))
        return sheets
    finally:
        wb.close()


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM) when valid, else the encoding charset-normalizer detects."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252"]).best()
    if best is None:
        raise ValueError("encoding not recognised")
    return str(best)


def _read_csv(path: Path, rel: str) -> Sheet:
    text = decode_csv(path.read_bytes())
    rows = [(i, tuple(r)) for i, r in enumerate(csv.reader(io.StringIO(text)), start=1)]
    return Sheet(rel, "", rows)


# --- cells ----------------------------------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """A cell as text for messages and alias matching (dates in ISO form, floats without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_number(value: Any) -> tuple[float | None, str]:
    """(number, status): status ``ok``, ``text`` (a number typed as text), ``missing`` or ``bad``."""
    if value is None:
        return None, "missing"
    if isinstance(value, bool):
        return None, "bad"
    if isinstance(value, int | float):
        return (None, "missing") if value != value else (float(value), "ok")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in MISSING_MARKS or str(value).strip() in MISSING_MARKS:
        return None, "missing"
    cleaned = re.sub(r"[,\s]", "", text).rstrip("%")
    try:
        return float(cleaned), "text"
    except ValueError:
        return None, "bad"


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """(date, status): ``ok``, ``missing`` or ``bad`` (not a date, or an impossible one such as 2024-02-30)."""
    if value is None:
        return None, "missing"
    if isinstance(value, dt.datetime):
        return value.date(), "ok"
    if isinstance(value, dt.date):
        return value, "ok"
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()
    if text in MISSING_MARKS:
        return None, "missing"
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "ok"
            except ValueError:
                return None, "bad"
    return None, "bad"


_RELEASE_RE = re.compile(r"(发布日期|报送日期|发布时间|更新日期)\s*[:：]\s*([0-9][0-9年月日\-/. ]*[0-9日])")
_RANGE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*[-—–~～至]\s*(\d{1,2})\s*月")
_MONTH_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_ASOF_RE = re.compile(r"截至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HALF_RE = re.compile(r"(\d{4})\s*年\s*(上半年|下半年|全年|年度|H1|H2)")
_SHORT_RANGE_RE = re.compile(r"^\s*(\d{1,2})\s*[-—–~～至]\s*(\d{1,2})\s*月")


def find_release(text: str) -> tuple[dt.date | None, str, str]:
    """(date, status, raw) of a ``发布日期：…`` phrase in title text; status ``missing`` when there is none."""
    m = _RELEASE_RE.search(text)
    if not m:
        return None, "missing", ""
    date, status = parse_date(m.group(2).strip())
    return date, status, m.group(0)


def parse_period(text: str, default_year: int | None = None) -> tuple[tuple[int, int] | None, str]:
    """(year, last month) of a YTD period such as ``2024年1-6月`` or ``2024年1-2月``.

    Status ``ok``; ``january`` for a January-only return (January and February are reported together as
    1-2月, so a January figure cannot be placed); ``not_ytd`` for a range not starting in January;
    ``missing`` when no period is written.
    """
    text = unicodedata.normalize("NFKC", text)
    m = _RANGE_RE.search(text)
    if m:
        year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if first != 1 or not 2 <= last <= 12:
            return None, "not_ytd"
        return (year, last), "ok"
    m = _MONTH_RE.search(text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if month == 1:
            return None, "january"
        return ((year, month), "ok") if 2 <= month <= 12 else (None, "not_ytd")
    m = _SHORT_RANGE_RE.search(text)
    if m and default_year:
        first, last = int(m.group(1)), int(m.group(2))
        return ((default_year, last), "ok") if first == 1 and 2 <= last <= 12 else (None, "not_ytd")
    return None, "missing"


def parse_period_end(text: str) -> tuple[dt.date | None, str]:
    """The period end of a half-yearly return: ``截至2024年6月30日`` or ``2024年上半年`` / ``全年``."""
    text = unicodedata.normalize("NFKC", text)
    m = _ASOF_RE.search(text)
    if m:
        try:
            end = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None, "bad"
        return (end, "ok") if (end.month, end.day) in ((6, 30), (12, 31)) else (end, "not_half")
    m = _HALF_RE.search(text)
    if m:
        year = int(m.group(1))
        return (dt.date(year, 6, 30) if m.group(2) in ("上半年", "H1") else dt.date(year, 12, 31)), "ok"
    return None, "missing"


# --- locating a table -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    index: int
    key: str
    header: str  # as written
    unit: str | None


@dataclass
class Table:
    """A located table: title text above the header, the header's known columns, data rows, footnotes cut off."""

    file: str
    sheet: str
    header_row: int
    title: str
    columns: dict[str, Column]
    rows: list[tuple[int, tuple[Any, ...]]]
    default_unit: str | None = None
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return set(self.columns)


def header_key(text: Any) -> tuple[str | None, str | None]:
    """(column key, unit) for a header cell such as ``规上工业总产值（亿元）``."""
    raw = _key(cell_text(text))
    if not raw:
        return None, None
    m = _UNIT_RE.match(raw)
    name, unit = (m.group(1), m.group(2)) if m and m.group(2) in UNITS else (raw, None)
    return _HEADER_INDEX.get(name), unit


def locate_table(sheet: Sheet, max_scan: int = 25) -> Table | None:
    """Find the header row (the first with two or more known headers) and the data rows below it."""
    for pos, (rowno, cells) in enumerate(sheet.rows[:max_scan]):
        found = {i: header_key(c) for i, c in enumerate(cells)}
        known = {i: ku for i, ku in found.items() if ku[0] is not None}
        if len({k for k, _ in known.values()}) < 2:
            continue
        columns: dict[str, Column] = {}
        unknown = []
        for i, c in enumerate(cells):
            key, unit = found[i]
            if key is not None and key not in columns:
                columns[key] = Column(i, key, cell_text(c), unit)
            elif cell_text(c):
                unknown.append(cell_text(c))
        title = "\n".join(" ".join(cell_text(c) for c in r if cell_text(c)) for _, r in sheet.rows[:pos])
        unit_m = re.search(r"单位\s*[:：]\s*(万元|亿元|千元|元)", title)
        data = []
        for rno, r in sheet.rows[pos + 1:]:
            texts = [cell_text(c) for c in r]
            if not any(texts):
                continue
            first = next(t for t in texts if t)
            if FOOTNOTE_RE.match(first) and sum(bool(t) for t in texts) == 1:
                break
            data.append((rno, r))
        return Table(sheet.file, sheet.name, rowno, title, columns, data,
                     unit_m.group(1) if unit_m else None, unknown)
    return None


def form_of(table: Table) -> str | None:
    """Which return a table is: ``register``, ``industry``, ``tasks_town``, ``tasks_district`` or None."""
    keys = table.keys
    if len(keys & {"firm_name", "credit_code", "cert_no", "issue_date", "announced"}) >= 2:
        return "register"
    if keys & set(INDICATORS):
        return "industry"
    if "town" in keys and keys & set(TOWN_TASKS):
        return "tasks_town"
    if "task" in keys and "value" in keys:
        return "tasks_district"
    return None


# --- records and checked cells -------------------------------------------------------------------------------

@dataclass
class Parsed:
    """What one table yields: tidy records per table, the cells to validate, and faults found while reading."""

    industry: list[dict[str, Any]] = field(default_factory=list)
    certificates: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    cells: list[dict[str, Any]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        for name in ("industry", "certificates", "tasks", "cells", "faults", "notes"):
            getattr(self, name).extend(getattr(other, name))


def _cell(table: Table, row: int, col: Column, raw: Any, **checks: Any) -> dict[str, Any]:
    base = {"source_file": table.file, "sheet": table.sheet, "row": row, "column": col.header,
            "value": cell_text(raw), "town_ok": True, "number_ok": True, "date_ok": True, "present_ok": True,
            "task_ok": True, "nonneg": float("nan"), "percent": float("nan"), "unit": col.unit or ""}
    base.update(checks)
    return base


def _sheet_fault(table: Table, column: str | None, value: str, expected: str, fix: str,
                 row: int | None = None) -> Fault:
    return Fault(table.file, table.sheet, row, column, value, expected, fix)


def _number(table: Table, rno: int, col: Column, raw: Any, unit: str | None, out: Parsed,
            nonneg: bool) -> float | None:
    """Parse a numeric cell into the contract unit; record the cell for validation and notes for soft findings."""
    value, status = parse_number(raw)
    kind, factor = UNITS.get(unit or "", ("count", 1.0))
    checks: dict[str, Any] = {"number_ok": status != "bad", "unit": unit or ""}
    if value is not None:
        if kind == "percent":
            checks["percent"] = value
        elif nonneg:
            checks["nonneg"] = value
    out.cells.append(_cell(table, rno, col, raw, **checks))
    if status == "text" and not table.file.lower().endswith(".csv"):  # CSV cells are all text
        out.notes.append({"check": "text_in_number", "source_file": table.file, "sheet": table.sheet, "row": rno,
                          "column": col.header, "value": cell_text(raw)})
    if status == "missing":
        out.notes.append({"check": "missing_value", "source_file": table.file, "sheet": table.sheet, "row": rno,
                          "column": col.header, "value": cell_text(raw)})
    return None if value is None else value * factor


def _town(table: Table, rno: int, raw: Any, out: Parsed) -> str | None:
    code = town_code(raw)
    out.cells.append(_cell(table, rno, table.columns["town"], raw, town_ok=code is not None))
    return code


def _is_total(raw: Any) -> bool:
    return town_code(raw) == DISTRICT


def parse_industry(table: Table) -> Parsed:
    """Statistics: one record per town × indicator × period, YTD cumulative in 万元, with its release date."""
    out = Parsed()
    cols = table.columns
    title_release, rel_status, rel_raw = find_release(table.title)
    period, per_status = parse_period(table.title.replace(rel_raw, ""))
    if per_status == "missing" and "period" not in cols:
        period, per_status = parse_period(table.sheet, _year_hint(table))
    if "released" not in cols and rel_status != "ok":
        out.faults.append(_sheet_fault(
            table, "发布日期", rel_raw, "a release date in the title rows, e.g. 发布日期：2024-07-21",
            "add the line 发布日期：YYYY-MM-DD above the table (the day the figures were published)"))
    if "period" not in cols and per_status != "ok":
        out.faults.append(_period_fault(table, per_status, _period_line(table.title, rel_raw) or table.sheet))
    if "town" not in cols:
        out.faults.append(_sheet_fault(
            table, "区镇", "", "a column 区镇 naming the town of each row",
            f"add the town column to the header row (accepted spellings: {' / '.join(HEADER_ALIASES['town'])})",
            row=table.header_row))
    if out.faults:
        return out
    for rno, cells in table.rows:
        def get(key: str, cells: tuple[Any, ...] = cells) -> Any:
            c = cols.get(key)
            return cells[c.index] if c is not None and c.index < len(cells) else None

        town_raw = get("town")
        if cell_text(town_raw) == "" and all(get(k) in (None, "") for k in INDICATORS):
            continue
        total = _is_total(town_raw)
        town = None if total else _town(table, rno, town_raw, out)
        released, row_period = title_release, period
        if "released" in cols:
            released, status = parse_date(get("released"))
            out.cells.append(_cell(table, rno, cols["released"], get("released"), date_ok=status == "ok"))
        if "period" in cols:
            row_period, status = parse_period(cell_text(get("period")))
            if status != "ok":
                out.faults.append(_period_fault(table, status, cell_text(get("period")), rno, cols["period"].header))
                continue
        if released is not None and row_period is not None:
            end = _month_end(*row_period)
            if released < end:
                col = cols.get("released")
                out.faults.append(Fault(table.file, table.sheet, rno if col else None,
                                        col.header if col else "发布日期", released.isoformat(),
                                        f"a release date after the period's end ({end.isoformat()})",
                                        "correct the release date: figures cannot be published before the "
                                        "period they describe has ended"))
                continue
        for key in (*INDICATORS, "output_share"):
            col = cols.get(key)
            if col is None:
                continue
            unit = "%" if key == "output_share" else (col.unit or table.default_unit or "万元")
            value = _number(table, rno, col, get(key), unit, out, nonneg=key.endswith("output"))
            if value is None or key == "output_share" or released is None or row_period is None:
                continue
            out.industry.append({
                "town": DISTRICT if total else town, "indicator": key, "year": row_period[0],
                "month": row_period[1], "value": value, "released": released, "source_file": table.file,
                "sheet": table.sheet, "row": rno, "column": col.header, "is_total": total})
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
    if status == "january":
        expected = "a year-to-date period from 1-2月 on (January and February are reported together as 1-2月)"
        fix = "there is no January-only return: label the combined return 1-2月, or remove the January sheet"
    elif status == "not_ytd":
        expected = "a year-to-date period such as 2024年1-6月 (starting in January, ending in months 2-12)"
        fix = "give the cumulative period from January, e.g. 2024年1-6月"
    else:
        expected = "a period such as 2024年1-6月 in the title rows or the sheet name"
        fix = "add the period (e.g. 2024年1-6月) in the title rows above the table"
    return Fault(table.file, table.sheet, row, column or "统计期", value, expected, fix)


def _date_cell(table: Table, rno: int, key: str, cells: tuple[Any, ...], out: Parsed,
               required: bool) -> dt.date | None:
    col = table.columns.get(key)
    if col is None:
        return None
    raw = cells[col.index] if col.index < len(cells) else None
    value, status = parse_date(raw)
    out.cells.append(_cell(table, rno, col, raw, date_ok=status != "bad",
                           present_ok=not (required and status == "missing")))
    return value


def parse_register(table: Table) -> Parsed:
    """The certificate register: one record per certificate row, names kept as written (trimmed)."""
    out = Parsed()
    missing = [k for k in REGISTER_FORM if k not in table.columns]
    for key in missing:
        out.faults.append(_sheet_fault(
            table, HEADER_ALIASES[key][0], "", f"a column {HEADER_ALIASES[key][0]} (required in the register)",
            f"add the column {HEADER_ALIASES[key][0]} to the header row (accepted spellings: "
            f"{' / '.join(HEADER_ALIASES[key])})", row=table.header_row))
    if missing:
        return out
    cols = table.columns
    for rno, cells in table.rows:
        def text(key: str, cells: tuple[Any, ...] = cells) -> str:
            c = cols.get(key)
            return cell_text(cells[c.index]) if c is not None and c.index < len(cells) else ""

        if not any(text(k) for k in ("firm_name", "credit_code", "cert_no")):
            continue
        for key in ("firm_name", "credit_code", "cert_no"):
            out.cells.append(_cell(table, rno, cols[key], text(key), present_ok=bool(text(key))))
        town = _town(table, rno, cells[cols["town"].index], out)
        issued = _date_cell(table, rno, "issue_date", cells, out, required=True)
        announced = _date_cell(table, rno, "announced", cells, out, required=True)
        revoked = _date_cell(table, rno, "revoked", cells, out, required=False)
        out.certificates.append({
            "credit_code": text("credit_code").upper(), "firm_name": text("firm_name"), "town": town,
            "cert_no": text("cert_no").upper().replace(" ", ""), "issue_date": issued, "announced": announced,
            "revoked": revoked, "field": text("field"), "source_file": table.file, "sheet": table.sheet,
            "row": rno})
    return out


def _task_context(table: Table, out: Parsed) -> tuple[dt.date | None, dt.date | None]:
    released, rel_status, rel_raw = find_release(table.title)
    end, end_status = parse_period_end(table.title.replace(rel_raw, ""))
    if end_status == "missing":
        m = re.search(r"(20\d{2})\s*[Hh]([12])", table.file)
        if m:
            end = dt.date(int(m.group(1)), 6, 30) if m.group(2) == "1" else dt.date(int(m.group(1)), 12, 31)
            end_status = "ok"
    if rel_status != "ok":
        out.faults.append(_sheet_fault(
            table, "报送日期", rel_raw, "a submission date in the title rows, e.g. 报送日期：2024-07-15",
            "add the line 报送日期：YYYY-MM-DD above the table (the day the return was sent)"))
    if end_status != "ok":
        out.faults.append(_sheet_fault(
            table, "截至", cell_text(end) if end else table.title[:40],
            "a half-year end in the title rows: 截至YYYY年6月30日 or 截至YYYY年12月31日",
            "state the period the return covers, e.g. 截至2024年6月30日"))
    if released and end and end_status == "ok" and released < end:
        out.faults.append(_sheet_fault(
            table, "报送日期", released.isoformat(), f"a submission date after the period end {end.isoformat()}",
            "correct the 报送日期: a return cannot be sent before its period ends"))
    return released, end


_UNIT_OF_TASK = {"projects": "个", "uir_projects": "个", "pan_tech_firms": "家", "ip_firms": "家", "valid_firms": "家"}


def parse_tasks_town(table: Table) -> Parsed:
    """Task returns by town: one record per town × task column."""
    out = Parsed()
    released, end = _task_context(table, out)
    if out.faults:
        return out
    assert released is not None and end is not None
    for rno, cells in table.rows:
        town_raw = cells[table.columns["town"].index]
        if cell_text(town_raw) == "":
            continue
        total = _is_total(town_raw)
        town = DISTRICT if total else _town(table, rno, town_raw, out)
        for task in TOWN_TASKS:
            col = table.columns.get(task)
            if col is None:
                continue
            raw = cells[col.index] if col.index < len(cells) else None
            unit = col.unit or _UNIT_OF_TASK[task]
            value = _number(table, rno, col, raw, unit, out, nonneg=True)
            if value is not None:
                out.tasks.append(_task_record(table, rno, col.header, task, town, end, value, unit, released, total))
    return out


def parse_tasks_district(table: Table) -> Parsed:
    """District task sheet: one row per task, its label matched through ``TASK_ALIASES``."""
    out = Parsed()
    released, end = _task_context(table, out)
    if out.faults:
        return out
    assert released is not None and end is not None
    task_col, value_col, unit_col = table.columns["task"], table.columns["value"], table.columns.get("unit")
    for rno, cells in table.rows:
        label = cell_text(cells[task_col.index]) if task_col.index < len(cells) else ""
        if not label:
            continue
        task = _TASK_INDEX.get(_key(label))
        out.cells.append(_cell(table, rno, task_col, label, task_ok=task is not None))
        unit = cell_text(cells[unit_col.index]) if unit_col is not None else (value_col.unit or "")
        unit = unicodedata.normalize("NFKC", unit) or None
        raw = cells[value_col.index] if value_col.index < len(cells) else None
        value = _number(table, rno, value_col, raw, unit, out, nonneg=True)
        if task is not None and value is not None:
            kind = UNITS.get(unit or "", ("count", 1.0))[0]
            out_unit = "万元" if kind == "money" else (unit or "")
            out.tasks.append(_task_record(table, rno, value_col.header, task, DISTRICT, end, value, out_unit,
                                          released, False))
    return out


def _task_record(table: Table, rno: int, column: str, task: str, town: str | None, end: dt.date, value: float,
                 unit: str, released: dt.date, total: bool) -> dict[str, Any]:
    return {"task_id": task, "town": town, "year": end.year, "period_end": end, "value": value, "unit": unit,
            "released": released, "source_file": table.file, "sheet": table.sheet, "row": rno, "column": column,
            "is_total": total}


PARSERS = {"register": parse_register, "industry": parse_industry, "tasks_town": parse_tasks_town,
           "tasks_district": parse_tasks_district}


def parse_sheets(sheets: Iterable[Sheet]) -> tuple[Parsed, list[str]]:
    """Parse every sheet with a recognised table; return what was parsed and the names of skipped sheets."""
    out = Parsed()
    skipped = []
    for sheet in sheets:
        table = locate_table(sheet)
        form = form_of(table) if table is not None else None
        if table is None or form is None:
            skipped.append(f"{sheet.file}:{sheet.name}")
            continue
        out.extend(PARSERS[form](table))
    return out, skipped
