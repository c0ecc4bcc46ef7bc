"""The departments a plan makes responsible (责任单位): one spelling per unit, and who leads (牵头) or supports (配合).

Why a registry: the plan spells one bureau several ways (区市场监督管理局 in 三(七), 区市场监管局 in 附件1; 区教育局 and
区教体局; 中国人民银行海门区支行 and 人行海门支行). A briefing that asks a unit to act must name it one way, and a roll-up
by unit must count each unit once. The registry is the ``departments`` section of the region file (the district's
own bureaus, next to its towns): code, the one Chinese and English name, and the other spellings met in the plan.

A target names its units either explicitly — ``lead: [code]`` and ``support: [code, …]`` (codes or spellings of the
registry) — or, the older form, as the plan's text ``responsible: 区科技局、区发改委，各区镇``, read in the plan's order:
the first-named unit leads, the rest support. Without a registry the older form still loads: each named unit is
taken as written (the English of ``responsible_en`` by position when it names as many units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from helpers.errors import InputError
from helpers.towns import normalise_text
from helpers.yamlfile import read_yaml

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: separators of the plan's 责任单位 text: 、 between units, ，before 各区镇, ; in English
_SPLIT_ZH = re.compile(r"[、，,；;]")
_SPLIT_EN = re.compile(r"[;,]")


class DepartmentError(InputError, ValueError):
    """The departments section of a region file, or a target's units, are malformed; the message says where."""


@dataclass(frozen=True)
class Department:
    """One responsible unit. ``every_unit`` marks the plan's 各区镇: every town of the region, each in its area."""

    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    every_unit: bool = False

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Registry:
    """The district's departments in the file's order, and the one the leading group's information flows to."""

    departments: tuple[Department, ...]
    office: str | None = None
    source: Path | None = None

    def find(self, spelling: str) -> Department | None:
        """The department a code or any of its spellings names (compared after folding widths and spaces)."""
        key = normalise_text(spelling)
        for d in self.departments:
            if key == d.code or key in {normalise_text(s) for s in (d.name_zh, *d.aliases)}:
                return d
        return None

    def spellings(self) -> list[str]:
        return [d.name_zh for d in self.departments]

    @property
    def office_department(self) -> Department | None:
        return self.find(self.office) if self.office else None


@dataclass(frozen=True)
class Responsibility:
    """Who answers for one target: the lead units (牵头) then the supporting ones (配合), each named once."""

    lead: tuple[Department, ...] = ()
    support: tuple[Department, ...] = ()

    @property
    def units(self) -> tuple[Department, ...]:
        return (*self.lead, *self.support)

    def __bool__(self) -> bool:
        return bool(self.lead or self.support)

    def text(self, lang: str = "zh") -> str:
        """The units in the plan's style: bureaus joined, then the towns (区科技局、区发改委，各区镇)."""
        named = [d.name(lang) for d in self.units if not d.every_unit]
        towns = [d.name(lang) for d in self.units if d.every_unit]
        inner, outer = ("、", "，") if lang == "zh" else (", ", "; ")
        return outer.join(p for p in (inner.join(named), inner.join(towns)) if p)


EMPTY_REGISTRY = Registry(())


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DepartmentError(f"{where}: field '{key}' is {value!r}; expected a non-empty text")
    return value.strip()


def parse_registry(raw: Any, source: Path) -> Registry:
    """The ``departments`` section of a region file (``{office: code, units: [...]}``); absent, an empty registry."""
    if raw is None:
        return Registry((), None, source)
    where = f"{source.name}: departments"
    if not isinstance(raw, dict) or not isinstance(raw.get("units"), list) or not raw["units"]:
        raise DepartmentError(f"{where}: expected a mapping with 'units' (a list of code, name_zh, name_en, aliases) "
                              "and optionally 'office' (the code of the leading group's office)")
    out: list[Department] = []
    seen: dict[str, str] = {}
    for i, u in enumerate(raw["units"], start=1):
        w = f"{where}: unit #{i}"
        if not isinstance(u, dict):
            raise DepartmentError(f"{w}: expected a mapping with code, name_zh, name_en, aliases")
        code = _text(u, "code", w)
        if not _CODE_RE.match(code):
            raise DepartmentError(f"{w}: field 'code' is {code!r}; expected lower-case letters, digits or _")
        aliases = u.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise DepartmentError(f"{w}: field 'aliases' must be a list of spellings")
        d = Department(code, _text(u, "name_zh", w), _text(u, "name_en", w), tuple(a.strip() for a in aliases),
                       bool(u.get("every_unit", False)))
        for spelling in (d.code, d.name_zh, *d.aliases):
            key = normalise_text(spelling)
            if seen.get(key, code) != code:
                raise DepartmentError(f"{w}: spelling {spelling!r} is given for both {seen[key]} and {code}")
            seen[key] = code
        out.append(d)
    registry = Registry(tuple(out), None, source)
    office = raw.get("office")
    if office is not None and (not isinstance(office, str) or registry.find(office) is None):
        raise DepartmentError(f"{where}: field 'office' is {office!r}; expected the code of one of its units")
    return Registry(tuple(out), registry.find(office).code if office else None, source)  # type: ignore[union-attr]


@lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> Registry:
    doc = read_yaml(path, DepartmentError)
    return parse_registry(doc.get("departments") if isinstance(doc, dict) else None, Path(path))


def load_registry(region_file: str | Path) -> Registry:
    """The registry of a region file (cached on the file and its modification time)."""
    p = Path(region_file).resolve()
    return _load(str(p), p.stat().st_mtime_ns)


def _codes(raw: Any, field: str, registry: Registry, where: str) -> tuple[Department, ...]:
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(x, str) and x.strip() for x in items):
        raise DepartmentError(f"{where}: field '{field}' is {raw!r}; expected a list of department codes")
    out = []
    for x in items:
        d = registry.find(x)
        if d is None:
            raise DepartmentError(f"{where}: field '{field}' names unknown department {x!r}; expected a code or "
                                  f"spelling of the departments of {registry.source.name if registry.source else 'the region file'}"
                                  f" ({', '.join(d.code for d in registry.departments) or 'none listed'})")
        out.append(d)
    return tuple(out)


def _from_text(zh: str, en: str, registry: Registry, where: str) -> Responsibility:
    """The older ``responsible`` text read in the plan's order: the first-named unit leads."""
    names = [n.strip() for n in _SPLIT_ZH.split(zh) if n.strip()]
    english = [n.strip() for n in _SPLIT_EN.split(en) if n.strip()] if en else []
    units = []
    for i, n in enumerate(names):
        if registry.departments:
            d = registry.find(n)
            if d is None:
                raise DepartmentError(f"{where}: field 'responsible' names {n!r}, which is no department of "
                                      f"{registry.source.name if registry.source else 'the region file'}; expected one "
                                      f"of {registry.spellings()} (or add it, with this spelling as an alias)")
        else:
            d = Department(n, n, english[i] if len(english) == len(names) else n, every_unit=n.startswith("各"))
        if d not in units:
            units.append(d)
    return Responsibility(tuple(units[:1]), tuple(units[1:]))


def responsibility(raw: dict, registry: Registry, where: str) -> Responsibility:
    """A target's units from ``lead``/``support`` or, failing those, its ``responsible`` text (first named leads)."""
    has_new = raw.get("lead") is not None or raw.get("support") is not None
    if has_new and not registry.departments:
        raise DepartmentError(f"{where}: fields 'lead'/'support' need a departments section in the region file")
    if has_new and raw.get("responsible"):
        raise DepartmentError(f"{where}: give either 'lead'/'support' (department codes) or the plan's text in "
                              "'responsible', not both")
    if has_new:
        if raw.get("lead") is None:
            raise DepartmentError(f"{where}: field 'support' is given without 'lead'; expected the lead unit first")
        lead = _codes(raw["lead"], "lead", registry, where)
        support = _codes(raw["support"], "support", registry, where) if raw.get("support") is not None else ()
        twice = {d.code for d in lead} & {d.code for d in support}
        if twice or len(set(lead)) < len(lead) or len(set(support)) < len(support):
            raise DepartmentError(f"{where}: a department is named twice in 'lead'/'support' ({sorted(twice)})")
        return Responsibility(lead, support)
    zh = raw.get("responsible") or ""
    en = raw.get("responsible_en") or ""
    if not isinstance(zh, str) or not isinstance(en, str):
        raise DepartmentError(f"{where}: fields 'responsible'/'responsible_en' must be text")
    return _from_text(zh, en, registry, where) if zh.strip() else Responsibility()
