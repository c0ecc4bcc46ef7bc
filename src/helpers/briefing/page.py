"""The briefing notebook 03 shows: one object per meeting whose ``show_*`` calls put each section on the page.

``Briefing.build(meeting_id, lang=…)`` computes everything once (``context``); each ``show_*`` takes a section's
data (``sections``), renders it through a template (``markup``) or draws its figures (``helpers.charts``).
``write_outputs`` leaves the summary JSON and the Excel appendix next to the page (``outputs``).

The page has two parts (docs/architecture.md, "Main text and 附件"): the **main text** for the leading group, then
``show_annex()``, then the **附件** for analysts (method, backtests, data quality, sources, the sample mark's
explanation). A section belongs to the part its notebook cell stands in: adding one is a ``show_*`` method that
opens with ``self.open_section("<key>")`` and a cell before or after ``b.show_annex()``. Headings are numbered in
page order (一、二、… in the main text, 附件1、附件2、… after it), so no title carries a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import helpers.briefing.annex as annex
import helpers.briefing.half_years as half_years
import helpers.briefing.next_steps as next_steps
import helpers.briefing.outputs as outputs
import helpers.briefing.recognition as recognition
import helpers.briefing.sections as sections
import helpers.briefing.yearly as yearly
from helpers import charts
from helpers.labels import Lang, label
from helpers.wording import say

from .context import MeetingContext, build_context
from .markup import render, show_html

#: Chinese numerals for the main text's section numbers (一、二、…); a page has far fewer than twenty sections
_NUMERALS = "一二三四五六七八九十"


def section_number(n: int, lang: Lang, annex: bool) -> str:
    """The ``n``-th section's number as the heading prints it: 一 … 二十 in Chinese main text, digits otherwise."""
    if lang != "zh" or annex:
        return str(n)
    if n <= 10:
        return _NUMERALS[n - 1]
    return ("" if n < 20 else _NUMERALS[n // 10 - 1]) + "十" + (_NUMERALS[n % 10 - 1] if n % 10 else "")


@dataclass
class Briefing(MeetingContext):
    """Everything one meeting's briefing shows, computed once from the data known at its cut-off."""

    #: sections opened so far in the main text and in the 附件 (numbering follows the notebook's order)
    _main_sections: int = 0
    _annex_sections: int = 0
    _in_annex: bool = False

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
    def heading_html(self, section: str, number: int | None = None, title: str | None = None) -> str:
        """The heading of ``section`` (title ``sec.<section>`` unless given), numbered when ``number`` is given."""
        title = title or self.t(f"sec.{section}")
        if number is not None:
            title = say("briefing.section.annex" if self._in_annex else "briefing.section.main", self.lang,
                        no=section_number(number, self.lang, self._in_annex), title=title)
        return render("heading.html.j2", level=2, text=title)

    def open_section(self, section: str, title: str | None = None) -> str:
        """The numbered heading of the next section of the current part (main text or 附件)."""
        if self._in_annex:
            self._annex_sections += 1
            return self.heading_html(section, self._annex_sections, title)
        self._main_sections += 1
        return self.heading_html(section, self._main_sections, title)

    def annex_html(self) -> str:
        """The 附件's opening: its title, what it holds and the sample mark's explanation (``data-gq="annex"``:
        everything after it on the page is annex, everything before it main text)."""
        return render("annex.html.j2", a=annex.annex_intro(self))

    def header_html(self) -> str:
        return render("header.html.j2", h=sections.header(self))

    def summary_html(self) -> str:
        return render("summary.html.j2", table=sections.summary_table(self), risk_title=sections.risk_title(self),
                      risks=sections.risks(self))

    def changes_html(self) -> str:
        intro = render("note.html.j2", text=sections.changes_intro(self), note=self.previous is None)
        table = sections.changes_table(self)
        return intro + (render("table.html.j2", table=table) if table else "")

    def next_steps_html(self) -> str:
        """The 下一步工作建议 section (``next_steps``) without its heading."""
        return render("next_steps.html.j2", s=next_steps.next_steps(self))

    def quality_html(self, limit: int = 25) -> str:
        return render("quality.html.j2", q=sections.quality(self, limit))

    def headline_figures(self) -> list:
        return sections.headline_figures(self)

    # ------------------------------------------------------------------ sections, in page order
    def show_header(self) -> None:
        show_html(self.header_html())

    def show_summary(self) -> None:
        show_html(self.open_section("summary") + self.summary_html())

    def show_next_steps(self) -> None:
        """下一步工作建议: for each target not on track, what its lead unit (then the supporting ones) must deliver;
        the roll-up by unit, the towns' 通报 and the matters for the meeting: main text, after the towns and before the
        sections an annex takes (changes, track record, quality, method)."""
        show_html(self.open_section("next_steps") + self.next_steps_html())

    def show_headline(self) -> None:
        show_html(self.open_section("headline"))
        for fig in self.headline_figures():
            charts.show(fig)
        fig, text = sections.pipeline_funnel(self)
        if fig is not None:
            show_html(render("pipeline.html.j2", title=say("pipeline.title", self.lang), text=text))
            charts.show(fig)

    def show_shares(self) -> None:
        show_html(self.open_section("shares"))
        for story in sections.share_stories(self):
            for fig in story.figures:
                charts.show(fig)
            if story.breaks:
                show_html(render("list.html.j2", title=story.breaks_title, items=story.breaks, note=False))

    def annual_html(self) -> str:
        """The year just closed (年度任务完成情况), when this is the first meeting after it; "" otherwise."""
        year = yearly.closed_year(self)
        table = yearly.annual_table(self, year) if year is not None else None
        if table is None or year is None:
            return ""
        return (render("heading.html.j2", level=3, text=yearly.annual_title(self, year))
                + render("table.html.j2", table=table) + render("note.html.j2", text=yearly.annual_note(self, year),
                                                               note=False))

    def readings_html(self) -> str:
        """One line per target whose two readings give different verdicts; "" when none does."""
        lines = yearly.reading_lines(self)
        return render("list.html.j2", title=yearly.reading_title(self), items=lines, note=True) if lines else ""

    def review_html(self) -> str:
        """三年行动总结 at the final review (every target whose outcome is known, year by year); "" before it."""
        table = yearly.review_table(self) if self.meeting.final_review else None
        if table is None:
            return ""
        return (self.open_section("review", yearly.review_title(self))
                + render("table.html.j2", table=table) + render("note.html.j2", text=yearly.review_note(self),
                                                               note=False) + self.readings_html())

    def show_review(self) -> None:
        """The final review's three-year summary; nothing at other meetings."""
        html = self.review_html()
        if html:
            show_html(html)

    def show_tasks(self) -> None:
        readings = "" if self.meeting.final_review else self.readings_html()
        show_html(self.open_section("tasks") + self.annual_html()
                  + render("table.html.j2", table=sections.task_table(self)) + readings)
        charts.show(sections.task_figure(self))
        short = half_years.short_lines(self)
        if short:  # a half-year with none can hide in a yearly total that is met
            show_html(render("list.html.j2", title=say("half_years.title", self.lang), items=short, note=False))

    def show_towns(self) -> None:
        show_html(self.open_section("towns"))
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
        title = self.open_section("expiring", recognition.expiring_title(self, table))
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
        show_html(self.open_section("changes") + self.changes_html())

    def show_track_record(self) -> None:
        show_html(self.open_section("track"))
        tr = sections.track_record(self)
        if tr.empty:
            show_html(render("note.html.j2", text=say("briefing.track.none", self.lang), note=True))
            return
        for fig in sections.track_figures(self, tr):
            charts.show(fig)
        show_html(render("table.html.j2", table=sections.track_table(self, tr)))

    def show_quality(self) -> None:
        show_html(self.open_section("quality") + self.quality_html())

    def show_method(self) -> None:
        show_html(self.open_section("method") + render("method.html.j2", m=sections.method(self)))

    def show_public(self) -> None:
        """Published figures for context (real data, each naming its publisher, third-party copies flagged),
        and where the district ranks among its city's districts; nothing when the region names no context."""
        intro, public = annex.public_context(self)
        if not public:
            return
        show_html(self.open_section("public") + render("note.html.j2", text=intro, note=True))
        for p in public:
            charts.show(p.figure)
            if p.ranking:
                show_html(render("list.html.j2", title="", items=p.ranking, note=False))
            show_html(render("list.html.j2", title="", items=p.sources, note=True))

    # ------------------------------------------------------------------ the 附件
    def show_annex(self) -> None:
        """End the main text and open the 附件: sections shown after this are for analysts."""
        show_html(self.annex_html())
        self._in_annex = True

    # ------------------------------------------------------------------ outputs
    def summary_record(self) -> dict:
        """The summary JSON (schema: docs/summary-schema.md)."""
        return outputs.summary_record(self)

    def write_outputs(self, output_dir: str | Path) -> list[Path]:
        """Write ``summary-<meeting>.json`` and the xlsx (``outputs.appendix_name``) into ``output_dir``."""
        return outputs.write_outputs(self, output_dir)
