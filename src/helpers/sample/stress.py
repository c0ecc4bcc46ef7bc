"""Stress worlds: a data-generating process written from what real statistics do, not from the models.

Why: the free worlds (``sample.world``) share their structure with the forecast models (a town's share is the
district's times a fixed level; one seasonal profile every year; a pass rate drawn once; Poisson task flows; level
shifts just above the break detector's threshold; coverage capped below 100 %), so the models score well there by
construction (issue 22). ``gaoqi sample --world stress --seed N`` writes returns of the same forms (register,
monthly statistics, half-yearly task returns, a revision) from the process below. It was written from the
statistical conventions and published figures named in ``SOURCES`` and never from the forecast code, which must
not import this package (nor this package the forecast code).

The base process (every stress world): towns follow courses of their own (high-tech and other output grow
separately in each town, so a town's share is not the district's times a level); output grows with the national
nominal industrial path; profit margins follow the national profit cycle; the 2020 and spring-2022 disruptions.
On top, each *family* of departures is drawn with probability ``FAMILY_P`` (``families=`` forces a set), and the
families drawn are written into ``WORLD.json`` so results can be reported per family:

``seasonal``        the seasonal profile moves year to year: Chinese New Year's date (January or February) moves
                    the post-holiday slowdown into March or not; December pushes (年底冲刺) and quarter-end pushes
                    of varying size; each year's monthly weights drawn around the usual; task returns' year-end
                    pushes (a year's work landing in the second half).
``level_shift``     one to three level shifts of a town's high-tech output of *any* size (0.5 %-35 %, log-uniform,
                    either sign) from a month in 2021-2024, many far below any detection threshold; one task series
                    steps up or down from a year on.
``plant``           a large plant (10-60 % of its town's output, high-tech or not) opens (ramping up) or closes in
                    one town in 2021-2024.
``pass_rate``       recognition pass rates move between regimes year to year (strict, usual, loose), with the
                    renewal applications and their pass rates moving alongside, and a revocation wave in one year.
``late_applications`` the 30 June task return shows only the batches whose deadline has passed (40-75 % of the
                    year's applications): Jiangsu's batches close from June to September.
``task_shock``      one district-wide shock (×e^±0.2-0.5) common to every task flow and town count in a plan year.
``heavy_tails``     Student-t monthly noise (2.5-5 degrees of freedom) in the statistics, over-dispersed task
                    counts (negative binomial) and t-distributed towns' growth.
``coverage_full``   coverage ratios that reach 100 % (全覆盖) in some years, and may fall back below it; a campaign
                    from a year of 2022-2024 brings the R&D rules to 100 % in most years after it.
``roster``          each January the above-scale roster (规上企业名录) changes, so a town's levels jump between
                    December and January (growth rates are published on a comparable basis; levels are not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict, dataclass, field

import numpy as np

from helpers.sample.industry import TOWN_OUTPUT_P
from helpers.sample.tasks import DISTRICT_ROWS
from helpers.sample.world_record import Break

FAMILIES = ("seasonal", "level_shift", "plant", "pass_rate", "late_applications", "task_shock", "heavy_tails",
            "coverage_full", "roster")
#: each family is drawn independently with this probability (so every family is on in about half the worlds, and
#: its effect can be read against the worlds without it)
FAMILY_P = 0.5
#: the stream key of the stress draws, mixed with the seed (ASCII "strs"), apart from every other stream
STREAM_KEY = 0x73747273
COHORT_YEARS = tuple(range(2016, 2025))
TASK_YEARS = (2020, 2021, 2022, 2023, 2024)
INDUSTRY_YEARS = tuple(range(2019, 2026))
#: the district task flows that are counted (the growth-firm total is the sum of its kinds)
FLOW_SERIES = tuple(t for t, (_, _, kind) in DISTRICT_ROWS.items() if kind == "flow" and t != "growth_firms")

#: where each choice comes from; "assumption" marks a figure we could not source and chose as plausible
SOURCES: dict[str, str] = {
    "calendar": "NBS convention: above-scale (规上) industry = main revenue ≥ 20 million yuan; monthly figures are "
                "year-to-date sums, January and February together (1-2月); the roster is renewed every January and "
                "growth is published 'on a comparable basis', so levels jump at the year boundary.",
    "output_growth": "Nominal above-scale output growth ≈ national real industrial value-added growth plus PPI "
                     "inflation (NBS: IVA 2020 +2.8 %, 2021 +9.6 %, 2022 +3.6 %, 2023 +4.6 %, 2024 +5.8 %; PPI "
                     "2020 −1.8 %, 2021 +8.1 %, 2022 +4.1 %, 2023 −3.0 %, 2024 −2.2 %); the district deviates "
                     "by a draw of sd 4 points a year (assumption).",
    "profit_cycle": "National above-scale industrial profits (NBS): 2020 +4.1 %, 2021 +34.3 %, 2022 −4.0 %, 2023 "
                    "−2.3 %, 2024 −3.3 %; margins = profit growth over output growth, plus a district draw.",
    "covid": "NBS: industrial value added fell 13.5 % year on year in January-February 2020 and 1.1 % in March; "
             "April 2022 (Shanghai lockdown, next to Nantong) −2.9 %. Sizes of the district's dip drawn around "
             "these (assumption).",
    "seasonal": "Chinese New Year: 2019-02-05, 2020-01-25, 2021-02-12, 2022-02-01, 2023-01-22, 2024-02-10, "
                "2025-01-29; output slows from a week before to about three weeks after (resumption after the "
                "Lantern Festival), so a late New Year lowers March. Quarter-end and December pushes "
                "(季末/年末冲刺) are common in local statistics; their sizes are assumptions.",
    "hightech_share": "Haimen's high-tech output share: ≈ 47 % in 2022 (estimate), 38.5 % in 2024, 37.22 % in "
                      "January-June 2025 (data/raw/public/public_figures.csv): shares can move by several points "
                      "in two years, which the level-shift and plant families reproduce.",
    "pass_rate": "Haimen 2024: 152 applications, 99 recognitions (65 %) in four batches (public_figures.csv). "
                 "Regimes of 42-55 % (strict review years), 60-75 % (usual) and 75-88 % (campaign years) are an "
                 "assumption from provincial notices reporting pass rates that vary from year to year; renewal "
                 "applicants pass 5-15 points more often (assumption); 70-95 % of expiring firms re-apply "
                 "(assumption: the rest no longer meet the R&D or revenue rules).",
    "batches": "Jiangsu recognises in two to four batches a year, public notices October-December; application "
               "deadlines run from June to September (provincial notices), so a 30 June return shows only part "
               "of the year's applications.",
    "task_shock": "District-wide policy years: the 2022 rise of the R&D super-deduction to 100 % for 科技型中小企业 "
                  "lifted evaluations nationally (≈ 33 万 in 2021 to ≈ 50 万 in 2022, MOST); campaign or freeze "
                  "years move every task together. Shock size ×e^±0.2-0.5 is an assumption.",
    "plant": "A single large plant can be a tenth to more than half of a town's above-scale output in a county-level "
             "district (assumption, consistent with the 2022-2024 fall in Haimen's share).",
    "heavy_tails": "Monthly town statistics swing with single large orders and firms entering or leaving; "
                   "Student-t with 2.5-5 degrees of freedom is an assumption.",
    "coverage": "Plans of this kind set 100 % coverage (全覆盖) for R&D filing and super-deduction; bureaus run "
                "campaigns for it and report 100 % when every firm has filed, and new high-tech firms can pull it "
                "back below (campaign year and its 80 % yearly success are assumptions).",
}


@dataclass
class RegisterDraw:
    """What ``sample.register.simulate`` reads from a world: the year's renewal probability (re-applying ×
    passing), first-time recognitions, batches and revocations (duck-typed like ``world.FreeWorld``)."""

    renewal_p: dict[int, float]
    first_time: dict[int, int]
    batches: dict[int, int]
    revocations: dict[int, int]


@dataclass
class StressWorld:
    """Every draw of one stress world; the simulations (``stress_industry``, ``stress_tasks``) read it."""

    seed: int
    families: tuple[str, ...]
    register: RegisterDraw
    pass_rate: dict[int, float]
    regime: dict[int, str]
    reapply: dict[int, float]
    renewal_pass: dict[int, float]
    first_applications: dict[int, int]
    h1_application_share: dict[int, float]
    shifts: list[Break]
    plant: dict | None
    revision: tuple[int, int, dt.date, dict[tuple[str, str], float]]
    year_shock: dict[int, float]
    task_steps: dict[str, tuple[int, float]]
    notes: dict[str, object] = field(default_factory=dict)

    def has(self, family: str) -> bool:
        return family in self.families

    @property
    def breaks(self) -> list[Break]:
        """The level shifts and the plant, in the free worlds' break format (what ``bench/worlds.py`` matches): a
        high-tech plant moves the numerator (``level_shift``), another plant the denominator
        (``denominator_jump``); size = the plant's output over its town's usual output, signed."""
        pl = self.plant
        if pl is None:
            return list(self.shifts)
        kind, ind = ("level_shift", "hightech_output") if pl["hightech"] else ("denominator_jump", "total_output")
        size = pl["size"] if pl["opening"] else -pl["size"]
        return [*self.shifts, Break(kind, ind, pl["town"], pl["year"], pl["month"], size)]

    def manifest(self) -> dict:
        """The world's truth as JSON-ready data, with the families it drew."""
        return {
            "world": "stress", "seed": self.seed, "families": list(self.families), "family_p": FAMILY_P,
            "all_families": list(FAMILIES),
            "breaks": [asdict(b) for b in self.breaks], "plant": self.plant,
            "pass_rate": self.pass_rate, "regime": self.regime, "reapply": self.reapply,
            "renewal_pass": self.renewal_pass, "renewal_p": self.register.renewal_p,
            "first_applications": self.first_applications, "first_time": self.register.first_time,
            "batches": self.register.batches, "revocations": self.register.revocations,
            "h1_application_share": self.h1_application_share,
            "year_shock": self.year_shock,
            "task_steps": {k: {"year": y, "factor": f} for k, (y, f) in self.task_steps.items()},
            "revision": {"year": self.revision[0], "month": self.revision[1],
                         "released": self.revision[2].isoformat(),
                         "cells": [[t, i, f] for (t, i), f in self.revision[3].items()]},
            "notes": self.notes, "sources": SOURCES,
        }


