"""What earlier meetings' briefings said, recomputed from the data known at *their* cut-offs and cached.

"Since the last meeting" and the track record must show what those briefings said, never a re-forecast with
today's data. Recomputing every earlier meeting on each render is slow, so the summary records are cached as
JSON in ``<processed>/cache/`` keyed by meeting, seed and a digest of what decides the result: the forecasting
code, the plan file and its region file (``results_digest``). The plan's and region's files are in the key because
they change without a new clean: a target's value, deadline or quota edited in place must not be answered with
results computed under the old file (and a next plan reusing a meeting id must not read the old plan's). The
cache lives inside the processed folder, so a new ``gaoqi clean`` (which replaces that folder) empties it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from helpers.atomic import write_text_atomic
from helpers.calendar import Meeting
from helpers.forecast import attain_all
from helpers.paths import processed_dir as default_processed_dir
from helpers.processed import ProcessedData
from helpers.targets import Plan
from helpers.vintage import as_of

_HELPERS = Path(__file__).resolve().parents[1]


def forecast_code_digest() -> str:
    """A digest of the forecasting code: a cached result is reused only while that code is unchanged."""
    h = hashlib.sha256()
    # goals.py and the verdicts' wording write the per-year sentences a summary carries
    files = [*(_HELPERS / "forecast").glob("*.py"), _HELPERS / "register.py", _HELPERS / "vintage.py",
             _HELPERS / "goals.py", _HELPERS / "wording" / "verdicts.yaml"]
    for f in sorted(files):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def results_digest(plan: Plan) -> str:
    """A digest of everything an earlier meeting's results depend on besides the processed data: the forecasting
    code, the plan file's bytes and its region file's (units, groups and quotas). A cached result is reused only
    while all three are unchanged."""
    h = hashlib.sha256(forecast_code_digest().encode())
    for f in (plan.source, plan.region.source):
        h.update(f.name.encode() + b"\0" + Path(f).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def earlier_summary(everything: ProcessedData, plan: Plan, m: Meeting, *, seed: int = 0,
                    processed_dir: str | Path | None = None) -> list[dict]:
    """The summary records meeting ``m`` produced: computed from ``as_of(everything, m.cut_off)`` only."""
    folder = Path(processed_dir) if processed_dir else default_processed_dir()
    cache = folder / "cache" / f"summary-{m.id}-seed{seed}-{results_digest(plan)}.json"
    if cache.exists():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass
    records = [a.summary() for a in attain_all(as_of(everything, m.cut_off), plan, m, seed=seed)]
    with contextlib.suppress(OSError):  # a read-only processed folder only costs time
        write_text_atomic(cache, json.dumps(records, ensure_ascii=False))
    return records
