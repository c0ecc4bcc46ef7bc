"""A change of the house leaves every output as it was: the shipped sample's pages, summary JSON, workbooks and
index, rendered by the test session (``rendered_project``: every meeting in Chinese, 2024-09 in English), equal
the committed snapshot ``tests/fixtures/render-snapshot.json`` apart from generation times.

"Apart from generation times" (``helpers.snapshot``): a summary's ``generated_at``, the page's 附件 sentence
生成时间：… (and the random id papermill gives the parameters cell it injects), the index's generated column, and in a workbook ``dcterms:created`` / ``dcterms:modified`` and the
about sheet's 生成时间 cell. For an xlsx, which is a zip, "byte-identical" means: the same members in the same
order, each member's bytes identical once those stamps are masked; the container's compressed bytes and CRCs
follow from the members and are not compared apart. The executed notebooks and ``manifest.json`` are not compared
(run times; a fingerprint of the notebook's own bytes).

When the comparison fails after a deliberate change of behaviour, refresh the snapshot with ``make snapshot`` and
commit it with the change; never refresh it to make a change of the house pass.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import snapshot

MEETING = "2024-09"


@pytest.fixture(scope="module")
def reports(rendered_project: Path) -> Path:
    return rendered_project / "reports"


def _masked_spans(original: str, normalised: str) -> list[str]:
    """What the normaliser replaced: the text of ``original`` at each mask of ``normalised`` (which otherwise
    must equal ``original`` character for character)."""
    parts = normalised.split(snapshot.MASK)
    pattern = "(.*?)".join(re.escape(p) for p in parts)
    found = re.fullmatch(pattern, original, flags=re.S)
    assert found is not None, "the normalised text differs from the original outside the masks"
    return list(found.groups())


def test_a_summary_loses_only_its_generated_at(reports):
    original = (reports / MEETING / f"summary-{MEETING}.json").read_text(encoding="utf-8")
    normalised, masked = snapshot.normalise_text(f"summary-{MEETING}.json", original)
    assert masked == 1
    assert _masked_spans(original, normalised) == [json.dumps(json.loads(original)["generated_at"])[1:-1]]


def test_a_page_loses_only_the_time_in_its_generated_sentence_and_the_injected_cells_random_id(reports):
    for name, lang in ((f"briefing-{MEETING}.html", "zh"), (f"briefing-{MEETING}.en.html", "en")):
        original = (reports / MEETING / name).read_text(encoding="utf-8")
        normalised, masked = snapshot.normalise_text(name, original)
        assert masked == 2, name
        cell_id, when = _masked_spans(original, normalised)
        assert re.fullmatch(r"[0-9a-f]{8}", cell_id), cell_id  # papermill's id for the parameters it injects
        # the page's generation time, as its summary records it (the hour and minute the page shows)
        generated = json.loads((reports / MEETING / f"summary-{MEETING}.json").read_text("utf-8"))["generated_at"]
        assert re.search(r"\d{2}:\d{2}$", when) and len(when) < 40, (name, when)
        if lang == "en":  # the English render ran last: the summary is its own
            assert when.endswith(generated[11:16]), (when, generated)


def test_the_index_loses_only_its_generated_column(reports):
    original = (reports / "index.html").read_text(encoding="utf-8")
    normalised, masked = snapshot.normalise_text("index.html", original)
    spans = _masked_spans(original, normalised)
    assert masked == len(spans) == len(re.findall(r'<tr data-meeting="', original)) >= 5
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", s) for s in spans), spans


def test_a_workbook_loses_its_zip_times_and_its_generated_cell_only(reports):
    from openpyxl import load_workbook

    from helpers.wording import say

    path = reports / MEETING / f"briefing-{MEETING}.xlsx"
    text, masked = snapshot.normalise_xlsx(path)
    assert masked == 3  # dcterms:created, dcterms:modified, the about sheet's generated cell
    masked_lines = [line for line in text.splitlines() if snapshot.MASK in line]
    assert sorted(line.split(":", 1)[0] for line in masked_lines) == ["docProps/core.xml"] * 2 + ["xl/sharedStrings.xml"]
    book = load_workbook(path, read_only=True)
    label = say("briefing.xlsx.about.generated", "zh")
    stamped = [(row[0].value, row[1].value) for ws in book.worksheets for row in ws.iter_rows(max_col=2)
               if len(row) > 1 and isinstance(row[1].value, str)
               and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", row[1].value)]
    assert [k for k, _ in stamped] == [label]  # the only timestamp among the cells is the generated one


def _rewrite_xlsx(src: Path, dst: Path, edit) -> None:
    with zipfile.ZipFile(src) as z_in, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z_out:
        for info in z_in.infolist():
            z_out.writestr(info, edit(info.filename, z_in.read(info).decode("utf-8")))


def test_a_workbook_made_at_another_time_normalises_the_same_and_one_changed_cell_does_not(reports, tmp_path):
    path = reports / MEETING / f"briefing-{MEETING}.xlsx"
    stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")

    def later(name: str, text: str) -> str:
        return stamp.sub("2031-01-02T03:04:05+08:00", text) if name in ("docProps/core.xml",
                                                                         "xl/sharedStrings.xml") else text

    def one_cell_changed(name: str, text: str) -> str:
        return text.replace("<v>", "<v>9", 1) if name.startswith("xl/worksheets/") and "<v>" in text else text

    _rewrite_xlsx(path, tmp_path / "later.xlsx", later)
    _rewrite_xlsx(path, tmp_path / "changed.xlsx", one_cell_changed)
    assert snapshot.normalised(tmp_path / "later.xlsx") == snapshot.normalised(path)
    assert snapshot.normalised(tmp_path / "changed.xlsx") != snapshot.normalised(path)


def test_a_changed_page_is_named_with_its_first_differing_lines(reports, tmp_path):
    recorded = snapshot.take(reports)
    name = f"{MEETING}/briefing-{MEETING}.html"
    copy = tmp_path / "reports"
    shutil.copytree(reports, copy, ignore=shutil.ignore_patterns("*.ipynb", "*.pdf"))
    page = copy / name
    lines = page.read_text(encoding="utf-8").split("\n")
    changed = 4 * recorded[name]["block_lines"] + 1  # 1-based: the first line of the fifth block
    lines[changed - 1] += " "
    page.write_text("\n".join(lines), encoding="utf-8")
    (copy / MEETING / f"summary-{MEETING}.json").unlink()

    found = {d.file: d.what for d in snapshot.compare(copy, recorded)}
    assert found.keys() == {name, f"{MEETING}/summary-{MEETING}.json"}
    where = re.match(r"first differing lines (\d+)-(\d+) of (\d+)", found[name])
    assert where and int(where[1]) == changed <= int(where[2]) and int(where[3]) == len(lines), found[name]
    assert repr(lines[changed - 1])[:100] in found[name]  # the line as it is now
    assert found[f"{MEETING}/summary-{MEETING}.json"] == "in the snapshot, not rendered"


def test_the_rendered_sample_equals_the_committed_snapshot(reports):
    differences = snapshot.compare(reports, snapshot.load())
    assert not differences, (
        "the outputs of the shipped sample changed (a deliberate change of behaviour? then `make snapshot` and "
        "commit tests/fixtures/render-snapshot.json with it):\n" + "\n".join(map(str, differences)))
