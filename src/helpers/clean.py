"""``gaoqi clean``: every raw return in, the contract tables out (docs/data-contract.md), all or nothing.

Flow: find the returns under ``raw_dir`` (skipping ``plan/``, ``public/`` and README/marker files) → read and
locate their tables with the spellings of the vocabulary file (``helpers.ingest``, ``helpers.vocabulary``) →
validate every checked cell with pandera (``helpers.validate``) → if any structural fault (including a figure
the reader could not place): raise ``InputErrors`` with all of them and write nothing → else build the tables
(revision history, duplicates dropped, soft findings and set-aside figures collected in the quality table, each
message in Chinese and English) and publish them with ``helpers.processed.write_atomic``, which replaces
``processed_dir`` only once everything is written. The CLI holds the tree's run lock around all of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers import vocabulary
from helpers.creditcode import is_valid
from helpers.ingest import RETURN_SUFFIXES, UNREADABLE_SPREADSHEET_SUFFIXES, Parsed, parse_sheets, read_file
from helpers.processed import ProcessedData, write_atomic
from helpers.register import valid_firms
from helpers.towns import DISTRICT, normalise_text
from helpers.validate import SCHEMAS, Fault, InputErrors, validate_cells
from helpers.wording import both, say

SKIP_DIRS = {"plan", "public"}
SKIP_NAMES = {"README.md", "README.txt", "SYNTHETIC", ".gitkeep"}
DATA_SUFFIXES = {*RETURN_SUFFIXES, *UNREADABLE_SPREADSHEET_SUFFIXES}  # the rest is listed as not a return
SAMPLE_PREFIX = "SAMPLE_"
SEVERITY = {"duplicate_row": "info", "revision": "info", "credit_code_check": "warning",
            "register_vs_reported": "warning", "text_in_number": "info", "missing_value": "info",
            "total_vs_towns": "warning", "renamed_firm": "info", "cert_no_format": "warning",
            "conflicting_figures": "warning", "set_aside": "info", "percent_fraction": "warning",
            "unit_jump": "warning", "duplicate_certificate": "warning"}
INDUSTRY_KEY = ["town", "indicator", "year", "month"]
TASK_KEY = ["task_id", "town", "year", "period_end"]
#: GR + issue year + the province's two-digit code (32 Jiangsu, 51 Sichuan …) + a six-digit serial: any province,
#: since the district is whatever the plan's region file says
CERT_NO_RE = re.compile(r"^GR(\d{4})\d{2}\d{6}$")


@dataclass
class CleanReport:
    """What a run read and produced; ``summary_lines()`` is the one-screen summary the CLI prints."""

    raw_dir: Path
    processed_dir: Path | None
    files_read: list[str]
    files_ignored: list[str]
    sheets_skipped: list[str]
    tables: dict[str, int]
    periods: dict[str, str]
    findings: dict[str, int]
    synthetic: bool
    seconds: float = 0.0
    towns: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def summary_lines(self, lang: str = "zh") -> list[str]:
        mark = _summary("synthetic" if self.synthetic else "official", lang)
        lines = [_summary("head", lang, n=len(self.files_read), raw_dir=self.raw_dir, mark=mark)]
        if self.files_ignored:
            lines.append("  " + _summary("ignored", lang, files=", ".join(self.files_ignored)))
        if self.sheets_skipped:
            lines.append("  " + _summary("skipped", lang, sheets=", ".join(self.sheets_skipped)))
        rows = ", ".join(_summary("table_rows", lang, table=k, n=v) for k, v in self.tables.items())
        lines.append("  " + _summary("tables", lang, tables=rows))
        for name, span in self.periods.items():
            lines.append(f"  {name}: {span}")
        lines.append("  " + _summary("units", lang, n=self.towns))
        figures = self.extra.get("figures")
        if figures:
            kept = sum(n for k, n in figures.items() if not k.startswith("set_aside") and k != "field")
            aside = sum(n for k, n in figures.items() if k.startswith("set_aside"))
            lines.append("  " + _summary("figures", lang, read=sum(figures.values()), kept=kept, aside=aside,
                                         labels=figures.get("field", 0)))
        if self.findings:
            found = ", ".join(f"{k} {v}" for k, v in sorted(self.findings.items()))
            lines.append("  " + _summary("findings", lang, findings=found))
        else:
            lines.append("  " + _summary("no_findings", lang))
        seconds = f"{self.seconds:.1f}"
        lines.append("  " + (_summary("written", lang, where=self.processed_dir, seconds=seconds) if self.processed_dir
                             else _summary("dry_run", lang, seconds=seconds)))
        return lines


def _summary(key: str, lang: str = "zh", **values: Any) -> str:
    """A line of the clean summary, in the language the CLI speaks (``--lang``; Chinese by default)."""
    return say(f"intake.summary.{key}", lang, **values)


def discover(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    """(returns to read, other files ignored) under ``raw_dir``, in a stable order."""
    read, ignored = [], []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(raw_dir)
        if rel.parts[0] in SKIP_DIRS or any(part.startswith(".") for part in rel.parts):
            continue
        if path.name in SKIP_NAMES or path.name.startswith("~$"):
            continue
        (read if path.suffix.lower() in DATA_SUFFIXES else ignored).append(path)
    return read, ignored


def clean(raw_dir: Path, processed_dir: Path) -> CleanReport:
    """Read, validate and publish; raises ``InputErrors`` (nothing written) when any return is malformed."""
    started = time.perf_counter()
    data, report = build(Path(raw_dir))
    write_atomic(data, Path(processed_dir))
    report.processed_dir = Path(processed_dir)
    report.seconds = time.perf_counter() - started
    return report


def build(raw_dir: Path) -> tuple[ProcessedData, CleanReport]:
    """Everything ``clean`` does except writing: the processed tables and the report.

    The vocabulary is ``<raw_dir>/plan/vocabulary.yaml`` when there is one, else the project's.
    """
    started = time.perf_counter()
    vocab = vocabulary.load(vocabulary.default_path(raw_dir))
    files, ignored = discover(raw_dir)
    parsed, faults, skipped, per_file = Parsed(), [], [], {}
    for path in files:
        rel = path.relative_to(raw_dir).as_posix()
        sheets, read_faults = read_file(path, rel)
        faults += read_faults
        if read_faults:
            continue
        p, skip = parse_sheets(sheets, vocab)
        if not (p.industry or p.certificates or p.tasks or p.applications or p.cells or p.faults):
            names = ", ".join(s.name for s in sheets) or say("intake.file.no_sheets", "en")
            faults.append(Fault.worded(rel, None, None, None, names, "intake.file.no_table"))
            continue
        per_file[rel] = len(p.industry) + len(p.certificates) + len(p.tasks) + len(p.applications)
        skipped += skip
        parsed.extend(p)
    faults += parsed.faults
    faults += validate_cells(pd.DataFrame(parsed.cells))
    if faults:
        raise InputErrors(faults)

    findings: list[dict[str, Any]] = []
    industry = _with_revisions(_frame(parsed.industry), INDUSTRY_KEY, findings, "industry")
    _unit_jumps(industry, findings)
    certificates = _certificates(_frame(parsed.certificates), findings)
    tasks = _with_revisions(_frame(parsed.tasks), TASK_KEY, findings, "tasks")
    applications = _applications(_frame(parsed.applications))
    _register_vs_reported(tasks, certificates, findings, vocab.register_counts)
    findings += _notes(parsed, industry, tasks, certificates)
    quality = _quality(findings)
    tables = {
        "industry": _finish(industry, "industry", ["year", "month", "town", "indicator", "revision"]),
        "certificates": _finish(certificates, "certificates", ["issue_date", "cert_no", "row"]),
        "tasks": _finish(tasks, "tasks", ["year", "period_end", "task_id", "town", "revision"]),
        "quality": quality,
        "applications": _finish(applications, "applications", ["submitted", "source_file", "row"]),
    }
    synthetic = any(Path(f).name.startswith(SAMPLE_PREFIX) for f in per_file) or any(
        (raw_dir / Path(f).parent / "SYNTHETIC").exists() for f in per_file)
    manifest = {
        "synthetic": synthetic,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "raw_files": [{"path": rel, "sha256": file_digest(raw_dir / rel), "rows": n} for rel, n in per_file.items()],
        "tables": {k: len(v) for k, v in tables.items()},
    }
    data = ProcessedData(manifest=manifest, **tables)
    report = CleanReport(
        raw_dir=raw_dir, processed_dir=None, files_read=list(per_file),
        files_ignored=[p.relative_to(raw_dir).as_posix() for p in ignored], sheets_skipped=skipped,
        tables=manifest["tables"], periods=_periods(data), findings=dict(Counter(quality["check"])),
        synthetic=synthetic, seconds=time.perf_counter() - started,
        towns=int(pd.concat([data.industry["town"], data.tasks["town"]]).loc[lambda s: s != DISTRICT].nunique()),
        extra={"figures": dict(parsed.ledger())},
    )
    return data, report


# --- building the tables --------------------------------------------------------------------------------------

DATE_COLUMNS = ("released", "period_end", "issue_date", "announced", "revoked", "submitted")


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records → frame with dates as ``datetime64[ns]`` (the contract's type) from the start."""
    df = pd.DataFrame.from_records(records)
    for c in DATE_COLUMNS:
        if c in df:
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df


