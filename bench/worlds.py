"""Score the attainment probabilities in free or stress worlds: every meeting's p_reach against the final review.

Run: ``.venv/bin/python bench/worlds.py [--family random|stress] [--worlds 100] [--first-seed 1000] [--jobs 2]``
(protocol in ``bench/worlds.md``). For each world seed: ``gaoqi sample --world <family>`` into a temporary folder, the clean
step's ``build`` (nothing written), then for every meeting of the plan ``attain_all(as_of(data, cut_off))``;
the outcome of each target of the focus year is what the final review (the last meeting) knows, judged by the
one rule (``Target.reached``). Scores: Brier score with Murphy's decomposition (reliability, resolution,
uncertainty), a reliability table by probability band, both by measure and by meeting; 80 % range coverage.
Towns' share probabilities (a town's full-year share reaching the district target) are scored apart, and so are
the towns' quota probabilities (each town's own quota or growth goal). Every row carries its kind and, in stress
worlds, the families its world drew: ``bench/worlds_kinds.py`` scores each kind, each kind at each meeting, and each
kind within the worlds of each stress family (issue 22).
Breaks: the share detector (``forecast.shares.share_breaks``) at every month-end release against the world's
truth (``WORLD.json``): false alarms in shares without a break, detection delay and dating error for each break.
Writes ``bench/results/worlds.json`` (free worlds) or ``bench/results/worlds-stress.json`` (``--out`` to choose),
the rows in ``reports/bench/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import worlds_kinds as K  # noqa: E402

from helpers.calendar import STATS_LAG_DAYS, meetings  # noqa: E402
from helpers.clean import build  # noqa: E402
from helpers.forecast import attain_all  # noqa: E402
from helpers.forecast.priors import MODEL_REVISION  # noqa: E402
from helpers.forecast.shares import known_ytd, share_breaks  # noqa: E402
from helpers.sample import WORLD_FILE, write_sample  # noqa: E402
from helpers.targets import load_plan  # noqa: E402
from helpers.targets import reached as reached_rule  # noqa: E402
from helpers.vintage import as_of  # noqa: E402

BANDS = np.round(np.linspace(0, 1, 11), 2)
#: a detected break matches a true one in the same town, of the same kind, within this many months
MATCH_MONTHS = 3
#: months of data after a break within which detection is looked for
DELAY_HORIZON = 12
#: which indicator each kind of true break hits
KIND_INDICATOR = {"denominator_jump": "den", "level_shift": "num"}


def _month(y: int, m: int) -> int:
    return y * 12 + m - 1


def _release(y: int, m: int) -> pd.Timestamp:
    end = pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)
    return end + pd.Timedelta(days=STATS_LAG_DAYS)


FAMILIES = ("random", "stress")


def cached_world(seed: int, family: str = "random", cache: Path | None = None, breaks: bool = True) -> dict:
    """``one_world``, read from ``cache`` when this world was scored there before, else scored and written there
    (so a long run can be stopped and resumed, or scored on the worlds done so far)."""
    if cache is None:
        return one_world(seed, family, breaks)
    path = cache / f"{family}-{seed}{'' if breaks else '-nobreaks'}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    result = one_world(seed, family, breaks)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, default=str), encoding="utf-8")
    tmp.replace(path)
    return result


def one_world(seed: int, family: str = "random", breaks: bool = True) -> dict:
    """Forecast rows and break findings of the world ``seed`` of ``family`` (free: ``random``; or ``stress``);
    ``breaks=False`` leaves the break detector's record out (it costs about as much as the forecasts)."""
    plan = load_plan()
    ms = meetings(plan)
    final = ms[-1]
    with tempfile.TemporaryDirectory(prefix=f"world{seed}-") as tmp:
        raw = Path(tmp)
        write_sample(raw / "sample", seed=seed, world=family)
        truth_file = json.loads((raw / "sample" / WORLD_FILE).read_text(encoding="utf-8"))
        data, _ = build(raw)
    drawn = list(truth_file.get("families", []))
    truth = {a.id: a for a in attain_all(as_of(data, final.cut_off), plan, final, seed=0)}
    rows: list[dict] = []
    town_rows: list[dict] = []
    quota_rows: list[dict] = []
    for m in ms[:-1]:
        for a in attain_all(as_of(data, m.cut_off), plan, m, seed=0):
            if a.deadline.year != final.focus_year or a.p_reach is None:
                continue
            fa = truth[a.id]
            reached = outcome(fa, plan.target(a.id))
            if reached is None:
                continue
            inside = inside80(a, fa)
            rows.append({"world": seed, "meeting": m.id, "target": a.id, "measure": a.measure,
                         "kind": K.kind_of(a.measure, a.id), "families": drawn,
                         "p_reach": float(a.p_reach), "reached": bool(reached), "inside80": inside})
            town_rows += [r | {"families": drawn} for r in _town_rows(seed, m.id, a, fa, plan.target(a.id))]
            quota_rows += [r | {"families": drawn} for r in _town_quota_rows(seed, m.id, a, fa, plan.target(a.id))]
    return {"seed": seed, "family": family, "families": drawn, "rows": rows, "town_rows": town_rows,
            "quota_rows": quota_rows,
            "breaks": _break_findings(data, plan, truth_file["breaks"], final.cut_off) if breaks else []}


