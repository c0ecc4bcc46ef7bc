"""The recognition funnel of the briefing (科技型中小企业入库 → 培育库 → 申报 → 认定) follows the task returns known
at the cut-off: the latest complete year and the current year to date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.briefing import pipeline


def _district(tasks: pd.DataFrame, series: str, end: str) -> float:
    t = tasks.loc[(tasks["town"] == "district") & (tasks["task_id"] == series)
                  & (pd.to_datetime(tasks["period_end"]) == pd.Timestamp(end))]
    return float(t.sort_values("revision")["value"].iloc[-1])


def test_the_funnel_shows_the_last_complete_year_and_the_year_to_date_from_the_returns(sample_processed):
    steps = pipeline.stages()
    assert [s["zh"] for s in steps] == ["科技型中小企业入库", "高企培育库入库", "高企申报", "高企认定"]
    f = pipeline.funnel(sample_processed.tasks, dt.date(2024, 9, 10), steps)
    full = f.loc[f["complete"]].sort_values("stage")
    ytd = f.loc[~f["complete"]].sort_values("stage")
    assert set(full["year"]) == {2023} and set(ytd["year"]) == {2024}
    assert list(full["value"]) == [_district(sample_processed.tasks, s["series"], "2023-12-31") for s in steps]
    assert list(ytd["value"]) == [_district(sample_processed.tasks, s["series"], "2024-06-30") for s in steps]
    # a funnel: each stage no larger than the one before, in the complete year
    assert list(full["value"]) == sorted(full["value"], reverse=True)


def test_the_funnel_shows_no_return_released_after_the_cut_off(sample_processed):
    steps = pipeline.stages()
    # the 2024 half-year return is released on 15 July: a cut-off the day before sees 2023 only
    f = pipeline.funnel(sample_processed.tasks, dt.date(2024, 7, 14), steps)
    assert set(f["year"]) == {2023} and f["complete"].all()
