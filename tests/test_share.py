"""Publishing to a shared folder: the meeting's folder and the index, copied atomically, never half-written."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from helpers.errors import InputError
from helpers.share import ShareError, copy_folder, publish

SUMMARIES = Path(__file__).parent / "fixtures" / "summaries"


def _rendered(root: Path, meeting: str, page: str = "briefing") -> Path:
    """A meeting folder as a render leaves it (briefing, summary, notice) and the index."""
    folder = root / "reports" / meeting
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"briefing-{meeting}.html").write_text(f"<html>{page} {meeting}</html>", encoding="utf-8")
    shutil.copy(SUMMARIES / "summary-2024-09.json", folder / f"summary-{meeting}.json")
    (folder / f"notice-{meeting}.txt").write_text(f"notice {meeting}\n", encoding="utf-8")
    (root / "reports" / "index.html").write_text(f"<html>index {page}</html>", encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_copies_the_meetings_folder_and_the_index(project_copy, tmp_path):
    folder = _rendered(project_copy, "2024-09")
    share = tmp_path / "share"

    publish(["2024-09"], share)

    assert _tree(share / "2024-09") == _tree(folder)
    assert (share / "index.html").read_text(encoding="utf-8") == "<html>index briefing</html>"
    assert sorted(p.name for p in share.iterdir()) == ["2024-09", "index.html"]  # no temporary folder left


def test_a_new_version_replaces_the_published_folder_entirely(project_copy, tmp_path):
    share = tmp_path / "share"
    folder = _rendered(project_copy, "2024-09", page="first")
    (folder / "briefing-2024-09.en.html").write_text("<html>english</html>", encoding="utf-8")
    publish(["2024-09"], share)
    (folder / "briefing-2024-09.en.html").unlink()
    _rendered(project_copy, "2024-09", page="second")

    publish(["2024-09"], share)

    assert _tree(share / "2024-09") == _tree(folder)
    assert "second" in (share / "2024-09" / "briefing-2024-09.html").read_text(encoding="utf-8")


def test_a_failed_copy_leaves_the_published_version_byte_for_byte(project_copy, tmp_path, monkeypatch):
    share = tmp_path / "share"
    _rendered(project_copy, "2024-09", page="first")
    publish(["2024-09"], share)
    before = _tree(share)
    _rendered(project_copy, "2024-09", page="second")
    copied = []

    def failing_copy(src, dst, **kw):
        if copied:
            raise OSError(28, "No space left on device")
        copied.append(src)
        return shutil.copyfile(src, dst)

    monkeypatch.setattr(shutil, "copy2", failing_copy)

    with pytest.raises(ShareError, match="No space left on device.*原有的内容未改动"):
        publish(["2024-09"], share)

    assert _tree(share) == before
    assert sorted(p.name for p in share.iterdir()) == ["2024-09", "index.html"]


READER = """
import sys, time
from pathlib import Path
folder, names, versions = Path(sys.argv[1]), ("briefing.html", "summary.json", "notice.txt"), {"A" * 20000, "B" * 20000}
problems, seen, ready = set(), set(), Path(sys.argv[2])
ready.touch()
while not (folder.parent / "stop").exists():
    for name in names:
        try:
            text = (folder / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.add(name + " was missing")
            continue
        if text not in versions:
            problems.add(name + " was half-written")
        seen.add(text[:1])
print(sorted(problems), sorted(seen))
"""


def test_a_reader_always_finds_every_file_whole_while_the_folder_is_replaced(tmp_path):
    import subprocess
    import sys

    share = tmp_path / "share"
    versions = []
    for v in ("A", "B"):
        src = tmp_path / f"src{v}"
        src.mkdir()
        for name in ("briefing.html", "summary.json", "notice.txt"):
            (src / name).write_text(v * 20000, encoding="utf-8")
        versions.append(src)
    share.mkdir()
    copy_folder(versions[0], share / "2024-09")
    ready = tmp_path / "reader-ready"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(share / "2024-09"), str(ready)],
                              stdout=subprocess.PIPE, text=True)
    try:
        while not ready.exists():
            time.sleep(0.01)
        for i in range(1, 400):
            copy_folder(versions[i % 2], share / "2024-09")
    finally:
        (share / "stop").touch()
        output, _ = reader.communicate(timeout=60)

    assert output.strip() == "[] ['A', 'B']"
    assert sorted(p.name for p in share.iterdir()) == ["2024-09", "stop"]


def test_meetings_the_index_lists_but_the_shared_folder_lacks_are_published_too(project_copy, tmp_path):
    _rendered(project_copy, "2024-03")
    _rendered(project_copy, "2024-09")
    share = tmp_path / "share"

    publish(["2024-09"], share)

    assert (share / "2024-03" / "briefing-2024-03.html").exists()


def test_work_in_progress_never_leaves_reports(project_copy, tmp_path):
    _rendered(project_copy, "2024-09")
    for wip in (".scratch/2024-09-zh-x", ".failed/2024-09", ".auto"):
        (project_copy / "reports" / wip).mkdir(parents=True)
        (project_copy / "reports" / wip / "x.json").write_text("{}", encoding="utf-8")
    (project_copy / "reports" / "2025-03").mkdir()  # a folder without a summary: not a finished render
    share = tmp_path / "share"

    publish(["2024-09"], share)

    assert sorted(p.name for p in share.iterdir()) == ["2024-09", "index.html"]


def test_publishing_a_meeting_that_was_not_rendered_is_refused(project_copy, tmp_path):
    with pytest.raises(ShareError, match="无法发布 2024-09：.*中没有已生成的简报"):
        publish(["2024-09"], tmp_path / "share")
    assert not (tmp_path / "share").exists()


def test_a_shared_folder_whose_parent_is_missing_is_refused_as_bad_input(project_copy, tmp_path):
    _rendered(project_copy, "2024-09")
    with pytest.raises(InputError, match="不存在（共享盘是否已挂载？）") as info:
        publish(["2024-09"], tmp_path / "not-mounted" / "briefings")
    assert info.value.exit_code == 2
    assert not (tmp_path / "not-mounted").exists()


def test_a_shared_folder_inside_reports_is_refused(project_copy):
    _rendered(project_copy, "2024-09")
    with pytest.raises(InputError, match="共享文件夹必须在报告文件夹 .* 之外"):
        publish(["2024-09"], project_copy / "reports" / "shared")
