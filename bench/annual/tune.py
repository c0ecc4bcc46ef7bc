"""Re-run the tuning of the annual ensemble's frozen settings (revision 4) — on the tuning data only.

What stands. The settings in force (``helpers.forecast.annual_settings.ANNUAL``) were frozen at revision 4 of
bench/annual/protocol.md; revisions 5-7 tried changes and kept them. This script re-scores the revision-4 choice:
each variant in ``VARIANTS`` is the frozen object with a few fields replaced (``dataclasses.replace``), passed to
``annual.forecast`` as ``settings=`` — no module global is changed. Each variant is scored with the full forecaster
on revision 4's tuning sets (``sets.TUNING_BY_REVISION[4]``: M3, the even half of M1, the even half of the fresh
frames; ``--sets`` may name other tuning sets, never a reported one), each whole and with its histories cut short,
and pooled over the whole sets; its rows are the protocol's revision-4 table.

Retired revisions (1-3 and 5-7, and revision 4's rows that need a switch that has since left the tree: drift
prior, steadiness floor, per-horizon width factors) are re-run from the commit the protocol names for each
("Re-running a retired revision").

Run: ``.venv/bin/python bench/annual/tune.py`` (every variant; a few minutes) or ``--variants LABEL …``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import methods  # noqa: E402  (puts src on the path)
import sets  # noqa: E402

from helpers.forecast import annual  # noqa: E402
from helpers.forecast.annual_settings import ANNUAL, AnnualSettings  # noqa: E402

#: revision 4's variants that the settings can still express, each as the fields it changes from the frozen
#: settings (revision 4's chosen row is the frozen object itself)
VARIANTS: dict[str, dict] = {
    "revision 2 (no floor, width 1.0)": {"horizon_floor": 0.0, "width": 1.0},
    "revision 3 (floor 0.75 h, 0.95)": {"floor_when_below": 0.0},
    "floor when s1 < 0.5 sd, 0.95": {"floor_when_below": 0.5},
    "floor when s1 < 1.0 sd, 0.95 (frozen)": {},
    "floor when s1 < 0.5 sd, 1.0": {"floor_when_below": 0.5, "width": 1.0},
    "floor when s1 < 0.75 sd, 0.95": {"floor_when_below": 0.75},
    "floor when s1 < 1.5 sd, 0.95": {"floor_when_below": 1.5},
    "floor when s1 < 1.0 sd, 1.0": {"width": 1.0},
    "floor when s1 < 1.0 sd, 0.9": {"width": 0.9},
}


def variant(label: str) -> AnnualSettings:
    """The frozen settings with the fields ``VARIANTS[label]`` changes."""
    return dataclasses.replace(ANNUAL, **VARIANTS[label])


def tuning_series(name: str) -> list[sets.Series]:
    """One tuning set's series (``sets.TUNING_SETS`` only: this script never loads a reported set)."""
    if name not in sets.TUNING_SETS:
        raise ValueError(f"{name} is not a tuning set")
    return sets.SETS[name].load()


def cut_series(series: list[sets.Series]) -> list[sets.Series]:
    """The tuning series with histories cut to their last 6 … 15 points (cycled): short series from the set alone."""
    return [sets.Series(s.sid, s.x[-(6 + i % 10):], s.xx) for i, s in enumerate(series)]


def tuning_groups(names: tuple[str, ...]) -> dict[str, list[sets.Series]]:
    """The tuning sets ``names``, each whole and with its histories cut short (``<name> cut``)."""
    groups = {}
    for name in names:
        groups[name] = tuning_series(name)
        groups[name + " cut"] = cut_series(groups[name])
    return groups


def score_group(group: list[sets.Series], settings: AnnualSettings) -> dict:
    """Ensemble and drift sMAPE / MASE, ensemble coverage by horizon and scaled interval scores (full forecaster)."""
    rows, drift_sm = [], []
    for s in group:
        fc = annual.forecast(s.x, len(s.xx), settings=settings)
        rows.append(methods.scores(s.x, s.xx, {"point": fc.point, "lo80": fc.lo80, "hi80": fc.hi80,
                                               "lo95": fc.lo95, "hi95": fc.hi95}))
        drift_sm.append(np.mean(methods.scores(s.x, s.xx, methods.drift(s.x, len(s.xx)))["smape"]))
    out = {k: float(np.mean([np.mean(r[k]) for r in rows])) for k in ("smape", "mase", "is80", "is95")}
    out["drift_smape"] = float(np.mean(drift_sm))
    for k in ("cov80", "cov95"):
        out[k] = [float(np.mean([r[k][i] for r in rows if len(r[k]) > i])) for i in range(6)]
    return out


def print_row(label: str, group: str, r: dict, label_width: int = 38, group_width: int = 15) -> None:
    """One variant's scores on one group, on one line."""
    print(f"{label:{label_width}s} {group:{group_width}s} sMAPE {r['smape']:6.2f} (drift {r['drift_smape']:6.2f}) "
          f"MASE {r['mase']:.3f} cov80 {' '.join(f'{c:.2f}' for c in r['cov80'])} "
          f"cov95 {' '.join(f'{c:.2f}' for c in r['cov95'])} IS {r['is80']:.2f} {r['is95']:.2f}", flush=True)


def pooled(res: dict[str, dict], sizes: dict[str, int]) -> dict:
    """Series-weighted scores over the whole sets, and the coverage gaps: mean absolute distance of coverage from
    80 % and 95 % over the sets and six horizons (points; lower is better)."""
    tot = sum(sizes.values())
    out = {k: sum(res[n][k] * sizes[n] for n in sizes) / tot for k in ("smape", "mase", "is80", "is95")}
    for k in ("cov80", "cov95"):
        out[k] = [sum(res[n][k][i] * sizes[n] for n in sizes) / tot for i in range(6)]
    out["gap80"] = 100 * float(np.mean([abs(res[n]["cov80"][i] - 0.8) for n in sizes for i in range(6)]))
    out["gap95"] = 100 * float(np.mean([abs(res[n]["cov95"][i] - 0.95) for n in sizes for i in range(6)]))
    return out


def compare(labels: list[str], names: tuple[str, ...]) -> None:
    """Each variant on every tuning group, then pooled over the whole sets (the protocol's revision-4 table)."""
    groups = tuning_groups(names)
    for label in labels:
        settings = variant(label)
        res = {}
        for g, series in groups.items():
            res[g] = score_group(series, settings)
            print_row(label, g, res[g])
        p = pooled(res, {n: len(groups[n]) for n in names})
        print(f"{label:38s} {'POOLED':15s} sMAPE {p['smape']:6.2f} MASE {p['mase']:.3f} "
              f"cov80 {' '.join(f'{c:.2f}' for c in p['cov80'])} cov95 {' '.join(f'{c:.2f}' for c in p['cov95'])} "
              f"IS {p['is80']:.2f} {p['is95']:.2f} gap {p['gap80']:.1f} {p['gap95']:.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", nargs="*", choices=list(VARIANTS), default=list(VARIANTS),
                    help="labels of VARIANTS to score (default: all)")
    ap.add_argument("--sets", nargs="*", choices=list(sets.TUNING_SETS), default=list(sets.TUNING_BY_REVISION[4]),
                    help="tuning sets to score on (default: revision 4's)")
    a = ap.parse_args()
    compare(a.variants, tuple(a.sets))


if __name__ == "__main__":
    main()
