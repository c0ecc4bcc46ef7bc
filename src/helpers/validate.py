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
from helpers.wording import say


@dataclass(frozen=True)
class Fault:
    """One structural fault, located as precisely as the input allows (row/column None = whole file or sheet).

    ``expected`` and ``fix`` are English (the CLI prints errors in English). A fault made with :meth:`worded`
    also keeps its wording key and values, so the same fault can be told in Chinese (:meth:`told`).
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str
    expected: str
    fix: str
    wording: str = ""  # key stem in the catalogue: ``<wording>.expected`` and ``<wording>.fix``
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def worded(cls, file: str, sheet: str | None, row: int | None, column: str | None, value: str, key: str,
               /, **values: Any) -> Fault:
        """A fault whose expectation and fix are the catalogue's ``<key>.expected`` and ``<key>.fix``."""
        return cls(file, sheet, row, column, value, say(f"{key}.expected", "en", **values),
                   say(f"{key}.fix", "en", **values), key, tuple(sorted(values.items())))

    def told(self, lang: str) -> tuple[str, str]:
        """(expected, fix) in ``lang``; a fault not made from the catalogue has only its English text."""
        if not self.wording:
            return self.expected, self.fix
        values = dict(self.values)
        return say(f"{self.wording}.expected", lang, **values), say(f"{self.wording}.fix", lang, **values)

    def location(self, lang: str = "en") -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(say("intake.fault.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(say("intake.fault.row", lang, row=self.row))
        else:
            parts.append(say("intake.fault.title_rows" if self.sheet is not None else "intake.fault.whole_file", lang))
        if self.column:
            parts.append(say("intake.fault.column", lang, column=self.column))
        return say("intake.fault.separator", lang).join(parts)

    def text(self, lang: str = "en") -> str:
        """The one-line message: where, what was found, what was expected, how to fix it."""
        expected, fix = self.told(lang)
        return say("intake.fault.line", lang, location=self.location(lang), value=repr(self.value),
                   expected=expected, fix=fix)

    def __str__(self) -> str:
        return self.text("en")


class InputErrors(InputError):
    """Every structural fault of a run; ``str()`` is one message per fault and a count line."""

    def __init__(self, faults: list[Fault]):
        self.faults = sorted(faults, key=lambda f: (f.file, f.sheet or "", f.row or 0, f.column or ""))
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.told("en")

    def told(self, lang: str) -> str:
        """The message in ``lang``: what the CLI prints, in the office's language (``str()`` is English)."""
        lines = [f"- {f.text(lang)}" for f in self.faults]
        n = len(self.faults)
        lines.append(say("intake.errors.summary.one" if n == 1 else "intake.errors.summary.many", lang, n=n))
        return "\n".join(lines)


#: the cell checks of ``CELL_SCHEMA``; check ``name`` is told by ``intake.cell.<name>.expected`` / ``.fix``.
CHECKS: tuple[str, ...] = ("known_town", "parsable_number", "valid_date", "required_value", "known_task",
                           "non_negative", "share_0_100", "whole_count")


def _check_fault(name: str, cell: pd.Series) -> Fault:
    """The located fault of one failing cell, worded by its check (the town check lists the plan's towns)."""
    where = (cell["source_file"], cell["sheet"], int(cell["row"]), cell["column"], str(cell["value"]))
    if name == "known_town":
        return Fault.worded(*where, "intake.cell.known_town", names="、".join(n for n, _ in TOWNS.values()),
                            n=len(known_spellings()), region_file=active_region().source.name)
    if name == "parsable_number" and cell.get("unit"):
        return Fault.worded(*where, "intake.cell.parsable_number_in_unit", unit=cell["unit"])
    if name in CHECKS:
        return Fault.worded(*where, f"intake.cell.{name}")
    return Fault(*where, name, say("intake.cell.other.fix", "en"))


CELL_SCHEMA = pa.DataFrameSchema(
    {
        "town_ok": pa.Column(bool, pa.Check(lambda s: s, name="known_town")),
        "number_ok": pa.Column(bool, pa.Check(lambda s: s, name="parsable_number")),
        "date_ok": pa.Column(bool, pa.Check(lambda s: s, name="valid_date")),
        "present_ok": pa.Column(bool, pa.Check(lambda s: s, name="required_value")),
        "task_ok": pa.Column(bool, pa.Check(lambda s: s, name="known_task")),
        "nonneg": pa.Column(float, pa.Check(lambda s: s >= 0, name="non_negative"), nullable=True),
        "percent": pa.Column(float, pa.Check(lambda s: (s >= 0) & (s <= 100), name="share_0_100"), nullable=True),
        # a figure in 家/个/名…: firms and projects come whole (579.5 家 is a typo or an average, not a count)
        "count": pa.Column(float, pa.Check(lambda s: (s - s.round()).abs() < 1e-9, name="whole_count"),
                           nullable=True),
    },
    name="raw cells",
)


def _check_name(check: Any) -> str:
    text = str(check)
    for name in CHECKS:
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
            raise RuntimeError(say("intake.bug.schema_whole", "en", failure=f.to_dict()))
        out.append(_check_fault(name, cells.loc[int(f["index"])]))
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
APPLICATIONS = pa.DataFrameSchema(
    {
        "credit_code": pa.Column(str),
        "credit_code_ok": pa.Column(bool),
        "firm_id": pa.Column(str),
        "firm_name": pa.Column(str),
        "town": pa.Column(str),
        "year": pa.Column("int64", pa.Check.in_range(2000, 2100)),
        "batch": pa.Column("int64", pa.Check.ge(1)),
        "submitted": pa.Column(DATE),
        "kind": pa.Column(str, pa.Check.isin(["first", "renewal", ""])),
        **_PROV,
    },
    strict=True,
    name="applications",
)
SCHEMAS = {"industry": INDUSTRY, "certificates": CERTIFICATES, "tasks": TASKS, "quality": QUALITY,
           "applications": APPLICATIONS}
