"""Readers for the bureau's raw returns: xlsx, xls and csv in, located tables and tidy records out.

Why this shape: returns come as workbooks laid out for people (merged title rows carrying the period and the
release date, Chinese headers with units in brackets — sometimes split over two rows —, footnotes under the
table, "—" for unpublished cells) or as CSV exports of older systems in GBK. Each reader finds the header row by
the spellings of ``data/raw/plan/vocabulary.yaml`` (``helpers.vocabulary``), reads units from the headers and
converts money to 万元, keeps YTD figures as reported (1-2月 is month 2; a January-only return is refused), and
gives every value its provenance (file, sheet, Excel row, column) and the date it became known.

Nothing is dropped silently: every cell holding a number below a header row gets a *fate* in ``Parsed.fates``
— a processed table, set aside with a reason (a share the suite recomputes, a 合计 row checked against the towns,
a 序号 column …) — and any number left without one becomes a located fault. Column drift (a blank or unknown
header over numbers, two columns meaning the same thing, a unit the reader does not know) is a located fault
too. Nothing here decides about single cells: every checked cell is emitted as a row of ``cells`` that
``helpers.validate`` checks with pandera.

The rooms (this face only re-exports what callers use):

- ``files``: reading xlsx/xls/csv, encodings → :class:`Sheet`
- ``cells``: one cell's number, missing mark, date, period, release date, round
- ``header``: locating the header row and classifying every column → :class:`Table`
- ``records``: :class:`Parsed`, checked cells, the fate of every figure, shared readers of the forms
- ``form_*``: one module per form the bureau returns; ``task_returns``: what the two task returns share
- ``registry``: the forms by name (``forms.register(...)``), in the order they are recognised
- ``tables``: sheets → records through the registry, with the ledger of every figure

The input grammar (missing marks, footnote marks, release-date labels, application kinds) is read from the
vocabulary file's ``grammar`` section (``helpers.vocabulary.Grammar``; docs/data-contract.md).
"""

from helpers.ingest.cells import (
    cell_text,
    find_release,
    parse_date,
    parse_number,
    parse_period,
    parse_period_end,
)
from helpers.ingest.files import (
    RETURN_SUFFIXES,
    UNREADABLE_SPREADSHEET_SUFFIXES,
    Sheet,
    decode_csv,
    read_file,
)
from helpers.ingest.header import Table, header_key, locate_table
from helpers.ingest.records import Parsed
from helpers.ingest.registry import Form, FormRegistry, form_of, forms
from helpers.ingest.tables import parse_sheets, parse_table

__all__ = [
    "RETURN_SUFFIXES", "UNREADABLE_SPREADSHEET_SUFFIXES", "Form", "FormRegistry", "Parsed", "Sheet", "Table",
    "cell_text", "decode_csv", "find_release", "form_of", "forms", "header_key", "locate_table", "parse_date",
    "parse_number", "parse_period", "parse_period_end", "parse_sheets", "parse_table", "read_file",
]
