"""Markdown tables of a ``bench/worlds.py`` result, for ``bench/worlds.md``: per kind, per kind and meeting, per
stress family (skill with the family against without), and the issue-22 goals.

Run: ``.venv/bin/python bench/worlds_report.py bench/results/worlds.json [bench/results/worlds-stress.json …]``.
The same tables for the baseline on tuning seeds and for the reported run, so the two read alike.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import worlds_kinds as K  # noqa: E402


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.0%}"


def meeting_pivot(result: dict) -> list[str]:
    """Kind × meeting: Brier / base rate (n) in each cell."""
    rows = result.get("by_kind_meeting", [])
    meetings = sorted({r["meeting"] for r in rows})
    kinds = sorted({r["kind"] for r in rows})
    cell = {(r["kind"], r["meeting"]): r for r in rows}
    out = ["| kind | " + " | ".join(meetings) + " |", "|---|" + "---|" * len(meetings)]
    for k in kinds:
        parts = []
        for m in meetings:
            r = cell.get((k, m))
            parts.append("—" if r is None else f"{r['brier']:.3f} / {r['base_rate']:.3f} ({r['n']})")
        out.append(f"| {k} | " + " | ".join(parts) + " |")
    return out


def family_pivot(result: dict) -> list[str]:
    """Per stress family and kind: skill (n) in the worlds with the family, and in those without."""
    fams = result.get("by_family", {})
    if not fams:
        return []
    kinds = sorted({k["kind"] for t in fams.values() for k in t["with"] + t["without"]})
    out = ["| kind | " + " | ".join(f"{f} ({t['worlds_with']})" for f, t in fams.items()) + " |",
           "|---|" + "---|" * len(fams)]
    for kind in kinds:
        parts = []
        for t in fams.values():
            w = next((k for k in t["with"] if k["kind"] == kind), None)
            wo = next((k for k in t["without"] if k["kind"] == kind), None)
            parts.append(f"{_pct(w and w['skill'])} vs {_pct(wo and wo['skill'])}")
        out.append(f"| {kind} | " + " | ".join(parts) + " |")
    return out


def goal_lines(result: dict) -> list[str]:
    g = result.get("goals", {})
    out = []
    for r in g.get("by_kind", []):
        bad = [w for w, ok in (("skill", r["skill_met"]), ("coverage", r["coverage_met"])) if ok is False]
        if bad:
            out.append(f"- {r['kind']} (n {r['n']}): skill {_pct(r['skill'])}, 80 % coverage {_pct(r['coverage80'])} "
                       f"— **{' and '.join(bad)} goal not met**")
    for w in g.get("families_worse_than_base_rate", []):
        held = "**goal not met**" if w.get("held") else "under 100 rows: not held to the goal"
        out.append(f"- family {w['family']}: {w['kind']} worse than its base rate (skill {_pct(w['skill'])}, "
                   f"n {w['n']}; {held})")
    return out or ["- every goal met"]


def report(result: dict) -> str:
    head = (f"**{result.get('family', 'random')} worlds, seeds {result['world_seeds'][0]}-{result['world_seeds'][1]}"
            f"** ({result['n_worlds']} worlds, model commit `{result.get('model_commit', '?')}`, "
            f"{result.get('seconds', '?')} s)")
    parts = [head, "", *K.markdown(result.get("by_kind", [])), "", "By kind and meeting (Brier / base rate (n)):", "",
             *meeting_pivot(result)]
    fam = family_pivot(result)
    if fam:
        drawn = result.get("families_drawn", {})
        parts += ["", "By stress family: skill in the worlds that drew it vs in those that did not (worlds with it: "
                  + ", ".join(f"{k} {v}" for k, v in drawn.items()) + "):", "", *fam]
    parts += ["", "Goals (kinds with ≥ 100 rows):", "", *goal_lines(result)]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    for name in argv if argv is not None else sys.argv[1:]:
        print(report(json.loads(Path(name).read_text(encoding="utf-8"))))
        print()


if __name__ == "__main__":
    main()
