"""`gaoqi clean`: good returns are published with their history; any structural fault exits 2, changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from helpers.clean import clean
from helpers.cli import app
from helpers.processed import ProcessedData, load
from helpers.register import valid_firms
from helpers.sample import write_sample
from helpers.validate import InputErrors
from helpers.vintage import as_of

FIXTURES = Path(__file__).parent / "fixtures" / "intake"
runner = CliRunner()


def _raw(tmp_path: Path, *extra: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "valid", raw / "returns")
    for f in extra:
        shutil.copy(f, raw / "returns" / f.name)
    return raw


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A processed folder already built from the valid fixtures."""
    processed = tmp_path / "processed"
    clean(_raw(tmp_path / "first"), processed)
    return processed


FAULTS = {
    # file: (sheet, row, column, value, words of the expectation)
    "unreadable.xlsx": (None, None, None, "ZipError", "Excel workbook"),
    "empty.csv": (None, None, None, "", "0 bytes"),
    "missing_column.xlsx": ("证书登记", 4, "证书编号", "", "a column 证书编号"),
    "bad_number.xlsx": ("1-6月（累计）", 5, "规上工业总产值（万元）", "12a4", "a number in 万元"),
    "percent_in_amount.xlsx": ("1-6月（累计）", 5, "规上工业总产值（万元）", "58.3%", "a number in 万元"),
    "unknown_town.xlsx": ("1-6月（累计）", 5, "区镇", "火星镇", "a town of the plan"),
    "impossible_date.xlsx": ("证书登记", 5, "公示日期", "2024-02-30", "a real date"),
    "negative_count_2024H1.xlsx": ("分区镇", 5, "新招引科创项目（个）", "-3", "0 or more"),
    "share_out_of_range.xlsx": ("1-6月（累计）", 5, "高新技术产业产值占比（%）", "130.5", "between 0 and 100"),
    "january_only.xlsx": ("1月", None, "统计期", "2024年1月", "1-2月"),
    "unknown_unit_2024H1.xlsx": ("全区指标", 6, "单位", "亿", "the unit of 科技金融贷款余额 (value 7.9)"),
    "blank_unit_2024H1.xlsx": ("全区指标", 6, "单位", "", "the unit of 科技金融贷款余额 (value 7.9)"),
    "blank_town_2024H1.xlsx": ("分区镇", 6, "区镇", "", "a town of the plan"),
    "unknown_task_label_2024H1.xlsx": ("全区指标", 5, "指标", "科技型中小企业评价入库数", "a task row label"),
    "percent_format_in_amount.xlsx": ("1-6月（累计）", 5, "规上工业总产值（万元）", "58.3%",
                                      "formatted as a percentage in Excel (stored value 0.583)"),
    "fractional_count_2024H1.xlsx": ("分区镇", 5, "泛科技型企业（家）", "579.5", "a whole number"),
}


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_structural_fault_exits_2_with_a_located_message_and_changes_nothing(tmp_path, published, name):
    sheet, row, column, value, expected = FAULTS[name]
    raw = _raw(tmp_path, FIXTURES / "faulty" / name)
    before = _snapshot(published)
    result = runner.invoke(app, ["clean", "--lang", "en", "--raw-dir", str(raw), "--processed-dir", str(published)])
    assert result.exit_code == 2
    message = result.output
    assert "Traceback" not in message
    line = next(ln for ln in message.splitlines() if name in ln)
    assert f"returns/{name}" in line
    if sheet:
        assert f"sheet '{sheet}'" in line
    if row:
        assert f"row {row}," in line
    if column:
        assert f"column '{column}'" in line
    assert f"found {value!r}" in line and expected in line and "Fix:" in line
    assert "1 problem in the raw returns" in message
    assert _snapshot(published) == before


def test_an_unknown_town_says_to_add_the_spelling_to_the_region_file(tmp_path):
    raw = _raw(tmp_path, FIXTURES / "faulty" / "unknown_town.xlsx")
    result = runner.invoke(app, ["clean", "--lang", "en", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "out")])
    line = next(ln for ln in result.output.splitlines() if "unknown_town.xlsx" in ln)
    assert "add this spelling to its unit's aliases in the region file region-haimen.yaml" in line
    assert "towns.py" not in line


