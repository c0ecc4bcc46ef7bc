"""What issue 12's goals allow on the reported sets: three bounds, none of them a tuning step.

Why this exists. Seven revisions (bench/annual/protocol.md) met the goals pooled but never on *every* reported
set at *every* horizon. Before an eighth, this script asks whether the goals, read literally, can be met at all by
the forecasters tried, and measures it on the reported outcomes themselves (so it is an oracle: it may look at
everything, because it chooses nothing that ships):

A. **Sampling.** A perfectly calibrated 80 % range covers each outcome with probability 0.8. With n series in a set,
   the share covered at one horizon is Binomial(n, 0.8) / n even then, and lands in 75-85 % with probability
   P_A(n). All six horizons cannot pass more often than one does, so P_A(n) bounds the chance that a perfect
   forecaster meets "75-85 % at every horizon" on that set (series taken as independent; common shocks of the
   same years make the count more variable, not less); P_A(n)^H is the chance if the horizons were independent. Likewise for 95 % (92-97 %, over all horizons: bounded
   by n·H independent outcomes).
B. **One width for every set.** Multiply the ensemble's half-widths (about its point) by a factor c per horizon,
   the same on every set, chosen after seeing all outcomes. For each set and horizon the factors that put its
   80 % coverage in 75-85 % form an interval [c_lo, c_hi]; if the intervals of two sets do not overlap at some
   horizon, no shared calibration of this family meets the goal there.
C. **One drift lean for every set.** Mix the ensemble's point with drift's, (1 − λ)·ensemble + λ·drift, one λ
   for every set chosen after seeing the outcomes; is there a λ with sMAPE below drift's and Theta's on every
   set? And per set (λ chosen on that set's own outcomes)?

Run: ``.venv/bin/python bench/annual/feasibility.py`` (about a minute with the baselines cached by ``run.py``).
Writes ``bench/results/annual_feasibility.json``; prints the tables quoted in the protocol ("What the goals
allow").
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import methods  # noqa: E402
import run  # noqa: E402
import sets  # noqa: E402

LAMBDAS = np.round(np.linspace(0, 1, 21), 2)
FACTORS = np.round(np.exp(np.linspace(np.log(0.25), np.log(4), 401)), 4)
BAND80 = (0.75, 0.85)
BAND95 = (0.92, 0.97)


def pass_probability(n: int, p: float, band: tuple[float, float]) -> float:
    """P(band[0] ≤ X / n ≤ band[1]) for X ~ Binomial(n, p): a perfect forecaster's chance to land in the band."""
    k_lo, k_hi = int(np.ceil(band[0] * n - 1e-9)), int(np.floor(band[1] * n + 1e-9))
    return float(stats.binom.cdf(k_hi, n, p) - stats.binom.cdf(k_lo - 1, n, p))


def _records(name: str) -> dict[str, np.ndarray]:
    """Per series × horizon (NaN-padded): outcome, ensemble point and 80 % range, drift point, Theta's sMAPE."""
    series = sets.SETS[name].load()
    base = run._baselines_of(name, series, jobs=1, fresh=False)
    hmax = max(len(s.xx) for s in series)
    out = {k: np.full((len(series), hmax), np.nan) for k in ("y", "point", "lo80", "hi80", "drift", "theta_smape")}
    for i, s in enumerate(series):
        k = len(s.xx)
        r = methods.ensemble(s.x, k)
        out["y"][i, :k] = s.xx
        for key in ("point", "lo80", "hi80"):
            out[key][i, :k] = r[key]
        out["drift"][i, :k] = methods.drift(s.x, k)["point"]
        out["theta_smape"][i, :k] = base[i]["theta_sm"]["smape"]
    return out


def _smape(y: np.ndarray, f: np.ndarray) -> float:
    """The benchmark's sMAPE: per series the mean over its horizons, then the mean over series."""
    term = 200 * np.abs(y - f) / (np.abs(y) + np.abs(f))
    return float(np.mean(np.nanmean(term, axis=1)))


def coverage_by_h(rec: dict[str, np.ndarray], c: float) -> np.ndarray:
    """80 % coverage per horizon with both half-widths multiplied by c about the point."""
    lo = rec["point"] - c * (rec["point"] - rec["lo80"])
    hi = rec["point"] + c * (rec["hi80"] - rec["point"])
    inside = np.where(np.isnan(rec["y"]), np.nan, (rec["y"] >= lo) & (rec["y"] <= hi))
    return np.nanmean(inside, axis=0)


def factor_intervals(rec: dict[str, np.ndarray]) -> list[tuple[float | None, float | None]]:
    """Per horizon, the smallest and largest factor on the grid with 80 % coverage in 75-85 % (None: none does)."""
    cov = np.array([coverage_by_h(rec, c) for c in FACTORS])  # factors × horizons
    out = []
    for h in range(cov.shape[1]):
        ok = (cov[:, h] >= BAND80[0]) & (cov[:, h] <= BAND80[1])
        out.append((float(FACTORS[ok].min()), float(FACTORS[ok].max())) if ok.any() else (None, None))
    return out


