"""The application list (高企申报名单): one record per applicant firm, with its round, kind and submission date.

Recognised by its 申报日期 column beside a firm name and no certificate number (an application list names firms
too). Its kinds are read with the vocabulary's ``grammar.application_kinds``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from helpers import vocabulary as vocab_mod
from helpers.ingest.cells import cell_text, parse_batch
from helpers.ingest.header import Table
from helpers.ingest.records import (
    Parsed,
    cell_row,
    missing_columns,
    read_date,
    read_town,
    set_fate,
    value_of,
)
from helpers.validate import Fault
from helpers.vocabulary import Vocabulary

APPLICATIONS_FORM = ("firm_name", "credit_code", "town", "submitted")


def recognises(keys: set[str], vocab: Vocabulary) -> bool:
    """A table naming firms with a submission date and no certificate number is an application list."""
    return "submitted" in keys and "firm_name" in keys and "cert_no" not in keys


def parse_applications(table: Table) -> Parsed:
    """The application list (高企申报名单): one record per applicant firm, with its round and submission date.

    A round or a kind that cannot be read, a missing name or code and a bad date are located faults: the list
    is what the bureau follows firms up from, so a row is never guessed.
    """
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    if missing_columns(table, APPLICATIONS_FORM, "applications", out, vocab):
        return out
    cols = table.columns
    for rno, cells in table.rows:
        def text(key: str, cells: tuple[Any, ...] = cells) -> str:
            return cell_text(value_of(table, cells, key))

        if not any(text(k) for k in ("firm_name", "credit_code")):
            continue
        for key in ("firm_name", "credit_code"):
            set_fate(out, table, rno, cols[key].index, "field")
            out.cells.append(cell_row(table, rno, cols[key], text(key), present_ok=bool(text(key))))
        town = read_town(table, rno, cells[cols["town"].index], out)
        submitted = read_date(table, rno, "submitted", cells, out, required=True)
        batch = None
        if "batch" in cols:
            set_fate(out, table, rno, cols["batch"].index, "field")
            batch = parse_batch(value_of(table, cells, "batch"))
            if batch is None:
                out.faults.append(Fault.worded(table.file, table.sheet, rno, cols["batch"].header, text("batch"),
                                               "intake.applications.batch"))
        kind = ""
        if "application_kind" in cols:
            set_fate(out, table, rno, cols["application_kind"].index, "field")
            kinds = vocab.grammar.application_kinds
            kind = kinds.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text("application_kind"))), "")
            if not kind and text("application_kind"):
                out.faults.append(Fault.worded(table.file, table.sheet, rno, cols["application_kind"].header,
                                               text("application_kind"), "intake.applications.kind",
                                               kinds=" / ".join(kinds)))
        out.applications.append({
            "credit_code": text("credit_code").upper(), "firm_name": text("firm_name"), "town": town,
            "year": submitted.year if submitted else None, "batch": batch if batch is not None else 1,
            "submitted": submitted, "kind": kind, "source_file": table.file, "sheet": table.sheet, "row": rno})
    return out
