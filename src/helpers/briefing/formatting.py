"""Numbers as the briefing prints them: each value with its unit, rounded as the unit deserves."""

from __future__ import annotations

import math

from helpers.forecast.attainment import AT_RISK_P, ON_TRACK_P
from helpers.labels import Lang, quantity, quantity_range


def num(value: object) -> float | None:
    """``value`` as a float, or None for missing, NaN and text (cells of mixed tables)."""
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def fmt_value(value: float | None, unit: str, lang: Lang = "zh") -> str:
    """A value with its unit (``helpers.labels.quantity``), or a dash when it is unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return quantity(value, unit, lang)


def fmt_range(lo: float | None, hi: float | None, unit: str, lang: Lang = "zh") -> str:
    """An interval with its unit said once (``helpers.labels.quantity_range``), or a dash when either end is
    unknown."""
    if lo is None or hi is None or (isinstance(lo, float) and math.isnan(lo)) or (
            isinstance(hi, float) and math.isnan(hi)):
        return "—"
    return quantity_range(lo, hi, unit, lang)


def fmt_p(p: float | None) -> str:
    """A probability as a whole percentage, except just below a status threshold (``AT_RISK_P``,
    ``ON_TRACK_P``): there it keeps one decimal, rounded down.

    Why: the page prints the status beside the probability, and 0.3965 printed "40%" next to "off track" (< 40 %)
    reads as a wrong status; so does a status change between two meetings that both print "80%".
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    shown = f"{100 * p:.0f}%"
    if any(p < edge <= float(shown[:-1]) / 100 for edge in (AT_RISK_P, ON_TRACK_P)):
        return f"{math.floor(1000 * p) / 10:.1f}%"
    return shown
