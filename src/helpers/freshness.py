"""Whether ``data/processed`` was cleaned from exactly the returns now in ``data/raw``.

Why a room of its own: the render asks it before every run (clean again, or not), and the completeness report asks
it to say that the processed data are stale; it lived in ``render.run``, so completeness had to import the
renderer back (a loop through ``render.index``). It sits just below ``clean``, whose file discovery and digest it
reuses, so that "the returns a clean would read" has one definition.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.clean import discover, file_digest


def processed_is_current(raw: Path, processed: Path) -> bool:
    """True when data/processed was cleaned from exactly the returns now in data/raw.

    ``clean`` records the sha256 of every return it read in ``manifest.json``; the returns now present are
    those ``clean.discover`` would read. The plan file and public figures are read at render time, so editing
    them needs no new clean.
    """
    manifest = processed / "manifest.json"
    if not manifest.exists():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("raw_files", [])
        recorded_map = {f["path"]: f["sha256"] for f in recorded}
    except (json.JSONDecodeError, KeyError, TypeError):
        return False
    files, _ = discover(raw)
    return recorded_map == {f.relative_to(raw).as_posix(): file_digest(f) for f in files}
