"""The stated backtest accuracy the method notes quote, read from the benchmark results (``bench/``).

Why here and not in the forecast: the numbers are measured by the scripts in ``bench/`` on other data (M3) or
replayed over earlier meetings; the briefing only quotes them, in the reader's language.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.paths import project_root, reports_dir
from helpers.wording import say

_PACKAGE_BENCH = Path(__file__).resolve().parents[3] / "bench" / "results"


def benchmark_result(name: str) -> dict | None:
    """A benchmark's results: a local run in reports/bench/ if there is one, else the committed bench/results/."""
    for folder in (reports_dir() / "bench", project_root() / "bench" / "results", _PACKAGE_BENCH):
        f = folder / f"{name}.json"
        if f.exists():
            try:
                return json.loads(f.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                continue
    return None


def _f(value: object, spec: str) -> str:
    try:
        return format(float(value), spec)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"


def benchmark_notes(lang: str, *, synthetic: bool) -> tuple[str, list[str]]:
    """Title and sentences: M3 for the annual ensemble; the replay on the sample data for the target models (only
    quoted on sample data, where it was measured)."""
    parts = []
    m3 = benchmark_result("m3")
    if m3 and "ensemble" in m3.get("table", {}):
        table = m3["table"]
        e = table["ensemble"]
        parts.append(say("briefing.bench.m3", lang, series=m3.get("series", "—"), smape=_f(e.get("smape"), ".2f"),
                         drift=_f(table.get("drift", {}).get("smape"), ".2f"),
                         theta=_f(table.get("theta_sm", {}).get("smape"), ".2f"),
                         cov80=_f(e.get("cov80"), ".0%"), cov95=_f(e.get("cov95"), ".0%")))
    replay = benchmark_result("replay")
    if replay and synthetic and "brier" in replay:
        parts.append(say("briefing.bench.replay", lang, brier=_f(replay["brier"], ".3f"),
                         base=_f(replay.get("brier_base_rate"), ".3f"), cov80=_f(replay.get("coverage80"), ".0%")))
        # the register stock's cohort model against a linear trend: found by its shape, not by a target id
        versus = next((v for v in replay.values() if isinstance(v, dict) and "cohort_beats_trend" in v), None)
        if versus:
            mae = versus.get("mae", {})
            parts.append(say("briefing.bench.replay_stock", lang, cohort=_f(mae.get("cohort"), ".1f"),
                             trend=_f(mae.get("trend"), ".1f")))
    return (say("briefing.bench.title", lang) if parts else ""), parts
