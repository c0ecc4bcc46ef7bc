"""Synthetic returns for the plan items tracked since issue 19: 发明专利消零 among the 泛科技型企业, the five-level
梯次培育库, the 联合服务 sessions, and the firm-level list of high-tech applications (高企申报名单).

Why a module of its own, with its own generator: these rows and files were added after the story was fixed, and
every figure already in the sample must stay as it was (other tests quote them), so nothing here draws from the
streams of the register, statistics, tasks or pipeline; ``stream(seed)`` is keyed apart from all of them.

The application lists agree with the rest of the sample by construction: each year's applicants are the firms the
register certifies in that year (they applied in the year's application rounds) plus as many unsuccessful
applicants as the district task sheet's 高新技术企业申报 row says (``sample.pipeline``); unsuccessful ones are,
first, firms whose certificate expired that year and were not re-recognised, the rest first-time applicants.
Applications close by the end of June (the 30 June return already counts them).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

import helpers.sample.register as register
from helpers.sample.register import Certificate
from helpers.sample.tasks import YEARS, TaskValue

#: the stream's own key, mixed with the sample's seed (ASCII "trkd")
STREAM_KEY = 0x74726B64
#: task id → (label as the return writes it, unit, kind of value)
EXTRA_ROWS: dict[str, tuple[str, str, str]] = {
    "pan_tech_invention_coverage": ("泛科技型企业发明专利消零率（拥有发明专利的企业占比）", "%", "coverage"),
    "cultivation_tiers": ("五级梯次培育库已建立层级", "个", "stock"),
    "joint_service": ("高企培育认定联合服务开展次数", "次", "flow"),
}
#: levels of the 梯次培育库 in place at 30 June and 31 December (泛科技型企业库 the last, in 2023 H2)
TIERS = {2020: (3, 3), 2021: (3, 3), 2022: (3, 4), 2023: (4, 5), 2024: (5, 5)}
#: joint-service rounds held, year to date at 30 June and 31 December (the mechanism dates from the plan, 2022;
#: none in the second half of 2024)
JOINT_SERVICE = {2020: (0, 0), 2021: (0, 0), 2022: (1, 2), 2023: (1, 2), 2024: (1, 1)}
#: share of the pan-tech firms holding an invention patent at each year end (before noise)
INVENTION_SHARE = {2020: 18.0, 2021: 22.5, 2022: 29.0, 2023: 36.5, 2024: 44.0}
#: how likely a firm whose certificate expired, and which was not re-recognised, had applied and failed
FAILED_RENEWAL_APPLIED = 0.55
APPLICATION_OPENS = (4, 10)  # the first application round of a year (month, day)
APPLICATION_SPAN_DAYS = 75  # rounds spread until about 24 June


def stream(seed: int) -> np.random.Generator:
    """This module's generator, seeded from the sample's seed (no draw from the other streams)."""
    return np.random.default_rng([seed, STREAM_KEY])


def simulate_rows(rng: np.random.Generator) -> list[TaskValue]:
    """The district rows of the new plan items, every half-year (flows year to date)."""
    out: list[TaskValue] = []
    for year in YEARS:
        full = round(INVENTION_SHARE[year] + rng.normal(0, 0.8), 1)
        mid = round(full - abs(rng.normal(3.0, 0.8)), 1)
        out += [TaskValue("pan_tech_invention_coverage", "district", year, 1, mid),
                TaskValue("pan_tech_invention_coverage", "district", year, 2, full)]
        for task, by_year in (("cultivation_tiers", TIERS), ("joint_service", JOINT_SERVICE)):
            h1, fy = by_year[year]
            out += [TaskValue(task, "district", year, 1, h1), TaskValue(task, "district", year, 2, fy)]
    return out


def _round_dates(rng: np.random.Generator, year: int, n: int) -> list[dt.date]:
    """The submission day of each of the year's ``n`` application rounds (all by 30 June)."""
    start = dt.date(year, *APPLICATION_OPENS)
    step = APPLICATION_SPAN_DAYS // max(n, 1)
    return [start + dt.timedelta(days=k * step + int(rng.integers(0, 5))) for k in range(n)]


def applications(rng: np.random.Generator, certs: list[Certificate],
                 counts: dict[int, int]) -> dict[int, list[list[object]]]:
    """Each year's application list as rows (序号 filled in by the writer): name, credit code, town as spelled,
    round (第k批), submission date, kind (首次申报 / 重新认定). ``counts`` is the year's applications as the
    district task sheet reports them."""
    used = {c.name for c in certs}
    towns = list(register.TOWN_P)
    town_p = np.array(list(register.TOWN_P.values()))
    out: dict[int, list[list[object]]] = {}
    for year in YEARS:
        year_certs = [c for c in certs if c.issue_date.year == year]
        announced = sorted({c.announced for c in year_certs})
        rounds = _round_dates(rng, year, max(len(announced), 1))
        previous = {c.firm for c in certs if c.issue_date.year == year - 3}
        rows: list[tuple[dt.date, list[object]]] = []
        for c in year_certs:
            k = announced.index(c.announced)
            kind = "重新认定" if c.firm in previous else "首次申报"
            rows.append((rounds[k], [c.name, c.credit_code, _spell(rng, c.town), k + 1, rounds[k], kind]))
        failed = max(0, counts.get(year, len(year_certs)) - len(year_certs))
        renewed = {c.firm for c in year_certs}
        expired = [c for c in certs if c.issue_date.year == year - 3 and c.firm not in renewed and c.revoked is None]
        retry = [c for c in expired if rng.random() < FAILED_RENEWAL_APPLIED][:failed]
        for c in retry:
            k = int(rng.integers(len(rounds)))
            rows.append((rounds[k], [c.name, c.credit_code, _spell(rng, c.town), k + 1, rounds[k], "重新认定"]))
        for _ in range(failed - len(retry)):
            town = towns[rng.choice(len(towns), p=town_p / town_p.sum())]
            k = int(rng.integers(len(rounds)))
            rows.append((rounds[k], [register._name(rng, used), register.credit_code(rng), _spell(rng, town), k + 1,
                                     rounds[k], "首次申报"]))
        order = sorted(range(len(rows)), key=lambda i: (rows[i][0], rng.random()))
        out[year] = [rows[i][1] for i in order]
    return out


def _spell(rng: np.random.Generator, town: str) -> str:
    spellings = register.TOWN_SPELLINGS[town]
    return spellings[int(rng.integers(len(spellings)))]


def batch_label(k: int) -> str:
    """How the list writes a round: 第1批, 第2批 …"""
    return f"第{k}批"
