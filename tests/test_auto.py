"""`gaoqi auto`: renders a meeting's briefing after its cut-off and until the meeting, and only when an input changed.

Most tests stand in for the render itself (a kernel run costs 5-10 s) with ``fake_render``, which cleans the raw
returns for real and writes what a render publishes; ``test_end_to_end_…`` renders for real.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from typer.testing import CliRunner

from helpers import auto
from helpers.cli import app
from helpers.errors import RenderFailure

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
TASKS_2024H1 = Path("data/raw/sample/SAMPLE_区镇任务进度_2024H1.xlsx")


@pytest.fixture
def fake_render(project_copy, monkeypatch):
    """``render_meetings`` stand-in: a real clean, then the pages, summary and index a render publishes, through
    the real planning of what to refresh (``refresh_jobs``), the real manifest and the real atomic publish.

    Returns the list of (meeting, lang) it was asked to render; set ``.fail`` on it to make the next render fail.
    """
    from helpers import manifest, paths
    from helpers import render as rendering
    from helpers.fingerprint import current_id
    from helpers.processed import load
    from helpers.render import run as render_run
    from helpers.render.publish import new_scratch, publish

    class Calls(list):
        fail = False

    calls = Calls()

    def render_meetings(ids, *, lang="zh", pdf=False, jobs=2, console=None, wait=0.0, before_index=None):
        rendering.ensure_processed()
        if calls.fail:
            raise rendering.RenderError(f"meeting {ids[0]}: notebook 03_briefing.ipynb failed: boom")
        results = []
        inputs = current_id()
        for meeting in ids:
            planned = render_run.refresh_jobs(meeting, lang, pdf, inputs)
            scratch = new_scratch(meeting, lang)
            made = manifest.new(meeting, inputs)
            for page_lang, with_pdf in planned:
                calls.append((meeting, page_lang))
                page = scratch / rendering.briefing_name(meeting, page_lang)
                page.write_text(f"<html>{meeting} #{len(calls)}</html>")
                made.stamp(page.name, page_lang)
                if with_pdf:
                    page.with_suffix(".pdf").write_bytes(b"%PDF-1.4 " + page.read_bytes())
                    made.stamp(page.with_suffix(".pdf").name, page_lang)
            summary = json.loads((FIXTURES / "summaries" / "summary-2024-09.json").read_text(encoding="utf-8"))
            summary.update(meeting=meeting, generated_at=f"render #{len(calls)}")
            (scratch / f"summary-{meeting}.json").write_text(json.dumps(summary, ensure_ascii=False),
                                                              encoding="utf-8")
            made.stamp(f"summary-{meeting}.json", None)
            manifest.write(scratch, made)
            publish(scratch, meeting)
            results.append(SimpleNamespace(meeting=meeting, lang=lang, langs=tuple(x for x, _ in planned)))
        if before_index is not None:  # the notices, before the index, from the data the run read
            before_index(results, load(paths.processed_dir()))
        (paths.reports_dir() / "index.html").write_text(f"<html>index #{len(calls)}</html>", encoding="utf-8")
        return results

    monkeypatch.setattr(rendering, "render_meetings", render_meetings)
    return calls


def _days(first: str, last: str):
    day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _snapshot(*folders: Path, skip: tuple[str, ...] = ("auto.log",)) -> dict[str, tuple[int, bytes]]:
    """Every file under the folders with its modification time (ns) and bytes."""
    return {str(p): (p.stat().st_mtime_ns, p.read_bytes())
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip}


def _log(root: Path) -> list[list[str]]:
    return [line.split("\t") for line in (root / "reports" / "auto.log").read_text(encoding="utf-8").splitlines()]


def _edit_task_return(root: Path, town: str, *, drop: bool = False, value: int | None = None) -> None:
    """Change the sample's 2024 H1 task return as a town would: drop its row, or correct its first figure."""
    path = root / TASKS_2024H1
    wb = openpyxl.load_workbook(path)
    ws = wb["分区镇"]
    row = next(r for r in ws.iter_rows() if r[0].value and town in str(r[0].value))
    if drop:
        ws.delete_rows(row[0].row)
    else:
        row[1].value = value
    wb.save(path)


