"""Real published figures (data/raw/public/public_figures.csv): context for the briefing, never district data.

Read with the same standard as the returns: a malformed file stops with one message per problem naming the
file, the CSV line, the column, the value and what was expected (``helpers.validate.InputErrors``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from helpers.paths import public_figures_file
from helpers.validate import Fault, InputErrors

COLUMNS = ("region", "year", "period", "indicator", "value", "unit", "qualifier", "source")
#: optional: the region's name on English pages; a file without the column (or a row with the cell empty) shows
#: the Chinese name there, so another district's file need not translate to be valid
REGION_EN = "region_en"
#: optional: who published the figure (海门区人民政府, 南通市统计局, 新华社 …) where the source shows it, else empty
AUTHORITY = "authority"
#: optional: ``official`` (the authority's own site), ``media`` (a named news organisation) or ``repost`` (a
#: third-party site copying or summarising; the original publication not confirmed). Empty or absent: not known
SOURCE_KIND = "source_kind"
#: optional: the authority's name on English pages (the Chinese name where empty)
AUTHORITY_EN = "authority_en"
SOURCE_KINDS = ("official", "media", "repost", "")


def load_public_figures(path: Path | None = None) -> pd.DataFrame:
    """The published figures, validated: every column present, ``year`` a whole year, ``value`` a number,
    ``source_kind`` one of ``SOURCE_KINDS``; ``region_en`` always set (the Chinese name where the file gives no
    English one), ``authority`` and ``source_kind`` always present (empty where the file gives none)."""
    path = Path(path) if path is not None else public_figures_file()
    name = path.name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputErrors([Fault.worded(name, None, None, None, str(path), "intake.public.file.missing")]) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputErrors([Fault.worded(name, None, None, None, type(exc).__name__, "intake.public.file.encoding")]) from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputErrors([Fault.worded(name, None, 1, c, "(missing)", "intake.public.column.missing", column=c,
                                        columns=", ".join(COLUMNS)) for c in missing])
    faults = []
    year = pd.to_numeric(frame["year"], errors="coerce")
    value = pd.to_numeric(frame["value"], errors="coerce")
    for i in frame.index:
        line = int(i) + 2  # the header is line 1
        if not (year[i] == year[i] and 1949 <= year[i] <= 2100 and float(year[i]).is_integer()):
            faults.append(Fault.worded(name, None, line, "year", frame.at[i, "year"], "intake.public.year"))
        if value[i] != value[i]:
            faults.append(Fault.worded(name, None, line, "value", frame.at[i, "value"], "intake.public.value"))
        if not frame.at[i, "source"].strip():
            faults.append(Fault.worded(name, None, line, "source", "(empty)", "intake.public.source"))
        if SOURCE_KIND in frame.columns and frame.at[i, SOURCE_KIND].strip() not in SOURCE_KINDS:
            faults.append(Fault.worded(name, None, line, SOURCE_KIND, frame.at[i, SOURCE_KIND],
                                       "public.source_kind", kinds=", ".join(k for k in SOURCE_KINDS if k)))
    if faults:
        raise InputErrors(faults)
    english = frame[REGION_EN].str.strip() if REGION_EN in frame.columns else pd.Series("", index=frame.index)
    optional = {c: frame[c].str.strip() if c in frame.columns else pd.Series("", index=frame.index)
                for c in (AUTHORITY, AUTHORITY_EN, SOURCE_KIND)}
    optional[AUTHORITY_EN] = optional[AUTHORITY_EN].where(optional[AUTHORITY_EN] != "", optional[AUTHORITY])
    return frame.assign(year=year.astype(int), value=value.astype(float),
                        **{REGION_EN: english.where(english != "", frame["region"].str.strip())}, **optional)


def region_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Each figure's region as a reader of ``lang`` reads it: the file's ``region`` (Chinese) or ``region_en``."""
    return frame[REGION_EN] if lang == "en" else frame["region"]


def region_of(row: dict, lang: str) -> str:
    """One figure's region as a reader of ``lang`` reads it (``region_names`` for a row)."""
    return str(row[REGION_EN] if lang == "en" else row["region"])


def authority_of(row: dict, lang: str) -> str:
    """One figure's publishing authority as a reader of ``lang`` reads it; '' where the file names none."""
    return str(row.get(AUTHORITY_EN if lang == "en" else AUTHORITY) or "")


def period_end(year: int, period: str) -> dt.date:
    """The last day a figure covers: the end of its month for a cumulative ``Jan-Jun`` (…), else 31 December."""
    m = re.fullmatch(r"Jan-([A-Z][a-z]{2})", str(period))
    if m is None:
        return dt.date(int(year), 12, 31)
    month = dt.datetime.strptime(m.group(1), "%b").month
    return dt.date(int(year), month, calendar.monthrange(int(year), month)[1])


def ended_by(frame: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The figures whose period had ended by ``day``.

    Why: the file holds figures published up to today, but a briefing shows what was known at its data cut-off;
    a figure about a later time (the 2024 share in a 2023 briefing) cannot have been known then.
    """
    ended = [period_end(y, p) <= day for y, p in zip(frame["year"], frame["period"], strict=True)]
    return frame.loc[pd.Series(ended, index=frame.index, dtype=bool)]


def about_regions(frame: pd.DataFrame, regions: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The figures about the listed regions (``Region.public_context``), in the file's order.

    Why: the file holds figures about many places (Jiangsu, its cities, their districts); a briefing shows as
    context only those its region file names, so another district's page never shows Haimen's figures as its own,
    and a district that names none shows none.
    """
    return frame.loc[frame["region"].isin(list(regions))]
