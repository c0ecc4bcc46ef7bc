"""``gaoqi forecast``: round trip through the CLI and clear messages for bad input."""

from __future__ import annotations

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
    assert a["p_reach"].iloc[0] > 0.5  # the line reaches 145 in 2026
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
    with pytest.raises(BatchInputError, match="series 'x'.*at least 3"):
        run_batch(bad, horizon=2, output=tmp_path / "o.csv")


def test_cli_prints_the_message_and_exits_2_without_traceback(tmp_path):
    bad = write(tmp_path / "bad.csv", "series_id,period,value\nx,2020,1\nx,2020,2\nx,2021,3\n")
    res = runner.invoke(app, ["forecast", "--input", str(bad), "--horizon", "2", "--output", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "period 2020 twice" in res.output
    assert "Traceback" not in res.output


def test_p_reach_of_a_declining_positive_series_counts_no_negative_paths(tmp_path):
    rows = ["series_id,period,value"] + [f"d,{2016 + i},{v}" for i, v in enumerate([40, 33, 27, 20, 15, 9, 5])]
    data = write(tmp_path / "d.csv", "\n".join(rows) + "\n")
    targets = write(tmp_path / "t.csv", "series_id,target,direction\nd,0,at_least\n")
    out = tmp_path / "o.csv"
    run_batch(data, horizon=3, output=out, targets=targets)
    df = pd.read_csv(out)
    # a count cannot fall below zero: every simulated path ends at or above it
    assert df["p_reach"].iloc[0] == 1.0
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
