"""One manifest per meeting: ``reports/<meeting>/manifest.json`` says what each derived file was made from.

Why: a meeting's folder collects files from several runs — the Chinese page, an English one rendered later, a PDF,
the notices, the xlsx appendices, the summary, the executed notebooks. When the inputs change (a late return, an
ad-hoc meeting recorded, a new version), a render of one language used to leave the other language's page, the
PDF and the notices from the old data beside the new page, and publishing copied them all. Here every derived file
is stamped with the fingerprint (``helpers.fingerprint``) of the inputs it was made from, and the folder records
the fingerprint of its latest render. A file is *fresh* when its stamp equals the folder's:

- a render refreshes what the folder held (``helpers.render.run``: every language whose page existed, a PDF where
  one existed) and does not carry over a file whose stamp differs, so it never stays beside newer ones;
- publishing (``helpers.share``) copies only fresh files;
- a folder without a manifest (rendered before manifests existed) is taken as it is: every file counts as fresh.

The manifest is written atomically (temporary file, then rename) inside the scratch folder before the swap, and in
place when a notice is added afterwards (``helpers.notice.write_for_meeting``, right after the render).

Kept light (json only) so that ``gaoqi auto``'s idle day can compare a shared copy with ``reports/``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from helpers.atomic import write_text_atomic

MANIFEST = "manifest.json"


@dataclass
class Manifest:
    """The folder's latest render (``inputs``: its fingerprint id) and each file's stamp and language."""

    meeting: str
    inputs: str
    rendered_at: str = ""
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    def fresh(self) -> list[str]:
        """Names of the files made from the folder's latest inputs."""
        return sorted(n for n, e in self.files.items() if e.get("inputs") == self.inputs)

    def stamp(self, name: str, lang: str | None, inputs: str | None = None) -> None:
        entry = {"inputs": inputs or self.inputs}
        if lang:
            entry["lang"] = lang
        self.files[name] = entry

    def to_json(self) -> str:
        return json.dumps({"meeting": self.meeting, "inputs": self.inputs, "rendered_at": self.rendered_at,
                           "files": dict(sorted(self.files.items()))}, ensure_ascii=False, indent=1) + "\n"


def read(folder: Path) -> Manifest | None:
    """The manifest of a meeting's folder; None when it has none (or it cannot be read: then nothing is known)."""
    try:
        raw = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        files = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in raw.get("files", {}).items()}
        return Manifest(str(raw["meeting"]), str(raw["inputs"]), str(raw.get("rendered_at", "")), files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(folder: Path, manifest: Manifest) -> Path:
    path = Path(folder) / MANIFEST
    write_text_atomic(path, manifest.to_json())
    return path


def new(meeting_id: str, inputs: str) -> Manifest:
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return Manifest(meeting_id, inputs, now)


def fresh_files(folder: Path) -> list[str] | None:
    """The derived files of ``folder`` made from its latest inputs and present on disk; None without a manifest
    (every file then counts)."""
    m = read(folder)
    if m is None:
        return None
    return [n for n in m.fresh() if (Path(folder) / n).is_file()]


def stamp_file(folder: Path, name: str, lang: str | None) -> None:
    """Record ``name``, just written into a published folder from its summary (a notice), as made from the
    folder's latest inputs. A folder without a manifest is left without one."""
    m = read(folder)
    if m is None:
        return
    m.stamp(name, lang)
    write(folder, m)
