"""A mutation corpus: the ways real returns drift from one period to the next, applied to every kind of sample return.

Each case copies one shipped sample return into a temporary folder, edits it (openpyxl, xlwt or csv), cleans it, and
compares the processed TABLES with those of the unedited copy (pandas equality without the provenance columns,
which name the moved cell) — or expects a located error with the processed folder left exactly as it was.
Relative by design: the sample generator may gain series; these tests only need each kind of return to exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers.clean import clean
from helpers.cli import app
from helpers.ingest import header_key, parse_sheets, read_file
from helpers.processed import load

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample"
KINDS = {  # kind of return -> file name pattern in the sample, sheet to edit (None: the first)
    "statistics": ("SAMPLE_规上工业统计_20??.xlsx", None),
    "revision": ("SAMPLE_规上工业统计_*修订.xlsx", None),
    "register": ("SAMPLE_高企证书登记.xlsx", None),
    "town_tasks": ("SAMPLE_区镇任务进度_*H1.xlsx", "分区镇"),
    "gbk_csv": ("SAMPLE_*.csv", None),
}
PROVENANCE = ["source_file", "sheet", "row", "column"]
runner = CliRunner()


def _sample(kind: str) -> Path:
    pattern, _ = KINDS[kind]
    return sorted(SAMPLE.glob(pattern))[-1]


# --- editing a return as a grid of rows ----------------------------------------------------------------------

class Grid:
    """The edited sheet as a list of rows (lists of values), with its header row found by the vocabulary."""

    def __init__(self, rows: list[list[object]]):
        self.rows = rows
        self.header = next(i for i, r in enumerate(rows) if sum(header_key(c)[0] is not None for c in r) >= 2)

    def data_rows(self) -> list[int]:
        out = []
        for i in range(self.header + 1, len(self.rows)):
            texts = [c for c in self.rows[i] if c not in (None, "")]
            if len(texts) <= 1:
                break
            out.append(i)
        return out

    def numeric_column(self) -> int:
        """The first column holding figures (header known, numbers below)."""
        for j in range(len(self.rows[self.header])):
            if all(_is_figure(self.rows[i][j]) for i in self.data_rows()[:3]):
                return j
        raise AssertionError("no numeric column")

    def town_column(self) -> int:
        return next(j for j, c in enumerate(self.rows[self.header]) if header_key(c)[0] == "town")


def _is_figure(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    try:
        float(str(value).replace(",", ""))
        return True
    except ValueError:
        return False


def blank_header(g: Grid) -> None:
    g.rows[g.header][g.numeric_column()] = None


def unknown_header(g: Grid) -> None:
    g.rows[g.header][g.numeric_column()] = "其他指标（万元）"


def extra_serial_column(g: Grid) -> None:
    for n, i in enumerate(g.data_rows(), start=1):
        g.rows[i].append(n)
    g.rows[g.header].append("序号")


def extra_unknown_column(g: Grid) -> None:
    for i in g.data_rows():
        g.rows[i].append(7.5)
    g.rows[g.header].append("新增指标（万元）")


def swapped_columns(g: Grid) -> None:
    a, b = g.numeric_column(), g.numeric_column() + 1
    for r in g.rows[g.header:]:
        while len(r) <= b:
            r.append(None)
        r[a], r[b] = r[b], r[a]


def moved_down(g: Grid) -> None:
    g.rows[0:0] = [[None] * len(g.rows[0]) for _ in range(4)] + [["（新增说明行）"]]


def split_header_halves(g: Grid) -> None:
    head = g.rows[g.header]
    upper = [str(c)[: len(str(c)) // 2] if c else None for c in head]
    lower = [str(c)[len(str(c)) // 2:] if c else None for c in head]
    g.rows[g.header:g.header + 1] = [upper, lower]


def split_header_group(g: Grid) -> None:
    """本年累计 above the figures; the town column's header in the upper row only (merged down in Excel)."""
    head = g.rows[g.header]
    town = g.town_column()
    upper: list[object] = [None] * len(head)
    upper[town] = head[town]
    upper[g.numeric_column()] = "本年累计"
    lower = [None if j == town else c for j, c in enumerate(head)]
    g.rows[g.header:g.header + 1] = [upper, lower]


def period_with_dash(g: Grid) -> None:
    for r in g.rows:
        for j, c in enumerate(r):
            if isinstance(c, str) and "年1-" in c:
                r[j] = c.replace("年1-", "年1—", 1)


def period_with_tilde(g: Grid) -> None:
    for r in g.rows:
        for j, c in enumerate(r):
            if isinstance(c, str) and "年1-" in c:
                r[j] = c.replace("年1-", "年1~", 1)


def unit_in_yi_yuan(g: Grid) -> None:
    head = g.rows[g.header]
    for j, c in enumerate(head):
        if isinstance(c, str) and "万元" in c:
            head[j] = c.replace("万元", "亿元")
            for i in g.data_rows():
                v = g.rows[i][j]
                if _is_figure(v):
                    g.rows[i][j] = float(str(v).replace(",", "")) / 10_000


