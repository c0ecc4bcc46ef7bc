"""The rendered outputs of the shipped sample, reduced to what a change of the house must not change: the proof
that a refactoring or a speed change leaves every briefing as it was.

Why: "behaviour does not change" is only checkable if the outputs are compared byte for byte; yet two renders of
the same inputs differ in when they were made. This module removes exactly those generation-time stamps, and
nothing else, then hashes what is left:

- ``summary-<meeting>.json``: the value of ``generated_at`` (the render's clock, ``MeetingContext.generated_at``);
- ``briefing-<meeting>[.<lang>].html``: the ``{when}`` of the 附件's sentence ``annex.generated`` (生成时间：…),
  and the id of the parameters cell papermill injects (``cell-id=…`` of the ``celltag_injected-parameters``
  element: papermill draws a new random id on every run, so it is a run stamp like a time);
- ``briefing-<meeting>[.<lang>].xlsx``: a zip. "Byte-identical apart from generation times" means here: the same
  members, in the same order, each member's bytes identical once ``dcterms:created`` / ``dcterms:modified`` in
  ``docProps/core.xml`` (xlsxwriter stamps the clock) and the text of the 生成时间 / Generated cell of the
  about sheet (a shared string holding ``generated_at``) are masked. The zip container's own bytes (compressed
  sizes, CRCs) follow from the members and are not compared apart;
- ``index.html``: the cells of its generated column (生成时间, ``render.index_col_generated``).

Not compared: the executed notebook (papermill records run times and kernel details in it) and the meeting's
``manifest.json`` (its ``inputs`` fingerprint hashes the briefing notebook's bytes, which a house change may edit
without changing any output; its ``rendered_at`` is the clock).

The snapshot (``tests/fixtures/render-snapshot.json``) holds, per file, the sha256 of its normalised text and
short hashes of its lines in at most ``BLOCKS`` blocks, so a difference is located at its first differing lines
without keeping the pages themselves. It is refreshed only on purpose, after a deliberate change of behaviour (``make snapshot``).

Run: ``python -m helpers.snapshot --refresh [--from DIR]`` (renders the sample into a temporary copy unless
``--from`` names an already rendered project tree).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from helpers.wording import LANGS, both, say

MASK = "<generation time>"
SNAPSHOT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "render-snapshot.json"
#: the meeting rendered again in English beside every Chinese page (as the test session's ``rendered_project``)
ENGLISH_MEETING = "2024-09"
#: the files compared, by suffix
COMPARED = (".html", ".json", ".xlsx")
#: a file's lines are hashed in at most this many blocks (the snapshot stays small; a difference is located to a
#: block of lines, whose current text the comparison shows)
BLOCKS = 128
BLOCK_HASH_CHARS = 8

_ISO_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})"
_GENERATED_JSON = re.compile(r'("generated_at":\s*)"[^"]*"')
_CORE_TIMES = re.compile(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_SHARED_TIME = re.compile(rf"(<t(?:\s[^>]*)?>){_ISO_TIME}(</t>)")
_INJECTED_CELL_ID = re.compile(r'(celltag_injected-parameters" id="cell-id=)[^"]*(")')


def _annex_patterns() -> list[re.Pattern[str]]:
    """The 附件's "generated at" sentence in every language, its ``{when}`` left open."""
    out = []
    for lang in LANGS:
        before, _, after = say("annex.generated", lang, when="\0").partition("\0")
        out.append(re.compile(f"({re.escape(before)})(.+?)({re.escape(after)})"))
    return out


def _index_pattern() -> re.Pattern[str]:
    label = " ".join(both("render.index_col_generated"))
    return re.compile(rf'(data-label="{re.escape(label)}">)([^<]*)(</td>)')


