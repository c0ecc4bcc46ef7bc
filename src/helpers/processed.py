"""The processed tables (see docs/data-contract.md): one container, one loader, one atomic writer.

``ProcessedData`` is what every step downstream of intake works on. It is immutable by convention:
``helpers.vintage.as_of`` returns a new, filtered container rather than changing one in place.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.atomic import make_shareable, publish_dir, write_text_atomic
from helpers.errors import InputError
from helpers.paths import processed_dir

__all__ = ["ProcessedData", "ProcessedDataMissing", "load", "make_shareable", "publish_dir", "write_atomic",
           "write_text_atomic"]

TABLES = ("industry", "certificates", "tasks", "quality")
#: tables added after the first contract: written by every clean, but a processed folder written before them
#: still loads (the table is then empty, as it is for a district that sends no such form)
OPTIONAL_TABLES = ("applications",)
APPLICATION_COLUMNS = ("credit_code", "credit_code_ok", "firm_id", "firm_name", "town", "year", "batch", "submitted",
                       "kind", "source_file", "sheet", "row")


def no_applications() -> pd.DataFrame:
    """An empty application list with the contract's columns (docs/data-contract.md, applications.parquet)."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in APPLICATION_COLUMNS})
    return frame.astype({"submitted": "datetime64[ns]", "year": "int64", "batch": "int64", "row": "int64",
                         "credit_code_ok": bool})


class ProcessedDataMissing(InputError, FileNotFoundError):
    """data/processed has not been built (run `gaoqi clean`)."""


@dataclass(frozen=True)
class ProcessedData:
    industry: pd.DataFrame
    certificates: pd.DataFrame
    tasks: pd.DataFrame
    quality: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    #: the application list (高企申报名单), one row per applicant firm and year; empty when none was received
    applications: pd.DataFrame = field(default_factory=no_applications)
    #: results derived from these very tables that several targets of a meeting share (e.g. the district's
    #: pooled yearly change of its flows), computed once; a new ProcessedData (``replace``, ``as_of``) starts empty
    derived: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def synthetic(self) -> bool:
        """True when any input was synthetic sample data: every page must then carry the sample mark."""
        return bool(self.manifest.get("synthetic", True))

    def replace(self, **tables: pd.DataFrame) -> ProcessedData:
        values = {name: getattr(self, name) for name in (*TABLES, *OPTIONAL_TABLES)}
        values.update(tables)
        return ProcessedData(manifest=dict(self.manifest), **values)


def load(directory: str | Path | None = None) -> ProcessedData:
    """Read the processed tables from ``directory`` (default ``data/processed``)."""
    directory = Path(directory) if directory is not None else processed_dir()
    missing = [n for n in TABLES if not (directory / f"{n}.parquet").exists()]
    if missing or not (directory / "manifest.json").exists():
        raise ProcessedDataMissing(
            f"{directory} has no processed data ({', '.join(missing) or 'manifest.json'} missing); "
            "run `gaoqi clean` (or `make data`, or in JupyterLab notebook 01_clean_indicators) first"
        )
    frames = {n: pd.read_parquet(directory / f"{n}.parquet") for n in TABLES}
    frames |= {n: pd.read_parquet(directory / f"{n}.parquet") for n in OPTIONAL_TABLES
               if (directory / f"{n}.parquet").exists()}
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    return ProcessedData(manifest=manifest, **frames)


def write_atomic(data: ProcessedData, directory: str | Path) -> None:
    """Replace the contents of ``directory`` with ``data``, all or nothing.

    The tables are written to a sibling temporary folder first; only when every file is written is the old
    folder moved aside and the new one renamed into place. A failure at any point leaves ``directory`` as it was.
    Files other than the tables (README.md, .gitkeep) are carried over.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
    make_shareable(tmp)
    try:
        for name in (*TABLES, *OPTIONAL_TABLES):
            getattr(data, name).to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "manifest.json").write_text(json.dumps(data.manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        if directory.exists():
            for keep in (".gitkeep", "README.md"):
                if (directory / keep).exists():
                    shutil.copy2(directory / keep, tmp / keep)
        publish_dir(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
