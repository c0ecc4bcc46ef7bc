"""Why the task flows' local level stays hand-written: statsmodels' ``UnobservedComponents`` against
``flow.local_level`` on the same series - speed, and what each can express.

Run: ``.venv/bin/python bench/local_level.py [--series 200]``. Series: five or six yearly counts of flows from a
few a year to a few hundred (random walks in log with Poisson counts, seeded), as the task returns have.

What is compared:
- ``flow.local_level``: a Kalman filter with a *known* yearly level shock (``flow.LEVEL_Q``) and a *known*, level-
  dependent Poisson noise per year (1 / rate): nothing is estimated from the five counts;
- ``UnobservedComponents(log(count + ½), "local level")`` fitted by maximum likelihood (both variances estimated
  from the five counts, one constant irregular variance for all years) - the well-kept statsmodels model;
- the same with both variances fixed at the hand filter's values (``fit_constrained``), which is as close as the
  statsmodels model gets to ours (its irregular variance is still one constant, not 1 / rate per year).
Prints the time per series and the median absolute difference of the last level from the hand filter's.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.structural import UnobservedComponents

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers.forecast import flow  # noqa: E402


def series(rng: np.random.Generator, n: int) -> list[pd.Series]:
    out = []
    for _ in range(n):
        level = np.log(rng.choice([3, 10, 40, 150, 400])) + np.cumsum(rng.normal(0.05, 0.15, size=6))
        out.append(pd.Series(rng.poisson(np.exp(level)).astype(float), index=range(2018, 2024)))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=200)
    args = ap.parse_args(argv)
    xs = series(np.random.default_rng(0), args.series)
    t0 = time.perf_counter()
    hand = [flow.local_level(x, 0.0, flow.LEVEL_Q)[0] for x in xs]
    t_hand = (time.perf_counter() - t0) / len(xs)
    mle, fixed = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        for x in xs:
            res = UnobservedComponents(np.log(x.to_numpy() + 0.5), "local level").fit(disp=False)
            mle.append(float(res.smoothed_state[0, -1]))
        t_mle = (time.perf_counter() - t0) / len(xs)
        t0 = time.perf_counter()
        for x in xs:
            m = UnobservedComponents(np.log(x.to_numpy() + 0.5), "local level")
            noise = 1 / max(float(x.mean()), 0.5)
            res = m.fit_constrained({"sigma2.irregular": noise, "sigma2.level": flow.LEVEL_Q}, disp=False)
            fixed.append(float(res.smoothed_state[0, -1]))
        t_fixed = (time.perf_counter() - t0) / len(xs)
    h = np.array(hand)
    print(f"{len(xs)} series of 6 yearly counts")
    print(f"hand filter (flow.local_level): {1e6 * t_hand:9.1f} µs per series")
    print(f"UnobservedComponents, MLE:      {1e6 * t_mle:9.1f} µs per series; last level vs hand: median |Δ| "
          f"{np.median(np.abs(np.array(mle) - h)):.3f} (log)")
    print(f"UnobservedComponents, fixed:    {1e6 * t_fixed:9.1f} µs per series; last level vs hand: median |Δ| "
          f"{np.median(np.abs(np.array(fixed) - h)):.3f} (log)")


if __name__ == "__main__":
    main()
