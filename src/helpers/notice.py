"""The cover note (报送说明) of each rendered briefing, ready to paste into an e-mail or a message
(``notice-<meeting>.txt``).

Why: the leading group's members read messages, not folders. The note reads as an office sends a 简报: "现将《…》
报送如下，请审阅", then what they need before opening the page: the headline targets (latest figure, forecast with
its range, probability, status), what changed since the last meeting, which returns are still missing, the one
file to open, and the sender (the 编印单位) with the date the 简报 is issued. It is plain text so any mail client or
chat window keeps it intact, and it is built only from the summary JSON files (the briefing's own figures, its
title, 编印单位 and date: ``helpers.briefing.masthead``), so it can never say something the briefing does not.

A status change is news only when it is material (``material_change``, docs/zh-style.md "Status changes"): the
probability of reaching the target moved by at least ``MATERIAL_P`` (10 percentage points) in the direction of the
change, or the forecast moved by at least ``MATERIAL_FORECAST`` (10 %) of the target in that direction. A status
that crossed its threshold by less (瞪羚: 79.8 % → 80 % while its forecast fell) is named once, as noise, not
reported as a change.

The forecasting package (for ``FINAL_STATUSES``), the briefing package (for ``fmt_p``) and the index writer
are imported inside the functions that use them: each costs seconds to import (the forecast models, the briefing's
sections, jinja2 and pandas), and a notice needs none of them until it is written.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from helpers import manifest
from helpers.atomic import write_text_atomic
from helpers.calendar import Meeting, is_ad_hoc_id, previous_meeting
from helpers.calendar import meeting as find_meeting
from helpers.completeness import lines_from_summary
from helpers.datewords import day_text, deadline_text, meeting_text
from helpers.goals import goal_value
from helpers.labels import label_or, quantity
from helpers.meeting_files import meeting_dir, notice_name, page_link, summary_path
from helpers.notice_years import yearly_lines
from helpers.targets import load_plan
from helpers.wording import say

#: a status change is news when the probability moved at least this much (as a share) in its direction …
MATERIAL_P = 0.10
#: … or the forecast moved at least this share of the target in its direction
MATERIAL_FORECAST = 0.10
#: statuses from worst to best, to tell the direction of a change
_STATUS_ORDER = ("missed", "off_track", "at_risk", "on_track", "achieved")


def _num(value: float | None, unit: str, lang: str) -> str:
    """A figure with its unit, as the briefing prints it (``helpers.labels.quantity``), or a dash."""
    return "—" if value is None else quantity(value, unit, lang)  # type: ignore[arg-type]


def _pct(p: float | None) -> str:
    """A probability exactly as the briefing prints it."""
    from helpers.briefing.formatting import fmt_p  # here for start-up speed: loads the briefing package

    return fmt_p(p)


def _status(status: str | None, lang: str) -> str:

    return label_or(f"status.{status}", status or "—", lang)


def _goal(t: dict[str, Any], lang: str) -> str:
    """The target's value as the plan words it (超8.5亿元 for ``more_than``), or a dash."""
    value = t.get("target")
    return "—" if value is None else goal_value(value, t.get("unit", ""), t.get("direction") or "at_least", lang)


def _name(t: dict[str, Any], lang: str) -> str:
    return (t.get("name_zh") or t.get("name") or t["id"]) if lang == "zh" else (t.get("name_en") or t["id"])


def headline_lines(summary: dict[str, Any], lang: str = "zh") -> list[str]:
    """One line per headline target: latest figure, forecast and range at the deadline, probability, status; once
    the deadline has passed, the final figure and the status only."""
    # here for start-up speed: the forecast package loads its models (seconds) and a notice needs one constant
    from helpers.forecast.attainment import FINAL_STATUSES

    out = []
    heads = [t for t in summary.get("targets", []) if t.get("headline")]
    for i, t in enumerate(heads, start=1):
        unit = t.get("unit", "")
        if t.get("status") in FINAL_STATUSES:
            out.append(say("notice.headline.final", lang, i=i, name=_name(t, lang),
                           latest=_num(t.get("latest_value"), unit, lang),
                           latest_date=day_text(t.get("latest_date"), lang),
                           target=_goal(t, lang), status=_status(t.get("status"), lang)))
            continue
        if t.get("forecast_point") is None:
            out.append(say("notice.headline.no_forecast", lang, i=i, name=_name(t, lang),
                           latest=_num(t.get("latest_value"), unit, lang),
                           latest_date=day_text(t.get("latest_date"), lang),
                           target=_goal(t, lang), status=_status(t.get("status"), lang)))
            continue
        out.append(say("notice.headline", lang, i=i, name=_name(t, lang),
                       latest=_num(t.get("latest_value"), unit, lang), latest_date=day_text(t.get("latest_date"), lang),
                       deadline=deadline_text(t["deadline"], lang) if t.get("deadline") else "—",
                       forecast=_num(t.get("forecast_point"), unit, lang),
                       lo=_num(t.get("forecast_lo80"), unit, lang), hi=_num(t.get("forecast_hi80"), unit, lang),
                       target=_goal(t, lang), p=_pct(t.get("p_reach")),
                       status=_status(t.get("status"), lang)))
    return out


