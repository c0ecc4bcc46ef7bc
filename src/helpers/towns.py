"""The district's units (区镇) and every spelling of them that raw returns use, loaded from the region file.

Why a data file: the units, their codes and the towns' own spellings belong to one district (Haimen's eleven
units today; 启东 or 如皋 run plans of the same shape with other towns). The plan file names its region file
(``plan.region``); this module loads the region of the *active* plan (``helpers.paths.plan_file``) unless a
caller passes a plan's own ``Region``. ``town_code`` maps any known spelling (海门经济技术开发区 / 海门开发区 /
开发区, full- or half-width brackets, stray spaces) to one code; an unknown spelling is an error for the
caller to report with its location, never a silent new town.

``TOWNS`` stays a read-only mapping code → (Chinese name, English name) in the plan's order, backed by the
active region, so callers that iterate it see the district the suite is running for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from helpers.errors import InputError
from helpers.paths import plan_file, raw_dir
from helpers.yamlfile import read_yaml

#: The code for district-level figures that no single unit reports (e.g. the loan balance).
DISTRICT = "district"
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class RegionError(InputError, ValueError):
    """The region file is malformed or missing; the message names the file, the unit and the field."""


def normalise_text(text: str) -> str:
    """Fold full-width forms (NFKC), drop all white space (also U+3000) and unify brackets."""
    folded = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", folded).replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class Unit:
    """One unit of the district (a town, a development zone, a new area)."""

    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Group:
    """A name the plan uses for several units at once (e.g. 中心镇), and how the suite reads it."""

    name_zh: str
    name_en: str
    members: tuple[str, ...]
    reading_en: str = ""
    reading_zh: str = ""


@dataclass(frozen=True)
class PublicRanking:
    """Where the district ranks among its city's districts on a published share (the region file's
    ``public_ranking``): the district and its city as the published-figures file spells them, and the city's other
    districts it is ranked against."""

    self_name: str
    city: str
    peers: tuple[str, ...]


@dataclass(frozen=True)
class Masthead:
    """How the district heads its leading group's 简报 (the region file's ``briefing`` block): the district as the
    title names it, the group's name, the 编印单位 (also the cover note's sender) and how many days before the
    meeting a 简报 is dated. Why data: another district's group and office have other names."""

    name_zh: str
    name_en: str
    group_zh: str
    group_en: str
    compiled_by_zh: str
    compiled_by_en: str
    issued_days_before: int = 3

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def group(self, lang: str = "zh") -> str:
        return self.group_zh if lang == "zh" else self.group_en

    def compiled_by(self, lang: str = "zh") -> str:
        return self.compiled_by_zh if lang == "zh" else self.compiled_by_en


@dataclass(frozen=True)
class Region:
    """A district: its units in the plan's order, the spellings of district rows, named groups, and the regions of
    the published figures (``data/raw/public``) that are its context (``public_context``, as the file spells them;
    none for a district that names none, so no other place's figures are ever shown as its own)."""

    id: str
    name_zh: str
    name_en: str
    units: tuple[Unit, ...]
    district_aliases: tuple[str, ...]
    groups: tuple[Group, ...]
    source: Path
    public_context: tuple[str, ...] = ()
    #: the 简报's masthead (``briefing`` block); None when the file gives none (the briefing then uses the
    #: region's name and the catalogue's generic group and office, ``helpers.briefing.masthead``)
    masthead: Masthead | None = None
    #: the district's ranking among its city's districts on published figures (None: no ranking shown)
    public_ranking: PublicRanking | None = None
    _index: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, str] = {normalise_text(a): DISTRICT for a in self.district_aliases}
        for u in self.units:
            for spelling in (*u.aliases, u.name_zh):
                index[normalise_text(spelling)] = u.code
            index[u.code] = u.code
        object.__setattr__(self, "_index", index)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.units)

    def unit(self, code: str) -> Unit:
        for u in self.units:
            if u.code == code:
                return u
        raise KeyError(f"no unit {code!r} in {self.source.name}; its units are {', '.join(self.codes)}")

    def group(self, name: str) -> Group | None:
        for g in self.groups:
            if name in (g.name_zh, g.name_en):
                return g
        return None

    def name_of(self, code: str, lang: str = "zh") -> str:
        """A unit's name (or the district's), in ``lang``."""
        if code == DISTRICT:
            return self.name_zh if lang == "zh" else self.name_en
        return self.unit(code).name(lang)

    def code(self, spelling: object) -> str | None:
        """The unit code for any known spelling, ``DISTRICT`` for district totals, ``None`` if unknown."""
        if spelling is None:
            return None
        key = normalise_text(str(spelling))
        if not key:
            return None
        return self._index.get(key) or self._index.get(key.lower())

    def spellings(self) -> list[str]:
        """Every accepted spelling, for error messages that say what was expected."""
        names = {u.name_zh for u in self.units} | {a for u in self.units for a in u.aliases}
        return sorted(names | set(self.district_aliases))


