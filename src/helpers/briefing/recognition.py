"""The recognition pipeline by town and by application round, and the certificates about to expire.

Why: the district figures of the task sheet say how many firms applied and were recognised, not where. The
application list (``applications.parquet``, the 高企申报名单) names every applicant firm; matched to the certificate
register by firm (the credit code, or the normalised name where the code fails its check) it gives applications,
recognitions and the pass rate per town and per round - and, for the firms whose certificates run out in the focus
year or the next, whether a re-recognition application is on file, which is the list the bureau follows up.

No look-ahead: the tables are computed from ``MeetingContext.data``, already cut at the meeting's cut-off
(``helpers.vintage.as_of``: applications submitted by then, certificates announced by then). An application's
outcome counts as known only once its round's recognitions have been announced, or the year has ended (Jiangsu
announces every batch by December); until then it is "under review", never "failed".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from helpers.labels import Lang, known, town_label
from helpers.register import expiry
from helpers.towns import DISTRICT, TOWNS, normalise_text
from helpers.wording import say

from .context import MeetingContext
from .markup import Table

#: what the bureau follows up for each expiring certificate
FOLLOW_UP = ("renewed", "applied_pending", "applied_failed", "not_applied", "not_yet_due")
TOWN_COLUMNS = ["town", "applications", "recognised", "failed", "pending", "pass_rate"]
BATCH_COLUMNS = ["batch", "submitted_last", "applications", "recognised", "announced", "pass_rate"]
EXPIRING_COLUMNS = ["firm_name", "credit_code", "town", "cert_no", "valid_until", "valid", "follow_up", "applied_on"]


@dataclass(frozen=True)
class YearPipeline:
    """One year's applications and their outcomes as known at the cut-off."""

    year: int
    decided: bool  # the year has ended by the cut-off: every round's outcome is known
    by_town: pd.DataFrame  # TOWN_COLUMNS, the towns in the region's order, then the district
    by_batch: pd.DataFrame  # BATCH_COLUMNS, one row per application round
    unlisted: int  # certificates of the year whose firm is not on the year's application list

    @property
    def district(self) -> pd.Series:
        return self.by_town.loc[self.by_town["town"] == DISTRICT].iloc[0]


def _rate(recognised: int, decided: int) -> float:
    return recognised / decided if decided else float("nan")


def _announced_by_firm(certs: pd.DataFrame, year: int) -> dict[str, pd.Timestamp]:
    """When each firm certified in ``year`` was announced, keyed both by firm id and by normalised name: a credit
    code mistyped on one of the two lists still meets its firm by name."""
    issued = certs.loc[pd.to_datetime(certs["issue_date"]).dt.year == year]
    by_id = issued.groupby("firm_id")["announced"].min().to_dict()
    by_name = issued.assign(key=issued["firm_name"].map(normalise_text)).groupby("key")["announced"].min().to_dict()
    return by_name | by_id


def _year_outcomes(apps: pd.DataFrame, certs: pd.DataFrame, year: int, cut_off: dt.date) -> pd.DataFrame:
    """The year's applications with ``recognised`` (a certificate of the year for the firm) and ``decided``."""
    a = apps.loc[apps["year"] == year].copy()
    announced = _announced_by_firm(certs, year)
    a["announced"] = pd.to_datetime([announced.get(i, announced.get(normalise_text(n)))
                                     for i, n in zip(a["firm_id"], a["firm_name"], strict=True)])
    a["recognised"] = a["announced"].notna()
    year_over = cut_off >= dt.date(year, 12, 31)
    batch_out = a.loc[a["recognised"]].groupby("batch")["announced"].max()
    a["decided"] = year_over | a["batch"].isin(batch_out.index)
    return a


