"""Choose the annual ensemble's settings on the tuning data — and only there.

The tuning data grew by revision (bench/annual/protocol.md): M3 yearly (revisions 1-2), plus the even half of M1
(``--rev3``), plus the even half of the fresh yearly frames (``--rev4``), plus their odd half (``--rev5``; the same
four sets for ``--rev6``, the tail shape, and ``--rev6-bootstrap``); the default grid below is revision 1's, on M3
alone.

Run: ``.venv/bin/python bench/annual/tune.py`` (about a minute). It loads M3 and nothing
else, and prints, for a grid of (error growth γ, t degrees of freedom, width multiplier), the coverage of the
80 % and 95 % ranges at each horizon and the mean scaled interval scores; the settings in
``helpers.forecast.annual`` / ``annual_calibration`` were read off this table (bench/annual/protocol.md).
Point-forecast settings (members, weight power, origins) are compared with ``--points``; the per-horizon
width multipliers (revision 2: tried, not adopted) are read off ``--horizons``. Both also score M3 with every history cut to its
last 6-15 points (``cut_series``): a stand-in for short series that still uses nothing but the tuning set.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import methods  # noqa: E402,F401  (puts src on the path)
import sets  # noqa: E402

from helpers.forecast import annual, annual_calibration  # noqa: E402


def tuning_series(name: str = "m3") -> list[sets.Series]:
    """One tuning set's series (``sets.TUNING_SETS`` only: this script never loads a reported set)."""
    if name not in sets.TUNING_SETS:
        raise ValueError(f"{name} is not a tuning set")
    return sets.SETS[name].load()


def cut_series(series: list[sets.Series]) -> list[sets.Series]:
    """The tuning series with histories cut to their last 6 … 15 points (cycled): short series from M3 alone."""
    return [sets.Series(s.sid, s.x[-(6 + i % 10):], s.xx) for i, s in enumerate(series)]


def precompute(series: list[sets.Series]) -> list[tuple]:
    out = []
    for s in series:
        h = len(s.xx)
        v = annual_calibration.validate(s.x, max(h, annual.VALIDATION_H), annual.MEMBERS)
        point = v.weights @ annual.member_forecasts(s.x, h, annual.MEMBERS)
        out.append((s, v, np.maximum(point, 0)))
    return out


def intervals(pre: list[tuple], gamma: float, df: float, width: float, kappa: float,
              multipliers: tuple[float, ...] = (1.0,) * 6) -> dict[str, float | list[float]]:
    annual_calibration.ERROR_GROWTH = gamma
    annual_calibration.HORIZON_PRIOR = kappa
    cov = {"80": [], "95": []}
    isc = {"80": [], "95": []}
    for s, v, point in pre:
        h = len(s.xx)
        sc = width * annual_calibration.error_scale(v, h) * np.asarray(multipliers)[:h]
        scale = np.mean(np.abs(np.diff(s.x)))
        for key, lvl in (("80", 0.8), ("95", 0.95)):
            q = stats.t.ppf(0.5 + lvl / 2, df) * sc
            lo, hi = np.maximum(point - q, 0), point + q
            a = 1 - lvl
            cov[key].append(((s.xx >= lo) & (s.xx <= hi)).astype(float))
            isc[key].append(np.mean((hi - lo) + 2 / a * np.maximum(lo - s.xx, 0) + 2 / a * np.maximum(s.xx - hi, 0)) / scale)
    res: dict = {}
    for key in cov:
        hmax = max(len(c) for c in cov[key])
        res["cov" + key + "_by_h"] = [float(np.mean([c[i] for c in cov[key] if len(c) > i])) for i in range(hmax)]
        res["is" + key] = float(np.mean(isc[key]))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gamma", type=float, nargs="*", default=[0.6, 0.7, 0.8, 0.9, 1.0])
    ap.add_argument("--df", type=float, nargs="*", default=[3, 5, 10, 1000])
    ap.add_argument("--width", type=float, nargs="*", default=[1.0, 1.1, 1.2, 1.3, 1.4])
    ap.add_argument("--kappa", type=float, nargs="*", default=[1e9, 8, 4, 2])
    ap.add_argument("--points", action="store_true", help="compare point-forecast settings instead")
    ap.add_argument("--horizons", action="store_true", help="fit per-horizon width multipliers (revision 2)")
    ap.add_argument("--origins", action="store_true", help="compare origin settings, points and ranges (revision 2)")
    ap.add_argument("--rev3", nargs="*", help="score revision-3 variants (names in REV3; none = all)")
    ap.add_argument("--rev4", nargs="*", help="score revision-4 variants (names in REV4; none = all)")
    ap.add_argument("--fit-horizons", nargs="*",
                    help="revision 4: per-horizon width factors fitted on the pooled tuning errors of a REV4 variant")
    ap.add_argument("--rev5", action="store_true",
                    help="revision 5: Mondrian width classes (leave-one-set-out) and drift-leaning points")
    ap.add_argument("--rev6", action="store_true",
                    help="revision 6: the tail shape (t degrees of freedom, per-level widths), leave-one-set-out")
    ap.add_argument("--rev7", nargs="*",
                    help="revision 7: batch calibration on the batch's own history, leave-one-set-out; the labels "
                         "given get the paired bootstrap (protocol)")
    ap.add_argument("--rev6-bootstrap", action="store_true",
                    help="revision 6: paired bootstrap of variant (g) against revision 4 (protocol)")
    a = ap.parse_args()
    if a.rev7 is not None:
        rev7(tuple(a.rev7))
        return
    if a.rev6_bootstrap:
        rev6_bootstrap(("(g) LOSO shape only (95/80 ratio), width kept", "(f) LOSO levels, shrunk 0.5",
                        "(a) t(5), width 0.95", "(e) LOSO 80 % only, 95 % t(4)"))
        return
    if a.rev6:
        rev6()
        return
    if a.rev5:
        rev5()
        return
    if a.rev4 is not None:
        rev4({k: v for k, v in REV4.items() if not a.rev4 or k in a.rev4})
        return
    if a.fit_horizons is not None:
        for name in a.fit_horizons:
            print(name, fit_horizons(REV4[name]))
        return
    if a.rev3 is not None:
        rev3({k: v for k, v in REV3.items() if not a.rev3 or k in a.rev3})
        return
    if a.points:
        ets = ("ets_damped",)
        points([{}, {"MAX_ORIGINS": 12}, {"MAX_ORIGINS": 5}, {"WEIGHT_POWER": 1.0}, {"WEIGHT_POWER": 3.0},
                {"MEMBERS": ("theta", "theta3", "damped", "drift", "robust_drift")},
                # revision 2: the ETS(A,Ad,N) member (statsmodels' model, least-squares fit) added or swapped in
                {"MEMBERS": annual.MEMBERS + ets}, {"MEMBERS": annual.MEMBERS + ets, "WEIGHT_POWER": 1.0},
                {"MEMBERS": tuple(m if m != "damped" else "ets_damped" for m in annual.MEMBERS)},
                {"MEMBERS": ets}])
        return
    if a.horizons:
        horizons()
        return
    if a.origins:
        origin_settings([(8, 8), (8, 5), (8, 4), (8, 3), (10, 4), (10, 3), (12, 4), (12, 3), (4, 4), (5, 5)])
        return
    pre = precompute(tuning_series())
    print(f"tuning set m3: {len(pre)} series")
    print("gamma df width kappa | cov80 by h | cov95 by h | IS80 IS95")
    for g, df, w, k in itertools.product(a.gamma, a.df, a.width, a.kappa):
        r = intervals(pre, g, df, w, k)
        c80 = " ".join(f"{c:.3f}" for c in r["cov80_by_h"])
        c95 = " ".join(f"{c:.3f}" for c in r["cov95_by_h"])
        print(f"{g:.2f} {df:5.0f} {w:.2f} {k:5.0f} | {c80} | {c95} | {r['is80']:.2f} {r['is95']:.2f}")