def _finding(check: str, rec: Any, value: str, message: tuple[str, dict[str, Any]], known: Any,
             column: str | None = None) -> dict:
    """A quality finding; ``message`` is (wording key under ``intake.quality.``, its values): both languages kept.
    A list value is joined the way each language lists things (``join.list``: 、 in Chinese)."""
    key, values = message

    def told(lang: str) -> str:
        return say(f"intake.quality.{key}", lang, **{
            k: say("join.list", lang).join(v) if isinstance(v, list) else v for k, v in values.items()})

    zh, en = told("zh"), told("en")
    return {"check": check, "source_file": rec["source_file"], "sheet": rec["sheet"], "row": int(rec["row"]),
            "column": column if column is not None else str(rec.get("column", "") or ""), "value": value,
            "message": en, "message_zh": zh, "message_key": f"intake.quality.{key}", "known": known}


def _with_revisions(df: pd.DataFrame, key: list[str], findings: list[dict], name: str) -> pd.DataFrame:
    """Number the releases of each key (0 = first); drop exact duplicates and unchanged re-releases.

    A later release with a different value is a revision: kept, numbered, and reported as a finding.
    Reported totals (合计 rows) are not published; they are checked against the sum of the towns instead.
    """
    if df.empty:
        return df
    totals, df = df[df["is_total"]], df[~df["is_total"]]
    _check_totals(df, totals, key, findings)
    df = df.sort_values([*key, "released", "source_file", "row"], kind="stable")
    keep, revision = [], []
    prev_key, last_value, last_released, n = None, None, None, -1
    for idx, rec in zip(df.index, df.to_dict("records"), strict=True):
        k = tuple(rec[c] for c in key)
        if k != prev_key:
            prev_key, last_value, last_released, n = k, None, None, -1
        if last_value is not None and abs(rec["value"] - last_value) < 1e-9:
            if rec["released"] == last_released:
                findings.append(_finding("duplicate_row", rec, _fmt(rec["value"]),
                                         ("duplicate_row", {"table": name}), rec["released"]))
            continue
        if last_value is not None:
            change = rec["value"] - last_value
            pct = f" ({100 * change / last_value:+.1f} %)" if last_value else ""
            check = "revision" if rec["released"] != last_released else "conflicting_figures"
            findings.append(_finding(check, rec, _fmt(rec["value"]), (
                "revision", {"old": _fmt(last_value), "released": f"{last_released:%Y-%m-%d}",
                             "new": _fmt(rec["value"]), "pct": pct}), rec["released"]))
        n += 1
        keep.append(idx)
        revision.append(n)
        last_value, last_released = rec["value"], rec["released"]
    out = df.loc[keep].copy()
    out["revision"] = revision
    return out.drop(columns=["is_total"])


