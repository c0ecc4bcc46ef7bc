"""What a free world is: every number of the story that the world draws, and its breaks (``WORLD.json``'s truth).

Why a module apart from the drawing (``sample.world``): the simulations of the story (``sample.industry``,
``sample.tasks``, ``sample.register``) take a free world in place of the story's hand-set numbers, and the drawing
reads the story's towns and tasks to draw around them; with the record in the drawing's module the two imported
each other. The record depends on neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Break:
    """One structural break of the industry statistics: what, where and from which month."""

    kind: str  # "denominator_jump" (a plant enters the total) or "level_shift" (numerator reclassified)
    indicator: str  # the indicator it hits: total_output / hightech_output (or the profit pair)
    town: str
    year: int
    month: int
    size: float  # denominator jump: added output as a fraction of the town's usual; level shift: factor − 1


@dataclass
class FreeWorld:
    """Every hand-set number of the story, drawn."""

    seed: int
    # register
    renewal_p: dict[int, float]
    first_time: dict[int, int]  # first-time (and returning) recognitions by year
    applications: dict[int, int]  # first-time applications by year
    pass_rates: dict[int, list[float]]  # by year, one per batch
    batches: dict[int, int]
    revocations: dict[int, int]
    # industry
    output_growth: dict[int, float]
    hightech_share: dict[int, float]
    profit_share: dict[int, float]
    breaks: list[Break]
    revision: tuple[int, int, dt.date, dict[tuple[str, str], float]]
    # tasks
    district_year: dict[str, tuple[float, ...]]
    h1_fraction: dict[tuple[str, int], float]
    performance: dict[str, float]
    year_effort: dict[int, float]
    given_rows: dict[str, dict[int, tuple[float, float]]] = field(default_factory=dict)

    def manifest(self) -> dict:
        """The world's truth as JSON-ready data (breaks, renewal rates, pass rates …)."""
        return {
            "world": "random", "seed": self.seed,
            "breaks": [asdict(b) for b in self.breaks],
            "renewal_p": self.renewal_p, "first_time": self.first_time, "applications": self.applications,
            "pass_rates": self.pass_rates, "batches": self.batches,
            "hightech_share": self.hightech_share, "profit_share": self.profit_share,
            "revision": {"year": self.revision[0], "month": self.revision[1],
                         "released": self.revision[2].isoformat(),
                         "cells": [[t, i, f] for (t, i), f in self.revision[3].items()]},
            "h1_fraction": {f"{t}:{y}": v for (t, y), v in self.h1_fraction.items()},
            "district_year": {k: list(v) for k, v in self.district_year.items()},
        }