# ---------------------------------------------------------------------------------------------- when
def test_through_the_whole_plan_period_each_meeting_renders_once_on_the_day_after_its_cut_off(fake_render,
                                                                                              project_copy):
    rendered_on: dict[str, list[str]] = {}
    actions: dict[str, int] = {}
    for day in _days("2023-01-01", "2025-04-30"):
        outcome = auto.run(day)
        assert outcome.exit_code == 0
        actions[outcome.action] = actions.get(outcome.action, 0) + 1
        for meeting in outcome.rendered:
            rendered_on.setdefault(meeting, []).append(day.isoformat())

    assert rendered_on == {"2023-03": ["2023-03-01"], "2023-09": ["2023-09-01"], "2024-03": ["2024-03-01"],
                           "2024-09": ["2024-09-01"], "2025-03": ["2025-03-01"]}
    assert actions["rendered"] == 5 and actions["idle"] == 5 * 4  # the 2nd to the 5th of each meeting month
    assert actions["ended"] == len(list(_days("2025-03-06", "2025-04-30")))
    assert len(_log(project_copy)) == len(list(_days("2023-01-01", "2025-04-30")))  # one line per run


def test_outside_the_windows_it_does_nothing_and_names_the_next_cut_off(project_copy):
    result = runner.invoke(app, ["auto", "--today", "2024-05-20"])

    assert result.exit_code == 0
    assert "下一个数据截至日为2024-08-31（2024-09会议，2024-09-05召开）；2024-09-01至2024-09-05期间" in result.output
    assert sorted(p.name for p in (project_copy / "reports").iterdir()) == ["auto.log"]
    assert not any((project_copy / "data" / "processed").iterdir())


def test_on_the_cut_off_day_itself_it_still_waits(project_copy):
    result = runner.invoke(app, ["auto", "--today", "2024-08-31", "--lang", "en"])
    assert result.exit_code == 0
    assert "The next cut-off is 2024-08-31 (meeting 2024-09 on 2024-09-05)" in result.output


def test_after_the_plans_last_meeting_it_says_the_plan_has_ended(project_copy):
    result = runner.invoke(app, ["auto", "--today", "2025-03-06", "--lang", "en"])
    assert result.exit_code == 0
    assert "the plan's meetings ended with 2025-03" in result.output


# ---------------------------------------------------------------------------------------------- whether
def test_an_idle_day_rewrites_no_file(fake_render, project_copy, tmp_path):
    share = tmp_path / "share"
    assert runner.invoke(app, ["auto", "--today", "2024-09-01", "--publish-dir", str(share)]).exit_code == 0
    before = _snapshot(project_copy / "reports", project_copy / "data", share)

    result = runner.invoke(app, ["auto", "--today", "2024-09-02", "--publish-dir", str(share)])

    assert result.exit_code == 0
    assert "2024-09简报已是最新" in result.output and "未改写任何文件" in result.output
    assert _snapshot(project_copy / "reports", project_copy / "data", share) == before
    assert len(fake_render) == 1
    assert [row[4] for row in _log(project_copy)] == ["rendered", "idle"]


def test_a_changed_return_is_rendered_again_and_the_run_says_which_file(fake_render, project_copy):
    auto.run("2024-09-01")
    _edit_task_return(project_copy, "余东镇", value=7)

    outcome = auto.run("2024-09-02", lang="en")

    assert outcome.rendered == ["2024-09"]
    assert f"return {TASKS_2024H1.as_posix()} changed" in " ".join(outcome.lines)
    assert auto.run("2024-09-03").action == "idle"


