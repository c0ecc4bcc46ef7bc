"""The exploring notebooks' parameters (notebook 04, and 01's cut-off) are read the way analysts type them, and
what cannot be read is refused with a message saying what to write, never an empty chart or a pandas KeyError."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.explore import ExploreError, industry_view, known_until, parse_cut_off, share_view, town_codes


@pytest.mark.parametrize("typed", ["2024-08-31", "2024/8/31", "2024.08.31", "20240831", "2024年8月31日", " 2024-8-31 "])
def test_cut_off_is_read_in_the_year_first_spellings_analysts_type(typed):
    assert parse_cut_off(typed) == dt.date(2024, 8, 31)


def test_empty_cut_off_means_everything():
    assert parse_cut_off("") is None


@pytest.mark.parametrize("typed", ["31/08/2024", "08/31/2024", "2024-02-30", "last month"])
def test_unreadable_cut_off_is_refused_saying_how_to_write_it(typed):
    with pytest.raises(ExploreError, match=r"not a date: write it as YYYY-MM-DD"):
        parse_cut_off(typed)


def test_towns_are_found_by_chinese_name_as_well_as_by_code():
    assert town_codes("海门港新区, kfq，三星镇") == ["hmgxq", "kfq", "sanxing"]


def test_no_towns_means_every_town():
    assert town_codes(" ") is None


def test_unknown_town_is_refused_naming_the_units_there_are():
    with pytest.raises(ExploreError, match=r"unknown town 'nosuch'.*kfq \(开发区\)"):
        town_codes("kfq, nosuch")


def test_unknown_indicator_is_refused_naming_the_indicators_held(sample_processed):
    with pytest.raises(ExploreError, match=r"unknown indicator 'hightech_outpt'.*hightech_output"):
        industry_view(sample_processed, indicators=["hightech_outpt"])


def test_cut_off_before_the_first_release_is_refused_naming_that_release(sample_processed):
    with pytest.raises(ExploreError, match=r"nothing had been released by the cut-off 2018-01-01.*2019-03-21"):
        share_view(sample_processed, "hightech_output", "total_output", cut_off=dt.date(2018, 1, 1))


def test_selection_matching_nothing_is_refused_naming_the_years_held(sample_processed):
    with pytest.raises(ExploreError, match=r"no figures match.*cover the years 2019–2025"):
        industry_view(sample_processed, indicators=["total_output"], start_year=2030)


def test_charts_without_a_cut_off_state_the_latest_release(sample_processed):
    assert known_until(sample_processed, None) == dt.date(2025, 3, 21)
    assert known_until(sample_processed, dt.date(2024, 8, 31)) == dt.date(2024, 8, 31)


def test_certificate_batch_chart_names_its_unit_source_and_cut_off(sample_processed):
    from helpers.charts import certificate_batches_chart

    fig = certificate_batches_chart(sample_processed.certificates, lang="en", cut_off=dt.date(2024, 8, 31),
                                    source="synthetic sample data")
    assert fig.layout.title.text == "High-tech certificates per announced batch"
    assert "certificates" in fig.layout.title.subtitle.text
    assert "synthetic sample data · data cut-off: 2024-08-31" in fig.layout.annotations[0].text


def test_a_refused_parameter_is_told_in_chinese_and_in_english():
    with pytest.raises(ExploreError) as err:
        parse_cut_off("31/08/2024")
    zh, en = str(err.value).split("\n")
    assert "不是日期" in zh and "YYYY-MM-DD" in zh
    assert "is not a date" in en
