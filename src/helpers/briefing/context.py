"""Everything one meeting's briefing is made of, computed once: the data cut at the meeting's cut-off, one
Attainment per target, and what the earlier meetings' briefings said."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from helpers.calendar import Meeting, meeting, meetings, previous_meeting
from helpers.completeness import CompletenessReport, for_meeting
from helpers.forecast import attain_all
from helpers.forecast.attainment import Attainment
from helpers.labels import Lang, label
from helpers.processed import ProcessedData, load
from helpers.targets import Plan, load_plan
from helpers.vintage import as_of

from .earlier import earlier_summary


@dataclass
class MeetingContext:
    """One meeting's inputs for the briefing: plan, meeting, language, data as known at the cut-off, results."""

    plan: Plan
    meeting: Meeting
    lang: Lang
    data: ProcessedData
    attainments: list[Attainment]
    previous: Meeting | None = None
    previous_summary: list[dict] = field(default_factory=list)
    earlier: dict[str, list[dict]] = field(default_factory=dict)
    generated_at: str = ""
    completeness: CompletenessReport | None = None  # the returns due by the cut-off and which are missing

    @property
    def synthetic(self) -> bool:
        return self.data.synthetic

    @property
    def source(self) -> str:
        """The source named on every figure and table: synthetic sample or official data."""
        return label("page.source_sample" if self.synthetic else "page.real_data", self.lang)

    def att(self, target_id: str) -> Attainment:
        """The attainment of the target ``target_id`` (for exploring in JupyterLab)."""
        for a in self.attainments:
            if a.id == target_id:
                return a
        raise KeyError(target_id)


def build_context(meeting_id: str, *, lang: Lang = "zh", processed_dir: str | Path | None = None, seed: int = 0,
                  track_record: bool = True) -> dict:
    """The fields of a ``MeetingContext``: load the processed data, cut it at the meeting's cut-off, forecast.

    Earlier meetings are recomputed from the data as known at *their* cut-offs (``earlier.earlier_summary``);
    with ``track_record=False`` only the previous meeting is (enough for "since the last meeting").
    Completeness reads every release, not the cut-at-the-cut-off data: a return dated after the cut-off is then
    reported as late (received, not used) rather than missing.
    """
    plan = load_plan()
    m = meeting(plan, meeting_id)
    everything = load(processed_dir or None)
    data = as_of(everything, m.cut_off)
    attainments = attain_all(data, plan, m, seed=seed)
    prev = previous_meeting(plan, m)
    earlier = {e.id: earlier_summary(everything, plan, e, seed=seed, processed_dir=processed_dir)
               for e in meetings(plan) if e.date < m.date and (track_record or e == prev)}
    return dict(plan=plan, meeting=m, lang=lang, data=data, attainments=attainments, previous=prev,
                previous_summary=earlier.get(prev.id, []) if prev else [], earlier=earlier,
                generated_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                completeness=for_meeting(plan, m, everything))
