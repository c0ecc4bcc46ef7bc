"""Breaks of a share: found in the towns' monthly flows derived from the YTD figures, one event reported once,
dated to its month, and no break in noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.forecast import shares

MEETING_CUTS = ("2024-02-29", "2024-08-31", "2025-02-28")  # the meetings after the story's plant arrives


def _known(data, cut: str) -> pd.DataFrame:
    return shares.known_ytd(data.industry, pd.Timestamp(cut))


def _ytd(step: dict | None = None, seed: int = 0) -> pd.DataFrame:
    """YTD figures of three towns, 2019-2024, with noisy monthly flows and an optional step in one town."""
    rng = np.random.default_rng(seed)
    rows = []
    for town, size in (("kfq", 1000.0), ("ljxq", 600.0), ("sijia", 400.0)):
        for y in range(2019, 2025):
            den = size * 1.05 ** (y - 2019) * (1 + rng.normal(0, 0.03, 12))
            num = 0.45 * den * (1 + rng.normal(0, 0.02, 12))
            if step and town == step["town"]:
                for m in range(12):
                    if (y, m + 1) >= (step["year"], step["month"]):
                        ramp = (0.4, 0.6, 0.8)[k] if (k := (y - step["year"]) * 12 + m + 1 - step["month"]) < 3 else 1
                        den[m] += step["size"] * size * ramp
            for ind, flow in (("total_output", den), ("hightech_output", num)):
                ytd = np.cumsum(flow)
                rows += [(town, ind, y, m, ytd[m - 1]) for m in range(2, 13)]
    return pd.DataFrame(rows, columns=["town", "indicator", "year", "month", "value"])


def test_the_story_plant_is_dated_to_september_2023_at_every_later_meeting(sample_processed):
    for cut in MEETING_CUTS:
        b = shares.share_breaks(_known(sample_processed, cut), "hightech_output", "total_output")
        assert b[["year", "month", "town", "kind"]].values.tolist() == [[2023, 9, "ljxq", "denominator_jump"]], cut


def test_no_break_before_the_plant_arrives(sample_processed):
    for cut in ("2023-02-28", "2023-08-31"):
        assert shares.share_breaks(_known(sample_processed, cut), "hightech_output", "total_output").empty


def test_the_noisy_profit_share_has_no_break(sample_processed):
    for cut in ("2023-02-28", "2024-02-29", "2025-02-28"):
        assert shares.share_breaks(_known(sample_processed, cut), "hightech_profit", "total_profit").empty


@pytest.mark.parametrize("month", [3, 7, 11])
def test_a_plant_ramping_up_is_one_event_at_its_first_month(month):
    b = shares.flow_breaks(_ytd({"town": "ljxq", "year": 2022, "month": month, "size": 0.6}), "total_output",
                           "denominator_jump")
    assert b[["year", "month", "town"]].values.tolist() == [[2022, month, "ljxq"]]


def test_pure_noise_has_no_break():
    for seed in range(5):
        assert shares.flow_breaks(_ytd(seed=seed), "total_output", "denominator_jump").empty


def test_a_step_too_small_for_the_district_is_not_reported():
    tiny = _ytd({"town": "sijia", "year": 2022, "month": 5, "size": 0.03})
    assert shares.flow_breaks(tiny, "total_output", "denominator_jump").empty


def test_monthly_flows_undo_the_ytd_and_keep_1_2_as_one_period():
    f = shares.monthly_flows(_ytd(), "total_output")
    one = f.loc[(f["town"] == "kfq") & (f["year"] == 2020)]
    assert one["month"].tolist() == list(range(2, 13))
    ytd = _ytd()
    dec = ytd.loc[(ytd["town"] == "kfq") & (ytd["year"] == 2020) & (ytd["month"] == 12)
                  & (ytd["indicator"] == "total_output"), "value"].iloc[0]
    assert one["flow"].sum() == pytest.approx(dec)
