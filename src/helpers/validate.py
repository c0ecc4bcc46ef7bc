"""Validation of raw returns (pandera, lazy) and the located, readable faults that stop a run.

Two kinds of findings, documented in docs/intake.md:

- **Structural faults** (``Fault``) make the input unusable as it stands: an unreadable or empty file, a missing
  required column, a number that cannot be parsed, an unknown town, an impossible date, a negative count, a
  share outside 0-100 … They are all collected (pandera ``lazy=True``) and raised together as ``InputErrors``;
  the CLI prints one message per fault and exits with code 2, and nothing is written.
- **Soft findings** (exact duplicates, revisions, credit-code check failures, register vs reported totals,
  numbers typed as text, unpublished "—" cells) do not stop the run; ``helpers.clean`` writes them to the
  quality table that the briefing shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from helpers.errors import InputError
from helpers.towns import TOWNS, active_region, known_spellings


@dataclass(frozen=True)
class Fault:
    """One structural fault, located as precisely as the input allows (row/column None = whole file or sheet)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str
    expected: str
    fix: str

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        parts.append(f"row {self.row}" if self.row is not None else "title rows" if self.sheet is not None
                     else "whole file")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: found {self.value!r}; expected {self.expected}. Fix: {self.fix}"


class InputErrors(InputError):
    """Every structural fault of a run; ``str()`` is one message per fault and a count line."""

    def __init__(self, faults: list[Fault]):
        self.faults = sorted(faults, key=lambda f: (f.file, f.sheet or "", f.row or 0, f.column or ""))
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"- {f}" for f in self.faults]
        n = len(self.faults)
        lines.append(f"{n} problem{'s' if n != 1 else ''} in the raw returns; nothing in the processed folder "
                     "was changed. Fix them and run `gaoqi clean` again.")
        return "\n".join(lines)


def _spellings_hint() -> str:
    names = "、".join(name for name, _ in TOWNS.values())
    return f"a town of the plan ({names}) or one of the {len(known_spellings())} known spellings"


#: check name → (what was expected, how to fix it); ``{unit}`` is filled from the cell.
MESSAGES: dict[str, tuple[str, str]] = {
    "known_town": ("", "correct the town name, or add this spelling to its unit's aliases in the region file "
                       "{region_file} (data/raw/plan, named by the plan's field 'region')"),
    "parsable_number": ("a number{unit_hint}, or empty / — when not reported",
                        "correct the cell; remove text such as units or notes from number cells"),
    "valid_date": ("a real date such as 2024-07-21", "correct the date (check day and month)"),
    "required_value": ("a value (this column is required)", "fill in the cell or delete the row"),
    "known_task": ("a task row label the vocabulary knows (district_tasks in data/raw/plan/vocabulary.yaml)",
                   "correct the label, or add this spelling to its task under district_tasks in vocabulary.yaml"),
    "non_negative": ("a count or amount of 0 or more", "correct the sign; counts and output cannot be negative"),
    "share_0_100": ("a percentage between 0 and 100", "give the share in percent (e.g. 47.2, not 4720 or 0.472 "
                    "with a % header); check numerator and denominator"),
}

CELL_SCHEMA = pa.DataFrameSchema(
    {
        "town_ok": pa.Column(bool, pa.Check(lambda s: s, name="known_town")),
        "number_ok": pa.Column(bool, pa.Check(lambda s: s, name="parsable_number")),
        "date_ok": pa.Column(bool, pa.Check(lambda s: s, name="valid_date")),
        "present_ok": pa.Column(bool, pa.Check(lambda s: s, name="required_value")),
        "task_ok": pa.Column(bool, pa.Check(lambda s: s, name="known_task")),
        "nonneg": pa.Column(float, pa.Check(lambda s: s >= 0, name="non_negative"), nullable=True),
        "percent": pa.Column(float, pa.Check(lambda s: (s >= 0) & (s <= 100), name="share_0_100"), nullable=True),
    },
    name="raw cells",
)