def test_a_changed_plan_file_is_rendered_again(fake_render, project_copy):
    auto.run("2024-09-01")
    plan = project_copy / "data" / "raw" / "plan" / "haimen-2022-2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# amended\n", encoding="utf-8")

    outcome = auto.run("2024-09-02", lang="en")

    assert outcome.rendered == ["2024-09"]
    assert "plan file data/raw/plan/haimen-2022-2024.yaml changed" in " ".join(outcome.lines)


def test_a_new_version_of_the_suite_is_rendered_again(fake_render, project_copy, monkeypatch):
    from helpers import version

    auto.run("2024-09-01")
    monkeypatch.setattr(version, "__version__", "9.9.9")

    outcome = auto.run("2024-09-02", lang="en")

    assert outcome.rendered == ["2024-09"]
    assert "the suite's version changed from 0.1.0 to 9.9.9" in " ".join(outcome.lines)


def test_a_briefing_deleted_from_reports_is_rendered_again(fake_render, project_copy):
    auto.run("2024-09-01")
    (project_copy / "reports" / "2024-09" / "briefing-2024-09.html").unlink()

    assert auto.run("2024-09-02").rendered == ["2024-09"]


def test_an_english_briefing_is_kept_current_alongside_the_chinese_one(fake_render, project_copy):
    auto.run("2024-09-01")
    (project_copy / "reports" / "2024-09" / "briefing-2024-09.en.html").write_text("<html>en</html>")
    _edit_task_return(project_copy, "余东镇", value=7)

    auto.run("2024-09-02")

    assert fake_render == [("2024-09", "zh"), ("2024-09", "zh"), ("2024-09", "en")]


def test_a_changed_readme_under_data_raw_is_named_as_a_file_not_a_return(fake_render, project_copy):
    auto.run("2024-09-01")
    readme = project_copy / "data" / "raw" / "public" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")

    outcome = auto.run("2024-09-02")

    said = " ".join(outcome.lines)
    assert "文件 data/raw/public/README.md 有变化" in said and "报表 data/raw/public/README.md" not in said
    logged = _log(project_copy)[-1][5]
    assert "文件 data/raw/public/README.md 有变化" in logged and "报表 data/raw/public/README.md" not in logged


def test_a_changed_benchmark_result_the_page_quotes_is_rendered_again(fake_render, project_copy):
    auto.run("2024-09-01")
    local = project_copy / "reports" / "bench" / "annual.json"
    local.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(__file__).resolve().parents[1] / "bench" / "results" / "annual.json", local)

    outcome = auto.run("2024-09-02")

    assert outcome.rendered == ["2024-09"]
    assert "简报引用的回测结果 reports/bench/annual.json 新增" in " ".join(outcome.lines)


def test_an_ad_hoc_render_makes_the_next_run_render_and_publish(fake_render, project_copy, tmp_path):
    share = tmp_path / "share"
    auto.run("2024-09-01", publish_dir=share)
    assert runner.invoke(app, ["render", "--meeting", "2024-06-20"]).exit_code == 0  # no --publish-dir

    outcome = auto.run("2024-09-02", publish_dir=share)

    assert outcome.rendered == ["2024-09"] and outcome.published == ["2024-09"]
    assert "不定期会议名单 reports/ad-hoc-meetings.json 新增" in " ".join(outcome.lines)
    assert (share / "2024-06-20" / "briefing-2024-06-20.html").is_file()


def _fresh_only(folder: Path) -> set[str]:
    """The files of a published folder, checked against its manifest: each one stamped with the folder's inputs."""
    from helpers import manifest

    recorded = manifest.read(folder)
    assert recorded is not None
    files = {p.name for p in folder.iterdir() if p.is_file() and p.name != manifest.MANIFEST}
    assert files == set(recorded.files), (files, recorded.files)
    assert {e["inputs"] for e in recorded.files.values()} == {recorded.inputs}
    return files


