"""Writing the synthetic raw returns of a world (the shipped story, a free world or a stress world) into a folder.

The package face (``helpers.sample``) says what is written; this module writes it: the register, the statistics
books and the older system's CSV, the revision, the task returns, the application lists, the README and the
``SYNTHETIC`` marker, each file marked as sample data. Same seed → byte-identical files.
"""


from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from pathlib import Path

import numpy as np

import helpers.sample.industry as industry
import helpers.sample.pipeline as pipeline
import helpers.sample.register as register
import helpers.sample.stress as stress
import helpers.sample.stress_industry as stress_industry
import helpers.sample.stress_tasks as stress_tasks
import helpers.sample.tasks as tasks
import helpers.sample.tracked as tracked
import helpers.sample.world as free_world
from helpers.calendar import STATS_LAG_DAYS
from helpers.errors import InputError
from helpers.sample.workbook import SheetSpec, write_workbook
from helpers.sample.world_record import FreeWorld
from helpers.sample_region import SAMPLE_REGION
from helpers.towns import TOWNS, Region, active_region
from helpers.wording import say

MARKER = "SYNTHETIC"
PREFIX = "SAMPLE_"
SAMPLE_NOTE = "示例数据（合成，非真实数据）SAMPLE - synthetic data"
_IND_HEADERS = {
    "total_output": "规上工业总产值", "hightech_output": "高新技术产业产值",
    "total_profit": "规上工业利润", "hightech_profit": "规上高新技术企业利润",
}
#: The region (its region file's ``id``) the generator is written for (``helpers.sample_region``). Another active
#: region gets no sample (``check_region``), never this one's.
REGION = SAMPLE_REGION


def _industry_spelling(town: str) -> str:
    """How the statistics books spell a unit (the active region's names, a few written as some towns do)."""
    return {"kfq": "开发区", "hmgxq": "海门港新区（包场镇）", "sanxing": "三星镇 "}.get(town) or TOWNS[town][0]


def _csv_spelling(town: str) -> str:
    """How the older system's CSV export spells a unit."""
    return {"kfq": "海门开发区", "scgy": "三厂"}.get(town) or TOWNS[town][0]
YUAN_100M_SHEET = (2021, 3)  # the one sheet written in 亿元
REVISED = (2024, 6, dt.date(2024, 8, 21), {("kfq", "total_output"): 1.012, ("ljxq", "hightech_output"): 0.981,
                                          ("sijia", "total_profit"): 1.06})


WORLDS = ("story", "random", "stress")
WORLD_FILE = "WORLD.json"


def write_sample(out_dir: Path, seed: int = 20221012, world: str = "story",
                 families: Collection[str] | None = None) -> list[Path]:
    """Write the synthetic raw returns into ``out_dir`` and return the files written (deterministic).

    Only while the active plan's region is the generator's (``REGION``); otherwise nothing is written.

    ``world="story"`` is the shipped story (outcomes set by hand near the targets); ``world="random"`` a free
    world drawn from ``seed`` (``sample.world``: outcomes not pinned, departures from the models' assumptions),
    with its truth in ``WORLD.json`` next to the returns; ``world="stress"`` a stress world (``sample.stress``: a
    process written from real statistics, not from the models; ``families`` forces its families, else each is
    drawn), its truth and families in ``WORLD.json``.
    """
    if world not in WORLDS:
        raise InputError(f"--world must be one of {', '.join(WORLDS)}, not {world!r}")
    check_region(active_region())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [*out_dir.glob(f"{PREFIX}*"), out_dir / WORLD_FILE]:
        old.unlink(missing_ok=True)
    if world == "stress":
        return _write_stress(out_dir, seed, families)
    free = free_world.draw(seed) if world == "random" else None
    rng = np.random.default_rng(seed)
    certs = register.simulate(rng, free)
    figures = industry.simulate(rng, free)
    task_values = tasks.simulate(rng, free)
    files = [_write_register(out_dir, rng, certs)]
    files.append(_write_industry_csv(out_dir, figures))
    files += _write_industry_books(out_dir, figures)
    files.append(_write_revision(out_dir, figures, REVISED if free is None else free.revision))
    recognition = pipeline.simulate(seed, certs)
    extra_rng = tracked.stream(seed)  # the later plan items' own stream: the figures above stay as they were
    files += _write_tasks(out_dir, task_values + recognition + tracked.simulate_rows(extra_rng), certs)
    files += _write_applications(out_dir, extra_rng, certs, recognition)
    if free is None:
        files.append(_write_readme(out_dir, seed, certs, figures))
    else:
        files.append(_write_free_readme(out_dir, free, certs, figures))
        truth = free.manifest() | {"calibration": calibration(certs, figures)}
        (out_dir / WORLD_FILE).write_text(json.dumps(truth, ensure_ascii=False, indent=1, default=str),
                                          encoding="utf-8")
        files.append(out_dir / WORLD_FILE)
    marker = out_dir / MARKER
    marker.write_text("Synthetic sample data written by `gaoqi sample`; not real figures.\n", encoding="utf-8")
    files.append(marker)
    return files


