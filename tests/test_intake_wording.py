"""Intake's sentences live in the wording catalogue: no fault is written as an English literal in code, and every
kind of fault a return can meet is told in Chinese as well as in English."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.clean import build
from helpers.ingest import Sheet, parse_sheets
from helpers.validate import CHECKS, Fault, InputErrors, validate_cells
from helpers.wording import say

SRC = Path(helpers.__file__).parent
INTAKE_MODULES = (*sorted(f"ingest/{p.name}" for p in (SRC / "ingest").glob("*.py")), "vocabulary.py", "validate.py",
                  "clean.py", "preview.py", "public.py")
FAULTY = Path(__file__).parent / "fixtures" / "intake" / "faulty"
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- no sentence literal in the code that makes faults ----------------------------------------------------------

def _is_sentence(text: str) -> bool:
    """More than two English words, or a Chinese phrase longer than a column label such as 发布日期 or 统计期."""
    words = [w for w in text.split() if re.search(r"[A-Za-z]", w)]
    return len(words) > 2 or len(CJK.findall(text)) > 6


def _strings(node: ast.AST) -> list[ast.Constant]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def sentence_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every sentence literal where intake writes its faults and errors.

    Looked at: the arguments of every call that makes a fault — ``Fault(...)``, ``Fault.worded(...)`` and every
    function whose return annotation names ``Fault`` (``_sheet_fault``, ``_period_fault``, ``_faults`` …, found by
    reading the code, so a new helper is covered too) —, the bodies of those functions, the methods of error
    classes (``…Error``/``…Errors``/``…Refused``: their count lines), and module-level constants (a table of
    messages). Docstrings are not messages.
    """
    tree = ast.parse(source)
    makers = {"Fault", "worded"}
    looked: list[ast.AST] = []

    def body(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.stmt]:
        return node.body[1:] if ast.get_docstring(node, clean=False) is not None else node.body

    for node in ast.walk(tree):
        returns = getattr(node, "returns", None)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and returns and "Fault" in ast.unparse(returns):
            makers.add(node.name)
            looked.extend(body(node))
        if isinstance(node, ast.ClassDef) and any(
                re.search(r"(Error|Errors|Refused)$", ast.unparse(b)) for b in node.bases):
            looked.extend(s for m in body(node) if isinstance(m, ast.FunctionDef) for s in body(m))
    looked.extend(n for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)
                  and not (n.value and ast.unparse(n.value).startswith("re.compile(")))  # patterns, not messages
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in makers:
                looked.extend([*node.args, *(k.value for k in node.keywords)])
    return sorted({(c.lineno, c.value) for node in looked for c in _strings(node) if _is_sentence(c.value)})


def test_the_sentence_detector_catches_faults_written_the_old_way():
    old_way = '''
def _period_fault(table, status) -> Fault:
    """A docstring is not a message."""
    expected = "a period such as 2024年1-6月 in the title rows or the sheet name"
    return Fault(table.file, table.sheet, None, "统计期", "", expected, "add the period")

def _sheet_fault(table, column, value, expected, fix) -> Fault:
    return Fault(table.file, table.sheet, None, column, value, expected, fix)

def parse(out, end):
    out.faults.append(_sheet_fault(table, "报送日期", "", f"a submission date after the period end {end}", "fix"))
    out.faults.append(Fault("f", None, None, None, "", "标题行中的报送日期与统计期", "x"))
    out.faults.append(Fault.worded("f", None, None, "区镇", "", "intake.town.missing", spellings="区镇 / 镇"))
'''
    assert [text for _, text in sentence_literals(old_way)] == [
        "a period such as 2024年1-6月 in the title rows or the sheet name",
        "add the period",
        "a submission date after the period end ",
        "标题行中的报送日期与统计期",
    ]


@pytest.mark.parametrize("module", INTAKE_MODULES)
def test_no_fault_of_intake_is_written_as_a_sentence_literal(module):
    found = sentence_literals((SRC / module).read_text(encoding="utf-8"))
    assert found == [], f"{module}: move these sentences to src/helpers/wording/intake.yaml: {found}"


# --- every kind of fault is told in Chinese too ------------------------------------------------------------------

def _sheet(title: list[str], header: list[str], rows: list[list[object]], name: str = "s") -> Sheet:
    lines = [[t] for t in title] + [header] + rows
    return Sheet("t.xlsx", name, [(i, tuple(r)) for i, r in enumerate(lines, start=1)])


IND = ["区镇", "规上工业总产值（万元）", "高新技术产业产值（万元）"]
TASK_TITLE = "区镇任务进度（测试）"

