"""Short labels (statuses, units, column headers, town and target names) by key, in either language.

A thin layer over the wording catalogue (``helpers.wording``): the fixed labels live in ``wording/labels.yaml``;
two vocabularies are not fixed and come from data instead — town names from ``helpers.towns`` and target names
from the plan file (``helpers.targets`` registers them when it loads a plan). A missing key fails loudly
(KeyError), so a new chart cannot ship with a half-translated page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from helpers.towns import DISTRICT, TOWNS, town_name
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
    """A unit's name in the active region, looked up at call time (``helpers.towns.town_name``), so another
    district's plan gets its own names; ``district`` (the whole district's row) reads 全区 / District. KeyError for
    a code the region does not have."""
    if code == DISTRICT:
        return say("town.district", lang)
    if lang not in LANGS:
        raise KeyError(f"unknown language {lang!r}; expected one of {LANGS}")
    return town_name(code, lang)


def status_label(status: str, lang: Lang = "zh") -> str:
    return label(f"status.{status}", lang)


def unit_label(unit: str, lang: Lang = "zh") -> str:
    return label(f"unit.{unit}", lang)


#: decimals a unit's figures are printed with: shares to 0.1 point, 亿元 to 0.01; counts and 万元 whole
DECIMALS = {"percent": 1, "100m_yuan": 2}


def quantity(value: float, unit: str, lang: Lang = "zh") -> str:
    """A figure with its unit, as every output prints it (tables, sentences, the notice), so the page, the
    method notes and the e-mail never disagree on rounding or form: ``396家`` / ``1,234 firms`` / ``1 team`` /
    ``48.5%``. English takes the singular (``quantity.<unit>.one``) for a figure that prints as one. A unit
    the catalogue does not know (an indicator's unit from a return) prints after the figure as given."""
    figure = figure_of(value, unit, lang)
    return _with_unit(figure, unit, lang, one=figure in ("1", "-1"))


def quantity_range(lo: float, hi: float, unit: str, lang: Lang = "zh") -> str:
    """A range with its unit said once (``391–407 firms``, ``37.7–38.5%``, ``9.20–10.50亿元``): tables and the
    terminal stay narrow, and the two ends read as one figure."""
    digits = DECIMALS.get(unit, 0)
    ends = [figure_of(v, unit, lang, digits) for v in (lo, hi)]
    if all("." in e and not e.split(".")[1].strip("0") for e in ends):  # 12.0–14.0% reads 12–14%, 37.5–38.0% stays
        ends = [e.split(".")[0] for e in ends]
    return _with_unit(f"{ends[0]}–{ends[1]}", unit, lang, one=False)


def figure_of(value: float, unit: str, lang: Lang = "zh", digits: int | None = None) -> str:
    """The figure alone, rounded as its unit deserves (for a table whose unit is said once, by the name), or to
    ``digits`` decimals.

    Rounded to its unit's decimals, a figure drops the zeros that say nothing (48%, not 48.0%; 8.5亿元, not
    8.50亿元: docs/zh-style.md, "Figures"); with ``digits`` given (telling two figures apart) every decimal stays."""
    explicit = digits is not None
    digits = DECIMALS.get(unit, 0) if digits is None else digits
    text = f"{value:,.{digits}f}" if lang == "en" else f"{value:.{digits}f}"
    if not explicit and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


#: how many decimals beyond its unit's a figure may take to tell it apart from the figure beside it
APART_DECIMALS = 2


def print_alike(value: float, other: float, unit: str, extra: int = APART_DECIMALS) -> bool:
    """Whether ``value`` and ``other`` print as the same figure even with ``extra`` more decimals than their
    unit's: within rounding, a sentence may not call one ahead of or behind the other."""
    return _apart_digits(value, other, unit, extra) is None


def quantity_apart(value: float, other: float, unit: str, lang: Lang = "zh") -> str:
    """``value`` with its unit, as ``quantity`` prints it, unless it would then print like ``other`` standing
    beside it (1.17 beside 1 done): then with the fewest extra decimals that tell them apart (``1.2``).

    Why: "1 done, behind the expected 1" reads as a contradiction; the comparison is made on the unrounded
    figures, so the sentence must show enough of them to be seen to hold."""
    digits = _apart_digits(value, other, unit)
    figure = figure_of(value, unit, lang, digits)
    return _with_unit(figure, unit, lang, one=figure in ("1", "-1"))


def _apart_digits(value: float, other: float, unit: str, extra: int = APART_DECIMALS) -> int | None:
    """The fewest decimals (the unit's, or up to ``extra`` more) at which the two figures differ."""
    base = DECIMALS.get(unit, 0)
    for digits in range(base, base + extra + 1):
        if figure_of(value, unit, "en", digits) != figure_of(other, unit, "en", digits):
            return digits
    return None


def _with_unit(figure: str, unit: str, lang: Lang, *, one: bool) -> str:
    key = f"quantity.{unit}"
    if one and known(f"{key}.one"):
        key += ".one"
    if not known(key):
        return f"{figure} {unit}" if unit else figure
    return say(key, lang, n=figure)


def register(key: str, zh: str, en: str) -> None:
    """Add a label that comes from data (e.g. target names from the plan file, registered by ``helpers.targets``)."""
    _REGISTERED[key] = (zh, en)


def pace_label(state: str, years: Iterable[int] = (), lang: Lang = "zh") -> str:
    """Where a task flow's pace comes from, as a complete clause in ``lang``.

    ``state`` is ``YearForecast.pace_state`` of ``helpers.forecast.tasks`` (``curve``, ``linear``, ``full_year``,
    ``none``) and ``years`` its ``pace_years`` (the earlier years of a completion curve). The wording is chosen by
    the state, never by matching English text; an unknown state fails loudly (KeyError).
    """
    joined = say("forecast.pace.year_separator", lang).join(str(y) for y in years)
    return say(f"forecast.pace.{state}", lang, years=joined)
