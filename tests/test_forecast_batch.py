"""``gaoqi forecast``: round trip through the CLI and clear messages for bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers.cli import app
from helpers.forecast.batch import BatchInputError, run_batch

runner = CliRunner()


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def long_csv(tmp_path):
    rows = ["series_id,period,value"]
    rows += [f"a,{y},{100 + 5 * (y - 2015)}" for y in range(2015, 2024)]
    rows += [f"b,{y},{50 - (y - 2018)}" for y in range(2018, 2024)]
    return write(tmp_path / "long.csv", "\n".join(rows) + "\n")


def test_cli_round_trip_writes_ranges_and_p_reach(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target\na,140\n")
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["forecast", "--input", str(long_csv), "--horizon", "3", "--output", str(out),
                              "--targets", str(targets)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns) == ["series_id", "period", "point", "lo80", "hi80", "lo95", "hi95", "p_reach"]
    assert df.groupby("series_id").size().to_dict() == {"a": 3, "b": 3}
    a = df[df.series_id == "a"]
    assert a["period"].tolist() == [2024, 2025, 2026]
    # p_reach is the probability for the last forecast year, written on that year's row only
    assert a["p_reach"].isna().tolist() == [True, True, False]
    assert a["p_reach"].iloc[-1] > 0.5  # the line reaches 145 in 2026
    assert df.loc[df.series_id == "b", "p_reach"].isna().all()


def test_same_seed_same_probabilities(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target\na,150\n")
    outs = []
    for k in range(2):
        out = tmp_path / f"o{k}.csv"
        run_batch(long_csv, horizon=3, output=out, targets=targets, seed=5)
        outs.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(outs[0], outs[1])


def test_missing_column_is_named(tmp_path):
    bad = write(tmp_path / "bad.csv", "series,period,value\na,2020,1\n")
    with pytest.raises(BatchInputError, match=r"missing column\(s\) \['series_id'\]"):
        run_batch(bad, horizon=2, output=tmp_path / "o.csv")


def test_text_in_value_is_located(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\na,2020,1\na,2021,abc\na,2022,3\n")
    with pytest.raises(BatchInputError, match="line 3: value 'abc' is not a number"):
        run_batch(bad, horizon=2, output=tmp_path / "o.csv")


def test_short_series_is_refused_by_name(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\nx,2020,1\nx,2021,2\n")
    with pytest.raises(BatchInputError, match=r"fewer than 3 observed points.*'x' \(2\)"):
        run_batch(bad, horizon=2, output=tmp_path / "o.csv")


def test_cli_prints_the_message_and_exits_2_without_traceback(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\nx,2020,1\nx,2020,2\nx,2021,3\n")
    res = runner.invoke(app, ["forecast", "--input", str(bad), "--horizon", "2", "--output", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "第 3 行：序列 'x' 的年度 2020 出现了两次" in res.output  # the office's language by default
    assert "Traceback" not in res.output


def test_cli_with_lang_en_words_the_problems_in_english(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\nx,2020,1\nx,2020,2\nx,2021,3\n")
    res = runner.invoke(app, ["forecast", "--input", str(bad), "--horizon", "2", "--output", str(tmp_path / "o.csv"),
                              "--lang", "en"])
    assert res.exit_code == 2
    assert "line 3: series 'x' has period 2020 twice" in res.output


def test_every_problem_of_the_input_is_reported_in_one_run(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\n"
                "a,2019,1\na,2020,abc\na,20x1,3\n,2022,4\nb,2019,5\nb,2020,6\nb,2021,7\nb,2021,8\n")
    res = runner.invoke(app, ["forecast", "--input", str(bad), "--horizon", "2", "--output", str(tmp_path / "o.csv"),
                              "--lang", "en"])
    assert res.exit_code == 2
    for problem in ("line 3: value 'abc' is not a number", "line 4: period '20x1' is not a year",
                    "line 5: series_id is empty", "line 9: series 'b' has period 2021 twice",
                    "4 problems in all; nothing was written."):
        assert problem in res.output, res.output
    assert not (tmp_path / "o.csv").exists()


def test_a_blank_value_is_a_located_problem_not_a_silent_gap(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\na,2019,1\na,2020,\na,2021,3\na,2022,4\n")
    with pytest.raises(BatchInputError, match=r"line 3: value '' is empty; expected a number \(— for a year without one\)"):
        run_batch(bad, horizon=2, output=tmp_path / "o.csv")


def test_a_gap_marked_with_a_dash_is_still_a_gap(tmp_path):
    data = write(tmp_path / "gap.csv", "series_id,period,value\na,2019,1\na,2020,—\na,2021,3\na,2022,4\n")
    assert run_batch(data, horizon=1, output=tmp_path / "o.csv") == 1


def test_problems_of_the_targets_file_come_with_those_of_the_data(long_csv, tmp_path):
    bad = write(tmp_path / "bad.csv", long_csv.read_text(encoding="utf-8") + "a,2024,\n")
    targets = write(tmp_path / "t.csv", "series_id,target,direction\na,abc,at_least\nb,40,sideways\n")
    with pytest.raises(BatchInputError) as refused:
        run_batch(bad, horizon=2, output=tmp_path / "o.csv", targets=targets)
    text = str(refused.value)
    assert "value '' is empty" in text and "target 'abc' is not a number" in text
    assert "direction 'sideways'" in text and "3 problems in all" in text


def test_p_reach_of_a_declining_positive_series_counts_no_negative_paths(tmp_path):
    rows = ["series_id,period,value"] + [f"d,{2016 + i},{v}" for i, v in enumerate([40, 33, 27, 20, 15, 9, 5])]
    data = write(tmp_path / "d.csv", "\n".join(rows) + "\n")
    targets = write(tmp_path / "t.csv", "series_id,target,direction\nd,0,at_least\n")
    out = tmp_path / "o.csv"
    run_batch(data, horizon=3, output=out, targets=targets)
    df = pd.read_csv(out)
    # a count cannot fall below zero: every simulated path ends at or above it
    assert df["p_reach"].iloc[-1] == 1.0
    assert (df["lo95"] >= 0).all()


def test_a_file_of_five_or_more_series_is_forecast_as_one_batch(tmp_path, monkeypatch):
    from helpers.forecast import annual_batch

    seen = []
    real = annual_batch.forecast_batch
    monkeypatch.setattr(annual_batch, "forecast_batch", lambda batch, h: seen.append(sorted(batch)) or real(batch, h))
    rows = ["series_id,period,value"] + [f"r{k},{y},{100 + k + 3 * (y - 2010) + (y % 3) * k}"
                                         for k in range(6) for y in range(2010, 2024)]
    data = write(tmp_path / "six.csv", "\n".join(rows) + "\n")
    assert run_batch(data, horizon=2, output=tmp_path / "o.csv") == 6
    assert seen == [[f"r{k}" for k in range(6)]]


# --- files as Excel and statistics exports write them (tests/fixtures/forecast/) ------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "forecast"


@pytest.mark.parametrize("name", ["excel-cn-windows-gbk.csv", "excel-csv-utf8-bom.csv", "first-sheet.xlsx"])
def test_csv_saved_by_excel_in_gbk_or_utf8_bom_or_an_xlsx_is_read_with_its_chinese_names(name, tmp_path):
    out = tmp_path / "o.csv"
    assert run_batch(FIXTURES / name, horizon=2, output=out) == 2
    df = pd.read_csv(out)
    assert df.groupby("series_id")["period"].apply(list).to_dict() == {"海门区": [2024, 2025], "启东市": [2024, 2025]}


def test_a_one_line_gbk_targets_file_names_its_series_correctly(tmp_path):
    out = tmp_path / "o.csv"
    run_batch(FIXTURES / "excel-cn-windows-gbk.csv", horizon=3, output=out, targets=FIXTURES / "targets-gbk.csv")
    df = pd.read_csv(out)
    assert df.loc[df.series_id == "海门区", "p_reach"].iloc[-1] > 0.5


def test_output_opens_in_excel_as_utf8(tmp_path):
    out = tmp_path / "o.csv"
    run_batch(FIXTURES / "excel-csv-utf8-bom.csv", horizon=1, output=out)
    assert out.read_bytes().startswith("\ufeffseries_id,".encode())


def test_years_written_2019年_thousands_separators_gap_marks_and_empty_rows_are_read(tmp_path):
    out = tmp_path / "o.csv"
    assert run_batch(FIXTURES / "years-as-text-thousands.csv", horizon=1, output=out) == 1
    df = pd.read_csv(out)
    assert df["period"].tolist() == [2024]
    assert 18000 < df["point"].iloc[0] < 20000  # 12,000 + 850 a year: 18,800 in 2023


def test_a_series_named_NA_is_a_series_not_a_missing_value(tmp_path):
    out = tmp_path / "o.csv"
    assert run_batch(FIXTURES / "series-named-NA.csv", horizon=1, output=out) == 2
    assert sorted(pd.read_csv(out, keep_default_na=False)["series_id"]) == ["CN", "NA"]


def test_a_row_without_series_id_is_located_not_dropped(tmp_path):
    with pytest.raises(BatchInputError, match=r"blank-series-id\.csv: line 14: series_id is empty"):
        run_batch(FIXTURES / "blank-series-id.csv", horizon=1, output=tmp_path / "o.csv")


def test_a_mistyped_year_is_located(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\na,2021,1\na,2022,2\na,20230,3\n")
    with pytest.raises(BatchInputError, match=r"line 4: period '20230' is not a year; expected a year such as 2023"):
        run_batch(bad, horizon=1, output=tmp_path / "o.csv")


def test_every_short_series_is_named_in_one_message(tmp_path):
    rows = ["series_id,period,value"] + [f"ok,{y},{y - 2000}" for y in range(2015, 2024)]
    rows += ["新区,2022,1", "新区,2023,2", "开发区,2023,5"]
    bad = write(tmp_path / "bad.csv", "\n".join(rows) + "\n")
    with pytest.raises(BatchInputError, match=r"2 series with fewer than 3 observed points.*'新区' \(2\), '开发区' \(1\)"):
        run_batch(bad, horizon=1, output=tmp_path / "o.csv")


def test_a_workbook_file_is_never_read_as_garbled_csv(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BatchInputError, match="broken.xlsx: not a readable Excel workbook"):
        run_batch(bad, horizon=1, output=tmp_path / "o.csv")


# --- targets --------------------------------------------------------------------------------------------------

def test_a_target_for_a_series_not_in_the_data_is_refused_by_name(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target\na,140\n南通,90\n")
    with pytest.raises(BatchInputError, match=r"t\.csv: series \['南通'\] not in the data"):
        run_batch(long_csv, horizon=3, output=tmp_path / "o.csv", targets=targets)


def test_a_second_target_for_one_series_is_located(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target\na,140\na,150\n")
    with pytest.raises(BatchInputError, match="line 3: series 'a' has a second target"):
        run_batch(long_csv, horizon=3, output=tmp_path / "o.csv", targets=targets)


def test_an_empty_target_is_located_not_scored_as_a_miss(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target\na,\n")
    with pytest.raises(BatchInputError, match="line 2: target '' is empty"):
        run_batch(long_csv, horizon=3, output=tmp_path / "o.csv", targets=targets)


def test_an_empty_direction_means_at_least(long_csv, tmp_path):
    outs = []
    for k, text in enumerate(["series_id,target,direction\na,150,\n", "series_id,target\na,150\n"]):
        outs.append(tmp_path / f"o{k}.csv")
        run_batch(long_csv, horizon=3, output=outs[-1], targets=write(tmp_path / f"t{k}.csv", text))
    assert outs[0].read_text(encoding="utf-8") == outs[1].read_text(encoding="utf-8")


def test_an_unknown_column_in_targets_is_refused_not_ignored(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target,year\na,140,2025\n")
    with pytest.raises(BatchInputError, match=r"unexpected column\(s\) \['year'\]"):
        run_batch(long_csv, horizon=3, output=tmp_path / "o.csv", targets=targets)


def test_a_target_period_gives_p_reach_for_that_year_on_its_row(long_csv, tmp_path):
    targets = write(tmp_path / "t.csv", "series_id,target,period\na,150,2025\n")
    out = tmp_path / "o.csv"
    run_batch(long_csv, horizon=3, output=out, targets=targets)
    a = pd.read_csv(out).query("series_id == 'a'").set_index("period")
    assert a["p_reach"].dropna().index.tolist() == [2025]
    assert 0.3 < a.loc[2025, "p_reach"] < 0.7  # the line is at 150 in 2025


@pytest.mark.parametrize("period", ["2020", "2023", "2027"])
def test_a_target_period_outside_the_forecast_is_refused(long_csv, tmp_path, period):
    targets = write(tmp_path / "t.csv", f"series_id,target,period\na,150,{period}\n")
    with pytest.raises(BatchInputError, match=rf"line 2: series 'a': target period {period} is outside the "
                                              r"forecast \(2024-2026: after its last observed year 2023"):
        run_batch(long_csv, horizon=3, output=tmp_path / "o.csv", targets=targets)


@pytest.mark.parametrize(("edge", "expected"), [("lo80", 0.9), ("hi80", 0.1), ("lo95", 0.975), ("hi95", 0.025)])
def test_p_reach_at_a_range_edge_is_that_edges_probability(tmp_path, edge, expected):
    rows = ["series_id,period,value"] + [f"s,{2008 + i},{v}" for i, v in
                                         enumerate([52, 55, 61, 58, 66, 70, 69, 77, 80, 79, 88, 93, 91, 99])]
    data = write(tmp_path / "d.csv", "\n".join(rows) + "\n")
    run_batch(data, horizon=3, output=tmp_path / "plain.csv")
    bound = pd.read_csv(tmp_path / "plain.csv")[edge].iloc[-1]
    out = tmp_path / "o.csv"
    run_batch(data, horizon=3, output=out, targets=write(tmp_path / "t.csv", f"series_id,target\ns,{bound}\n"))
    assert pd.read_csv(out)["p_reach"].iloc[-1] == pytest.approx(expected, abs=0.02)


# --- output ---------------------------------------------------------------------------------------------------

def test_output_is_replaced_in_one_rename_so_a_reader_of_the_old_file_sees_it_whole(long_csv, tmp_path):
    out = write(tmp_path / "o.csv", "earlier output\n")
    with out.open(encoding="utf-8") as reader:
        run_batch(long_csv, horizon=2, output=out)
        assert reader.read() == "earlier output\n"  # written in place, the open file would show the new text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert pd.read_csv(out)["period"].max() == 2025


def test_a_failed_run_leaves_an_earlier_output_as_it_was(long_csv, tmp_path):
    out = write(tmp_path / "o.csv", "earlier output\n")
    targets = write(tmp_path / "t.csv", "series_id,target\nzz,1\n")
    with pytest.raises(BatchInputError):
        run_batch(long_csv, horizon=2, output=out, targets=targets)
    assert out.read_text(encoding="utf-8") == "earlier output\n"


def test_an_output_that_is_a_folder_is_refused_clearly(long_csv, tmp_path):
    with pytest.raises(BatchInputError, match="is a folder; --output names the CSV file"):
        run_batch(long_csv, horizon=2, output=tmp_path)
