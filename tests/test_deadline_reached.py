"""A target whose deadline the meeting's cut-off has reached, but whose outcome is not yet in the returns, is said
to be due by that date with its outcome unknown - never "… more needed by <a date already reached>". The
probability and status are the models' as before. (Xilan's milestone is due 2026-06-30, the cut-off of its
2026-07 meeting; its coverage is due 2026-12-31, the cut-off of 2027-01; tests/fixtures/plans/xilan.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.targets import load_plan
from helpers.vintage import as_of

XILAN = Path(__file__).resolve().parent / "fixtures" / "plans" / "xilan"
N = 200


@pytest.fixture(scope="module")
def xilan(tmp_path_factory):
    from helpers.clean import build

    root = tmp_path_factory.mktemp("xilan") / "project"
    shutil.copytree(XILAN / "plan", root / "data" / "raw" / "plan")
    shutil.copytree(XILAN / "returns", root / "data" / "raw" / "returns")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAOQI_ROOT", str(root))
        yield load_plan(), build(root / "data" / "raw")[0]


def _scored(xilan, meeting_id: str, measure: str):
    plan, data = xilan
    m = meeting(plan, meeting_id)
    return next(a for a in attain_all(as_of(data, m.cut_off), plan, m, n_sims=N) if a.measure == measure)


def test_a_milestone_due_at_the_cut_off_is_due_with_its_outcome_not_yet_reported(xilan):
    a = _scored(xilan, "2026-07", "milestone")
    assert a.deadline.isoformat() == "2026-06-30" and a.latest_date.isoformat() == "2025-12-31"
    assert a.what_it_takes_en == ("due by 2026-06-30, a date this meeting's cut-off (2026-06-30) has reached; its "
                                  "outcome is not yet in the returns (2 of 3 stages in place at 2025-12-31; 1 more "
                                  "had to be in place by then)")
    assert a.what_it_takes_zh == ("期限为2026年6月30日，本次会议的数据已截至2026年6月30日；结果尚未见于报表"
                                  "（截至2025年12月31日，3个环节中已建成2个，期限前需再建成1个）")


def test_the_milestone_due_at_the_cut_off_keeps_the_models_probability_and_status(xilan):
    a = _scored(xilan, "2026-07", "milestone")
    assert a.status == "at_risk" and 0 < a.p_reach < 1


def test_before_its_deadline_a_milestone_still_says_what_is_needed_by_then(xilan):
    a = _scored(xilan, "2026-01", "milestone")
    assert "2 more needed by 2026-06-30" in a.what_it_takes_en


def test_any_target_due_at_the_cut_off_without_its_outcome_says_so_with_its_latest_figure(xilan):
    a = _scored(xilan, "2027-01", "coverage")
    assert a.what_it_takes_en == ("due by 2026-12-31, a date this meeting's cut-off (2026-12-31) has reached; its "
                                  "outcome is not yet in the returns (latest: 50% at 2026-06-30)")
    assert "short of" not in a.what_it_takes_en and a.status == "at_risk"
