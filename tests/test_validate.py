"""Faults are located and readable; pandera collects every failing cell in one pass."""

from __future__ import annotations

import pandas as pd

from helpers.validate import Fault, InputErrors, validate_cells


def _cell(**kw):
    base = {"source_file": "a.xlsx", "sheet": "1-6月", "row": 5, "column": "c", "value": "v", "unit": "",
            "town_ok": True, "number_ok": True, "date_ok": True, "present_ok": True, "task_ok": True,
            "nonneg": float("nan"), "percent": float("nan"), "count": float("nan")}
    return base | kw


def test_fault_message_names_file_sheet_row_column_value_expected_and_fix():
    text = str(Fault("x/a.xlsx", "1-6月", 7, "区镇", "火星镇", "a known town", "correct it"))
    for part in ("x/a.xlsx", "sheet '1-6月'", "row 7", "column '区镇'", "'火星镇'", "expected a known town",
                 "Fix: correct it"):
        assert part in text


def test_input_errors_has_one_line_per_fault_and_a_count_line():
    faults = [Fault("b.csv", None, None, None, "", "a table", "export again"),
              Fault("a.xlsx", "s", 3, "c", "x", "a number", "fix it")]
    lines = str(InputErrors(faults)).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("- a.xlsx")  # sorted by file
    assert lines[-1].startswith("2 problems")


def test_every_failing_cell_is_reported_in_one_pass():
    cells = pd.DataFrame([
        _cell(row=5, town_ok=False, value="火星镇"),
        _cell(row=6, number_ok=False, value="12a4"),
        _cell(row=7, date_ok=False, value="2024-02-30"),
        _cell(row=8, nonneg=-3.0, value="-3"),
        _cell(row=9, percent=130.5, value="130.5"),
        _cell(row=10, task_ok=False, value="不存在的指标"),
        _cell(row=11),
        _cell(row=12, count=579.5, value="579.5"),
    ])
    faults = validate_cells(cells)
    assert sorted(f.row for f in faults) == [5, 6, 7, 8, 9, 10, 12]
    by_row = {f.row: f for f in faults}
    assert "town" in by_row[5].expected and "number" in by_row[6].expected
    assert "date" in by_row[7].expected and "0 or more" in by_row[8].expected
    assert "between 0 and 100" in by_row[9].expected and by_row[9].value == "130.5"
    assert "whole number" in by_row[12].expected


def test_clean_cells_give_no_fault():
    assert validate_cells(pd.DataFrame([_cell(nonneg=0.0, percent=100.0, count=580.0)])) == []
