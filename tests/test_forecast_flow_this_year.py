"""The current year's common shock of the task flows, read from the first halves of all the district's flows
(``year_shock.this_year``, ``flow.flow_evidence``): a year in which every flow runs ahead of its usual pace by
30 June is a good year for each of them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.forecast import flow, tasks, year_shock

YEARS = range(2019, 2024)


def _returns(level: float, h1_now: float | None, share: float = 0.4) -> pd.DataFrame:
    """A flow of ``level`` a year, ``share`` of it done by 30 June each year, and ``h1_now`` by 30 June 2024."""
    rows = [(y, pd.Timestamp(y, m, 30 if m == 6 else 31), v) for y in YEARS
            for m, v in ((6, level * share), (12, level))]
    if h1_now is not None:
        rows.append((2024, pd.Timestamp(2024, 6, 30), h1_now))
    return pd.DataFrame(rows, columns=["year", "period_end", "value"])


def _evidence(ratio: float, n: int = 8) -> dict[str, year_shock.YearEvidence]:
    """``n`` flows of 100 a year whose first half of 2024 ran at ``ratio`` × their usual pace."""
    out = {}
    for i in range(n):
        e = flow.flow_evidence(tasks.halves(_returns(100.0, 40.0 * ratio)), 2024, 0.0)
        assert e is not None
        out[f"s{i}"] = e
    return out


def test_a_first_half_above_the_usual_pace_reads_as_a_positive_shock():
    ahead = flow.flow_evidence(tasks.halves(_returns(100.0, 52.0)), 2024, 0.0)
    on_pace = flow.flow_evidence(tasks.halves(_returns(100.0, 40.0)), 2024, 0.0)
    assert ahead is not None and on_pace is not None
    assert abs(ahead.z - np.log(1.3)) < 0.1
    assert abs(on_pace.z) < 0.1


def test_no_first_half_of_the_year_gives_no_evidence():
    assert flow.flow_evidence(tasks.halves(_returns(100.0, None)), 2024, 0.0) is None


def test_flows_all_ahead_of_pace_move_the_years_shock_up_and_narrow_it():
    mean, var = year_shock.this_year(_evidence(1.3), 0.04, timing_var=0.01)
    assert 0.1 < mean < np.log(1.3)
    assert var < 0.04 / 2
    assert year_shock.this_year({}, 0.04) == (0.0, 0.04)


def test_the_years_timing_keeps_the_pooled_shock_from_being_certain():
    many = {f"s{i}": year_shock.YearEvidence(0.2, 0.01) for i in range(200)}
    _, loose = year_shock.this_year(many, 0.04, timing_var=0.01)
    _, tight = year_shock.this_year(many, 0.04, timing_var=0.0)
    assert loose > 0.007 > 0.001 > tight


def test_a_flows_own_count_is_left_out_of_its_shock():
    ev = {"own": year_shock.YearEvidence(0.5, 0.05), "other": year_shock.YearEvidence(0.0, 0.05)}
    assert year_shock.this_year(ev, 0.04, exclude="own")[0] == 0.0
    assert year_shock.this_year(ev, 0.04)[0] > 0.05


def test_a_flow_not_yet_reported_is_forecast_higher_when_the_other_flows_run_30_percent_ahead():
    r = _returns(100.0, None)
    cut = pd.Timestamp(2024, 9, 30)
    normals = {2024: year_shock.common_normals(0, 2024, 4000)}

    def median(ratio: float) -> float:
        now = year_shock.this_year(_evidence(ratio), 0.04)
        common = flow.CommonShock(0.04, normals, now)
        return float(np.median(flow.forecast_flow(r, 2024, 2024, cut, np.random.default_rng(1), 4000, 0.0,
                                                  common).sims[:, 0]))

    assert median(1.3) > 1.08 * median(1.0)
    assert median(0.7) < 0.92 * median(1.0)
