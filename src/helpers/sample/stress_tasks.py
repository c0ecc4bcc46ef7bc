"""Half-yearly task returns of a stress world (``sample.stress``): every series a task target reads.

Why a simulation of its own: the free worlds' flows are log-level paths with Poisson noise, each series on its
own, and their towns perform at a fixed level every year, which is the flow model's structure. Here every flow and
town count of a year shares one district-wide effort (policy campaigns and freezes move all tasks together; the
``task_shock`` family makes it large), counts are over-dispersed (gamma-Poisson; heavily with ``heavy_tails``),
towns' performance drifts year to year, the first half's share of a year moves (year-end pushes with
``seasonal``), one series may step up or down (``level_shift``), coverage can reach 100 % (``coverage_full``),
and the recognition pipeline's applications are the world's own (first-time and renewal applicants, with the
30 June return showing only the batches closed by then under ``late_applications``). The output has the form of
``tasks.simulate`` (``tasks.TaskValue``), so the same writer puts it into the same workbooks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from helpers.sample.register import Certificate
from helpers.sample.stress import FLOW_SERIES, StressWorld, stream
from helpers.sample.tasks import (
    DISTRICT_ROWS,
    DISTRICT_YEAR,
    PAN_TECH_2019,
    PROJECT_QUOTA,
    TOWNS,
    UIR_QUOTA,
    YEARS,
    TaskValue,
)

COVERAGE_SERIES = tuple(t for t, (_, _, kind) in DISTRICT_ROWS.items() if kind == "coverage")


class _Counts:
    """Over-dispersed counts: gamma-Poisson with a squared cv beyond Poisson of 0.02, or 0.04-0.20 with heavy tails;
    and log noise (normal, or t with 3 degrees of freedom scaled to the same sd)."""

    def __init__(self, rng: np.random.Generator, heavy: bool) -> None:
        self.rng, self.heavy = rng, heavy
        self.cv2 = float(rng.uniform(0.04, 0.20)) if heavy else 0.02

    def count(self, mean: float) -> int:
        if mean <= 0:
            return 0
        lam = self.rng.gamma(1 / self.cv2, mean * self.cv2)
        return int(self.rng.poisson(lam))

    def log_noise(self, sd: float) -> float:
        z = self.rng.standard_t(3) / np.sqrt(3.0) if self.heavy else self.rng.standard_normal()
        return float(np.clip(sd * z, -1.0, 1.0))


def _pace(rng: np.random.Generator, usual: float, moving: bool) -> float:
    """The share of a year's flow done by 30 June: the usual, or (seasonal family) with a year-end push in about
    three years of ten."""
    push = rng.uniform(0.1, 0.25) if (moving and rng.random() < 0.3) else 0.0
    return float(np.clip(usual - push + rng.normal(0, 0.06 if moving else 0.03), 0.02, 0.95))


def _district_flows(rng: np.random.Generator, world: StressWorld, c: _Counts) -> list[TaskValue]:
    out: list[TaskValue] = []
    for task in FLOW_SERIES:
        end = max(float(DISTRICT_YEAR[task][-1]), 0.4) * float(np.exp(rng.normal(0, 0.25)))
        mu, load = rng.normal(0.06, 0.05), rng.uniform(0.7, 1.3)
        g = np.array([mu + c.log_noise(0.10) for _ in YEARS])
        g[0] = 0.0
        rel = np.exp(np.cumsum(g) - np.sum(g))
        usual = 0.72 if task == "tech_sme" else float(rng.uniform(0.3, 0.5))
        step = world.task_steps.get(task)
        for i, year in enumerate(YEARS):
            mean = end * rel[i] * np.exp(load * world.year_shock[year])
            if step is not None and year >= step[0]:
                mean *= step[1]
            full = c.count(mean)
            h1 = int(rng.binomial(full, _pace(rng, usual, world.has("seasonal"))))
            out += [TaskValue(task, "district", year, 1, h1), TaskValue(task, "district", year, 2, full)]
    for year in YEARS:
        for half in (1, 2):
            total = sum(v.value for v in out if v.year == year and v.half == half
                        and v.task_id.startswith("growth_firms_"))
            out.append(TaskValue("growth_firms", "district", year, half, total))
    return out


def _district_stocks(rng: np.random.Generator, world: StressWorld, c: _Counts) -> list[TaskValue]:
    out: list[TaskValue] = []
    for task, (_, _, kind) in DISTRICT_ROWS.items():
        if kind != "stock":
            continue
        level = float(DISTRICT_YEAR[task][0]) * float(np.exp(rng.normal(0, 0.12)))
        mu = rng.normal(0.12, 0.05)
        prev = level * 0.85
        for year in YEARS:
            if year > YEARS[0]:
                level *= float(np.exp(mu + 0.5 * world.year_shock[year] + c.log_noise(0.06)))
            mid = prev + (level - prev) * float(rng.uniform(0.3, 0.7))
            out += [TaskValue(task, "district", year, 1, round(mid, 2)),
                    TaskValue(task, "district", year, 2, round(level, 2))]
            prev = level
    return out


def _coverage(rng: np.random.Generator, world: StressWorld) -> list[TaskValue]:
    """Coverage rates close part of their gap each year; new high-tech firms open a little gap again. Without the
    coverage family a rate stops at 99.9 %; with it, a gap under 2.5 points is closed to 100 % in most years."""
    out: list[TaskValue] = []
    full = world.has("coverage_full")
    for task in COVERAGE_SERIES:
        gap = 100 - float(rng.uniform(45, 75) if task == "hitech_ip" else rng.uniform(55, 88))
        for year in YEARS:
            if year > YEARS[0]:
                close = float(np.clip(rng.normal(0.45, 0.15) + 0.2 * world.year_shock[year], -0.05, 0.9))
                gap = gap * (1 - close) + abs(rng.normal(0, 0.5))
            value = 100.0 if (full and gap < 2.5 and rng.random() < 0.75) else round(min(100 - gap, 99.9), 1)
            mid = round(max(0.0, min(value, 100 - gap) - abs(rng.normal(2, 1))), 1)
            out += [TaskValue(task, "district", year, 1, mid), TaskValue(task, "district", year, 2, value)]
    return out


def _given(rng: np.random.Generator) -> list[TaskValue]:
    """Patent coverage (never full: every pooled firm would have to file) and the incubation chain's links."""
    out: list[TaskValue] = []
    for task, (a, b) in {"patent_apply_coverage": ((15, 30), (30, 55)),
                         "patent_grant_coverage": ((20, 35), (25, 45))}.items():
        mid, fy = rng.uniform(*a), rng.uniform(*b)
        for year in YEARS:
            out += [TaskValue(task, "district", year, 1, round(min(mid, 99.0), 1)),
                    TaskValue(task, "district", year, 2, round(min(fy, 99.5), 1))]
            step = rng.uniform(0.03, 0.3)
            mid, fy = mid + (100 - mid) * step, fy + (100 - fy) * step
    links = 1
    for year in YEARS:
        h1 = links
        if rng.random() < 0.3 and links < 3:
            links += 1
        out += [TaskValue("incubation_chain_links", "district", year, 1, float(h1)),
                TaskValue("incubation_chain_links", "district", year, 2, float(links))]
    return out