def test_all_faults_are_reported_together(tmp_path):
    raw = _raw(tmp_path, *sorted((FIXTURES / "faulty").iterdir()))
    with pytest.raises(InputErrors) as err:
        clean(raw, tmp_path / "processed")
    assert len(err.value.faults) == len(FAULTS)
    assert not (tmp_path / "processed").exists()


def test_valid_returns_are_published_as_contract_tables(tmp_path, published):
    data = load(published)
    assert set(data.industry["town"]) == {"kfq", "ljxq", "scgy"}  # the 合计 row is a check, not a town
    assert data.industry["released"].dtype == "datetime64[ns]"
    assert set(data.industry["month"]) == {2, 3, 12}
    assert data.manifest["synthetic"] is False
    assert {f["path"] for f in data.manifest["raw_files"]} == {
        f"returns/{p.name}" for p in (FIXTURES / "valid").iterdir()}


def test_script_in_a_firm_name_survives_as_plain_text(published):
    names = set(load(published).certificates["firm_name"])
    assert '<script>alert("x")</script>科技有限公司' in names
    assert "南通瑞华机械有限公司" in names  # trailing space trimmed, nothing else touched


def test_a_revision_keeps_history_and_the_latest_figure_is_marked(tmp_path):
    raw = _raw(tmp_path, FIXTURES / "revision" / "统计_2024-03_修订.xlsx")
    clean(raw, tmp_path / "processed")
    data = load(tmp_path / "processed")
    hist = data.industry.query("town == 'kfq' and indicator == 'total_output' and year == 2024 and month == 3")
    assert hist[["value", "revision"]].values.tolist() == [[185000.0, 0], [187000.0, 1]]
    assert list(hist["released"].dt.strftime("%Y-%m-%d")) == ["2024-04-21", "2024-05-10"]
    # an unchanged re-release (高新技术产业产值 of 开发区, 92,500) is not a revision
    assert len(data.industry.query("town == 'kfq' and indicator == 'hightech_output' and month == 3")) == 1
    rev = data.quality.query("check == 'revision'")
    assert len(rev) == 1 and "185,000.0" in rev["message"].iloc[0]  # 临江新区 re-released unchanged


def test_credit_code_typo_is_a_soft_finding_and_keys_the_firm_by_name(published):
    data = load(published)
    bad = data.certificates[~data.certificates["credit_code_ok"]]
    assert list(bad["firm_id"]) == ["江苏博汇(南通)新材料有限公司"]
    assert list(data.quality.query("check == 'credit_code_check'")["row"]) == [7]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("sample") / "raw"
    write_sample(raw / "sample")
    processed = raw.parent / "processed"
    return clean(raw, processed), processed


def test_sample_cleans_with_a_one_screen_summary(sample_run):
    """The summary fits one screen; how long cleaning takes is measured in bench/clean.py, not here."""
    report, processed = sample_run
    lines = report.summary_lines()
    assert len(lines) <= 15
    assert "SYNTHETIC" in lines[0]
    assert json.loads((processed / "manifest.json").read_text(encoding="utf-8"))["synthetic"] is True


def test_sample_soft_findings_are_in_the_quality_table(sample_run):
    _, processed = sample_run
    checks = load(processed).quality["check"].value_counts()
    for check in ("duplicate_row", "revision", "credit_code_check", "register_vs_reported", "text_in_number",
                  "missing_value"):
        assert checks.get(check, 0) >= 1, check


def test_sample_tasks_cover_every_task_target_of_the_plan(sample_run):
    from helpers.targets import load_plan

    _, processed = sample_run
    tasks = load(processed).tasks
    ids = set(tasks["task_id"])
    for t in load_plan().scored:  # every series a target reads
        assert set(t.series) <= ids, (t.id, t.series)
    per_town = tasks.query("task_id == 'projects' and town != 'district'")
    assert per_town["town"].nunique() == 11