def year_pipeline(c: MeetingContext, year: int) -> YearPipeline | None:
    """Applications, recognitions and pass rates of ``year`` by town and by round; None without applications."""
    apps, certs = c.data.applications, c.data.certificates
    if apps.empty or not (apps["year"] == year).any():
        return None
    a = _year_outcomes(apps, certs, year, c.meeting.cut_off)
    rows = []
    for town, g in [*((t, a.loc[a["town"] == t]) for t in TOWNS), (DISTRICT, a)]:
        if town != DISTRICT and g.empty:
            continue
        decided = g.loc[g["decided"]]
        rec = int(g["recognised"].sum())
        rows.append({"town": town, "applications": len(g), "recognised": rec,
                     "failed": int((~decided["recognised"]).sum()), "pending": int((~g["decided"]).sum()),
                     "pass_rate": _rate(int(decided["recognised"].sum()), len(decided))})
    batches = []
    for batch, g in a.groupby("batch", sort=True):
        decided = g.loc[g["decided"]]
        batches.append({"batch": int(batch), "submitted_last": pd.Timestamp(g["submitted"].max()),
                        "applications": len(g), "recognised": int(g["recognised"].sum()),
                        "announced": g.loc[g["recognised"], "announced"].max(),
                        "pass_rate": _rate(int(decided["recognised"].sum()), len(decided))})
    issued = certs.loc[pd.to_datetime(certs["issue_date"]).dt.year == year]
    listed = set(a["firm_id"]) | {normalise_text(n) for n in a["firm_name"]}
    unlisted = sum(not ({i, normalise_text(n)} & listed) for i, n in
                   issued[["firm_id", "firm_name"]].drop_duplicates("firm_id").itertuples(index=False))
    return YearPipeline(year, c.meeting.cut_off >= dt.date(year, 12, 31), pd.DataFrame(rows, columns=TOWN_COLUMNS),
                        pd.DataFrame(batches, columns=BATCH_COLUMNS), unlisted)


def pipelines(c: MeetingContext) -> list[YearPipeline]:
    """The last year whose outcomes are all known and, if later, the current year's applications so far."""
    apps = c.data.applications
    if apps.empty:
        return []
    years = sorted({int(y) for y in apps["year"]})
    closed = [y for y in years if c.meeting.cut_off >= dt.date(y, 12, 31)]
    open_ = [y for y in years if y not in closed]
    chosen = closed[-1:] + open_[-1:]
    return [p for y in chosen if (p := year_pipeline(c, y)) is not None]


