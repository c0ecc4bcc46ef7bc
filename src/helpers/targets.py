"""The plan's targets as data: load the YAML file, validate it, answer questions about it.

A new plan (e.g. 2025-2027) is a new file of the same shape, not new code. Loading fails with a
``PlanError`` that names the file, the target and the field, so an analyst editing the file can fix it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers.errors import InputError
from helpers.labels import register
from helpers.towns import TOWNS

KINDS = ("stock", "yearly_flow", "ratio", "cumulative", "coverage")
DIRECTIONS = ("at_least", "more_than")
UNITS = ("firms", "percent", "items", "people", "teams", "100m_yuan")


class PlanError(InputError, ValueError):
    """The plan file is malformed; the message names file, target and field."""


@dataclass(frozen=True)
class Reading:
    """How the suite reads an ambiguous phrase of the plan, in both languages of the briefing."""

    en: str
    zh: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Target:
    """One target of the plan. ``deadline`` is set for one-off targets; ``period='yearly'`` otherwise."""

    id: str
    name_zh: str
    name_en: str
    section: str
    kind: str
    direction: str
    value: float
    unit: str
    responsible: str
    headline: bool = False
    deadline: dt.date | None = None
    period: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    town_quota: dict[str, float] = field(default_factory=dict)
    town_growth_pct: float | None = None
    components: dict[str, float] = field(default_factory=dict)
    yearly_minimum: float | None = None
    readings: tuple[Reading, ...] = ()

    @property
    def yearly(self) -> bool:
        return self.period == "yearly"

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def reached(self, value: float) -> bool:
        """Whether ``value`` meets the target (≥ for at_least, > for more_than)."""
        return value > self.value if self.direction == "more_than" else value >= self.value

    def deadline_for(self, year: int) -> dt.date:
        """The date by which the target must be met, for the plan year ``year`` when it is yearly."""
        return self.deadline or dt.date(year, 12, 31)


@dataclass(frozen=True)
class Plan:
    id: str
    title_zh: str
    title_en: str
    document_no: str
    issued: dt.date
    start: dt.date
    end: dt.date
    meeting_months: tuple[int, ...]
    first_meeting: str
    last_meeting: str
    targets: tuple[Target, ...]
    source: Path

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(f"no target {target_id!r} in {self.source.name}")

    @property
    def headline(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.headline)

    @property
    def tasks(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if not t.headline)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start.year, self.end.year + 1))


def _req(d: dict, key: str, where: str, types: type | tuple[type, ...]) -> Any:
    if key not in d or d[key] is None:
        raise PlanError(f"{where}: field '{key}' is missing")
    value = d[key]
    if not isinstance(value, types):
        names = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
        raise PlanError(f"{where}: field '{key}' is {value!r}; expected {names}")
    return value


def _date(value: Any, where: str, key: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PlanError(f"{where}: field '{key}' is {value!r}; expected a date YYYY-MM-DD") from None


def _quota(raw: Any, where: str, key: str) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: field '{key}' must map town codes to numbers")
    out: dict[str, float] = {}
    for town, v in raw.items():
        if town not in TOWNS:
            raise PlanError(f"{where}: field '{key}' names unknown town {town!r}; expected one of {sorted(TOWNS)}")
        if not isinstance(v, (int, float)) or v < 0:
            raise PlanError(f"{where}: field '{key}.{town}' is {v!r}; expected a number ≥ 0")
        out[town] = float(v)
    return out


def _target(raw: dict, where: str) -> Target:
    kind = _req(raw, "kind", where, str)
    if kind not in KINDS:
        raise PlanError(f"{where}: field 'kind' is {kind!r}; expected one of {KINDS}")
    direction = _req(raw, "direction", where, str)
    if direction not in DIRECTIONS:
        raise PlanError(f"{where}: field 'direction' is {direction!r}; expected one of {DIRECTIONS}")
    unit = _req(raw, "unit", where, str)
    if unit not in UNITS:
        raise PlanError(f"{where}: field 'unit' is {unit!r}; expected one of {UNITS}")
    value = _req(raw, "value", where, (int, float))
    if isinstance(value, bool) or value < 0:
        raise PlanError(f"{where}: field 'value' is {value!r}; expected a number ≥ 0")
    deadline = _date(raw["deadline"], where, "deadline") if raw.get("deadline") is not None else None
    period = raw.get("period")
    if deadline is None and period != "yearly":
        raise PlanError(f"{where}: give either 'deadline' (a date) or 'period: yearly'")
    if kind == "ratio" and not (raw.get("numerator") and raw.get("denominator")):
        raise PlanError(f"{where}: a ratio target needs 'numerator' and 'denominator'")
    readings = raw.get("readings") or []
    if not isinstance(readings, list) or not all(
        isinstance(r, dict) and isinstance(r.get("en"), str) and isinstance(r.get("zh"), str) for r in readings
    ):
        raise PlanError(f"{where}: field 'readings' must be a list of {{en: sentence, zh: 句子}} entries")
    components = raw.get("components") or {}
    if not isinstance(components, dict):
        raise PlanError(f"{where}: field 'components' must map names to numbers")
    return Target(
        id=_req(raw, "id", where, str),
        name_zh=_req(raw, "name_zh", where, str),
        name_en=_req(raw, "name_en", where, str),
        section=str(_req(raw, "section", where, (str, int))),
        kind=kind,
        direction=direction,
        value=float(value),
        unit=unit,
        responsible=_req(raw, "responsible", where, str),
        headline=bool(raw.get("headline", False)),
        deadline=deadline,
        period=period,
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        town_quota=_quota(raw.get("town_quota"), where, "town_quota"),
        town_growth_pct=raw.get("town_growth_pct"),
        components={str(k): float(v) for k, v in components.items()},
        yearly_minimum=raw.get("yearly_minimum"),
        readings=tuple(Reading(en=r["en"], zh=r["zh"]) for r in readings),
    )


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan file (default: the project's newest ``data/raw/plan/*.yaml``)."""
    from helpers.paths import plan_file

    path = Path(path) if path is not None else plan_file()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or "plan" not in doc or "targets" not in doc:
        raise PlanError(f"{path}: expected top-level keys 'plan' and 'targets'")
    p = doc["plan"]
    where = f"{path.name}: plan"
    meetings = _req(p, "meetings", where, dict)
    months = tuple(int(m) for m in _req(meetings, "months", f"{where}.meetings", list))
    if not months or any(m < 1 or m > 12 for m in months):
        raise PlanError(f"{where}.meetings: 'months' must list months 1-12")
    raw_targets = doc["targets"]
    if not isinstance(raw_targets, list) or not raw_targets:
        raise PlanError(f"{path.name}: 'targets' must be a non-empty list")
    targets = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_targets, start=1):
        tid = raw.get("id", f"#{i}") if isinstance(raw, dict) else f"#{i}"
        where_t = f"{path.name}: target {tid}"
        if not isinstance(raw, dict):
            raise PlanError(f"{where_t}: expected a mapping of fields")
        t = _target(raw, where_t)
        if t.id in seen:
            raise PlanError(f"{where_t}: duplicate id")
        seen.add(t.id)
        register(f"target.{t.id}", t.name_zh, t.name_en)
        targets.append(t)
    return Plan(
        id=_req(p, "id", where, str),
        title_zh=_req(p, "title_zh", where, str),
        title_en=_req(p, "title_en", where, str),
        document_no=_req(p, "document_no", where, str),
        issued=_date(_req(p, "issued", where, (str, dt.date)), where, "issued"),
        start=_date(_req(p, "start", where, (str, dt.date)), where, "start"),
        end=_date(_req(p, "end", where, (str, dt.date)), where, "end"),
        meeting_months=months,
        first_meeting=str(_req(meetings, "first", f"{where}.meetings", str)),
        last_meeting=str(_req(meetings, "last", f"{where}.meetings", str)),
        targets=tuple(targets),
        source=path,
    )