def _towns(rng: np.random.Generator, world: StressWorld, c: _Counts) -> list[TaskValue]:
    """Projects and 产学研 projects against each town's quota; pan-tech and IP-owning firms' stocks."""
    out: list[TaskValue] = []
    perf = {t: float(np.exp(rng.normal(0, 0.25))) for t in TOWNS}
    dev = dict.fromkeys(TOWNS, 0.0)
    pan = {t: float(v) * float(np.exp(rng.normal(0, 0.1))) for t, v in PAN_TECH_2019.items()}
    g0 = {t: float(rng.normal(0.17, 0.06)) for t in TOWNS}
    ip_share = {t: float(rng.uniform(0.35, 0.5)) for t in TOWNS}
    for year in YEARS:
        shock = world.year_shock[year]
        push = world.has("seasonal") and rng.random() < 0.3
        for t in TOWNS:
            dev[t] = 0.5 * dev[t] + c.log_noise(0.15)
            for task, quota in (("projects", PROJECT_QUOTA), ("uir_projects", UIR_QUOTA)):
                full = c.count(quota[t] * perf[t] * np.exp(dev[t] + shock))
                mean_h1 = 0.42 - (0.15 if push else 0.0)
                h1 = int(rng.binomial(full, float(rng.beta(20 * mean_h1, 20 * (1 - mean_h1)))))
                out += [TaskValue(task, t, year, 1, h1), TaskValue(task, t, year, 2, full)]
            growth = g0[t] + 0.5 * shock + c.log_noise(0.05)
            prev = pan[t]
            pan[t] = max(1.0, prev * (1 + growth))
            mid = prev * (1 + growth * float(rng.uniform(0.3, 0.6)))
            ip_share[t] = float(np.clip(ip_share[t] + rng.normal(0.03, 0.015), 0.1, 0.95))
            for half, level in ((1, mid), (2, pan[t])):
                out.append(TaskValue("pan_tech_firms", t, year, half, round(level)))
                share = ip_share[t] - (0.015 if half == 1 else 0.0) + rng.normal(0, 0.01)
                out.append(TaskValue("ip_firms", t, year, half, round(level * float(np.clip(share, 0.05, 1.0)))))
    return out