def test_after_a_changed_return_every_language_and_pdf_is_made_again_and_only_fresh_files_are_shared(
        fake_render, project_copy, tmp_path):
    from helpers import manifest
    from helpers import render as rendering
    from helpers.fingerprint import current_id
    from helpers.notice import write_for_meeting

    share = tmp_path / "share"
    auto.run("2024-09-01", publish_dir=share)
    rendering.render_meetings(["2024-09"], lang="en", pdf=True)  # someone adds the English page and its PDF
    write_for_meeting("2024-09", lang="en")
    assert runner.invoke(app, ["auto", "--today", "2024-09-02", "--publish-dir", str(share)]).exit_code == 0
    old_pdf = (share / "2024-09" / "briefing-2024-09.en.pdf").read_bytes()
    _edit_task_return(project_copy, "余东镇", value=7)

    outcome = auto.run("2024-09-03", publish_dir=share)

    assert outcome.rendered == ["2024-09"] and fake_render[-2:] == [("2024-09", "zh"), ("2024-09", "en")]
    assert _fresh_only(share / "2024-09") == {
        "briefing-2024-09.html", "briefing-2024-09.en.html", "briefing-2024-09.en.pdf", "summary-2024-09.json",
        "notice-2024-09.txt", "notice-2024-09.en.txt"}
    assert manifest.read(share / "2024-09").inputs == current_id()
    assert (share / "2024-09" / "briefing-2024-09.en.pdf").read_bytes() != old_pdf


def test_a_stale_file_the_render_does_not_make_again_is_neither_kept_nor_shared(fake_render, project_copy,
                                                                                tmp_path):
    from helpers import render as rendering
    from helpers.notice import write_for_meeting

    share = tmp_path / "share"
    auto.run("2024-09-01")
    rendering.render_meetings(["2024-09"], lang="en")
    write_for_meeting("2024-09", lang="en")
    (project_copy / "reports" / "2024-09" / "briefing-2024-09.en.html").unlink()  # the English page removed
    _edit_task_return(project_copy, "余东镇", value=7)

    auto.run("2024-09-02", publish_dir=share)

    assert not (project_copy / "reports" / "2024-09" / "notice-2024-09.en.txt").exists()
    assert _fresh_only(share / "2024-09") == {"briefing-2024-09.html", "summary-2024-09.json", "notice-2024-09.txt"}


# ---------------------------------------------------------------------------------------------- what else
def test_each_render_writes_the_notice_and_reports_completeness(fake_render, project_copy):
    _edit_task_return(project_copy, "余东镇", drop=True)

    result = runner.invoke(app, ["auto", "--today", "2024-09-01"])

    assert result.exit_code == 0
    assert "2024年上半年任务进度报表尚未报送的单位（1个，应于2024年7月20日前报送）：余东镇。" in result.output
    notice = (project_copy / "reports" / "2024-09" / "notice-2024-09.txt").read_text(encoding="utf-8")
    assert "余东镇" in notice and "简报文件：2024-09/briefing-2024-09.html" in notice
    log = _log(project_copy)[-1]
    assert log[4] == "rendered" and "余东镇" in log[5]
    idle = runner.invoke(app, ["auto", "--today", "2024-09-02"])
    assert "数据不完整" in idle.output  # the idle day repeats the completeness found at the render


def test_render_with_publish_dir_writes_the_notice_and_publishes(fake_render, project_copy, tmp_path):
    share = tmp_path / "share"

    result = runner.invoke(app, ["render", "--meeting", "2024-09", "--publish-dir", str(share)])

    assert result.exit_code == 0, result.output
    notice = (project_copy / "reports" / "2024-09" / "notice-2024-09.txt").read_text(encoding="utf-8")
    assert "三、数据完整性" in notice and "共享文件夹：" in notice
    assert sorted(p.name for p in (share / "2024-09").iterdir()) == [
        "briefing-2024-09.html", "manifest.json", "notice-2024-09.txt", "summary-2024-09.json"]
    assert (share / "index.html").exists()


