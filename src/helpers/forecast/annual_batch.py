"""A batch of yearly series of one kind (``gaoqi forecast``'s input), forecast by the annual ensemble.

Why a batch has its own door. A user hands over series of one kind (regions, firms, indicators) together, and a
batch could in principle tell the forecaster something a single series cannot: how wide its ranges ran inside
these histories. Revision 7 of bench/annual/protocol.md tried exactly that (width factors and a drift share from
the batch's own in-history errors): the width factors failed the adoption check on the tuning data, and the drift
share, frozen on, was worse than the single-series path on every blind set and five times slower, so it was
switched off after the run. Its machinery has left the tree; the protocol names the commit to check out to re-run
it. So every series of a batch gets ``annual.forecast``'s forecast, as in the briefing, and this function is where
a later revision that uses the batch would start.
"""

from __future__ import annotations

import pandas as pd

import helpers.forecast.annual as annual
from helpers.forecast.annual_settings import ANNUAL, AnnualSettings


def forecast_batch(batch: dict[str, pd.Series], h: int,
                   settings: AnnualSettings = ANNUAL) -> dict[str, annual.Forecast]:
    """Forecast every series of one batch ``h`` years ahead: each one's own ``annual.forecast``.

    ``batch`` maps a series id to its values indexed by year.
    """
    return {sid: annual.forecast(s, h, settings=settings) for sid, s in batch.items()}
