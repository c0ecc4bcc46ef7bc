"""bench/worlds.py: probabilities scored in free worlds against the final review; the Brier decomposition."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def worlds():
    spec = importlib.util.spec_from_file_location("bench_worlds", ROOT / "bench" / "worlds.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_brier_decomposition_adds_up_when_each_band_states_one_probability(worlds):
    p = np.array([0.05] * 20 + [0.55] * 20 + [0.95] * 20)
    o = np.array([0] * 19 + [1] + [1] * 8 + [0] * 12 + [1] * 20, dtype=float)
    d = worlds.brier_decomposition(p, o)
    assert d["brier"] == pytest.approx(d["reliability"] - d["resolution"] + d["uncertainty"])
    assert [b["n"] for b in d["bands"]] == [20, 20, 20]


def test_a_constant_base_rate_forecast_has_no_skill(worlds):
    o = np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0], dtype=float)
    d = worlds.brier_decomposition(np.full(10, o.mean()), o)
    assert d["skill_vs_base_rate"] == pytest.approx(0.0)
    assert d["resolution"] == pytest.approx(0.0)


def test_a_band_far_from_its_frequency_is_flagged(worlds):
    p = np.full(10, 0.9)
    o = np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0], dtype=float)
    d = worlds.brier_decomposition(p, o)
    assert not d["every_band_within_0.10"] and d["reliability"] > 0.3


def test_band_gaps_do_not_move_when_every_world_tells_the_same_story(worlds):
    story = [(0.25, True), (0.25, False), (0.25, False), (0.75, True)]
    rows = [{"world": w, "p_reach": p, "reached": o} for w in range(30) for p, o in story]
    spread = worlds.band_gap_spread(rows, draws=200)
    low = next(b for b in spread["bands"] if b["band"] == "0.2-0.3")
    assert low["gap_p05"] == pytest.approx(1 / 3 - 0.25) and low["gap_p95"] == pytest.approx(1 / 3 - 0.25)
    assert spread["widest_gap_p05"] == pytest.approx(spread["widest_gap_p95"]) == pytest.approx(0.25)


def test_band_gaps_spread_when_worlds_disagree_and_resampling_keeps_a_world_whole(worlds):
    # half the worlds reach every target stated at 0.5, half reach none: a 0.5 band whose gap hangs on the draw
    rows = [{"world": w, "p_reach": 0.5, "reached": w % 2 == 0} for w in range(40) for _ in range(10)]
    spread = worlds.band_gap_spread(rows, draws=500)
    band = next(b for b in spread["bands"] if b["band"] == "0.5-0.6")
    assert band["gap_p05"] < -0.05 and band["gap_p95"] > 0.05
    assert spread["worlds"] == 40


def test_one_world_scores_every_meeting_before_the_final_review_and_its_breaks(worlds):
    w = worlds.one_world(1001)
    meetings = {r["meeting"] for r in w["rows"]}
    assert meetings == {"2023-03", "2023-09", "2024-03", "2024-09"}
    assert {"register_valid_stock", "ytd_ratio", "task_flow"} <= {r["measure"] for r in w["rows"]}
    assert all(0 <= r["p_reach"] <= 1 and isinstance(r["reached"], bool) for r in w["rows"])
    assert len(w["breaks"]) == 2  # the plan's two shares
    assert all(s["false_alarms"] <= s["detected"] for s in w["breaks"])
    # each town's share probability is scored against the town's own final full-year share
    towns = {(r["meeting"], r["target"], r["town"]) for r in w["town_rows"]}
    assert len(towns) == len(w["town_rows"]) == 4 * 2 * 11
    assert all(0 <= r["p_reach"] <= 1 and isinstance(r["reached"], bool) for r in w["town_rows"])


def test_committed_results_state_the_protocol_and_enough_worlds():
    import json

    r = json.loads((ROOT / "bench" / "results" / "worlds.json").read_text(encoding="utf-8"))
    assert r["n_worlds"] >= 50 and r["protocol"] == "bench/worlds.md"
    assert {"reliability", "resolution", "uncertainty", "bands"} <= set(r["scores"]["all"])
    assert "false_alarm_rate" in r["breaks"] and "delay_months_median" in r["breaks"]


def test_the_method_note_quotes_the_committed_free_world_figures():
    import json

    from helpers.briefing.bench import worlds_notes
    from helpers.forecast.priors import MODEL_REVISION

    r = json.loads((ROOT / "bench" / "results" / "worlds.json").read_text(encoding="utf-8"))
    en, zh = worlds_notes("en"), worlds_notes("zh")
    s = r["scores"]["all"]
    # figures of earlier models come after the sentence saying so (helpers.forecast.priors.MODEL_REVISION)
    first = 0 if r.get("model_revision") == MODEL_REVISION else 1
    assert f"{r['n_worlds']} free synthetic worlds" in en[first] and f"Brier score {s['brier']:.3f}" in en[first]
    assert f"{s['brier']:.3f}" in zh[first] and f"{r['n_worlds']} 个自由合成世界" in zh[first]


def test_the_towns_note_says_how_many_of_their_bands_are_within_the_goal():
    import json

    from helpers.briefing.bench import worlds_notes

    towns = json.loads((ROOT / "bench" / "results" / "worlds.json").read_text(encoding="utf-8"))["town_shares"]["all"]
    within = sum(bool(b["within_0.10"]) for b in towns["bands"])
    note = next(p for p in worlds_notes("en") if p.startswith("The towns' probabilities"))
    assert f"in {within} of {len(towns['bands'])} probability bands" in note
    assert f"{within}/{len(towns['bands'])} 个概率档" in next(p for p in worlds_notes("zh") if p.startswith("各区镇比重"))


def test_the_note_names_the_measure_with_least_skill_among_uncertain_outcomes():
    from helpers.briefing.bench import weakest_measure

    def m(brier: float, unc: float) -> dict:
        return {"brier": brier, "uncertainty": unc, "skill_vs_base_rate": 1 - brier / unc if unc else None}

    worlds = {"scores": {"by_measure": {"a": m(0.10, 0.25), "b": m(0.20, 0.24), "c": m(0.0, 0.0),
                                        "d": m(0.03, 0.02)}}}
    assert weakest_measure(worlds)[0] == "b"  # c and d had (nearly) certain outcomes: no skill to speak of
    assert weakest_measure({"scores": {}}) is None


def test_the_tuning_harness_refuses_the_reported_seeds():
    spec = importlib.util.spec_from_file_location("bench_worlds_tune", ROOT / "bench" / "worlds_tune.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(SystemExit, match="reported seeds"):
        mod.main(["--first-seed", "4090", "--worlds", "20"])
