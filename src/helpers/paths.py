"""Where things live. One place, so notebooks, the CLI and tests agree on the layout.

The project root is found from this file (editable install) and can be overridden with ``GAOQI_ROOT``,
which tests use to work on a copy of the tree.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The repository root: ``$GAOQI_ROOT`` if set, else two levels above ``src/helpers``."""
    env = os.environ.get("GAOQI_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def plan_file() -> Path:
    """The plan's targets file: the last by name of the YAML files in ``data/raw/plan`` that hold a plan.

    Other YAML files may sit beside the plans (the region's units, the returns' vocabulary); a plan file is one
    whose first top-level key is ``plan:``, so those are never mistaken for a plan.
    """
    files = plan_files()
    if not files:
        raise FileNotFoundError(f"no plan file (*.yaml starting with 'plan:') in {raw_dir() / 'plan'}")
    return files[-1]


def plan_files() -> list[Path]:
    """Every plan file in ``data/raw/plan``, by name: the ended plans the bureau keeps beside the active one
    (the last), as the record of what their briefings measured."""
    return [f for f in sorted((raw_dir() / "plan").glob("*.yaml")) if _is_plan(f)]


def _is_plan(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and not line.lstrip().startswith("#"):
                    return line.startswith("plan:")
    except (OSError, UnicodeDecodeError):
        return True  # let the plan loader report the unreadable file with its location
    return False


def public_figures_file() -> Path:
    """Real published figures, with sources: context only, never mixed with district data."""
    return raw_dir() / "public" / "public_figures.csv"
