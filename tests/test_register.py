"""The valid-firm rule on hand-checked cases (domain.md §5)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.register import cohorts, expiry, valid_firms, valid_on


def certs(*rows: tuple) -> pd.DataFrame:
    """rows: (firm_id, town, issue_date, revoked or None)."""
    return pd.DataFrame(
        {
            "firm_id": [r[0] for r in rows],
            "town": [r[1] for r in rows],
            "issue_date": pd.to_datetime([r[2] for r in rows]),
            "revoked": pd.to_datetime([r[3] for r in rows]),
        }
    )


def test_certificate_is_valid_on_its_issue_day_and_not_before():
    c = certs(("a", "kfq", "2021-11-30", None))
    assert valid_firms(c, dt.date(2021, 11, 29)) == 0
    assert valid_firms(c, dt.date(2021, 11, 30)) == 1


def test_certificate_expires_on_the_exact_third_anniversary():
    c = certs(("a", "kfq", "2021-11-30", None))
    assert valid_firms(c, dt.date(2024, 11, 29)) == 1
    assert valid_firms(c, dt.date(2024, 11, 30)) == 0


def test_feb_29_certificate_expires_on_march_1():
    assert expiry(pd.Timestamp("2020-02-29")) == pd.Timestamp("2023-03-01")
    c = certs(("a", "kfq", "2020-02-29", None))
    assert valid_on(c, "2023-02-28").tolist() == [True]
    assert valid_on(c, "2023-03-01").tolist() == [False]
    assert expiry(c["issue_date"]).tolist() == [pd.Timestamp("2023-03-01")]


def test_re_recognition_before_expiry_counts_the_firm_once_without_gap():
    c = certs(("a", "kfq", "2021-11-30", None), ("a", "kfq", "2024-10-15", None))
    for day in ("2024-10-14", "2024-10-15", "2024-11-30", "2024-12-31", "2027-10-14"):
        assert valid_firms(c, day) == 1, day
    assert valid_firms(c, "2027-10-15") == 0


def test_revoked_certificate_is_invalid_from_the_revocation_day():
    c = certs(("a", "kfq", "2022-12-01", "2023-06-15"), ("b", "kfq", "2022-12-01", None))
    assert valid_firms(c, "2023-06-14") == 2
    assert valid_firms(c, "2023-06-15") == 1


def test_firm_counts_in_the_town_of_its_latest_valid_certificate():
    c = certs(("a", "kfq", "2021-11-30", None), ("a", "ljxq", "2023-11-01", None), ("b", "sijia", "2022-11-01", None))
    towns = valid_firms(c, "2023-12-31", by_town=True)
    assert towns["ljxq"] == 1 and towns["kfq"] == 0 and towns["sijia"] == 1
    assert towns.sum() == valid_firms(c, "2023-12-31") == 2
    assert "haiyong" in towns.index  # every town of the plan, zeros included


def test_cohorts_known_arithmetic():
    # 2021: a, b, c new. 2022: d new. 2024: a renewed (re-recognised), e new; b lapses; c revoked in 2023.
    c = certs(
        ("a", "kfq", "2021-11-01", None), ("b", "kfq", "2021-11-01", None), ("c", "kfq", "2021-11-01", "2023-05-01"),
        ("d", "kfq", "2022-11-01", None), ("a", "kfq", "2024-11-01", None), ("e", "kfq", "2024-12-01", None),
    )
    t = cohorts(c, 2024).set_index("issue_year")
    assert t.loc[2021, ["issued", "new", "revoked", "renewed", "lapsed", "valid_at_end"]].tolist() == [3, 3, 1, 1, 2, 0]
    assert bool(t.loc[2021, "expiring"]) and not bool(t.loc[2022, "expiring"])
    assert t.loc[2024, ["issued", "new", "re_recognised", "valid_at_end"]].tolist() == [2, 1, 1, 2]
    # the year-end stock is the cohorts of the last three years
    assert t["valid_at_end"].sum() == valid_firms(c, "2024-12-31") == 3
