"""Scores by kind, not pooled away (issue 22, item 3): Brier, base rate, bands and 80 % coverage per measure, per
meeting and per stress family, with the issue's goals checked row by row.

Why apart from ``bench/worlds.py``: the pooled Brier score of ~58 rows a world hides what a shock does to the few
rows it touches (0.104 against 0.102 pooled while one measure lost all skill). Every scored row carries a *kind*:

- ``register_valid_stock`` (the valid-firm count), ``ytd_ratio:<target>`` (each share of the plan), the task kinds
  (``task_flow``, ``task_cumulative``, ``task_stock``, ``milestone``, ``coverage``, ``town_growth`` …: the measure
  the plan gives the target);
- ``town_share:<target>``: a town's probability that its full-year share reaches the district target;
- ``town_quota:<target>``: a town's probability of reaching its own quota or growth goal (the towns' column on every
  briefing, scored here for the first time).

A table row is one kind (or kind × meeting, or kind within the worlds that drew a stress family): n, Brier, base
rate (the constant base-rate forecast's Brier, = the outcomes' variance), skill = 1 − Brier / base rate, the
observed frequency, reliability, the largest band gap, and the share of final values inside the 80 % range (rows
with a range only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BANDS = np.round(np.linspace(0, 1, 11), 2)
#: the issue's goals (bench/worlds.md, protocol of issue 22): skill over the base rate, by family of worlds
SKILL_GOAL = {"random": 0.30, "stress": 0.15}
COVERAGE_GOAL = (0.70, 0.90)
VALID_FIRMS_COVERAGE_GOAL = (0.75, 0.85)  # free worlds only
VALID_FIRMS = "register_valid_stock"
#: a kind is held to the goals from this many rows
GOAL_MIN_ROWS = 100


def kind_of(measure: str, target: str) -> str:
    """The row's kind: the measure, with the target for shares (each share is its own measure)."""
    return f"ytd_ratio:{target}" if measure == "ytd_ratio" else measure


def score(p: np.ndarray, o: np.ndarray, inside: pd.Series | None = None) -> dict:
    """Brier, base rate, skill, reliability, the largest band gap and 80 % coverage of one group of rows."""
    n = len(p)
    freq = float(o.mean())
    unc = freq * (1 - freq)
    brier = float(np.mean((p - o) ** 2))
    band = np.clip(np.digitize(p, BANDS[1:-1], right=False), 0, len(BANDS) - 2)
    rel, gaps = 0.0, []
    for k in range(len(BANDS) - 1):
        sel = band == k
        if sel.any():
            gap = float(o[sel].mean() - p[sel].mean())
            rel += sel.sum() * gap**2 / n
            gaps.append({"band": f"{BANDS[k]:.1f}-{BANDS[k + 1]:.1f}", "n": int(sel.sum()),
                         "stated": float(p[sel].mean()), "observed": float(o[sel].mean()), "gap": gap})
    cover = inside.dropna() if inside is not None else pd.Series(dtype=float)
    return {"n": n, "brier": brier, "base_rate": unc, "frequency": freq,
            "skill": (1 - brier / unc) if unc > 0 else None, "reliability": rel,
            "largest_gap": max((abs(g["gap"]) for g in gaps), default=None), "bands": gaps,
            "n_ranges": int(len(cover)), "coverage80": float(cover.astype(float).mean()) if len(cover) else None}


def table(df: pd.DataFrame, by: list[str]) -> list[dict]:
    """One scored row per group of ``by`` (e.g. ``["kind"]`` or ``["kind", "meeting"]``), sorted."""
    out = []
    for keys, g in df.groupby(by, sort=True):
        keys = keys if isinstance(keys, tuple) else (keys,)
        s = score(g["p_reach"].to_numpy(float), g["reached"].to_numpy(float),
                  g.get("inside80"))
        out.append(dict(zip(by, keys, strict=True)) | s)
    return out


def family_tables(df: pd.DataFrame, families: list[str]) -> dict[str, dict]:
    """Per stress family: the kinds scored on the worlds that drew it, and on those that did not (the contrast)."""
    out = {}
    for fam in families:
        has = df["families"].map(lambda fs, f=fam: f in fs)
        out[fam] = {"worlds_with": int(df.loc[has, "world"].nunique()),
                    "with": table(df[has], ["kind"]) if has.any() else [],
                    "without": table(df[~has], ["kind"]) if (~has).any() else []}
    return out


def goals(kinds: list[dict], family: str, by_family: dict[str, dict] | None = None) -> dict:
    """The issue's goals, kind by kind (kinds with at least ``GOAL_MIN_ROWS`` rows): skill ≥ 30 % (free) / 15 %
    (stress); 80 % ranges covering 70-90 %; the valid-firm count covering 75-85 % on free worlds; no stress family
    leaving any kind worse than its base rate (skill < 0)."""
    rows = []
    for k in kinds:
        if k["n"] < GOAL_MIN_ROWS:
            continue
        skill_ok = None if k["skill"] is None else bool(k["skill"] >= SKILL_GOAL[family])
        lo, hi = VALID_FIRMS_COVERAGE_GOAL if (k["kind"] == VALID_FIRMS and family == "random") else COVERAGE_GOAL
        cover_ok = None if k["coverage80"] is None or k["n_ranges"] < GOAL_MIN_ROWS else bool(lo <= k["coverage80"] <= hi)
        rows.append({"kind": k["kind"], "n": k["n"], "skill": k["skill"], "skill_met": skill_ok,
                     "coverage80": k["coverage80"], "coverage_band": [lo, hi], "coverage_met": cover_ok})
    worse = []
    for fam, t in (by_family or {}).items():
        worse += [{"family": fam, "kind": k["kind"], "n": k["n"], "skill": k["skill"]}
                  for k in t["with"] if k["skill"] is not None and k["skill"] < 0]
    return {"by_kind": rows, "families_worse_than_base_rate": worse,
            "all_met": all(r["skill_met"] is not False and r["coverage_met"] is not False for r in rows)
            and not worse}


def markdown(kinds: list[dict], first: str = "kind") -> list[str]:
    """A Markdown table of scored rows (for bench/worlds.md and the console)."""
    def f(v, fmt):
        return "—" if v is None else format(v, fmt)

    lines = [f"| {first} | n | Brier | base rate | skill | frequency | REL | largest gap | 80 % cover (n) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for k in kinds:
        lines.append(f"| {k[first]} | {k['n']} | {k['brier']:.3f} | {k['base_rate']:.3f} | {f(k['skill'], '.0%')} | "
                     f"{k['frequency']:.2f} | {k['reliability']:.4f} | {f(k['largest_gap'], '.2f')} | "
                     f"{f(k['coverage80'], '.0%')} ({k['n_ranges']}) |")
    return lines
