"""The register of high-tech enterprise certificates: who is valid on a day, and the cohorts behind the stock.

Why a module of its own: "valid high-tech enterprises" is not a number anyone reports, it is produced by a
rule (国科发火〔2016〕32号, domain.md §5): a certificate is valid for three years from its issue date, so the
stock at a date is the firms holding a certificate issued in the last three years and not revoked. Every
count in the suite (the headline target, the cohort forecast, the register-vs-reported check) goes through
``valid_on`` so they all agree on the edge cases: expiry on the exact anniversary (no longer valid that
day), Feb 29 issue dates (expire on Mar 1), re-recognition before expiry (one firm, counted once), and
revocation (invalid from the revocation day on).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.towns import TOWNS

VALID_YEARS = 3


def expiry(issue: pd.Series | pd.Timestamp | dt.date) -> pd.Series | pd.Timestamp:
    """The first day a certificate is no longer valid: the same month and day three years later.

    A certificate issued on Feb 29 expires on Mar 1 three years later (there is no Feb 29 then).
    """
    if isinstance(issue, pd.Series):
        issue = pd.to_datetime(issue)
        # DateOffset(years=3) maps Feb 29 → Feb 28; the rule wants Mar 1, so shift those by a day.
        out = issue + pd.DateOffset(years=VALID_YEARS)
        leap = (issue.dt.month == 2) & (issue.dt.day == 29)
        return out.where(~leap, out + pd.Timedelta(days=1))
    ts = pd.Timestamp(issue)
    if ts.month == 2 and ts.day == 29:
        return pd.Timestamp(ts.year + VALID_YEARS, 3, 1)
    return ts.replace(year=ts.year + VALID_YEARS)


def _day(at: dt.date | pd.Timestamp | str) -> pd.Timestamp:
    return pd.Timestamp(at).normalize()


def valid_on(certs: pd.DataFrame, at: dt.date | pd.Timestamp | str) -> pd.Series:
    """Boolean mask of certificates valid on day ``at``: ``issue <= at < expiry`` and not ``revoked <= at``."""
    day = _day(at)
    issue = pd.to_datetime(certs["issue_date"])
    ok = (issue <= day) & (day < expiry(issue))
    if "revoked" in certs:
        revoked = pd.to_datetime(certs["revoked"])
        ok &= ~(revoked.notna() & (revoked <= day))
    return ok.fillna(False).astype(bool)


def valid_firms(
    certs: pd.DataFrame, at: dt.date | pd.Timestamp | str, by_town: bool = False
) -> int | pd.Series:
    """The number of distinct firms holding a valid certificate on ``at``.

    With ``by_town`` a Series indexed by town code (every town of the plan, zeros included); a firm belongs
    to the town of its latest valid certificate, so a firm that moved is counted once, where it is now.
    """
    valid = certs.loc[valid_on(certs, at)]
    if not by_town:
        return int(valid["firm_id"].nunique())
    latest = valid.sort_values("issue_date").drop_duplicates("firm_id", keep="last")
    counts = latest.groupby("town").size()
    towns = list(TOWNS) + sorted(set(counts.index) - set(TOWNS))
    return counts.reindex(towns, fill_value=0).astype(int).rename("valid_firms")


def latest_valid(certs: pd.DataFrame, at: dt.date | pd.Timestamp | str) -> pd.DataFrame:
    """One row per firm valid on ``at``: its latest valid certificate (the one that decides when it lapses)."""
    valid = certs.loc[valid_on(certs, at)]
    return valid.sort_values("issue_date").drop_duplicates("firm_id", keep="last")


def cohorts(certs: pd.DataFrame, year: int) -> pd.DataFrame:
    """The certificates by issue year, as seen at the end of ``year`` (only certificates issued by then).

    Columns, per issue year ``issue_year`` (firms, not certificates):
    ``issued`` firms certified that year; ``new`` of them, first-time (no earlier certificate);
    ``re_recognised`` of them, holding an earlier certificate (renewals and returns after a lapse);
    ``revoked`` certificates of the cohort revoked by year end; ``valid_at_end`` firms whose latest valid
    certificate on ``year``-12-31 is from this cohort; ``expiry_year`` the year its certificates lapse;
    ``expiring`` True for the cohort lapsing during ``year``; ``renewed`` firms of the cohort holding a
    later certificate issued by year end; ``lapsed`` firms of the cohort that expired (or were revoked)
    without a later certificate.
    """
    end = pd.Timestamp(year, 12, 31)
    c = certs.loc[pd.to_datetime(certs["issue_date"]) <= end].copy()
    cols = ["issue_year", "issued", "new", "re_recognised", "revoked", "valid_at_end", "expiry_year",
            "expiring", "renewed", "lapsed"]
    if c.empty:
        return pd.DataFrame(columns=cols)
    c["issue_date"] = pd.to_datetime(c["issue_date"])
    c["issue_year"] = c["issue_date"].dt.year
    first = c.groupby("firm_id")["issue_date"].min()
    last = c.groupby("firm_id")["issue_date"].max()
    c["is_new"] = c["issue_date"].eq(c["firm_id"].map(first))
    c["renewed"] = c["firm_id"].map(last) > c["issue_date"]
    revoked = pd.to_datetime(c["revoked"]) if "revoked" in c else pd.Series(pd.NaT, index=c.index)
    c["is_revoked"] = revoked.notna() & (revoked <= end)
    c["gone"] = (expiry(c["issue_date"]) <= end) | c["is_revoked"]
    c["lapsed"] = c["gone"] & ~c["renewed"]
    now = latest_valid(c, end)
    valid_by_year = now.groupby(now["issue_date"].dt.year)["firm_id"].nunique()
    rows = []
    for y, g in c.groupby("issue_year"):
        firms = g.drop_duplicates("firm_id")
        rows.append(
            {
                "issue_year": int(y),
                "issued": int(firms.shape[0]),
                "new": int(g.loc[g["is_new"], "firm_id"].nunique()),
                "re_recognised": int(g.loc[~g["is_new"], "firm_id"].nunique()),
                "revoked": int(g["is_revoked"].sum()),
                "valid_at_end": int(valid_by_year.get(y, 0)),
                "expiry_year": int(y) + VALID_YEARS,
                "expiring": int(y) + VALID_YEARS == year,
                "renewed": int(g.loc[g["renewed"], "firm_id"].nunique()),
                "lapsed": int(g.loc[g["lapsed"], "firm_id"].nunique()),
            }
        )
    return pd.DataFrame(rows, columns=cols).sort_values("issue_year").reset_index(drop=True)


def year_end_stock(certs: pd.DataFrame, years: list[int] | range) -> pd.Series:
    """Valid firms at each year end, indexed by year (the series a naive trend would be drawn through)."""
    return pd.Series({y: valid_firms(certs, dt.date(y, 12, 31)) for y in years}, dtype=float, name="valid_firms")