def outcome(final, target) -> bool | None:
    """Whether the target was reached, as the final review knows it (its status, else the one rule on its
    latest value); None when the final review cannot tell."""
    reached = {"achieved": True, "missed": False}.get(final.status)
    if reached is None and final.latest_value is not None:
        reached = bool(target.reached(final.latest_value))
    return reached


def inside80(a, final) -> bool | None:
    """Whether the final value fell inside the forecast's 80 % range (None without a range or a final value)."""
    if a.forecast_lo80 is None or final.latest_value is None:
        return None
    return bool(a.forecast_lo80 <= final.latest_value <= a.forecast_hi80)


def _town_rows(seed: int, meeting: str, a, final, target) -> list[dict]:
    """Per town of a share target: the stated probability that the town's full-year share reaches the district
    target, against the town's full-year share the final review knows (towns have no target of their own)."""
    if a.measure != "ytd_ratio" or a.by_town is None or final.by_town is None or "p_reach" not in a.by_town:
        return []
    known = final.by_town.set_index("town")["latest_value"]
    out = []
    for r in a.by_town.itertuples(index=False):
        value = known.get(r.town)
        if not np.isfinite(r.p_reach) or value is None or not np.isfinite(value):
            continue
        out.append({"world": seed, "meeting": meeting, "target": a.id, "town": r.town, "p_reach": float(r.p_reach),
                    "reached": bool(target.reached(float(value))), "kind": f"town_share:{a.id}",
                    "inside80": bool(r.lo80 <= value <= r.hi80)})
    return out


def _town_quota_rows(seed: int, meeting: str, a, final, target) -> list[dict]:
    """Per town of a target with towns' quotas or growth goals: the stated probability that the town reaches its own
    goal (the towns' column of every briefing), against what the final review knows of the town: its status, else
    its latest value against its goal by the one rule (``targets.reached``). Units without a goal state none."""
    if not (target.town_quota or target.town_growth_pct) or a.by_town is None or final.by_town is None \
            or "p_reach" not in a.by_town:
        return []
    known = final.by_town.set_index("town")
    out = []
    for r in a.by_town.itertuples(index=False):
        p = pd.to_numeric(r.p_reach, errors="coerce")
        if not np.isfinite(p) or r.town not in known.index:
            continue
        fin = known.loc[r.town]
        reached = {"achieved": True, "missed": False}.get(str(fin.get("status")))
        value, goal = pd.to_numeric(fin.get("latest_value"), errors="coerce"), pd.to_numeric(fin.get("target"),
                                                                                             errors="coerce")
        if reached is None and np.isfinite(value) and np.isfinite(goal):
            reached = bool(reached_rule(float(value), float(goal), target.direction))
        if reached is None:
            continue
        lo, hi = getattr(r, "lo80", None), getattr(r, "hi80", None)
        inside = (bool(lo <= value <= hi) if lo is not None and hi is not None and np.isfinite(value)
                  and np.isfinite(lo) and np.isfinite(hi) else None)
        out.append({"world": seed, "meeting": meeting, "target": a.id, "town": r.town, "p_reach": float(p),
                    "reached": reached, "kind": f"town_quota:{a.id}", "inside80": inside})
    return out


