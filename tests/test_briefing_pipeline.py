"""The recognition funnel of the briefing (科技型中小企业入库 → 培育库 → 申报 → 认定) follows the task returns known
at the cut-off: the latest complete year and the current year to date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.briefing import pipeline


def _district(tasks: pd.DataFrame, series: str, end: str) -> float:
    t = tasks.loc[(tasks["town"] == "district") & (tasks["task_id"] == series)
                  & (pd.to_datetime(tasks["period_end"]) == pd.Timestamp(end))]
    return float(t.sort_values("revision")["value"].iloc[-1])


def _towns_sum(tasks: pd.DataFrame, series: str, end: str) -> float:
    t = tasks.loc[(tasks["town"] != "district") & (tasks["task_id"] == series)
                  & (pd.to_datetime(tasks["period_end"]) == pd.Timestamp(end))]
    t = t.sort_values("revision").groupby("town").tail(1)
    assert t["town"].nunique() == 11
    return float(t["value"].sum())


def test_the_funnel_shows_the_last_complete_year_and_the_year_to_date_from_the_returns(sample_processed):
    steps = pipeline.stages()
    assert [s["zh"] for s in steps] == ["泛科技型企业", "科技型中小企业入库", "高企培育库入库", "高企申报", "高企认定"]
    f = pipeline.funnel(sample_processed.tasks, dt.date(2024, 9, 10), steps)
    full = f.loc[f["complete"]].sort_values("stage")
    ytd = f.loc[~f["complete"]].sort_values("stage")
    assert set(full["year"]) == {2023} and set(ytd["year"]) == {2024}
    assert list(full["value"])[1:] == [_district(sample_processed.tasks, s["series"], "2023-12-31") for s in steps[1:]]
    assert list(ytd["value"])[1:] == [_district(sample_processed.tasks, s["series"], "2024-06-30") for s in steps[1:]]
    # 泛科技型企业 is not a district row: the first stage is the towns' figures summed
    assert full["value"].iloc[0] == _towns_sum(sample_processed.tasks, "pan_tech_firms", "2023-12-31")
    assert ytd["value"].iloc[0] == _towns_sum(sample_processed.tasks, "pan_tech_firms", "2024-06-30")
    # a funnel: each stage no larger than the one before, in the complete year
    assert list(full["value"]) == sorted(full["value"], reverse=True)


def test_the_funnel_shows_no_return_released_after_the_cut_off(sample_processed):
    steps = pipeline.stages()
    # the 2024 half-year return is released on 15 July: a cut-off the day before sees 2023 only
    f = pipeline.funnel(sample_processed.tasks, dt.date(2024, 7, 14), steps)
    assert set(f["year"]) == {2023} and f["complete"].all()


def test_a_funnel_stage_naming_an_unknown_series_is_refused_naming_the_stage(tmp_path):
    from helpers.briefing.pipeline import stages
    from helpers.errors import InputError

    path = tmp_path / "pipeline.yaml"
    path.write_text("pipeline:\n  - {series: tech_sme, zh: 入库, en: Registered}\n"
                    "  - {series: no_such_row, zh: 申报, en: Applications}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"stage #2: series 'no_such_row' is not a row of the district task sheet"):
        stages(path)


def test_broken_yaml_in_the_funnel_file_is_refused_with_its_line(tmp_path):
    from helpers.briefing.pipeline import stages
    from helpers.errors import InputError

    path = tmp_path / "pipeline.yaml"
    path.write_text("pipeline:\n  - {series: tech_sme, zh: 入库\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pipeline\.yaml line \d+: not valid YAML"):
        stages(path)


def test_a_render_with_a_malformed_funnel_file_exits_2_before_any_work(project_copy):
    from typer.testing import CliRunner

    from helpers.cli import app

    (project_copy / "data" / "raw" / "plan" / "pipeline.yaml").write_text("pipeline: 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["render", "--meeting", "2024-09"])
    assert result.exit_code == 2, result.output
    assert "pipeline.yaml: 'pipeline' must be a list" in result.output
    assert list((project_copy / "reports").iterdir()) == []
    assert list((project_copy / "data" / "processed").iterdir()) == []
