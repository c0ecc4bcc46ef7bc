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
        out["name"] = self.name_zh
        return out
