"""One wording catalogue for every sentence the suite writes, in Chinese and English, with placeholders.

Why: choices such as ``"…" if zh else "…"`` scattered through code drift apart (a Chinese page ends up with English
passages, one language says something the other does not). Here every sentence has a key and both languages side
by side in YAML files beside this module, one file per room (``forecast.yaml``, ``briefing.yaml``, ``intake.yaml``
…). Code only says ``say("forecast.final.reached", lang, value=…)``.

Rules, checked on load (``tests/test_wording.py``): every key has both ``zh`` and ``en``; both use the same
placeholders; no key is defined in two files. A missing key or placeholder fails loudly (KeyError), so a new
sentence cannot ship half-translated.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import yaml

LANGS = ("zh", "en")
_HERE = Path(__file__).resolve().parent


class WordingError(ValueError):
    """The catalogue itself is malformed (a developer's error, found by the tests)."""


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key of every ``*.yaml`` file here, flattened: ``{"room.key": {"zh": …, "en": …}}``."""
    entries: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in sorted(_HERE.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise WordingError(f"{path.name}: expected a mapping of keys to {{zh, en}}")
        for key, value in raw.items():
            if not isinstance(value, dict) or set(value) != set(LANGS):
                raise WordingError(f"{path.name}: {key}: expected exactly the keys zh and en")
            if not all(isinstance(value[lang], str) for lang in LANGS):
                raise WordingError(f"{path.name}: {key}: zh and en must be text")
            if _fields(value["zh"]) != _fields(value["en"]):
                raise WordingError(f"{path.name}: {key}: zh and en use different placeholders "
                                   f"({sorted(_fields(value['zh']))} vs {sorted(_fields(value['en']))})")
            if key in entries:
                raise WordingError(f"{path.name}: {key} is already defined in {where[key]}")
            entries[key], where[key] = value, path.name
    return entries


def say(key: str, lang: str, /, **values: object) -> str:
    """The sentence ``key`` in ``lang`` with its placeholders filled (``str.format`` syntax)."""
    if lang not in LANGS:
        raise KeyError(f"language {lang!r}: expected one of {LANGS}")
    text = catalogue()[key][lang]
    return text.format(**values)


def both(key: str, /, **values: object) -> tuple[str, str]:
    """The sentence in Chinese and English, for records that carry both (summary JSON, Attainment)."""
    return say(key, "zh", **values), say(key, "en", **values)
