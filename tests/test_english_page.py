"""The English briefing is English throughout: who is responsible, the published figures' regions, the
appendix's town statuses and the pace sentences say what they mean in the reader's language, from the data."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from helpers.briefing import Briefing, sections
from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.labels import label, print_alike, quantity_apart
from helpers.targets import PlanError, load_plan
from helpers.vintage import as_of

ROOT = Path(__file__).resolve().parents[1]
XILAN_PLAN = ROOT / "tests" / "fixtures" / "plans" / "xilan" / "plan" / "xilan-2025-2027.yaml"
CJK = re.compile(r"[\u3400-\u9fff]")
REGISTER_VALID_STOCK = "register_valid_stock"


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def final_review(plan, sample_processed) -> Briefing:
    """The 2025-03 final review in English: every missed target is a risk, most with responsible units."""
    m = meeting(plan, "2025-03")
    data = as_of(sample_processed, m.cut_off)
    return Briefing(plan=plan, meeting=m, lang="en", data=data, attainments=attain_all(data, plan, m, n_sims=300))


@pytest.fixture(scope="module")
def september(plan, sample_processed) -> Briefing:
    m = meeting(plan, "2024-09")
    data = as_of(sample_processed, m.cut_off)
    return Briefing(plan=plan, meeting=m, lang="en", data=data, attainments=attain_all(data, plan, m, n_sims=300))


# ------------------------------------------------------------------------------- responsible units (plan data)

def test_the_shipped_plan_names_every_responsible_unit_in_english(plan):
    assigned = [t for t in plan.scored if t.responsible]
    assert assigned and all(t.responsible_en and not CJK.search(t.responsible_en) for t in assigned)
    assert all(t.responsible_in("zh") == t.responsible for t in assigned)


def test_english_task_table_names_the_responsible_units_in_english(september):
    table = sections.task_table(september)
    column = table.header.index(label("col.responsible", "en"))
    cells = [row[column] for row in table.rows]
    assert "District Science and Technology Bureau; every zone and town" in cells
    assert not [cell for cell in cells if CJK.search(cell)]


def test_english_risks_name_the_responsible_units_in_english(final_review):
    lines = sections.risks(final_review)
    said = [line for line in lines if "(responsible: " in line]
    assert said, lines
    assert not [line for line in said if CJK.search(line.split("(responsible: ")[-1])]


def test_a_plan_without_english_units_shows_its_chinese_units_on_english_pages():
    xilan = load_plan(XILAN_PLAN)
    translated = next(t for t in xilan.scored if t.responsible_en)
    untranslated = [t for t in xilan.scored if t.responsible and not t.responsible_en]
    assert translated.responsible_in("en") == "District Science and Technology Bureau"
    assert untranslated and all(t.responsible_in("en") == t.responsible for t in untranslated)


def test_english_units_without_the_plans_chinese_units_are_refused(tmp_path):
    text = XILAN_PLAN.read_text(encoding="utf-8").replace("    responsible: 区科技局\n", "", 1)
    assert "responsible_en: District Science and Technology Bureau" in text
    copy = tmp_path / "plan" / XILAN_PLAN.name
    copy.parent.mkdir()
    copy.write_text(text, encoding="utf-8")
    for f in XILAN_PLAN.parent.glob("region-*.yaml"):
        (copy.parent / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PlanError, match="field 'responsible_en' .* but 'responsible' is missing"):
        load_plan(copy)


# ----------------------------------------------------------------------------- appendix: towns without quota

def test_appendix_town_sheet_of_valid_firms_says_no_quota_not_no_data(september, tmp_path):
    _, xlsx = september.write_outputs(tmp_path)
    book = openpyxl.load_workbook(xlsx, read_only=True)
    no = next(i for i, a in enumerate(september.attainments, start=1) if a.measure == REGISTER_VALID_STOCK)
    sheet = book[next(name for name in book.sheetnames if name.startswith(f"{no:02d} "))]
    rows = list(sheet.iter_rows(values_only=True))
    status = rows[0].index(label("col.status", "en"))
    latest = rows[0].index(label("col.latest", "en"))
    assert {r[status] for r in rows[1:]} == {"no town quota"}
    assert all(isinstance(r[latest], (int, float)) for r in rows[1:])  # the towns' figures are there
    assert label("status.no_quota", "zh") == "未分配任务数"


# ------------------------------------------------------------------------------------------ pace in words

def test_an_expected_count_that_would_print_like_the_count_done_gets_the_decimal_that_tells_them_apart():
    assert quantity_apart(1.17, 1.0, "items", "en") == "1.2 items"
    assert quantity_apart(1.17, 1.0, "items", "zh") == "1.2个"
    assert quantity_apart(1.04, 1.0, "items", "zh") == "1.04个"
    assert quantity_apart(2.6, 1.0, "items", "zh") == "3个"  # apart already: printed as usual
    assert print_alike(1.0, 1.0004, "items") and not print_alike(1.0, 1.17, "items")


def test_a_behind_pace_sentence_never_shows_the_expected_count_equal_to_the_count_done(september):
    behind = re.compile(r"已完成(?P<done>[\d.,]+)\D*，低于序时进度（[^）]*此时一般已完成全年的[\d.]+%，约(?P<expect>[\d.,]+)")
    found = [m for a in september.attainments if (m := behind.search(a.what_it_takes("zh")))]
    assert found  # the sample's 2024-09 meeting has targets behind their pace
    assert not [m.group(0) for m in found if float(m["done"]) >= float(m["expect"])]
