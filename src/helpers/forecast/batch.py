"""Batch forecasts of many yearly series (``gaoqi forecast``): long CSV in, ranges and probabilities out.

Why a batch path: context benchmarks (other districts, the province) and analysts' own series are yearly
and come as spreadsheets; they get the same calibrated ensemble as the notebooks, with clear messages for
bad input instead of tracebacks. Input ``series_id, period, value`` (period = year), read as Excel saves it
(CSV in UTF-8 with or without BOM or in GBK, or an .xlsx's first sheet; years as 2023 or 2023年, thousands
separators, gaps marked — or N/A: an empty value cell is a located problem, since a figure left out by mistake
must not pass as a gap); optional targets CSV ``series_id, target[, direction, period]``; output
``series_id, period, point, lo80, hi80, lo95, hi95`` (+ ``p_reach`` when targets are given: the share of simulated
paths reaching the target in its period, the last forecast year by default, on that period's row only).
Nothing is dropped: every series is forecast or named in the error that stops the run, and a target for a
series not in the data, or for a year outside the forecast, is refused rather than ignored. The error lists
every problem of both files at once, each located (file, line, column, value).
The paths come from the same distribution as the ranges (``annual.Forecast.sample``): their quantiles are the
stated ranges and, for an always-positive series, none falls below zero, so a probability never counts a
negative count or balance as a miss or a hit.

One file is one batch (series of one kind, as a user submits them), forecast by ``annual_batch.forecast_batch``.
Its calibration on the batch's own histories (revision 7) was not kept (bench/annual/protocol.md: it lost to the
single-series path on every blind set) and has left the tree, so every series gets ``annual.forecast``'s forecast.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

import helpers.forecast.annual as annual
import helpers.forecast.annual_batch as annual_batch
from helpers.atomic import write_text_atomic
from helpers.errors import InputError
from helpers.ingest import cell_text, decode_csv
from helpers.wording import say

REQUIRED = ("series_id", "period", "value")
TARGET_REQUIRED = ("series_id", "target")
TARGET_OPTIONAL = ("direction", "period")
DIRECTIONS = ("at_least", "more_than", "at_most")
N_SIMS = 4000
#: cells that mean "no value this year" (a gap), as statistics exports write them.
GAP_MARKS = frozenset({"", "—", "——", "-", "--", "–", "/", "…", "#N/A", "N/A", "NA"})
#: a number with thousands separators, as Excel writes it into a CSV ("1,234,567.8").
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_YEAR = re.compile(r"^(\d{4})(?:\.0*)?\s*年?$")
_PLACE = re.compile(r"^(line|row) (\d+)$")
#: the first bytes of an Excel workbook: .xlsx (a zip file) and .xls (an OLE2 compound file).
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class BatchInputError(InputError, ValueError):
    """Bad batch input; the message says which file, row or series and what was expected."""


@dataclass(frozen=True)
class Table:
    """One input file as text cells: ``frame`` (stripped strings, "" for empty) and ``where[i]``, the place of
    row i in the file ("line 7" of a CSV, "row 7" of a workbook's first sheet) for messages."""

    path: Path
    frame: pd.DataFrame
    where: list[str]


def _rows(path: Path) -> tuple[list[list[str]], list[str]]:
    """Every non-empty row of a CSV (any encoding Excel writes: UTF-8 with or without BOM, GBK) or of a
    workbook's first sheet, as text, with its place in the file."""
    data = path.read_bytes()
    if data.startswith(_WORKBOOK_MAGIC):
        try:
            wb = CalamineWorkbook.from_path(str(path))
            grid = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001 - any reader failure is the same located error
            raise BatchInputError(f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
        numbered = [(f"row {i}", [cell_text(c) for c in r]) for i, r in enumerate(grid, start=1)]
    else:
        text = _decode(path, data)
        reader = csv.reader(io.StringIO(text))
        numbered = []
        try:
            for r in reader:
                numbered.append((f"line {reader.line_num}", [c.strip() for c in r]))
        except csv.Error as exc:
            raise BatchInputError(f"{path}: line {reader.line_num}: not a readable CSV ({exc})") from None
    numbered = [(w, r) for w, r in numbered if any(r)]  # blank lines and rows of empty cells carry nothing
    return [r for _, r in numbered], [w for w, _ in numbered]


def _decode(path: Path, data: bytes) -> str:
    """The file's text, decoded as the returns are (``ingest.decode_csv``: UTF-8 with or without BOM, else GBK)."""
    try:
        return decode_csv(data)
    except (ValueError, UnicodeDecodeError):
        raise BatchInputError(f"{path}: not a readable CSV (neither UTF-8 nor GBK text); save it from Excel as "
                              "CSV UTF-8 or CSV") from None


def _read(path: Path, required: tuple[str, ...], optional: tuple[str, ...] | None = None) -> Table:
    """The file as text cells under its header; ``optional`` given: any other column is refused (not ignored)."""
    path = Path(path)
    if not path.is_file():
        raise BatchInputError(f"{path}: file not found")
    rows, where = _rows(path)
    if not rows:
        raise BatchInputError(f"{path}: no rows")
    header = [unicodedata.normalize("NFKC", c).strip() for c in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise BatchInputError(f"{path}: missing column(s) {missing}; expected columns {list(required)}, "
                              f"found {[c for c in header if c]}")
    if optional is not None:
        extra = [c for c in header if c and c not in (*required, *optional)]
        if extra:
            raise BatchInputError(f"{path}: unexpected column(s) {extra}; expected {list(required)} and optionally "
                                  f"{list(optional)}")
    dups = sorted({c for c in header if c and header.count(c) > 1})
    if dups:
        raise BatchInputError(f"{path}: column(s) {dups} appear more than once in the header")
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Table(path, frame[[c for c in header if c]].reset_index(drop=True), where[1:])


class Problems:
    """Every problem found in the input files, each located, so that one run names them all (a person fixing a
    file should not need four runs to find four mistakes). Worded in ``lang`` from the catalogue."""

    SHOWN = 60

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self.items: list[str] = []

    def add(self, key: str, **values: object) -> None:
        where = _PLACE.match(str(values.get("where", "")))
        if where:  # "line 7" of a CSV, "row 7" of a workbook, in the reader's language
            values["where"] = say(f"cli.batch.where.{where.group(1)}", self.lang, n=int(where.group(2)))
        self.items.append(say(f"cli.batch.{key}", self.lang, **values))

    def __bool__(self) -> bool:
        return bool(self.items)

    def stop(self) -> None:
        """Raise one :class:`BatchInputError` listing every problem found so far (none: nothing happens)."""
        if not self.items:
            return
        if len(self.items) == 1:
            raise BatchInputError(self.items[0])
        lines = [f"- {x}" for x in self.items[:self.SHOWN]]
        if len(self.items) > self.SHOWN:
            lines.append(say("cli.batch.more", self.lang, n=len(self.items) - self.SHOWN))
        lines.append(say("cli.batch.summary", self.lang, n=len(self.items)))
        raise BatchInputError("\n".join(lines))


def _number(text: str) -> float | None:
    """A value cell: None for a gap mark (—, N/A …), else the number (thousands separators and full-width digits
    accepted). An empty cell is not a gap: ``ValueError`` (a blank figure is a problem to locate, never silent)."""
    t = unicodedata.normalize("NFKC", text).strip()
    if t == "":
        raise ValueError("empty")
    if t in GAP_MARKS:
        return None
    if _THOUSANDS.match(t):
        t = t.replace(",", "")
    try:
        v = float(t)
    except ValueError:
        raise ValueError("number") from None
    if not np.isfinite(v):
        raise ValueError("finite")
    return v


def _year(text: str) -> int:
    """A period cell: the year, written 2023, 2023.0 or 2023年."""
    m = _YEAR.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        raise ValueError("empty" if not text.strip() else "year")
    return int(m.group(1))


#: what ``_column`` gives for a cell that does not parse (a gap mark parses to None)
BAD = object()


def _column(t: Table, col: str, parse, problems: Problems) -> list:
    """The column parsed cell by cell; a cell that does not parse is a located problem and ``BAD`` here."""
    out = []
    for i, text in enumerate(t.frame[col]):
        try:
            out.append(parse(text))
        except ValueError as exc:
            problems.add(f"cell.{exc}", file=t.path, where=t.where[i], column=col, value=text)
            out.append(BAD)
    return out


def _series_ids(t: Table, problems: Problems) -> pd.Series:
    sid = t.frame["series_id"].map(lambda s: unicodedata.normalize("NFKC", s).strip())
    for i in np.flatnonzero((sid == "").to_numpy()):
        problems.add("series_id_empty", file=t.path, where=t.where[i])
    return sid


def _goals(path: Path, last: dict[str, int], horizon: int, problems: Problems) -> pd.DataFrame:
    """The targets file, checked against the data: one row per series (target, direction, period); every
    problem is added to ``problems``."""
    t = _read(path, TARGET_REQUIRED, TARGET_OPTIONAL)
    sid = _series_ids(t, problems)
    unknown = [s for s in dict.fromkeys(sid) if s and s not in last]
    if unknown:
        problems.add("target_unknown", file=path, series=unknown[:10], more=" …" if len(unknown) > 10 else "",
                     n=len(unknown), total=sid.nunique())
    for i in np.flatnonzero(sid.duplicated().to_numpy()):
        problems.add("target_twice", file=path, where=t.where[i], series=sid.iloc[i])
    target = _column(t, "target", _number, problems)
    for i, v in enumerate(target):
        if v is None:  # a gap mark is not a target either
            problems.add("cell.empty", file=path, where=t.where[i], column="target", value=t.frame["target"].iloc[i])
    direction = t.frame["direction"].replace("", "at_least") if "direction" in t.frame else pd.Series(
        "at_least", index=t.frame.index)
    for i in np.flatnonzero(~direction.isin(DIRECTIONS).to_numpy()):
        problems.add("direction", file=path, where=t.where[i], value=direction.iloc[i],
                     expected=", ".join(DIRECTIONS))
    period = []
    for i, (s, text) in enumerate(zip(sid, t.frame["period"] if "period" in t.frame else [""] * len(sid),
                                      strict=True)):
        if s not in last:
            period.append(None)
            continue
        first, final = last[s] + 1, last[s] + horizon
        if text == "":
            period.append(final)
            continue
        p = _column(Table(path, t.frame.iloc[[i]], [t.where[i]]), "period", _year, problems)[0]
        if p is not BAD and not first <= p <= final:
            problems.add("target_period", file=path, where=t.where[i], series=s, period=p, first=first,
                         final=final, last=last[s], horizon=horizon)
        period.append(p)
    return pd.DataFrame({"target": target, "direction": direction.to_numpy(), "period": period}, index=sid.to_numpy())


def run_batch(input: Path, *, horizon: int, output: Path, targets: Path | None = None, seed: int = 0,
              lang: str = "en") -> int:
    """Forecast every series of ``input`` ``horizon`` years ahead; write ``output``; return the series count.

    Every input series is forecast or named in the error that stops the run, which lists every problem of the
    input and targets files at once (in ``lang``); ``output`` is replaced in one rename, so a failed run leaves an
    earlier output as it was.
    """
    input, output = Path(input), Path(output)
    if horizon < 1:
        raise BatchInputError(f"horizon must be at least 1, got {horizon}")
    if output.is_dir():
        raise BatchInputError(f"{output}: is a folder; --output names the CSV file to write")
    t = _read(input, REQUIRED)
    if t.frame.empty:
        raise BatchInputError(f"{input}: no rows")
    problems = Problems(lang)
    df = pd.DataFrame({"series_id": _series_ids(t, problems), "period": _column(t, "period", _year, problems),
                       "value": _column(t, "value", _number, problems), "where": t.where})
    bad_rows = (df["series_id"] == "") | df["period"].map(lambda v: v is BAD) | df["value"].map(lambda v: v is BAD)
    flawed = set(df.loc[bad_rows, "series_id"])  # series with a bad row: not also called too short for it
    df = df[~bad_rows].astype({"value": float, "period": int})
    for i in np.flatnonzero(df.duplicated(["series_id", "period"]).to_numpy()):
        problems.add("period_twice", file=input, where=df["where"].iloc[i], series=df["series_id"].iloc[i],
                     period=int(df["period"].iloc[i]))
    batch, short = {}, []
    for sid, g in df.groupby("series_id", sort=False):
        s = g.drop_duplicates("period").set_index(g.drop_duplicates("period")["period"].astype(int))["value"]
        try:
            annual.as_series(s, None)
        except annual.SeriesTooShort:
            if sid not in flawed:
                short.append(f"{sid!r} ({int(s.notna().sum())})")
            continue
        batch[sid] = s
    if short:
        problems.add("too_short", file=input, n=len(short), min=annual.MIN_POINTS,
                     series=", ".join(short[:20]) + (" …" if len(short) > 20 else ""))
    last = {sid: int(s.dropna().index.max()) for sid, s in batch.items()}
    goal = _goals(Path(targets), last, horizon, problems) if targets is not None else None
    problems.stop()
    rng = np.random.default_rng(seed)
    frames = []
    forecasts = annual_batch.forecast_batch(batch, horizon)
    for sid, fc in forecasts.items():
        out = fc.frame().assign(series_id=sid)
        if goal is not None:
            out["p_reach"] = np.nan
            if sid in goal.index:
                target, direction, period = goal.loc[sid, ["target", "direction", "period"]]
                at = fc.sample(rng, N_SIMS)[:, int(period) - int(fc.periods[0])]
                hit = at > target if direction == "more_than" else at <= target if direction == "at_most" else at >= target
                out.loc[out["period"] == period, "p_reach"] = float(hit.mean())
        frames.append(out)
    res = pd.concat(frames, ignore_index=True)
    cols = ["series_id", "period", "point", "lo80", "hi80", "lo95", "hi95"] + (["p_reach"] if goal is not None else [])
    try:
        # with a BOM: Excel on Chinese Windows reads the file as UTF-8 only then (else 海门 shows as mojibake)
        write_text_atomic(output, "\ufeff" + res[cols].to_csv(index=False))
    except OSError as exc:
        raise BatchInputError(f"{output}: cannot write the output ({exc.strerror or exc}); "
                              "nothing was changed there") from None
    return len(frames)
