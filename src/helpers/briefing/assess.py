"""One meeting's forecasts and statuses without rendering (``gaoqi assess``).

Why: a person checking a figure, or a benchmark, needs the numbers the briefing would state without running
notebooks, nbconvert and Chromium. The context is the briefing's (data as known at the meeting's cut-off, every
target through ``attain_all`` with the notebook's default seed) and the JSON is the briefing's own summary record
(``outputs.summary_record``), so both state the same numbers; only the earlier meetings' track record is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from helpers.labels import Lang, label, label_or
from helpers.processed import write_text_atomic

from .context import MeetingContext, build_context
from .formatting import fmt_p, fmt_range, fmt_value
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
    """The terminal table: each target's latest figure, forecast, 80 % range, probability and status."""
    lang = c.lang
    t = Table(title=f"{getattr(c.meeting, f'label_{lang}')} · {label('page.as_of', lang)} {c.meeting.cut_off}"
              + (" · SAMPLE" if c.synthetic else ""))
    for key in ("col.indicator", "col.target", "col.latest", "col.forecast", "assess.col.range80",
                "col.p_reach", "col.status"):
        t.add_column(label_or(key, key, lang), overflow="fold")
    for a in c.attainments:
        t.add_row(a.name(lang), fmt_value(a.target, a.unit, lang), fmt_value(a.latest_value, a.unit, lang),
                  fmt_value(a.forecast_point, a.unit, lang),
                  fmt_range(a.forecast_lo80, a.forecast_hi80, a.unit, lang), fmt_p(a.p_reach),
                  label_or(f"status.{a.status}", a.status, lang))
    return t