def expiring(c: MeetingContext) -> pd.DataFrame:
    """Firms whose latest certificate (not revoked) runs out in the focus year or the next, as known at the
    cut-off, with whether a re-recognition application of the expiry year is on file and how it stands."""
    certs = c.data.certificates
    if certs.empty:
        return pd.DataFrame(columns=EXPIRING_COLUMNS)
    live = certs.loc[certs["revoked"].isna()].sort_values(["firm_id", "issue_date"])
    latest = live.groupby("firm_id").tail(1).copy()
    latest["valid_until"] = expiry(latest["issue_date"]) - pd.Timedelta(days=1)
    years = (c.meeting.focus_year, c.meeting.focus_year + 1)
    due = latest.loc[latest["valid_until"].dt.year.isin(years)].copy()
    cut = pd.Timestamp(c.meeting.cut_off)
    due["valid"] = due["valid_until"] >= cut
    apps = c.data.applications
    outcomes = {y: _year_outcomes(apps, certs, y, c.meeting.cut_off) for y in years}
    rows = []
    for r in due.to_dict("records"):
        year = r["valid_until"].year
        o = outcomes[year]
        mine = o.loc[(o["firm_id"] == r["firm_id"]) | (o["firm_name"].map(normalise_text)
                                                       == normalise_text(r["firm_name"]))]
        if mine.empty:
            follow = "not_yet_due" if year > c.meeting.cut_off.year else "not_applied"
            applied = pd.NaT
        else:
            outcome = mine.sort_values("submitted").iloc[-1]
            follow = ("renewed" if outcome["recognised"] else
                      "applied_pending" if not outcome["decided"] else "applied_failed")
            applied = pd.Timestamp(outcome["submitted"])
        rows.append({"firm_name": r["firm_name"], "credit_code": r["credit_code"], "town": r["town"],
                     "cert_no": r["cert_no"], "valid_until": r["valid_until"], "valid": bool(r["valid"]),
                     "follow_up": follow, "applied_on": applied})
    out = pd.DataFrame(rows, columns=EXPIRING_COLUMNS)
    order = {t: i for i, t in enumerate(TOWNS)}
    return out.sort_values(["valid_until", "town"], key=lambda s: s.map(order) if s.name == "town" else s,
                           kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------------ wording and tables
def chinese_date(d: dt.date | pd.Timestamp, lang: Lang) -> str:
    """2024年6月30日 on Chinese pages, 2024-06-30 on English ones."""
    d = pd.Timestamp(d)
    return say("recognition.date", lang, y=d.year, m=d.month, d=d.day)


def _pct(x: float, lang: Lang) -> str:
    return say("recognition.pending_rate", lang) if pd.isna(x) else f"{100 * x:.0f}%"


def _count(n: int, lang: Lang) -> str:
    return _counted("recognition.firms", n, lang)


def _counted(key: str, n: int, lang: Lang) -> str:
    """``n`` with its noun (``key``), singular in English for one (``<key>.one``): "1 application"."""
    return say(f"{key}.one" if int(n) == 1 and known(f"{key}.one") else key, lang, n=int(n))


def pipeline_text(p: YearPipeline, lang: Lang) -> str:
    """One sentence on the year: applications, recognitions, pass rate and the town with the lowest rate."""
    d = p.district
    towns = p.by_town.loc[(p.by_town["town"] != DISTRICT) & p.by_town["pass_rate"].notna()
                          & (p.by_town["applications"] >= 3)]
    if p.decided:
        text = say("recognition.year_decided", lang, year=p.year,
                   applications=_counted("recognition.n.applications", d["applications"], lang),
                   recognised=_counted("recognition.n.recognised", d["recognised"], lang), rate=_pct(d["pass_rate"], lang))
        if len(towns):
            low = towns.sort_values(["pass_rate", "applications"], ascending=[True, False]).iloc[0]
            text += say("recognition.lowest_town", lang, town=town_label(low["town"], lang),
                        rate=_pct(low["pass_rate"], lang),
                        applications=_counted("recognition.n.applications", low["applications"], lang))
        else:
            text += say("recognition.stop", lang)
    else:
        text = say("recognition.year_open", lang, year=p.year,
                   applications=_counted("recognition.n.applications", d["applications"], lang),
                   recognised=_counted("recognition.n.recognised", d["recognised"], lang),
                   pending=_counted("recognition.n.pending", d["pending"], lang))
    if p.unlisted:
        text += say("recognition.unlisted.one" if p.unlisted == 1 else "recognition.unlisted", lang, n=p.unlisted)
    return text


def town_table(p: YearPipeline, lang: Lang) -> Table:
    header = [say(f"recognition.col.{k}", lang) for k in TOWN_COLUMNS]
    rows = [[town_label(r["town"], lang), str(r["applications"]), str(r["recognised"]), str(r["failed"]),
             str(r["pending"]), _pct(r["pass_rate"], lang)] for r in p.by_town.to_dict("records")]
    return Table(header, rows, numeric=(1, 2, 3, 4, 5), gq=f"recognition-towns-{p.year}")


def batch_table(p: YearPipeline, lang: Lang) -> Table:
    header = [say(f"recognition.col.{k}", lang) for k in BATCH_COLUMNS]
    rows = [[say("recognition.batch", lang, k=r["batch"]), chinese_date(r["submitted_last"], lang),
             str(r["applications"]), str(r["recognised"]),
             chinese_date(r["announced"], lang) if pd.notna(r["announced"]) else say("recognition.not_announced", lang),
             _pct(r["pass_rate"], lang)] for r in p.by_batch.to_dict("records")]
    return Table(header, rows, numeric=(2, 3, 5), gq=f"recognition-batches-{p.year}")


def expiring_title(c: MeetingContext, table: pd.DataFrame) -> str:
    applied = int((table["follow_up"].str.startswith("applied") | (table["follow_up"] == "renewed")).sum())
    return say("recognition.expiring.title", c.lang, first=c.meeting.focus_year, last=c.meeting.focus_year + 1,
               n=len(table), applied=applied)


def expiring_table(c: MeetingContext, table: pd.DataFrame) -> Table:
    """The annex table: firm names, towns and expiry (credit codes stay in the xlsx, off the page)."""
    lang = c.lang
    header = [say("recognition.col.no", lang)] + [say(f"recognition.col.{k}", lang)
                                                  for k in ("firm_name", "town", "valid_until", "follow_up")]
    rows = []
    for i, r in enumerate(table.to_dict("records"), start=1):
        follow = say(f"recognition.follow.{r['follow_up']}", lang)
        if pd.notna(r["applied_on"]):
            follow = say("recognition.follow.with_date", lang, state=follow, date=chinese_date(r["applied_on"], lang))
        until = chinese_date(r["valid_until"], lang) + ("" if r["valid"] else say("recognition.expired", lang))
        rows.append([str(i), r["firm_name"], town_label(r["town"], lang), until, follow])
    return Table(header, rows, numeric=(0,), gq="expiring-certificates")


def year_heading(p: YearPipeline, c: MeetingContext) -> str:
    state = (say("recognition.state.decided", c.lang) if p.decided else
             say("recognition.state.open", c.lang, date=chinese_date(c.meeting.cut_off, c.lang)))
    return say("recognition.year_heading", c.lang, year=p.year, state=state)


Cell = tuple[str, object, str]


def appendix_sheets(c: MeetingContext) -> list[tuple[str, list[str], list[list[Cell]]]]:
    """The xlsx sheets (title, header, rows of (kind, value, unit) cells): each year's towns and rounds, and the
    expiring certificates with credit codes and certificate numbers, for the bureau's own follow-up."""
    lang = c.lang
    out: list[tuple[str, list[str], list[list[Cell]]]] = []
    for p in pipelines(c):
        out.append((say("recognition.xlsx.sheet.towns", lang, year=p.year),
                    [say(f"recognition.col.{k}", lang) for k in TOWN_COLUMNS],
                    [[("town", r["town"], ""), *[("int", r[k], "") for k in TOWN_COLUMNS[1:5]],
                      ("probability", r["pass_rate"], "")] for r in p.by_town.to_dict("records")]))
        out.append((say("recognition.xlsx.sheet.batches", lang, year=p.year),
                    [say(f"recognition.col.{k}", lang) for k in BATCH_COLUMNS],
                    [[("text", say("recognition.batch", lang, k=r["batch"]), ""), ("date", r["submitted_last"], ""),
                      ("int", r["applications"], ""), ("int", r["recognised"], ""), ("date", r["announced"], ""),
                      ("probability", r["pass_rate"], "")] for r in p.by_batch.to_dict("records")]))
    table = expiring(c)
    kinds = {"town": "town", "valid_until": "date", "applied_on": "date", "valid": "bool"}
    rows = []
    for r in table.to_dict("records"):
        r = r | {"follow_up": say(f"recognition.follow.{r['follow_up']}", lang)}
        rows.append([(kinds.get(k, "text"), r[k], "") for k in EXPIRING_COLUMNS])
    out.append((say("recognition.xlsx.sheet.expiring", lang, first=c.meeting.focus_year,
                    last=c.meeting.focus_year + 1),
                [say(f"recognition.col.{k}", lang) for k in EXPIRING_COLUMNS], rows))
    return out