def _break_findings(data, plan, true_breaks: list[dict], final_cut: dt.date) -> list[dict]:
    """Per share (numerator/denominator pair of the plan): what the detector finds with all data, matched to the
    truth; and for each true break the first month-end release at which it is found."""
    pairs = sorted({(t.numerator, t.denominator) for t in plan.scored if t.numerator and t.denominator})
    out = []
    for num, den in pairs:
        names = {"num": num, "den": den}
        mine = [b for b in true_breaks if names[KIND_INDICATOR[b["kind"]]] == b["indicator"]]
        found = share_breaks(known_ytd(data.industry, pd.Timestamp(final_cut)), num, den)
        found_list = found[["year", "month", "town", "kind"]].to_dict("records")
        matched = [_match(b, found_list) for b in mine]
        false = [f for f in found_list if not any(_same(b, f) for b in mine)]
        events = []
        for b, hit in zip(mine, matched, strict=True):
            first = None
            if _release(b["year"], b["month"]) <= pd.Timestamp(final_cut):
                for k in range(DELAY_HORIZON + 1):
                    y, m0 = divmod(_month(b["year"], b["month"]) + k, 12)
                    cut = _release(y, m0 + 1)
                    if cut > pd.Timestamp(final_cut):
                        break
                    now = share_breaks(known_ytd(data.industry, cut), num, den)
                    if any(_same(b, f) for f in now[["year", "month", "town", "kind"]].to_dict("records")):
                        first = k
                        break
            events.append({"kind": b["kind"], "town": b["town"], "year": b["year"], "month": b["month"],
                           "size": b["size"], "found_at_final": hit is not None,
                           "dating_error_months": None if hit is None else
                           _month(hit["year"], hit["month"]) - _month(b["year"], b["month"]),
                           "delay_months": first})
        out.append({"share": f"{num}/{den}", "true_breaks": len(mine), "detected": len(found_list),
                    "false_alarms": len(false), "events": events})
    return out


def _same(b: dict, f: dict) -> bool:
    return (b["town"] == f["town"] and b["kind"] == f["kind"]
            and abs(_month(int(f["year"]), int(f["month"])) - _month(b["year"], b["month"])) <= MATCH_MONTHS)


def _match(b: dict, found: list[dict]) -> dict | None:
    return next((f for f in found if _same(b, f)), None)


# ------------------------------------------------------------------------------------------------ scores
def brier_decomposition(p: np.ndarray, o: np.ndarray) -> dict:
    """Brier score and Murphy's decomposition over the probability bands (BS ≈ REL − RES + UNC)."""
    n = len(p)
    base = float(o.mean())
    band = np.clip(np.digitize(p, BANDS[1:-1], right=False), 0, len(BANDS) - 2)
    rel = res = 0.0
    table = []
    for k in range(len(BANDS) - 1):
        sel = band == k
        if not sel.any():
            continue
        pk, ok, nk = float(p[sel].mean()), float(o[sel].mean()), int(sel.sum())
        rel += nk * (pk - ok) ** 2 / n
        res += nk * (ok - base) ** 2 / n
        table.append({"band": f"{BANDS[k]:.1f}-{BANDS[k + 1]:.1f}", "n": nk, "stated": pk, "observed": ok,
                      "gap": ok - pk, "within_0.10": abs(ok - pk) <= 0.10})
    bs = float(np.mean((p - o) ** 2))
    unc = base * (1 - base)
    return {"n": n, "brier": bs, "reliability": rel, "resolution": res, "uncertainty": unc,
            "base_rate": base, "skill_vs_base_rate": 1 - bs / unc if unc > 0 else None, "bands": table,
            "every_band_within_0.10": all(r["within_0.10"] for r in table)}


