"""HTML of the briefing: Jinja2 templates under ``templates/sections/`` with autoescaping on.

Why templates with autoescape: firm names, file names and quality messages come from raw files; any of them may
hold ``<script>``. Every value reaches the page escaped unless it is a ``Badge`` (built by the template itself).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from IPython.display import HTML, display
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from helpers.labels import Lang, status_label


@dataclass(frozen=True)
class Badge:
    """A status shown as a coloured badge (``gq-badge <status>`` in briefing.css)."""

    status: str
    text: str

    @classmethod
    def of(cls, status: str, lang: Lang) -> Badge:
        return cls(status, status_label(status, lang))


@dataclass
class Table:
    """A table as data: header, rows of cells (text, number text or ``Badge``), numeric columns, test hook."""

    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    numeric: Sequence[int] = ()
    gq: str = ""
    raw: Sequence[int] = field(default_factory=tuple)
    #: columns of running text shown on a line of their own under each row, across the table's width, each under
    #: its header: a 10-column task table squeezed "what it would take" into 89 px and grew 7,199 px tall
    detail: Sequence[int] = ()

    @property
    def columns(self) -> list[int]:
        """The columns laid out side by side (every column not shown as a detail line)."""
        return [i for i in range(len(self.header)) if i not in self.detail]


#: an ISO date with the full-width brackets around it, if any: "400家（2024-12-31）" may break before "（",
#: never after it or before "）" (the PDF printed "400家（" / "2024-12-31" / "）")
DATE = re.compile(r"[（(]?\d{4}-\d{2}-\d{2}[）)]?")


def whole_dates(text: object) -> Markup:
    """``text`` escaped, each ISO date in it kept on one line (``gq-nobr``).

    Why: a printed table squeezes its columns, and Chromium breaks a date after its hyphens ("2024-08-" / "31"),
    which reads as two values; a date's brackets stay with it. HTML the caller built (``Markup``) is left as it is."""
    if isinstance(text, Markup):
        return text
    return Markup(DATE.sub(lambda m: f'<span class="gq-nobr">{m.group(0)}</span>', str(escape(text))))


#: a short term inside a header's brackets, between the brackets and commas ("80%区间" of "全年预测（80%区间，达到
#:全区目标概率）", "80 % range"): printed, a long header broke inside it
#: (with the bracket or comma before and after it: Chromium broke between a kept span and its "）"). Longer terms
#: (over 8 characters, 12 in plain ASCII such as "80 % range")
#: ("截至2024年8月31日", "2024年3月会议") may break between words: kept whole, a table of seven such headers is
#: wider than the A4 column; a figure inside them never breaks (digits give Chromium no break point)
SHORT_TERM = re.compile(r"(?:[（(]|(?<=[，,]))\s*(?:[^（）()，,]{1,8}|[^（）()，,\u0080-\uffff]{1,12})[）)，,]")


def whole_terms(text: object) -> Markup:
    """A header escaped, each short term in its brackets kept on one line (``gq-nobr``): the header may break
    between the terms, never inside one ("全年预测（80%区" / "间，…）")."""
    if isinstance(text, Markup):
        return text
    return Markup(SHORT_TERM.sub(lambda m: f'<span class="gq-nobr">{m.group(0)}</span>', str(escape(text))))


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("helpers", "templates/sections"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.tests["badge"] = lambda value: isinstance(value, Badge)
    env.filters["whole_dates"] = whole_dates
    env.filters["whole_terms"] = whole_terms
    return env


def render(template: str, **context: object) -> str:
    """The HTML of ``templates/sections/<template>`` with ``context``; whitespace between tags removed."""
    return environment().get_template(template).render(**context).strip()


def table_html(header: Sequence[str], rows: Sequence[Sequence[object]], *, numeric: Sequence[int] = (),
               raw: Sequence[int] = (), gq: str = "") -> str:
    """An HTML table. Cells are escaped, except columns listed in ``raw`` (HTML the caller built and trusts)."""
    rows = [[Markup(c) if i in raw else c for i, c in enumerate(row)] for row in rows]
    return render("table.html.j2", table=Table(header, rows, numeric, gq))


def show_html(fragment: str) -> None:
    """Put an HTML fragment into the notebook's output (exported as it is into the briefing page)."""
    display(HTML(fragment))
