"""Synthetic register of high-tech enterprise certificates, cohorts 2016-2024.

Calibration (real figures in ../shared/data/public_figures.csv, never copied into the sample as if published):
Haimen had 152 applications and 99 recognitions in 2024 in four batches, and about 395 valid high-tech
enterprises at a point in 2025 against the plan's 400. The cohort sizes below give ≈ 275 valid firms at the
end of 2021 (the plan's starting point), rising to ≈ 395 at the end of 2024, with 99 certificates in 2024.
Firms re-recognise three years after their previous certificate with probability ``RENEWAL_P``; the rest of
each cohort are first recognitions. A few certificates are revoked (取消资格); a few firms are renamed on
re-recognition; names are written with full- or half-width brackets and stray spaces; a few credit codes
carry a wrong check character; one row is an exact duplicate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from helpers.creditcode import ALPHABET, check_character
from helpers.sample.world_record import FreeWorld

#: certificates issued per year (new + re-recognised); 2024 = 99 as published for Haimen.
COHORT_SIZES = {2016: 70, 2017: 80, 2018: 88, 2019: 95, 2020: 100, 2021: 82, 2022: 152, 2023: 147, 2024: 99}
#: batches a year (Jiangsu: two to four public notices in Q4; four in Haimen's 2024).
BATCHES = {2016: 2, 2017: 2, 2018: 2, 2019: 2, 2020: 2, 2021: 3, 2022: 3, 2023: 3, 2024: 4}
RENEWAL_P = 0.62
REVOCATIONS = {2020: 1, 2021: 1, 2022: 1, 2023: 1, 2024: 2}
FIELDS = ("电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化")
FIELD_P = (0.14, 0.09, 0.01, 0.22, 0.08, 0.09, 0.06, 0.31)
#: where high-tech firms sit (weights) and how each town spells itself in the register.
TOWN_P = {
    "kfq": 0.24, "ljxq": 0.12, "hmgxq": 0.09, "scgy": 0.10, "sanxing": 0.08, "changle": 0.08,
    "yuelai": 0.06, "sijia": 0.06, "zhengyu": 0.05, "yudong": 0.08, "haiyong": 0.04,
}
TOWN_SPELLINGS = {
    "kfq": ("海门经济技术开发区", "开发区", "海门开发区"), "ljxq": ("临江新区", "临江新区（临江镇）"),
    "hmgxq": ("海门港新区", "海门港"), "scgy": ("三厂工业园区", "三厂"), "sanxing": ("三星镇", "三星"),
    "changle": ("常乐镇",), "yuelai": ("悦来镇",), "sijia": ("四甲镇",), "zhengyu": ("正余镇",),
    "yudong": ("余东镇", "余东镇 "), "haiyong": ("海永镇",),
}
_CORE = "瑞华泰通达博汇恒鑫宏盛嘉联海科创新锐捷凯远航安信美德润天成佳誉昌隆弘毅精工睿智源晟启明辰光"
_TRADE = ("机械", "电子", "新材料", "纺织科技", "智能装备", "生物科技", "医药", "电气", "精密制造", "环保科技",
          "化工", "家纺", "船舶配套", "光电", "汽车零部件", "软件", "检测技术", "能源科技")
_PREFIX = ("江苏", "南通", "海门", "")


@dataclass
class Certificate:
    firm: int
    credit_code: str
    name: str
    town: str
    field: str
    cert_no: str
    issue_date: dt.date
    announced: dt.date
    revoked: dt.date | None = None


@dataclass
class _Firm:
    code: str
    name: str
    town: str
    field: str


def credit_code(rng: np.random.Generator) -> str:
    """A valid 18-character code: 9 (工商) 1 (企业), Haimen's area code 320684, an org code, the check char."""
    body = "".join(rng.choice(list(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY"[:8]), size=9))
    first17 = "91320684" + body
    return first17 + check_character(first17)


def _name(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        core = "".join(rng.choice(list(_CORE), size=2))
        prefix = _PREFIX[rng.integers(len(_PREFIX))]
        trade = _TRADE[rng.integers(len(_TRADE))]
        name = f"{prefix}{core}{trade}有限公司" if prefix else f"{core}（南通）{trade}有限公司"
        if name not in used:
            used.add(name)
            return name


def _batch_dates(rng: np.random.Generator, year: int, n: int) -> list[dt.date]:
    start = dt.date(year, 10, 8)
    span = (dt.date(year, 12, 22) - start).days
    offsets = sorted({int(x) for x in np.linspace(0, span, n) + rng.integers(-4, 5, size=n)})
    return [start + dt.timedelta(days=max(0, min(span, o))) for o in offsets]


def simulate(rng: np.random.Generator, world: FreeWorld | None = None) -> list[Certificate]:
    """Every certificate 2016-2024, including re-recognitions, renames and revocations.

    The story fixes each cohort's size and one renewal rate; a free world (``sample.world``) gives each year its
    own renewal rate and first-time recognitions, and the cohort is whatever renews plus those."""
    used: set[str] = set()
    firms: list[_Firm] = []
    certs: list[Certificate] = []
    last_cert: dict[int, Certificate] = {}
    serial = {y: int(rng.integers(100, 900)) for y in COHORT_SIZES}
    towns = list(TOWN_P)
    town_p = np.array(list(TOWN_P.values()))
    for year, size in COHORT_SIZES.items():
        due = [f for f, c in last_cert.items() if c.issue_date.year == year - 3 and c.revoked is None]
        if world is None:
            renew = [f for f in due if rng.random() < RENEWAL_P][:size]
        else:
            renew = [f for f in due if rng.random() < world.renewal_p[year]]
            size = len(renew) + world.first_time[year]
        new = size - len(renew)
        for _ in range(new):
            town = towns[rng.choice(len(towns), p=town_p / town_p.sum())]
            field = FIELDS[rng.choice(len(FIELDS), p=np.array(FIELD_P) / sum(FIELD_P))]
            firms.append(_Firm(credit_code(rng), _name(rng, used), town, field))
        members = renew + list(range(len(firms) - new, len(firms)))
        order = rng.permutation(len(members))
        batches = _batch_dates(rng, year, BATCHES[year] if world is None else world.batches[year])
        for k, idx in enumerate(order):
            f = members[idx]
            firm = firms[f]
            if f in renew and rng.random() < 0.04:  # renamed on re-recognition (same credit code)
                firm.name = _name(rng, used)
            announced = batches[min(k * len(batches) // len(members), len(batches) - 1)]
            issued = announced - dt.timedelta(days=int(rng.integers(0, 6)))
            serial[year] += int(rng.integers(1, 40))
            cert = Certificate(f, firm.code, firm.name, firm.town, firm.field,
                               f"GR{year}32{serial[year]:06d}", issued, announced)
            certs.append(cert)
            last_cert[f] = cert
    _revoke(rng, certs, REVOCATIONS if world is None else world.revocations)
    return sorted(certs, key=lambda c: (c.issue_date, c.cert_no))


def _revoke(rng: np.random.Generator, certs: list[Certificate], revocations: dict[int, int]) -> None:
    for year, n in revocations.items():
        candidates = [c for c in certs if c.issue_date.year in (year - 2, year - 1) and c.revoked is None]
        n = min(n, len(candidates))
        for i in rng.choice(len(candidates), size=n, replace=False):
            c = candidates[int(i)]
            c.revoked = dt.date(year, int(rng.integers(3, 10)), int(rng.integers(1, 28)))


def register_rows(rng: np.random.Generator, certs: list[Certificate]) -> list[list[object]]:
    """Rows as written in the bureau's register, with the spellings, typos and duplicate it really has."""
    rows: list[list[object]] = []
    typo_rows = set(rng.choice(len(certs), size=4, replace=False).tolist())
    for i, c in enumerate(certs):
        name = c.name
        roll = rng.random()
        if roll < 0.08:
            name = name.replace("（", "(").replace("）", ")")
        elif roll < 0.12:
            name = name + " "
        code = c.credit_code
        if i in typo_rows:  # a mistyped check character (or a swapped digit)
            wrong = ALPHABET[(ALPHABET.index(code[17]) + 1 + int(rng.integers(0, 29))) % 31]
            code = code[:17] + wrong
        spelling = TOWN_SPELLINGS[c.town][int(rng.integers(len(TOWN_SPELLINGS[c.town])))]
        note = "取消高新技术企业资格" if c.revoked else ""
        rows.append([i + 1, name, code, c.cert_no, c.issue_date, c.announced, spelling, c.field, c.revoked, note])
    dup = int(rng.integers(len(rows) // 2, len(rows)))
    rows.insert(dup + 1, list(rows[dup]))  # the same row entered twice
    for k, row in enumerate(rows, start=1):
        row[0] = k
    return rows


def valid_firms_at(certs: list[Certificate], day: dt.date, town: str | None = None) -> int:
    """Distinct firms with an unexpired, unrevoked certificate on ``day`` (for calibration reports)."""
    out = set()
    for c in certs:
        if town is not None and c.town != town:
            continue
        expiry = c.issue_date.replace(year=c.issue_date.year + 3)
        if c.issue_date <= day < expiry and not (c.revoked and c.revoked <= day) and c.announced <= day:
            out.add(c.firm)
    return len(out)