# ---------------------------------------------------------------------------------------------- loading

def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegionError(f"{where}: field '{key}' is {value!r}; expected a non-empty text")
    return value.strip()


def _unit(raw: Any, where: str) -> Unit:
    if not isinstance(raw, dict):
        raise RegionError(f"{where}: expected a mapping with code, name_zh, name_en, aliases")
    code = _text(raw, "code", where)
    if not _CODE_RE.match(code) or code == DISTRICT:
        raise RegionError(f"{where}: field 'code' is {code!r}; expected lower-case letters, digits or _ "
                          f"(and not {DISTRICT!r}, the code of district rows)")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RegionError(f"{where}: field 'aliases' must be a list of spellings")
    return Unit(code, _text(raw, "name_zh", where), _text(raw, "name_en", where), tuple(aliases))


def load_region(path: str | Path) -> Region:
    """Load and validate a region file; a ``RegionError`` names the file, the unit and the field."""
    path = Path(path)
    doc = read_yaml(path, RegionError, missing="region file not found (named by the plan's field 'region')")
    if not isinstance(doc, dict) or not isinstance(doc.get("region"), dict) or not doc.get("units"):
        raise RegionError(f"{path}: expected top-level keys 'region' and 'units'")
    head = doc["region"]
    units = tuple(_unit(u, f"{path.name}: unit #{i}") for i, u in enumerate(doc["units"], start=1))
    codes = [u.code for u in units]
    if len(set(codes)) != len(codes):
        raise RegionError(f"{path.name}: unit codes must be unique; found {codes}")
    seen: dict[str, str] = {}
    for u in units:
        for spelling in (u.name_zh, *u.aliases):
            key = normalise_text(spelling)
            if seen.get(key, u.code) != u.code:
                raise RegionError(f"{path.name}: spelling {spelling!r} is given for both {seen[key]} and {u.code}")
            seen[key] = u.code
    district = (doc.get("district") or {}).get("aliases") or []
    groups = []
    for i, g in enumerate(doc.get("groups") or [], start=1):
        where = f"{path.name}: group #{i}"
        members = tuple(g.get("members") or []) if isinstance(g, dict) else ()
        unknown = [m for m in members if m not in codes]
        if not members or unknown:
            raise RegionError(f"{where}: field 'members' names unknown units {unknown or '(none)'}; "
                              f"expected codes among {codes}")
        reading = g.get("reading") or {}
        groups.append(Group(_text(g, "name_zh", where), _text(g, "name_en", where), members,
                            str(reading.get("en", "")).strip(), str(reading.get("zh", "")).strip()))
    return Region(
        id=_text(head, "id", f"{path.name}: region"), name_zh=_text(head, "name_zh", f"{path.name}: region"),
        name_en=_text(head, "name_en", f"{path.name}: region"), units=units,
        district_aliases=tuple(str(a) for a in district), groups=tuple(groups), source=path,
        public_context=_public_context(doc.get("public_context"), path.name),
        masthead=_masthead(doc.get("briefing"), path.name),
        public_ranking=_public_ranking(doc.get("public_ranking"), path.name),
    )


def _public_ranking(raw: Any, name: str) -> PublicRanking | None:
    """The ``public_ranking`` block: ``self``, ``city`` and ``peers`` as the published-figures file spells them."""
    if raw is None:
        return None
    where = f"{name}: public_ranking"
    peers = raw.get("peers") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(peers, list) or not all(isinstance(p, str) and p.strip()
                                                                             for p in peers):
        raise RegionError(f"{where}: expected a mapping with self, city and peers (a list of the city's other "
                          "districts as data/raw/public/public_figures.csv spells them), e.g. self: 海门区, "
                          "city: 南通市, peers: [崇川区, 启东市]")
    return PublicRanking(_text(raw, "self", where), _text(raw, "city", where), tuple(p.strip() for p in peers))


