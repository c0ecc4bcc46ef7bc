"""bench/worlds_kinds.py: every kind scored on its own (Brier, base rate, bands, 80 % coverage), per meeting and
per stress family, on a hand-made record set whose scores are worked out by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kinds():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("worlds_kinds", ROOT / "bench" / "worlds_kinds.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _records() -> pd.DataFrame:
    """Two worlds. The valid-firm count: four rows, stated 0.9/0.9/0.1/0.1, reached T/F/F/F, ranges inside 3 of 4.
    A town quota: four rows stated 0.5, reached T/T/T/F, no ranges. World 1 drew the family "plant"."""
    rows = []
    for world, fams in ((1, ["plant"]), (2, [])):
        for meeting, p, o, inside in (("2024-03", 0.9, world == 1, True), ("2024-09", 0.1, False, world == 1)):
            rows.append({"world": world, "meeting": meeting, "kind": "register_valid_stock", "families": fams,
                         "p_reach": p, "reached": o, "inside80": inside})
        for meeting, o in (("2024-03", True), ("2024-09", world == 1)):
            rows.append({"world": world, "meeting": meeting, "kind": "town_quota:new_projects", "families": fams,
                         "p_reach": 0.5, "reached": o, "inside80": None})
    return pd.DataFrame(rows)


def test_each_kind_gets_its_own_brier_base_rate_and_coverage(kinds):
    t = {k["kind"]: k for k in kinds.table(_records(), ["kind"])}
    v = t["register_valid_stock"]
    # (0.9-1)² + (0.1-0)² + (0.9-0)² + (0.1-0)² over 4 = (0.01 + 0.01 + 0.81 + 0.01) / 4
    assert v["n"] == 4 and v["brier"] == pytest.approx(0.21)
    assert v["frequency"] == pytest.approx(0.25) and v["base_rate"] == pytest.approx(0.1875)
    assert v["skill"] == pytest.approx(1 - 0.21 / 0.1875)  # worse than the base rate: negative skill
    assert v["coverage80"] == pytest.approx(0.75) and v["n_ranges"] == 4
    q = t["town_quota:new_projects"]
    assert q["brier"] == pytest.approx(0.25) and q["frequency"] == pytest.approx(0.75)
    assert q["coverage80"] is None and q["n_ranges"] == 0


def test_the_bands_and_the_largest_gap_are_per_kind(kinds):
    v = next(k for k in kinds.table(_records(), ["kind"]) if k["kind"] == "register_valid_stock")
    bands = {b["band"]: b for b in v["bands"]}
    assert bands["0.9-1.0"]["n"] == 2 and bands["0.9-1.0"]["observed"] == pytest.approx(0.5)
    assert bands["0.1-0.2"]["observed"] == pytest.approx(0.0)
    assert v["largest_gap"] == pytest.approx(0.4)
    # reliability: (2 × 0.4² + 2 × 0.1²) / 4
    assert v["reliability"] == pytest.approx((2 * 0.16 + 2 * 0.01) / 4)


def test_kinds_are_scored_per_meeting(kinds):
    t = {(k["kind"], k["meeting"]): k for k in kinds.table(_records(), ["kind", "meeting"])}
    assert t[("register_valid_stock", "2024-03")]["brier"] == pytest.approx((0.01 + 0.81) / 2)
    assert t[("register_valid_stock", "2024-09")]["brier"] == pytest.approx(0.01)
    assert t[("town_quota:new_projects", "2024-03")]["base_rate"] == 0.0  # every town reached it: no uncertainty
    assert t[("town_quota:new_projects", "2024-03")]["skill"] is None


def test_a_family_is_scored_on_the_worlds_that_drew_it_against_those_that_did_not(kinds):
    fam = kinds.family_tables(_records(), ["plant"])["plant"]
    assert fam["worlds_with"] == 1
    with_ = {k["kind"]: k for k in fam["with"]}
    without = {k["kind"]: k for k in fam["without"]}
    assert with_["register_valid_stock"]["brier"] == pytest.approx(0.01)  # world 1: 0.9→T, 0.1→F
    assert without["register_valid_stock"]["brier"] == pytest.approx(0.41)


def test_the_goals_flag_a_kind_below_its_skill_or_outside_its_coverage_band(kinds):
    rows = [{"kind": "register_valid_stock", "n": 400, "skill": 0.5, "coverage80": 0.57, "n_ranges": 400},
            {"kind": "task_flow", "n": 400, "skill": 0.18, "coverage80": 0.8, "n_ranges": 400},
            {"kind": "milestone", "n": 40, "skill": -0.5, "coverage80": 0.2, "n_ranges": 40}]
    free = {r["kind"]: r for r in kinds.goals(rows, "random")["by_kind"]}
    assert free["register_valid_stock"]["coverage_met"] is False  # 57 % outside 75-85 % on free worlds
    assert free["task_flow"]["skill_met"] is False  # 18 % < 30 %
    assert "milestone" not in free  # fewer than 100 rows: not held to the goals
    stress = {r["kind"]: r for r in kinds.goals(rows, "stress")["by_kind"]}
    assert stress["task_flow"]["skill_met"] is True  # 18 % ≥ 15 % on stress worlds
    assert stress["register_valid_stock"]["coverage_met"] is False  # 57 % outside 70-90 %
    by_family = {"plant": {"with": [{"kind": "task_flow", "n": 50, "skill": -0.1}]}}
    g = kinds.goals(rows, "stress", by_family)
    assert g["families_worse_than_base_rate"] == [{"family": "plant", "kind": "task_flow", "n": 50, "skill": -0.1}]
    assert g["all_met"] is False


def test_a_share_is_its_own_kind_and_other_measures_keep_their_name(kinds):
    assert kinds.kind_of("ytd_ratio", "profit") == "ytd_ratio:profit"
    assert kinds.kind_of("task_flow", "projects") == "task_flow"


def test_a_towns_quota_probability_is_scored_against_its_final_status_or_value():
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("bench_worlds", ROOT / "bench" / "worlds.py")
    worlds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worlds)
    stated = pd.DataFrame({"town": ["kfq", "ljxq", "haiyong", "yudong"], "latest_value": [3.0, 5.0, 0.0, 1.0],
                           "target": [30.0, 30.0, None, 8.0], "forecast": [31.0, 20.0, 2.0, 9.0],
                           "p_reach": [0.6, 0.2, float("nan"), 0.7], "status": ["at_risk"] * 4})
    final = pd.DataFrame({"town": ["kfq", "ljxq", "haiyong", "yudong"], "latest_value": [29.0, 33.0, 2.0, 8.0],
                          "target": [30.0, 30.0, None, 8.0], "status": ["missed", "achieved", "no_quota", "open"]})
    target = SimpleNamespace(town_quota={"kfq": 30, "ljxq": 30, "yudong": 8}, town_growth_pct=None,
                             direction="at_least")
    rows = worlds._town_quota_rows(7, "2024-03", SimpleNamespace(id="projects", by_town=stated),
                                   SimpleNamespace(by_town=final), target)
    got = {r["town"]: (r["p_reach"], r["reached"]) for r in rows}
    # haiyong has no quota (no probability); yudong's status is open, so its final value decides: 8 ≥ 8
    assert got == {"kfq": (0.6, False), "ljxq": (0.2, True), "yudong": (0.7, True)}
    assert {r["kind"] for r in rows} == {"town_quota:projects"} and all(r["inside80"] is None for r in rows)
    no_goals = SimpleNamespace(town_quota={}, town_growth_pct=None, direction="at_least")
    assert worlds._town_quota_rows(7, "2024-03", SimpleNamespace(id="x", by_town=stated),
                                   SimpleNamespace(by_town=final), no_goals) == []
