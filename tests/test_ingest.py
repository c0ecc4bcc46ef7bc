"""Readers: numbers, dates, periods, units, headers under merged titles, footnotes, encodings, town spellings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers.ingest import (
    decode_csv,
    form_of,
    header_key,
    locate_table,
    parse_date,
    parse_number,
    parse_period,
    parse_period_end,
    parse_sheets,
    read_file,
)

VALID = Path(__file__).parent / "fixtures" / "intake" / "valid"


@pytest.mark.parametrize(("cell", "expected"), [
    (1234.5, (1234.5, "ok")), ("12,345.6", (12345.6, "text")), ("—", (None, "missing")),
    (None, (None, "missing")), ("  ", (None, "missing")), ("12a4", (None, "bad")), ("８８", (88.0, "text")),
])
def test_numbers_are_parsed_with_a_status(cell, expected):
    assert parse_number(cell) == expected


def test_impossible_date_is_bad_not_shifted():
    assert parse_date("2024-02-30") == (None, "bad")
    assert parse_date("2024年7月21日") == (dt.date(2024, 7, 21), "ok")
    assert parse_date(dt.datetime(2024, 7, 21)) == (dt.date(2024, 7, 21), "ok")


def test_january_and_february_are_one_return_month_2():
    assert parse_period("2024年1-2月（累计）") == ((2024, 2), "ok")
    assert parse_period("2024年1—2月") == ((2024, 2), "ok")
    assert parse_period("2024年1-12月") == ((2024, 12), "ok")


def test_a_january_only_period_is_refused():
    assert parse_period("2024年1月") == (None, "january")


def test_a_range_not_starting_in_january_is_not_ytd():
    assert parse_period("2024年3-6月") == (None, "not_ytd")


def test_half_year_period_end_from_title():
    assert parse_period_end("截至2024年6月30日　报送日期：2024-07-15") == (dt.date(2024, 6, 30), "ok")
    assert parse_period_end("（2023年全年）") == (dt.date(2023, 12, 31), "ok")


def test_header_aliases_and_units_in_brackets():
    assert header_key("规上工业总产值（亿元）") == ("total_output", "亿元")
    assert header_key("规模以上工业总产值(万元)") == ("total_output", "万元")
    assert header_key(" 区镇 ") == ("town", None)
    assert header_key("随便一列") == (None, None)


def test_header_found_below_merged_title_and_footnotes_dropped():
    sheets, faults = read_file(VALID / "统计_2024.xlsx", "统计_2024.xlsx")
    table = locate_table(sheets[0])
    assert not faults and table is not None
    assert table.header_row == 4 and "发布日期：2024-03-21" in table.title
    assert [r for r, _ in table.rows] == [5, 6, 7]  # the footnote under the table is not a row
    assert form_of(table) == "industry"


def test_yi_yuan_sheet_is_converted_to_wan_yuan():
    sheets, _ = read_file(VALID / "统计_2024_3月_亿元.xlsx", "x.xlsx")
    parsed, _ = parse_sheets(sheets)
    kfq = {r["indicator"]: r["value"] for r in parsed.industry if r["town"] == "kfq"}
    assert kfq["total_output"] == pytest.approx(185_000.0)
    assert kfq["hightech_profit"] == pytest.approx(6_500.0)


def test_a_one_line_gbk_csv_is_decoded_as_gbk_not_guessed():
    assert decode_csv("series_id,target\n海门,140\n".encode("gbk")) == "series_id,target\n海门,140\n"


def test_a_utf16_csv_with_its_byte_order_mark_is_decoded():
    assert decode_csv("区镇,数值\n海门港,140\n".encode("utf-16")) == "区镇,数值\n海门港,140\n"


def test_gbk_csv_is_decoded_and_read_with_line_numbers():
    raw = (VALID / "统计_2023_旧系统导出.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "规上工业总产值" in decode_csv(raw)
    sheets, faults = read_file(VALID / "统计_2023_旧系统导出.csv", "old.csv")
    parsed, _ = parse_sheets(sheets)
    assert not faults and not parsed.faults
    scgy = [r for r in parsed.industry if r["town"] == "scgy" and r["indicator"] == "total_output"]
    assert scgy == [{**scgy[0], "value": 600000.0, "year": 2023, "month": 12, "row": 3,
                     "released": dt.date(2024, 1, 21)}]


def test_one_two_month_return_is_stored_as_month_2_with_provenance():
    sheets, _ = read_file(VALID / "统计_2024.xlsx", "统计_2024.xlsx")
    parsed, _ = parse_sheets(sheets)
    rec = next(r for r in parsed.industry if r["town"] == "kfq" and r["indicator"] == "total_output")
    assert (rec["year"], rec["month"], rec["value"]) == (2024, 2, 120000.5)
    assert (rec["source_file"], rec["sheet"], rec["row"], rec["column"]) == (
        "统计_2024.xlsx", "1-2月（累计）", 5, "规上工业总产值（万元）")
    assert rec["released"] == dt.date(2024, 3, 21)


def test_dash_and_blank_cells_are_missing_not_zero():
    sheets, _ = read_file(VALID / "统计_2024.xlsx", "统计_2024.xlsx")
    parsed, _ = parse_sheets(sheets)
    ljxq = {r["indicator"] for r in parsed.industry if r["town"] == "ljxq"}
    assert ljxq == {"total_output", "hightech_output"}
    assert {n["check"] for n in parsed.notes} == {"missing_value"}


def test_towns_own_spellings_map_to_codes():
    sheets, _ = read_file(VALID / "任务进度_2024H1.xlsx", "t.xlsx")
    parsed, _ = parse_sheets(sheets)
    assert {r["town"] for r in parsed.tasks} == {"kfq", "yuelai", "district"}


def test_loan_balance_in_yi_yuan_becomes_wan_yuan():
    sheets, _ = read_file(VALID / "任务进度_2024H1.xlsx", "t.xlsx")
    parsed, _ = parse_sheets(sheets)
    fin = next(r for r in parsed.tasks if r["task_id"] == "fin_balance")
    assert (fin["value"], fin["unit"], fin["period_end"]) == (pytest.approx(79_000.0), "万元", dt.date(2024, 6, 30))
