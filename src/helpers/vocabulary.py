"""The spellings the return reader accepts, loaded from ``data/raw/plan/vocabulary.yaml`` and checked on load.

Why a data file: returns change their headers from one period to the next (a renamed column, a header re-typed
by hand). An analyst must be able to accept a new spelling without touching code, and a mistake in that file must
stop the run with a message that names the file, the entry and what was expected — never a half-read vocabulary.

The reader (``helpers.ingest``) asks this module one question per header cell: what does this spelling mean?
The answer is a :class:`Meaning`: a structural field of a form (town, period, credit code …), an indicator of the
statistics, a task column of the town return, a set-aside column (with the reason it is not kept), or nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from helpers import paths
from helpers.errors import InputError
from helpers.towns import normalise_text
from helpers.yamlfile import read_yaml

FILE_NAME = "vocabulary.yaml"
#: the structural keys the reader knows how to use (the code's side of the contract).
FIELDS = ("town", "period", "released", "firm_name", "credit_code", "cert_no", "issue_date", "announced", "field",
          "revoked", "task", "unit", "value")
#: keys a vocabulary may give but need not: the columns of the application list (高企申报名单), a later form; a
#: district whose vocabulary lacks them simply has no application list read.
OPTIONAL_FIELDS = ("submitted", "batch", "application_kind")
UNIT_KINDS = ("money", "percent", "count")
SET_ASIDE_REASONS = ("share", "serial", "remark")
SECTIONS = ("version", "fields", "indicators", "town_tasks", "district_tasks", "set_aside", "header_groups", "units")
#: sections a vocabulary may leave out: a file without them reads returns with the defaults of :data:`GRAMMAR`
OPTIONAL_SECTIONS = ("grammar",)
#: the codes an application kind (申报类型) is read into (the contract's ``applications.kind``)
APPLICATION_KIND_CODES = ("first", "renewal")


class VocabularyError(InputError):
    """The vocabulary file is malformed; the message names the file, the entry and what was expected."""


@dataclass(frozen=True)
class Meaning:
    """What a header spelling means: ``role`` is field / indicator / town_task / set_aside; ``key`` its name."""

    role: str
    key: str
    reason: str = ""  # set_aside only
    unit: str = ""  # town_task only: the unit when the header gives none


@dataclass(frozen=True)
class Grammar:
    """How the returns write what is not a header: the spellings of a cell's content and of the title rows.

    Why here and not in the reader: a return that writes "未报" for an unpublished figure, or starts its notes with
    "附注", is a new spelling, which an analyst accepts in the vocabulary file (section ``grammar``) without touching
    code. A blank cell is always missing, whatever the file says.
    """

    #: marks of a figure not published (a blank cell is always one); compared as written and NFKC-folded
    missing_marks: frozenset[str]
    #: how a footnote line under a table starts (注, 说明 …): the table ends at the first such line
    footnote_marks: tuple[str, ...]
    #: labels of the release (or submission) date in the title rows: ``发布日期：2024-07-20``
    release_labels: tuple[str, ...]
    #: how the application list writes its kinds (NFKC-folded, white space removed) → ``first`` / ``renewal``
    application_kinds: dict[str, str]


#: The one place the reader's grammar is spelled when a vocabulary file is silent (its ``grammar`` section, or a
#: key of it, left out): the spellings the bureau's returns used when the reader was written.
GRAMMAR = Grammar(
    missing_marks=frozenset({"", "—", "——", "-", "--", "–", "/", "…", "不公布", "无"}),
    footnote_marks=("注", "说明", "备注", "资料来源", "数据来源", "*", "※"),
    release_labels=("发布日期", "报送日期", "发布时间", "更新日期"),
    application_kinds={"首次申报": "first", "首次": "first", "首次认定": "first", "重新认定": "renewal",
                       "重新申报": "renewal", "再次认定": "renewal", "复审": "renewal"},
)


@dataclass(frozen=True)
class Vocabulary:
    """Every accepted spelling, folded for matching, with what it means."""

    path: Path
    headers: dict[str, Meaning]
    spellings: dict[tuple[str, str], tuple[str, ...]]  # (role, key) -> spellings as written in the file
    district_tasks: dict[str, str]  # folded row label -> task id
    district_spellings: dict[str, tuple[str, ...]]
    groups: frozenset[str]
    units: dict[str, tuple[str, float]]
    indicators: tuple[str, ...]
    town_tasks: tuple[str, ...]
    register_counts: tuple[str, ...] = field(default_factory=tuple)
    grammar: Grammar = GRAMMAR

    def meaning(self, folded: str) -> Meaning | None:
        return self.headers.get(folded)

    def task(self, label: str) -> str | None:
        return self.district_tasks.get(fold(label))

    def first(self, role: str, key: str) -> str:
        """The first spelling of a column, as messages show it."""
        return self.spellings[(role, key)][0]

    def all_of(self, role: str, key: str) -> tuple[str, ...]:
        return self.spellings[(role, key)]

    def closest(self, text: str, n: int = 3) -> list[str]:
        """The known header spellings nearest to ``text`` (difflib), for the unknown-header message."""
        by_fold = {fold(s): s for spellings in self.spellings.values() for s in spellings}
        near = difflib.get_close_matches(fold(text), list(by_fold), n=n, cutoff=0.4)
        if not near:  # short or odd spellings: rank every spelling by similarity anyway
            near = sorted(by_fold, key=lambda s: -difflib.SequenceMatcher(None, fold(text), s).ratio())[:n]
        return [by_fold[s] for s in near]

    def closest_tasks(self, text: str, n: int = 3) -> list[str]:
        by_fold = {fold(s): s for spellings in self.district_spellings.values() for s in spellings}
        near = difflib.get_close_matches(fold(text), list(by_fold), n=n, cutoff=0.3)
        return [by_fold[s] for s in near]


def fold(text: str) -> str:
    """The form spellings are compared in: NFKC, no white space, ASCII brackets and colon."""
    return normalise_text(text).replace("：", ":")


def default_path(raw_dir: Path | None = None) -> Path:
    """``<raw_dir>/plan/vocabulary.yaml`` when that exists, else the project's one."""
    if raw_dir is not None:
        local = Path(raw_dir) / "plan" / FILE_NAME
        if local.exists():
            return local
    return paths.raw_dir() / "plan" / FILE_NAME


