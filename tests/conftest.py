"""Shared fixtures. Tests that write run on a copy of the project tree (``GAOQI_ROOT``), never on the real one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away copy of data/raw and notebooks/, with GAOQI_ROOT pointing at it."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
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
