"""Writing files and folders so that a reader never sees half of one: through a temporary sibling and a rename.

Why a room of its own: ``reports/``, ``data/processed``, the shared folder, the auto run's state and the ad-hoc
meeting list are all written this way. These helpers lived in ``processed`` (which loads pandas), so the light
rooms (``manifest``, ``share``, ``auto``, ``calendar``) imported them inside functions to keep ``gaoqi auto``'s
idle day fast; here they import nothing but the standard library and are imported at the top like anything else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_shareable(path: Path) -> None:
    """Give a file or folder made by mkstemp/mkdtemp (0600/0700) the usual permissions under the umask, so
    published reports and processed data stay readable by colleagues and web servers."""
    mode = 0o777 if path.is_dir() else 0o666
    os.chmod(path, mode & ~_umask())


def publish_dir(new: Path, target: Path) -> None:
    """Swap folder ``new`` into place as ``target`` (same file system), keeping nothing half-written."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a file through a temporary sibling and a rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        make_shareable(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