def _check_totals(towns: pd.DataFrame, totals: pd.DataFrame, key: list[str], findings: list[dict]) -> None:
    if totals.empty:
        return
    group = [k for k in key if k != "town"] + ["source_file", "sheet"]
    sums = towns.groupby(group)["value"].agg(["sum", "count"])
    for rec in totals.to_dict("records"):
        k = tuple(rec[g] for g in group)
        if k not in sums.index:
            continue
        s, n = sums.loc[k, "sum"], sums.loc[k, "count"]
        if abs(s - rec["value"]) > max(0.06 * n, 1e-3 * abs(rec["value"])):
            findings.append(_finding("total_vs_towns", rec, _fmt(rec["value"]),
                                     ("total_vs_towns", {"n": n, "sum": _fmt(s)}), rec["released"]))


def _fmt(x: float) -> str:
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:g}"


def _certificates(df: pd.DataFrame, findings: list[dict]) -> pd.DataFrame:
    """Register rows → certificates: check codes, key firms, drop exact duplicates, note renames and odd numbers."""
    if df.empty:
        return df
    df = df.copy()
    df["credit_code_ok"] = df["credit_code"].map(is_valid).astype(bool)
    df["firm_id"] = [code if ok else normalise_text(name)
                     for code, ok, name in zip(df["credit_code"], df["credit_code_ok"], df["firm_name"], strict=True)]
    content = [c for c in df.columns if c not in ("row",)]
    dup = df[content].astype(str).duplicated(keep="first")
    for rec in df[dup].to_dict("records"):
        findings.append(_finding("duplicate_row", rec, rec["cert_no"], ("duplicate_register_row", {}),
                                 rec["announced"], "证书编号"))
    df = _one_row_per_certificate(df[~dup], findings)
    for rec in df[~df["credit_code_ok"]].to_dict("records"):
        findings.append(_finding("credit_code_check", rec, rec["credit_code"], ("credit_code_check", {}),
                                 rec["announced"], "统一社会信用代码"))
    for rec in df.to_dict("records"):
        m = CERT_NO_RE.match(rec["cert_no"])
        if not m or int(m.group(1)) != rec["issue_date"].year:
            findings.append(_finding("cert_no_format", rec, rec["cert_no"], ("cert_no_format", {}),
                                     rec["announced"], "证书编号"))
    ok = df[df["credit_code_ok"]].sort_values(["credit_code", "announced", "row"])
    previous: dict[str, str] = {}
    for rec in ok.to_dict("records"):
        name = normalise_text(rec["firm_name"])
        prev = previous.get(rec["credit_code"])
        previous[rec["credit_code"]] = name
        if prev is not None and prev != name:
            findings.append(_finding("renamed_firm", rec, rec["firm_name"], ("renamed_firm", {"prev": prev}),
                                     rec["announced"], "企业名称"))
    return df


