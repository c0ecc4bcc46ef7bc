"""Publishing is atomic: a failed render says what failed and leaves the previous briefing intact."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers.render import RenderError, render_one


def _break_notebook(root, message: str) -> None:
    nb = new_notebook()
    params = new_code_cell('meeting = "2024-09"\nlang = "zh"\nprocessed_dir = ""\noutput_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell(f"raise RuntimeError({message!r})")]
    nb.metadata["kernelspec"] = {"name": "gaoqi-briefings", "display_name": "x", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "03_briefing.ipynb")


@pytest.mark.slow
def test_failed_render_keeps_the_published_folder_byte_for_byte(project_copy):
    published = project_copy / "reports" / "2024-09"
    published.mkdir(parents=True)
    (published / "briefing-2024-09.html").write_bytes(b"<html>previous briefing</html>")
    (published / "summary-2024-09.json").write_bytes(b'{"meeting": "2024-09"}')
    before = {p.name: p.read_bytes() for p in published.iterdir()}
    _break_notebook(project_copy, "the statistics bureau file is broken")

    with pytest.raises(RenderError) as info:
        render_one("2024-09")

    message = str(info.value)
    assert "2024-09" in message and "the statistics bureau file is broken" in message
    assert "未改动" in message  # the office's language by default
    assert {p.name: p.read_bytes() for p in published.iterdir()} == before


@pytest.mark.slow
def test_failed_render_keeps_the_failed_notebook_for_inspection(project_copy):
    _break_notebook(project_copy, "boom")
    with pytest.raises(RenderError):
        render_one("2024-09")
    kept = list((project_copy / "reports" / ".failed" / "2024-09").glob("*.ipynb"))
    assert len(kept) == 1
    assert "boom" in kept[0].read_text(encoding="utf-8")


def test_unknown_meeting_is_refused_before_anything_runs(project_copy):
    from helpers.calendar import CalendarError

    with pytest.raises(CalendarError, match="no meeting 2024-06"):
        render_one("2024-06")
    assert not (project_copy / "reports" / "2024-06").exists()


def test_published_files_are_readable_by_others(tmp_path):
    import stat

    from helpers.processed import write_text_atomic

    target = tmp_path / "reports" / "summary.json"
    write_text_atomic(target, "{}")
    assert target.stat().st_mode & stat.S_IROTH
