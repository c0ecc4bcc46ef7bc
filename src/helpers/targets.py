"""The plan's targets as data: load the YAML file, validate it, answer questions about it.

A new plan (e.g. 2025-2027), or a neighbouring district's plan, is a new file of the same shape, not new code:
each target names what it **measures** (a catalogue the forecast room knows, ``MEASURES``) and the return
series it reads; its ``id`` is a free label the code never spells. The plan names its region file (the
district's units, ``helpers.towns``); quotas refer to unit codes or to the region's named groups. Loading
fails with a ``PlanError`` that names the file, the target and the field, so an analyst can fix the file.

Components (e.g. each kind of growth firm) are scored as targets of their own, with ids ``<id>.<key>``;
``Plan.scored`` lists what is scored, in plan order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from helpers.departments import DepartmentError, Responsibility, load_registry, responsibility
from helpers.errors import InputError
from helpers.labels import register
from helpers.paths import plan_file
from helpers.towns import Region, RegionError, region_of
from helpers.yamlfile import read_yaml

#: measure → the shape of its number (``Attainment.kind``). The contract between the plan file, the forecast
#: room (one model per measure, ``helpers.forecast.registry``) and the briefing (which chooses by measure).
MEASURES: dict[str, str] = {
    "register_valid_stock": "stock",  # valid high-tech firms from the certificate register
    "ytd_ratio": "ratio",  # YTD sum of one industry indicator / YTD sum of another
    "task_flow": "yearly_flow",  # a yearly count from task returns
    "task_stock": "stock",  # a year-end level from task returns
    "task_cumulative": "cumulative",  # a count summed over the plan years
    "town_growth": "growth",  # each unit's average yearly growth of a count
    "coverage": "coverage",  # a percentage of firms meeting a rule
    "milestone": "milestone",  # something formed or not by a date
}
#: what each measure needs besides the common fields
_NEEDS: dict[str, tuple[str, ...]] = {
    "ytd_ratio": ("numerator", "denominator"), "task_flow": ("series",), "task_stock": ("series",),
    "task_cumulative": ("series",), "town_growth": ("series",), "coverage": ("series",),
    "milestone": ("series", "stages"),
}
DIRECTIONS = ("at_least", "more_than")
#: how an ambiguous time word of the plan is read, the plan file's ``reading`` on a target: 年均 - ``every_year``
#: (each plan year meets the value) or ``plan_mean`` (the plan years' mean does), on a target set for each year;
#: 累计 - ``from_plan_start`` (what was done from the plan's start) or ``with_earlier`` (firms cultivated before
#: it count too), on a ``task_cumulative`` target. The reading given decides the status; the other is computed
#: beside it (``helpers.forecast.yearly``) and shown where the two verdicts differ.
READINGS: dict[str, tuple[str, str]] = {"every_year": ("period", "plan_mean"), "plan_mean": ("period", "every_year"),
                                        "from_plan_start": ("task_cumulative", "with_earlier"),
                                        "with_earlier": ("task_cumulative", "from_plan_start")}
#: what a coverage rate may name as the firms it is a share of (so a gap in points becomes a number of firms)
POPULATIONS = ("register_valid_stock",)
UNITS = ("firms", "percent", "items", "people", "teams", "times", "projects", "carriers", "chains", "100m_yuan")
#: the per-unit fields and the one measure whose model reads each; elsewhere a quota would be dropped unseen
_TOWN_FIELDS: dict[str, str] = {"town_quota": "task_flow", "town_growth_pct": "task_stock"}
#: every field a target may have: a misspelt one (town_qouta, dealine) is an error, not a field nobody reads
_TARGET_FIELDS = ("id", "name_zh", "name_en", "short_zh", "short_en", "section", "headline", "measure", "model",
                  "series", "numerator", "denominator", "direction", "value", "unit", "deadline", "period",
                  "stages", "town_quota", "town_growth_pct", "components", "responsible", "responsible_en",
                  "lead", "support", "population", "readings", "reading", "each_half")
_MEETING_ID = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
#: what a component may set for itself; everything else it inherits from its parent target
_COMPONENT_FIELDS = ("key", "name_zh", "name_en", "short_zh", "short_en", "measure", "model", "series", "value", "unit", "direction",
                     "deadline", "period", "stages", "town_quota", "town_growth_pct", "numerator", "denominator",
                     "reading", "responsible", "responsible_en", "lead", "support")


class PlanError(InputError, ValueError):
    """The plan file is malformed; the message names file, target and field."""


def reached(value: Any, goal: float, direction: str) -> Any:
    """The one rule for "target reached": ≥ for ``at_least``, > for ``more_than``; elementwise on arrays."""
    return np.greater(value, goal) if direction == "more_than" else np.greater_equal(value, goal)


@dataclass(frozen=True)
class Reading:
    """How the suite reads an ambiguous phrase of the plan, in both languages of the briefing."""

    en: str
    zh: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Target:
    """One target of the plan. ``deadline`` is set for one-off targets; ``period='yearly'`` otherwise.

    ``series`` are the codes of the return series the target reads (``measure`` says how); ``parent`` is set
    for a component, whose ``id`` is ``<parent>.<key>``. ``value`` is ``None`` only for a target scored
    through its components.
    """

    id: str
    name_zh: str
    name_en: str
    section: str
    measure: str
    direction: str
    value: float | None
    unit: str
    responsible: str = ""
    #: the responsible units in English (the plan's ``responsible_en``); "" when the plan gives none
    responsible_en: str = ""
    headline: bool = False
    deadline: dt.date | None = None
    period: str | None = None
    model: str | None = None
    series: tuple[str, ...] = ()
    numerator: str | None = None
    denominator: str | None = None
    stages: int | None = None
    town_quota: dict[str, float] = field(default_factory=dict)
    town_growth_pct: float | None = None
    components: tuple[Target, ...] = ()
    parent: str | None = None
    readings: tuple[Reading, ...] = ()
    short_zh: str = ""
    short_en: str = ""
    #: the units answering for the target, lead (牵头) first (``helpers.departments``); empty where the plan names none
    responsibility: Responsibility = field(default_factory=Responsibility)
    #: for a coverage rate, the measure that counts the firms it is a share of (``POPULATIONS``); None if unknown
    population: str | None = None
    #: the reading of an ambiguous time word (年均, 累计) that decides the status (``READINGS``); None: no such word
    reading: str | None = None

    @property
    def other_reading(self) -> str | None:
        """The reading computed beside the deciding one (``READINGS``), None when the wording allows only one."""
        return READINGS[self.reading][1] if self.reading else None
    #: for a yearly flow done "every half-year" (每半年): how many each half-year must have; a half-year short of
    #: it is named on the page even when the year's total is met (``helpers.briefing.half_years``)
    each_half: int | None = None

    @property
    def kind(self) -> str:
        """The shape of the target's number (stock, ratio, yearly_flow …), from its measure."""
        return MEASURES[self.measure]

    @property
    def measures(self) -> str:
        """What the target measures, independent of its id, position, name or value.

        Random streams are seeded by this text, so renaming or reordering targets changes no number and two
        targets measuring the same thing share their simulation.
        """
        parts = [self.measure, self.model or "", ",".join(self.series), self.numerator or "", self.denominator or "",
                 str(self.stages or ""), self.period or "", self.deadline.isoformat() if self.deadline else ""]
        return "|".join(parts)

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def responsible_in(self, lang: str = "zh") -> str:
        """The responsible units in ``lang``: an English page falls back to the plan's Chinese when the plan
        gives no English (a unit named in Chinese is still a named unit; an empty cell would hide who acts)."""
        return (self.responsible_en or self.responsible) if lang == "en" else self.responsible

    def short(self, lang: str = "zh") -> str:
        """The plan's short name (``short_zh`` / ``short_en``) for tight places such as the index's badges, else
        the full name: never a truncation, which can cut a name into a different or meaningless phrase."""
        return (self.short_zh or self.name_zh) if lang == "zh" else (self.short_en or self.name_en)

    def reached(self, value: Any) -> Any:
        """Whether ``value`` meets the target (≥ for at_least, > for more_than); elementwise on arrays."""
        if self.value is None:
            raise ValueError(f"target {self.id} is scored through its components, not by a value of its own")
        return reached(value, self.value, self.direction)

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
    region: Region
    source: Path
    readings: tuple[Reading, ...] = ()

    @property
    def scored(self) -> tuple[Target, ...]:
        """Every target that gets an attainment, in plan order: a target's components stand in for it."""
        return tuple(c for t in self.targets for c in (t.components or (t,)))

    def target(self, target_id: str) -> Target:
        for t in (*self.targets, *self.scored):
            if t.id == target_id:
                return t
        raise KeyError(f"no target {target_id!r} in {self.source.name}")

    def all_readings(self, lang: str = "zh") -> list[tuple[str, Reading]]:
        """Every recorded reading: the plan's, the region's groups' and each target's, with what it is about
        named in ``lang``. The briefing's method notes list them all: a reading kept out of sight is a hidden one."""
        zh = lang == "zh"
        out = [(self.title_zh if zh else self.title_en, r) for r in self.readings]
        out += [(g.name_zh if zh else g.name_en, Reading(g.reading_en, g.reading_zh))
                for g in self.region.groups if g.reading_en or g.reading_zh]
        out += [(t.name(lang), r) for t in self.targets for r in t.readings]
        return out


