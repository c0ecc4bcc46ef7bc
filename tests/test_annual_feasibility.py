"""bench/annual/feasibility.py: the bounds that say what issue 12's goals allow (protocol, after revision 7)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def feasibility():
    spec = importlib.util.spec_from_file_location("bench_annual_feasibility",
                                                  ROOT / "bench" / "annual" / "feasibility.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _record(offsets: np.ndarray) -> dict[str, np.ndarray]:
    """One horizon: point 0, 80 % range ±1, outcomes at the given offsets."""
    n = len(offsets)
    return {"y": offsets.reshape(n, 1), "point": np.zeros((n, 1)),
            "lo80": -np.ones((n, 1)), "hi80": np.ones((n, 1))}


def test_ten_series_land_in_the_80_percent_band_only_when_exactly_eight_are_covered(feasibility):
    assert feasibility.pass_probability(10, 0.8, (0.75, 0.85)) == pytest.approx(stats.binom.pmf(8, 10, 0.8))


def test_thirty_series_pass_the_80_percent_band_about_half_the_time_even_when_perfect(feasibility):
    p = feasibility.pass_probability(30, 0.8, (0.75, 0.85))
    assert p == pytest.approx(sum(stats.binom.pmf(k, 30, 0.8) for k in (23, 24, 25)))
    assert 0.45 < p < 0.55


def test_a_larger_set_passes_more_often_when_perfect(feasibility):
    assert feasibility.pass_probability(600, 0.8, (0.75, 0.85)) > feasibility.pass_probability(90, 0.8, (0.75, 0.85))


def test_coverage_grows_with_the_width_factor(feasibility):
    rec = _record(np.linspace(-1.99, 1.99, 200))
    assert feasibility.coverage_by_h(rec, 0.5)[0] == pytest.approx(0.25, abs=0.01)
    assert feasibility.coverage_by_h(rec, 1.0)[0] == pytest.approx(0.5, abs=0.01)


def test_factor_interval_brackets_the_factors_that_give_75_to_85_percent(feasibility):
    rec = _record(np.linspace(0.005, 0.995, 100))  # coverage at factor c is about c
    (lo, hi), = feasibility.factor_intervals(rec)
    assert lo == pytest.approx(0.75, abs=0.01)
    assert hi == pytest.approx(0.85, abs=0.01)


def test_sets_whose_factor_intervals_do_not_overlap_are_named_as_infeasible(feasibility):
    per_set = {"wide": {"horizons": 1, "factor80_by_h": [(1.2, 1.5)]},
               "narrow": {"horizons": 1, "factor80_by_h": [(0.6, 0.8)]}}
    (row,) = feasibility.shared_factor(per_set, ["wide", "narrow"])
    assert not row["feasible"]
    assert (row["max_lower_set"], row["min_upper_set"]) == ("wide", "narrow")


def test_overlapping_factor_intervals_are_feasible(feasibility):
    per_set = {"a": {"horizons": 1, "factor80_by_h": [(0.8, 1.1)]},
               "b": {"horizons": 1, "factor80_by_h": [(0.9, 1.3)]}}
    (row,) = feasibility.shared_factor(per_set, ["a", "b"])
    assert row["feasible"] and row["max_lower"] == 0.9 and row["min_upper"] == 1.1


def test_a_set_no_factor_fits_makes_its_horizon_infeasible(feasibility):
    per_set = {"a": {"horizons": 1, "factor80_by_h": [(0.8, 1.1)]},
               "b": {"horizons": 1, "factor80_by_h": [(None, None)]}}
    (row,) = feasibility.shared_factor(per_set, ["a", "b"])
    assert not row["feasible"] and row["no_factor_fits"] == ["b"]