def simulate(world: StressWorld) -> list[TaskValue]:
    """Every task value of the world (district and towns, 2020 H1 - 2024 H2)."""
    rng = stream(world.seed, 2)
    c = _Counts(rng, world.has("heavy_tails"))
    return (_towns(rng, world, c) + _district_flows(rng, world, c) + _district_stocks(rng, world, c)
            + _coverage(rng, world) + _given(rng))


def pipeline(world: StressWorld, certs: list[Certificate]) -> list[TaskValue]:
    """Pool, applications and recognitions of each year (district rows, year to date), from the world's own
    applicants: first-time applications as drawn, and renewal applicants = the renewed firms plus, of the expiring
    firms that did not renew, those that applied and failed (drawn with the chance of that given no renewal)."""
    rng = stream(world.seed, 4)
    out: list[TaskValue] = []
    by_firm: dict[int, list[Certificate]] = {}
    for c in certs:
        by_firm.setdefault(c.firm, []).append(c)
    for year in YEARS:
        firms = {c.firm for c in certs if c.issue_date.year == year}
        by_june = {c.firm for c in certs if c.issue_date.year == year and c.announced <= dt.date(year, 6, 30)}
        due = [f for f, cs in by_firm.items()
               if any(c.issue_date.year == year - 3 and c.revoked is None for c in cs)]
        renewed = sum(f in firms for f in due)
        a, p = world.reapply[year], world.renewal_pass[year]
        q = a * (1 - p) / (1 - a * p)
        failed = int(rng.binomial(len(due) - renewed, q)) if len(due) > renewed else 0
        applications = world.first_applications[year] + renewed + failed
        h1_applications = int(round(applications * world.h1_application_share[year]))
        pool = int(round(applications * rng.uniform(1.3, 2.0)))
        out += [TaskValue("hitech_pool", "district", year, 1, int(round(pool * rng.uniform(0.5, 0.7)))),
                TaskValue("hitech_pool", "district", year, 2, pool),
                TaskValue("hitech_applications", "district", year, 1, h1_applications),
                TaskValue("hitech_applications", "district", year, 2, applications),
                TaskValue("hitech_recognitions", "district", year, 1, len(by_june)),
                TaskValue("hitech_recognitions", "district", year, 2, len(firms))]
    return out