def load(path: Path | None = None) -> Vocabulary:
    """Load and check the vocabulary (cached per file and modification time)."""
    path = Path(path) if path is not None else default_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise VocabularyError(f"{path}: the vocabulary file of the return reader is missing; restore it from the "
                              "repository (data/raw/plan/vocabulary.yaml)") from None
    return _load(path.resolve(), stamp)


@cache
def _load(path: Path, stamp: int) -> Vocabulary:
    return _build(path, read_yaml(path, VocabularyError))


def _fail(path: Path, entry: str, found: Any, expected: str) -> VocabularyError:
    return VocabularyError(f"{path}, entry '{entry}': found {found!r}; expected {expected}. Fix the entry and run "
                           "again (see docs/intake.md, 'Adding a spelling').")


def _spelling_list(path: Path, entry: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(s, str | int) and str(s).strip()
                                                             for s in value):
        raise _fail(path, entry, value, "a non-empty list of spellings, e.g. [规上工业总产值, 工业总产值]")
    return tuple(str(s).strip() for s in value)


def _build(path: Path, raw: Any) -> Vocabulary:
    if not isinstance(raw, dict):
        raise _fail(path, "(top level)", type(raw).__name__, f"a mapping with the sections {', '.join(SECTIONS)}")
    if "plan" in raw:
        raise _fail(path, "plan", "plan:", "no 'plan' section (a file with 'plan:' is taken for the plan)")
    unknown = sorted(set(raw) - set(SECTIONS) - set(OPTIONAL_SECTIONS))
    if unknown:
        raise _fail(path, unknown[0], unknown[0], f"one of the sections {', '.join(SECTIONS + OPTIONAL_SECTIONS)}")
    for section in SECTIONS[1:]:
        if section not in raw:
            raise _fail(path, section, None, f"a section '{section}'")
    if raw["version"] != 1:
        raise _fail(path, "version", raw["version"], "1")

    headers: dict[str, Meaning] = {}
    spellings: dict[tuple[str, str], tuple[str, ...]] = {}
    where: dict[str, str] = {}

    def add(entry: str, role: str, key: str, values: tuple[str, ...], meaning: Meaning) -> None:
        spellings[(role, key)] = values
        for s in values:
            f = fold(s)
            if f in headers:
                raise _fail(path, entry, s, f"a spelling used once in the file (it is already under {where[f]})")
            headers[f], where[f] = meaning, entry

    fields = _mapping(path, raw, "fields")
    missing = [k for k in FIELDS if k not in fields]
    if missing:
        raise _fail(path, f"fields.{missing[0]}", None, f"spellings for every field the reader uses ({', '.join(FIELDS)})")
    for key, value in fields.items():
        if key not in FIELDS + OPTIONAL_FIELDS:
            raise _fail(path, f"fields.{key}", key,
                        f"one of the fields the reader knows ({', '.join(FIELDS + OPTIONAL_FIELDS)})")
        add(f"fields.{key}", "field", key, _spelling_list(path, f"fields.{key}", value), Meaning("field", key))
    indicators = _mapping(path, raw, "indicators")
    for key, value in indicators.items():
        add(f"indicators.{key}", "indicator", key, _spelling_list(path, f"indicators.{key}", value),
            Meaning("indicator", key))
    units = _units(path, _mapping(path, raw, "units", names=False))
    town_tasks, register_counts = [], []
    for key, value in _mapping(path, raw, "town_tasks").items():
        entry = f"town_tasks.{key}"
        if not isinstance(value, dict) or "spellings" not in value or "unit" not in value:
            raise _fail(path, entry, value, "{unit: 家, spellings: [...]} (the unit used when the header has none)")
        if str(value["unit"]) not in units:
            raise _fail(path, f"{entry}.unit", value["unit"], f"a unit listed under units ({', '.join(units)})")
        extra = set(value) - {"unit", "spellings", "register_count"}
        if extra:
            raise _fail(path, entry, sorted(extra)[0], "only the keys unit, spellings, register_count")
        add(entry, "town_task", key, _spelling_list(path, f"{entry}.spellings", value["spellings"]),
            Meaning("town_task", key, unit=str(value["unit"])))
        town_tasks.append(key)
        if value.get("register_count") is True:
            register_counts.append(key)
    for key, value in _mapping(path, raw, "set_aside").items():
        entry = f"set_aside.{key}"
        if not isinstance(value, dict) or value.get("reason") not in SET_ASIDE_REASONS or "spellings" not in value:
            raise _fail(path, entry, value, f"{{reason: one of {', '.join(SET_ASIDE_REASONS)}, spellings: [...]}}")
        add(entry, "set_aside", key, _spelling_list(path, f"{entry}.spellings", value["spellings"]),
            Meaning("set_aside", key, reason=value["reason"]))
    district: dict[str, str] = {}
    district_spellings: dict[str, tuple[str, ...]] = {}
    for key, value in _mapping(path, raw, "district_tasks").items():
        entry = f"district_tasks.{key}"
        values = _spelling_list(path, entry, value)
        district_spellings[key] = values
        for s in values:
            if fold(s) in district:
                raise _fail(path, entry, s, f"a row label used once (it is already under district_tasks."
                                            f"{district[fold(s)]})")
            district[fold(s)] = key
    groups = _spelling_list(path, "header_groups", raw["header_groups"])
    return Vocabulary(path=path, headers=headers, spellings=spellings, district_tasks=district,
                      district_spellings=district_spellings, groups=frozenset(fold(g) for g in groups), units=units,
                      indicators=tuple(indicators), town_tasks=tuple(town_tasks),
                      register_counts=tuple(register_counts), grammar=_grammar(path, raw.get("grammar")))