def stream(seed: int, part: int) -> np.random.Generator:
    """The stress world's own generator for one part (0 draw, 1 industry, 2 tasks, 3 register, 4 pipeline)."""
    return np.random.default_rng([seed, STREAM_KEY, part])


def choose_families(rng: np.random.Generator, families: Collection[str] | None) -> tuple[str, ...]:
    """The families of this world: each with probability ``FAMILY_P``, or exactly ``families`` when given."""
    draws = rng.random(len(FAMILIES))  # drawn always, so forcing families leaves the other draws unchanged
    if families is not None:
        unknown = sorted(set(families) - set(FAMILIES))
        if unknown:
            raise ValueError(f"unknown stress families {unknown}; known: {', '.join(FAMILIES)}")
        return tuple(f for f in FAMILIES if f in families)
    return tuple(f for f, u in zip(FAMILIES, draws, strict=True) if u < FAMILY_P)


def _regimes(rng: np.random.Generator, on: bool) -> tuple[dict[int, str], dict[int, float]]:
    """Pass-rate regime and rate of each year: one usual rate without the family; a Markov chain of regimes with
    it, at least one change within 2022-2024 (the plan years)."""
    if not on:
        p = float(rng.uniform(0.6, 0.72))
        return {y: "usual" for y in COHORT_YEARS}, {y: p for y in COHORT_YEARS}
    bounds = {"strict": (0.42, 0.55), "usual": (0.60, 0.75), "loose": (0.75, 0.88)}
    names = list(bounds)
    while True:
        regime, now = {}, str(rng.choice(names, p=[0.25, 0.5, 0.25]))
        for y in COHORT_YEARS:
            if y > COHORT_YEARS[0] and rng.random() < 0.5:
                now = str(rng.choice(names, p=[0.35, 0.35, 0.3]))
            regime[y] = now
        if len({regime[y] for y in (2021, 2022, 2023, 2024)}) > 1:
            break
    return regime, {y: float(rng.uniform(*bounds[r])) for y, r in regime.items()}