def _masthead(raw: Any, name: str) -> Masthead | None:
    """The ``briefing`` block: how the 简报 is headed (absent: None)."""
    if raw is None:
        return None
    where = f"{name}: briefing"
    if not isinstance(raw, dict):
        raise RegionError(f"{where}: expected a mapping with name_zh, name_en, group_zh, group_en, compiled_by_zh, "
                          "compiled_by_en, issued_days_before")
    days = raw.get("issued_days_before", 3)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 30:
        raise RegionError(f"{where}: field 'issued_days_before' is {days!r}; expected whole days from 0 to 30")
    return Masthead(*(_text(raw, k, where) for k in ("name_zh", "name_en", "group_zh", "group_en",
                                                       "compiled_by_zh", "compiled_by_en")),
                    issued_days_before=days)


def _public_context(raw: Any, name: str) -> tuple[str, ...]:
    """The regions of the published figures this district shows as its context (absent: none)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(r, str) and r.strip() for r in raw):
        raise RegionError(f"{name}: field 'public_context' is {raw!r}; expected a list of region names as "
                          "data/raw/public/public_figures.csv spells them (column 'region'), e.g. [海门区, 南通市]")
    return tuple(r.strip() for r in raw)


def region_file_of(plan_path: str | Path) -> Path:
    """The region file a plan file names (``plan.region``, relative to the plan file)."""
    plan_path = Path(plan_path)
    try:
        doc = yaml.safe_load(plan_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegionError(f"{plan_path}: cannot read the plan to find its region file: {exc}") from None
    name = (doc or {}).get("plan", {}).get("region") if isinstance(doc, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise RegionError(f"{plan_path.name}: plan: field 'region' is missing; expected the name of the region "
                          "file beside the plan (e.g. region-haimen.yaml)")
    return plan_path.parent / name.strip()


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int) -> Region:
    return load_region(path)


@lru_cache(maxsize=16)
def _region_file_cached(plan_path: str, mtime_ns: int) -> Path:
    return region_file_of(plan_path)


def _stamp(path: Path, missing: str) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        raise RegionError(missing) from None


def region_of(plan_path: str | Path) -> Region:
    """The region named by the plan file ``plan_path``.

    Cached on the resolved plan file and the resolved region file with their modification times: a changed plan,
    a changed region file or another tree (``GAOQI_ROOT``) gives another key, never a stale district.
    """
    plan_path = Path(plan_path).resolve()
    plan_stamp = _stamp(plan_path, f"{plan_path}: plan file not found")
    path = _region_file_cached(str(plan_path), plan_stamp).resolve()
    stamp = _stamp(path, f"{path}: region file not found (named by {plan_path.name}, field 'region')")
    return _cached(str(path), stamp)


def active_region() -> Region:
    """The region of the active plan (the last plan file by name under ``data/raw/plan`` of ``GAOQI_ROOT``).

    Which file is the plan is cached on the plan folder's resolved path and its files' modification times (so it
    is cheap enough to call per town lookup); the region itself is keyed by the resolved plan and region files and
    their modification times (``region_of``). Switching ``GAOQI_ROOT``, editing the plan or the region file all
    give a new key.
    """
    folder = (raw_dir() / "plan").resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml"))) if folder.is_dir() else ()
    return region_of(_active_plan(str(folder), stamp))


@lru_cache(maxsize=16)
def _active_plan(folder: str, stamp: tuple[tuple[str, int], ...]) -> Path:
    try:
        path = plan_file()
    except FileNotFoundError as exc:
        raise RegionError(str(exc)) from None
    return path.resolve()


class _ActiveTowns(Mapping[str, tuple[str, str]]):
    """code → (Chinese name, English name) of the active region's units, in the plan's order."""

    def _units(self) -> dict[str, tuple[str, str]]:
        return {u.code: (u.name_zh, u.name_en) for u in active_region().units}

    def __getitem__(self, code: str) -> tuple[str, str]:
        return self._units()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._units())

    def __len__(self) -> int:
        return len(active_region().units)

    def __repr__(self) -> str:
        return f"TOWNS({self._units()!r})"


#: The active region's units: code → (Chinese name, English name), in the plan's order.
TOWNS: Mapping[str, tuple[str, str]] = _ActiveTowns()


def town_code(spelling: object) -> str | None:
    """The unit code for any known spelling in the active region, ``DISTRICT`` for district totals, else None."""
    return active_region().code(spelling)


def town_name(code: str, lang: str = "zh") -> str:
    """The name of a unit (or of the district for ``DISTRICT``) of the active region, in ``lang``."""
    return active_region().name_of(code, lang)


def known_spellings() -> list[str]:
    """Every accepted spelling of the active region, for error messages that say what was expected."""
    return active_region().spellings()
