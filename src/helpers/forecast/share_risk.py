"""What a share's forecast cannot see in its own few years: the seasonal ratio's year-to-year variation, and a
level shift of the numerator or denominator that the break detector has not found (yet).

Why the seasonal ratio needs a prior: the full-year share is the latest YTD share times the ratio of full-year to
same-month YTD shares, averaged over three or four earlier years. When those years happened to share one profile
the ratio's spread is near zero and a September range for the year's share came out about one point wide; but a
year-end push of high-tech output, a late Spring Festival or one plant's shutdown in Q4 moves the last months'
mix from year to year (the NBS monthly output series show the December share of the year's output moving by
several tenths of its size between years). The ratio's log variance is therefore a scaled inverse chi-square
posterior: a prior sd of ``priors.PRIORS.season_sd`` for a whole year still to come, scaled by the part of the year still to
come (a ratio after September moves by what October-December do), with ``season_df`` years of weight, updated by
the years seen.

Why a break risk for the district: the detector needs three months of a step standing several sds out and at
least ``shares.FLOW_MIN`` in log, so a shift that began in the last few months, or a smaller one, is in no
forecast. The district's share is hit with the chance that a break falls between ``DETECT_MONTHS`` before the
data's last month and the end of the deadline year, at the district's rate of breaks found (``(found + ½) /
months of data``); the break lands in a town drawn by its part of the denominator, with the log size of a found
break (``shares.DEFAULT_BREAK_LOG`` up or down when none was found), and moves the district's share by that
town's part of it, scaled by the part of the deadline year the forecast extrapolates (the months after the data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers.forecast.priors as priors

#: months before the data's last one in which a break may already have begun unseen (the detector's median
#: delay in free worlds is three months of data, bench/worlds.md revision 4)
DETECT_MONTHS = 3


def ratio_spread(log_ratios: np.ndarray, month: int, floor: float) -> tuple[float, int]:
    """The sd of the seasonal log ratio at ``month`` and its degrees of freedom: the years' own variance pooled
    with the prior (``season_sd`` × the part of the year still to come, ``season_df`` years), never below
    ``floor``."""
    k = int(log_ratios.size)
    prior_df = priors.PRIORS.season_df
    prior = priors.PRIORS.season_sd * max(12 - month, 0) / 12
    own = float(np.var(log_ratios, ddof=1)) if k > 1 else 0.0
    df = prior_df + max(k - 1, 0)
    s2 = (prior_df * prior ** 2 + max(k - 1, 0) * own) / df
    return max(float(np.sqrt(s2)), floor), int(round(df))


def change_spread(changes: np.ndarray) -> tuple[float, int]:
    """The sd (points) of the district share's next yearly change and the t's degrees of freedom: the break-free
    years' own variance pooled with the prior (``priors.PRIORS.change_sd``, ``change_df`` years). A few calm years
    say little about the next (Haimen's published share: ≈ 47 % in 2022, 38.5 % in 2024; data/raw/public), and a
    few wild ones do not make the next as wild as a t of two degrees would."""
    k = int(changes.size)
    own = float(np.var(changes, ddof=1)) if k > 1 else 0.0
    prior_df = priors.PRIORS.change_df
    df = prior_df + max(k - 1, 0)
    s2 = (prior_df * priors.PRIORS.change_sd ** 2 + max(k - 1, 0) * own) / df
    return float(np.sqrt(s2)), max(int(round(df)), 2)


def with_district_break_risk(x: np.ndarray, breaks: pd.DataFrame, weights: np.ndarray, months_of_data: int,
                             months_ahead: int, default_log: float, rng: np.random.Generator) -> np.ndarray:
    """The district's simulated deadline-year shares ``x`` with the chance of a break not in the data: at the
    rate of breaks found per month, over ``DETECT_MONTHS`` before the data's end and the ``months_ahead`` to the
    end of the deadline year; the town hit drawn by ``weights`` (each town's part of the denominator)."""
    w = np.asarray(weights, dtype=float)
    if months_ahead <= 0 or w.size == 0 or w.sum() <= 0:  # the year is complete: its share is known
        return x
    w = w / w.sum()
    rate = (len(breaks) + priors.PRIORS.break_prior) / max(months_of_data, 1)
    window = months_ahead + DETECT_MONTHS
    hit = rng.random(x.size) < 1 - np.exp(-rate * window)
    start = rng.integers(-DETECT_MONTHS + 1, months_ahead + 1, size=x.size)  # months after the data's last
    # the months of the deadline year the forecast extrapolates from the old course (those already in the data
    # carry the break's effect, found or not)
    part = np.clip(months_ahead - np.maximum(start, 1) + 1, 0, 12) / 12
    if len(breaks):
        signs = np.where(breaks["kind"] == "denominator_jump", -1.0, 1.0)
        sizes = signs * breaks["size"].to_numpy(float)
    else:  # none found: a plant's arrival or departure, or a reclassification, either way
        sizes = np.array([-default_log, default_log])
    jump = sizes[rng.integers(sizes.size, size=x.size)] * part
    town = rng.choice(w.size, size=x.size, p=w)
    effect = np.log1p(w[town] * np.expm1(jump))
    return np.clip(np.where(hit, x * np.exp(effect), x), 0, 100)


__all__ = ["DETECT_MONTHS", "change_spread", "ratio_spread", "with_district_break_risk"]
