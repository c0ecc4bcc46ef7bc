"""The spellings file: loaded and checked with located errors; a new spelling needs no code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import vocabulary
from helpers.clean import build
from helpers.paths import _is_plan
from helpers.validate import InputErrors
from helpers.vocabulary import VocabularyError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "raw" / "plan" / "vocabulary.yaml"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "vocabulary.yaml"
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_vocabulary_loads_and_is_not_taken_for_a_plan():
    vocab = vocabulary.load(SHIPPED)
    assert vocab.meaning(vocabulary.fold("规模以上工业总产值")).role == "indicator"
    assert vocab.units["亿元"] == ("money", 10_000.0)
    assert not _is_plan(SHIPPED)


def test_a_spelling_listed_twice_names_both_entries(tmp_path):
    path = _edited(tmp_path, "高新产业产值]", "高新产业产值, 工业总产值]")
    with pytest.raises(VocabularyError) as err:
        vocabulary.load(path)
    assert "indicators.hightech_output" in str(err.value) and "indicators.total_output" in str(err.value)
    assert "'工业总产值'" in str(err.value)


def test_a_unit_without_a_positive_factor_is_refused_with_its_entry(tmp_path):
    path = _edited(tmp_path, "亿元: {kind: money, factor: 10000}", "亿元: {kind: money, factor: 0}")
    with pytest.raises(VocabularyError, match=r"units\.亿元\.factor"):
        vocabulary.load(path)


def test_broken_yaml_is_refused_with_its_line(tmp_path):
    path = _edited(tmp_path, "fields:\n", "fields:\n  town: [区镇\n")
    with pytest.raises(VocabularyError, match=r"line \d+"):
        vocabulary.load(path)


def test_a_file_starting_with_plan_is_refused(tmp_path):
    path = tmp_path / "vocabulary.yaml"
    path.write_text("plan: {}\n" + SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(VocabularyError, match="'plan'"):
        vocabulary.load(path)


def test_adding_a_spelling_to_the_file_makes_a_renamed_header_readable(tmp_path):
    src = sorted((ROOT / "data" / "raw" / "sample").glob("SAMPLE_规上工业统计_20??.xlsx"))[-1]
    raw = tmp_path / "raw"
    (raw / "returns").mkdir(parents=True)
    wb = load_workbook(src)
    for ws in wb.worksheets:
        ws.cell(5, 2).value = "工业产值合计（万元）"
    wb.save(raw / "returns" / src.name)
    with pytest.raises(InputErrors, match="工业产值合计"):
        build(raw)
    (raw / "plan").mkdir()
    shutil.copy(_edited(tmp_path, "工业总产值]", "工业总产值, 工业产值合计]"), raw / "plan" / "vocabulary.yaml")
    data, _ = build(raw)
    assert set(data.industry["indicator"]) >= {"total_output"}
    assert set(data.industry.query("indicator == 'total_output'")["column"]) == {"工业产值合计（万元）"}
