"""A batch of series (``annual_batch``, ``gaoqi forecast``'s input): each series gets its own annual forecast.

Revision 7's batch calibration left the tree (bench/annual/protocol.md names the commit that has it and its tests).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from helpers.forecast import annual, annual_batch
from helpers.forecast.annual_settings import ANNUAL


def calm_then_wild(seed: int, end: int = 2020) -> pd.Series:
    """A steady trend for 20 years, then 8 years of large swings: the late in-history errors exceed the stated scale."""
    rng = np.random.default_rng(seed)
    calm = 100 + 2 * np.arange(20) + rng.normal(0, 0.3, 20)
    wild = calm[-1] + 2 * np.arange(1, 9) + rng.choice([-1, 1], 8) * rng.uniform(8, 14, 8)
    y = np.concatenate([calm, wild])
    return pd.Series(y, index=range(end - len(y) + 1, end + 1))


def test_a_single_series_keeps_its_single_series_forecast():
    s = calm_then_wild(1)
    alone = annual.forecast(s, 4)
    out = annual_batch.forecast_batch({"only": s}, 4)["only"]
    for k in ("point", "lo80", "hi80", "lo95", "hi95"):
        np.testing.assert_array_equal(getattr(out, k), getattr(alone, k))


def test_every_series_of_a_batch_gets_its_single_series_forecast():
    # revision 7 tried calibrating a batch on its own history and did not keep it (bench/annual/protocol.md)
    batch = {f"s{k}": calm_then_wild(k) for k in range(6)}
    out = annual_batch.forecast_batch(batch, 4)
    for sid, s in batch.items():
        alone = annual.forecast(s, 4)
        for k in ("point", "lo80", "hi80", "lo95", "hi95"):
            np.testing.assert_array_equal(getattr(out[sid], k), getattr(alone, k))


def test_a_settings_variant_reaches_every_series_of_the_batch():
    batch = {f"s{k}": calm_then_wild(k) for k in range(3)}
    wide = dataclasses.replace(ANNUAL, width=2 * ANNUAL.width)
    out = annual_batch.forecast_batch(batch, 3, settings=wide)
    for sid, s in batch.items():
        np.testing.assert_allclose(out[sid].scale, 2 * annual.forecast(s, 3).scale)
