"""Synthetic half-yearly task-progress returns (2020 H1 - 2024 H2): the counts behind every task target.

Flows are reported year-to-date at 06-30 and 12-31 (so earlier years give a completion curve); stocks are the
level at the period end; coverage rates are percentages. Town-level rows exist where the plan sets town
quotas or growth (projects, uir_projects, pan_tech_firms, ip_firms); a few towns lag their quotas. Scale is
set on the plan's targets (data/raw/plan/haimen-2022-2024.yaml): e.g. ≈ 400 科技型中小企业 a year, a loan
balance approaching 8.5 亿元, about 800 IP-owning pan-tech firms by the end of 2024.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from helpers.sample.world_record import FreeWorld

YEARS = (2020, 2021, 2022, 2023, 2024)
TOWNS = ("kfq", "ljxq", "hmgxq", "scgy", "sanxing", "changle", "yuelai", "sijia", "zhengyu", "yudong", "haiyong")
PROJECT_QUOTA = {"kfq": 30, "ljxq": 30, "hmgxq": 10, "scgy": 10, "sanxing": 8, "changle": 8, "yuelai": 8,
                 "sijia": 8, "zhengyu": 8, "yudong": 8, "haiyong": 2}
UIR_QUOTA = {"kfq": 35, "scgy": 15, "hmgxq": 15, "ljxq": 15, "sanxing": 10, "changle": 10, "yuelai": 10,
             "sijia": 10, "zhengyu": 10, "yudong": 10, "haiyong": 3}
#: how each town performs against its quotas (< 1 lags); 余东 and 海永 lag, 开发区 leads.
PERFORMANCE = {"kfq": 1.12, "ljxq": 1.0, "hmgxq": 0.92, "scgy": 1.05, "sanxing": 0.95, "changle": 1.08,
               "yuelai": 0.88, "sijia": 1.0, "zhengyu": 0.85, "yudong": 0.72, "haiyong": 0.6}
YEAR_EFFORT = {2020: 0.72, 2021: 0.82, 2022: 0.98, 2023: 1.02, 2024: 1.04}
PAN_TECH_2019 = {"kfq": 260, "ljxq": 120, "hmgxq": 70, "scgy": 90, "sanxing": 60, "changle": 55, "yuelai": 45,
                 "sijia": 40, "zhengyu": 35, "yudong": 50, "haiyong": 15}
#: the towns' own spellings in their returns.
SPELLINGS = {"kfq": "海门经济技术开发区", "ljxq": "临江新区", "hmgxq": "海门港", "scgy": "三厂工业园区（三厂）",
             "sanxing": "三星镇", "changle": "常乐镇", "yuelai": "悦来镇 ", "sijia": "四甲镇", "zhengyu": "正余镇",
             "yudong": "余东镇", "haiyong": "海永镇"}

#: district rows: task id → (label as the return writes it, unit, kind of value)
DISTRICT_ROWS = {
    "tech_sme": ("科技型中小企业评价入库", "家", "flow"),
    "incubated": ("载体孵化培育科技型小微企业", "家", "flow"),
    "talent_lead": ("领军型创新创业人才（团队）项目", "个", "flow"),
    "talent_prov": ("入选省双创人才", "名", "flow"),
    "talent_overseas": ("引进海外高层次人才（团队）", "个", "flow"),
    "fin_balance": ("科技金融贷款余额", "亿元", "stock"),
    "fin_firms": ("科技金融支持科技创新型企业", "家", "flow"),
    "carriers": ("新增省级以上双创载体", "个", "flow"),
    "carriers_specialised": ("其中：专业型载体", "个", "flow"),
    "growth_firms_eaglet": ("雏鹰企业", "家", "flow"),
    "growth_firms_gazelle": ("瞪羚企业", "家", "flow"),
    "growth_firms_unicorn": ("独角兽培育企业", "家", "flow"),
    "growth_firms": ("雏鹰、瞪羚、独角兽培育企业合计", "家", "flow"),
    "hitech_ip": ("高企知识产权申报达标率", "%", "coverage"),
    "rd_filing": ("高企研发项目备案率", "%", "coverage"),
    "rd_ledger": ("高企研发费用辅助账建账率", "%", "coverage"),
    "rd_deduction": ("高企研发费用加计扣除享受率", "%", "coverage"),
}
#: yearly level (flows: full year; stocks: year end; coverage: year end %) by year.
DISTRICT_YEAR = {
    "tech_sme": (262, 331, 412, 436, 398), "incubated": (24, 28, 31, 36, 30),
    "talent_lead": (12, 14, 16, 15, 14), "talent_prov": (8, 9, 11, 10, 10), "talent_overseas": (2, 3, 3, 4, 3),
    "fin_balance": (5.21, 6.37, 7.64, 8.31, 8.74), "fin_firms": (44, 52, 63, 66, 61),
    "carriers": (2, 3, 3, 4, 3), "carriers_specialised": (0, 1, 1, 1, 1),
    "growth_firms_eaglet": (9, 11, 13, 14, 12), "growth_firms_gazelle": (2, 3, 3, 4, 3),
    "growth_firms_unicorn": (0, 0, 1, 0, 1),
    "hitech_ip": (61.5, 68.2, 74.8, 79.3, 83.6), "rd_filing": (82.0, 88.5, 93.1, 96.4, 97.8),
    "rd_ledger": (76.3, 84.0, 90.2, 94.7, 96.1), "rd_deduction": (90.4, 93.2, 95.8, 97.5, 98.9),
}
#: share of a year's flow done by 30 June (科技型中小企业 evaluation runs mostly in the first half).
H1_FRACTION = {"tech_sme": 0.72, "fin_balance": 0.0}

#: series added later, written as given (no random draws, so the other series keep their values):
#: task id → (label as the return writes it, unit, {year: (value at 30 June, value at 31 December)}).
#: Patent coverage: the share of the pooled firms filing an invention patent in the year (mid-year: filed so
#: far) and the share holding a granted one; the incubation chain: links in place (众创空间, 孵化器, 加速器),
#: the third arriving in the second half of 2024.
GIVEN_ROWS: dict[str, tuple[str, str, dict[int, tuple[float, float]]]] = {
    "patent_apply_coverage": ("科技型中小企业、高企培育入库企业、高新技术企业发明专利申请覆盖率", "%", {
        2020: (21.3, 38.0), 2021: (25.9, 45.5), 2022: (31.7, 56.2), 2023: (36.1, 63.8), 2024: (40.8, 71.5)}),
    "patent_grant_coverage": ("“小升高”培育入库企业、高新技术企业发明专利授权覆盖率", "%", {
        2020: (27.5, 30.1), 2021: (33.0, 36.4), 2022: (40.2, 44.0), 2023: (48.1, 52.7), 2024: (57.0, 61.2)}),
    "incubation_chain_links": ("科技企业孵化链条已建成环节", "个", {
        2020: (1, 1), 2021: (1, 1), 2022: (1, 2), 2023: (2, 2), 2024: (2, 3)}),
}


@dataclass(frozen=True)
class TaskValue:
    task_id: str
    town: str  # town code or "district"
    year: int
    half: int  # 1 or 2
    value: float


def period_end(year: int, half: int) -> dt.date:
    return dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)


def release_date(year: int, half: int) -> dt.date:
    """H1 returns are sent mid-July, H2 returns mid-January of the next year."""
    return dt.date(year, 7, 15) if half == 1 else dt.date(year + 1, 1, 15)


def simulate(rng: np.random.Generator, world: FreeWorld | None = None) -> list[TaskValue]:
    """Every task value; a free world (``sample.world``) replaces the story's levels, paces, towns' performance
    and the given rows with its own draws."""
    district_year = DISTRICT_YEAR if world is None else world.district_year
    performance = PERFORMANCE if world is None else world.performance
    effort = YEAR_EFFORT if world is None else world.year_effort
    given_rows = GIVEN_ROWS if world is None else {
        k: (label, unit, world.given_rows.get(k, by_year)) for k, (label, unit, by_year) in GIVEN_ROWS.items()}
    out: list[TaskValue] = []
    pan = {t: float(v) for t, v in PAN_TECH_2019.items()}
    for year in YEARS:
        e = effort[year]
        h1_fraction = H1_FRACTION if world is None else {
            task: f for (task, y), f in world.h1_fraction.items() if y == year} | {"fin_balance": 0.0}
        prev_pan = dict(pan)
        for t in TOWNS:
            for task, quota in (("projects", PROJECT_QUOTA), ("uir_projects", UIR_QUOTA)):
                full = int(rng.poisson(quota[t] * performance[t] * e))
                h1 = int(rng.binomial(full, 0.42))
                out += [TaskValue(task, t, year, 1, h1), TaskValue(task, t, year, 2, full)]
            growth = 0.20 * performance[t] * e + rng.normal(0, 0.03)
            pan[t] = prev_pan[t] * (1 + growth)
            mid = prev_pan[t] * (1 + growth * 0.45)
            ip_share = 0.44 + 0.035 * (year - 2020)
            for half, level in ((1, mid), (2, pan[t])):
                out.append(TaskValue("pan_tech_firms", t, year, half, round(level)))
                out.append(TaskValue("ip_firms", t, year, half, round(level * (ip_share + rng.normal(0, 0.01)))))
        for task, levels in district_year.items():
            full = levels[YEARS.index(year)]
            kind = DISTRICT_ROWS[task][2]
            if kind == "flow":
                h1 = round(full * h1_fraction.get(task, 0.4 + rng.normal(0, 0.05)))
                out += [TaskValue(task, "district", year, 1, max(0, min(full, h1))),
                        TaskValue(task, "district", year, 2, full)]
            elif kind == "stock":
                prev = levels[YEARS.index(year) - 1] if year > YEARS[0] else full * 0.85
                out += [TaskValue(task, "district", year, 1, round((prev + full) / 2, 2)),
                        TaskValue(task, "district", year, 2, full)]
            else:
                out += [TaskValue(task, "district", year, 1, round(full - abs(rng.normal(2, 1)), 1)),
                        TaskValue(task, "district", year, 2, full)]
        for half in (1, 2):
            parts = [v.value for v in out if v.year == year and v.half == half
                     and v.task_id.startswith("growth_firms_")]
            out.append(TaskValue("growth_firms", "district", year, half, sum(parts)))
        for task, (_, _, by_year) in given_rows.items():
            h1, fy = by_year[year]
            out += [TaskValue(task, "district", year, 1, h1), TaskValue(task, "district", year, 2, fy)]
    return out
