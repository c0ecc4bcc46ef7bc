"""One meeting's forecasts and statuses without rendering (``gaoqi assess``).

Why: a person checking a figure, or a benchmark, needs the numbers the briefing would state without running
notebooks, nbconvert and Chromium. The context is the briefing's (data as known at the meeting's cut-off, every
target through ``attain_all`` with the notebook's default seed) and the JSON is the briefing's own summary record
(``outputs.summary_record``), so both state the same numbers; only the earlier meetings' track record is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich import box
from rich.cells import cell_len
from rich.table import Table

from helpers.atomic import write_text_atomic
from helpers.labels import Lang, figure_of, label, label_or, unit_label
from helpers.wording import say

from .context import MeetingContext, build_context
from .formatting import fmt_p, num
from .outputs import summary_record


def assess(meeting_id: str, *, lang: Lang = "zh", processed_dir: str | Path | None = None,
           seed: int = 0) -> MeetingContext:
    """The meeting's context exactly as the briefing computes it, without the earlier meetings' track record."""
    return MeetingContext(**build_context(meeting_id, lang=lang, processed_dir=processed_dir, seed=seed,
                                          track_record=False))


def write_summary(c: MeetingContext, path: Path) -> Path:
    """The briefing's summary JSON for this meeting, written atomically to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(summary_record(c), ensure_ascii=False, indent=2))
    return path


def table(c: MeetingContext) -> Table:
    """The terminal table: each target's latest figure, forecast, 80 % range, probability and status.

    A terminal is often 80 columns wide: the unit is said once, with the target's short name, so the other columns
    hold bare figures, each column exactly as wide as its widest cell (a figure is never broken across lines), and
    the name takes what is left.
    """
    lang = c.lang
    t = Table(title=f"{getattr(c.meeting, f'label_{lang}')} · {label('page.as_of', lang)} {c.meeting.cut_off}"
              + (" · SAMPLE" if c.synthetic else ""), box=box.SIMPLE_HEAD)
    rows = [[say("assess.name_unit", lang, name=_short_name(c, a), unit=unit_label(a.unit, lang)),
             say(f"verdicts.goal.cell.{a.direction}", lang, value=_bare(a.target, a.unit, lang)),
             *(_bare(v, a.unit, lang) for v in (a.latest_value, a.forecast_point)),
             _bare_range(a.forecast_lo80, a.forecast_hi80, a.unit, lang), fmt_p(a.p_reach),
             label_or(f"status.{a.status}", a.status, lang)] for a in c.attainments]
    t.add_column(label_or("col.indicator", "col.indicator", lang), overflow="fold")
    for i, key in enumerate(("col.target", "col.latest", "col.forecast", "assess.col.range80", "assess.col.p",
                             "col.status"), start=1):
        header = label_or(key, key, lang)
        t.add_column(header, overflow="fold", width=max(cell_len(header), *(cell_len(r[i]) for r in rows)))
    for r in rows:
        t.add_row(*r)
    return t


def _bare_range(lo: float | None, hi: float | None, unit: str, lang: Lang) -> str:
    low, high = _bare(lo, unit, lang), _bare(hi, unit, lang)
    return "—" if "—" in (low, high) else f"{low}–{high}"


def _bare(value: float | None, unit: str, lang: Lang) -> str:
    """A figure without its unit, or a dash when it is unknown."""
    v = num(value)
    return "—" if v is None else figure_of(v, unit, lang)


def _short_name(c: MeetingContext, a) -> str:
    """The plan's short name of the target (a terminal is narrow), else the attainment's full name."""
    try:
        return c.plan.target(a.id).short(c.lang)
    except KeyError:
        return a.name(c.lang)
