"""A target's value as the plan words it: 超8.5亿元 for a ``more_than`` target, 400家 for an ``at_least`` one.

Why a module of its own: the plan's 超 / 突破 are strict (a balance of exactly 8.5亿元 does not meet 超8.5亿元) and
its 不少于 / 达到 are not; printing both as a bare figure ("8.50亿元", "需达到8.50亿元") drops the one word that
says which. Every place that states a target's value (tables, sentences, the notice) asks here, so the word is
never lost on one page and kept on another. The value is printed as the plan gives it, without padded decimals
(8.5亿元, not 8.50亿元); outcomes keep their unit's usual decimals (``helpers.labels.quantity``).
"""

from __future__ import annotations

from helpers.labels import Lang, figure_of, quantity
from helpers.wording import say


def plain_figure(value: float, unit: str, lang: Lang = "zh") -> str:
    """``value`` with its unit, without trailing zero decimals (8.5亿元, 120个, 48%)."""
    full = quantity(value, unit, lang)
    figure = figure_of(value, unit, lang)
    if "." not in figure:
        return full
    return full.replace(figure, figure.rstrip("0").rstrip("."), 1)


def goal_value(value: float, unit: str, direction: str, lang: Lang = "zh") -> str:
    """The target's value for a table cell: 超8.5亿元 (``more_than``), 400家 (``at_least``)."""
    return say(f"verdicts.goal.cell.{direction}", lang, value=plain_figure(value, unit, lang))


def goal_need(value: float, unit: str, direction: str, lang: Lang = "zh") -> str:
    """The target's value after 需 / "needs": 达到400家 / 超过8.5亿元 (at least 400 firms / more than …)."""
    return say(f"verdicts.goal.need.{direction}", lang, value=plain_figure(value, unit, lang))