def horizons() -> None:
    """Per-horizon multipliers that put the t(DF) ranges on 80 % and 95 % on the tuning set; geometric mean of the two.

    Prints coverage and interval scores before and after, on M3 and on M3 with cut histories.
    """
    full = precompute(tuning_series())
    cut = precompute(cut_series(tuning_series()))
    k = {}
    for lvl in (0.8, 0.95):
        q = stats.t.ppf(0.5 + lvl / 2, annual.DF)
        k[lvl] = np.array([np.quantile([abs(s.xx[i] - p[i]) / (annual.WIDTH * annual_calibration.error_scale(v, 6)[i])
                                        for s, v, p in full], lvl) / q for i in range(6)])
    geo = np.sqrt(k[0.8] * k[0.95])
    print("K80", k[0.8].round(3), "K95", k[0.95].round(3), "geometric mean", geo.round(2))
    g, df, w = annual_calibration.ERROR_GROWTH, annual.DF, annual.WIDTH
    for name, mult in (("h^0.8 law only", (1.0,) * 6), ("per-horizon", tuple(geo.round(2)))):
        for label, pre in (("M3", full), ("M3 cut to 6-15 points", cut)):
            r = intervals(pre, g, df, w, 1e9, mult)
            print(f"{name:15s} {label:22s} cov80 {np.round(r['cov80_by_h'], 3)} cov95 {np.round(r['cov95_by_h'], 3)} "
                  f"IS {r['is80']:.2f} {r['is95']:.2f}")


def origin_settings(pairs: list[tuple[int, int]]) -> None:
    """(MAX_ORIGINS, WEIGHT_ORIGINS): point accuracy and ranges (current growth, df, width) on M3 and M3 cut short."""
    saved = annual_calibration.MAX_ORIGINS, annual_calibration.WEIGHT_ORIGINS
    full, cut = tuning_series(), cut_series(tuning_series())
    for mo, wo in pairs:
        annual_calibration.MAX_ORIGINS, annual_calibration.WEIGHT_ORIGINS = mo, wo
        for label, group in (("M3", full), ("M3 cut to 6-15 points", cut)):
            pre = precompute(group)
            sm = np.mean([np.mean(200 * np.abs(s.xx - p) / (np.abs(s.xx) + np.abs(p))) for s, _, p in pre])
            ma = np.mean([np.mean(np.abs(s.xx - p)) / np.mean(np.abs(np.diff(s.x))) for s, _, p in pre])
            r = intervals(pre, annual_calibration.ERROR_GROWTH, annual.DF, annual.WIDTH, 1e9)
            print(f"origins {mo:2d} weights from last {wo} {label:22s} sMAPE {sm:.2f} MASE {ma:.3f} "
                  f"cov80 {np.round(r['cov80_by_h'], 3)} cov95 {np.round(r['cov95_by_h'], 3)} "
                  f"IS {r['is80']:.2f} {r['is95']:.2f}")
    annual_calibration.MAX_ORIGINS, annual_calibration.WEIGHT_ORIGINS = saved


def points(configs: list[dict]) -> None:
    """sMAPE / MASE on the tuning set for alternative point settings (module constants patched per run)."""
    series = tuning_series()
    short = cut_series(series)
    for cfg in configs:
        saved = {k: getattr(annual_calibration, k) for k in cfg if hasattr(annual_calibration, k)}
        for k, val in cfg.items():
            if hasattr(annual_calibration, k):
                setattr(annual_calibration, k, val)
        members = cfg.get("MEMBERS", annual.MEMBERS)
        out = []
        for group in (series, short):
            sm, ma = [], []
            for s in group:
                fc = annual.forecast(s.x, len(s.xx), members=members)
                sm.append(np.mean(200 * np.abs(s.xx - fc.point) / (np.abs(s.xx) + np.abs(fc.point))))
                ma.append(np.mean(np.abs(s.xx - fc.point)) / np.mean(np.abs(np.diff(s.x))))
            out.append(f"sMAPE {np.mean(sm):.3f} MASE {np.mean(ma):.3f}")
        for k, val in saved.items():
            setattr(annual_calibration, k, val)
        print(f"{cfg}: M3 {out[0]} | M3 cut to 6-15 points {out[1]}")


def _patched(cfg: dict):
    """Set module constants named in ``cfg`` (in annual, annual_calibration or annual_members); returns the undo."""
    from helpers.forecast import annual_members

    saved = []
    for k, val in cfg.items():
        if k == "MEMBERS":
            continue
        mod = next(m for m in (annual_calibration, annual, annual_members) if hasattr(m, k))
        saved.append((mod, k, getattr(mod, k)))
        setattr(mod, k, val)

    def undo() -> None:
        for mod, k, val in saved:
            setattr(mod, k, val)
    return undo


def score_group(group: list[sets.Series], members: tuple[str, ...]) -> dict:
    """Ensemble and drift sMAPE / MASE, ensemble coverage by horizon and scaled interval scores (full forecaster)."""
    rows, drift_sm = [], []
    for s in group:
        fc = annual.forecast(s.x, len(s.xx), members=members)
        rows.append(methods.scores(s.x, s.xx, {"point": fc.point, "lo80": fc.lo80, "hi80": fc.hi80,
                                               "lo95": fc.lo95, "hi95": fc.hi95}))
        drift_sm.append(np.mean(methods.scores(s.x, s.xx, methods.drift(s.x, len(s.xx)))["smape"]))
    out = {k: float(np.mean([np.mean(r[k]) for r in rows])) for k in ("smape", "mase", "is80", "is95")}
    out["drift_smape"] = float(np.mean(drift_sm))
    for k in ("cov80", "cov95"):
        out[k] = [float(np.mean([r[k][i] for r in rows if len(r[k]) > i])) for i in range(6)]
    return out


def tuning_groups(names: tuple[str, ...] = sets.TUNING_SETS) -> dict[str, list]:
    """The tuning sets ``names``, each whole and with its histories cut short (``<name> cut``)."""
    groups = {}
    for name in names:
        groups[name] = tuning_series(name)
        groups[name + " cut"] = cut_series(groups[name])
    return groups


def print_row(label: str, group: str, r: dict, label_width: int, group_width: int) -> None:
    """One variant's scores on one group, on one line."""
    print(f"{label:{label_width}s} {group:{group_width}s} sMAPE {r['smape']:6.2f} (drift {r['drift_smape']:6.2f}) "
          f"MASE {r['mase']:.3f} cov80 {' '.join(f'{c:.2f}' for c in r['cov80'])} "
          f"cov95 {' '.join(f'{c:.2f}' for c in r['cov95'])} IS {r['is80']:.2f} {r['is95']:.2f}", flush=True)