def _applications(df: pd.DataFrame) -> pd.DataFrame:
    """Application rows → applications: the firm keyed as in the register (credit code when its check holds,
    else the normalised name), so an application and a certificate of the same firm meet."""
    if df.empty:
        return df
    df = df.copy()
    df["credit_code_ok"] = df["credit_code"].map(is_valid).astype(bool)
    df["firm_id"] = [code if ok else normalise_text(name)
                     for code, ok, name in zip(df["credit_code"], df["credit_code_ok"], df["firm_name"], strict=True)]
    return df


def _one_row_per_certificate(df: pd.DataFrame, findings: list[dict]) -> pd.DataFrame:
    """The same certificate (number, firm, issue date) listed again with another 公示日期: one row is kept.

    A certificate is announced once, so two dates cannot both be right. The latest is kept: a briefing must
    not count a firm from a date that may not have been true (no look-ahead), and if the earlier date was the
    true one, keeping the later only delays the firm's count; a revocation on any of the rows is kept with it. Each dropped row is a warning in the quality table, so the
    contradiction is seen; the firm is then counted once by every count, cohorts included.
    """
    same = ["cert_no", "credit_code", "issue_date"]
    repeated = df[df.duplicated(same, keep=False)]
    if repeated.empty:
        return df
    drop = []
    latest_first = repeated.sort_values([*same, "announced", "row"], ascending=[True, True, True, False, True])
    for _, group in latest_first.groupby(same, sort=False):
        first = group.index[0]
        if group["revoked"].notna().any():
            df.loc[first, "revoked"] = group["revoked"].min()
        dates = [f"{d:%Y-%m-%d}" for d in group["announced"]]
        for idx in group.index[1:]:
            rec = df.loc[idx].to_dict()
            findings.append(_finding("duplicate_certificate", rec, f"{rec['announced']:%Y-%m-%d}", (
                "duplicate_certificate", {"cert_no": rec["cert_no"], "dates": dates,
                                          "kept": f"{group['announced'].iloc[0]:%Y-%m-%d}"}),
                rec["announced"], "公示日期"))
            drop.append(idx)
    return df.drop(index=drop)


