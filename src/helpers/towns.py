"""The plan's eleven units (区镇) and every spelling of them that raw returns use.

Returns from towns spell their own names in many ways (海门经济技术开发区 / 海门开发区 / 开发区, full- or
half-width brackets, stray spaces). ``town_code`` maps any of them to one code; an unknown spelling is an
error for the caller to report with its location, never a silent new town.
"""

from __future__ import annotations

import re
import unicodedata

#: code → (Chinese name as in the plan, English name), in the plan's order (附件1).
TOWNS: dict[str, tuple[str, str]] = {
    "kfq": ("开发区", "Development Zone"),
    "ljxq": ("临江新区", "Linjiang New Area"),
    "hmgxq": ("海门港新区", "Haimen Port New Area"),
    "scgy": ("三厂工业园区", "Sanchang Industrial Park"),
    "sanxing": ("三星镇", "Sanxing"),
    "changle": ("常乐镇", "Changle"),
    "yuelai": ("悦来镇", "Yuelai"),
    "sijia": ("四甲镇", "Sijia"),
    "zhengyu": ("正余镇", "Zhengyu"),
    "yudong": ("余东镇", "Yudong"),
    "haiyong": ("海永镇", "Haiyong"),
}

#: The code for district-level figures that no single town reports (e.g. the loan balance).
DISTRICT = "district"

_ALIASES: dict[str, str] = {
    # 开发区
    "开发区": "kfq", "海门开发区": "kfq", "海门经济技术开发区": "kfq", "经济技术开发区": "kfq",
    "海门经开区": "kfq", "经开区": "kfq", "海门经济开发区": "kfq",
    # 临江新区
    "临江新区": "ljxq", "海门临江新区": "ljxq", "临江": "ljxq", "临江新区(临江镇)": "ljxq", "临江镇": "ljxq",
    # 海门港新区
    "海门港新区": "hmgxq", "海门港": "hmgxq", "港新区": "hmgxq", "海门港新区(包场镇)": "hmgxq", "海门港新区(包场)": "hmgxq",
    # 三厂工业园区
    "三厂工业园区": "scgy", "三厂工业园": "scgy", "三厂": "scgy", "三厂街道": "scgy", "三厂园区": "scgy",
    "三厂工业园区(三厂街道)": "scgy", "三厂工业园区(三厂)": "scgy", "三厂工业园区(三厂镇)": "scgy",
    # towns
    "三星镇": "sanxing", "三星": "sanxing", "叠石桥": "sanxing", "三星镇(叠石桥)": "sanxing",
    "常乐镇": "changle", "常乐": "changle",
    "悦来镇": "yuelai", "悦来": "yuelai",
    "四甲镇": "sijia", "四甲": "sijia",
    "正余镇": "zhengyu", "正余": "zhengyu",
    "余东镇": "yudong", "余东": "yudong",
    "海永镇": "haiyong", "海永": "haiyong",
    # district level
    "全区": DISTRICT, "海门区": DISTRICT, "合计": DISTRICT, "全区合计": DISTRICT, "总计": DISTRICT,
}


def normalise_text(text: str) -> str:
    """Fold full-width forms (NFKC), drop all white space (also U+3000) and unify brackets."""
    folded = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", folded).replace("（", "(").replace("）", ")")


_INDEX = {normalise_text(k): v for k, v in _ALIASES.items()}
_INDEX.update({normalise_text(name): code for code, (name, _) in TOWNS.items()})
_INDEX.update({code: code for code in TOWNS})


def town_code(spelling: object) -> str | None:
    """The town code for any known spelling, ``DISTRICT`` for district totals, ``None`` if unknown."""
    if spelling is None:
        return None
    key = normalise_text(str(spelling))
    if not key:
        return None
    return _INDEX.get(key) or _INDEX.get(key.lower())


def known_spellings() -> list[str]:
    """Every accepted spelling, for error messages that say what was expected."""
    return sorted(set(_ALIASES) | {name for name, _ in TOWNS.values()})
