"""Forecasts of target attainment: one ``Attainment`` per scored target of the plan (docs/forecasting.md).

``registry`` maps each measure to its model; one module per model (``cohort``, ``shares``, ``flow``, ``stock``,
``town_growth``, ``coverage``, ``milestone``; ``annual`` for the generic yearly forecaster); ``scoring`` turns
simulated paths into attainments; ``tasks`` reads task returns as the task models need them.
"""

from helpers.forecast.attainment import Attainment, status_from
from helpers.forecast.registry import attain, attain_all, models, stream

__all__ = ["Attainment", "attain", "attain_all", "models", "status_from", "stream"]
