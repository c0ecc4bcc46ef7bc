"""Synthetic recognition-pipeline rows of the district task sheet: the cultivation pool (培育库), the year's
applications (申报) and recognitions (认定).

Why a module of its own, with its own generator: the rows were added after the story was fixed, and the story's
numbers must not change, so nothing here draws from the streams of the register, statistics or tasks. The
recognitions are the register's own (firms certified in the year), so the returns and the register agree; the
applications are the recognitions over a pass rate drawn around the district's real one (Haimen 2024: 152
applications, 99 recognitions, ≈ 65 %); the pool is larger than the applications. Applications close in the first
half-year (the 30 June return already shows the year's applications), recognitions come with the batches (mostly
Q4), the pool fills through the year.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from helpers.sample.register import Certificate
from helpers.sample.tasks import YEARS, TaskValue

#: task id → (label as the return writes it, unit)
PIPELINE_ROWS: dict[str, tuple[str, str]] = {
    "hitech_pool": ("高新技术企业培育库入库企业", "家"),
    "hitech_applications": ("高新技术企业申报", "家"),
    "hitech_recognitions": ("高新技术企业认定", "家"),
}
#: the stream's own key, mixed with the sample's seed (ASCII "pipe")
STREAM_KEY = 0x70697065
PASS_RATE_MEAN = 0.65
PASS_RATE_SPREAD = 60.0  # Beta concentration: pass rates of about 0.55-0.75 from year to year
H1_POOL_SHARE = 0.6


def stream(seed: int) -> np.random.Generator:
    """The pipeline's own generator, seeded from the sample's seed (no draw from the other streams)."""
    return np.random.default_rng([seed, STREAM_KEY])


def simulate(seed: int, certs: list[Certificate]) -> list[TaskValue]:
    """Pool, applications and recognitions of every year and half-year (district rows, year to date)."""
    rng = stream(seed)
    out: list[TaskValue] = []
    for year in YEARS:
        firms = {c.firm for c in certs if c.issue_date.year == year}
        by_june = {c.firm for c in certs if c.issue_date.year == year and c.announced <= dt.date(year, 6, 30)}
        rate = rng.beta(PASS_RATE_MEAN * PASS_RATE_SPREAD, (1 - PASS_RATE_MEAN) * PASS_RATE_SPREAD)
        applications = max(len(firms), int(round(len(firms) / rate)))
        pool = int(round(applications * rng.uniform(1.4, 1.9)))
        out += [TaskValue("hitech_pool", "district", year, 1, int(round(pool * H1_POOL_SHARE))),
                TaskValue("hitech_pool", "district", year, 2, pool),
                TaskValue("hitech_applications", "district", year, 1, applications),
                TaskValue("hitech_applications", "district", year, 2, applications),
                TaskValue("hitech_recognitions", "district", year, 1, len(by_june)),
                TaskValue("hitech_recognitions", "district", year, 2, len(firms))]
    return out
