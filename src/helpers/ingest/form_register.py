"""The certificate register (高企证书登记): one record per certificate row, names kept as written (trimmed).

Recognised by two or more of the register's own columns (``REGISTER_KEYS``).
"""

from __future__ import annotations

from typing import Any

from helpers import vocabulary as vocab_mod
from helpers.ingest.cells import cell_text
from helpers.ingest.header import REGISTER_FORM, REGISTER_KEYS, Table
from helpers.ingest.records import (
    Parsed,
    cell_row,
    missing_columns,
    read_date,
    read_town,
    set_fate,
    value_of,
)
from helpers.vocabulary import Vocabulary


def recognises(keys: set[str], vocab: Vocabulary) -> bool:
    """A table with two or more of the register's columns (name, code, certificate, dates) is the register."""
    return len(keys & REGISTER_KEYS) >= 2


def parse_register(table: Table) -> Parsed:
    """The certificate register: one record per certificate row, names kept as written (trimmed)."""
    out = Parsed()
    vocab = table.vocab or vocab_mod.load()
    if missing_columns(table, REGISTER_FORM, "register", out, vocab):
        return out
    cols = table.columns
    for rno, cells in table.rows:
        def text(key: str, cells: tuple[Any, ...] = cells) -> str:
            return cell_text(value_of(table, cells, key))

        if not any(text(k) for k in ("firm_name", "credit_code", "cert_no")):
            continue
        for key in ("firm_name", "credit_code", "cert_no", "field"):
            if key in cols:
                set_fate(out, table, rno, cols[key].index, "field")
        for key in ("firm_name", "credit_code", "cert_no"):
            out.cells.append(cell_row(table, rno, cols[key], text(key), present_ok=bool(text(key))))
        town = read_town(table, rno, cells[cols["town"].index], out)
        issued = read_date(table, rno, "issue_date", cells, out, required=True)
        announced = read_date(table, rno, "announced", cells, out, required=True)
        revoked = read_date(table, rno, "revoked", cells, out, required=False)
        out.certificates.append({
            "credit_code": text("credit_code").upper(), "firm_name": text("firm_name"), "town": town,
            "cert_no": text("cert_no").upper().replace(" ", ""), "issue_date": issued, "announced": announced,
            "revoked": revoked, "field": text("field"), "source_file": table.file, "sheet": table.sheet,
            "row": rno})
    return out