# mutation -> (kinds it applies to, "same" or the words the error must contain)
MUTATIONS: dict[str, tuple[Callable[[Grid], None], tuple[str, ...], str]] = {
    "blank_header": (blank_header, tuple(KINDS), "a header over these figures"),
    "unknown_header": (unknown_header, tuple(KINDS), "closest known spellings"),
    "extra_serial_column": (extra_serial_column, tuple(KINDS), "same"),
    "extra_unknown_column": (extra_unknown_column, tuple(KINDS), "'新增指标（万元）'"),
    "swapped_columns": (swapped_columns, tuple(KINDS), "same"),
    "moved_down": (moved_down, tuple(KINDS), "same"),
    "split_header_halves": (split_header_halves, tuple(KINDS), "same"),
    "split_header_group": (split_header_group, ("statistics", "revision", "town_tasks", "gbk_csv"), "same"),
    "period_with_dash": (period_with_dash, ("statistics", "revision", "gbk_csv"), "same"),
    "period_with_tilde": (period_with_tilde, ("statistics", "revision", "gbk_csv"), "same"),
    "unit_in_yi_yuan": (unit_in_yi_yuan, ("statistics", "revision", "gbk_csv"), "same"),
}
CASES = [(m, k) for m, (_, kinds, _) in MUTATIONS.items() for k in kinds]


def _edit_workbook(src: Path, dest: Path, sheet: str | None, edit: Callable[[Grid], None]) -> None:
    wb = load_workbook(src)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    grid = Grid([list(r) for r in ws.iter_rows(values_only=True)])
    edit(grid)
    ws.delete_rows(1, ws.max_row)
    for r in grid.rows:
        ws.append(r)
    if edit in (period_with_dash, period_with_tilde):  # the sheet name states the period too
        ws.title = ws.title.replace("-", "—" if edit is period_with_dash else "~")
    wb.save(dest)


def _edit_csv(src: Path, dest: Path, edit: Callable[[Grid], None]) -> None:
    rows = [list(r) for r in csv.reader(io.StringIO(src.read_bytes().decode("gbk")))]
    grid = Grid(rows)
    edit(grid)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(
        [["" if c is None else (f"{c:.6f}" if isinstance(c, float) else c) for c in r] for r in grid.rows])
    dest.write_bytes(buf.getvalue().encode("gbk"))


def _returns(tmp: Path, name: str, src: Path) -> Path:
    raw = tmp / name / "raw"
    (raw / "returns").mkdir(parents=True)
    shutil.copy(src, raw / "returns" / src.name)
    return raw


def _tables(processed: Path) -> dict[str, pd.DataFrame]:
    data = load(processed)
    out = {}
    for name in ("industry", "tasks", "certificates"):
        df = getattr(data, name).drop(columns=PROVENANCE, errors="ignore")
        out[name] = df.sort_values(list(df.columns), kind="stable").reset_index(drop=True)
    return out


def _checks(processed: Path) -> Counter[str]:
    return Counter(c for c in load(processed).quality["check"] if c != "set_aside")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def baselines(tmp_path_factory) -> dict[str, Path]:
    """Each kind of return, cleaned unedited: the processed folder every edit is compared with."""
    out = {}
    for kind in KINDS:
        tmp = tmp_path_factory.mktemp(kind)
        processed = tmp / "processed"
        clean(_returns(tmp, "base", _sample(kind)), processed)
        out[kind] = processed
    return out


@pytest.mark.parametrize(("mutation", "kind"), CASES, ids=[f"{k}-{m}" for m, k in CASES])
def test_an_edited_return_gives_the_same_tables_or_a_located_error(tmp_path, baselines, mutation, kind):
    edit, _, outcome = MUTATIONS[mutation]
    src = _sample(kind)
    raw = _returns(tmp_path, "edited", src)
    target = raw / "returns" / src.name
    if src.suffix == ".csv":
        _edit_csv(src, target, edit)
    else:
        _edit_workbook(src, target, KINDS[kind][1], edit)
    if outcome == "same":
        processed = tmp_path / "processed"
        clean(raw, processed)
        for name, table in _tables(baselines[kind]).items():
            pd.testing.assert_frame_equal(_tables(processed)[name], table, check_exact=False, rtol=1e-9)
        assert _checks(processed) == _checks(baselines[kind])
        return
    processed = tmp_path / "published"
    shutil.copytree(baselines[kind], processed)
    before = _snapshot(processed)
    result = runner.invoke(app, ["clean", "--lang", "en", "--raw-dir", str(raw), "--processed-dir", str(processed)])
    assert result.exit_code == 2, result.output
    line = next(ln for ln in result.output.splitlines() if src.name in ln)
    assert outcome in line and "row " in line and "(column " in line and "Fix:" in line
    assert _snapshot(processed) == before