def _unit_jumps(industry: pd.DataFrame, findings: list[dict]) -> None:
    """A column whose towns sum to about 100× or 10,000× the same figure a year earlier: a unit written wrong.

    The unit a column is read in (亿元 / 万元: its header's, else the title's 单位：…) scales every figure of it, so a
    unit that does not match the figures makes them exactly a power of ten off, and nothing in the sheet itself
    shows it; the finding names that unit as ingest applied it. The towns' sum of
    a YTD figure does not move by a factor of 30 or more in a year, so such a jump against the same period of
    the year before (else the latest earlier month of the same year) is reported, naming both. It is a finding,
    not a fault: the earlier figure may be the wrong one, and only the person who filled in the return knows.
    """
    if industry.empty:
        return
    latest = industry.sort_values("revision").drop_duplicates(INDUSTRY_KEY, keep="last")
    by_period = {k: g.set_index("town") for k, g in latest.groupby(["indicator", "year", "month"])}
    for (_file, _sheet, _column, indicator, year, month), group in industry.groupby(
            ["source_file", "sheet", "column", "indicator", "year", "month"]):
        earlier = [(y, m) for (i, y, m) in by_period if i == indicator and (y, m) < (year, month)]
        ref_key = (year - 1, month) if (year - 1, month) in earlier else max(
            [p for p in earlier if p[0] == year], default=None)
        if ref_key is None:
            continue
        ref = by_period[(indicator, *ref_key)]
        towns = group.set_index("town")["value"]
        common = towns.index.intersection(ref.index)
        now, before = float(towns[common].sum()), float(ref.loc[common, "value"].sum())
        if not len(common) or now * before <= 0:
            continue
        ratio = now / before
        power = round(math.log10(ratio))
        if abs(power) < 2 or abs(math.log10(ratio) - power) > 0.5:
            continue
        rec = group.sort_values("row").iloc[0].to_dict()
        ref_file = sorted(set(ref.loc[common, "source_file"]))
        findings.append(_finding("unit_jump", rec, _fmt(now), ("unit_jump", {
            "sum": _fmt(now), "ref_sum": _fmt(before), "ref_period": f"{ref_key[0]}-{ref_key[1]:02d}",
            "ref_file": ref_file, "factor": f"{ratio:,.0f}" if ratio >= 1 else f"1/{1 / ratio:,.0f}", "power": f"{10.0 ** power:,g}",
            "unit": rec["unit"]}), group["released"].max()))


def _register_vs_reported(tasks: pd.DataFrame, certs: pd.DataFrame, findings: list[dict],
                          register_counts: tuple[str, ...]) -> None:
    """Towns' own counts of valid firms against the register as known on the day the return was sent.

    Counting goes through ``helpers.register.valid_firms`` so this check and the headline agree on the rule.
    """
    if tasks.empty or certs.empty:
        return
    reported = tasks[tasks["task_id"].isin(register_counts) & (tasks["town"] != DISTRICT)]
    counts: dict[tuple[Any, Any], pd.Series] = {}
    for rec in reported.to_dict("records"):
        end, known = rec["period_end"], rec["released"]
        if (end, known) not in counts:
            counts[(end, known)] = valid_firms(certs[certs["announced"] <= known], end, by_town=True)
        n = int(counts[(end, known)].get(rec["town"], 0))
        if n != int(rec["value"]):
            findings.append(_finding("register_vs_reported", rec, _fmt(rec["value"]), (
                "register_vs_reported", {"reported": int(rec["value"]), "end": f"{end:%Y-%m-%d}", "counted": n}),
                known))


def _notes(parsed: Parsed, industry: pd.DataFrame, tasks: pd.DataFrame, certs: pd.DataFrame) -> list[dict]:
    """Reader notes (numbers typed as text, unpublished cells) and set-aside figures, dated by the release of
    their row or sheet."""
    known: dict[tuple[str, str, int], Any] = {}
    by_sheet: dict[tuple[str, str], Any] = {}
    for df, col in ((industry, "released"), (tasks, "released"), (certs, "announced")):
        for f, s, r, d in zip(df.get("source_file", []), df.get("sheet", []), df.get("row", []),
                              df.get(col, []), strict=True):
            known[(f, s, int(r))] = d
            by_sheet[(f, s)] = max(d, by_sheet.get((f, s), d))
    out = []
    for note in parsed.notes:
        when = known.get((note["source_file"], note["sheet"], note["row"])) or by_sheet.get(
            (note["source_file"], note["sheet"]))
        if when is None:
            continue
        note = dict(note)
        zh, en = both(f"intake.quality.{note['check']}", **note.pop("values", {}))
        out.append({**note, "message": en, "message_zh": zh, "message_key": f"intake.quality.{note['check']}",
                    "known": when})
    for aside in parsed.set_aside:
        when = aside["known"] or by_sheet.get((aside["source_file"], aside["sheet"])) or _sheet_known(parsed, aside)
        key = f"intake.set_aside.{aside['reason']}"
        zh, en = both(key, n=aside["count"])
        out.append({"check": "set_aside", "source_file": aside["source_file"], "sheet": aside["sheet"],
                    "row": aside["row"], "column": aside["column"], "value": str(aside["count"]), "message": en,
                    "message_zh": zh, "message_key": key, "known": when})
    return out