# ---------------------------------------------------------------------------------------------- failures
def test_a_failed_render_leaves_the_published_briefing_and_is_retried_the_next_day(fake_render, project_copy,
                                                                                   tmp_path):
    share = tmp_path / "share"
    auto.run("2024-09-01", publish_dir=share)
    published = _snapshot(share)
    reports = _snapshot(project_copy / "reports" / "2024-09")
    state = auto.read_state("2024-09")
    _edit_task_return(project_copy, "余东镇", value=7)
    fake_render.fail = True

    result = runner.invoke(app, ["auto", "--today", "2024-09-02", "--publish-dir", str(share)])

    assert result.exit_code == 1
    assert "notebook 03_briefing.ipynb failed: boom" in result.output
    assert _snapshot(share) == published
    assert _snapshot(project_copy / "reports" / "2024-09") == reports
    assert auto.read_state("2024-09") == state
    last = _log(project_copy)[-1]
    assert (last[1], last[2], last[4]) == ("today=2024-09-02", "exit=1", "failed")
    fake_render.fail = False
    assert auto.run("2024-09-03", publish_dir=share).rendered == ["2024-09"]
    assert _snapshot(share) != published


def test_a_failed_copy_to_the_shared_folder_is_retried_without_rendering_again(fake_render, project_copy,
                                                                             tmp_path, monkeypatch):
    import helpers.share

    share = tmp_path / "share"
    real_copy = helpers.share.copy_folder

    def unplugged(source, target):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(helpers.share, "copy_folder", unplugged)
    with pytest.raises(RenderFailure, match="Input/output error"):
        auto.run("2024-09-01", publish_dir=share)
    monkeypatch.setattr(helpers.share, "copy_folder", real_copy)

    outcome = auto.run("2024-09-02", publish_dir=share)

    assert outcome.action == "published" and outcome.rendered == []
    assert len(fake_render) == 1
    assert (share / "2024-09" / "briefing-2024-09.html").exists()
    assert auto.run("2024-09-03", publish_dir=share).action == "idle"


def test_a_malformed_return_exits_2_and_publishes_nothing(project_copy):
    shutil.copy(FIXTURES / "intake" / "faulty" / "unknown_town.xlsx", project_copy / "data" / "raw" / "bad.xlsx")

    result = runner.invoke(app, ["auto", "--today", "2024-09-01"])

    assert result.exit_code == 2
    assert "bad.xlsx" in result.output
    assert not (project_copy / "reports" / "2024-09").exists()
    assert _log(project_copy)[-1][2] == "exit=2" and _log(project_copy)[-1][4] == "bad-input"


def test_a_date_that_is_not_a_date_exits_2(project_copy):
    result = runner.invoke(app, ["auto", "--today", "2024-13-01"])
    assert result.exit_code == 2
    assert "应为日期 YYYY-MM-DD" in result.output  # the office's language by default
    assert _log(project_copy)[-1][2] == "exit=2"


