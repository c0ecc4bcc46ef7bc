"""``gaoqi inspect FILE…``: how the reader would take each return, before any clean.

Why: when a return changes shape (a renamed column, a header split over two rows), the person who receives it
should see what the reader makes of it — which form, which header row, what each column means and in what unit,
which town each row is, which period — and every problem, located, without touching ``data/processed``.
The preview runs exactly the code ``gaoqi clean`` runs (``helpers.ingest`` + ``helpers.validate``), so what it
shows is what clean would do. It speaks the office's language (``--lang``, Chinese by default), and names each
problem once: the tables show how the file is read, the refusal lists the problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rich.table import Table as RichTable

from helpers import vocabulary
from helpers.ingest import (
    Table,
    cell_text,
    find_release,
    form_of,
    locate_table,
    parse_period,
    parse_period_end,
    parse_sheets,
    read_file,
)
from helpers.towns import town_code
from helpers.validate import Fault, InputErrors, validate_cells
from helpers.wording import say


def _say(key: str, lang: str = "zh", **values: object) -> str:
    return say(f"intake.{key}", lang, **values)


class ReturnRefused(InputErrors):
    """At least one inspected file would stop ``gaoqi clean``; the message lists every located problem once."""

    def __init__(self, faults: list[Fault], lang: str = "zh"):
        self.lang = lang
        unique = list({(f.file, f.sheet, f.row, f.column, f.wording or f.expected, f.value): f
                       for f in faults}.values())
        super().__init__(unique)

    def __str__(self) -> str:
        return self.told(getattr(self, "lang", "zh"))

    def told(self, lang: str) -> str:
        n = len(self.faults)
        lines = [f"- {f.text(lang)}" for f in self.faults]
        lines.append(say("intake.inspect.refused.one" if n == 1 else "intake.inspect.refused.many", lang, n=n))
        return "\n".join(lines)


@dataclass
class SheetPreview:
    """What the reader makes of one sheet."""

    file: str
    sheet: str
    form: str  # the form's name (``intake.form.<form>``), or ``intake.inspect.not_recognised``
    header_rows: str = ""
    period: str = ""
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (place, header, meaning)
    rows: list[tuple[int, str]] = field(default_factory=list)  # (row, town or label)
    figures: str = ""
    faults: list[Fault] = field(default_factory=list)


def _period(table: Table, form: str, lang: str = "zh") -> str:
    released, _, raw = find_release(table.title, table.grammar.release_labels)
    if "period" in table.columns:  # a long table (an old system's export) states its period on every row
        col = table.columns["period"]
        seen = sorted({cell_text(cells[col.index]) for _, cells in table.rows if col.index < len(cells)} - {""})
        periods = []
        for text in seen:
            period, status = parse_period(text)
            periods.append(say("cli.inspect.ytd", lang, year=period[0], month=f"{period[1]:02d}") if period
                           else f"? ({text}: {status})")
        return say("cli.inspect.period_column", lang, column=col.header, periods=", ".join(periods) or "?")
    if form == "industry":
        period, status = parse_period(table.title.replace(raw, ""))
        if status == "missing":
            period, status = parse_period(table.sheet)
        what = (say("cli.inspect.ytd", lang, year=period[0], month=f"{period[1]:02d}") if period
                else f"? ({status})")
    elif form.startswith("tasks"):
        end, status = parse_period_end(table.title.replace(raw, ""))
        what = end.isoformat() if end else f"? ({status})"
    elif form == "applications":
        return "per row (申报日期)"
    else:
        return say("cli.inspect.per_row", lang)
    return say("cli.inspect.released", lang, period=what, released=released.isoformat() if released else "?")


def preview_file(path: Path, rel: str | None = None, lang: str = "zh") -> list[SheetPreview]:
    """Every sheet of one return as the reader sees it, with the faults clean would report for it."""
    rel = rel or path.name
    vocab = vocabulary.load()
    sheets, read_faults = read_file(path, rel)
    if read_faults:
        return [SheetPreview(rel, "", _say("inspect.not_readable", lang), faults=read_faults)]
    out = []
    for sheet in sheets:
        table = locate_table(sheet, vocab)
        form = form_of(table) if table is not None else None
        parsed, _ = parse_sheets([sheet], vocab)
        faults = parsed.faults + validate_cells(pd.DataFrame(parsed.cells))
        if table is None or form is None:
            out.append(SheetPreview(rel, sheet.name, _say("inspect.not_recognised", lang), faults=faults))
            continue
        p = SheetPreview(rel, sheet.name, _say(f"form.{form}", lang), ", ".join(map(str, table.header_rows)),
                         _period(table, form, lang), faults=faults)
        for col in sorted([*table.columns.values(), *table.set_aside, *table.ignored], key=lambda c: c.index):
            if col.role == "set_aside":
                meaning = _say("inspect.set_aside", lang, reason=col.reason)
            elif col.role == "ignored":
                meaning = _say("inspect.ignored_column", lang)
            else:
                unit = col.unit or col.default_unit or (table.default_unit or "万元" if col.role == "indicator" else "")
                meaning = f"{col.key}" + (f" [{unit}]" if unit else "")
            p.columns.append((col.place, col.header, meaning))
        label = table.columns.get("town") or table.columns.get("task")
        if label is not None:
            for rno, cells in table.rows:
                raw = cells[label.index] if label.index < len(cells) else None
                if label.key == "town":
                    p.rows.append((rno, f"{cell_text(raw)} → {town_code(raw) or 'UNKNOWN'}"))
                else:
                    p.rows.append((rno, f"{cell_text(raw)} → {vocab.task(cell_text(raw)) or 'UNKNOWN'}"))
        ledger = parsed.ledger()
        p.figures = ", ".join(f"{k} {n}" for k, n in sorted(ledger.items()))
        out.append(p)
    return out


def inspect_files(paths: list[Path], lang: str = "zh") -> tuple[list[SheetPreview], list[Fault]]:
    """Previews of every file and all their faults (the caller raises ``ReturnRefused`` when there are any)."""
    previews = [p for path in paths for p in preview_file(path, lang=lang)]
    return previews, [f for p in previews for f in p.faults]


def render(previews: list[SheetPreview], console, lang: str = "zh") -> None:  # noqa: ANN001 - a rich Console
    """One rich table per sheet: columns and their meaning, rows and their town, and how many problems it has
    (the problems themselves are listed once, by the refusal that follows)."""
    for p in previews:
        title = say("cli.inspect.sheet", lang, file=p.file, sheet=p.sheet, form=p.form)
        if p.header_rows:
            title += say("cli.inspect.header", lang, rows=p.header_rows, period=p.period)
        table = RichTable(title=title, title_justify="left")
        for name in ("column", "header", "read_as"):
            table.add_column(say(f"cli.inspect.col.{name}", lang))
        for place, header, meaning in p.columns:
            table.add_row(place, header, meaning, style="red" if meaning.endswith("UNKNOWN") else None)
        console.print(table)
        if p.rows:
            shown = say("join.clauses", lang).join(say("cli.inspect.row", lang, row=r, label=t) for r, t in p.rows[:40])
            more = say("cli.inspect.more_rows", lang, n=len(p.rows) - 40) if len(p.rows) > 40 else ""
            console.print(say("cli.inspect.rows", lang, rows=shown + more), markup=False, highlight=False)
        if p.figures:
            console.print(say("cli.inspect.figures", lang, figures=p.figures), markup=False, highlight=False)
        if p.faults:
            console.print(say("cli.inspect.faults", lang, n=len(p.faults)), markup=False, highlight=False,
                          style="red")
