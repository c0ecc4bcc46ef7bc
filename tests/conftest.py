"""Shared fixtures. Tests that write run on a copy of the project tree (``GAOQI_ROOT``), never on the real one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def copy_project(root: Path, district: str | None = None) -> Path:
    """data/raw and notebooks/ copied to ``root``, with empty data/processed and reports. With ``district`` (a
    folder of tests/fixtures/plans) data/raw is that fictional district's instead (``district_raw``)."""
    if district is None:
        shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    else:
        district_raw(root / "data" / "raw", district)
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
    return root


def district_raw(raw: Path, district: str) -> Path:
    """``raw`` filled as a fictional district's data/raw: its plan folder (plan, region, vocabulary) and returns
    from tests/fixtures/plans/<district>, and a published-figures file with the header only (a fictional district
    has no published figures, and none of Haimen's may reach its pages)."""
    fixture = FIXTURES / "plans" / district
    shutil.copytree(fixture / "plan", raw / "plan")
    shutil.copytree(fixture / "returns", raw / "returns")
    figures = ROOT / "data" / "raw" / "public" / "public_figures.csv"
    (raw / "public").mkdir()
    header = figures.read_text(encoding="utf-8").splitlines()[0]
    (raw / "public" / figures.name).write_text(header + "\n", encoding="utf-8")
    return raw


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away copy of the project's inputs, with GAOQI_ROOT pointing at it."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    return root


@pytest.fixture(scope="session")
def cleaned_sample_tree(tmp_path_factory) -> Path:
    """A project copy with the shipped sample cleaned into its data/processed (done once; tests copy it)."""
    from helpers.clean import clean

    root = copy_project(tmp_path_factory.mktemp("cleaned") / "project")
    clean(root / "data" / "raw", root / "data" / "processed")
    return root


@pytest.fixture
def cleaned_project(cleaned_sample_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away copy of ``cleaned_sample_tree``, with GAOQI_ROOT pointing at it."""
    root = tmp_path / "project"
    shutil.copytree(cleaned_sample_tree, root)
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    return root


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")


@pytest.fixture(scope="session")
def sample_processed(tmp_path_factory):
    """The shipped synthetic sample, cleaned into a temporary folder (never the repo's data/processed)."""
    from helpers.clean import clean
    from helpers.processed import load

    out = tmp_path_factory.mktemp("sample-processed")
    clean(ROOT / "data" / "raw", out)
    return load(out)


@pytest.fixture(scope="session")
def rendered_project(tmp_path_factory) -> Path:
    """A copy of the project with every meeting rendered (two jobs, as `make report`) plus 2024-09 in English."""
    from helpers.render import render_meetings, render_one

    root = copy_project(tmp_path_factory.mktemp("rendered") / "project")
    old = os.environ.get("GAOQI_ROOT")
    os.environ["GAOQI_ROOT"] = str(root)
    try:
        render_meetings(None, jobs=2)
        render_one("2024-09", lang="en")
    finally:
        if old is None:
            os.environ.pop("GAOQI_ROOT", None)
        else:
            os.environ["GAOQI_ROOT"] = old
    return root


def cohort_register(renew_share: dict[int, float] | None = None) -> pd.DataFrame:
    """A certificate register of known cohorts for the valid-firm model's tests: 40 first-time firms a year
    2013-2023 (issued 1 Nov); of the cohort expiring in year y the share ``renew_share[y]`` (0.5 otherwise) renews."""
    rows, n = [], 0
    by_year: dict[int, list[str]] = {}
    for y in range(2013, 2024):
        ids = [f"f{n + i}" for i in range(40)]
        n += 40
        expiring = by_year.get(y - 3, [])
        renew = expiring[: round(len(expiring) * (renew_share or {}).get(y, 0.5))]
        by_year[y] = ids + renew
        rows += [(f, "kfq", f"{y}-11-01") for f in ids + renew]
    df = pd.DataFrame(rows, columns=["firm_id", "town", "issue_date"])
    df["issue_date"] = pd.to_datetime(df["issue_date"])
    df["revoked"] = pd.NaT
    return df
