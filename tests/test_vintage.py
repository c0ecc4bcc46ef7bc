"""as_of: a meeting sees only what was released by its cut-off, at its then-latest revision."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.clean import build
from helpers.sample import write_sample
from helpers.sample.workbook import SheetSpec, write_workbook
from helpers.vintage import as_of, latest, monthly_flows

CUT = dt.date(2024, 8, 31)  # the 2024-09 meeting
EARLY_CUT = dt.date(2024, 8, 15)  # before the sample's revision of 2024 1-6月 (released 2024-08-21)


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("vintage") / "raw"
    write_sample(raw / "sample")
    return raw


@pytest.fixture(scope="module")
def data(sample_raw):
    return build(sample_raw)[0]


def _equal(a, b) -> None:
    for name in ("industry", "certificates", "tasks", "quality"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_like=False)


def _poison(data, cut: dt.date):
    """Every figure released after ``cut`` replaced by nonsense, and a revocation dated after it added."""
    day = pd.Timestamp(cut)
    ind = data.industry.copy()
    ind.loc[ind["released"] > day, "value"] = -9.99e9
    tasks = data.tasks.copy()
    tasks.loc[tasks["released"] > day, "value"] = -9.99e9
    certs = data.certificates.copy()
    late = certs["announced"] > day
    certs.loc[late, ["firm_name", "town", "firm_id"]] = "POISON"
    certs.loc[late, "issue_date"] = pd.Timestamp("2000-01-01")
    unrevoked = certs.index[certs["revoked"].isna() & (certs["announced"] <= day)][:50]
    certs.loc[unrevoked, "revoked"] = day + pd.Timedelta(days=3)
    quality = data.quality.copy()
    quality.loc[quality["known"] > day, "message"] = "POISON"
    return data.replace(industry=ind, tasks=tasks, certificates=certs, quality=quality)


@pytest.mark.parametrize("cut", [dt.date(2023, 2, 28), EARLY_CUT, CUT, dt.date(2025, 2, 28)])
def test_poisoning_everything_released_after_the_cut_off_changes_nothing(data, cut):
    _equal(as_of(data, cut), as_of(_poison(data, cut), cut))


def test_the_poison_is_visible_to_a_later_meeting(data):
    later = dt.date(2025, 2, 28)
    poisoned = as_of(_poison(data, CUT), later)
    assert (poisoned.industry["value"] == -9.99e9).any()
    assert (poisoned.certificates["firm_name"] == "POISON").any()


def test_a_later_raw_revision_does_not_reach_an_earlier_meeting(sample_raw, data, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    write_workbook(raw / "sample" / "SAMPLE_late_revision.xlsx", [SheetSpec(
        "1-6月", ["海门区规模以上工业主要指标", "2024年1-6月（累计）（修订）", "发布日期：2024-09-10"],
        ["区镇", "规上工业总产值（万元）", "高新技术产业产值（万元）"],
        [["开发区", 1.0, 1.0], ["临江新区", 2.0, 2.0], ["海永镇", 3.0, 3.0]])])
    poisoned = build(raw)[0]
    assert len(poisoned.industry) > len(data.industry)
    before, after = as_of(data, CUT), as_of(poisoned, CUT)
    pd.testing.assert_frame_equal(before.industry, after.industry)
    pd.testing.assert_frame_equal(before.tasks, after.tasks)


def test_latest_revision_known_at_the_cut_off_wins(data):
    key = "town == 'kfq' and indicator == 'total_output' and year == 2024 and month == 6"
    early = as_of(data, EARLY_CUT).industry.query(key)
    late = as_of(data, CUT).industry.query(key)
    assert list(early["revision"]) == [0] and list(late["revision"]) == [1]
    assert late["value"].iloc[0] == pytest.approx(early["value"].iloc[0] * 1.012, rel=1e-3)


def test_keep_history_keeps_every_revision_released_by_then(data):
    hist = as_of(data, CUT, keep_history=True).industry
    assert (hist["revision"] > 0).sum() == 3


def test_figures_released_after_the_cut_off_are_absent(data):
    d = as_of(data, CUT)
    assert d.industry["released"].max() <= pd.Timestamp(CUT)
    assert (d.industry.query("year == 2024")["month"].max()) == 7  # July figures come out on 21 August
    assert d.tasks["period_end"].max() == pd.Timestamp("2024-06-30")
    assert d.manifest["as_of"] == "2024-08-31"


def test_certificates_announced_later_are_dropped_and_later_revocations_undone(data):
    revoked = data.certificates.dropna(subset=["revoked"]).iloc[0]
    cut = revoked["revoked"] - pd.Timedelta(days=1)
    d = as_of(data, cut)
    assert d.certificates["announced"].max() <= cut
    row = d.certificates[d.certificates["cert_no"] == revoked["cert_no"]]
    assert row["revoked"].isna().all()
    assert d.certificates["revoked"].dropna().le(cut).all()


def test_as_of_is_pure(data):
    before = data.industry.copy()
    as_of(data, CUT)
    pd.testing.assert_frame_equal(data.industry, before)


def test_monthly_flows_from_ytd_with_one_two_month_return(data):
    flows = monthly_flows(as_of(data, CUT).industry)
    kfq = flows.query("town == 'kfq' and indicator == 'total_output' and year == 2023").set_index("month")
    ytd = latest(as_of(data, CUT).industry, ["town", "indicator", "year", "month"]).query(
        "town == 'kfq' and indicator == 'total_output' and year == 2023").set_index("month")["value"]
    assert kfq.loc[2, "months_covered"] == 2 and kfq.loc[3, "months_covered"] == 1
    assert kfq.loc[2, "flow"] == pytest.approx(ytd.loc[2])
    assert np.isclose(kfq["flow"].sum(), ytd.loc[12])