def _draw_register(rng: np.random.Generator, fams: tuple[str, ...]) -> dict:
    on = "pass_rate" in fams
    regime, rate = _regimes(rng, on)
    apps_level = rng.uniform(60, 100)  # first-time applications in 2016 (Haimen 2024: 152 with renewals)
    growth = rng.normal(0.06, 0.03)
    first_apps, first, batches, reapply, renewal_pass, h1 = {}, {}, {}, {}, {}, {}
    level = apps_level
    for i, y in enumerate(COHORT_YEARS):
        if i:
            level *= float(np.exp(growth + rng.normal(0, 0.08)))
        k = int(rng.integers(2, 5))
        a = int(rng.poisson(level))
        rates = rng.beta(40 * rate[y], 40 * (1 - rate[y]), size=k)
        split = rng.multinomial(a, np.full(k, 1 / k))
        first[y] = int(sum(rng.binomial(int(s), float(r)) for s, r in zip(split, rates, strict=True)))
        first_apps[y], batches[y] = a, k
        shift = {"strict": -0.08, "usual": 0.0, "loose": 0.04}[regime[y]] if on else 0.0
        reapply[y] = float(np.clip(rng.uniform(0.78, 0.92) + shift, 0.7, 0.95))
        renewal_pass[y] = float(min(0.95, rate[y] + rng.uniform(0.05, 0.15)))
        h1[y] = float(rng.uniform(0.40, 0.75)) if "late_applications" in fams else 1.0
    revocations = {y: int(rng.poisson(1.5)) for y in range(2020, 2025)}
    if on:  # a year of spot checks (抽查) revoking more certificates
        wave = int(rng.integers(2021, 2025))
        revocations[wave] += int(rng.poisson(6)) + 2
    renewal_p = {y: reapply[y] * renewal_pass[y] for y in COHORT_YEARS}
    return dict(register=RegisterDraw(renewal_p=renewal_p, first_time=first, batches=batches,
                                      revocations=revocations),
                pass_rate=rate, regime=regime, reapply=reapply, renewal_pass=renewal_pass,
                first_applications=first_apps, h1_application_share=h1)


