"""The notice's lines on targets set for each year, from the summary JSON alone (as the rest of the notice).

Why apart from ``notice``: a yearly target missed in one year stays missed when a later year is met, so the
e-mail names each missed year with its figure and shortfall (2023年未完成（117个，差3个）), and a March notice
counts the year just closed. Only the summary's ``years`` records are read, so the notice can never say something
the briefing does not.
"""

from __future__ import annotations

from typing import Any

from helpers.goals import plain_figure
from helpers.labels import quantity
from helpers.wording import say


def _year_text(y: dict[str, Any], unit: str, lang: str) -> str:
    value = quantity(y["value"], unit, lang)
    gap = y.get("gap") or 0.0
    if not gap:
        goal = say(f"verdicts.goal.cell.{y.get('direction', 'more_than')}", lang,
                   value=plain_figure(y["target"], unit, lang))
        return say("verdicts.year.at_value", lang, year=y["year"], value=value, goal=goal)
    shown = say("verdicts.gap.points", lang, gap=f"{gap:.1f}") if unit == "percent" else quantity(gap, unit, lang)
    return say("verdicts.year.missed", lang, year=y["year"], value=value, gap=shown)


def yearly_lines(summary: dict[str, Any], lang: str = "zh") -> list[str]:
    """A title, the count for the last closed year, and one line per yearly target with a missed year; [] when
    no yearly target has a closed year yet."""
    targets = [t for t in summary.get("targets", []) if t.get("years")]
    if not targets:
        return []
    last = max(y["year"] for t in targets for y in t["years"])
    outs = [y for t in targets for y in t["years"] if y["year"] == last and y.get("reached") is not None]
    met = sum(1 for y in outs if y["reached"])
    lines = [say("verdicts.notice.title", lang),
             "- " + say("verdicts.notice.year", lang, year=last, n=len(outs), met=met, missed=len(outs) - met)]
    missed = [t for t in targets if any(y.get("reached") is False for y in t["years"])]
    for t in missed:
        name = (t.get("name_zh") or t["id"]) if lang == "zh" else (t.get("name_en") or t["id"])
        years = [_year_text(y | {"direction": t.get("direction")}, t.get("unit", ""), lang)
                 for y in t["years"] if y.get("reached") is False]
        lines.append("- " + say("verdicts.notice.missed", lang, name=name,
                                years=say("join.list", lang).join(years)))
    if not missed:
        lines.append("- " + say("verdicts.notice.none_missed", lang))
    return lines