def rev3(configs: dict[str, dict]) -> None:
    """Revision 3: each variant on M3, the even half of M1 and both cut short (tuning data only)."""
    groups = tuning_groups(sets.TUNING_BY_REVISION[3])
    for label, cfg in configs.items():
        undo = _patched(cfg)
        try:
            for g, series in groups.items():
                print_row(label, g, score_group(series, cfg.get("MEMBERS", annual.MEMBERS)), 28, 12)
        finally:
            undo()


REV3: dict[str, dict] = {
    "revision 2": {},
    "drift prior 3": {"DRIFT_PRIOR": 3.0},
    "drift prior 8": {"DRIFT_PRIOR": 8.0},
    "drift prior 20": {"DRIFT_PRIOR": 20.0},
    "growth 1.0": {"ERROR_GROWTH": 1.0},
    "own growth 0.5": {"GROWTH_SHARE": 0.5},
    "own growth 0.75": {"GROWTH_SHARE": 0.75},
    "own growth 1.0": {"GROWTH_SHARE": 1.0},
    "growth 0.9": {"ERROR_GROWTH": 0.9},
    "growth 0.9 width 1.05": {"ERROR_GROWTH": 0.9, "WIDTH": 1.05},
    "growth 0.9 floor 0.5": {"ERROR_GROWTH": 0.9, "SCALE_FLOOR": 0.5},
    "growth 0.9 df 3": {"ERROR_GROWTH": 0.9, "DF": 3},
    "floor 0.5": {"SCALE_FLOOR": 0.5},
    "floor 0.75": {"SCALE_FLOOR": 0.75},
    "floor 0.75 growth 0.9": {"SCALE_FLOOR": 0.75, "ERROR_GROWTH": 0.9},
    "floor 1.0": {"SCALE_FLOOR": 1.0},
    "horizon floor 0.5": {"HORIZON_FLOOR": 0.5},
    "horizon floor 0.75": {"HORIZON_FLOOR": 0.75},
    "floor 0.75 horizon floor 0.5": {"SCALE_FLOOR": 0.75, "HORIZON_FLOOR": 0.5},
    "horizon floor 0.75 growth 0.7": {"HORIZON_FLOOR": 0.75, "ERROR_GROWTH": 0.7},
    "horizon floor 0.75 width 0.95": {"HORIZON_FLOOR": 0.75, "WIDTH": 0.95},
    "horizon floor 0.6": {"HORIZON_FLOOR": 0.6},
}


def rev4(configs: dict[str, dict]) -> None:
    """Revision 4: each variant on M3, ``m1_even``, ``fresh_even`` (each also cut short), and pooled over the three.

    Pooled: series-weighted coverage by horizon and interval scores over the three whole tuning sets; ``gap`` is
    the mean absolute distance of coverage from 80 % and 95 % over the three sets and six horizons (points).
    """
    names = sets.TUNING_BY_REVISION[4]
    groups = tuning_groups(names)
    for label, cfg in configs.items():
        undo = _patched(cfg)
        try:
            res = {}
            for g, series in groups.items():
                res[g] = score_group(series, cfg.get("MEMBERS", annual.MEMBERS))
                print_row(label, g, res[g], 34, 15)
            whole = [(res[n], len(groups[n])) for n in names]
            tot = sum(k for _, k in whole)
            pool = {k: sum(r[k] * n for r, n in whole) / tot for k in ("smape", "mase", "is80", "is95")}
            c80 = [sum(r["cov80"][i] * n for r, n in whole) / tot for i in range(6)]
            c95 = [sum(r["cov95"][i] * n for r, n in whole) / tot for i in range(6)]
            gap = np.mean([abs(r["cov80"][i] - 0.8) for r, _ in whole for i in range(6)]), \
                np.mean([abs(r["cov95"][i] - 0.95) for r, _ in whole for i in range(6)])
            print(f"{label:34s} {'POOLED':15s} sMAPE {pool['smape']:6.2f} MASE {pool['mase']:.3f} "
                  f"cov80 {' '.join(f'{c:.2f}' for c in c80)} cov95 {' '.join(f'{c:.2f}' for c in c95)} "
                  f"IS {pool['is80']:.2f} {pool['is95']:.2f} gap {100 * gap[0]:.1f} {100 * gap[1]:.1f}", flush=True)
        finally:
            undo()


def fit_horizons(cfg: dict) -> list[float]:
    """Per-horizon factors that put the pooled tuning errors' 80 % and 95 % ranges on target (geometric mean)."""
    undo = _patched(cfg | {"WIDTH_BY_H": (1.0,)})
    try:
        z: list[list[float]] = [[] for _ in range(6)]
        for name in sets.TUNING_BY_REVISION[4]:
            for s in tuning_series(name):
                fc = annual.forecast(s.x, len(s.xx))
                for i in range(len(s.xx)):
                    z[i].append(abs(s.xx[i] - fc.center[i]) / fc.scale[i])
    finally:
        undo()
    out = []
    for i in range(6):
        k = [np.quantile(z[i], lvl) / stats.t.ppf(0.5 + lvl / 2, annual.DF) for lvl in (0.8, 0.95)]
        out.append(round(float(np.sqrt(k[0] * k[1])), 2))
    return out


#: the variants relative to revision 3's settings (``FLOOR_WHEN_BELOW`` 0 = the floor always applies): revision 4
#: made ``FLOOR_WHEN_BELOW = 1.0`` the default, so each row names what it changes to keep its record reproducible.
REV4: dict[str, dict] = {
    "revision 2 (no floor, width 1.0)": {"HORIZON_FLOOR": 0.0, "WIDTH": 1.0},
    "revision 3 (floor 0.75 h, 0.95)": {"FLOOR_WHEN_BELOW": 0.0},
    "drift prior 3 (rev 3 ranges)": {"DRIFT_PRIOR": 3.0, "FLOOR_WHEN_BELOW": 0.0},
    "dispersion 0.5 sqrt h, 1.0": {"HORIZON_FLOOR": 0.0, "WIDTH": 1.0, "DISPERSION_FLOOR": 0.5},
    "dispersion 0.75 sqrt h, 1.0": {"HORIZON_FLOOR": 0.0, "WIDTH": 1.0, "DISPERSION_FLOOR": 0.75},
    "dispersion 1.0 sqrt h, 1.0": {"HORIZON_FLOOR": 0.0, "WIDTH": 1.0, "DISPERSION_FLOOR": 1.0},
    "dispersion 0.5 h, 1.0": {"HORIZON_FLOOR": 0.0, "WIDTH": 1.0, "DISPERSION_FLOOR": 0.5, "DISPERSION_GROWTH": 1.0},
    "dispersion 0.75 h, 0.95": {"HORIZON_FLOOR": 0.0, "WIDTH": 0.95, "DISPERSION_FLOOR": 0.75,
                                "DISPERSION_GROWTH": 1.0},
    "floor when s1 < 0.5 sd, 0.95": {"FLOOR_WHEN_BELOW": 0.5},
    "floor when s1 < 1.0 sd, 0.95": {"FLOOR_WHEN_BELOW": 1.0},
    "floor when s1 < 0.5 sd, 1.0": {"FLOOR_WHEN_BELOW": 0.5, "WIDTH": 1.0},
    "floor when s1 < 0.75 sd, 0.95": {"FLOOR_WHEN_BELOW": 0.75},
    "floor when s1 < 1.5 sd, 0.95": {"FLOOR_WHEN_BELOW": 1.5},
    "floor when s1 < 1.0 sd, 1.0": {"FLOOR_WHEN_BELOW": 1.0, "WIDTH": 1.0},
    "floor when s1 < 1.0 sd, 0.9": {"FLOOR_WHEN_BELOW": 1.0, "WIDTH": 0.9},
    # per-horizon factors from ``--fit-horizons`` on the pooled tuning errors (fitted on the very errors scored)
    "revision 2 + horizon factors": {"HORIZON_FLOOR": 0.0, "WIDTH": 1.0,
                                     "WIDTH_BY_H": (1.05, 0.97, 1.01, 0.95, 0.96, 1.06)},
    "revision 3 + horizon factors": {"FLOOR_WHEN_BELOW": 0.0, "WIDTH": 1.0, "WIDTH_BY_H": (1.01, 0.91, 0.93, 0.88, 0.84, 0.83)},
    "s1 < 1.0 sd + horizon factors": {"FLOOR_WHEN_BELOW": 1.0, "WIDTH": 1.0,
                                      "WIDTH_BY_H": (1.04, 0.94, 0.97, 0.92, 0.91, 0.94)},
}


