"""Real published figures (data/raw/public/public_figures.csv): context for the briefing, never district data.

Read with the same standard as the returns: a malformed file stops with one message per problem naming the
file, the CSV line, the column, the value and what was expected (``helpers.validate.InputErrors``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.validate import Fault, InputErrors

COLUMNS = ("region", "year", "period", "indicator", "value", "unit", "qualifier", "source")


def load_public_figures(path: Path | None = None) -> pd.DataFrame:
    """The published figures, validated: every column present, ``year`` a whole year, ``value`` a number."""
    from helpers.paths import public_figures_file

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
    if faults:
        raise InputErrors(faults)
    return frame.assign(year=year.astype(int), value=value.astype(float))