def normalise_text(name: str, text: str) -> tuple[str, int]:
    """``text`` of the file ``name`` with its generation-time stamps masked, and how many were masked."""
    if name.endswith(".json"):
        return _GENERATED_JSON.subn(rf'\1"{MASK}"', text)
    if name == "index.html":
        return _index_pattern().subn(rf"\g<1>{MASK}\g<3>", text)
    if name.endswith(".html"):
        text, total = _INJECTED_CELL_ID.subn(rf"\g<1>{MASK}\g<2>", text)
        for pattern in _annex_patterns():
            text, n = pattern.subn(rf"\g<1>{MASK}\g<3>", text)
            total += n
        return text, total
    raise ValueError(f"{name}: not a compared text file (suffixes {COMPARED})")


def normalise_xlsx(path: Path) -> tuple[str, int]:
    """The members of the workbook at ``path``, in zip order, as lines ``<member>: <one XML element>`` with the
    generation times masked (see the module's docstring), and how many were masked."""
    lines: list[str] = []
    masked = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:  # a binary member (none in xlsxwriter's output): compared by its hash
                lines.append(f"{info.filename}: sha256 {hashlib.sha256(data).hexdigest()}")
                continue
            if info.filename == "docProps/core.xml":
                text, n = _CORE_TIMES.subn(rf"\g<1>{MASK}\g<3>", text)
                masked += n
            elif info.filename == "xl/sharedStrings.xml":
                text, n = _SHARED_TIME.subn(rf"\g<1>{MASK}\g<2>", text)
                masked += n
            # one element a line, so that a difference is located at the cell or style that differs
            lines += [f"{info.filename}: {part}" for part in re.split(r"(?<=>)(?=<)|\n", text) if part]
    return "\n".join(lines) + "\n", masked


def normalised(path: Path) -> str:
    """The normalised content of one compared file (the masks counted apart by ``normalise_text`` and
    ``normalise_xlsx``)."""
    if path.suffix == ".xlsx":
        return normalise_xlsx(path)[0]
    return normalise_text(path.name, path.read_text(encoding="utf-8"))[0]


def compared_files(reports: Path) -> list[Path]:
    """The files of a rendered ``reports/`` that the snapshot covers: the index and every meeting's pages,
    summary JSON and workbooks (not ``manifest.json``, not the executed notebooks, not working folders)."""
    out = [reports / "index.html"] if (reports / "index.html").is_file() else []
    for folder in sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")
                         and p.name != "bench"):
        out += [f for f in sorted(folder.iterdir())
                if f.is_file() and f.suffix in COMPARED and f.name != "manifest.json"]
    return out


def _block_hashes(lines: list[str], size: int) -> list[str]:
    return [hashlib.sha256("\n".join(lines[i:i + size]).encode("utf-8")).hexdigest()[:BLOCK_HASH_CHARS]
            for i in range(0, len(lines), size)]


def fingerprint(text: str) -> dict:
    """The sha256 of a normalised text and short hashes of its lines in blocks (to locate the first
    difference)."""
    lines = text.split("\n")
    size = -(-len(lines) // BLOCKS)
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "lines": len(lines), "block_lines": size,
            "block_hashes": " ".join(_block_hashes(lines, size))}


def take(reports: Path) -> dict[str, dict]:
    """Relative path → fingerprint of every compared file of a rendered ``reports/``."""
    return {f.relative_to(reports).as_posix(): fingerprint(normalised(f)) for f in compared_files(reports)}


@dataclass(frozen=True)
class Difference:
    """One file that is not as the snapshot has it: missing, new, or differing from a line on."""

    file: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


def _shown(line: str, width: int = 200) -> str:
    return repr(line if len(line) <= width else line[:width] + f"… ({len(line)} characters)")


