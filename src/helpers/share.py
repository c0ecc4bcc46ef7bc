"""Copy a meeting's folder and the index to a shared folder, atomically (``--publish-dir``).

Why: the leading group's members read the briefings from a shared folder (a mounted network share, a web server's
directory), often while a new version is being published. A reader must see either the previous folder or the
new one, never a half-copied mix, and a failed copy must leave the previous version in place. So every folder is
first copied in full to a hidden temporary sibling inside the shared folder (same file system), then swapped in:
with one ``renameat2(RENAME_EXCHANGE)`` where the system offers it (Linux), else with two renames
(``helpers.processed.publish_dir``); single files go through a temporary sibling and ``os.replace``.

Only meeting folders that hold a rendered summary are published, so work in progress (``.scratch``, ``.failed``)
never leaves ``reports/``. Folders the index links to but the shared folder lacks, or holds in an older version
than ``reports/`` (another render since), are published too, so the shared index never links to nothing nor to a
stale copy. Of each folder only the files made from its latest inputs are copied (``helpers.manifest``),
with the manifest of what was copied: a stale page, PDF or notice never reaches the shared folder, and the swap
removes whatever the previous copy held.

``check_publish_dir`` is the one validator of a shared folder: ``gaoqi auto``, ``gaoqi render`` and
``gaoqi schedule`` all call it, so a folder the scheduler is told about is one the daily run accepts.

It imports nothing heavy (no pandas, no renderer): ``gaoqi auto``'s idle day asks it whether a shared copy is
outdated.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

from helpers import manifest, paths
from helpers.atomic import make_shareable, publish_dir
from helpers.errors import InputError, RenderFailure
from helpers.meeting_files import INDEX, meeting_dir, summary_path
from helpers.wording import say


class ShareError(RenderFailure):
    """Copying to the shared folder failed; what was published there before is unchanged (exit 1)."""


def check_publish_dir(target: Path, lang: str = "zh") -> Path:
    """The shared folder as an absolute path, refused (exit 2) before any work when it cannot be one.

    It may not exist yet, but its parent must: a missing parent usually means the share is not mounted, and
    creating a local folder in its place would publish where nobody looks.
    """

    target = Path(target).expanduser().absolute()
    reports = paths.reports_dir().absolute()
    if target == reports or reports in target.parents or target in reports.parents:
        raise InputError(say("cli.publish_dir.inside_reports", lang, target=target, reports=reports))
    if target.exists() and not target.is_dir():
        raise InputError(say("cli.publish_dir.not_a_folder", lang, target=target))
    if not target.exists() and not target.parent.is_dir():
        raise InputError(say("cli.publish_dir.no_parent", lang, target=target, parent=target.parent))
    return target


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # the file system (e.g. some network shares) cannot exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(a))


def swap_in(new: Path, target: Path) -> None:
    """Put folder ``new`` in place of ``target`` (same file system); ``new`` is gone afterwards."""
    if target.exists() and _renameat2_exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous version
        return
    publish_dir(new, target)


def copy_folder(source: Path, target: Path) -> Path:
    """Copy folder ``source`` to ``target`` atomically: a full copy beside it first, then one swap.

    Only the files of ``source`` made from its latest inputs are copied, with a manifest listing them; a folder
    without a manifest (rendered before manifests existed) is copied whole.
    """
    target.parent.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        make_shareable(tmp)
        recorded = manifest.read(source)
        fresh = manifest.fresh_files(source)
        for f in sorted(source.iterdir()):
            if f.is_file() and not f.name.startswith(".") and f.name != manifest.MANIFEST \
                    and (fresh is None or f.name in fresh):
                shutil.copy2(f, tmp / f.name)
        if recorded is not None:
            recorded.files = {n: e for n, e in recorded.files.items() if (tmp / n).is_file()}
            manifest.write(tmp, recorded)
        swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def copy_file(source: Path, target: Path) -> Path:
    """Copy one file through a temporary sibling and ``os.replace``: readers see the old or the new file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        shutil.copy2(source, tmp)
        make_shareable(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def rendered_meetings() -> list[str]:
    """Meeting folders in ``reports/`` that hold their summary JSON (i.e. a finished render)."""
    reports = paths.reports_dir()
    if not reports.is_dir():
        return []
    return sorted(d.name for d in reports.iterdir()
                  if d.is_dir() and not d.name.startswith(".") and summary_path(d.name).exists())


def outdated(source: Path, copy: Path) -> bool:
    """Whether the shared ``copy`` of a meeting's folder is missing, or differs from what publishing ``source``
    (in ``reports/``) would copy now: made from other inputs, or another set of fresh files (a page added since).
    Light (manifests only): ``gaoqi auto``'s idle day asks it."""
    if not copy.is_dir():
        return True
    here, there = manifest.read(source), manifest.read(copy)
    if here is None:
        return False  # a folder rendered before manifests: nothing to compare; it was copied whole
    return there is None or there.inputs != here.inputs or set(there.files) != set(manifest.fresh_files(source) or [])


def publish(meeting_ids: list[str], publish_dir: Path, lang: str = "zh") -> list[Path]:
    """Copy the given meetings' folders and ``index.html`` from ``reports/`` to ``publish_dir`` atomically.

    Meeting folders the index lists but ``publish_dir`` lacks are copied as well. The index goes last, so it
    never links to a folder that is not there yet. Raises ``ShareError`` (exit 1) on an OS error; whatever was
    published before stays as it was.
    """
    target = check_publish_dir(publish_dir, lang)
    rendered = rendered_meetings()
    wanted = [m for m in meeting_ids if m in rendered]
    unknown = [m for m in meeting_ids if m not in rendered]
    if unknown:
        raise ShareError(say("cli.share.not_rendered", lang, meetings=", ".join(unknown),
                             reports=paths.reports_dir()))
    wanted += [m for m in rendered if m not in wanted and outdated(meeting_dir(m), target / m)]
    done: list[Path] = []
    try:
        target.mkdir(exist_ok=True)
        for m in wanted:
            done.append(copy_folder(meeting_dir(m), target / m))
        index = paths.reports_dir() / INDEX
        if index.exists():
            done.append(copy_file(index, target / INDEX))
    except OSError as exc:
        raise ShareError(say("cli.share.failed", lang, target=target, error=exc,
                             done=", ".join(p.name for p in done) or say("cli.share.nothing", lang))) from None
    return done