def test_an_unknown_header_names_it_suggests_spellings_and_says_where_to_add_one(tmp_path, baselines):
    src = _sample("statistics")
    raw = _returns(tmp_path, "edited", src)
    _edit_workbook(src, raw / "returns" / src.name, None,
                   lambda g: g.rows[g.header].__setitem__(1, "规上工业总产值合计（万元）"))
    result = runner.invoke(app, ["clean", "--lang", "en", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "p")])
    line = next(ln for ln in result.output.splitlines() if "规上工业总产值合计" in ln)
    assert "B (column 2)" in line and "规上工业总产值" in line.split("closest known spellings")[1]
    assert "vocabulary.yaml" in line


def test_a_blank_header_names_the_column_the_first_values_and_the_headers_expected_there(tmp_path):
    src = _sample("statistics")
    raw = _returns(tmp_path, "edited", src)
    _edit_workbook(src, raw / "returns" / src.name, None, lambda g: g.rows[g.header].__setitem__(2, None))
    result = runner.invoke(app, ["clean", "--lang", "en", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "p")])
    line = next(ln for ln in result.output.splitlines() if "C (column 3)" in ln)
    assert "(row " in line.split("found")[1] and "高新技术产业产值" in line.split("expected here")[1]


# --- .xls -----------------------------------------------------------------------------------------------------

def _save_as_xls(src: Path, dest: Path) -> None:
    import xlwt

    wb = load_workbook(src)
    out = xlwt.Workbook(encoding="utf-8")
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for ws in wb.worksheets:
        sheet = out.add_sheet(ws.title)
        for rng in ws.merged_cells.ranges:
            if rng.max_col > rng.min_col:
                sheet.merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1)
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            for j, v in enumerate(row):
                if isinstance(v, dt.datetime | dt.date):
                    sheet.write(i, j, v, date)
                elif v is not None:
                    sheet.write(i, j, v)
    out.save(str(dest))


@pytest.mark.parametrize("kind", ["statistics", "revision", "register", "town_tasks"])
def test_a_return_saved_as_xls_gives_the_same_tables(tmp_path, baselines, kind):
    src = _sample(kind)
    raw = tmp_path / "raw" / "returns"
    raw.mkdir(parents=True)
    _save_as_xls(src, raw / f"{src.stem}.xls")
    clean(raw.parent, tmp_path / "processed")
    for name, table in _tables(baselines[kind]).items():
        pd.testing.assert_frame_equal(_tables(tmp_path / "processed")[name], table)
    assert _checks(tmp_path / "processed") == _checks(baselines[kind])


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_csv_in_each_chinese_encoding_gives_the_same_tables(tmp_path, baselines, encoding):
    src = _sample("gbk_csv")
    raw = tmp_path / "raw" / "returns"
    raw.mkdir(parents=True)
    (raw / src.name).write_bytes(src.read_bytes().decode("gbk").encode(encoding))
    clean(raw.parent, tmp_path / "processed")
    for name, table in _tables(baselines["gbk_csv"]).items():
        pd.testing.assert_frame_equal(_tables(tmp_path / "processed")[name], table)


def test_a_hidden_row_is_read_like_any_other(tmp_path, baselines):
    src = _sample("statistics")
    raw = _returns(tmp_path, "edited", src)
    wb = load_workbook(src)
    ws = wb.worksheets[0]
    ws.row_dimensions[7].hidden = True
    wb.save(raw / "returns" / src.name)
    clean(raw, tmp_path / "processed")
    for name, table in _tables(baselines["statistics"]).items():
        pd.testing.assert_frame_equal(_tables(tmp_path / "processed")[name], table)


# --- the ledger: every figure accounted for ---------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(p for p in SAMPLE.iterdir() if p.suffix in (".xlsx", ".csv")),
                         ids=lambda p: p.name)
def test_every_figure_of_a_sample_return_is_kept_or_set_aside(path):
    sheets, faults = read_file(path, path.name)
    parsed, _ = parse_sheets(sheets)
    assert not faults and not parsed.faults
    ledger = parsed.ledger()
    assert ledger["unaccounted"] == 0
    assert sum(ledger.values()) == len(parsed.numbers) > 0
    kept = ledger["industry"] + ledger["tasks"]
    published = sum(not r["is_total"] for r in (*parsed.industry, *parsed.tasks))
    assert kept == published
    assert sum(n for k, n in ledger.items() if k.startswith("set_aside")) == sum(a["count"] for a in parsed.set_aside)


def test_set_aside_figures_are_in_the_quality_table_in_both_languages(baselines):
    quality = load(baselines["statistics"]).quality.query("check == 'set_aside'")
    assert {"intake.set_aside.share", "intake.set_aside.total"} <= set(quality["message_key"])
    assert quality["message_zh"].str.contains("未入库").all()
    assert not quality["message_zh"].str.contains("[A-Za-z]{4,}", regex=True).any()
