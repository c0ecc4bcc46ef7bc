"""Short labels (statuses, units, column headers, town and target names) by key, in either language.

A thin layer over the wording catalogue (``helpers.wording``): the fixed labels live in ``wording/labels.yaml``;
two vocabularies are not fixed and come from data instead — town names from ``helpers.towns`` and target names
from the plan file (``helpers.targets`` registers them when it loads a plan). A missing key fails loudly
(KeyError), so a new chart cannot ship with a half-translated page.
"""

from __future__ import annotations

from typing import Literal

from helpers.towns import DISTRICT, TOWNS
from helpers.wording import LANGS, catalogue, say

Lang = Literal["zh", "en"]

#: labels that come from data (the plan's target names), registered at run time by their owners
_REGISTERED: dict[str, tuple[str, str]] = {}


def label(key: str, lang: Lang = "zh") -> str:
    """The label for ``key`` in ``lang``; KeyError for an unknown key or language."""
    if lang not in LANGS:
        raise KeyError(f"unknown language {lang!r}; expected one of {LANGS}")
    if key in _REGISTERED:
        return _REGISTERED[key][LANGS.index(lang)]
    if key.startswith("town."):
        return town_label(key.removeprefix("town."), lang)
    return say(key, lang)


def known(key: str) -> bool:
    """Whether ``label(key)`` has an answer (for vocabularies that raw data may extend)."""
    if key in _REGISTERED or key in catalogue():
        return True
    return key.startswith("town.") and key.removeprefix("town.") in TOWNS


def label_or(key: str, fallback: str, lang: Lang = "zh") -> str:
    """The label for ``key``, or ``fallback`` for vocabularies that raw data may extend (e.g. new checks)."""
    return label(key, lang) if known(key) else fallback


def town_label(code: str, lang: Lang = "zh") -> str:
    """A town's name from ``helpers.towns`` (``district`` is the whole district); KeyError for an unknown code."""
    if code == DISTRICT:
        return say("town.district", lang)
    return TOWNS[code][LANGS.index(lang)]


def status_label(status: str, lang: Lang = "zh") -> str:
    return label(f"status.{status}", lang)


def unit_label(unit: str, lang: Lang = "zh") -> str:
    return label(f"unit.{unit}", lang)


def register(key: str, zh: str, en: str) -> None:
    """Add a label that comes from data (e.g. target names from the plan file, registered by ``helpers.targets``)."""
    _REGISTERED[key] = (zh, en)


#: the pace sources ``helpers.forecast.tasks`` writes today (English text) → wording key
_PACE_SOURCES = {
    "no return yet this year": "pace.no_return_yet",
    "full year reported": "pace.full_year_reported",
    "linear (no earlier year with both returns)": "pace.linear",
}


def pace_label(source: str, lang: Lang = "zh") -> str:
    """Where a task target's pace comes from, as a clause in ``lang`` (for the method notes).

    ``source`` is ``YearForecast.pace_source`` of ``helpers.forecast.tasks``; a source this function does not
    know fails loudly (KeyError) rather than being mistranslated.
    """
    if source.startswith("completion curve of "):
        years = [y.strip() for y in source.removeprefix("completion curve of ").split(",")]
        return say("pace.completion_curve", lang, years=say("pace.year_separator", lang).join(years))
    return say(_PACE_SOURCES[source], lang)
