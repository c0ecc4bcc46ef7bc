"""The briefing notebook 03 shows: one object per meeting whose ``show_*`` calls put each section on the page.

``Briefing.build(meeting_id, lang=…)`` computes everything once (``context``); each ``show_*`` takes a section's
data (``sections``), renders it through a template (``markup``) or draws its figures (``helpers.charts``).
``write_outputs`` leaves the summary JSON and the Excel appendix next to the page (``outputs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers import charts
from helpers.labels import Lang, label
from helpers.wording import say

from . import half_years, outputs, recognition, sections
from .context import MeetingContext, build_context
from .markup import render, show_html


@dataclass
class Briefing(MeetingContext):
    """Everything one meeting's briefing shows, computed once from the data known at its cut-off."""

    @classmethod
    def build(cls, meeting_id: str, *, lang: Lang = "zh", processed_dir: str | Path | None = None,
              seed: int = 0, track_record: bool = True) -> Briefing:
        """Load the processed data, cut it at the meeting's cut-off and forecast every target (see
        ``context.build_context``)."""
        return cls(**build_context(meeting_id, lang=lang, processed_dir=processed_dir, seed=seed,
                                   track_record=track_record))

    def t(self, key: str) -> str:
        """A label in the briefing's language."""
        return label(key, self.lang)

    # ------------------------------------------------------------------ pieces as HTML (also used by tests)
    def heading_html(self, section: str) -> str:
        return render("heading.html.j2", level=2, text=self.t(f"sec.{section}"))

    def header_html(self) -> str:
        return render("header.html.j2", h=sections.header(self))

    def summary_html(self) -> str:
        return render("summary.html.j2", table=sections.summary_table(self), risk_title=sections.risk_title(self),
                      risks=sections.risks(self))

    def changes_html(self) -> str:
        intro = render("note.html.j2", text=sections.changes_intro(self), note=self.previous is None)
        table = sections.changes_table(self)
        return intro + (render("table.html.j2", table=table) if table else "")

    def quality_html(self, limit: int = 25) -> str:
        return render("quality.html.j2", q=sections.quality(self, limit))

    def headline_figures(self) -> list:
        return sections.headline_figures(self)

    # ------------------------------------------------------------------ sections, in page order
    def show_header(self) -> None:
        show_html(self.header_html())

    def show_summary(self) -> None:
        show_html(self.heading_html("summary") + self.summary_html())

    def show_headline(self) -> None:
        show_html(self.heading_html("headline"))
        for fig in self.headline_figures():
            charts.show(fig)
        fig, text = sections.pipeline_funnel(self)
        if fig is not None:
            show_html(render("pipeline.html.j2", title=say("pipeline.title", self.lang), text=text))
            charts.show(fig)

    def show_shares(self) -> None:
        show_html(self.heading_html("shares"))
        for story in sections.share_stories(self):
            for fig in story.figures:
                charts.show(fig)
            if story.breaks:
                show_html(render("list.html.j2", title=story.breaks_title, items=story.breaks, note=False))

    def show_tasks(self) -> None:
        show_html(self.heading_html("tasks") + render("table.html.j2", table=sections.task_table(self)))
        charts.show(sections.task_figure(self))
        short = half_years.short_lines(self)
        if short:  # a half-year with none can hide in a yearly total that is met
            show_html(render("list.html.j2", title=say("half_years.title", self.lang), items=short, note=False))

    def show_towns(self) -> None:
        show_html(self.heading_html("towns"))
        table, note = sections.town_headline(self)
        if table is not None:
            show_html(render("table.html.j2", table=table) + (render("note.html.j2", text=note, note=True)
                                                              if note else ""))
        matrix = sections.town_matrix(self)
        if matrix.empty:
            show_html(render("note.html.j2", text=say("briefing.towns.none", self.lang), note=True))
            return
        charts.show(sections.town_figure(self, matrix))
        show_html(render("table.html.j2", table=sections.town_ranking(self, matrix)))

    def recognition_html(self) -> str:
        """Applications, recognitions and pass rates by town and by round (``recognition``), one block a year."""
        parts = [render("heading.html.j2", level=3, text=say("recognition.title", self.lang))]
        years = recognition.pipelines(self)
        if not years:
            return parts[0] + render("note.html.j2", text=say("recognition.none", self.lang), note=True)
        for p in years:
            parts += [render("heading.html.j2", level=4, text=recognition.year_heading(p, self)),
                      render("note.html.j2", text=recognition.pipeline_text(p, self.lang), note=False),
                      render("table.html.j2", table=recognition.town_table(p, self.lang)),
                      render("table.html.j2", table=recognition.batch_table(p, self.lang))]
        return "".join(parts)

    def expiring_html(self) -> str:
        """The annex list of certificates running out in the focus year or the next, for follow-up."""
        table = recognition.expiring(self)
        title = render("heading.html.j2", level=2, text=recognition.expiring_title(self, table))
        if table.empty:
            return title + render("note.html.j2", note=True, text=say(
                "recognition.expiring.none", self.lang, first=self.meeting.focus_year,
                last=self.meeting.focus_year + 1))
        return (title + render("note.html.j2", text=say("recognition.expiring.note", self.lang), note=True)
                + render("table.html.j2", table=recognition.expiring_table(self, table)))

    def show_recognition(self) -> None:
        show_html(self.recognition_html())

    def show_expiring(self) -> None:
        show_html(self.expiring_html())

    def show_changes(self) -> None:
        show_html(self.heading_html("changes") + self.changes_html())

    def show_track_record(self) -> None:
        show_html(self.heading_html("track"))
        tr = sections.track_record(self)
        if tr.empty:
            show_html(render("note.html.j2", text=say("briefing.track.none", self.lang), note=True))
            return
        for fig in sections.track_figures(self, tr):
            charts.show(fig)
        show_html(render("table.html.j2", table=sections.track_table(self, tr)))

    def show_quality(self) -> None:
        show_html(self.heading_html("quality") + self.quality_html())

    def show_method(self) -> None:
        show_html(self.heading_html("method") + render("method.html.j2", m=sections.method(self)))
        title, public = sections.public_context(self)
        if public:
            show_html(render("heading.html.j2", level=3, text=title))
        for p in public:
            charts.show(p.figure)
            show_html(render("list.html.j2", title="", items=p.sources, note=True))

    # ------------------------------------------------------------------ outputs
    def summary_record(self) -> dict:
        """The summary JSON (schema: docs/summary-schema.md)."""
        return outputs.summary_record(self)

    def write_outputs(self, output_dir: str | Path) -> list[Path]:
        """Write ``summary-<meeting>.json`` and the xlsx (``outputs.appendix_name``) into ``output_dir``."""
        return outputs.write_outputs(self, output_dir)
