"""The result of forecasting one target for one meeting: the unit the briefing and summary JSON are made of.

Status thresholds (documented in the README and the briefing's method notes):
- ``achieved``: the deadline has passed (or the target is already met for good) and the value meets it;
- ``missed``: the deadline has passed and the value does not meet it;
- otherwise by the probability of reaching the target, ``p_reach``:
  ``on_track`` ≥ 0.8, ``at_risk`` ≥ 0.4, ``off_track`` < 0.4;
- ``no_data`` when nothing was known at the cut-off to base a forecast on.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "missed", "no_data")
#: a unit's status in ``by_town`` where the plan sets the unit no quota: its figures are known, but there is
#: nothing to be on or off track against (``no_data`` would tell a reader the figures are missing)
NO_QUOTA = "no_quota"
#: statuses of a target judged on its outcome (its deadline has passed and the outcome is known)
FINAL_STATUSES = ("achieved", "missed")
#: fields of the summary record that only a forecast has: null once the target is judged on its outcome
FORECAST_FIELDS = ("forecast_point", "forecast_lo80", "forecast_hi80", "forecast_lo95", "forecast_hi95", "p_reach")
ON_TRACK_P = 0.8
AT_RISK_P = 0.4


@dataclass(frozen=True)
class YearOutcome:
    """One plan year of a target set for each year (每年 / 年度), once that year has closed by the cut-off.

    ``value`` is the year's figure as known at the cut-off, None when the year has closed but its figure was not
    yet reported (no look-ahead: the outcome is then unknown, never guessed).
    """

    year: int
    value: float | None
    target: float
    direction: str

    @property
    def reached(self) -> bool | None:
        if self.value is None:
            return None
        return bool(self.value > self.target) if self.direction == "more_than" else bool(self.value >= self.target)

    @property
    def gap(self) -> float | None:
        """How far the figure falls short of the value (0 when reached, or exactly at a ``more_than`` value)."""
        return None if self.value is None else max(self.target - self.value, 0.0)

    @property
    def rate(self) -> float | None:
        """完成率: the figure over the value (1 = 100 %); None without a figure or for a value of 0."""
        return None if self.value is None or not self.target else self.value / self.target

    def record(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value, "target": self.target, "reached": self.reached,
                "gap": self.gap, "rate": self.rate}


@dataclass(frozen=True)
class ReadingOutcome:
    """What one reading of an ambiguous time word gives, computed from the figures known at the cut-off.

    ``value`` is the figure the reading judges (the plan years' mean; the lowest year for ``every_year``; the
    cumulative count with or without earlier firms), ``reached`` its verdict (None while a year it needs is still
    open or unreported), ``decides`` whether the plan file makes it the reading the status follows. ``years`` are
    the years the figure covers; ``note_zh`` / ``note_en`` say what it gives in one sentence (also when it cannot be
    computed, e.g. returns holding no year before the plan's start).
    """

    reading: str
    decides: bool
    value: float | None
    reached: bool | None
    years: tuple[int, ...] = ()
    note_zh: str = ""
    note_en: str = ""

    def note(self, lang: str = "zh") -> str:
        return self.note_zh if lang == "zh" else self.note_en

    def record(self) -> dict[str, Any]:
        return {"reading": self.reading, "decides": self.decides, "value": self.value, "reached": self.reached,
                "years": list(self.years), "note_zh": self.note_zh, "note_en": self.note_en}


def status_from(p_reach: float | None, deadline_passed: bool, reached: bool | None) -> str:
    """The status of a target from its probability and whether its deadline has passed."""
    if deadline_passed and reached is not None:
        return "achieved" if reached else "missed"
    if p_reach is None or (isinstance(p_reach, float) and math.isnan(p_reach)):
        return "no_data"
    if p_reach >= ON_TRACK_P:
        return "on_track"
    if p_reach >= AT_RISK_P:
        return "at_risk"
    return "off_track"


@dataclass
class Attainment:
    """One target at one meeting.

    ``history`` has columns ``date, value`` (the observed series the forecast starts from, e.g. year-end
    stocks or full-year shares); ``path`` has ``date, point, lo80, hi80, lo95, hi95`` up to the deadline.
    ``by_town`` (optional) has one row per town with at least ``town, latest_value, target, status`` (a status
    of ``STATUSES``, or ``NO_QUOTA`` for a unit the plan sets no quota); its figures are in the target's unit
    unless ``by_town.attrs["unit"]`` names another (a count target judged by each town's growth in ``percent``),
    which the xlsx appendix formats them by. A column the appendix does not know is headed by the catalogue's
    ``briefing.xlsx.col.<column>`` where it has one.
    ``what_it_takes`` is a short sentence in each language; ``details`` holds model-specific tables
    (e.g. the cohort table for firms, the share decomposition) for charts and the xlsx export.
    """

    id: str
    name_zh: str
    name_en: str
    kind: str
    unit: str
    target: float
    direction: str
    deadline: dt.date
    latest_value: float | None
    latest_date: dt.date | None
    forecast_point: float | None
    forecast_lo80: float | None
    forecast_hi80: float | None
    forecast_lo95: float | None
    forecast_hi95: float | None
    p_reach: float | None
    status: str
    growth_ratio: float | None = None
    what_it_takes_zh: str = ""
    what_it_takes_en: str = ""
    method: str = ""
    method_zh: str = ""
    responsible: str = ""
    #: the responsible units in English, from the plan; "" when the plan gives none (``responsible_in`` falls back)
    responsible_en: str = ""
    headline: bool = False
    #: what the target measures, from the plan file's catalogue of measures (``register_valid_stock``,
    #: ``ytd_ratio``, ``task_flow`` …); sections and charts choose by measure, never by target id
    measure: str = ""
    #: for a component (e.g. one kind of growth firm), the id of the plan target it belongs to; "" otherwise
    parent: str = ""
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["date", "value"]))
    path: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["date", "point", "lo80", "hi80", "lo95", "hi95"])
    )
    by_town: pd.DataFrame | None = None
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: for a target set for each year, one outcome per plan year closed by the cut-off (``helpers.forecast.yearly``);
    #: None for a target judged once
    years: list[YearOutcome] | None = None
    #: for a target whose wording allows two readings, what each gives (the deciding one first)
    readings: list[ReadingOutcome] = field(default_factory=list)
    #: the year-end figures known at the cut-off from the year before the plan (the base) to the last closed plan
    #: year, (year, value or None): the final review's year-by-year table
    year_ends: list[tuple[int, float | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {STATUSES}")

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def what_it_takes(self, lang: str = "zh") -> str:
        return self.what_it_takes_zh if lang == "zh" else self.what_it_takes_en

    def responsible_in(self, lang: str = "zh") -> str:
        """Who is responsible, in ``lang``; the plan's Chinese when it names the units in Chinese only."""
        return (self.responsible_en or self.responsible) if lang == "en" else self.responsible

    def method_text(self, lang: str = "zh") -> str:
        return (self.method_zh or self.method) if lang == "zh" else self.method

    @property
    def years_missed(self) -> list[int]:
        """The plan years closed by the cut-off whose figure fell short (empty for a target judged once)."""
        return [y.year for y in self.years or () if y.reached is False]

    @property
    def settled(self) -> bool:
        """Judged on its outcome: no forecast, range or probability is shown for it anywhere."""
        return self.status in FINAL_STATUSES

    def summary(self) -> dict[str, Any]:
        """The JSON-ready record of the summary file (schema in docs/summary-schema.md)."""
        keep = (
            "id", "name_zh", "name_en", "kind", "unit", "target", "direction", "deadline", "latest_value",
            "latest_date", "forecast_point", "forecast_lo80", "forecast_hi80", "forecast_lo95", "forecast_hi95",
            "p_reach", "status", "growth_ratio", "what_it_takes_zh", "what_it_takes_en", "responsible",
            "responsible_en", "headline", "method", "method_zh", "measure", "parent",
        )
        raw = {k: getattr(self, k) for k in keep}
        out: dict[str, Any] = {}
        for k, v in raw.items():
            if isinstance(v, (dt.date, pd.Timestamp)):
                v = v.isoformat()[:10]
            elif isinstance(v, float) and math.isnan(v):
                v = None
            out[k] = v
        out["parent"] = self.parent or None  # the schema's null for a target that is no component, never ""
        if self.status in FINAL_STATUSES:  # the outcome is known: no forecast, no probability (latest_value is it)
            out.update(dict.fromkeys(FORECAST_FIELDS))
        out["years"] = None if self.years is None else [y.record() for y in self.years]
        out["years_missed"] = self.years_missed
        out["readings"] = [r.record() for r in self.readings] or None
        out["year_ends"] = [{"year": y, "value": v} for y, v in self.year_ends]
        out["name"] = self.name_zh
        return out