def rev5_records() -> dict[str, list[dict]]:
    """Revision 4's forecaster on every tuning series, with what the revision-5 variants need (features, members)."""
    out: dict[str, list[dict]] = {}
    for name in sets.TUNING_SETS:
        out[name] = []
        for s in tuning_series(name):
            h = len(s.xx)
            fc = annual.forecast(s.x, h)
            v = annual_calibration.validate(s.x, max(h, annual.VALIDATION_H), annual.MEMBERS)
            members = annual.member_forecasts(s.x, h, annual.MEMBERS)
            out[name].append({
                "s": s, "center": fc.center, "scale": fc.scale, "mase_scale": float(np.mean(np.abs(np.diff(s.x)))),
                "features": {k: f(s.x, v) for k, f in annual_calibration.FEATURES.items()},
                "members": members, "drift": annual.drift(s.x, h), "vscale": v.scale,
            })
    return out


def _z(r: dict) -> np.ndarray:
    return np.abs(r["s"].xx - r["center"]) / r["scale"]


def mondrian_fit(recs: list[dict], feature: str, bins: int,
                 relative: bool = False) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Class edges (feature quantiles over ``recs``) and per-class factors putting the classes' errors on target.

    ``relative``: the factors divided by their series-weighted geometric mean, so that only the classes' spread
    around revision 4's width is learned, not a new overall width.
    """
    vals = np.array([r["features"][feature] for r in recs])
    edges = tuple(float(np.quantile(vals, q)) for q in np.arange(1, bins) / bins)
    factors = []
    for b in range(bins):
        z = np.concatenate([_z(r) for r, val in zip(recs, vals, strict=True)
                            if annual_calibration.class_of(val, edges) == b])
        k = [np.quantile(z, lvl) / stats.t.ppf(0.5 + lvl / 2, annual.DF) for lvl in (0.8, 0.95)]
        factors.append(float(np.sqrt(k[0] * k[1])))
    if relative:
        counts = np.bincount([annual_calibration.class_of(v, edges) for v in vals], minlength=bins)
        mean = float(np.exp(np.sum(counts * np.log(factors)) / counts.sum()))
        factors = [f / mean for f in factors]
    return edges, tuple(round(f, 3) for f in factors)


def score_ranges(recs: list[dict], factor_of) -> dict:
    """Coverage by horizon and scaled interval scores with each series' scale times ``factor_of(record)``."""
    return range_scores(recs, lambda i, r, lvl: stats.t.ppf(0.5 + lvl / 2, annual.DF) * factor_of(r) * r["scale"])


def range_scores(recs: list[dict], half_width) -> dict:
    """Coverage of the 80 % and 95 % ranges by horizon and their mean scaled interval scores, the ranges being
    ``center ± half_width(i, record, level)`` floored at zero (one scoring for every revision's range variants)."""
    cov: dict[float, list] = {0.8: [], 0.95: []}
    isc: dict[float, list] = {0.8: [], 0.95: []}
    for i, r in enumerate(recs):
        y = r["s"].xx
        for lvl in (0.8, 0.95):
            q = half_width(i, r, lvl)
            lo, hi = np.maximum(r["center"] - q, 0), np.maximum(r["center"] + q, 0)
            a = 1 - lvl
            cov[lvl].append(((y >= lo) & (y <= hi)).astype(float))
            isc[lvl].append(np.mean((hi - lo) + 2 / a * np.maximum(lo - y, 0) + 2 / a * np.maximum(y - hi, 0))
                            / r["mase_scale"])
    return {"cov80": [float(np.mean([c[i] for c in cov[0.8] if len(c) > i])) for i in range(6)],
            "cov95": [float(np.mean([c[i] for c in cov[0.95] if len(c) > i])) for i in range(6)],
            "is80": float(np.mean(isc[0.8])), "is95": float(np.mean(isc[0.95])), "n": len(recs)}


def _summarise(label: str, per_set: dict[str, dict]) -> None:
    n = sum(r["n"] for r in per_set.values())
    gap80 = 100 * np.mean([abs(c - 0.8) for r in per_set.values() for c in r["cov80"]])
    gap95 = 100 * np.mean([abs(c - 0.95) for r in per_set.values() for c in r["cov95"]])
    is80 = sum(r["is80"] * r["n"] for r in per_set.values()) / n
    is95 = sum(r["is95"] * r["n"] for r in per_set.values()) / n
    c80 = [sum(r["cov80"][i] * r["n"] for r in per_set.values()) / n for i in range(6)]
    per = " ; ".join(f"{k} {' '.join(f'{100 * c:.0f}' for c in r['cov80'])} / "
                     f"{' '.join(f'{100 * c:.0f}' for c in r['cov95'])}" for k, r in per_set.items())
    print(f"{label:34s} gap {gap80:5.2f} {gap95:5.2f} | IS {is80:.2f} {is95:.2f} | pooled80 "
          f"{' '.join(f'{100 * c:.0f}' for c in c80)} | 80 % by set: {per}", flush=True)


REV5_FEATURES = ("claim", "steadiness", "departure", "cusum", "length")