def _month_between(rng: np.random.Generator, first: tuple[int, int], last: tuple[int, int]) -> tuple[int, int]:
    a, b = first[0] * 12 + first[1] - 1, last[0] * 12 + last[1] - 1
    y, m = divmod(int(rng.integers(a, b + 1)), 12)
    return y, m + 1


def _draw_breaks(rng: np.random.Generator, fams: tuple[str, ...], towns: dict[str, float]) -> tuple[list[Break],
                                                                                                     dict | None]:
    """Level shifts of any size and the one large plant, in the free worlds' break format (``WORLD.json``)."""
    names, w = list(towns), np.array(list(towns.values()))
    breaks: list[Break] = []
    if "level_shift" in fams:
        for _ in range(int(rng.integers(1, 4))):
            town = names[int(rng.choice(len(names), p=w / w.sum()))]
            y, m = _month_between(rng, (2021, 1), (2024, 10))
            size = float(np.exp(rng.uniform(np.log(0.005), np.log(0.35))))
            breaks.append(Break("level_shift", "hightech_output", town, y, m, size if rng.random() < 0.5 else -size))
    plant = None
    if "plant" in fams:
        town = names[int(rng.choice(len(names), p=w / w.sum()))]
        y, m = _month_between(rng, (2021, 3), (2024, 9))
        opening = bool(rng.random() < 0.5)
        hightech = bool(rng.random() < 0.4)
        size = float(rng.uniform(0.10, 0.60))  # of the town's usual monthly output
        ramp = int(rng.integers(3, 7)) if opening else int(rng.integers(1, 3))
        margin = float(rng.uniform(0.01, 0.08))
        plant = {"town": town, "year": y, "month": m, "opening": opening, "hightech": hightech, "size": size,
                 "ramp_months": ramp, "margin": margin}
    return breaks, plant


def _draw_revision(rng: np.random.Generator, towns: list[str]) -> tuple[int, int, dt.date, dict]:
    year, month = int(rng.integers(2021, 2025)), int(rng.integers(3, 12))
    released = dt.date(year, month, 28) + dt.timedelta(days=int(rng.integers(45, 75)))
    inds = ("total_output", "hightech_output", "total_profit", "hightech_profit")
    cells = {(towns[int(rng.integers(len(towns)))], inds[int(rng.integers(4))]): float(rng.normal(1, 0.03))
             for _ in range(int(rng.integers(2, 6)))}
    return year, month, released, cells


def _draw_task_shocks(rng: np.random.Generator, fams: tuple[str, ...],
                      series: tuple[str, ...]) -> tuple[dict[int, float], dict[str, tuple[int, float]]]:
    """The log effort shared by every task flow in a year, and (level-shift family) one series' step."""
    shock = {y: float(rng.normal(0, 0.05)) for y in TASK_YEARS}
    if "task_shock" in fams:
        years = [int(rng.choice([2023, 2024]))] + ([int(rng.integers(2020, 2023))] if rng.random() < 0.5 else [])
        for y in years:
            shock[y] = float(rng.uniform(0.2, 0.5) * (1 if rng.random() < 0.5 else -1))
    steps: dict[str, tuple[int, float]] = {}
    if "level_shift" in fams:
        name = str(series[int(rng.integers(len(series)))])
        steps[name] = (int(rng.integers(2021, 2025)), float(np.exp(rng.uniform(-0.7, 0.7))))
    return shock, steps


def draw(seed: int, families: Collection[str] | None = None) -> StressWorld:
    """The stress world of ``seed`` (its own streams: the same seed and families always draw the same world)."""
    rng = stream(seed, 0)
    fams = choose_families(rng, families)
    reg = _draw_register(rng, fams)
    shifts, plant = _draw_breaks(rng, fams, TOWN_OUTPUT_P)
    revision = _draw_revision(rng, list(TOWN_OUTPUT_P))
    shock, steps = _draw_task_shocks(rng, fams, FLOW_SERIES)
    return StressWorld(seed=seed, families=fams, shifts=shifts, plant=plant, revision=revision,
                       year_shock=shock, task_steps=steps, **reg)