def _grammar(path: Path, raw: Any) -> Grammar:
    """The ``grammar`` section: each key given replaces its default (:data:`GRAMMAR`); a key left out keeps it."""
    if raw is None:
        return GRAMMAR
    keys = ("missing_marks", "footnote_marks", "release_labels", "application_kinds")
    if not isinstance(raw, dict):
        raise _fail(path, "grammar", raw, f"a mapping with some of the keys {', '.join(keys)}")
    extra = sorted(set(raw) - set(keys), key=str)
    if extra:
        raise _fail(path, f"grammar.{extra[0]}", extra[0], f"one of the keys {', '.join(keys)}")
    values: dict[str, Any] = {}
    if "missing_marks" in raw:
        values["missing_marks"] = frozenset({"", *_spelling_list(path, "grammar.missing_marks",
                                                                   raw["missing_marks"])})
    for key in ("footnote_marks", "release_labels"):
        if key in raw:
            values[key] = _spelling_list(path, f"grammar.{key}", raw[key])
    if "application_kinds" in raw:
        kinds = raw["application_kinds"]
        if not isinstance(kinds, dict) or not kinds or set(kinds) - set(APPLICATION_KIND_CODES):
            raise _fail(path, "grammar.application_kinds", kinds,
                        "{first: [首次申报, …], renewal: [重新认定, …]} (the kinds of the application list)")
        values["application_kinds"] = {
            fold(s): code for code, spellings in kinds.items()
            for s in _spelling_list(path, f"grammar.application_kinds.{code}", spellings)}
    return replace(GRAMMAR, **values)


def _mapping(path: Path, raw: dict, section: str, names: bool = True) -> dict[str, Any]:
    value = raw[section]
    if not isinstance(value, dict) or not value:
        raise _fail(path, section, value, "a mapping of names to spellings")
    for key in value:
        if not isinstance(key, str) or (names and not re.fullmatch(r"[a-z][a-z0-9_]*", key)):
            raise _fail(path, f"{section}.{key}", key, "a name in lower-case letters, digits and _")
    return value


def _units(path: Path, raw: dict[str, Any]) -> dict[str, tuple[str, float]]:
    out = {}
    for unit, value in raw.items():
        entry = f"units.{unit}"
        if not isinstance(value, dict) or value.get("kind") not in UNIT_KINDS:
            raise _fail(path, entry, value, f"{{kind: one of {', '.join(UNIT_KINDS)}, factor: number}}")
        factor = value.get("factor")
        if isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0:
            raise _fail(path, f"{entry}.factor", factor, "a positive number (money: how many 万元 one unit is)")
        out[fold(unit)] = (value["kind"], float(factor))
    return out