def rev5() -> None:
    """Revision 5 (protocol): width classes by a per-series feature, judged leave-one-set-out; drift-leaning points."""
    recs = rev5_records()
    _summarise("revision 4 (as frozen)", {k: score_ranges(v, lambda r: 1.0) for k, v in recs.items()})
    for feature, relative in [("none", False), *((f, rel) for rel in (False, True) for f in REV5_FEATURES)]:
        for bins in ((1,) if feature == "none" else (2, 3, 4)):
            per_set = {}
            for held in recs:
                train = [r for k, v in recs.items() if k != held for r in v]
                f = REV5_FEATURES[0] if feature == "none" else feature
                edges, factors = mondrian_fit(train, f, bins, relative)
                per_set[held] = score_ranges(
                    recs[held], lambda r, e=edges, k=factors, f=f: k[annual_calibration.class_of(r["features"][f], e)])
            _summarise(f"LOSO {feature} x{bins}{' relative' if relative else ''}", per_set)
            everything = [r for v in recs.values() for r in v]
            edges, factors = mondrian_fit(everything, REV5_FEATURES[0] if feature == "none" else feature, bins,
                                          relative)
            print(f"{'':34s} fitted on all tuning sets: edges {np.round(edges, 3).tolist()} factors {list(factors)}")
    # points: lean towards drift by c · the members' disagreement, or c · (steadiness − 1)
    def smape(r: dict, p: np.ndarray) -> float:
        return float(np.mean(200 * np.abs(r["s"].xx - p) / (np.abs(r["s"].xx) + np.abs(p))))

    for rule, cs in (("none", (0.0,)), ("disagreement", (0.05, 0.1, 0.2, 0.4)), ("steadiness", (0.1, 0.25, 0.5))):
        for c in cs:
            out = {}
            for k, v in recs.items():
                sm, dsm = [], []
                for r in v:
                    h = len(r["s"].xx)
                    if rule == "disagreement":
                        lam = c * np.mean(np.ptp(r["members"], axis=0) / (r["vscale"] * np.arange(1, h + 1)))
                    elif rule == "steadiness":
                        lam = c * max(0.0, r["features"]["steadiness"] - 1.0)
                    else:
                        lam = 0.0
                    lam = min(1.0, float(lam))
                    p = np.maximum((1 - lam) * r["center"] + lam * r["drift"], 0)
                    sm.append(smape(r, p))
                    dsm.append(smape(r, r["drift"]))
                out[k] = (np.mean(sm), np.mean(dsm), len(v))
            n = sum(x[2] for x in out.values())
            pooled = sum(x[0] * x[2] for x in out.values()) / n
            print(f"points {rule} c={c}: pooled sMAPE {pooled:.3f} | " +
                  " ; ".join(f"{k} {x[0]:.2f} (drift {x[1]:.2f})" for k, x in out.items()), flush=True)


def rev6_records() -> dict[str, list[dict]]:
    """Revision 4's forecaster (centre, scale per horizon) on every tuning series of revision 6."""
    out: dict[str, list[dict]] = {}
    for name in sets.TUNING_BY_REVISION[6]:
        out[name] = []
        for s in tuning_series(name):
            fc = annual.forecast(s.x, len(s.xx))
            out[name].append({"s": s, "center": fc.center, "scale": fc.scale,
                              "mase_scale": float(np.mean(np.abs(np.diff(s.x))))})
    return out


REV6_LEVELS = (0.5, 0.8, 0.95)


def _t_half(p: float, df: float) -> float:
    """Half-width of the central p range of t(df), in units of its scale."""
    return float(stats.t.ppf(0.5 + p / 2, df))


def _wquantile(z: np.ndarray, w: np.ndarray, p: float) -> float:
    """The p quantile of z with weights w (the first z whose cumulative weight share reaches p)."""
    order = np.argsort(z)
    cum = np.cumsum(w[order]) / w.sum()
    return float(z[order][min(np.searchsorted(cum, p), len(z) - 1)])


def _errors(recs: dict[str, list[dict]], names: list[str], set_weighted: bool) -> tuple[list, list]:
    """Absolute scaled errors |actual − centre| / scale by horizon over the sets ``names``, with their weights."""
    z: list[list[float]] = [[] for _ in range(6)]
    w: list[list[float]] = [[] for _ in range(6)]
    for n in names:
        count = sum(len(r["s"].xx) for r in recs[n])
        for r in recs[n]:
            for i, e in enumerate(_z(r)):
                z[i].append(float(e))
                w[i].append(1.0 / count if set_weighted else 1.0)
    return [np.array(v) for v in z], [np.array(v) for v in w]


def rev6_fit(recs: dict[str, list[dict]], names: list[str], rule: str, df: float = 4,
             set_weighted: bool = False, shrink: float = 1.0) -> dict[float, list[float]]:
    """Half-widths g_p per horizon (units of the scale) for levels p, fitted on the sets ``names`` by ``rule``.

    ``t``: t(df) at the frozen width; ``t-width``: t(df) times one refitted factor (geometric mean over 80 / 95 %);
    ``levels``: each level's quantile of the pooled errors; ``levels-h``: per horizon; ``levels-80``: only 80 %
    (and 50 %) refitted, 95 % kept at t(4). ``shrink`` λ: g = t(4) value × (fitted / t(4) value)^λ.
    """
    if rule == "t":
        return {p: [_t_half(p, df)] * 6 for p in REV6_LEVELS}
    z, w = _errors(recs, names, set_weighted)
    allz, allw = np.concatenate(z), np.concatenate(w)
    if rule == "t-width":
        k = np.sqrt(np.prod([_wquantile(allz, allw, p) / _t_half(p, df) for p in (0.8, 0.95)]))
        return {p: [float(k) * _t_half(p, df)] * 6 for p in REV6_LEVELS}
    if rule == "shape":  # only the ratio of the 95 % to the 80 % half-width learned; their geometric mean kept
        r = (_wquantile(allz, allw, 0.95) / _wquantile(allz, allw, 0.8)) / (_t_half(0.95, 4) / _t_half(0.8, 4))
        r = r**shrink
        g50 = _wquantile(allz, allw, 0.5) / _wquantile(allz, allw, 0.8) * _t_half(0.8, 4) / np.sqrt(r)
        return {0.5: [g50] * 6, 0.8: [_t_half(0.8, 4) / np.sqrt(r)] * 6, 0.95: [_t_half(0.95, 4) * np.sqrt(r)] * 6}
    out = {}
    for p in REV6_LEVELS:
        if rule == "levels-h":
            fit = [_wquantile(z[i], w[i], p) for i in range(6)]
        else:
            fit = [_wquantile(allz, allw, p)] * 6
        if rule == "levels-80" and p == 0.95:
            fit = [_t_half(p, 4)] * 6
        out[p] = [_t_half(p, 4) * (f / _t_half(p, 4)) ** shrink for f in fit]
    return out


def rev6_score(recs: list[dict], g: dict[float, list[float]]) -> dict:
    """Coverage by horizon at 50 / 80 / 95 % and scaled interval scores at 80 / 95 % with half-widths ``g``."""
    cov: dict[float, list] = {p: [] for p in REV6_LEVELS}
    isc: dict[float, list] = {0.8: [], 0.95: []}
    for r in recs:
        y = r["s"].xx
        h = len(y)
        for p in REV6_LEVELS:
            q = np.asarray(g[p][:h]) * r["scale"]
            lo, hi = np.maximum(r["center"] - q, 0), np.maximum(r["center"] + q, 0)
            cov[p].append(((y >= lo) & (y <= hi)).astype(float))
            if p in isc:
                a = 1 - p
                isc[p].append(np.mean((hi - lo) + 2 / a * np.maximum(lo - y, 0) + 2 / a * np.maximum(y - hi, 0))
                              / r["mase_scale"])
    out = {f"cov{round(100 * p)}": [float(np.mean([c[i] for c in cov[p] if len(c) > i])) for i in range(6)]
           for p in REV6_LEVELS}
    return out | {"is80": float(np.mean(isc[0.8])), "is95": float(np.mean(isc[0.95])), "n": len(recs)}


