"""The briefing of one meeting (notebook 03): context, sections, templates and output files.

Rooms: ``context`` (data at the cut-off + forecasts), ``earlier`` (earlier meetings' results, cached),
``sections`` (what each section shows, as data), ``actions`` / ``decisions`` / ``next_steps`` (下一步工作建议: what
each target not on track asks of its lead unit, the roll-up by unit, the towns' 通报, matters for the meeting),
``markup`` (Jinja2 templates, escaping), ``outputs`` (summary JSON, Excel appendix), ``bench`` (quoted backtest
accuracy), ``page`` (the ``Briefing`` notebook 03 calls).
"""

from helpers.briefing.bench import benchmark_notes, benchmark_result
from helpers.briefing.context import MeetingContext, build_context
from helpers.briefing.earlier import earlier_summary
from helpers.briefing.formatting import fmt_p, fmt_range, fmt_value
from helpers.briefing.markup import Badge, Table, show_html, table_html
from helpers.briefing.measures import measure_of
from helpers.briefing.outputs import SCHEMA_VERSION, summary_record, write_outputs, write_xlsx
from helpers.briefing.page import Briefing

__all__ = [
    "SCHEMA_VERSION", "Badge", "Briefing", "MeetingContext", "Table", "benchmark_notes", "benchmark_result",
    "build_context", "earlier_summary", "fmt_p", "fmt_range", "fmt_value", "measure_of", "show_html",
    "summary_record", "table_html", "write_outputs", "write_xlsx",
]
