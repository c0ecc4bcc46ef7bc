"""Which model forecasts which measure: an explicit registry, and the one entry point ``attain_all``.

Why a registry (in the manner of papermill's ``papermill_engines.register("nbclient", NBClientEngine)``): the plan
file says what each target measures and, where there is a choice, which model; the code maps measures to models
here and nowhere else - there is no branching on target ids. A new model is a module with a ``score(target,
context)`` function and one ``models.register(...)`` line below.

Random streams: each target's generator is seeded by the run's seed and by what the target measures
(``Target.measures``: measure, model, series, deadline), never by its id, name, value or position, so renaming or
reordering targets changes no number and a changed value changes only that target's probability and status.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import helpers.forecast.cohort as cohort
import helpers.forecast.coverage as coverage
import helpers.forecast.flow_scores as flow_scores
import helpers.forecast.milestone as milestone
import helpers.forecast.shares as shares
import helpers.forecast.stock as stock
import helpers.forecast.town_growth as town_growth
import helpers.forecast.yearly as yearly
from helpers.calendar import Meeting
from helpers.forecast.attainment import Attainment
from helpers.forecast.scoring import Context, no_data
from helpers.processed import ProcessedData
from helpers.targets import MEASURES, Plan, PlanError, Target

Score = Callable[[Target, Context], Attainment]


@dataclass(frozen=True)
class Model:
    """A forecasting model for one measure: its name (as the plan file may give it) and its scoring function."""

    measure: str
    name: str
    score: Score


class Models:
    """measure → its models; the first registered with ``default=True`` is used when the plan names none."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, str], Model] = {}
        self._default: dict[str, str] = {}

    def register(self, measure: str, name: str, score: Score, *, default: bool = False) -> None:
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}; the catalogue is {tuple(MEASURES)}")
        self._models[(measure, name)] = Model(measure, name, score)
        if default or measure not in self._default:
            self._default[measure] = name

    def names(self, measure: str) -> list[str]:
        return [n for m, n in self._models if m == measure]

    def for_target(self, t: Target, source: str = "the plan") -> Model:
        """The model the target asks for (or its measure's default); a ``PlanError`` naming the choices otherwise."""
        name = t.model or self._default.get(t.measure)
        if name is None or (t.measure, name) not in self._models:
            raise PlanError(f"{source}: target {t.id}: field 'model' is {t.model!r}; for measure {t.measure} "
                            f"expected one of {self.names(t.measure)}")
        return self._models[(t.measure, name)]


models = Models()
models.register("register_valid_stock", "cohort", cohort.score, default=True)
models.register("ytd_ratio", "seasonal_share", shares.score, default=True)
models.register("task_flow", "gamma_poisson", flow_scores.score_flow, default=True)
models.register("task_cumulative", "gamma_poisson", flow_scores.score_cumulative, default=True)
models.register("task_stock", "log_growth", stock.score, default=True)
models.register("town_growth", "compound_by_town", town_growth.score, default=True)
models.register("coverage", "gap_closing", coverage.score, default=True)
models.register("milestone", "stage_pace", milestone.score, default=True)


def stream(seed: int, t: Target) -> np.random.Generator:
    """The target's own random stream, from the run's seed and what the target measures (not its id or place)."""
    digest = hashlib.sha256(t.measures.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng([seed, *words])


def attain(t: Target, data: ProcessedData, plan: Plan, meeting: Meeting, rng: np.random.Generator,
           n_sims: int = 2000, seed: int = 0) -> Attainment:
    """The attainment of one scored target at one meeting (``no_data`` when nothing needed was known)."""
    deadline = t.deadline_for(meeting.focus_year)
    model = models.for_target(t, plan.source.name)
    try:
        return model.score(t, Context(data, plan, meeting, deadline, rng, n_sims, seed))
    except LookupError as exc:
        return no_data(t, deadline, str(exc).strip("'\""))


def attain_all(data: ProcessedData, plan: Plan, meeting: Meeting, *, seed: int = 0, n_sims: int = 2000) -> list[Attainment]:
    """One ``Attainment`` per scored target of the plan (``Plan.scored``: components stand in for their
    target), in plan order, for the meeting's focus year. Each target's stream is seeded by what it measures.
    A target set for each year is then judged on every plan year closed by the cut-off, and both readings of an
    ambiguous time word are computed (``yearly.judge``)."""
    for t in plan.scored:  # an unknown model is the plan's error, reported before any work
        models.for_target(t, plan.source.name)
    return yearly.judge_all([attain(t, data, plan, meeting, stream(seed, t), n_sims, seed) for t in plan.scored],
                            plan, meeting)