def _summarise6(label: str, per_set: dict[str, dict]) -> tuple[float, float]:
    n = sum(r["n"] for r in per_set.values())
    gap = {p: 100 * np.mean([abs(c - p / 100) for r in per_set.values() for c in r[f"cov{p}"]]) for p in (50, 80, 95)}
    pool = {k: [sum(r[k][i] * r["n"] for r in per_set.values()) / n for i in range(6)] for k in ("cov80", "cov95")}
    is80 = sum(r["is80"] * r["n"] for r in per_set.values()) / n
    is95 = sum(r["is95"] * r["n"] for r in per_set.values()) / n
    per = " ; ".join(f"{k} {' '.join(f'{100 * c:.0f}' for c in r['cov80'])} / "
                     f"{' '.join(f'{100 * c:.0f}' for c in r['cov95'])}" for k, r in per_set.items())
    print(f"{label:36s} gap {gap[80]:5.2f} {gap[95]:5.2f} (50 %: {gap[50]:5.2f}) | IS {is80:.2f} {is95:.2f} | pooled "
          f"{' '.join(f'{100 * c:.0f}' for c in pool['cov80'])} / {' '.join(f'{100 * c:.0f}' for c in pool['cov95'])}"
          f" | by set: {per}", flush=True)
    return gap[80], gap[95]


#: revision 6's variants: (label, rule, df, set-weighted, shrink λ); protocol, revision 6, item 4.
REV6: list[tuple[str, str, float, bool, float]] = [
    ("revision 4 (as frozen): t(4)", "t", 4, False, 1.0),
    *((f"(a) t({df:g}), width 0.95", "t", df, False, 1.0) for df in (3, 5, 6, 8, 12, 30)),
    *((f"(b) LOSO t({df:g}) one width", "t-width", df, False, 1.0) for df in (3, 4, 6, 10, 30)),
    ("(c) LOSO levels, pooled h", "levels", 4, False, 1.0),
    ("(c) LOSO levels, pooled h, set-weighted", "levels", 4, True, 1.0),
    ("(d) LOSO levels per h", "levels-h", 4, False, 1.0),
    ("(d) LOSO levels per h, set-weighted", "levels-h", 4, True, 1.0),
    ("(e) LOSO 80 % only, 95 % t(4)", "levels-80", 4, False, 1.0),
    ("(e) LOSO 80 % only, set-weighted", "levels-80", 4, True, 1.0),
    ("(f) LOSO levels, shrunk 0.5", "levels", 4, False, 0.5),
    ("(f) LOSO levels, set-weighted, shrunk 0.5", "levels", 4, True, 0.5),
    # added after the rows above were seen (recorded as such in the protocol): the shape alone
    ("(g) LOSO shape only (95/80 ratio), width kept", "shape", 4, False, 1.0),
    ("(g) LOSO shape only, set-weighted", "shape", 4, True, 1.0),
]


def rev6() -> None:
    """Revision 6 (protocol): the tail shape — t degrees of freedom, per-level half-widths — judged leave-one-set-out."""
    recs = rev6_records()
    names = list(recs)
    for label, rule, df, sw, lam in REV6:
        per_set = {held: rev6_score(recs[held], rev6_fit(recs, [n for n in names if n != held], rule, df, sw, lam))
                   for held in names}
        _summarise6(label, per_set)
        if rule != "t":
            g = rev6_fit(recs, names, rule, df, sw, lam)
            print(f"{'':36s} fitted on all four: " + " ; ".join(
                f"g{round(100 * p)} {' '.join(f'{v:.3f}' for v in g[p][:6 if rule == 'levels-h' else 1])}"
                for p in REV6_LEVELS), flush=True)


def _hits(recs: list[dict], g: dict[float, list[float]]) -> dict[float, np.ndarray]:
    """Per series and horizon: is the actual inside the 80 % / 95 % range with half-widths ``g`` (series × 6)."""
    out = {}
    for p in (0.8, 0.95):
        q = np.asarray(g[p][:6])
        out[p] = np.array([((r["s"].xx >= np.maximum(r["center"] - q * r["scale"], 0))
                            & (r["s"].xx <= np.maximum(r["center"] + q * r["scale"], 0))) for r in recs], dtype=float)
    return out


def _boot_gaps(hits: dict[str, dict[float, np.ndarray]], idx: dict[str, np.ndarray]) -> tuple[float, float]:
    """Mean absolute coverage gaps (80 %, 95 %) over sets × horizons of one bootstrap draw ``idx`` per set."""
    g80, g95 = (float(np.mean([np.abs(hits[n][p][idx[n]].mean(axis=0) - p) for n in hits])) for p in (0.8, 0.95))
    return g80, g95


def rev6_bootstrap(labels: tuple[str, ...] = ("(g) LOSO shape only (95/80 ratio), width kept",),
                   replicates: int = 1000, seed: int = 6) -> None:
    """Paired bootstrap over series (protocol, revision 6): how often a variant has both gaps below revision 4's.

    Each tuning set's series are resampled with replacement (the same draw for every variant); each variant's
    leave-one-set-out half-widths are held fixed, so only the scoring sample varies.
    """
    recs = rev6_records()
    names = list(recs)
    variants = {v[0]: v for v in REV6}
    base_label = REV6[0][0]
    hits = {}
    for label in (base_label, *labels):
        _, rule, df, sw, lam = variants[label]
        hits[label] = {held: _hits(recs[held], rev6_fit(recs, [n for n in names if n != held], rule, df, sw, lam))
                       for held in names}
    rng = np.random.default_rng(seed)
    wins = {label: 0 for label in labels}
    for _ in range(replicates):
        idx = {n: rng.integers(0, len(recs[n]), len(recs[n])) for n in names}

        b80, b95 = _boot_gaps(hits[base_label], idx)
        for label in labels:
            g80, g95 = _boot_gaps(hits[label], idx)
            wins[label] += int(g80 < b80 and g95 < b95)
    for label in labels:
        print(f"{label}: both gaps below revision 4's in {wins[label]} of {replicates} replicates "
              f"({100 * wins[label] / replicates:.1f} %)", flush=True)



# --- revision 7: batch calibration on the batch's own history (protocol, revision 7) -------------------------------

def rev7_records() -> dict[str, list[dict]]:
    """Revision 4's forecaster on every tuning series, and its scaled errors at the last 6 origins inside the history.

    Cached in ``reports/bench/rev7_records.pkl`` (keyed by the forecaster's settings file contents), because the
    in-history forecasts are six extra runs of the whole forecaster per series.
    """
    import hashlib
    import pickle

    from helpers.forecast import annual_batch

    src = Path(annual.__file__).parent
    key = hashlib.sha256(b"".join((src / f).read_bytes() for f in ("annual.py", "annual_calibration.py",
                                                                     "annual_members.py", "annual_batch.py")))
    cache = HERE.parents[1] / "reports" / "bench" / "rev7_records.pkl"
    if cache.exists():
        saved = pickle.loads(cache.read_bytes())
        if saved.get("key") == key.hexdigest():
            return saved["records"]
    out: dict[str, list[dict]] = {}
    for name in sets.TUNING_BY_REVISION[7]:
        out[name] = []
        for s in tuning_series(name):
            h = len(s.xx)
            fc = annual.forecast(s.x, h)
            out[name].append({"s": s, "center": fc.center, "scale": fc.scale,
                              "mase_scale": float(np.mean(np.abs(np.diff(s.x)))), "drift": annual.drift(s.x, h),
                              "batch": sets.batch_of(name, s.sid), "hist": annual_batch.history_errors(s.x)})
        print(f"rev7 records: {name} {len(out[name])} series", file=sys.stderr, flush=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps({"key": key.hexdigest(), "records": out}))
    tmp.replace(cache)
    return out


REV7_LEVELS = (0.8, 0.95)


