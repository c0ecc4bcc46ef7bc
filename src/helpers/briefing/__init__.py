"""The briefing of one meeting (notebook 03): context, sections, templates and output files.

Rooms: ``context`` (data at the cut-off + forecasts), ``earlier`` (earlier meetings' results, cached),
``sections`` (what each section shows, as data), ``actions`` / ``decisions`` / ``next_steps`` (下一步工作建议: what
each target not on track asks of its lead unit, the roll-up by unit, the towns' 通报, matters for the meeting),
``markup`` (Jinja2 templates, escaping), ``outputs`` (summary JSON, Excel appendix), ``bench`` (quoted backtest
accuracy), ``page`` (the ``Briefing`` notebook 03 calls).

The names below are resolved on first use (PEP 562), not when the package is imported. Why: importing any room
(``helpers.briefing.pipeline`` for the funnel's stage file, ``formatting`` for a probability) runs this file first;
eager re-exports made the renderer's parent process, which only checks the stage file before starting a kernel,
load the forecast models and statsmodels as well (5.9 s of a render's start-up at a load of 9 on 2 cores, issue
25). The kernel that runs notebook 03 imports what it uses, as before.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: public name → the room that defines it
_ROOMS = {
    "benchmark_notes": "bench", "benchmark_result": "bench",
    "MeetingContext": "context", "build_context": "context",
    "earlier_summary": "earlier",
    "fmt_p": "formatting", "fmt_range": "formatting", "fmt_value": "formatting",
    "Badge": "markup", "Table": "markup", "show_html": "markup", "table_html": "markup",
    "measure_of": "measures",
    "SCHEMA_VERSION": "outputs", "summary_record": "outputs", "write_outputs": "outputs", "write_xlsx": "outputs",
    "Briefing": "page",
}

__all__ = [
    "SCHEMA_VERSION", "Badge", "Briefing", "MeetingContext", "Table", "benchmark_notes", "benchmark_result",
    "build_context", "earlier_summary", "fmt_p", "fmt_range", "fmt_value", "measure_of", "show_html",
    "summary_record", "table_html", "write_outputs", "write_xlsx",
]

if TYPE_CHECKING:
    from helpers.briefing.bench import benchmark_notes, benchmark_result
    from helpers.briefing.context import MeetingContext, build_context
    from helpers.briefing.earlier import earlier_summary
    from helpers.briefing.formatting import fmt_p, fmt_range, fmt_value
    from helpers.briefing.markup import Badge, Table, show_html, table_html
    from helpers.briefing.measures import measure_of
    from helpers.briefing.outputs import SCHEMA_VERSION, summary_record, write_outputs, write_xlsx
    from helpers.briefing.page import Briefing


def __getattr__(name: str) -> Any:
    room = _ROOMS.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{room}"), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_ROOMS))
