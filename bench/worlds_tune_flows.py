"""Reduced tuning harness of revision 6 (bench/worlds.md): task_flow and task_cumulative only, on TUNING seeds.

The towns' quota forecasts are left out (speed), the worlds are read from the tuning cache of
``bench/worlds_tune.py`` (which writes them). Run: ``.venv/bin/python bench/worlds_tune_flows.py random|stress
FIRST LAST OUT.json [march]``: the September meetings with each variant of ``VARIANTS`` (the only meetings the
within-year pooled shock changes), or with ``march`` the March meetings once (identical for every variant).
Same scoring as ``bench/worlds_tune.py`` (``worlds.outcome``, ``worlds.inside80``).
"""

from __future__ import annotations

import json
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import worlds as W  # noqa: E402
import worlds_tune  # noqa: E402

from helpers.calendar import meetings  # noqa: E402
from helpers.forecast import flow_scores, priors  # noqa: E402
from helpers.forecast.registry import attain, stream  # noqa: E402
from helpers.targets import load_plan  # noqa: E402
from helpers.vintage import as_of  # noqa: E402

#: the within-year shock's timing sd; 1e4 leaves the shock at its prior (revision 5)
VARIANTS = {"before": priors.Priors(shock_timing_sd=1e4), "t05": priors.Priors(shock_timing_sd=0.05),
            "t10": priors.Priors(shock_timing_sd=0.1), "t20": priors.Priors(shock_timing_sd=0.2)}
CACHE = Path(tempfile.gettempdir()) / "gaoqi-worlds-cache"


def main(family: str, first: int, last: int, out: Path, march: bool) -> None:
    if any(lo <= s <= hi for s in range(first, last) for lo, hi in worlds_tune.REPORTED):
        raise SystemExit("reported seeds are never used for tuning (bench/worlds.md)")
    flow_scores.town_quotas = lambda *a, **k: None  # the towns' quotas are not scored here (speed)
    plan = load_plan()
    ms = meetings(plan)
    final = ms[-1]
    targets = [t for t in plan.scored if t.measure in ("task_flow", "task_cumulative")]
    variants = {"t20": priors.Priors()} if march else VARIANTS
    rows: list[dict] = []
    for seed in range(first, last):
        f = CACHE / (f"{seed}.pkl" if family == "random" else f"{family}-{seed}.pkl")
        if not f.exists():
            print("not in the cache (run bench/worlds_tune.py first):", f, flush=True)
            continue
        data = pickle.loads(f.read_bytes())
        fd = as_of(data, final.cut_off)
        truth = {t.id: attain(t, fd, plan, final, stream(0, t)) for t in targets}
        for m in ms[:-1]:
            if (m.cut_off.month < 7) != march:
                continue
            for name, pr in variants.items():
                priors.PRIORS = pr
                d = as_of(data, m.cut_off)
                for t in targets:
                    a = attain(t, d, plan, m, stream(0, t))
                    if a.deadline.year != final.focus_year or a.p_reach is None:
                        continue
                    reached = W.outcome(truth[a.id], plan.target(a.id))
                    if reached is None:
                        continue
                    rows.append({"world": seed, "variant": name, "meeting": m.id, "target": a.id,
                                 "measure": a.measure, "p_reach": float(a.p_reach), "reached": bool(reached),
                                 "inside80": W.inside80(a, truth[a.id]), "point": a.forecast_point,
                                 "final": truth[a.id].latest_value})
        out.write_text(json.dumps(rows, default=str))
        print("done", seed, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5:] == ["march"])