def shared_factor(per_set: dict, names: list[str]) -> list[dict]:
    """Per horizon: the largest lower and smallest upper end of the sets' factor intervals, and who sets them."""
    out = []
    for h in range(max(per_set[n]["horizons"] for n in names)):
        ivs = {n: per_set[n]["factor80_by_h"][h] for n in names if h < per_set[n]["horizons"]}
        fits = {n: iv for n, iv in ivs.items() if iv[0] is not None}
        lo_set = max(fits, key=lambda n: fits[n][0])
        hi_set = min(fits, key=lambda n: fits[n][1])
        none = [n for n, iv in ivs.items() if iv[0] is None]
        out.append({"h": h + 1, "max_lower": fits[lo_set][0], "max_lower_set": lo_set,
                    "min_upper": fits[hi_set][1], "min_upper_set": hi_set,
                    "feasible": fits[lo_set][0] <= fits[hi_set][1] and not none, "no_factor_fits": none})
    return out


def main() -> None:
    names = [n for n in sets.SETS if n not in sets.SUPERSEDED and n not in sets.TUNING_SETS]
    result: dict = {"schema": "annual-feasibility/1", "sets": {}, "band80": BAND80, "band95": BAND95}
    for name in names:
        rec = _records(name)
        n, hmax = rec["y"].shape
        mix = {float(lam): _smape(rec["y"], (1 - lam) * rec["point"] + lam * rec["drift"]) for lam in LAMBDAS}
        result["sets"][name] = {
            "series": n,
            "horizons": hmax,
            "p_pass80_one_horizon": pass_probability(n, 0.8, BAND80),
            "p_pass80_all_horizons_if_independent": pass_probability(n, 0.8, BAND80) ** hmax,
            "p_pass95_all_independent": pass_probability(n * hmax, 0.95, BAND95),
            "cov80_by_h": coverage_by_h(rec, 1.0).round(4).tolist(),
            "factor80_by_h": factor_intervals(rec),
            "smape_drift": _smape(rec["y"], rec["drift"]),
            "smape_theta": float(np.mean(np.nanmean(rec["theta_smape"], axis=1))),
            "smape_by_drift_share": mix,
        }
        print(f"{name}: {n} series", file=sys.stderr)
    pooled = [n for n in names if n not in sets.EARLIER_TUNING]
    result["pooled_sets"] = pooled
    # B: the shared factor's feasible interval per horizon, over the pooled sets and over the large ones only
    # (where a perfect forecaster would land in the band at a horizon with probability ≥ 0.9: sampling aside)
    large = [n for n in pooled if result["sets"][n]["p_pass80_one_horizon"] >= 0.9]
    result["large_sets"] = large
    result["shared_factor80"] = shared_factor(result["sets"], pooled)
    result["shared_factor80_large_sets"] = shared_factor(result["sets"], large)
    # C: one λ for every pooled set
    ok_lams = [float(lam) for lam in LAMBDAS
               if all(result["sets"][n]["smape_by_drift_share"][float(lam)]
                      < min(result["sets"][n]["smape_drift"], result["sets"][n]["smape_theta"]) for n in pooled)]
    result["shared_drift_share_beating_both"] = ok_lams
    out = ROOT / "bench" / "results" / "annual_feasibility.json"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(markdown(result))


def markdown(res: dict) -> str:
    lines = ["| set | series | P(perfect 80 % in 75-85 %): one horizon / all, if independent | P(perfect 95 % in 92-97 %) | "
             "80 % coverage by h | factors c giving 75-85 % by h | sMAPE drift / Theta | best λ (sMAPE) |",
             "|---|---|---|---|---|---|---|---|"]
    for name, s in res["sets"].items():
        cov = " ".join(f"{100 * v:.0f}" for v in s["cov80_by_h"])
        fac = " ".join("none" if lo is None else f"{lo:.2f}-{hi:.2f}" for lo, hi in s["factor80_by_h"])
        best = min(s["smape_by_drift_share"].items(), key=lambda kv: kv[1])
        lines.append(f"| `{name}` | {s['series']} | {s['p_pass80_one_horizon']:.2f} / "
                     f"{s['p_pass80_all_horizons_if_independent']:.2f} | "
                     f"{s['p_pass95_all_independent']:.2f} | {cov} | {fac} | "
                     f"{s['smape_drift']:.2f} / {s['smape_theta']:.2f} | {best[0]:.2f} ({best[1]:.2f}) |")
    for key, title in (("shared_factor80", "pooled sets"), ("shared_factor80_large_sets", "large sets only")):
        lines += ["", f"Shared factor per horizon ({title}): " + "; ".join(
            f"h{r['h']}: c ≥ {r['max_lower']:.2f} ({r['max_lower_set']}) and c ≤ {r['min_upper']:.2f} "
            f"({r['min_upper_set']})"
            + (f" (no factor fits {', '.join(r['no_factor_fits'])})" if r["no_factor_fits"] else "")
            + (" — feasible" if r["feasible"] else " — infeasible") for r in res[key])]
    lines += ["", "One drift share λ beating drift and Theta on every pooled set: "
        + (", ".join(f"{x:.2f}" for x in res["shared_drift_share_beating_both"]) or "none")]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
