"""The real published figures file is read strictly: a bad line is named, never plotted."""

from __future__ import annotations

import pytest

from helpers.public import load_public_figures
from helpers.validate import InputErrors

HEADER = "region,year,period,indicator,value,unit,qualifier,source\n"


def test_shipped_file_loads_with_numbers_and_sources():
    pub = load_public_figures()
    haimen = pub[(pub["region"] == "海门区") & (pub["indicator"] == "hightech_output_share_pct")
                 & (pub["period"] == "year")]
    assert dict(zip(haimen["year"], haimen["value"], strict=True)) == {2022: 47.0, 2024: 38.5}
    assert (pub["source"].str.len() > 0).all()


def test_text_in_a_value_is_reported_with_its_line_and_column(tmp_path):
    f = tmp_path / "public_figures.csv"
    f.write_text(HEADER + "海门区,2024,year,hightech_output_share_pct,about 38,%,,http://x\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_public_figures(f)
    assert "public_figures.csv, row 2, column 'value': found 'about 38'; expected a number" in str(info.value)


def test_missing_column_and_missing_source_are_reported(tmp_path):
    f = tmp_path / "public_figures.csv"
    f.write_text("region,year,period,indicator,value,unit,qualifier\n海门区,2024,year,x,1,%,\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="column 'source': found '\\(missing\\)'"):
        load_public_figures(f)
    f.write_text(HEADER + "海门区,2024,year,x,1,%,, \n", encoding="utf-8")
    with pytest.raises(InputErrors, match="row 2, column 'source'"):
        load_public_figures(f)


def test_impossible_year_is_reported(tmp_path):
    f = tmp_path / "public_figures.csv"
    f.write_text(HEADER + "海门区,24,year,x,1,%,,http://x\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="row 2, column 'year': found '24'"):
        load_public_figures(f)


def test_a_file_with_no_figure_ended_by_the_cut_off_keeps_its_columns():
    import datetime as dt

    from helpers.public import ended_by

    figures = load_public_figures()
    early = ended_by(figures, dt.date(1990, 1, 1))
    assert early.empty and list(early.columns) == list(figures.columns)
    assert len(ended_by(figures.iloc[0:0], dt.date(2030, 1, 1)).columns) == len(figures.columns)