def _sheet_known(parsed: Parsed, aside: dict[str, Any]) -> Any:
    """When a sheet without any kept figure became known: the latest date its parser saw (else the far past)."""
    dates = [r.get("released") or r.get("announced") for r in (*parsed.industry, *parsed.tasks, *parsed.certificates)
             if r["source_file"] == aside["source_file"] and r["sheet"] == aside["sheet"]]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else dt.date(1970, 1, 1)


def _quality(findings: list[dict]) -> pd.DataFrame:
    cols = ["check", "severity", "source_file", "sheet", "row", "column", "value", "message", "message_zh",
            "message_key", "known"]
    df = pd.DataFrame.from_records(findings, columns=[c for c in cols if c != "severity"])
    df["severity"] = df["check"].map(SEVERITY).fillna("info")
    df = df[cols]
    df["row"] = df["row"].astype("Int64")
    df["known"] = pd.to_datetime(df["known"]).astype("datetime64[ns]")
    for c in ("check", "severity", "source_file", "sheet", "column", "value", "message", "message_zh", "message_key"):
        df[c] = df[c].fillna("").astype(str)
    df = df.sort_values(["known", "check", "source_file", "row"], kind="stable").reset_index(drop=True)
    return SCHEMAS["quality"].validate(df)


def _finish(df: pd.DataFrame, name: str, order: list[str]) -> pd.DataFrame:
    """Cast to the contract's types, order rows, and check the table against its schema."""
    schema = SCHEMAS[name]
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype=_empty_dtype(col.dtype)) for c, col in schema.columns.items()})
    df = df[list(schema.columns)].copy()
    for c, col in schema.columns.items():
        dtype = str(col.dtype)
        if dtype.startswith("datetime64"):
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
        elif dtype == "int64":
            df[c] = df[c].astype("int64")
        elif dtype in ("float64", "float"):
            df[c] = df[c].astype(float)
        elif dtype == "bool":
            df[c] = df[c].astype(bool)
        else:
            df[c] = df[c].fillna("").astype(str)
    df = df.sort_values(order, kind="stable").reset_index(drop=True)
    return schema.validate(df)


def _empty_dtype(dtype: Any) -> str:
    text = str(dtype)
    return "datetime64[ns]" if text.startswith("datetime64") else ("object" if text in ("str", "None") else text)


def _periods(data: ProcessedData) -> dict[str, str]:
    out = {}
    ind = data.industry
    if len(ind):
        first, last = ind.sort_values(["year", "month"]).iloc[[0, -1]][["year", "month"]].values
        out["industry"] = _summary("industry_span", first=f"{first[0]}-{first[1]:02d}", last=f"{last[0]}-{last[1]:02d}",
                                   released_first=f"{ind['released'].min():%Y-%m-%d}",
                                   released_last=f"{ind['released'].max():%Y-%m-%d}",
                                   revised=int((ind["revision"] > 0).sum()))
    cert = data.certificates
    if len(cert):
        out["certificates"] = _summary("certificates_span", first=f"{cert['issue_date'].min():%Y-%m-%d}",
                                       last=f"{cert['issue_date'].max():%Y-%m-%d}", firms=cert["firm_id"].nunique(),
                                       revoked=int(cert["revoked"].notna().sum()))
    tasks = data.tasks
    if len(tasks):
        out["tasks"] = _summary("tasks_span", first=f"{tasks['period_end'].min():%Y-%m-%d}",
                                last=f"{tasks['period_end'].max():%Y-%m-%d}", ids=tasks["task_id"].nunique())
    return out


def file_digest(path: Path) -> str:
    """sha256 of a raw file, as recorded in manifest.json (render uses it to tell whether a clean is due)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
