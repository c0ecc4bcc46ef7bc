"""Benchmark ``gaoqi clean``: the shipped sample and a ten-times-larger synthetic set (more towns, more years).

Run: ``.venv/bin/python bench/clean.py`` (about half a minute). Writes ``bench/results/clean.json``.

The large set is built in a temporary folder from the sample returns: every town row is repeated for four more
synthetic towns (values perturbed by a few per cent), and the whole set is repeated ten years earlier (titles,
sheet dates and certificate numbers shifted), which gives about ten times the sample's figures. The synthetic
towns are added to the region file of the benchmark's own copy of the plan folder (the project's is not touched).
Timings are the median of ``--repeat`` runs of the whole clean (read, validate, build, atomic write).
The goal (issue 8): the sample clean stays within 2x of the baseline recorded before the intake rework; measure
both under the same machine load (``BENCH_SRC=<old checkout>/src … --label baseline``, then ``--label current``),
since the shared machine's load changes timings by a factor of two or more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# BENCH_SRC=/path/to/an/older/src measures another version of the code on the same data (the baseline).
sys.path.insert(0, os.environ.get("BENCH_SRC", str(ROOT / "src")))

from helpers import towns  # noqa: E402
from helpers.clean import clean  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "clean.json"
COPIES = 4  # extra synthetic towns per real town
YEAR_SHIFT = 10


def _add_synthetic_towns(plan_folder: Path) -> None:
    """COPIES synthetic twins of every unit, added to the region file of the benchmark's own copy of the plan
    folder (the project's region file is not touched); the copy is made active through ``GAOQI_ROOT``.

    A checkout from before the region file (``BENCH_SRC``) kept its towns in a dict: the twins go there instead."""
    if not hasattr(towns, "active_region"):  # an older checkout measured as the baseline
        for code, (name, en) in list(towns.TOWNS.items()):
            for k in range(1, COPIES + 1):
                towns.TOWNS.setdefault(f"{code}_{k}", (f"合成{k}{name}", f"{en} {k}"))
        index = getattr(towns, "_INDEX", None)
        if index is not None:
            index.update({towns.normalise_text(n): c for c, (n, _) in towns.TOWNS.items()} | {c: c for c in towns.TOWNS})
        return
    region_file = towns.region_file_of(next(p for p in sorted(plan_folder.glob("*.yaml"))
                                            if p.read_text(encoding="utf-8").lstrip().startswith("plan:")))
    doc = yaml.safe_load(region_file.read_text(encoding="utf-8"))
    doc["units"] += [{"code": f"{u['code']}_{k}", "name_zh": f"合成{k}{u['name_zh']}", "name_en": f"{u['name_en']} {k}"}
                     for u in list(doc["units"]) for k in range(1, COPIES + 1)]
    region_file.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    os.environ["GAOQI_ROOT"] = str(plan_folder.parents[2])


def _shift_text(text: str, years: int) -> str:
    return re.sub(r"(?<!\d)(20\d{2})(?!\d)", lambda m: str(int(m.group(1)) - years), text)


def _shift_value(value: object, years: int) -> object:
    if isinstance(value, dt.datetime | dt.date):
        try:
            return value.replace(year=value.year - years)
        except ValueError:  # 29 February
            return value.replace(year=value.year - years, day=28)
    if isinstance(value, str):
        return _shift_text(value, years)
    return value


def _twin_rows(rows: list[list[object]], town_col: int, k: int, jitter: float) -> list[list[object]]:
    out = []
    for row in rows:
        code = towns.town_code(row[town_col]) if town_col < len(row) else None
        if code is None or code == towns.DISTRICT:
            continue
        twin = [f"合成{k}{towns.TOWNS[code][0]}" if i == town_col else
                (round(v * (1 + jitter), 1) if isinstance(v, float) and i != 0 else v)
                for i, v in enumerate(row)]
        out.append(twin)
    return out


def build_large(sample: Path, target: Path) -> None:
    """Write the ten-times set: sample + town twins, and all of that again YEAR_SHIFT years earlier."""
    import csv
    import io

    from openpyxl import Workbook, load_workbook

    target.mkdir(parents=True)
    for src in sorted(sample.iterdir()):
        for shift in (0, YEAR_SHIFT):
            name = _shift_text(src.name, shift)
            if shift and name == src.name:
                name = f"{src.stem}_{shift}年前{src.suffix}"
            if src.suffix == ".csv":
                text = src.read_bytes().decode("gbk")
                rows = list(csv.reader(io.StringIO(text)))
                header, body = rows[0], [[_shift_value(v, shift) for v in r] for r in rows[1:]]
                town_col = header.index("区镇")
                extra = []
                for k in range(1, COPIES + 1):
                    extra += [[f"合成{k}{towns.TOWNS[towns.town_code(r[town_col])][0]}" if i == town_col else v
                               for i, v in enumerate(r)] for r in body]
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\r\n").writerows([header, *body, *extra])
                (target / name).write_bytes(buf.getvalue().encode("gbk"))
                continue
            if src.suffix != ".xlsx":
                if shift == 0:
                    shutil.copy(src, target / name)
                continue
            wb = load_workbook(src)
            out = Workbook()
            out.remove(out.active)
            for ws in wb.worksheets:
                rows = [[_shift_value(c, shift) for c in r] for r in ws.iter_rows(values_only=True)]
                header_at = next((i for i, r in enumerate(rows) if any(
                    isinstance(c, str) and c.strip() in ("区镇", "所属区镇", "指标") for c in r)), None)
                new = out.create_sheet(_shift_text(ws.title, shift))
                if header_at is None:
                    for r in rows:
                        new.append(r)
                    continue
                header = rows[header_at]
                town_col = next((i for i, c in enumerate(header) if c in ("区镇", "所属区镇")), None)
                end = next((i for i in range(header_at + 1, len(rows))
                            if rows[i][0] is not None and str(rows[i][0]).startswith("注")), len(rows))
                body = rows[header_at + 1:end]
                extra = []
                if town_col is not None:
                    for k in range(1, COPIES + 1):
                        extra += _twin_rows(body, town_col, k, 0.01 * k)
                    if "所属区镇" in header:  # register: certificate numbers and codes stay unique per twin
                        extra = [[(f"{v}{k}" if header[i] in ("企业名称",) else v) for i, v in enumerate(r)]
                                 for k, r in enumerate(extra)]
                totals = [r for r in body if r and towns.town_code(r[town_col] if town_col is not None else None)
                          == towns.DISTRICT]
                plain = [r for r in body if r not in totals]
                for r in [*rows[:header_at + 1], *plain, *extra, *rows[end:]]:
                    new.append(r)
            out.save(target / name)


def _time(raw: Path, repeat: int) -> tuple[float, dict]:
    times, report = [], None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            report = clean(raw, Path(tmp) / "processed")
            times.append(time.perf_counter() - started)
    assert report is not None
    return statistics.median(times), report.tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--label", default="current", help="name of this measurement in the results file")
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    sample_s, sample_tables = _time(ROOT / "data" / "raw", args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        large = Path(tmp) / "project" / "data" / "raw"  # a project tree of its own: its region gets the twins
        shutil.copytree(ROOT / "data" / "raw" / "plan", large / "plan")
        shutil.copytree(ROOT / "data" / "raw" / "public", large / "public")
        build_large(ROOT / "data" / "raw" / "sample", large / "large")
        _add_synthetic_towns(large / "plan")
        try:
            large_s, large_tables = _time(large, max(1, args.repeat // 2))
        finally:
            os.environ.pop("GAOQI_ROOT", None)
    entry = {"measured": dt.date.today().isoformat(), "sample_seconds": round(sample_s, 3),
             "sample_tables": sample_tables, "large_seconds": round(large_s, 3), "large_tables": large_tables}
    results[args.label] = entry
    baseline = results.get("baseline", {}).get("sample_seconds")
    if baseline:
        entry["sample_vs_baseline"] = round(sample_s / baseline, 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({args.label: entry}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
