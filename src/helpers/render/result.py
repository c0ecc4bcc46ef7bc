"""What a render gives back: the result of one meeting, or the error that says what failed and where to look.

Kept apart so every step of the room (run, export, publish, pdf) can raise the same error without importing
the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.errors import RenderFailure


class RenderError(RenderFailure, RuntimeError):
    """A briefing could not be rendered; the message says which meeting, which step and where to look (exit 1)."""


@dataclass(frozen=True)
class RenderResult:
    """One published briefing: its meeting, language, the files of its folder and the seconds it took; ``langs``
    every language whose page the render made (the one asked for first, then the ones it refreshed)."""

    meeting: str
    lang: str
    files: tuple[Path, ...]
    seconds: float
    langs: tuple[str, ...] = ()