HOLD = """
import sys, time
from pathlib import Path
from helpers.runlock import run_lock
with run_lock("render 2024-09", root=Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_lock(root: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(root), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_another_run_in_progress_exits_3_naming_it(fake_render, project_copy):
    holder = _hold_lock(project_copy, 30)
    try:
        result = runner.invoke(app, ["auto", "--today", "2024-09-01"])
    finally:
        holder.kill()
        holder.wait()

    assert result.exit_code == 3
    assert f"进程 {holder.pid}" in result.output and "render 2024-09" in result.output
    assert fake_render == []
    assert _log(project_copy)[-1][2] == "exit=3" and _log(project_copy)[-1][4] == "busy"


def test_an_idle_day_does_not_need_the_lock(fake_render, project_copy):
    auto.run("2024-09-01")
    holder = _hold_lock(project_copy, 30)
    try:
        result = runner.invoke(app, ["auto", "--today", "2024-09-02"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 0


# ---------------------------------------------------------------------------------------------- for real
@pytest.mark.slow
def test_end_to_end_a_late_return_is_rendered_published_and_announced(project_copy, tmp_path):
    """Real renders: an incomplete return on the first day, an idle day, the late return, a new version."""
    share = tmp_path / "share"
    original = (project_copy / TASKS_2024H1).read_bytes()
    _edit_task_return(project_copy, "余东镇", drop=True)

    first = runner.invoke(app, ["auto", "--today", "2024-09-01", "--publish-dir", str(share)])
    assert first.exit_code == 0, first.output
    assert "余东镇" in (share / "2024-09" / "notice-2024-09.txt").read_text(encoding="utf-8")
    assert (share / "2024-09" / "briefing-2024-09.html").stat().st_size > 100_000
    assert "2024-09/briefing-2024-09.html" in (share / "index.html").read_text(encoding="utf-8")
    before = _snapshot(project_copy / "reports", share)

    idle = runner.invoke(app, ["auto", "--today", "2024-09-02", "--publish-dir", str(share)])
    assert idle.exit_code == 0 and "未改写任何文件" in idle.output
    assert _snapshot(project_copy / "reports", share) == before

    (project_copy / TASKS_2024H1).write_bytes(original)  # 余东镇's return arrives (dated before the cut-off)
    again = runner.invoke(app, ["auto", "--today", "2024-09-03", "--publish-dir", str(share)])
    assert again.exit_code == 0, again.output
    notice = (share / "2024-09" / "notice-2024-09.txt").read_text(encoding="utf-8")
    assert "截至2024年8月31日应有的报表均已收到" in notice
    summary = json.loads((share / "2024-09" / "summary-2024-09.json").read_text(encoding="utf-8"))
    assert summary["generated_at"] != json.loads(before[str(share / "2024-09" / "summary-2024-09.json")][1])[
        "generated_at"]
    assert [row[4] for row in _log(project_copy)] == ["rendered", "idle", "rendered"]


@pytest.mark.slow
def test_end_to_end_a_changed_return_leaves_only_files_made_from_the_new_data_in_the_shared_folder(project_copy,
                                                                                                 tmp_path):
    """Real renders: the Chinese page by the daily run, the English page and its PDF by hand; then a return
    changes, and the next daily run leaves in the shared folder only files made from the new data."""
    from helpers import manifest
    from helpers.fingerprint import current_id

    share = tmp_path / "share"
    assert runner.invoke(app, ["auto", "--today", "2024-09-01", "--publish-dir", str(share)]).exit_code == 0
    by_hand = runner.invoke(app, ["render", "--meeting", "2024-09", "--lang", "en", "--pdf",
                                  "--publish-dir", str(share)])
    assert by_hand.exit_code == 0, by_hand.output
    before = _snapshot(share)
    old = manifest.read(share / "2024-09")
    assert {"briefing-2024-09.html", "briefing-2024-09.en.html", "briefing-2024-09.en.pdf"} <= set(old.files)

    _edit_task_return(project_copy, "余东镇", drop=True)
    result = runner.invoke(app, ["auto", "--today", "2024-09-02", "--publish-dir", str(share)])

    assert result.exit_code == 0, result.output
    now = manifest.read(share / "2024-09")
    assert now.inputs == current_id() != old.inputs
    shared = {p.name for p in (share / "2024-09").iterdir() if p.name != manifest.MANIFEST}
    assert shared == set(now.files) and {e["inputs"] for e in now.files.values()} == {now.inputs}
    assert {"briefing-2024-09.html", "briefing-2024-09.en.html", "briefing-2024-09.en.pdf", "notice-2024-09.txt",
            "notice-2024-09.en.txt", "summary-2024-09.json"} <= shared
    after = _snapshot(share)
    for name in ("briefing-2024-09.html", "briefing-2024-09.en.html", "briefing-2024-09.en.pdf",
                 "notice-2024-09.txt", "notice-2024-09.en.txt", "summary-2024-09.json"):
        path = str(share / "2024-09" / name)  # made again from the new data, not carried from the old
        assert after[path][1] != before[path][1], name
