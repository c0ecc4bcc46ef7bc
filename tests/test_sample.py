"""The synthetic sample: deterministic, marked synthetic, and calibrated on the published figures."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.sample import calibration, industry, register, tasks, write_sample
from helpers.sample import register as reg_mod

SEED = 20221012


@pytest.fixture(scope="module")
def simulated():
    import numpy as np

    rng = np.random.default_rng(SEED)
    certs = register.simulate(rng)
    figures = industry.simulate(rng)
    return certs, figures, calibration(certs, figures)


def test_same_seed_writes_byte_identical_files(tmp_path):
    a = write_sample(tmp_path / "a", seed=SEED)
    b = write_sample(tmp_path / "b", seed=SEED)
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_every_file_is_marked_synthetic(tmp_path):
    files = write_sample(tmp_path, seed=SEED)
    data_files = [p for p in files if p.suffix in (".xlsx", ".csv")]
    assert all(p.name.startswith("SAMPLE_") for p in data_files)
    assert (tmp_path / "SYNTHETIC").exists()
    assert "synthetic" in (tmp_path / "README.md").read_text(encoding="utf-8").lower()
    assert sum(p.stat().st_size for p in files) < 2_000_000


def test_valid_firms_rise_from_about_275_to_just_below_400(simulated):
    cal = simulated[2]["valid_firms_year_end"]
    assert 250 <= cal[2021] <= 300
    assert 385 <= cal[2024] < 400
    assert cal[2022] < cal[2023] < cal[2024]


def test_2024_recognitions_match_the_published_99(simulated):
    assert simulated[2]["certificates_issued"][2024] == 99


def test_output_share_breaks_from_47_to_below_40(simulated):
    share = simulated[2]["output_share_pct"]
    assert 46 <= share[2022] <= 48
    assert 37.5 <= share[2024] < 40
    assert industry.plant_monthly(2023, 8) == 0 and industry.plant_monthly(2023, 9) > 0


def test_profit_share_is_near_the_54_target_but_uncertain(simulated):
    share = simulated[2]["profit_share_pct"]
    assert all(48 <= share[y] <= 57 for y in (2022, 2023, 2024))


def test_ytd_is_cumulative_with_a_low_january_february(simulated):
    figs = [f for f in simulated[1] if f.town == "kfq" and f.indicator == "total_output" and f.year == 2023]
    ytd = [f.value for f in sorted(figs, key=lambda f: f.month)]
    assert all(b > a for a, b in zip(ytd, ytd[1:], strict=False))
    assert ytd[0] / ytd[-1] < 2 / 12


def test_certificates_are_announced_in_q4_batches(simulated):
    certs = simulated[0]
    assert all(c.announced.month >= 10 for c in certs)
    assert all(0 <= (c.announced - c.issue_date).days <= 7 for c in certs)
    assert len({c.announced for c in certs if c.issue_date.year == 2024}) == reg_mod.BATCHES[2024]


def test_task_returns_are_released_after_their_half_year():
    assert tasks.release_date(2024, 1) == dt.date(2024, 7, 15)
    assert tasks.release_date(2024, 2) == dt.date(2025, 1, 15)


def test_task_returns_carry_every_series_the_plan_reads(tmp_path):
    """Each task series a target of the plan reads is in the sample returns, read back through ingest."""
    from helpers.clean import build
    from helpers.targets import load_plan

    write_sample(tmp_path / "raw" / "sample", seed=SEED)
    data = build(tmp_path / "raw")[0]
    have = set(data.tasks["task_id"])
    wanted = {s for t in load_plan().scored for s in t.series}
    assert wanted <= have, wanted - have


def test_the_new_series_tell_their_story():
    import numpy as np

    values = {(v.task_id, v.year, v.half): v.value for v in tasks.simulate(np.random.default_rng(SEED))}
    # the incubation chain's third link arrives in the second half of 2024
    assert values[("incubation_chain_links", 2024, 1)] == 2 and values[("incubation_chain_links", 2024, 2)] == 3
    # patent coverage rises but stays far from 全覆盖
    assert values[("patent_apply_coverage", 2022, 2)] < values[("patent_apply_coverage", 2024, 2)] < 100
    assert values[("patent_grant_coverage", 2024, 2)] < 100
    # eaglets fall one short of 40 over 2022-2024 while gazelles and unicorn candidates make theirs
    kinds = {k: sum(values[(f"growth_firms_{k}", y, 2)] for y in (2022, 2023, 2024))
             for k in ("eaglet", "gazelle", "unicorn")}
    assert kinds == {"eaglet": 39, "gazelle": 10, "unicorn": 2}
    assert all(values[("carriers_specialised", y, 2)] >= 1 for y in (2022, 2023, 2024))


# --- free worlds (gaoqi sample --world random) ---------------------------------------------------------------

def test_the_default_world_is_the_shipped_story_byte_for_byte(tmp_path):
    from pathlib import Path

    write_sample(tmp_path)
    shipped = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample"
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in shipped.iterdir())
    for name in written:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name


def test_a_free_world_is_reproducible_from_its_seed(tmp_path):
    a = write_sample(tmp_path / "a", seed=7, world="random")
    b = write_sample(tmp_path / "b", seed=7, world="random")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_free_worlds_do_not_pin_the_outcomes():
    import json

    from helpers.sample import world

    outcomes = set()
    for seed in range(6):
        w = world.draw(seed)
        rng = __import__("numpy").random.default_rng(seed)
        certs = register.simulate(rng, w)
        outcomes.add(register.valid_firms_at(certs, dt.date(2024, 12, 31)))
        json.dumps(w.manifest(), default=str)  # the truth file is JSON
    assert len(outcomes) == 6


def test_free_world_has_zero_to_two_breaks_at_its_own_towns_and_months():
    from helpers.sample import world

    worlds = [world.draw(seed) for seed in range(30)]
    counts = {len(w.breaks) for w in worlds}
    assert counts == {0, 1, 2}
    places = {(b.town, b.year, b.month) for w in worlds for b in w.breaks}
    assert len(places) > 10


def test_free_world_renewal_rates_drift_from_year_to_year():
    from helpers.sample import world

    rates = list(world.draw(3).renewal_p.values())
    assert max(rates) - min(rates) > 0.05


def test_a_free_world_is_read_by_clean_like_the_story(tmp_path):
    from helpers.clean import build

    write_sample(tmp_path / "sample", seed=11, world="random")
    data, _ = build(tmp_path)
    assert not data.industry.empty and not data.certificates.empty and not data.tasks.empty
    assert data.synthetic


def test_an_unknown_world_is_refused_with_the_choices(tmp_path):
    from helpers.errors import InputError

    with pytest.raises(InputError, match="story, random"):
        write_sample(tmp_path, world="fantasy")


# --- the recognition pipeline (培育库 → 申报 → 认定) ------------------------------------------------------------

@pytest.mark.parametrize("world,seed", [("story", SEED), ("random", 11)])
def test_pipeline_rows_follow_the_register_and_leave_the_other_series_alone(tmp_path, world, seed):
    """Recognitions are the register's certified firms of the year; applications exceed them (the 30 June return
    already has the year's); the pool exceeds the applications; every other number is what the other streams
    draw on their own (the pipeline has its own generator)."""
    import numpy as np

    from helpers.clean import build
    from helpers.sample import world as free_world

    write_sample(tmp_path / "raw" / "sample", seed=seed, world=world)
    data = build(tmp_path / "raw")[0]
    t = data.tasks.loc[data.tasks["town"] == "district"]
    got = {(r.task_id, r.period_end.year, r.period_end.month): r.value for r in t.itertuples()}
    certs = data.certificates
    for y in tasks.YEARS:
        certified = certs.loc[certs["issue_date"].dt.year == y, "firm_id"].nunique()
        assert got[("hitech_recognitions", y, 12)] == certified
        assert got[("hitech_applications", y, 6)] == got[("hitech_applications", y, 12)] > certified
        assert got[("hitech_pool", y, 12)] > got[("hitech_applications", y, 12)]
    if world == "story":  # the real order of magnitude: Haimen 2024, 152 applications and 99 recognitions
        assert 120 <= got[("hitech_applications", 2024, 12)] <= 180
    free = free_world.draw(seed) if world == "random" else None
    rng = np.random.default_rng(seed)
    register.simulate(rng, free)
    industry.simulate(rng, free)
    others = {(v.task_id, v.year, 6 if v.half == 1 else 12): v.value for v in tasks.simulate(rng, free)
              if v.town == "district"}
    money = {r.task_id for r in t.itertuples() if r.unit == "万元"}  # returns write 亿元; processed keeps 万元
    assert {k: got.get(k) for k in others} == pytest.approx({k: v * (1e4 if k[0] in money else 1)
                                                             for k, v in others.items()})