def band_gap_spread(rows: list[dict], draws: int = 1000, seed: int = 0) -> dict:
    """How much the band gaps owe to which worlds were drawn: worlds resampled with replacement (all of a world's
    probabilities together, since they share one history), the 5th-95th percentiles of each band's gap and of the
    widest gap. A widest gap of 0.08 whose interval reaches past 0.10 is a goal met with no margin."""
    df = pd.DataFrame(rows)
    worlds = np.array(sorted(df["world"].unique()))
    band = np.clip(np.digitize(df["p_reach"].to_numpy(float), BANDS[1:-1], right=False), 0, len(BANDS) - 2)
    n_bands = len(BANDS) - 1
    # per world and band: count, sum of stated probabilities, sum of outcomes (resampling adds these up)
    index = {w: i for i, w in enumerate(worlds)}
    rows_world = df["world"].map(index).to_numpy()
    sums = np.zeros((3, len(worlds), n_bands))
    np.add.at(sums[0], (rows_world, band), 1.0)
    np.add.at(sums[1], (rows_world, band), df["p_reach"].to_numpy(float))
    np.add.at(sums[2], (rows_world, band), df["reached"].to_numpy(float))
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(worlds), np.full(len(worlds), 1 / len(worlds)), size=draws)  # draws × worlds
    n, stated, seen = (counts @ sums[k] for k in range(3))
    with np.errstate(invalid="ignore", divide="ignore"):
        gaps = (seen - stated) / n
    used = [k for k in range(n_bands) if np.isfinite(gaps[:, k]).any()]  # bands some draw holds
    lo, hi = np.nanpercentile(gaps[:, used], 5, axis=0), np.nanpercentile(gaps[:, used], 95, axis=0)
    widest = np.nanmax(np.abs(gaps[:, used]), axis=1)
    return {
        "draws": draws, "worlds": len(worlds),
        "bands": [{"band": f"{BANDS[k]:.1f}-{BANDS[k + 1]:.1f}", "gap_p05": float(a), "gap_p95": float(b)}
                  for k, a, b in zip(used, lo, hi, strict=True)],
        "widest_gap_p05": float(np.percentile(widest, 5)), "widest_gap_p95": float(np.percentile(widest, 95)),
    }


def scores(rows: list[dict]) -> dict:
    df = pd.DataFrame(rows)
    p, o = df["p_reach"].to_numpy(float), df["reached"].to_numpy(float)
    contested = (df["p_reach"] > 0.01) & (df["p_reach"] < 0.99)
    cover = df["inside80"].dropna()
    return {
        "all": brier_decomposition(p, o),
        "band_gap_spread": band_gap_spread(rows),
        "contested": brier_decomposition(p[contested.to_numpy()], o[contested.to_numpy()]),
        "coverage80": float(cover.mean()) if len(cover) else None,
        "by_measure": {m: brier_decomposition(g["p_reach"].to_numpy(float), g["reached"].to_numpy(float))
                       for m, g in df.groupby("measure")},
        "by_meeting": {m: brier_decomposition(g["p_reach"].to_numpy(float), g["reached"].to_numpy(float))
                       for m, g in df.groupby("meeting")},
    }


