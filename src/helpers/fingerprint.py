"""What a briefing is made from, by content: the fingerprint every derived file of a meeting is stamped with.

Why one fingerprint for everything a page shows: a page quotes the returns and plan files in ``data/raw``, the
published figures, the calendar (regular meetings and the ad-hoc ones recorded in ``reports/ad-hoc-meetings.json``:
"the last meeting" may be an ad-hoc one), the stored benchmark results its method notes quote, and it is laid out
by the briefing notebook of this version of the suite. If any of these changes, every file derived for a meeting
(its pages, PDF, notices, xlsx, summary) is out of date. ``gaoqi auto`` compares fingerprints to decide whether to
render; the renderer stamps each derived file with it in the meeting's manifest (``helpers.manifest``).

Kept light on purpose (no pandas, no renderer): ``gaoqi auto``'s idle day only hashes these files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from helpers import paths, version
from helpers.meeting_files import ad_hoc_record_path

SUITE_KEY = "(suite version)"
BRIEFING_NOTEBOOK = "03_briefing.ipynb"
#: the stored benchmark results the briefing's method notes quote (``helpers.briefing.bench``)
QUOTED_BENCHMARKS = ("annual", "worlds", "replay")
_PACKAGE_BENCH = Path(__file__).resolve().parents[2] / "bench" / "results"

#: what kind of input a fingerprint key is, for the log and the console ("which file changed")
RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def benchmark_file(name: str) -> Path | None:
    """The stored result a briefing quotes for benchmark ``name``: a local run in ``reports/bench/`` if there is
    one, else the committed ``bench/results/`` (of the tree, then of the installed package)."""
    for folder in (paths.reports_dir() / "bench", paths.project_root() / "bench" / "results", _PACKAGE_BENCH):
        f = folder / f"{name}.json"
        if f.is_file():
            return f
    return None


def _ignored(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts) or rel.name.startswith("~$")


def digest(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _key(path: Path) -> str:
    root = paths.project_root().resolve()
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


def fingerprint() -> dict[str, str]:
    """Everything a briefing is made from, by content: ``{path relative to the tree: sha256}`` plus the suite's
    version under ``SUITE_KEY``.

    All of ``data/raw`` counts (returns, plan, published figures, the sample's marker), not only what ``clean``
    reads: a superset costs at most a needless render when a README there changes, and keeps this check light.
    """
    found: dict[str, str] = {}
    raw = paths.raw_dir()
    if raw.is_dir():
        for f in sorted(raw.rglob("*")):
            if f.is_file() and not _ignored(f.relative_to(raw)):
                found[_key(f)] = digest(f)
    extra = [paths.notebooks_dir() / BRIEFING_NOTEBOOK, ad_hoc_record_path()]
    extra += [f for f in (benchmark_file(n) for n in QUOTED_BENCHMARKS) if f is not None]
    for f in extra:
        if f.is_file():
            found[_key(f)] = digest(f)
    found[SUITE_KEY] = version.__version__  # read at call time: the suite's version is an input
    return found


def fingerprint_id(inputs: dict[str, str]) -> str:
    """A short id of a fingerprint (16 hex digits): what the manifest and ``gaoqi auto``'s state record."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def current_id() -> str:
    return fingerprint_id(fingerprint())


def kind(key: str) -> str:
    """What an input is, named for what it is (a README under ``data/raw`` is not a return): ``version``,
    ``plan``, ``public``, ``notebook``, ``ad_hoc``, ``benchmark``, ``return`` or ``other``."""
    if key == SUITE_KEY:
        return "version"
    raw = _key(paths.raw_dir()) + "/"
    if key.endswith(".ipynb"):
        return "notebook"
    if key == _key(ad_hoc_record_path()):
        return "ad_hoc"
    if not key.startswith(raw):
        return "benchmark"
    rel = key[len(raw):]
    if rel.startswith("plan/"):
        return "plan"
    if rel.startswith("public/") and key.lower().endswith(RETURN_SUFFIXES):
        return "public"
    if key.lower().endswith(RETURN_SUFFIXES):
        return "return"
    return "other"