def _g(p: float) -> float:
    return _t_half(p, annual.DF)


def _batches(recs: list[dict], grain: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in recs:
        out.setdefault(r["batch"] if grain == "kind" else "set", []).append(r)
    return out


def _raw7(members: list[dict], back: tuple[int, int], by_h: bool) -> tuple[dict[float, np.ndarray], int]:
    """Raw in-history factors per level (per horizon, or one value repeated) from origins k in [back[0], back[1]]."""
    zs, hs = [], []
    for r in members:
        e = r["hist"]
        m = (e.back >= back[0]) & (e.back <= back[1])
        if m.any():
            zs.append(np.abs(e.z[m]))
            hs.append(e.horizon[m])
    if not zs:
        return {p: np.ones(6) for p in REV7_LEVELS}, 0
    z, h = np.concatenate(zs), np.concatenate(hs)
    out = {}
    for p in REV7_LEVELS:
        pooled = np.quantile(z, p) / _g(p)
        if by_h:
            out[p] = np.array([np.quantile(z[h == i], p) / _g(p) if (h == i).sum() >= 5 else pooled
                               for i in range(1, 7)])
        else:
            out[p] = np.full(6, pooled)
    return out, len(zs)


def _heldout7(members: list[dict]) -> dict[float, float]:
    """The factor per level that would have put the batch's held-out errors exactly on target."""
    z = np.concatenate([np.abs(r["s"].xx - r["center"]) / r["scale"] for r in members])
    return {p: float(np.quantile(z, p)) / _g(p) for p in REV7_LEVELS}


def _apply7(raw: dict[float, np.ndarray], n: int, v: dict) -> dict[float, np.ndarray]:
    """Shrunk factors per level and horizon: exp(w (a + b log raw)), w = n / (n + κ); 1 below 5 series."""
    if n < 5:
        return {p: np.ones(6) for p in REV7_LEVELS}
    logs = {p: np.log(np.maximum(raw[p], 1e-6)) for p in REV7_LEVELS}
    if not v["per_level"]:
        mean = (logs[0.8] + logs[0.95]) / 2
        logs = {p: mean for p in REV7_LEVELS}
    w = n / (n + v["kappa"])
    return {p: np.exp(w * (v["a"] + v["b"] * logs[p])) for p in REV7_LEVELS}


def _factors7(recs: list[dict], v: dict) -> list[dict[float, np.ndarray]]:
    """Each series' factors (per level, per horizon) under variant ``v``, from its batch's own history."""
    out_by_batch = {}
    for b, members in _batches(recs, v["grain"]).items():
        raw, n = _raw7(members, (1, v["K"]), v["by_h"])
        out_by_batch[b] = _apply7(raw, n, v)
    return [out_by_batch[r["batch"] if v["grain"] == "kind" else "set"] for r in recs]


def _score7(recs: list[dict], factors: list[dict[float, np.ndarray]]) -> dict:
    return range_scores(recs, lambda i, r, p: _g(p) * factors[i][p][:len(r["s"].xx)] * r["scale"])


def _fit_ab7(recs: dict[str, list[dict]], names: list[str], v: dict) -> tuple[float, float]:
    """a, b: weighted least squares of held-out log factor on in-history log raw factor over the training batches."""
    xs, ys, ws = [], [], []
    for n in names:
        for members in _batches(recs[n], v["grain"]).values():
            raw, cnt = _raw7(members, (1, v["K"]), False)
            if cnt < 5:
                continue
            held = _heldout7(members)
            lx = {p: np.log(raw[p][0]) for p in REV7_LEVELS}
            ly = {p: np.log(held[p]) for p in REV7_LEVELS}
            if not v["per_level"]:
                lx = {p: (lx[0.8] + lx[0.95]) / 2 for p in REV7_LEVELS}
                ly = {p: (ly[0.8] + ly[0.95]) / 2 for p in REV7_LEVELS}
            for p in REV7_LEVELS:
                xs.append(lx[p])
                ys.append(ly[p])
                ws.append(cnt)
    b, a = np.polyfit(np.array(xs), np.array(ys), 1, w=np.sqrt(np.array(ws)))
    return float(a), float(b)


def _gaps7(per_set: dict[str, dict]) -> tuple[float, float]:
    return tuple(100 * float(np.mean([abs(c - p) for r in per_set.values() for c in r[k]]))
                 for p, k in ((0.8, "cov80"), (0.95, "cov95")))


def rev7_variant_scores(recs: dict[str, list[dict]], v: dict) -> tuple[dict[str, dict], dict]:
    """Leave-one-set-out scores of variant ``v`` (a, b and κ fitted without the scored set where ``v`` says so)."""
    names = list(recs)
    per_set, used = {}, {}
    for held in names:
        train = [n for n in names if n != held]
        vv = dict(v)
        if v.get("fit_ab"):
            vv["a"], vv["b"] = _fit_ab7(recs, train, v)
        if v.get("fit_kappa"):
            best = None
            for k in (2.0, 5.0, 10.0, 20.0):
                vk = vv | {"kappa": k}
                g = _gaps7({n: _score7(recs[n], _factors7(recs[n], vk)) for n in train})
                if best is None or sum(g) < best[0]:
                    best = (sum(g), k)
            vv["kappa"] = best[1]
        used[held] = {k: vv[k] for k in ("a", "b", "kappa")}
        per_set[held] = _score7(recs[held], _factors7(recs[held], vv))
    return per_set, used


def rev7_caveat(recs: dict[str, list[dict]]) -> None:
    """The short-prefix caveat: in-history raw factors (last 3 origins, origins 4-6, all 6) against held-out ones."""
    rows = []
    for n, rr in recs.items():
        for b, members in _batches(rr, "kind").items():
            if len(members) < 5:
                continue
            f13, c13 = _raw7(members, (1, 3), False)
            f46, c46 = _raw7(members, (4, 6), False)
            f16, c16 = _raw7(members, (1, 6), False)
            if min(c13, c46) < 5:
                continue
            held = _heldout7(members)
            rows.append((n, b, len(members), f13, f46, f16, held))
    print(f"batches with >= 5 series: {len(rows)}")
    for p in REV7_LEVELS:
        w = np.array([r[2] for r in rows], float)
        y = np.log([r[6][p] for r in rows])
        for i, lab in ((3, "origins 1-3"), (4, "origins 4-6"), (5, "origins 1-6")):
            x = np.log([r[i][p][0] for r in rows])
            corr = float(np.corrcoef(x, y)[0, 1])
            slope = float(np.polyfit(x, y, 1, w=np.sqrt(w))[0])
            bias = float(np.average(y - x, weights=w))
            print(f"level {p:.2f} {lab}: corr(log in-history, log held-out) {corr:.2f}, slope {slope:.2f}, "
                  f"mean log(held-out / in-history) {bias:+.3f} (x{np.exp(bias):.3f}), batch-weighted by series")
    for n, b, cnt, f13, f46, f16, held in rows:
        print(f"  {n:10s} {b:40s} {cnt:4d} | 80 %: in-hist 1-3 {f13[0.8][0]:.2f} 4-6 {f46[0.8][0]:.2f} all "
              f"{f16[0.8][0]:.2f} held-out {held[0.8]:.2f} | 95 %: {f13[0.95][0]:.2f} {f46[0.95][0]:.2f} "
              f"{f16[0.95][0]:.2f} held-out {held[0.95]:.2f}")


def _print7(label: str, per_set: dict[str, dict], extra: str = "") -> None:
    n = sum(r["n"] for r in per_set.values())
    g80, g95 = _gaps7(per_set)
    is80 = sum(r["is80"] * r["n"] for r in per_set.values()) / n
    is95 = sum(r["is95"] * r["n"] for r in per_set.values()) / n
    pool = {k: [sum(r[k][i] * r["n"] for r in per_set.values()) / n for i in range(6)] for k in ("cov80", "cov95")}
    per = " ; ".join(f"{k} {' '.join(f'{100 * c:.0f}' for c in r['cov80'])} / "
                     f"{' '.join(f'{100 * c:.0f}' for c in r['cov95'])}" for k, r in per_set.items())
    print(f"{label:44s} gap {g80:5.2f} {g95:5.2f} | IS {is80:.2f} {is95:.2f} | pooled "
          f"{' '.join(f'{100 * c:.0f}' for c in pool['cov80'])} / {' '.join(f'{100 * c:.0f}' for c in pool['cov95'])}"
          f" | by set: {per}{extra}", flush=True)


def _rev7_variants() -> list[tuple[str, dict]]:
    base = {"grain": "kind", "K": 6, "by_h": False, "per_level": True, "kappa": 10.0, "a": 0.0, "b": 1.0}
    out = []
    for grain in ("kind", "set"):
        for K in (3, 6):
            for by_h in (False, True):
                for per_level in (True, False):
                    for kappa in (2.0, 5.0, 10.0, 20.0):
                        v = base | {"grain": grain, "K": K, "by_h": by_h, "per_level": per_level, "kappa": kappa}
                        out.append((f"plain {grain} K{K} {'per-h' if by_h else 'pooled-h'} "
                                    f"{'levels' if per_level else 'one'} k{kappa:g}", v))
                    v = base | {"grain": grain, "K": K, "by_h": by_h, "per_level": per_level, "fit_ab": True,
                                "fit_kappa": True}
                    out.append((f"fitted a,b,k {grain} K{K} {'per-h' if by_h else 'pooled-h'} "
                                f"{'levels' if per_level else 'one'}", v))
    return out


def rev7(bootstrap: tuple[str, ...] = ()) -> None:
    """Revision 7 (protocol): batch width factors from in-history errors, judged leave-one-set-out; batch points."""
    recs = rev7_records()
    rev7_caveat(recs)
    ones = {n: _score7(v, [{p: np.ones(6) for p in REV7_LEVELS}] * len(v)) for n, v in recs.items()}
    _print7("revision 4 (as frozen)", ones)
    variants = _rev7_variants()
    results = {}
    for label, v in variants:
        per_set, used = rev7_variant_scores(recs, v)
        results[label] = per_set
        extra = ""
        if v.get("fit_ab") or v.get("fit_kappa"):
            extra = " | LOSO a,b,k: " + " ; ".join(f"{k} {u['a']:+.2f} {u['b']:.2f} {u['kappa']:g}"
                                                    for k, u in used.items())
        _print7(label, per_set, extra)
    # points: the batch's best in-history mix of ensemble and drift, shrunk like the ranges
    for kappa in (2.0, 5.0, 10.0, 20.0):
        out = {}
        for n, rr in recs.items():
            lam_of = {}
            for b, members in _batches(rr, "kind").items():
                have = [r for r in members if r["hist"].z.size]
                if len(have) < 5:
                    lam_of[b] = 0.0
                    continue
                e = np.concatenate([r["hist"].ensemble_err for r in have])
                d = np.concatenate([r["hist"].drift_err for r in have])
                grid = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
                best = grid[int(np.argmin([np.mean(np.abs((1 - g) * e + g * d)) for g in grid]))]
                lam_of[b] = float(best) * len(have) / (len(have) + kappa)
            sm, dsm = [], []
            for r in rr:
                lam = lam_of[r["batch"]]
                p = np.maximum((1 - lam) * r["center"] + lam * r["drift"], 0)
                y = r["s"].xx
                sm.append(np.mean(200 * np.abs(y - p) / (np.abs(y) + np.abs(p))))
                dsm.append(np.mean(200 * np.abs(y - r["drift"]) / (np.abs(y) + np.abs(r["drift"]))))
            out[n] = (float(np.mean(sm)), float(np.mean(dsm)), len(rr),
                      {b: round(v, 2) for b, v in lam_of.items() if v > 0})
        tot = sum(x[2] for x in out.values())
        pooled = sum(x[0] * x[2] for x in out.values()) / tot
        print(f"points batch mix k{kappa:g}: pooled sMAPE {pooled:.3f} | " + " ; ".join(
            f"{n} {x[0]:.2f} (drift {x[1]:.2f}) lam>0 in {len(x[3])} batches {dict(list(x[3].items())[:3])}"
            for n, x in out.items()), flush=True)
    for label in bootstrap:
        rev7_bootstrap(recs, dict(variants)[label], label)


def rev7_bootstrap(recs: dict[str, list[dict]], v: dict, label: str = "", replicates: int = 1000,
                   seed: int = 7) -> None:
    """Paired bootstrap over series (protocol, revision 7): share of replicates with both gaps below revision 4's.

    Each tuning set's series are resampled with replacement (the same draw for both); the variant's
    leave-one-set-out factors are held fixed, so only the scoring sample varies.
    """
    names = list(recs)
    hits = {}
    for held in names:
        train = [n for n in names if n != held]
        vv = dict(v)
        if v.get("fit_ab"):
            vv["a"], vv["b"] = _fit_ab7(recs, train, v)
        if v.get("fit_kappa"):
            vv["kappa"] = min((2.0, 5.0, 10.0, 20.0), key=lambda k: sum(_gaps7(
                {n: _score7(recs[n], _factors7(recs[n], vv | {"kappa": k})) for n in train})))
        fac = _factors7(recs[held], vv)
        one = [{p: np.ones(6) for p in REV7_LEVELS}] * len(recs[held])
        hits[held] = {tag: {p: np.array([_inside(r, f, p) for r, f in zip(recs[held], ff, strict=True)])
                            for p in REV7_LEVELS} for tag, ff in (("var", fac), ("base", one))}
    rng = np.random.default_rng(seed)
    wins = 0
    for _ in range(replicates):
        idx = {n: rng.integers(0, len(recs[n]), len(recs[n])) for n in names}
        g = {tag: [float(np.mean([np.abs(hits[n][tag][p][idx[n]].mean(axis=0) - p) for n in names]))
                   for p in REV7_LEVELS] for tag in ("var", "base")}
        wins += int(g["var"][0] < g["base"][0] and g["var"][1] < g["base"][1])
    print(f"bootstrap {label}: both gaps below revision 4's in {wins} of {replicates} replicates "
          f"({100 * wins / replicates:.1f} %)", flush=True)


def _inside(r: dict, f: dict[float, np.ndarray], p: float) -> np.ndarray:
    """Is each held-out value inside the level-p range with factors ``f`` (horizons 1-6; NaN beyond the series')."""
    out = np.full(6, np.nan)
    y = r["s"].xx
    h = len(y)
    q = _g(p) * f[p][:h] * r["scale"]
    out[:h] = (y >= np.maximum(r["center"] - q, 0)) & (y <= np.maximum(r["center"] + q, 0))
    return out


if __name__ == "__main__":
    main()
