"""The names of a meeting's folder and files in ``reports/``: the one room that spells them.

Why one room: the render writes these files, the notice links the page, the index lists them, publishing and
sharing copy them, ``gaoqi auto`` records them. When five modules each spelled ``briefing-<meeting>.html`` (and
each re-spelled the rule that the Chinese file carries no language suffix) one of them could drift and a link,
a copy or a freshness check would silently miss a file. Every module that writes or reads a meeting's files asks
here. It sits low in the import graph (it imports only ``paths``), so any room may ask it without a loop.

The rule: ``reports/<meeting>/`` holds the meeting's files, each named ``<kind>-<meeting>.<ext>``; Chinese is
the briefing's language and its files carry no language suffix, any other language's files carry it before the
extension (``briefing-2024-09.html``, ``briefing-2024-09.en.html``). The summary JSON holds both languages and
has one name. ``reports/index.html`` lists every meeting; ``reports/ad-hoc-meetings.json`` records the ad-hoc ones.
"""

from __future__ import annotations

from pathlib import Path

from helpers.paths import reports_dir

#: the briefing's own language: its files carry no language suffix
BASE_LANG = "zh"
#: the page that lists every meeting, at the top of ``reports/`` (and of every shared copy)
INDEX = "index.html"
#: the ad-hoc meetings briefed so far, with their cut-offs (``helpers.calendar``), at the top of ``reports/``
AD_HOC_RECORD = "ad-hoc-meetings.json"


def file_name(kind: str, meeting_id: str, ext: str, lang: str = BASE_LANG) -> str:
    """``<kind>-<meeting>.<ext>``, with ``.<lang>`` before the extension for a language other than Chinese."""
    return f"{kind}-{meeting_id}.{ext}" if lang == BASE_LANG else f"{kind}-{meeting_id}.{lang}.{ext}"


def meeting_dir(meeting_id: str) -> Path:
    """The published folder of one meeting: ``reports/<meeting>/``."""
    return reports_dir() / meeting_id


def briefing_name(meeting_id: str, lang: str = BASE_LANG) -> str:
    """The page's file name: Chinese is the briefing (``briefing-2024-09.html``), other languages carry a suffix."""
    return file_name("briefing", meeting_id, "html", lang)


def briefing_path(meeting_id: str, lang: str = BASE_LANG) -> Path:
    return meeting_dir(meeting_id) / briefing_name(meeting_id, lang)


def page_link(meeting_id: str, lang: str = BASE_LANG) -> str:
    """The page as linked from the folder holding ``index.html`` (``2024-09/briefing-2024-09.html``)."""
    return f"{meeting_id}/{briefing_name(meeting_id, lang)}"


def pdf_name(meeting_id: str, lang: str = BASE_LANG) -> str:
    """The printed page, beside the page it was printed from (``briefing-2024-09.pdf``)."""
    return file_name("briefing", meeting_id, "pdf", lang)


def pdf_path(meeting_id: str, lang: str = BASE_LANG) -> Path:
    return meeting_dir(meeting_id) / pdf_name(meeting_id, lang)


def appendix_name(meeting_id: str, lang: str = BASE_LANG) -> str:
    """The xlsx's file name, in step with the page's: ``briefing-<meeting>.xlsx`` in Chinese, ``….en.xlsx`` in English.

    Why: the workbook is written in the briefing's language; one name for both meant an English render replaced
    the Chinese page's appendix with an English one (the summary JSON holds both languages and keeps one name).
    """
    return file_name("briefing", meeting_id, "xlsx", lang)


def summary_name(meeting_id: str) -> str:
    """The summary JSON's file name (both languages in one file): ``summary-2024-09.json``."""
    return f"summary-{meeting_id}.json"


def summary_path(meeting_id: str) -> Path:
    return meeting_dir(meeting_id) / summary_name(meeting_id)


def notice_name(meeting_id: str, lang: str = BASE_LANG) -> str:
    """The cover note's file name (``notice-2024-09.txt``, ``notice-2024-09.en.txt``)."""
    return file_name("notice", meeting_id, "txt", lang)


def notice_path(meeting_id: str, lang: str = BASE_LANG) -> Path:
    return meeting_dir(meeting_id) / notice_name(meeting_id, lang)


def executed_notebook_name(meeting_id: str, lang: str = BASE_LANG) -> str:
    """The executed notebook 03 kept with the page (``03_briefing-2024-09.ipynb``)."""
    return file_name("03_briefing", meeting_id, "ipynb", lang)


def index_path() -> Path:
    """``reports/index.html``."""
    return reports_dir() / INDEX


def ad_hoc_record_path() -> Path:
    """``reports/ad-hoc-meetings.json``: the calendar reads it, and every briefing's fingerprint covers it."""
    return reports_dir() / AD_HOC_RECORD
