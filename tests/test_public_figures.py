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


def test_english_chart_legend_and_sources_name_regions_in_english():
    from helpers.charts import public_share_chart

    fig, sources = public_share_chart(load_public_figures(), indicator="hightech_output_share_pct", name="x",
                                      lang="en")
    legend = [trace.name for trace in fig.data]
    assert "Haimen District" in legend and "Jiangsu Province" in legend
    said = legend + [line.split(" — ")[0] for line in sources]  # the source itself is cited as published
    assert not [text for text in said if any("\u4e00" <= ch <= "\u9fff" for ch in text)]
    assert sources[0].startswith("Haimen District 2022")


def test_chinese_chart_keeps_the_regions_as_published():
    from helpers.charts import public_share_chart

    fig, sources = public_share_chart(load_public_figures(), indicator="hightech_output_share_pct", name="x",
                                      lang="zh")
    assert "海门区" in [trace.name for trace in fig.data] and sources[0].startswith("海门区 2022")


def test_a_file_without_english_region_names_shows_the_chinese_ones_on_english_pages(tmp_path):
    from helpers.public import region_names

    f = tmp_path / "public_figures.csv"
    f.write_text(HEADER + "海门区,2024,year,x,1,%,,http://x\n", encoding="utf-8")
    assert list(region_names(load_public_figures(f), "en")) == ["海门区"]
    f.write_text("region,region_en," + HEADER.removeprefix("region,") + "海门区, ,2024,year,x,1,%,,http://x\n"
                 "南通市,Nantong,2024,year,x,2,%,,http://x\n", encoding="utf-8")
    assert list(region_names(load_public_figures(f), "en")) == ["海门区", "Nantong"]