#: one return per kind of sheet fault the readers write, and the wording key it must carry
SHEETS = {
    "intake.period.january": _sheet(["2024年1月", "发布日期：2024-02-20"], IND, [["开发区", 1.0, 2.0]]),
    "intake.period.not_ytd": _sheet(["2024年3-6月", "发布日期：2024-07-20"], IND, [["开发区", 1.0, 2.0]]),
    "intake.period.missing": _sheet(["规上工业", "发布日期：2024-07-20"], IND, [["开发区", 1.0, 2.0]]),
    "intake.release.missing": _sheet(["2024年1-6月"], IND, [["开发区", 1.0, 2.0]]),
    "intake.release.early": _sheet(["2024年1-6月", "发布日期：2024-06-20"], IND, [["开发区", 1.0, 2.0]]),
    "intake.town.missing": _sheet(["2024年1-6月", "发布日期：2024-07-20"], IND[1:], [[1.0, 2.0]]),
    "intake.register.missing": _sheet(["证书登记"], ["企业名称", "统一社会信用代码"], [["甲公司", "9132"]]),
    "intake.submission.missing": _sheet([TASK_TITLE, "截至2024年6月30日"], ["区镇", "新招引科创项目（个）"],
                                        [["开发区", 3]]),
    "intake.submission.early": _sheet([TASK_TITLE, "截至2024年6月30日 报送日期：2024-06-15"],
                                      ["区镇", "新招引科创项目（个）"], [["开发区", 3]]),
    "intake.half_year.missing": _sheet([TASK_TITLE, "报送日期：2024-07-15"], ["区镇", "新招引科创项目（个）"],
                                       [["开发区", 3]]),
    "intake.unit.money": _sheet(["2024年1-6月", "发布日期：2024-07-20"], ["区镇", "规上工业总产值（家）",
                                                                     "高新技术产业产值（万元）"], [["开发区", 1.0, 2.0]]),
    "intake.column.unknown": _sheet(["2024年1-6月", "发布日期：2024-07-20"], [*IND, "不知道的列"],
                                    [["开发区", 1.0, 2.0, 3.0]]),
    "intake.column.blank": _sheet(["2024年1-6月", "发布日期：2024-07-20"], [*IND, ""], [["开发区", 1.0, 2.0, 3.0]]),
    "intake.sheet.unknown": _sheet(["说明"], ["甲", "乙"], [["x", 5.0]]),
    "intake.district.unit": _sheet([TASK_TITLE, "截至2024年6月30日 报送日期：2024-07-15"], ["指标", "单位", "完成值"],
                                   [["科技金融贷款余额", "亿", 7.9]]),
}


def _faults_of_files(tmp_path: Path, *names: str) -> list[Fault]:
    raw = tmp_path / "raw" / "returns"
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(FAULTY / name, raw / name)
    with pytest.raises(InputErrors) as caught:
        build(raw.parent)
    return caught.value.faults


def _told_in_both(fault: Fault) -> None:
    zh, en = fault.told("zh"), fault.told("en")
    assert fault.wording and en == (fault.expected, fault.fix)
    for zh_part, en_part in zip(zh, en, strict=True):
        assert zh_part != en_part and CJK.search(zh_part.replace(fault.value, ""))
    assert "应为" in fault.text("zh") and "expected" in str(fault)


@pytest.mark.parametrize("key", sorted(SHEETS))
def test_each_kind_of_sheet_fault_is_told_in_chinese_as_well_as_english(key):
    parsed, _ = parse_sheets([SHEETS[key]])
    fault = next(f for f in parsed.faults if f.wording == key)
    _told_in_both(fault)


def test_each_failing_cell_check_is_told_in_chinese_as_well_as_english():
    base = {"source_file": "a.xlsx", "sheet": "1-6月", "row": 5, "column": "c", "value": "v", "unit": "",
            "town_ok": True, "number_ok": True, "date_ok": True, "present_ok": True, "task_ok": True,
            "nonneg": float("nan"), "percent": float("nan"), "count": float("nan")}
    cells = pd.DataFrame([base | {"row": 5, "town_ok": False}, base | {"row": 6, "number_ok": False},
                          base | {"row": 7, "number_ok": False, "unit": "万元"}, base | {"row": 8, "date_ok": False},
                          base | {"row": 9, "present_ok": False}, base | {"row": 10, "task_ok": False},
                          base | {"row": 11, "nonneg": -3.0}, base | {"row": 12, "percent": 130.5},
                          base | {"row": 13, "count": 579.5}])
    faults = validate_cells(cells)
    assert {f.wording.split(".")[2] for f in faults} == {*CHECKS, "parsable_number_in_unit"}
    for fault in faults:
        _told_in_both(fault)


def test_file_faults_of_real_returns_are_told_in_chinese_as_well_as_english(tmp_path):
    (tmp_path / "raw" / "returns").mkdir(parents=True)
    (tmp_path / "raw" / "returns" / "no_table.csv").write_text("甲,乙\nx,y\n", encoding="utf-8")
    faults = _faults_of_files(tmp_path, "empty.csv", "unreadable.xlsx", "missing_column.xlsx", "january_only.xlsx")
    assert {f.wording for f in faults} >= {"intake.file.no_table", "intake.file.empty",
                                           "intake.file.damaged_workbook", "intake.register.missing",
                                           "intake.period.january"}
    for fault in faults:
        _told_in_both(fault)


@pytest.mark.parametrize("key", ["intake.errors.summary", "intake.inspect.refused"])
def test_the_count_line_reads_right_for_one_and_for_many_in_both_languages(key):
    assert say(f"{key}.one", "en", n=1).startswith("1 problem") and "问题" in say(f"{key}.one", "zh", n=1)
    assert say(f"{key}.many", "en", n=3).startswith("3 problems") and "3 个问题" in say(f"{key}.many", "zh", n=3)
    lines = str(InputErrors([Fault("a.csv", None, None, None, "", "x", "y")])).splitlines()
    assert lines[-1] == say("intake.errors.summary.one", "en", n=1)