def town_scores(rows: list[dict]) -> dict:
    """The towns' share probabilities (reaching the district target), scored apart from the plan's targets."""
    if not rows:
        return {}
    df = pd.DataFrame(rows)
    p, o = df["p_reach"].to_numpy(float), df["reached"].to_numpy(float)
    contested = ((df["p_reach"] > 0.01) & (df["p_reach"] < 0.99)).to_numpy()
    return {
        "all": brier_decomposition(p, o),
        "band_gap_spread": band_gap_spread(rows),
        "contested": brier_decomposition(p[contested], o[contested]),
        "coverage80": float(df["inside80"].mean()),
        "by_meeting": {m: brier_decomposition(g["p_reach"].to_numpy(float), g["reached"].to_numpy(float))
                       for m, g in df.groupby("meeting")},
    }


def break_scores(worlds: list[dict]) -> dict:
    shares = [s for w in worlds for s in w["breaks"]]
    clean = [s for s in shares if s["true_breaks"] == 0]
    events = [e for s in shares for e in s["events"]]
    seen = [e for e in events if e["delay_months"] is not None]
    return {
        "shares_without_a_break": len(clean),
        "false_alarm_rate": float(np.mean([s["detected"] > 0 for s in clean])) if clean else None,
        "false_alarms_per_share_with_breaks": float(np.mean([s["false_alarms"] for s in shares if s["true_breaks"]]))
        if any(s["true_breaks"] for s in shares) else None,
        "true_breaks": len(events),
        "found_at_final_review": float(np.mean([e["found_at_final"] for e in events])) if events else None,
        "found_within_12_months": len(seen) / len(events) if events else None,
        "delay_months_median": float(np.median([e["delay_months"] for e in seen])) if seen else None,
        "delay_months_p90": float(np.quantile([e["delay_months"] for e in seen], 0.9)) if seen else None,
        "dated_exactly": float(np.mean([e["dating_error_months"] == 0 for e in events if e["found_at_final"]]))
        if any(e["found_at_final"] for e in events) else None,
        "dated_within_1_month": float(np.mean([abs(e["dating_error_months"]) <= 1 for e in events
                                               if e["found_at_final"]])) if any(e["found_at_final"] for e in events)
        else None,
        "by_kind": {k: {"n": sum(e["kind"] == k for e in events),
                        "found_at_final_review": float(np.mean([e["found_at_final"] for e in events if e["kind"] == k]))}
                    for k in sorted({e["kind"] for e in events})},
        "stated_release_lag_days": STATS_LAG_DAYS,
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worlds", type=int, default=100)
    ap.add_argument("--first-seed", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--family", choices=FAMILIES, default="random",
                    help="random (free worlds, the default) or stress (helpers.sample.stress)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="a folder keeping each world's rows: a stopped run resumes, a finished one re-scores at once")
    ap.add_argument("--no-breaks", action="store_true", help="leave out the break detector's record (faster)")
    ap.add_argument("--out", type=Path, default=None,
                    help="default bench/results/worlds.json (random) or bench/results/worlds-stress.json (stress)")
    args = ap.parse_args(argv)
    out = args.out or ROOT / "bench" / "results" / ("worlds.json" if args.family == "random" else "worlds-stress.json")
    seeds = list(range(args.first_seed, args.first_seed + args.worlds))
    started = time.perf_counter()
    with Pool(args.jobs) as pool:
        if args.cache:
            args.cache.mkdir(parents=True, exist_ok=True)
        worlds = pool.map(functools.partial(cached_world, family=args.family, cache=args.cache,
                                            breaks=not args.no_breaks), seeds, chunksize=1)
    rows = [r for w in worlds for r in w["rows"]]
    quota_rows = [r for w in worlds for r in w["quota_rows"]]
    every = pd.DataFrame(rows + [r for w in worlds for r in w["town_rows"]] + quota_rows)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    result = {
        "generated": dt.date.today().isoformat(), "protocol": "bench/worlds.md",
        "model_commit": commit.strip(), "model_revision": MODEL_REVISION, "family": args.family, "world_seeds": [seeds[0], seeds[-1]],
        "n_worlds": len(seeds),
        "forecast_seed": 0, "n_forecasts": len(rows), "seconds": round(time.perf_counter() - started, 1),
        "scores": scores(rows), "town_shares": town_scores([r for w in worlds for r in w["town_rows"]]),
        "town_quotas": town_scores(quota_rows),
        "breaks": break_scores(worlds),
    } | kind_scores(every, args.family, [w["families"] for w in worlds])
    text = json.dumps(result, indent=1, ensure_ascii=False, default=str)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    (ROOT / "reports" / "bench").mkdir(parents=True, exist_ok=True)
    stem = "worlds" if args.family == "random" else "worlds-stress"
    (ROOT / "reports" / "bench" / f"{stem}-rows.json").write_text(json.dumps(rows), encoding="utf-8")
    (ROOT / "reports" / "bench" / f"{stem}-town-rows.json").write_text(
        json.dumps([r for w in worlds for r in w["town_rows"]]), encoding="utf-8")
    (ROOT / "reports" / "bench" / f"{stem}-quota-rows.json").write_text(json.dumps(quota_rows), encoding="utf-8")
    s = result["scores"]["all"]
    print(f"{len(seeds)} worlds, {len(rows)} forecasts in {result['seconds']} s")
    print(f"Brier {s['brier']:.3f} (base rate {s['uncertainty']:.3f}, skill {s['skill_vs_base_rate']:.1%}); "
          f"REL {s['reliability']:.4f} RES {s['resolution']:.4f} UNC {s['uncertainty']:.4f}")
    for b in s["bands"]:
        print(f"  {b['band']}: n {b['n']:4d} stated {b['stated']:.2f} observed {b['observed']:.2f}")
    for m, v in result["scores"]["by_measure"].items():
        print(f"  {m:22} n {v['n']:4d} Brier {v['brier']:.3f} base {v['uncertainty']:.3f}")
    t = result["town_shares"].get("all")
    if t:
        print(f"town shares: n {t['n']} Brier {t['brier']:.3f} (base rate {t['uncertainty']:.3f}, "
              f"skill {t['skill_vs_base_rate']:.1%}); 80 % ranges covered {result['town_shares']['coverage80']:.0%}")
    print("breaks:", json.dumps({k: v for k, v in result["breaks"].items() if k != "by_kind"}))
    print(f"\nby kind ({args.family} worlds):")
    print("\n".join(K.markdown(result["by_kind"])))
    print("\nby kind and meeting:")
    print("\n".join(K.markdown([k | {"kind": f"{k['kind']} @ {k['meeting']}"} for k in result["by_kind_meeting"]])))
    for fam, t in result.get("by_family", {}).items():
        print(f"\nworlds with {fam} ({t['worlds_with']} of {len(seeds)}):")
        print("\n".join(K.markdown(t["with"])))
    g = result["goals"]
    print("\ngoals:", "all met" if g["all_met"] else "NOT all met",
          json.dumps([r for r in g["by_kind"] if r["skill_met"] is False or r["coverage_met"] is False]),
          json.dumps(g["families_worse_than_base_rate"]))
    return result


def kind_scores(every: pd.DataFrame, family: str, drawn: list[list[str]]) -> dict:
    """Every scored row (the plan's targets, towns' shares, towns' quotas) by kind, by kind and meeting, and (stress
    worlds) by kind within the worlds of each family; with the issue's goals (``worlds_kinds``)."""
    if every.empty:
        return {"by_kind": [], "by_kind_meeting": [], "goals": K.goals([], family)}
    kinds = K.table(every, ["kind"])
    result = {"by_kind": kinds, "by_kind_meeting": K.table(every, ["kind", "meeting"])}
    if family == "stress":
        from helpers.sample.stress import FAMILIES as STRESS_FAMILIES

        result["families_drawn"] = {f: sum(f in d for d in drawn) for f in STRESS_FAMILIES}
        result["by_family"] = K.family_tables(every, list(STRESS_FAMILIES))
    result["goals"] = K.goals(kinds, family, result.get("by_family"))
    return result


if __name__ == "__main__":
    main()
