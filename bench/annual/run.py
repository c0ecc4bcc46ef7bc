"""Benchmark the annual ensemble on every public yearly set we can install (protocol: bench/annual/protocol.md).

Run: ``.venv/bin/python bench/annual/run.py`` (``--jobs 2`` runs the statsmodels baselines on two cores;
``--sets m1 tourism`` for a subset). The baselines' per-series scores are cached in
``reports/bench/annual_baselines.pkl`` (keyed by set, series and statsmodels version; ``--fresh`` recomputes)
because they do not change when the ensemble does. The ensemble is always run afresh, one series after the
other in this process, and timed per series (single-threaded).

Writes ``bench/results/annual.json`` (the committed results; schema in the protocol) and
``reports/bench/annual.md`` (the same as tables).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import pickle
import platform
import sys
import time
from pathlib import Path

# one BLAS thread per process: statsmodels' small fits spent 10× longer fighting over threads on shared cores
# (ThetaModel 1.8 s per series instead of 0.16 s, revision 3); set before numpy is imported
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import methods  # noqa: E402
import pandas as pd  # noqa: E402
import sets  # noqa: E402

from helpers.forecast import annual_batch  # noqa: E402
from helpers.forecast.annual_settings import ANNUAL  # noqa: E402

#: ``ensemble`` is the batch path (revision 7: each set forecast in batches, ``sets.batch_of``, as ``gaoqi forecast``
#: would); ``ensemble_single`` is ``annual.forecast`` series by series (the briefing's path; revision 4's figures).
METHODS = ("drift", "theta_sm", "ets_sm", "ensemble", "ensemble_single")
KEYS = ("smape", "mase", "cov80", "cov95", "is80", "is95")
GOALS = {"cov80_by_h": (0.75, 0.85), "cov95": (0.92, 0.97), "ms_per_series": 20.0}
SCHEMA = "annual-benchmark/1"
#: the smallest batch revision 7's batch calibration would have used (its ``MIN_SERIES``); kept in the results
#: (``series_in_batches_of_min_size``) so that they stay comparable with revision 7's
MIN_BATCH = 5


def _baseline_one(args: tuple[np.ndarray, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    x, xx = args
    return {m: methods.scores(x, xx, fn(x, len(xx))) for m, fn in methods.BASELINES.items()}


def _key(name: str, series: list[sets.Series]) -> str:
    import statsmodels

    h = hashlib.sha256(statsmodels.__version__.encode())
    for s in series:
        h.update(s.sid.encode() + s.x.tobytes() + s.xx.tobytes())
    return f"{name}:{h.hexdigest()[:16]}"


def baselines(name: str, series: list[sets.Series], jobs: int, fresh: bool) -> list[dict]:
    cache_file = ROOT / "reports" / "bench" / "annual_baselines.pkl"
    cache = {}
    if cache_file.exists() and not fresh:
        try:
            cache = pickle.loads(cache_file.read_bytes())
        except (pickle.UnpicklingError, EOFError):
            cache = {}
    key = _key(name, series)
    if key not in cache:
        args = [(s.x, s.xx) for s in series]
        if jobs > 1:
            with mp.Pool(jobs) as pool:
                cache[key] = pool.map(_baseline_one, args, chunksize=8)
        else:
            cache[key] = [_baseline_one(a) for a in args]
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(cache))
        tmp.replace(cache_file)
    return cache[key]


def _baselines_of(name: str, series: list[sets.Series], jobs: int, fresh: bool) -> list[dict]:
    """A set's baseline scores; a part of another set (``sets.PARTS``) takes its parent's, by series id."""
    parent = sets.PARTS.get(name)
    if parent is None:
        return baselines(name, series, jobs, fresh)
    whole = sets.SETS[parent].load()
    by_sid = dict(zip((s.sid for s in whole), baselines(parent, whole, jobs, fresh), strict=True))
    return [by_sid[s.sid] for s in series]


def _summary(rows: list[dict[str, np.ndarray]], hmax: int) -> dict:
    """Means over series (each series' mean over its horizons) and coverage / sMAPE per horizon."""
    out: dict = {}
    for k in KEYS:
        per_series = [float(np.mean(r[k])) for r in rows]
        out[k] = float(np.mean(per_series))
    for k in ("cov80", "cov95", "smape"):
        out[f"{k}_by_h"] = [float(np.mean([r[k][i] for r in rows if len(r[k]) > i])) for i in range(hmax)]
    return out


def evaluate(name: str, jobs: int, fresh: bool) -> tuple[dict, list[float]]:
    ds = sets.SETS[name]
    series = ds.load()
    base = _baselines_of(name, series, jobs, fresh)
    single, ms_single = [], []
    for s in series:
        r, t = methods.timed_ensemble(s.x, len(s.xx))
        single.append(methods.scores(s.x, s.xx, r))
        ms_single.append(t)
    # the batch path: series of one kind together; a set's series end together (protocol, revision 7)
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(series):
        groups.setdefault(sets.batch_of(name, s.sid), []).append(i)
    ens: list = [None] * len(series)
    ms = [0.0] * len(series)
    for ix in groups.values():
        h = max(len(series[i].xx) for i in ix)
        batch = {str(i): pd.Series(series[i].x, index=range(2000 - len(series[i].x) + 1, 2001)) for i in ix}
        t0 = time.perf_counter()
        fcs = annual_batch.forecast_batch(batch, h)
        per = (time.perf_counter() - t0) * 1000 / len(ix)
        for i in ix:
            fc, k = fcs[str(i)], len(series[i].xx)
            ens[i] = methods.scores(series[i].x, series[i].xx, {"point": fc.point[:k], "lo80": fc.lo80[:k],
                                                                 "hi80": fc.hi80[:k], "lo95": fc.lo95[:k],
                                                                 "hi95": fc.hi95[:k]})
            ms[i] = per
    rows = {m: [b[m] for b in base] for m in methods.BASELINES} | {"ensemble": ens, "ensemble_single": single}
    hmax = max(len(s.xx) for s in series)
    short = [i for i, s in enumerate(series) if len(s.x) <= sets.SHORT]
    result = {
        "title": ds.title,
        "source": ds.source,
        "role": ("tuning" if name in sets.TUNING_SETS else
                 "reported, not pooled" if name in sets.EARLIER_TUNING else "reported"),
        "role_note": sets.EARLIER_TUNING.get(name),
        "series": len(series),
        "horizon": hmax,
        "history_points": {"min": int(min(len(s.x) for s in series)),
                           "median": float(np.median([len(s.x) for s in series])),
                           "max": int(max(len(s.x) for s in series))},
        "short_series": len(short),
        "all": {m: _summary(rows[m], hmax) for m in METHODS},
        "short": {m: _summary([rows[m][i] for i in short], hmax) for m in METHODS} if short else None,
        "ensemble_ms_per_series": float(np.mean(ms)),
        "ensemble_single_ms_per_series": float(np.mean(ms_single)),
        "batches": len(groups),
        "series_in_batches_of_min_size": sum(len(ix) for ix in groups.values() if len(ix) >= MIN_BATCH),
    }
    result["goals"] = goals(result["all"])
    result["goals_single"] = goals({k: v for k, v in result["all"].items() if k != "ensemble"}
                                   | {"ensemble": result["all"]["ensemble_single"]})
    if name in sets.BY_FRAME:  # revision 5: per source frame, since one frame can dominate a blind set
        by_frame: dict[str, list[int]] = {}
        for i, s in enumerate(series):
            by_frame.setdefault(sets.frame_of(s.sid), []).append(i)
        result["by_frame"] = {f: {"series": len(ix), "all": {m: _summary([rows[m][i] for i in ix], hmax)
                                                               for m in METHODS}} for f, ix in sorted(by_frame.items())}
    return result, ms


def goals(table: dict) -> dict[str, bool]:
    e = table["ensemble"]
    lo80, hi80 = GOALS["cov80_by_h"]
    lo95, hi95 = GOALS["cov95"]
    return {
        "smape_below_drift": e["smape"] < table["drift"]["smape"],
        "smape_below_theta": e["smape"] < table["theta_sm"]["smape"],
        "cov80_75_85_every_h": all(lo80 <= c <= hi80 for c in e["cov80_by_h"]),
        "cov95_92_97_every_h": all(lo95 <= c <= hi95 for c in e["cov95_by_h"]),
        "cov95_92_97_overall": lo95 <= e["cov95"] <= hi95,
    }


def pooled(results: dict[str, dict], names: list[str], part: str) -> dict | None:
    """Series-weighted means over the reported sets (per-horizon values over the sets that have the horizon)."""
    parts = [(results[n][part], results[n]["series"] if part == "all" else results[n]["short_series"])
             for n in names if results[n][part] is not None]
    if not parts:
        return None
    total = sum(w for _, w in parts)
    out: dict = {"series": total}
    for m in METHODS:
        out[m] = {}
        for k in KEYS:
            out[m][k] = float(sum(t[m][k] * w for t, w in parts) / total)
        for k in ("cov80_by_h", "cov95_by_h", "smape_by_h"):
            hmax = max(len(t[m][k]) for t, _ in parts)
            out[m][k] = []
            for i in range(hmax):
                have = [(t[m][k][i], w) for t, w in parts if len(t[m][k]) > i]
                out[m][k].append(float(sum(v * w for v, w in have) / sum(w for _, w in have)))
    return out


def markdown(res: dict) -> str:
    names = {"drift": "drift", "theta_sm": "Theta (statsmodels)", "ets_sm": "ETS A,Ad,N (statsmodels)",
             "ensemble": "**ensemble (batch)**", "ensemble_single": "ensemble (single series)"}
    lines = [f"# Annual ensemble benchmark ({res['generated']})", "",
             f"Tuning sets: {', '.join(res['tuning_sets'])} (settings chosen there only). Reported sets: "
             f"{', '.join(res['reported_sets'])}; pooled: {', '.join(res['pooled_sets'])}. "
             f"Ensemble {res['ensemble_ms_per_series']:.1f} ms per series.", ""]

    def table(title: str, t: dict | None) -> None:
        if t is None:
            return
        lines.extend([f"### {title}", "",
                      "| method | sMAPE | MASE | cov 80 % | cov 95 % | IS 80 % | IS 95 % | cov 80 % by h | cov 95 % by h |",
                      "|---|---|---|---|---|---|---|---|---|"])
        for m in METHODS:
            r = t[m]
            by80 = " ".join(f"{c:.0%}" for c in r["cov80_by_h"])
            by95 = " ".join(f"{c:.0%}" for c in r["cov95_by_h"])
            lines.append(f"| {names[m]} | {r['smape']:.2f} | {r['mase']:.3f} | {r['cov80']:.1%} | {r['cov95']:.1%} "
                         f"| {r['is80']:.2f} | {r['is95']:.2f} | {by80} | {by95} |")
        lines.append("")

    clean = res.get("cleanest_reported")
    if clean and clean in res["sets"]:
        r = res["sets"][clean]
        table(f"CLEANEST EVIDENCE — {clean} ({r['series']} series, never scored on its own before this run)", r["all"])
        for f, part in (r.get("by_frame") or {}).items():
            table(f"{clean}, frame {f} ({part['series']} series)", part["all"])
    if res["pooled_reported"]:
        table(f"Reported sets pooled ({res['pooled_reported']['all']['series']} series)", res["pooled_reported"]["all"])
        if res["pooled_reported"]["short"]:
            table(f"Reported sets, short series only (≤ {sets.SHORT} points; "
                  f"{res['pooled_reported']['short']['series']} series)", res["pooled_reported"]["short"])
    for n, r in res["sets"].items():
        role = "TUNING SET — not a measure of accuracy" if r["role"] == "tuning" else r["role"]
        if r.get("role_note"):
            role += f": {r['role_note']}"
        table(f"{r['title']} — {n}, {r['series']} series, h = {r['horizon']} ({role})", r["all"])
        table(f"{n}: short series (≤ {sets.SHORT} points, {r['short_series']})", r["short"])
        lines.append("Goals: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in r["goals"].items()))
        lines.append("")
    return "\n".join(lines) + "\n"


def settings() -> dict:
    """The forecaster settings the run used (``annual_settings.ANNUAL``), as the results file records them."""
    out = dataclasses.asdict(ANNUAL) | {"members": list(ANNUAL.members)}
    out["batch"] = {"note": "figures under `ensemble` are the batch path (each set forecast in batches by "
                            "sets.batch_of, revision 7); `ensemble_single` is annual.forecast per series. Since "
                            "revision 7's calibration was switched off (protocol) both are the same forecasts"}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=[n for n in sets.SETS if n not in sets.SUPERSEDED],
                    choices=list(sets.SETS))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--fresh", action="store_true", help="recompute the baselines instead of using the cache")
    ap.add_argument("--no-write", action="store_true", help="print only; do not replace bench/results/annual.json")
    ap.add_argument("--baselines-only", action="store_true",
                    help="fill the baseline cache and print no score (protocol, revision 3: done before tuning)")
    a = ap.parse_args()
    if a.baselines_only:
        for name in a.sets:
            series = sets.SETS[name].load()
            _baselines_of(name, series, a.jobs, a.fresh)
            print(f"{name}: baselines cached for {len(series)} series", file=sys.stderr)
        return
    t0 = time.perf_counter()
    results, all_ms = {}, []
    for name in a.sets:
        results[name], ms = evaluate(name, a.jobs, a.fresh)
        all_ms += ms
        print(f"{name}: {results[name]['series']} series, ensemble sMAPE {results[name]['all']['ensemble']['smape']:.2f}",
              file=sys.stderr)
    reported = [n for n in a.sets if n not in sets.TUNING_SETS]
    pool = [n for n in reported if n not in sets.EARLIER_TUNING]
    res = {
        "schema": SCHEMA,
        "protocol": "bench/annual/protocol.md",
        "generated": dt.date.today().isoformat(),
        "tuning_sets": list(sets.TUNING_SETS),
        "reported_sets": reported,
        "pooled_sets": pool,
        "cleanest_reported": sets.CLEANEST if sets.CLEANEST in reported else None,
        "short_series_max_points": sets.SHORT,
        "settings": settings(),
        "goals_set": {"smape": "below drift and Theta on every reported set",
                      "cov80_by_h": list(GOALS["cov80_by_h"]), "cov95": list(GOALS["cov95"]),
                      "ms_per_series": GOALS["ms_per_series"]},
        "ensemble_ms_per_series": float(np.mean(all_ms)),
        "speed_goal_met": float(np.mean(all_ms)) <= GOALS["ms_per_series"],
        "ensemble_single_ms_per_series": float(sum(r["ensemble_single_ms_per_series"] * r["series"]
                                                   for r in results.values()) / sum(r["series"] for r in results.values())),
        "machine": {"python": platform.python_version(), "processor": platform.machine(),
                    "cores": mp.cpu_count(), "note": "cores shared with other work while measured"},
        "wall_seconds": time.perf_counter() - t0,
        "pooled_reported": {"all": pooled(results, pool, "all"), "short": pooled(results, pool, "short")},
        "sets": results,
    }
    md = markdown(res)
    print(md)
    if not a.no_write:
        out = ROOT / "reports" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "annual.md").write_text(md, encoding="utf-8")
        (ROOT / "bench" / "results" / "annual.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