def _write_stress(out_dir: Path, seed: int, families: Collection[str] | None) -> list[Path]:
    """The stress world's returns, in the same forms and by the same writers as the other worlds."""
    sw = stress.draw(seed, families)
    rng = stress.stream(seed, 3)
    certs = register.simulate(rng, sw.register)  # type: ignore[arg-type]  # duck-typed: the fields it reads
    figures = stress_industry.simulate(sw)
    files = [_write_register(out_dir, rng, certs)]
    files.append(_write_industry_csv(out_dir, figures))
    files += _write_industry_books(out_dir, figures)
    files.append(_write_revision(out_dir, figures, sw.revision))
    files += _write_tasks(out_dir, stress_tasks.simulate(sw) + stress_tasks.pipeline(sw, certs), certs)
    shifts = "\n".join(f"- {b.kind} of {b.indicator} in {b.town} from {b.year}-{b.month:02d} (size {b.size:+.3f})"
                       for b in sw.breaks) or "- none"
    text = f"""# SAMPLE - a stress world (示例数据，合成，非真实数据)

Written by `gaoqi sample --world stress --seed {seed}` (`helpers.sample.stress`). **These are not real figures of
Haimen District**, nor the shipped story: the same forms as the shipped sample, drawn from a process written from
what real statistics do (sources in `{WORLD_FILE}`), not from the forecasting models' assumptions.

Families drawn: {", ".join(sw.families) or "none"} (of {", ".join(stress.FAMILIES)}).

## Breaks in this world
{shifts}

## As generated

| series | values |
|---|---|
{_series_table(certs, figures)}
"""
    files.append(_save_readme(out_dir, text))
    truth = sw.manifest() | {"calibration": calibration(certs, figures)}
    (out_dir / WORLD_FILE).write_text(json.dumps(truth, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    files.append(out_dir / WORLD_FILE)
    marker = out_dir / MARKER
    marker.write_text("Synthetic sample data written by `gaoqi sample`; not real figures.\n", encoding="utf-8")
    files.append(marker)
    return files


def check_region(region: Region) -> None:
    """Refuse to write the sample for another district than the generator's.

    Why: the sample's towns, spellings, file names and README are one district's; written under another plan they
    would be cleaned as that district's returns (or fail half-way, leaving some files behind), so a district that
    is not the sample's gets a clear refusal before any file is touched.
    """
    if region.id != REGION:
        raise InputError(say("sample.other_region", "en", name=region.name_en, id=region.id,
                             file=region.source.name, sample=REGION))


# --- the register -----------------------------------------------------------------------------------------

def _series_table(certs: list[register.Certificate], figures: list[industry.Figure]) -> str:
    """The generated figures the README quotes, one Markdown table row per series."""
    return "\n".join(f"| {name} | " + ", ".join(f"{y}: {v:g}" for y, v in series.items()) + " |"
                     for name, series in calibration(certs, figures).items())


def _save_readme(out_dir: Path, text: str) -> Path:
    path = out_dir / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def _write_register(out_dir: Path, rng: np.random.Generator, certs: list[register.Certificate]) -> Path:
    rows = register.register_rows(rng, certs)
    header = ["序号", "企业名称", "统一社会信用代码", "证书编号", "发证日期", "公示日期", "所属区镇", "技术领域",
              "取消资格日期", "备注"]
    spec = SheetSpec(
        "证书登记",
        ["海门区高新技术企业证书登记台账", f"{SAMPLE_NOTE}　　更新日期：2025-01-10"],
        header, rows,
        ["注：1. 证书有效期三年，自发证日期起算；公示日期为认定批次公示之日。",
         "2. 取消资格日期为发文取消高新技术企业资格之日。", f"3. {SAMPLE_NOTE}。"],
        {1: 34, 2: 22, 3: 18},
    )
    return write_workbook(out_dir / f"{PREFIX}高企证书登记.xlsx", [spec])


# --- industrial statistics -------------------------------------------------------------------------------

def _period_label(month: int) -> str:
    return "1-2月" if month == 2 else f"1-{month}月"


def _by_period(figures: list[industry.Figure]) -> dict[tuple[int, int], dict[tuple[str, str], float]]:
    out: dict[tuple[int, int], dict[tuple[str, str], float]] = {}
    for f in figures:
        out.setdefault((f.year, f.month), {})[(f.town, f.indicator)] = round(f.value, 1)
    return out


def _cell(year: int, month: int, town: str, ind: str, value: float, scale: float) -> object:
    """One statistics cell, with the blanks, dashes and text-typed numbers real returns have."""
    if town == "haiyong" and ind == "hightech_profit" and year == 2020 and month <= 6:
        return "—"  # fewer than three firms: not published
    if town == "yudong" and ind == "total_profit" and (year, month) == (2022, 5):
        return None
    v = round(value / scale, 4) if scale != 1 else value
    if town == "sanxing" and (year, month) == (2023, 4) and ind == "total_output":
        return f"{v:,.1f}"  # a number typed as text, with a thousands separator
    return v


def _industry_sheet(year: int, month: int, values: dict[tuple[str, str], float], released: dt.date,
                    name: str | None = None, title_extra: str = "") -> SheetSpec:
    yi = (year, month) == YUAN_100M_SHEET
    unit, scale = ("亿元", 10_000.0) if yi else ("万元", 1.0)
    header = ["区镇", f"{_IND_HEADERS['total_output']}（{unit}）", f"{_IND_HEADERS['hightech_output']}（{unit}）",
              "高新技术产业产值占比（%）", f"{_IND_HEADERS['total_profit']}（{unit}）",
              f"{_IND_HEADERS['hightech_profit']}（{unit}）"]
    rows: list[list[object]] = []
    totals = dict.fromkeys(_IND_HEADERS, 0.0)
    for town in industry.TOWN_OUTPUT_P:
        row: list[object] = [_industry_spelling(town)]
        for ind in industry.INDICATORS:
            totals[ind] += values[(town, ind)]
            row.append(_cell(year, month, town, ind, values[(town, ind)], scale))
        share = 100 * values[(town, "hightech_output")] / values[(town, "total_output")]
        row.insert(3, round(share, 1))
        rows.append(row)
    total_row: list[object] = ["合计"] + [round(totals[i] / scale, 4 if yi else 1) for i in industry.INDICATORS]
    total_row.insert(3, round(100 * totals["hightech_output"] / totals["total_output"], 1))
    rows.append(total_row)
    return SheetSpec(
        name or _period_label(month),
        ["海门区规模以上工业主要指标完成情况（分区镇）",
         f"{year}年{_period_label(month)}（累计）{title_extra}", f"发布日期：{released.isoformat()}", SAMPLE_NOTE],
        header, rows,
        ["注：1. 本表为年初至本月累计数；1-2月合并统计。", "2. “—”表示企业不足3家，按统计制度不予公布。",
         f"3. {SAMPLE_NOTE}。"],
        {0: 20},
    )


def _write_industry_books(out_dir: Path, figures: list[industry.Figure]) -> list[Path]:
    periods = _by_period(figures)
    files = []
    for year in range(2020, industry.LAST[0] + 1):
        sheets = [_industry_sheet(year, m, periods[(year, m)], industry.release_date(year, m, STATS_LAG_DAYS))
                  for m in industry.reported_months(year)]
        files.append(write_workbook(out_dir / f"{PREFIX}规上工业统计_{year}.xlsx", sheets))
    return files


def _write_revision(out_dir: Path, figures: list[industry.Figure],
                    revision: tuple[int, int, dt.date, dict[tuple[str, str], float]]) -> Path:
    year, month, released, factors = revision
    values = dict(_by_period(figures)[(year, month)])
    for key, factor in factors.items():
        values[key] = round(values[key] * factor, 1)
    sheet = _industry_sheet(year, month, values, released, name=f"{_period_label(month)}（修订）",
                            title_extra="（修订）")
    return write_workbook(out_dir / f"{PREFIX}规上工业统计_{year}-{month:02d}_修订.xlsx", [sheet])


def _write_industry_csv(out_dir: Path, figures: list[industry.Figure]) -> Path:
    """2019 as an older system exports it: one long CSV, GBK-encoded, a release date per row."""
    periods = _by_period(figures)
    lines = ["统计期,发布日期,区镇," + ",".join(f"{h}(万元)" for h in _IND_HEADERS.values())]
    for month in industry.reported_months(2019):
        released = industry.release_date(2019, month, STATS_LAG_DAYS)
        for town in industry.TOWN_OUTPUT_P:
            vals = [f"{periods[(2019, month)][(town, i)]:.1f}" for i in industry.INDICATORS]
            lines.append(f"2019年{_period_label(month)},{released.isoformat()},{_csv_spelling(town)}," + ",".join(vals))
    path = out_dir / f"{PREFIX}规上工业统计_2019_旧系统导出.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


# --- task returns ----------------------------------------------------------------------------------------

_TOWN_TASK_HEADERS = (("projects", "新招引科创项目（个）"), ("uir_projects", "产学研项目（个）"),
                      ("pan_tech_firms", "泛科技型企业（家）"), ("ip_firms", "拥有知识产权的泛科技型企业（家）"),
                      ("valid_firms", "有效高新技术企业（家）"))
#: deliberate disagreements between a town's own count of valid firms and the register (year, half, town, Δ).
REPORTED_VALID_OFFSETS = {(2023, 2, "sanxing"): 2, (2024, 1, "yudong"): -1}


def _write_tasks(out_dir: Path, values: list[tasks.TaskValue], certs: list[register.Certificate]) -> list[Path]:
    index = {(v.task_id, v.town, v.year, v.half): v.value for v in values}
    files = []
    for year in tasks.YEARS:
        for half in (1, 2):
            end = tasks.period_end(year, half)
            released = tasks.release_date(year, half)
            label = "上半年" if half == 1 else "全年"
            title = [f"海门区高新技术企业培育重点任务推进情况（{year}年{label}）",
                     f"截至{end.year}年{end.month}月{end.day}日　　报送日期：{released.isoformat()}", SAMPLE_NOTE]
            town_rows = []
            for town in tasks.TOWNS:
                row: list[object] = [tasks.SPELLINGS[town]]
                for task, _ in _TOWN_TASK_HEADERS:
                    if task == "valid_firms":
                        n = register.valid_firms_at(certs, end, town)
                        row.append(n + REPORTED_VALID_OFFSETS.get((year, half, town), 0))
                    else:
                        row.append(index[(task, town, year, half)])
                town_rows.append(row)
            town_sheet = SheetSpec(
                "分区镇", title, ["区镇"] + [h for _, h in _TOWN_TASK_HEADERS], town_rows,
                ["注：科创项目、产学研项目为本年累计数；企业数为期末数。", f"{SAMPLE_NOTE}。"], {0: 22})
            district_rows = []
            for k, (task, (label_zh, unit, kind)) in enumerate(tasks.DISTRICT_ROWS.items(), start=1):
                basis = {"flow": "本年累计", "stock": "期末数", "coverage": "期末比例"}[kind]
                district_rows.append([k, label_zh, unit, index[(task, "district", year, half)], basis])
            for task, (label_zh, unit, _) in tasks.GIVEN_ROWS.items():
                basis = "期末比例" if unit == "%" else "期末数"
                district_rows.append([len(district_rows) + 1, label_zh, unit, index[(task, "district", year, half)],
                                      basis])
            for task, (label_zh, unit) in pipeline.PIPELINE_ROWS.items():
                district_rows.append([len(district_rows) + 1, label_zh, unit, index[(task, "district", year, half)],
                                      "本年累计"])
            for task, (label_zh, unit, kind) in tracked.EXTRA_ROWS.items():
                if (task, "district", year, half) not in index:  # a world that does not model the row (stress)
                    continue
                basis = {"flow": "本年累计", "stock": "期末数", "coverage": "期末比例"}[kind]
                district_rows.append([len(district_rows) + 1, label_zh, unit, index[(task, "district", year, half)],
                                      basis])
            district_sheet = SheetSpec(
                "全区指标", title, ["序号", "指标", "单位", "完成值", "口径"], district_rows,
                ["注：比例类指标以期末有效期内高新技术企业为基数。", f"{SAMPLE_NOTE}。"], {1: 34})
            path = out_dir / f"{PREFIX}区镇任务进度_{year}H{half}.xlsx"
            files.append(write_workbook(path, [town_sheet, district_sheet]))
    return files


def _write_applications(out_dir: Path, rng: np.random.Generator, certs: list[register.Certificate],
                        recognition: list[tasks.TaskValue]) -> list[Path]:
    """One application list a year (高企申报名单): every applicant firm, its round and submission date."""
    counts = {v.year: int(v.value) for v in recognition if v.task_id == "hitech_applications" and v.half == 2}
    files = []
    for year, rows in tracked.applications(rng, certs, counts).items():
        body = [[k, *row[:3], tracked.batch_label(int(row[3])), *row[4:]] for k, row in enumerate(rows, start=1)]
        spec = SheetSpec(
            "申报名单",
            [f"海门区{year}年度高新技术企业认定申报企业名单", f"{SAMPLE_NOTE}　　更新日期：{year}-07-05"],
            ["序号", "企业名称", "统一社会信用代码", "所属区镇", "申报批次", "申报日期", "申报类型"], body,
            ["注：1. 申报日期为企业在认定管理工作网提交申报材料之日。", "2. 申报类型：首次申报或重新认定（证书到期前再次申报）。",
             f"3. {SAMPLE_NOTE}。"],
            {1: 34, 2: 22},
        )
        files.append(write_workbook(out_dir / f"{PREFIX}高企申报名单_{year}.xlsx", [spec]))
    return files


# --- README with the calibration as generated --------------------------------------------------------------

def calibration(certs: list[register.Certificate], figures: list[industry.Figure]) -> dict[str, dict[int, float]]:
    """What the sample came out as: valid firms at year ends, recognitions, December YTD shares."""
    dec = {(f.year, f.indicator): 0.0 for f in figures if f.month == 12}
    for f in figures:
        if f.month == 12:
            dec[(f.year, f.indicator)] += round(f.value, 1)
    years = sorted({y for y, _ in dec})
    return {
        "valid_firms_year_end": {y: register.valid_firms_at(certs, dt.date(y, 12, 31)) for y in range(2018, 2025)},
        "certificates_issued": {y: sum(c.issue_date.year == y for c in certs) for y in range(2016, 2025)},
        "output_share_pct": {y: round(100 * dec[(y, "hightech_output")] / dec[(y, "total_output")], 1) for y in years},
        "profit_share_pct": {y: round(100 * dec[(y, "hightech_profit")] / dec[(y, "total_profit")], 1) for y in years},
    }


def _write_readme(out_dir: Path, seed: int, certs: list[register.Certificate],
                  figures: list[industry.Figure]) -> Path:
    table = _series_table(certs, figures)
    text = f"""# SAMPLE - synthetic raw returns (示例数据，合成，非真实数据)

Everything in this folder was written by `gaoqi sample --seed {seed}` (`helpers.sample.write_sample`).
**These are not real figures of Haimen District.** The file names start with `SAMPLE_`, a `SYNTHETIC` marker
file sits next to them, every title block says so, and `gaoqi clean` sets `"synthetic": true` in
`data/processed/manifest.json`, which puts the sample mark on every page of the briefing.

## What is here
- `SAMPLE_高企证书登记.xlsx`: certificate register, cohorts 2016-2024, 2-4 batches a year announced in Q4
  (公示日期 = the day a certificate became known); revocations (取消资格日期), renamed firms, bracket and
  space variants of names, four credit codes with a wrong check character, one exact duplicate row.
- `SAMPLE_规上工业统计_2019_旧系统导出.csv`: 2019 statistics, GBK-encoded CSV, one 发布日期 per row.
- `SAMPLE_规上工业统计_<year>.xlsx` (2020-2025): one sheet per period (1-2月 together, then 1-3月 … 1-12月),
  YTD cumulative, merged title rows with 发布日期 (month end + {STATS_LAG_DAYS} days), units in headers,
  footnotes; the 2021 1-3月 sheet is in 亿元; "—" cells (海永镇 2020), one blank cell (余东镇 2022 1-5月
  利润), one number typed as text (三星镇 2023 1-4月).
- `SAMPLE_规上工业统计_2024-06_修订.xlsx`: a revision of 2024 1-6月 released {REVISED[2].isoformat()}.
- `SAMPLE_区镇任务进度_<year>H<n>.xlsx` (2020 H1 - 2024 H2): task returns (报送日期 mid-July for H1,
  mid-January for H2), towns in their own spellings; the towns' own count of valid high-tech firms disagrees
  with the register twice (三星镇 2023 H2, 余东镇 2024 H1). Every series a target reads is there: projects,
  产学研 projects, pan-tech and IP-owning firms by town; for the district the task counts, the loan balance,
  new and specialised carriers, each kind of growth firm (雏鹰 39 over 2022-2024, one short of 40), the
  coverage rates (invention patent applications and grants, IP filings, the three R&D rules) and the links of
  the incubation chain in place (the third arrives in 2024 H2); since issue 19 also the share of pan-tech firms
  holding an invention patent (消零), the levels of the five-level 梯次培育库 in place (the fifth, 泛科技型企业库,
  in 2023 H2) and the joint-service rounds held (联合服务, none in 2024 H2), from a stream of their own.
- `SAMPLE_高企申报名单_<year>.xlsx` (2020-2024): every firm that applied for recognition in the year (round,
  submission date by 30 June, 首次申报 / 重新认定), towns in the register's spellings; the applicants certified
  are the register's firms of the year, the others match the task sheet's 高新技术企业申报 row.

## Story and calibration
Calibrated on real published figures (`data/raw/public/public_figures.csv`): Haimen's high-tech output share
≈ 47 % (2022, estimate) and 38.5 % (2024); 152 applications and 99 recognitions in 2024; ≈ 395 valid
high-tech enterprises in 2025 (plan target 400); ≈ 1,280 亿元 above-scale taxable sales in 2022.
**Structural break:** a large non-high-tech plant enters 临江新区's total output from September 2023
(ramping up over four months), which pulls the district's output share below 40 % in 2024.

As generated with seed {seed}:

| series | values |
|---|---|
{table}
"""
    return _save_readme(out_dir, text)


def _write_free_readme(out_dir: Path, free: FreeWorld, certs: list[register.Certificate],
                       figures: list[industry.Figure]) -> Path:
    table = _series_table(certs, figures)
    breaks = "\n".join(f"- {b.kind} of {b.indicator} in {b.town} from {b.year}-{b.month:02d} (size {b.size:+.2f})"
                       for b in free.breaks) or "- none"
    text = f"""# SAMPLE - a free synthetic world (示例数据，合成，非真实数据)

Written by `gaoqi sample --world random --seed {free.seed}` (`helpers.sample.write_sample`, `helpers.sample.world`).
**These are not real figures of Haimen District**, nor the shipped story: the same forms as the shipped sample,
with outcomes not pinned, drawn from a process that departs from the forecasting models' assumptions on purpose
(drifting autocorrelated renewal rates, batches with varying pass rates, zero to two breaks, year-end pushes in
task pace, a revision). The world's truth is in `{WORLD_FILE}` (not read by `gaoqi clean`).

## Breaks in this world
{breaks}

## As generated

| series | values |
|---|---|
{table}
"""
    return _save_readme(out_dir, text)