def material_change(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether a target's status change is news: its probability moved by at least ``MATERIAL_P`` in the
    direction of the change, or its forecast by at least ``MATERIAL_FORECAST`` of the target (a change to a final
    status, judged on the final figure, always is). Unknown figures count as not moved."""
    from helpers.forecast.attainment import FINAL_STATUSES  # here for start-up speed (see headline_lines)

    if new.get("status") in FINAL_STATUSES:
        return True
    rank = {s: i for i, s in enumerate(_STATUS_ORDER)}
    up = rank.get(str(new.get("status")), 0) > rank.get(str(old.get("status")), 0)
    sign = 1.0 if up else -1.0
    p0, p1 = old.get("p_reach"), new.get("p_reach")
    if p0 is not None and p1 is not None and sign * (p1 - p0) >= MATERIAL_P - 1e-9:
        return True
    f0, f1, target = old.get("forecast_point"), new.get("forecast_point"), new.get("target")
    if f0 is None or f1 is None or not target:
        return False
    better = (f1 - f0) if new.get("direction", "at_least") != "at_most" else (f0 - f1)
    return sign * better >= MATERIAL_FORECAST * abs(target) - 1e-9


def change_lines(summary: dict[str, Any], previous: dict[str, Any] | None, lang: str = "zh") -> list[str]:
    """What changed since the previous meeting's briefing: every headline target, then targets whose status moved
    materially (``material_change``); status changes that are noise are named together, once."""
    from helpers.forecast.attainment import FINAL_STATUSES  # here for start-up speed (see headline_lines)

    if previous is None:
        return [say("notice.changes.none_before", lang)]
    before = {t["id"]: t for t in previous.get("targets", [])}
    out = []
    for t in summary.get("targets", []):
        old = before.get(t["id"])
        if not t.get("headline") or old is None:
            continue
        unit = t.get("unit", "")
        if old.get("status") == t.get("status"):
            key = "notice.changes.headline_same"
        else:
            key = "notice.changes.headline" if material_change(old, t) else "notice.changes.headline_noise"
        if t.get("status") in FINAL_STATUSES and old.get("status") not in FINAL_STATUSES:
            key = "notice.changes.headline_final"
        out.append(say(key, lang, name=_name(t, lang), latest=_num(t.get("latest_value"), unit, lang),
                       status=_status(t.get("status"), lang), old_status=_status(old.get("status"), lang),
                       p=_pct(t.get("p_reach")), old_p=_pct(old.get("p_reach")),
                       forecast=_num(t.get("forecast_point"), unit, lang),
                       old_forecast=_num(old.get("forecast_point"), unit, lang)))
    moved = [t for t in summary.get("targets", [])
             if not t.get("headline") and t["id"] in before and before[t["id"]].get("status") != t.get("status")]
    news = [t for t in moved if material_change(before[t["id"]], t)]
    noise = [t for t in moved if t not in news]
    for t in news:
        old = before[t["id"]]
        final = t.get("status") in FINAL_STATUSES
        out.append(say("notice.changes.status_final" if final else "notice.changes.status", lang, name=_name(t, lang),
                       latest=_num(t.get("latest_value"), t.get("unit", ""), lang),
                       old_status=_status(old.get("status"), lang), status=_status(t.get("status"), lang),
                       old_p=_pct(old.get("p_reach")), p=_pct(t.get("p_reach"))))
    if noise:
        out.append(say("notice.changes.noise", lang, n=len(noise),
                       names=say("join.list", lang).join(_name(t, lang) for t in noise),
                       threshold=f"{MATERIAL_P:.0%}"))
    if not news:
        out.append(say("notice.changes.tasks_same", lang))
    return out


def meeting_title(summary: dict[str, Any], lang: str) -> str:
    """The meeting's own title, from its summary: a regular meeting by its month, an ad-hoc one by its day."""
    meeting = str(summary["meeting"])
    day = dt.date.fromisoformat(str(summary.get("meeting_date") or f"{meeting}-01"[:10]))
    as_of = summary.get("as_of")
    return Meeting(id=meeting, date=day, cut_off=dt.date.fromisoformat(as_of) if as_of else day,
                   focus_year=int(summary.get("focus_year") or day.year), final_review=False,
                   ad_hoc=is_ad_hoc_id(meeting)).label(lang)


def notice_text(summary: dict[str, Any], previous: dict[str, Any] | None = None,
                completeness: dict[str, Any] | None = None, *, lang: str = "zh",
                location: str | None = None) -> str:
    """The notice as text. ``completeness`` is ``CompletenessReport.summary()``; ``location`` where readers find
    the folder (e.g. the shared folder), else the file is named relative to the folder holding ``index.html``."""
    meeting = summary["meeting"]
    page = page_link(meeting, lang)
    title = str(summary.get(f"title_{lang}") or "") or say("notice.title_fallback", lang,
                                                          meeting_title=meeting_title(summary, lang))
    cut_off = day_text(summary.get("as_of"), lang)
    lines: list[str] = []
    synthetic = bool(summary.get("synthetic", True))
    if synthetic:
        lines += [say("notice.sample_mark", lang), ""]
    mark = say("notice.subject.sample_mark", lang) if synthetic else ""
    lines += [say("notice.subject", lang, mark=mark, title=title), "",
              say("notice.greeting", lang),
              say("notice.opening", lang, title=title, cut_off=cut_off,
                  meeting=meeting_title(summary, lang)), ""]
    lines.append(say("notice.section.headline", lang))
    lines += headline_lines(summary, lang) or [say("notice.headline.none", lang)]
    lines += yearly_lines(summary, lang)
    lines.append("")
    if previous:
        lines.append(say("notice.section.changes", lang,
                         previous=meeting_text(str(previous.get("meeting", "—")), lang)))
    else:
        lines.append(say("notice.section.changes.first", lang))
    lines += [f"- {x}" for x in change_lines(summary, previous, lang)]
    lines.append("")
    if completeness is not None:
        lines.append(say("notice.section.completeness", lang))
        lines += [f"- {x}" for x in lines_from_summary(completeness, lang)]
        lines.append("")
    lines.append(say("notice.open", lang, page=page))
    if location:
        lines.append(say("notice.location", lang, location=location))
    lines += ["", sender(summary, lang), day_text(summary.get("issued") or summary.get("meeting_date"), lang)]
    return "\n".join(lines).rstrip() + "\n"


def sender(summary: dict[str, Any], lang: str) -> str:
    """Who sends the note: the 简报's 编印单位 as its summary records it (summaries written before it did: the
    catalogue's generic office of the leading group)."""
    recorded = summary.get(f"compiled_by_{lang}")
    if recorded:
        return str(recorded)
    return say("masthead.compiled_by", lang, group=say("masthead.group", lang))


def write_notice(folder: Path, summary: dict[str, Any], previous_summary: dict[str, Any] | None = None,
                 completeness: dict[str, Any] | None = None, *, lang: str = "zh",
                 location: str | None = None) -> Path:
    """Write ``notice-<meeting>.txt`` into the meeting's folder (atomically) and return its path."""
    path = Path(folder) / notice_name(summary["meeting"], lang)
    write_text_atomic(path, notice_text(summary, previous_summary, completeness, lang=lang, location=location))
    return path


def write_for_meeting(meeting_id: str, *, completeness: dict[str, Any] | None = None, lang: str = "zh",
                      location: str | None = None, index: bool = True) -> Path | None:
    """Write the notice of a rendered meeting from the summaries in ``reports/`` (this one and the previous
    meeting's, if rendered), then the index, which links it (``index=False``: the caller writes the index once
    after all its notices, as ``gaoqi render`` does). Returns None when the meeting has no summary (not
    rendered)."""
    # here for start-up speed: the index writer loads jinja2 and the processed data (pandas)
    from helpers.render.index import write_index

    sfile = summary_path(meeting_id)
    if not sfile.exists():
        return None
    summary = json.loads(sfile.read_text(encoding="utf-8"))
    plan = load_plan()
    prev = previous_meeting(plan, find_meeting(plan, meeting_id))
    previous = None
    if prev is not None and summary_path(prev.id).exists():
        previous = json.loads(summary_path(prev.id).read_text(encoding="utf-8"))
    path = write_notice(meeting_dir(meeting_id), summary, previous, completeness, lang=lang,
                        location=location)
    # made from this render's summary: stamped with its inputs, so publishing knows it is current
    manifest.stamp_file(meeting_dir(meeting_id), path.name, lang)
    if index:
        write_index()  # the index links each meeting's notice: rewritten once the notice exists
    return path
