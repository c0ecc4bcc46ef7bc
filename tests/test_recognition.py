"""The recognition pipeline by town and by round, and the expiring certificates to follow up, on a register and
application lists small enough to count by hand (tests/fixtures/tracked/make_fixtures.py says who is who)."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers.briefing import recognition
from helpers.clean import build
from helpers.vintage import as_of

FIXTURES = Path(__file__).parent / "fixtures" / "tracked" / "pipeline"


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    raw = tmp_path_factory.mktemp("pipeline") / "raw"
    shutil.copytree(FIXTURES, raw / "returns")
    data, _ = build(raw)
    return data


def _meeting(processed, cut_off: dt.date, focus_year: int = 2024, lang: str = "zh"):
    """What the recognition tables read of a briefing: the data as known at the cut-off and the meeting."""
    return SimpleNamespace(data=as_of(processed, cut_off), lang=lang,
                           meeting=SimpleNamespace(cut_off=cut_off, focus_year=focus_year))


def _row(frame, key: str, value):
    return frame.loc[frame[key] == value].iloc[0]


def test_after_the_year_applications_recognitions_and_pass_rate_are_given_per_town(processed):
    c = _meeting(processed, dt.date(2025, 2, 28))
    p = recognition.year_pipeline(c, 2024)
    assert p.decided
    kfq, sanxing, district = (_row(p.by_town, "town", t) for t in ("kfq", "sanxing", "district"))
    assert (kfq["applications"], kfq["recognised"], kfq["failed"], kfq["pass_rate"]) == (2, 1, 1, 0.5)
    assert (sanxing["applications"], sanxing["recognised"], sanxing["failed"]) == (2, 1, 1)
    assert (district["applications"], district["recognised"], district["pending"]) == (4, 2, 0)
    assert "haiyong" not in set(p.by_town["town"])  # no applicant there


def test_a_round_counts_as_decided_once_its_recognitions_are_announced(processed):
    c = _meeting(processed, dt.date(2024, 11, 30))  # round 1 announced 25 November, round 2 not yet
    p = recognition.year_pipeline(c, 2024)
    one, two = (_row(p.by_batch, "batch", b) for b in (1, 2))
    assert (one["applications"], one["recognised"], one["pass_rate"]) == (2, 1, 0.5)
    assert str(one["announced"].date()) == "2024-11-25"
    assert two["recognised"] == 0 and math.isnan(two["pass_rate"])  # under review, not "failed"
    district = _row(p.by_town, "town", "district")
    assert (district["failed"], district["pending"]) == (1, 2)


def test_applications_submitted_after_the_cut_off_are_not_counted(processed):
    c = _meeting(processed, dt.date(2024, 5, 31))  # round 2 is submitted on 1 June
    p = recognition.year_pipeline(c, 2024)
    assert list(p.by_batch["batch"]) == [1]
    assert _row(p.by_town, "town", "district")["applications"] == 2
    assert _row(p.by_town, "town", "district")["recognised"] == 0


def test_the_briefing_shows_the_last_closed_year_and_the_current_year_so_far(processed):
    c = _meeting(processed, dt.date(2024, 8, 31))
    assert [p.year for p in recognition.pipelines(c)] == [2023, 2024]
    assert [p.decided for p in recognition.pipelines(c)] == [True, False]


def test_expiring_certificates_say_whether_a_re_recognition_application_is_on_file(processed):
    c = _meeting(processed, dt.date(2024, 8, 31))
    table = recognition.expiring(c).set_index("cert_no")
    assert table.loc["GR202132000201", "follow_up"] == "applied_pending"  # 甲, round 1 not yet announced
    assert table.loc["GR202132000202", "follow_up"] == "applied_pending"  # 乙
    assert table.loc["GR202132000203", "follow_up"] == "not_applied"  # 丙
    assert table.loc["GR202232000301", "follow_up"] == "not_yet_due"  # 丁 runs to 2025-12-04
    assert str(table.loc["GR202232000301", "valid_until"].date()) == "2025-12-04"
    assert "GR202332000401" not in table.index  # 庚 re-recognised in 2023: runs to 2026


def test_a_firm_re_recognised_leaves_the_list_and_one_refused_is_marked(processed):
    c = _meeting(processed, dt.date(2024, 11, 30))
    table = recognition.expiring(c).set_index("cert_no")
    assert "GR202132000201" not in table.index  # 甲's new certificate (announced 25 November) runs to 2027
    assert table.loc["GR202132000202", "follow_up"] == "applied_failed"  # 乙: round 1 announced without it


def test_a_certificate_past_its_last_day_is_marked_expired(processed):
    on_last_day = recognition.expiring(_meeting(processed, dt.date(2024, 11, 30))).set_index("cert_no")
    assert bool(on_last_day.loc["GR202132000203", "valid"])  # 丙: valid to 30 November 2024 inclusive
    c = _meeting(processed, dt.date(2024, 12, 1))
    after = recognition.expiring(c)
    assert not bool(after.set_index("cert_no").loc["GR202132000203", "valid"])
    row = next(r for r in recognition.expiring_table(c, after).rows if r[1] == "南通丙纺织科技有限公司")
    assert row[3] == "2024年11月30日（已到期）" and row[4] == "未申报"


def test_the_annex_names_firms_but_not_their_credit_codes(processed):
    c = _meeting(processed, dt.date(2024, 11, 30))
    frame = recognition.expiring(c)
    table = recognition.expiring_table(c, frame)
    text = " ".join(" ".join(r) for r in table.rows)
    assert "南通乙电子有限公司" in text and "已申报，未通过" in text and "2024年10月31日" in text
    assert not any(code in text for code in frame["credit_code"])
    sheets = {title: rows for title, _, rows in recognition.appendix_sheets(c)}
    follow = sheets["到期证书跟进（2024-2025年）"]
    assert {cell[1] for row in follow for cell in row} >= set(frame["credit_code"])  # the xlsx keeps them


def test_the_year_sentence_reads_as_a_briefing(processed):
    c = _meeting(processed, dt.date(2025, 2, 28))
    p = recognition.year_pipeline(c, 2024)
    assert recognition.pipeline_text(p, "zh") == "2024年全区申报高新技术企业4家，认定2家，通过率50%。"


def test_the_english_year_sentence_says_one_recognition_in_the_singular(processed):
    c = _meeting(processed, dt.date(2024, 11, 30), lang="en")  # round 1 announced: 4 applied, 1 recognised
    p = recognition.year_pipeline(c, 2024)
    text = recognition.pipeline_text(p, "en")
    assert "4 applications so far, 1 recognition announced and 2 still under review" in text