def test_clean_on_a_processed_folder_with_readme_keeps_it(tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "README.md").write_text("keep me", encoding="utf-8")
    clean(_raw(tmp_path), processed)
    assert (processed / "README.md").read_text(encoding="utf-8") == "keep me"
    assert isinstance(pd.read_parquet(processed / "industry.parquet"), pd.DataFrame)


def test_clean_stops_with_exit_3_while_another_process_holds_the_run_lock(tmp_path):
    import subprocess
    import sys
    import time

    root = tmp_path / "tree"
    root.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from helpers.runlock import run_lock\n"
         "with run_lock('render 2024-09'):\n    print('held', flush=True); time.sleep(30)"],
        env={**__import__("os").environ, "GAOQI_ROOT": str(root)}, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        processed = tmp_path / "processed"
        started = time.monotonic()
        result = subprocess.run(
            [str(Path(sys.executable).with_name("gaoqi")), "clean", "--raw-dir", str(_raw(tmp_path)),
             "--processed-dir", str(processed)],
            env={**__import__("os").environ, "GAOQI_ROOT": str(root)}, capture_output=True, text=True)
        assert result.returncode == 3, result.stderr
        assert f"进程 {holder.pid}" in result.stderr and "render 2024-09" in result.stderr
        assert "Traceback" not in result.stderr and time.monotonic() - started < 25
        assert not processed.exists()
    finally:
        holder.kill()
        holder.wait()


def _without_provenance(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=["source_file", "sheet", "row", "column"])
    return df.sort_values(list(df.columns), kind="stable").reset_index(drop=True)


def test_a_return_saved_as_ods_gives_the_same_figures_as_the_workbook(tmp_path):
    """WPS and LibreOffice save OpenDocument; such a return is read, not listed as "not a return"."""
    for name, src in (("xlsx", FIXTURES / "valid" / "统计_2024.xlsx"), ("ods", FIXTURES / "formats" / "统计_2024.ods")):
        (tmp_path / name / "raw" / "returns").mkdir(parents=True)
        shutil.copy(src, tmp_path / name / "raw" / "returns" / src.name)
        report = clean(tmp_path / name / "raw", tmp_path / name / "processed")
        assert report.files_ignored == []
    xlsx, ods = load(tmp_path / "xlsx" / "processed"), load(tmp_path / "ods" / "processed")
    assert len(ods.industry) == 6
    pd.testing.assert_frame_equal(_without_provenance(ods.industry), _without_provenance(xlsx.industry))


def test_a_return_in_a_spreadsheet_format_the_reader_cannot_open_is_refused_not_ignored(tmp_path, published):
    raw = _raw(tmp_path)
    shutil.copy(FIXTURES / "valid" / "统计_2024.xlsx", raw / "returns" / "统计_2024-06.et")  # WPS's own format
    before = _snapshot(published)
    result = runner.invoke(app, ["clean", "--lang", "en", "--raw-dir", str(raw), "--processed-dir", str(published)])
    assert result.exit_code == 2
    line = next(ln for ln in result.output.splitlines() if "统计_2024-06.et" in ln)
    assert "found '.et'" in line and "save the file as .xlsx" in line
    assert _snapshot(published) == before


MISLABELLED = FIXTURES / "mislabelled"


def _clean_only(tmp_path: Path, *files: Path) -> ProcessedData:
    raw = tmp_path / "raw"
    (raw / "returns").mkdir(parents=True)
    for f in files:
        shutil.copy(f, raw / "returns" / f.name)
    clean(raw, tmp_path / "processed")
    return load(tmp_path / "processed")


def _findings(data: ProcessedData, check: str) -> pd.DataFrame:
    return data.quality[data.quality["check"] == check]


def test_a_percent_formatted_cell_of_a_percent_row_is_read_as_excel_shows_it(tmp_path):
    data = _clean_only(tmp_path, MISLABELLED / "任务进度_百分比格式_2024H1.xlsx")  # D7: 0.965 shown as 96.5%
    rate = data.tasks[data.tasks["row"] == 7]
    assert rate["value"].tolist() == [96.5] and rate["unit"].tolist() == ["%"]
    assert _findings(data, "percent_fraction").empty


