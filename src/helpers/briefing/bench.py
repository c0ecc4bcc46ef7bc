"""The stated backtest accuracy the method notes quote, read from the benchmark results (``bench/``).

Why here and not in the forecast: the numbers are measured by the scripts in ``bench/`` on other data, never on
the data the settings were tuned on: the annual ensemble on real yearly sets other than its tuning set
(``bench/results/annual.json``, pooled reported sets only), the target models in free synthetic worlds
(``bench/results/worlds.json``, protocol in ``bench/worlds.md``); the replay of the shipped story stays as a
sanity check on sample data, quoted only where it was measured: the synthetic sample of the sample's own region
(``helpers.sample_region``). Another district's page leaves it out: its figures say nothing about that district's
data. The briefing only quotes them, in the reader's language.
"""

from __future__ import annotations

import json

from helpers.fingerprint import benchmark_file
from helpers.forecast.priors import MODEL_REVISION
from helpers.sample_region import SAMPLE_REGION
from helpers.towns import active_region
from helpers.wording import say


def benchmark_result(name: str) -> dict | None:
    """A benchmark's results: a local run in reports/bench/ if there is one, else the committed bench/results/."""
    f = benchmark_file(name)  # the same file the briefing's fingerprint covers
    if f is None:
        return None
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def _f(value: object, spec: str) -> str:
    try:
        return format(float(value), spec)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"


def annual_note(lang: str) -> str | None:
    """The annual ensemble on the pooled reported sets (never the tuning set)."""
    annual = benchmark_result("annual")
    pooled = (annual or {}).get("pooled_reported", {}).get("all")
    if not pooled or "ensemble" not in pooled:
        return None
    e = pooled["ensemble"]
    return say("worlds.bench.annual", lang, sets=len(annual.get("pooled_sets", [])), series=pooled.get("series", "—"),
               smape=_f(e.get("smape"), ".2f"), drift=_f(pooled.get("drift", {}).get("smape"), ".2f"),
               theta=_f(pooled.get("theta_sm", {}).get("smape"), ".2f"),
               cov80=_f(e.get("cov80"), ".0%"), cov95=_f(e.get("cov95"), ".0%"))


def worlds_notes(lang: str) -> list[str]:
    """The target models' probabilities scored in free worlds, and the break detector's record there."""
    worlds = benchmark_result("worlds")
    if not worlds or "scores" not in worlds:
        return []
    s = worlds["scores"]["all"]
    bands = s.get("bands", [])
    worst = max(bands, key=lambda b: abs(b["gap"]), default=None)
    parts = [] if worlds.get("model_revision") == MODEL_REVISION else [say("worlds.bench.earlier_models", lang)]
    parts += [say("worlds.bench.worlds", lang, worlds=worlds.get("n_worlds", "—"), n=s.get("n", "—"),
                 brier=_f(s.get("brier"), ".3f"), base=_f(s.get("uncertainty"), ".3f"),
                 skill=_f(s.get("skill_vs_base_rate"), ".0%"), rel=_f(s.get("reliability"), ".3f"),
                 res=_f(s.get("resolution"), ".3f"), bands=len(bands),
                 bands_ok=sum(bool(b.get("within_0.10")) for b in bands),
                 worst=(f"{worst['band']}: {worst['stated']:.2f} → {worst['observed']:.2f}" if worst else "—"))]
    weak = weakest_measure(worlds)
    if weak is not None:
        name, m = weak
        w = max(m.get("bands", []), key=lambda b: abs(b["gap"]), default=None)
        parts.append(say("worlds.bench.weakest", lang, measure=say(f"worlds.measure.{name}", lang),
                         brier=_f(m.get("brier"), ".3f"), base=_f(m.get("uncertainty"), ".3f"), n=m.get("n", "—"),
                         worst=(f"{w['band']}: {w['stated']:.2f} → {w['observed']:.2f}" if w else "—")))
    t = worlds.get("town_shares", {}).get("all")
    if t:
        town_bands = t.get("bands", [])
        widest = max(town_bands, key=lambda b: abs(b["gap"]), default=None)
        parts.append(say("towns.bench.worlds", lang, n=t.get("n", "—"), brier=_f(t.get("brier"), ".3f"),
                         base=_f(t.get("uncertainty"), ".3f"), skill=_f(t.get("skill_vs_base_rate"), ".0%"),
                         cov80=_f(worlds["town_shares"].get("coverage80"), ".0%"), bands=len(town_bands),
                         bands_ok=sum(bool(b.get("within_0.10")) for b in town_bands),
                         worst=(f"{widest['band']}: {widest['stated']:.2f} → {widest['observed']:.2f}"
                                if widest else "—")))
    b = worlds.get("breaks", {})
    if b.get("true_breaks"):
        parts.append(say("worlds.bench.breaks", lang, false_alarm=_f(b.get("false_alarm_rate"), ".0%"),
                         found=_f(b.get("found_at_final_review"), ".0%"), delay=_f(b.get("delay_months_median"), ".0f"),
                         lag=b.get("stated_release_lag_days", "—"), dated=_f(b.get("dated_within_1_month"), ".0%")))
    return parts


#: a measure whose outcomes were (nearly) certain in the free worlds says nothing about skill
MIN_UNCERTAINTY = 0.05


def weakest_measure(worlds: dict) -> tuple[str, dict] | None:
    """The measure with the least skill over the constant base rate in the free worlds (among those whose outcomes
    were uncertain), so the note names where the probabilities are weakest, not only the pooled score."""
    by = worlds.get("scores", {}).get("by_measure", {})
    scored = [(k, v) for k, v in by.items() if v.get("uncertainty", 0) >= MIN_UNCERTAINTY
              and v.get("skill_vs_base_rate") is not None]
    return min(scored, key=lambda kv: kv[1]["skill_vs_base_rate"], default=None)


def replay_applies(*, synthetic: bool, region: str) -> bool:
    """Whether the replay of the shipped story describes the data in hand: synthetic data of the sample's region
    (the replay was measured on that story alone, never on another district's data or on official returns)."""
    return synthetic and region == SAMPLE_REGION


def benchmark_notes(lang: str, *, synthetic: bool, region: str | None = None) -> tuple[str, list[str]]:
    """Title and sentences: the annual ensemble on real reported sets; the target models in free worlds; the
    replay of the shipped story as a sanity check (only where it was measured: ``replay_applies``).

    ``region`` is the id of the briefing's region (default: the active plan's)."""
    if region is None:
        region = active_region().id
    parts = [p for p in [annual_note(lang)] if p] + worlds_notes(lang)
    replay = benchmark_result("replay")
    if replay and replay_applies(synthetic=synthetic, region=region) and "brier" in replay:
        parts.append(say("worlds.bench.replay", lang, brier=_f(replay["brier"], ".3f"),
                         base=_f(replay.get("brier_base_rate"), ".3f"), cov80=_f(replay.get("coverage80"), ".0%")))
        # the register stock's cohort model against a linear trend: found by its shape, not by a target id
        versus = next((v for v in replay.values() if isinstance(v, dict) and "cohort_beats_trend" in v), None)
        if versus:
            mae = versus.get("mae", {})
            parts.append(say("briefing.bench.replay_stock", lang, cohort=_f(mae.get("cohort"), ".1f"),
                             trend=_f(mae.get("trend"), ".1f")))
    return (say("briefing.bench.title", lang) if parts else ""), parts
