"""Which returns a meeting should have by its cut-off, and which are missing: so the bureau can chase them.

Why: a briefing built on a half-empty return looks just as finished as one built on complete data. Before each
meeting the office needs the list of what is still owed — the towns that have not sent their half-yearly task
return, the months of statistics not yet released — while there is still time to ask for them.

What is expected (methods only; the plan and the calendar supply the dates):

- **Monthly statistics** (the statistics bureau, all towns in one release): every year-to-date period from the
  plan's baseline year (the year before it starts) to the plan's end whose normal release day
  (``helpers.calendar.released_on``: month end + ``STATS_LAG_DAYS``) falls on or before the cut-off. There is no
  January period (1-2月 is month 2). A period counts as present when every indicator the plan's ratio targets
  divide (numerator and denominator) has a figure released by the cut-off.
- **Task returns** (each town, half-yearly): every half-year ending from the baseline year-end to the plan's end
  whose return is due (``TASK_RETURN_DUE_DAYS`` after the half-year ends) on or before the cut-off, from every town
  of the plan, and from the district (its district-level sheet) when earlier returns carried one.

A return is ``present`` when its figures were released (报送/发布日期) by the cut-off, ``late`` when it has arrived
but is dated after the cut-off (so the briefing, which sees nothing after the cut-off, does not use it), and
``missing`` otherwise. Presence is read from the processed tables through ``helpers.vintage.as_of``, the one place
that decides what was known at a cut-off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from helpers import paths
from helpers.calendar import Meeting, released_on
from helpers.datewords import day_text
from helpers.labels import label_or, town_label
from helpers.towns import DISTRICT, TOWNS
from helpers.wording import say

if TYPE_CHECKING:
    from helpers.processed import ProcessedData
    from helpers.targets import Plan

#: Days after a half-year ends by which towns send their task return (H1 mid-July, H2 mid-January).
TASK_RETURN_DUE_DAYS = 20

STATISTICS = "statistics"
TASK_RETURN = "task_return"
PRESENT, MISSING, LATE = "present", "missing", "late"


@dataclass(frozen=True)
class ExpectedReturn:
    """One return a meeting should have: what, for which period, from whom, by when, and whether it is there."""

    kind: str  # STATISTICS or TASK_RETURN
    period: str  # "2024-07" (statistics, year to date through July) or "2024H1" (task return)
    period_end: dt.date
    due: dt.date
    sender: str  # town code, DISTRICT, or "" for the statistics bureau's release
    status: str  # PRESENT, MISSING or LATE
    released: dt.date | None = None  # the release date found (present or late returns)
    lacking: tuple[str, ...] = ()  # statistics: indicators with no figure by the cut-off

    def period_label(self, lang: str = "zh") -> str:
        year = self.period_end.year
        if self.kind == STATISTICS:
            return say("complete.period.stats", lang, year=year, month=self.period_end.month)
        half = "h1" if self.period_end.month == 6 else "h2"
        return say(f"complete.period.{half}", lang, year=year)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "period": self.period, "period_end": self.period_end.isoformat(),
                "due": self.due.isoformat(), "sender": self.sender, "status": self.status,
                "released": self.released.isoformat() if self.released else None, "lacking": list(self.lacking)}


@dataclass(frozen=True)
class CompletenessReport:
    """Every return a meeting should have by its cut-off, each with its status."""

    meeting: str
    cut_off: dt.date
    rows: tuple[ExpectedReturn, ...]
    stale: bool = False  # data/processed was not cleaned from the returns now in data/raw
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def missing(self) -> tuple[ExpectedReturn, ...]:
        """Returns not usable at the cut-off: not received, or received but dated after it."""
        return tuple(r for r in self.rows if r.status != PRESENT)

    @property
    def complete(self) -> bool:
        return not self.missing

    def summary(self) -> dict[str, Any]:
        """A JSON-ready record (for the summary JSON, the index page, the auto run's state and log)."""
        stats = [r for r in self.rows if r.kind == STATISTICS]
        tasks = [r for r in self.rows if r.kind == TASK_RETURN]
        missing_tasks: dict[str, list[str]] = {}
        for r in tasks:
            if r.status != PRESENT:
                missing_tasks.setdefault(r.period, []).append(r.sender)
        return {
            "meeting": self.meeting,
            "cut_off": self.cut_off.isoformat(),
            "complete": self.complete,
            "stale": self.stale,
            "expected": len(self.rows),
            "present": len(self.rows) - len(self.missing),
            "missing": len(self.missing),
            "statistics_expected": len(stats),
            "statistics_missing": [r.period for r in stats if r.status != PRESENT],
            "task_returns_expected": len(tasks),
            "task_returns_missing": missing_tasks,
            "rows": [r.as_dict() for r in self.missing],
        }

    def lines(self, lang: str = "zh") -> list[str]:
        """Sentences for a person: one for a complete set, else one per group of missing returns."""
        return lines_from_summary(self.summary(), lang)

    def headline(self, lang: str = "zh") -> str:
        """One short sentence (the log line, the console)."""
        return headline_from_summary(self.summary(), lang)


# ---------------------------------------------------------------------------------------------- sentences
def _sender(code: str, lang: str) -> str:
    return town_label(code, lang) if code else say("complete.sender.bureau", lang)


def _join(items: list[str], lang: str) -> str:
    return say("join.list", lang).join(items)


def headline_from_summary(summary: dict[str, Any], lang: str = "zh") -> str:
    """The one-sentence state of a completeness summary (also used from a stored summary, without data)."""
    if summary["complete"]:
        return say("complete.headline.complete", lang, expected=summary["expected"])
    return say("complete.headline.missing", lang, missing=summary["missing"], expected=summary["expected"],
               stats=len(summary["statistics_missing"]),
               tasks=sum(len(v) for v in summary["task_returns_missing"].values()))


def lines_from_summary(summary: dict[str, Any], lang: str = "zh") -> list[str]:
    """Sentences describing a completeness summary: what is complete, what is owed by whom, what came late."""
    out: list[str] = []
    if summary.get("stale"):
        out.append(say("complete.stale", lang))
    if summary["complete"]:
        out.append(say("complete.all_present", lang, cut_off=day_text(summary["cut_off"], lang),
                       stats=summary["statistics_expected"], tasks=summary["task_returns_expected"]))
        return out
    rows = [_row(d) for d in summary["rows"]]
    stats = [r for r in rows if r.kind == STATISTICS and r.status == MISSING]
    if stats:
        out.append(say("complete.stats_missing", lang, cut_off=day_text(summary["cut_off"], lang),
                       periods=_join([r.period_label(lang) for r in stats], lang)))
    for r in stats:
        if r.lacking:
            out.append(say("complete.stats_lacking", lang, period=r.period_label(lang),
                           indicators=_join([label_or(f"ind.{i}", i, lang) for i in r.lacking], lang)))
    by_period: dict[str, list[ExpectedReturn]] = {}
    for r in rows:
        if r.kind == TASK_RETURN and r.status == MISSING:
            by_period.setdefault(r.period, []).append(r)
    for group in by_period.values():
        out.append(say("complete.tasks_missing", lang, period=group[0].period_label(lang),
                       due=day_text(group[0].due, lang), n=len(group),
                       senders=_join([_sender(r.sender, lang) for r in group], lang)))
    for r in rows:
        if r.status == LATE:
            out.append(say("complete.late", lang, sender=_sender(r.sender, lang), period=r.period_label(lang),
                           released=day_text(r.released, lang) if r.released else "?",
                           cut_off=day_text(summary["cut_off"], lang)))
    return out


def _row(d: dict[str, Any]) -> ExpectedReturn:
    return ExpectedReturn(
        kind=d["kind"], period=d["period"], period_end=dt.date.fromisoformat(d["period_end"]),
        due=dt.date.fromisoformat(d["due"]), sender=d["sender"], status=d["status"],
        released=dt.date.fromisoformat(d["released"]) if d.get("released") else None,
        lacking=tuple(d.get("lacking", ())),
    )


# ---------------------------------------------------------------------------------------------- expectations
def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def expected_statistics(plan: Plan, cut_off: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(period, period end, release day) of every statistics period due by ``cut_off``, oldest first."""
    out = []
    for year in range(plan.start.year - 1, min(plan.end.year, cut_off.year) + 1):
        for month in range(2, 13):  # 1-2月 is month 2: there is no January figure
            end = _month_end(year, month)
            if end > plan.end or released_on(end) > cut_off:
                continue
            out.append((f"{year}-{month:02d}", end, released_on(end)))
    return out


def expected_task_periods(plan: Plan, cut_off: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(period, half-year end, due day) of every half-year's task return due by ``cut_off``, oldest first."""
    baseline_end = plan.start - dt.timedelta(days=1)
    out = []
    for year in range(baseline_end.year, min(plan.end.year, cut_off.year) + 1):
        for half, end in ((1, dt.date(year, 6, 30)), (2, dt.date(year, 12, 31))):
            due = end + dt.timedelta(days=TASK_RETURN_DUE_DAYS)
            if end < baseline_end or end > plan.end or due > cut_off:
                continue
            out.append((f"{year}H{half}", end, due))
    return out


def _ratio_indicators(plan: Plan) -> tuple[str, ...]:
    found: list[str] = []
    for t in plan.targets:
        for name in (t.numerator, t.denominator):
            if name and name not in found:
                found.append(name)
    return tuple(found)


# ---------------------------------------------------------------------------------------------- the report
def for_meeting(plan: Plan, meeting: Meeting, data: ProcessedData | None = None) -> CompletenessReport:
    """The returns ``meeting`` should have by its cut-off and their status.

    ``data`` is the processed data (every release, as ``helpers.processed.load`` returns it); by default it is read
    from ``data/processed``, and the report then also says whether that is stale against ``data/raw``.
    """
    # here for start-up speed: pandas and the cleaner are heavy, and ``gaoqi auto``'s idle day imports this module
    # for its sentences only (``headline_from_summary``)
    import pandas as pd

    from helpers.freshness import processed_is_current
    from helpers.processed import load
    from helpers.vintage import industry_known, tasks_known

    stale = False
    if data is None:
        data = load(paths.processed_dir())
        stale = not processed_is_current(paths.raw_dir(), paths.processed_dir())
    cut_off = meeting.cut_off
    after = pd.Timestamp(cut_off)
    rows: list[ExpectedReturn] = []
    # Only the columns read below, and one pass per period (issue 25: the index asks this for every briefing, and
    # filtering the whole tables once per period and sender made each call cost about as much as a page's table).
    # What was known is decided by helpers.vintage, as everywhere.

    # statistics: one release a period, for every town at once
    needed = _ratio_indicators(plan)
    cols = ["year", "month", "indicator", "released"]
    ind_all = data.industry[cols]
    ind_known = industry_known(data.industry, cut_off)[cols]
    known_by_period = dict(list(ind_known.groupby(["year", "month"], sort=False)))
    late_by_period = dict(list(ind_all[ind_all["released"] > after].groupby(["year", "month"], sort=False)))
    for period, end, due in expected_statistics(plan, cut_off):
        at = known_by_period.get((end.year, end.month), ind_known.iloc[:0])
        have = set(at["indicator"])
        lacking = tuple(i for i in needed if i not in have) if needed else ()
        if len(at) and not lacking:
            rows.append(ExpectedReturn(STATISTICS, period, end, due, "", PRESENT,
                                       at["released"].min().date()))
            continue
        later = late_by_period.get((end.year, end.month), ind_all.iloc[:0])
        if len(later) and not len(at):
            rows.append(ExpectedReturn(STATISTICS, period, end, due, "", LATE, later["released"].min().date()))
        else:
            rows.append(ExpectedReturn(STATISTICS, period, end, due, "", MISSING, lacking=lacking if len(at) else ()))

    # task returns: one a half-year from each town (and the district sheet where returns carry one)
    cols = ["period_end", "town", "released"]
    tasks_all = data.tasks[cols]
    known_tasks = tasks_known(data.tasks, cut_off)[cols]
    for period, end, due in expected_task_periods(plan, cut_off):
        stamp = pd.Timestamp(end)
        earlier = known_tasks[known_tasks["period_end"] < stamp]
        senders = list(TOWNS) + ([DISTRICT] if (earlier["town"] == DISTRICT).any() else [])
        now = known_tasks[known_tasks["period_end"] == stamp].groupby("town", observed=True)["released"].min()
        later = tasks_all[(tasks_all["period_end"] == stamp) & (tasks_all["released"] > after)]
        later = later.groupby("town", observed=True)["released"].min()
        for sender in senders:
            if sender in now.index:
                rows.append(ExpectedReturn(TASK_RETURN, period, end, due, sender, PRESENT, now[sender].date()))
            elif sender in later.index:
                rows.append(ExpectedReturn(TASK_RETURN, period, end, due, sender, LATE, later[sender].date()))
            else:
                rows.append(ExpectedReturn(TASK_RETURN, period, end, due, sender, MISSING))
    return CompletenessReport(meeting.id, cut_off, tuple(rows), stale=stale)