# ---------------------------------------------------------------------------------------------- validation

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


def _quota(raw: Any, where: str, key: str, region: Region) -> dict[str, float]:
    """Unit code → quota; a group of the region (e.g. 中心镇) gives each of its members the quota."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: field '{key}' must map unit codes to numbers")
    out: dict[str, float] = {}
    for unit, v in raw.items():
        group = region.group(str(unit))
        members = group.members if group else (str(unit),)
        if group is None and unit not in region.codes:
            raise PlanError(f"{where}: field '{key}' names unknown town {unit!r}; expected one of "
                            f"{list(region.codes)} or a group of {region.source.name}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise PlanError(f"{where}: field '{key}.{unit}' is {v!r}; expected a number ≥ 0")
        for m in members:
            if m in out:
                raise PlanError(f"{where}: field '{key}' gives unit {m!r} two quotas")
            out[m] = float(v)
    return {c: out[c] for c in region.codes if c in out}  # the plan's order of units


def _series(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(s, str) and s.strip() for s in items):
        raise PlanError(f"{where}: field 'series' is {raw!r}; expected a series code or a list of codes")
    return tuple(s.strip() for s in items)


def _readings(raw: Any, where: str) -> tuple[Reading, ...]:
    readings = raw or []
    if not isinstance(readings, list) or not all(
        isinstance(r, dict) and isinstance(r.get("en"), str) and isinstance(r.get("zh"), str) for r in readings
    ):
        raise PlanError(f"{where}: field 'readings' must be a list of {{en: sentence, zh: 句子}} entries")
    return tuple(Reading(en=r["en"].strip(), zh=r["zh"].strip()) for r in readings)


def _target(raw: dict, where: str, region: Region, *, parent: str | None = None,
            has_components: bool = False) -> Target:
    unknown = sorted(set(raw) - set(_TARGET_FIELDS), key=str)
    if unknown:
        raise PlanError(f"{where}: unknown field(s) {unknown}; expected fields among {list(_TARGET_FIELDS)}")
    measure = _req(raw, "measure", where, str)
    if measure not in MEASURES:
        raise PlanError(f"{where}: field 'measure' is {measure!r}; expected one of {tuple(MEASURES)}")
    for key, reads in _TOWN_FIELDS.items():
        if raw.get(key) is not None and measure != reads:
            raise PlanError(f"{where}: field '{key}' is given for a {measure} target; only a {reads} target is "
                            f"scored by unit, so expected no '{key}' here (or measure: {reads})")
    for need in _NEEDS.get(measure, ()):
        if has_components:
            break
        if raw.get(need) in (None, "", []):
            raise PlanError(f"{where}: a {measure} target needs field '{need}'")
    direction = _req(raw, "direction", where, str)
    if direction not in DIRECTIONS:
        raise PlanError(f"{where}: field 'direction' is {direction!r}; expected one of {DIRECTIONS}")
    unit = _req(raw, "unit", where, str)
    if unit not in UNITS:
        raise PlanError(f"{where}: field 'unit' is {unit!r}; expected one of {UNITS}")
    value: float | None = None
    if not has_components:
        v = _req(raw, "value", where, (int, float))
        if isinstance(v, bool) or v < 0:
            raise PlanError(f"{where}: field 'value' is {v!r}; expected a number ≥ 0")
        value = float(v)
    deadline = _date(raw["deadline"], where, "deadline") if raw.get("deadline") is not None else None
    period = raw.get("period")
    if deadline is None and period != "yearly":
        raise PlanError(f"{where}: give either 'deadline' (a date) or 'period: yearly'")
    stages = raw.get("stages")
    if stages is not None and (isinstance(stages, bool) or not isinstance(stages, int) or stages < 1):
        raise PlanError(f"{where}: field 'stages' is {stages!r}; expected a whole number ≥ 1")
    responsible = raw.get("responsible") or ""
    if not isinstance(responsible, str):
        raise PlanError(f"{where}: field 'responsible' is {responsible!r}; expected the units as text")
    responsible_en = raw.get("responsible_en") or ""
    if not isinstance(responsible_en, str):
        raise PlanError(f"{where}: field 'responsible_en' is {responsible_en!r}; expected the units in English "
                        "as text")
    if responsible_en.strip() and not responsible.strip():
        raise PlanError(f"{where}: field 'responsible_en' is {responsible_en!r} but 'responsible' is missing; "
                        "expected the plan's 责任单位 in 'responsible' (and their English in 'responsible_en')")
    try:
        registry = load_registry(region.source)
        resp = responsibility(raw, registry, where)
    except DepartmentError as exc:
        raise PlanError(str(exc)) from None
    if resp and registry.departments:  # written from the registry: one spelling per unit, in both languages
        responsible, responsible_en = resp.text("zh"), resp.text("en")
    population = raw.get("population")
    if population is not None and (measure != "coverage" or population not in POPULATIONS):
        raise PlanError(f"{where}: field 'population' is {population!r}; expected one of {POPULATIONS}, on a "
                        "coverage target only")
    growth = raw.get("town_growth_pct")
    if growth is not None and (isinstance(growth, bool) or not isinstance(growth, (int, float))):
        raise PlanError(f"{where}: field 'town_growth_pct' is {growth!r}; expected a number")
    model = raw.get("model")
    if model is not None and not isinstance(model, str):
        raise PlanError(f"{where}: field 'model' is {model!r}; expected the name of a model")
    reading = raw.get("reading")
    if reading is not None:
        if reading not in READINGS:
            raise PlanError(f"{where}: field 'reading' is {reading!r}; expected one of {tuple(READINGS)}")
        applies = READINGS[reading][0]
        if applies == "period" and period != "yearly":
            raise PlanError(f"{where}: field 'reading' is {reading!r}, a reading of 年均 for a target set for each "
                            "year; expected 'period: yearly' on this target (or no 'reading')")
        if applies != "period" and measure != applies:
            raise PlanError(f"{where}: field 'reading' is {reading!r}, a reading of 累计; expected measure "
                            f"{applies} (this target's is {measure})")
    each_half = raw.get("each_half")
    if each_half is not None and (isinstance(each_half, bool) or not isinstance(each_half, int) or each_half < 1
                                  or measure != "task_flow" or period != "yearly"):
        raise PlanError(f"{where}: field 'each_half' is {each_half!r}; expected a whole number ≥ 1 on a yearly "
                        "task_flow target (how many each half-year must have)")
    tid = _req(raw, "id", where, (str, int))
    name_zh, name_en = _req(raw, "name_zh", where, str), _req(raw, "name_en", where, str)
    return Target(
        id=str(tid), name_zh=name_zh, name_en=name_en,
        short_zh=_short(raw, "short_zh", name_zh, where), short_en=_short(raw, "short_en", name_en, where),
        section=str(_req(raw, "section", where, (str, int))), measure=measure, direction=direction, value=value,
        unit=unit, responsible=responsible.strip(), responsible_en=responsible_en.strip(),
        headline=bool(raw.get("headline", False)), deadline=deadline,
        period=period, model=model, series=_series(raw.get("series"), where), numerator=raw.get("numerator"),
        denominator=raw.get("denominator"), stages=stages,
        town_quota=_quota(raw.get("town_quota"), where, "town_quota", region),
        town_growth_pct=float(growth) if growth is not None else None, parent=parent,
        readings=_readings(raw.get("readings"), where), reading=reading, responsibility=resp,
        population=population, each_half=each_half,
    )


def _short(raw: dict, key: str, name: str, where: str) -> str:
    """An optional short name: a non-empty text no longer than the full name it stands for."""
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{where}: field '{key}' is {value!r}; expected a short name as text (or no field: the "
                        "full name is shown)")
    if len(value.strip()) > len(name.strip()):
        raise PlanError(f"{where}: field '{key}' is {value!r}, longer than the full name {name!r}; expected a "
                        "shorter name")
    return value.strip()


def _components(raw: dict, parent: Target, where: str, region: Region) -> tuple[Target, ...]:
    comps = raw.get("components")
    if not isinstance(comps, list) or not comps:
        raise PlanError(f"{where}: field 'components' must be a list of {{key, name_zh, name_en, series, value}}")
    out: list[Target] = []
    for i, c in enumerate(comps, start=1):
        key = c.get("key") if isinstance(c, dict) else None
        where_c = f"{where}: component {key or f'#{i}'}"
        if not isinstance(c, dict) or not isinstance(key, (str, int)) or not str(key).strip():
            raise PlanError(f"{where_c}: expected a mapping with a 'key'")
        unknown = set(c) - set(_COMPONENT_FIELDS)
        if unknown:
            raise PlanError(f"{where_c}: fields {sorted(unknown)} cannot be set on a component; "
                            f"expected some of {list(_COMPONENT_FIELDS)}")
        # a component's names (and short names) are its own, never its parent's
        merged = {k: v for k, v in raw.items() if k not in ("components", "readings", "id", "short_zh", "short_en")}
        merged.update({k: v for k, v in c.items() if k != "key"})
        merged["id"] = f"{parent.id}.{str(key).strip()}"
        out.append(_target(merged, where_c, region, parent=parent.id))
    return tuple(out)


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan file (default: the project's last by name of the ``data/raw/plan/*.yaml`` holding a plan)."""
    path = Path(path) if path is not None else plan_file()
    doc = read_yaml(path, PlanError)
    if not isinstance(doc, dict) or "plan" not in doc or "targets" not in doc:
        raise PlanError(f"{path}: expected top-level keys 'plan' and 'targets'")
    p = doc["plan"]
    where = f"{path.name}: plan"
    if not isinstance(p, dict):
        raise PlanError(f"{where}: is {p!r}; expected a mapping of fields (id, title_zh, meetings …)")
    try:
        region = region_of(path)
    except RegionError as exc:
        raise PlanError(str(exc)) from None
    meetings = _req(p, "meetings", where, dict)
    raw_months = _req(meetings, "months", f"{where}.meetings", list)
    if not raw_months or any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in raw_months):
        raise PlanError(f"{where}.meetings: field 'months' is {raw_months!r}; expected a list of month numbers "
                        "1-12, e.g. [3, 9]")
    months = tuple(raw_months)
    for key in ("first", "last"):
        value = _req(meetings, key, f"{where}.meetings", str)
        if not _MEETING_ID.fullmatch(value):
            raise PlanError(f"{where}.meetings: field '{key}' is {value!r}; expected a month YYYY-MM, e.g. 2025-03")
    if meetings["first"] > meetings["last"]:
        raise PlanError(f"{where}.meetings: 'first' ({meetings['first']}) is after 'last' ({meetings['last']})")
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
        t = _target(raw, where_t, region, has_components="components" in raw)
        if "components" in raw:
            t = replace(t, components=_components(raw, t, where_t, region))
        for x in (t, *t.components):
            if x.id in seen:
                raise PlanError(f"{path.name}: target {x.id}: duplicate id")
            seen.add(x.id)
            register(f"target.{x.id}", x.name_zh, x.name_en)
        targets.append(t)
    start = _date(_req(p, "start", where, (str, dt.date)), where, "start")
    end = _date(_req(p, "end", where, (str, dt.date)), where, "end")
    if start > end:
        raise PlanError(f"{where}: field 'start' ({start}) is after 'end' ({end}); expected the plan's first and "
                        "last day in that order")
    return Plan(
        id=_req(p, "id", where, str),
        title_zh=_req(p, "title_zh", where, str),
        title_en=_req(p, "title_en", where, str),
        document_no=_req(p, "document_no", where, str),
        issued=_date(_req(p, "issued", where, (str, dt.date)), where, "issued"),
        start=start,
        end=end,
        meeting_months=months,
        first_meeting=str(_req(meetings, "first", f"{where}.meetings", str)),
        last_meeting=str(_req(meetings, "last", f"{where}.meetings", str)),
        targets=tuple(targets),
        region=region,
        source=path,
        readings=_readings(p.get("readings"), where),
    )