def test_a_percentage_below_one_in_an_xls_is_a_finding_since_its_format_cannot_be_seen(tmp_path):
    data = _clean_only(tmp_path, MISLABELLED / "xls" / "任务进度_百分比格式_2024H1.xls")
    found = _findings(data, "percent_fraction")
    assert found[["sheet", "row", "value"]].values.tolist() == [["全区指标", 7, "0.965"]]
    assert "showing 96.5 %" in found["message"].iloc[0] and "96.5%" in found["message_zh"].iloc[0]


def test_a_header_unit_ten_thousand_times_off_the_year_before_is_a_warning_per_column(tmp_path):
    data = _clean_only(tmp_path, MISLABELLED / "统计_2023.xlsx", MISLABELLED / "统计_2024_表头亿元.xlsx")
    found = _findings(data, "unit_jump")
    assert set(found["source_file"]) == {"returns/统计_2024_表头亿元.xlsx"}
    assert sorted(found["column"]) == sorted(["规上工业总产值（亿元）", "高新技术产业产值（亿元）", "规上工业利润（亿元）",
                                              "规上高新技术企业利润（亿元）"])
    assert set(found["severity"]) == {"warning"}
    assert all("close to 10,000" in m and "2023-06" in m for m in found["message"])


def test_a_unit_jump_names_the_unit_the_figures_were_read_in_when_the_title_gives_it(tmp_path):
    """Headers without a unit, 单位：亿元 in the title: the figures were read in 亿元, so the warning says 亿元."""
    from helpers.sample.workbook import SheetSpec, write_workbook

    header = ["区镇", "规上工业总产值", "高新技术产业产值"]
    title = ["海门区规模以上工业主要指标（测试）", "2024年1-6月（累计）　单位：亿元", "发布日期：2024-07-21"]
    titled = tmp_path / "统计_2024_标题亿元.xlsx"
    write_workbook(titled, [SheetSpec("1-6月", title, header, [["开发区", 650000.0, 330000.0],
                                                              ["临江新区", 420000.0, 160000.0]], ["注：本表为测试数据。"])])
    data = _clean_only(tmp_path, MISLABELLED / "统计_2023.xlsx", titled)
    found = _findings(data, "unit_jump")
    assert sorted(found["column"]) == ["规上工业总产值", "高新技术产业产值"]
    assert all("(亿元" in m for m in found["message"]) and all("（亿元" in m for m in found["message_zh"])


def test_returns_in_their_right_units_give_no_unit_warning(published):
    assert _findings(load(published), "unit_jump").empty  # valid/ holds 1-2月 in 万元 and 1-3月 in 亿元


def test_the_same_certificate_announced_twice_is_kept_once_with_its_latest_date(tmp_path):
    data = _clean_only(tmp_path, MISLABELLED / "高企证书登记_重复证书.xlsx")
    certs = data.certificates
    assert sorted(certs["cert_no"]) == ["GR202332000202", "GR202332000404"]
    assert certs.loc[certs["cert_no"] == "GR202332000202", "announced"].tolist() == [pd.Timestamp("2024-03-15")]
    found = _findings(data, "duplicate_certificate")
    assert found[["row", "column", "value"]].values.tolist() == [[6, "公示日期", "2023-12-08"]]
    assert valid_firms(as_of(data, "2024-06-30").certificates, "2024-06-30") == 2


def test_a_certificate_announced_on_two_dates_is_not_counted_before_the_later_one(tmp_path):
    data = _clean_only(tmp_path, MISLABELLED / "高企证书登记_重复证书.xlsx")
    assert valid_firms(as_of(data, "2024-01-31").certificates, "2024-01-31") == 1  # only GR…404 by then


def test_by_default_clean_words_its_refusal_in_chinese(tmp_path):
    raw = _raw(tmp_path, FIXTURES / "faulty" / "unknown_town.xlsx")
    result = runner.invoke(app, ["clean", "--raw-dir", str(raw), "--processed-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    line = next(ln for ln in result.output.splitlines() if "unknown_town.xlsx" in ln)
    assert "第 5 行" in line and "发现 '火星镇'" in line and "修正方法" in line
