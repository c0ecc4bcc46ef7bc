"""The registry of forms: each return the bureau sends, by name, with how to recognise it and how to read it.

Why a registry: which forms exist is said in one place, in the order they are tried, and a new form (a return the
bureau starts sending) is a new module plus one ``forms.register(...)`` line — not an edit of the sheet loop. Like
papermill's ``papermill_engines.register``, the registry is an object; the built-in forms are registered below.

Recognition asks each form in registration order; the first that recognises a table's columns wins (an
application list names firms too, so it is asked before the register).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpers import vocabulary as vocab_mod
from helpers.ingest.form_applications import parse_applications
from helpers.ingest.form_applications import recognises as is_applications
from helpers.ingest.form_industry import parse_industry
from helpers.ingest.form_industry import recognises as is_industry
from helpers.ingest.form_register import parse_register
from helpers.ingest.form_register import recognises as is_register
from helpers.ingest.form_tasks_district import parse_tasks_district
from helpers.ingest.form_tasks_district import recognises as is_tasks_district
from helpers.ingest.form_tasks_town import parse_tasks_town
from helpers.ingest.form_tasks_town import recognises as is_tasks_town
from helpers.ingest.header import Table
from helpers.ingest.records import Parsed
from helpers.vocabulary import Vocabulary

Parser = Callable[[Table], Parsed]
Recogniser = Callable[[set[str], Vocabulary], bool]


@dataclass(frozen=True)
class Form:
    """One return: its name (as the ledger and messages call it), its recogniser and its parser."""

    name: str
    recognises: Recogniser  # (the table's column keys, the vocabulary) -> is it this form?
    parse: Parser  # a located table of this form -> records, checked cells, faults and fates


class FormRegistry:
    """The forms the reader knows, in the order they are tried."""

    def __init__(self) -> None:
        self._forms: dict[str, Form] = {}

    def register(self, name: str, recognises: Recogniser, parse: Parser) -> Form:
        """Add a form; a name registered twice is a developer's mistake and is refused."""
        if name in self._forms:
            raise ValueError(f"form {name!r} is already registered")
        form = Form(name, recognises, parse)
        self._forms[name] = form
        return form

    def get(self, name: str) -> Form | None:
        """The form called ``name``; None for a name not registered (the caller says where it met it)."""
        return self._forms.get(name)

    def names(self) -> tuple[str, ...]:
        return tuple(self._forms)

    def recognise(self, table: Table) -> str | None:
        """The name of the first form that recognises the table's columns, or None."""
        vocab = table.vocab or vocab_mod.load()
        keys = table.keys
        return next((f.name for f in self._forms.values() if f.recognises(keys, vocab)), None)


forms = FormRegistry()
forms.register("applications", is_applications, parse_applications)
forms.register("register", is_register, parse_register)
forms.register("industry", is_industry, parse_industry)
forms.register("tasks_town", is_tasks_town, parse_tasks_town)
forms.register("tasks_district", is_tasks_district, parse_tasks_district)


def form_of(table: Table) -> str | None:
    """Which return a table is: ``applications``, ``register``, ``industry``, ``tasks_town``, ``tasks_district``
    or None (see :meth:`FormRegistry.recognise`)."""
    return forms.recognise(table)
