"""The reader's rooms: forms come from a registry, and the input grammar from the vocabulary file."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import helpers
from helpers import vocabulary
from helpers.ingest import FormRegistry, locate_table, parse_sheets, parse_table, read_file
from helpers.ingest.form_industry import parse_industry
from helpers.ingest.form_industry import recognises as is_industry
from helpers.vocabulary import GRAMMAR, VocabularyError

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "intake" / "valid"
GRAMMAR_DIR = FIXTURES / "intake" / "grammar"
SHIPPED = Path(__file__).parents[1] / "data" / "raw" / "plan" / "vocabulary.yaml"
PACKAGE = Path(helpers.__file__).parent / "ingest"


def _industry_sheet():
    sheets, faults = read_file(VALID / "统计_2024.xlsx", "统计_2024.xlsx")
    assert faults == []
    return sheets[0]


# --- the registry of forms ---------------------------------------------------------------------------------------

def test_a_table_handed_to_an_unknown_form_is_refused_with_a_fault_at_its_header():
    sheet = _industry_sheet()
    table = locate_table(sheet, vocabulary.load(SHIPPED))

    out = parse_table(sheet, table, "grants")

    assert [(f.file, f.sheet, f.row, f.value, f.wording) for f in out.faults] == [
        ("统计_2024.xlsx", "1-2月（累计）", 4, "grants", "intake.form.unknown")]
    assert "one of the registered forms: applications / register / industry / tasks_town / tasks_district" in \
        out.faults[0].text("en")


def test_a_form_registered_twice_is_refused():
    registry = FormRegistry()
    registry.register("industry", is_industry, parse_industry)
    with pytest.raises(ValueError, match="'industry' is already registered"):
        registry.register("industry", is_industry, parse_industry)


def test_a_sheet_no_registered_form_recognises_is_a_located_fault_not_a_silent_skip():
    sheets, _ = read_file(VALID / "高企证书登记.xlsx", "高企证书登记.xlsx")
    only_statistics = FormRegistry()
    only_statistics.register("industry", is_industry, parse_industry)

    out, skipped = parse_sheets(sheets, vocabulary.load(SHIPPED), only_statistics)

    assert skipped == ["高企证书登记.xlsx:证书登记"]
    assert [(f.file, f.wording) for f in out.faults] == [("高企证书登记.xlsx", "intake.sheet.unknown")]
    assert out.certificates == []


def test_forms_are_recognised_in_the_order_they_were_registered():
    sheet = _industry_sheet()
    table = locate_table(sheet, vocabulary.load(SHIPPED))
    registry = FormRegistry()
    registry.register("first", lambda keys, vocab: True, parse_industry)
    registry.register("industry", is_industry, parse_industry)
    assert registry.recognise(table) == "first"


# --- the input grammar comes from the vocabulary file ------------------------------------------------------------

def test_a_vocabulary_without_a_grammar_section_reads_with_the_defaults():
    assert vocabulary.load(FIXTURES / "plans" / "dongbin" / "plan" / "vocabulary.yaml").grammar == GRAMMAR


def test_the_shipped_vocabulary_spells_out_the_default_grammar():
    assert vocabulary.load(SHIPPED).grammar == GRAMMAR


def test_a_vocabulary_with_its_own_missing_mark_reads_that_cell_as_not_published():
    sheets, _ = read_file(GRAMMAR_DIR / "统计_2024_未报.xlsx", "统计_2024_未报.xlsx")

    out, _ = parse_sheets(sheets, vocabulary.load(GRAMMAR_DIR / "vocabulary.yaml"))

    cell = next(c for c in out.cells if c["value"] == "未报")
    assert (cell["row"], cell["number_ok"]) == (6, True)
    assert [(n["check"], n["row"], n["value"]) for n in out.notes] == [("missing_value", 6, "未报")]


def test_a_mark_the_vocabulary_does_not_list_is_a_bad_figure():
    sheets, _ = read_file(GRAMMAR_DIR / "统计_2024_未报.xlsx", "统计_2024_未报.xlsx")

    out, _ = parse_sheets(sheets, vocabulary.load(SHIPPED))

    cell = next(c for c in out.cells if c["value"] == "未报")
    assert (cell["row"], cell["number_ok"]) == (6, False)
    assert out.notes == []


def test_a_vocabulary_with_its_own_footnote_mark_ends_the_table_at_that_line():
    sheets, _ = read_file(GRAMMAR_DIR / "统计_2024_附注.xlsx", "统计_2024_附注.xlsx")

    table = locate_table(sheets[0], vocabulary.load(GRAMMAR_DIR / "vocabulary.yaml"))
    default = locate_table(sheets[0], vocabulary.load(SHIPPED))

    assert [rno for rno, _ in table.rows] == [5, 6]
    assert [rno for rno, _ in default.rows] == [5, 6, 8]  # read as a row of a town called 附注：…


def test_a_vocabulary_with_its_own_release_label_reads_the_release_date_under_it():
    sheets, _ = read_file(GRAMMAR_DIR / "统计_2024_公布日期.xlsx", "统计_2024_公布日期.xlsx")

    out, _ = parse_sheets(sheets, vocabulary.load(GRAMMAR_DIR / "vocabulary.yaml"))

    assert out.faults == []
    assert {r["released"] for r in out.industry} == {dt.date(2024, 3, 21)}


def test_a_release_label_the_vocabulary_does_not_list_leaves_the_release_date_missing():
    sheets, _ = read_file(GRAMMAR_DIR / "统计_2024_公布日期.xlsx", "统计_2024_公布日期.xlsx")

    out, _ = parse_sheets(sheets, vocabulary.load(SHIPPED))

    assert [(f.row, f.column, f.wording) for f in out.faults] == [(None, "发布日期", "intake.release.missing")]


def test_a_vocabulary_spells_application_kinds_under_the_contract_codes(tmp_path):
    path = tmp_path / "vocabulary.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace("first: [首次申报,", "first: [新申报, 首次申报,"),
                    encoding="utf-8")
    kinds = vocabulary.load(path).grammar.application_kinds
    assert (kinds["新申报"], kinds["首次申报"], kinds["复审"]) == ("first", "first", "renewal")


def test_a_grammar_key_the_reader_does_not_know_is_refused_naming_the_entry(tmp_path):
    path = tmp_path / "vocabulary.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace("  missing_marks:", "  missing_mark:"),
                    encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"entry 'grammar\.missing_mark'.*one of the keys missing_marks"):
        vocabulary.load(path)


# --- the package's rooms -----------------------------------------------------------------------------------------

def _imports(path: Path) -> set[str]:
    """Every module of helpers.ingest a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("helpers.ingest"):
            found |= {node.module} if node.module != "helpers.ingest" else {f"helpers.ingest.{a.name}"
                                                                            for a in node.names}
            if node.module == "helpers.ingest":
                found.add("helpers.ingest")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("helpers.ingest")}
    return found


def test_no_module_of_the_reader_imports_its_package_face():
    offenders = {p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py" and "helpers.ingest" in _imports(p)}
    assert offenders == set()


def test_the_modules_of_the_reader_import_each_other_without_a_loop():
    graph = {f"helpers.ingest.{p.stem}": _imports(p) for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    assert [m for m in graph if reaches(m, m, set())] == []


def test_no_module_of_the_reader_is_over_500_lines():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 500} == {}