def _check_name(check: Any) -> str:
    text = str(check)
    for name in MESSAGES:
        if name in text:
            return name
    return text


def validate_cells(cells: pd.DataFrame) -> list[Fault]:
    """Run the cell schema lazily; one ``Fault`` per failing cell and check."""
    if cells.empty:
        return []
    cells = cells.reset_index(drop=True)
    try:
        CELL_SCHEMA.validate(cells, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _faults(cells, exc.failure_cases)
    return []


def _faults(cells: pd.DataFrame, failures: pd.DataFrame) -> list[Fault]:
    out = []
    for _, f in failures.iterrows():
        name = _check_name(f["check"])
        if f["index"] is None or pd.isna(f["index"]):
            raise RuntimeError(f"intake bug: cell schema failed as a whole: {f.to_dict()}")
        cell = cells.loc[int(f["index"])]
        expected, fix = MESSAGES.get(name, (name, "correct the cell"))
        if name == "known_town":
            expected = _spellings_hint()
            fix = fix.format(region_file=active_region().source.name)
        unit = cell.get("unit") or ""
        expected = expected.format(unit_hint=f" in {unit}" if unit else "")
        out.append(Fault(cell["source_file"], cell["sheet"], int(cell["row"]), cell["column"], str(cell["value"]),
                         expected, fix))
    return out


# --- schemas of the processed tables (docs/data-contract.md); a failure here is a bug in intake ----------------

_PROV = {
    "source_file": pa.Column(str),
    "sheet": pa.Column(str),
    "row": pa.Column("int64", pa.Check.ge(1)),
}
DATE = "datetime64[ns]"

INDUSTRY = pa.DataFrameSchema(
    {
        "town": pa.Column(str),
        "indicator": pa.Column(str),  # a key of vocabulary.yaml's indicators (checked where it is read)
        "year": pa.Column("int64", pa.Check.in_range(2000, 2100)),
        "month": pa.Column("int64", pa.Check.in_range(2, 12)),
        "value": pa.Column(float),
        "released": pa.Column(DATE),
        "revision": pa.Column("int64", pa.Check.ge(0)),
        **_PROV,
        "column": pa.Column(str),
    },
    unique=["town", "indicator", "year", "month", "revision"],
    strict=True,
    name="industry",
)
CERTIFICATES = pa.DataFrameSchema(
    {
        "credit_code": pa.Column(str),
        "credit_code_ok": pa.Column(bool),
        "firm_id": pa.Column(str),
        "firm_name": pa.Column(str),
        "town": pa.Column(str),
        "cert_no": pa.Column(str),
        "issue_date": pa.Column(DATE),
        "announced": pa.Column(DATE),
        "revoked": pa.Column(DATE, nullable=True),
        "field": pa.Column(str),
        **_PROV,
    },
    strict=True,
    name="certificates",
)
TASKS = pa.DataFrameSchema(
    {
        "task_id": pa.Column(str),
        "town": pa.Column(str),
        "year": pa.Column("int64"),
        "period_end": pa.Column(DATE),
        "value": pa.Column(float),
        "unit": pa.Column(str),
        "released": pa.Column(DATE),
        "revision": pa.Column("int64", pa.Check.ge(0)),
        **_PROV,
        "column": pa.Column(str),
    },
    unique=["task_id", "town", "year", "period_end", "revision"],
    strict=True,
    name="tasks",
)
QUALITY = pa.DataFrameSchema(
    {
        "check": pa.Column(str),
        "severity": pa.Column(str, pa.Check.isin(["info", "warning"])),
        "source_file": pa.Column(str),
        "sheet": pa.Column(str),
        "row": pa.Column("Int64", nullable=True),
        "column": pa.Column(str),
        "value": pa.Column(str),
        "message": pa.Column(str),
        "message_zh": pa.Column(str),
        "message_key": pa.Column(str),
        "known": pa.Column(DATE),
    },
    strict=True,
    name="quality",
)
SCHEMAS = {"industry": INDUSTRY, "certificates": CERTIFICATES, "tasks": TASKS, "quality": QUALITY}
