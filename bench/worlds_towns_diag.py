"""Diagnosis of the towns' share forecasts on the TUNING seeds (bench/worlds.md, revision 4, towns' part).

Run (after ``bench/worlds_tune.py`` has cached the worlds): ``.venv/bin/python bench/worlds_towns_diag.py
--cache /tmp/towns4-cache --out /tmp/towns4-out/diag-base.json [--variant base]``. For every cached world, meeting
before the final review, share target and town: the stated distribution of the town's 2024 share
(``shares.forecast_share(...).town_sims``, the same stream as a briefing), its final value, the PIT (where the
final value falls in the stated distribution), the town's size, and the world's true breaks of that town
(``WORLD.json``'s truth, redrawn from the seed) split into those before the meeting's data and those after it
(the *future* breaks the forecast cannot know of). Seeds reported in ``bench/worlds.md`` are refused.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import worlds_tune as T  # noqa: E402

from helpers.calendar import STATS_LAG_DAYS, meetings  # noqa: E402
from helpers.forecast import shares  # noqa: E402
from helpers.forecast.registry import stream  # noqa: E402
from helpers.sample.world import draw  # noqa: E402
from helpers.targets import load_plan  # noqa: E402
from helpers.towns import DISTRICT  # noqa: E402


def _final_shares(industry: pd.DataFrame, num: str, den: str, cut, year: int) -> dict[str, float]:
    y = shares.known_ytd(industry, pd.Timestamp(cut))
    y = y.loc[(y["year"] == year) & (y["month"] == 12) & (y["town"] != DISTRICT)]
    w = y.pivot_table(index="town", columns="indicator", values="value", aggfunc="sum")
    return {str(t): float(100 * w.loc[t, num] / w.loc[t, den]) for t in w.index if w.loc[t, den] > 0}


def one(job: tuple[int, str, Path]) -> list[dict]:
    seed, variant, cache = job
    T._apply(variant)
    data = pickle.loads((cache / f"{seed}.pkl").read_bytes())
    world = draw(seed)
    plan = load_plan()
    ms = meetings(plan)
    final = ms[-1]
    rows = []
    for t in plan.scored:
        if t.measure != "ytd_ratio":
            continue
        fy = t.deadline.year
        truth = _final_shares(data.industry, t.numerator, t.denominator, final.cut_off, fy)
        for m in ms[:-1]:
            sf = shares.forecast_share(data.industry, t.numerator, t.denominator, m.cut_off, fy, stream(0, t), 2000)
            size = sf.by_town.set_index("town")
            ytd = shares.known_ytd(data.industry, pd.Timestamp(m.cut_off))
            last = ytd.loc[ytd["year"] <= fy, ["year", "month"]].max()
            den_now = ytd.loc[(ytd["indicator"] == t.denominator) & (ytd["year"] == last["year"])
                              & (ytd["month"] == ytd.loc[ytd["year"] == last["year"], "month"].max())]
            dsum = den_now.loc[den_now["town"] != DISTRICT].groupby("town")["value"].sum()
            data_end = int(sf.latest_date.year) * 12 + sf.latest_date.month
            for town, x in sf.town_sims.items():
                if town not in truth:
                    continue
                v = truth[town]
                mine = [b for b in world.breaks if b.town == town and b.indicator in (t.numerator, t.denominator)]
                past = [b for b in mine if b.year * 12 + b.month <= data_end]
                future = [b for b in mine if data_end < b.year * 12 + b.month <= fy * 12 + 12]
                found = sf.breaks.loc[sf.breaks["town"].astype(str) == town]
                lo, hi = np.quantile(x, (0.1, 0.9))
                rows.append({
                    "world": seed, "meeting": m.id, "target": t.id, "town": town,
                    "p_reach": float(np.mean(t.reached(x))), "reached": bool(t.reached(v)),
                    "median": float(np.median(x)), "lo80": float(lo), "hi80": float(hi), "final": v,
                    "goal": float(t.value), "inside80": bool(lo <= v <= hi),
                    "pit": float(np.mean(x < v) + 0.5 * np.mean(x == v)),
                    "latest": float(size.loc[town, "latest_value"]) if town in size.index else np.nan,
                    "weight": float(dsum.get(town, np.nan) / dsum.sum()),
                    "past_break": ",".join(b.kind for b in past), "future_break": ",".join(b.kind for b in future),
                    "future_size": float(sum(b.size for b in future)),
                    "found_breaks": int(len(found)), "last_month": int(sf.latest_date.month),
                })
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worlds", type=int, default=100)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--variant", default="base", choices=sorted(T.VARIANTS))
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    seeds = list(range(args.first_seed, args.first_seed + args.worlds))
    if any(lo <= s <= hi for s in seeds for lo, hi in T.REPORTED) or max(seeds) >= 5000:
        raise SystemExit("reported seeds are never used for tuning (bench/worlds.md)")
    rows = [r for s in seeds for r in one((s, args.variant, args.cache))]
    args.out.write_text(json.dumps(rows))
    print(f"{len(rows)} town rows ({STATS_LAG_DAYS}-day lag) -> {args.out}")


if __name__ == "__main__":
    main()