def _first_difference(name: str, recorded: dict, text: str) -> Difference:
    size, old = recorded["block_lines"], recorded["block_hashes"].split(" ")
    lines = text.split("\n")
    for no, block in enumerate(_block_hashes(lines, size)):
        if no >= len(old) or block != old[no]:
            first, last = no * size + 1, min((no + 1) * size, len(lines))
            now = "; ".join(_shown(x) for x in lines[first - 1:last][:5]) + (" …" if last - first >= 5 else "")
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            return Difference(name, f"first differing {where} of {len(lines)} (snapshot: {recorded['lines']} "
                                    f"lines); now: {now}")
    return Difference(name, f"the snapshot has {recorded['lines']} lines, the render {len(lines)}; the first "
                            f"{len(lines)} agree")


def compare(reports: Path, snapshot: dict[str, dict]) -> list[Difference]:
    """Every compared file of ``reports`` that differs from ``snapshot`` (empty: the outputs are unchanged): a
    file of the snapshot missing or different, or a new compared file in a folder the snapshot covers. A meeting
    folder the snapshot does not cover at all (an ad-hoc meeting a test renders into the same tree) is not
    compared."""
    covered = {name.rpartition("/")[0] for name in snapshot}
    now = {f.relative_to(reports).as_posix(): f for f in compared_files(reports)}
    now = {name: f for name, f in now.items() if name.rpartition("/")[0] in covered}
    out = [Difference(name, "in the snapshot, not rendered") for name in sorted(set(snapshot) - set(now))]
    out += [Difference(name, "rendered, not in the snapshot") for name in sorted(set(now) - set(snapshot))]
    for name in sorted(set(now) & set(snapshot)):
        text = normalised(now[name])
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != snapshot[name]["sha256"]:
            out.append(_first_difference(name, snapshot[name], text))
    return out


def load(path: Path = SNAPSHOT) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))["files"]


def write(reports: Path, path: Path = SNAPSHOT, source: str = "") -> Path:
    """Record the snapshot of a rendered ``reports/``; ``source`` says what code rendered it (a commit)."""
    record = {
        "about": "Normalised outputs of the shipped sample (helpers.snapshot): every meeting rendered in Chinese "
                 f"(render --all), and {ENGLISH_MEETING} in English. Refresh only after a deliberate change of "
                 "behaviour: make snapshot.",
        "made_from": source,
        "files": take(reports),
    }
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def render_sample(root: Path) -> Path:
    """Render the shipped sample into the project copy ``root`` as the test session does (``rendered_project``):
    every covered meeting in Chinese with two jobs, then the English page of ``ENGLISH_MEETING``. Returns its
    ``reports/``. ``GAOQI_ROOT`` must already point at ``root``."""
    from helpers.render import render_meetings, render_one

    render_meetings(None, jobs=2)
    render_one(ENGLISH_MEETING, lang="en")
    return root / "reports"


def _copy_project(root: Path) -> Path:
    import shutil

    here = SNAPSHOT.parents[2]
    shutil.copytree(here / "data" / "raw", root / "data" / "raw")
    shutil.copytree(here / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
    return root


def _head() -> str:
    import subprocess

    done = subprocess.run(["git", "-C", str(SNAPSHOT.parents[2]), "describe", "--always", "--dirty"],
                          capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    import os
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refresh", action="store_true", help="render the sample and rewrite the snapshot")
    parser.add_argument("--from", dest="source", type=Path,
                        help="a project tree already rendered as render_sample does (skips rendering)")
    parser.add_argument("--made-from", help="what code rendered it (default: this checkout's HEAD commit)")
    args = parser.parse_args(argv)
    if not args.refresh:
        parser.print_help()
        return 2
    made_from = args.made_from or _head()
    if args.source is not None:
        print(f"wrote {write(args.source / 'reports', source=made_from)}")
        return 0
    os.environ.setdefault("PYTHONHASHSEED", "0")  # as the test session (tests/conftest.py)
    with tempfile.TemporaryDirectory(prefix="gaoqi-snapshot-") as tmp:
        root = _copy_project(Path(tmp) / "project")
        os.environ["GAOQI_ROOT"] = str(root)
        print(f"wrote {write(render_sample(root), source=made_from)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
