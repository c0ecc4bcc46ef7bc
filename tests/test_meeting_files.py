"""The names of a meeting's folder and files (``helpers.meeting_files``): the one room every writer and reader asks.

Why these tests: the render writes, the notice links, the index lists and publishing copies the same files; a name
spelled differently in one of them is a broken link or a stale copy that nobody notices.
"""

from __future__ import annotations

from helpers import meeting_files as mf


def test_the_chinese_files_carry_no_language_suffix(project_copy):
    assert (mf.briefing_name("2024-09"), mf.pdf_name("2024-09"), mf.appendix_name("2024-09"),
            mf.notice_name("2024-09"), mf.executed_notebook_name("2024-09")) == (
        "briefing-2024-09.html", "briefing-2024-09.pdf", "briefing-2024-09.xlsx", "notice-2024-09.txt",
        "03_briefing-2024-09.ipynb")


def test_another_languages_files_carry_it_before_the_extension(project_copy):
    assert (mf.briefing_name("2024-09", "en"), mf.pdf_name("2024-09", "en"), mf.appendix_name("2024-09", "en"),
            mf.notice_name("2024-09", "en"), mf.executed_notebook_name("2024-09", "en")) == (
        "briefing-2024-09.en.html", "briefing-2024-09.en.pdf", "briefing-2024-09.en.xlsx", "notice-2024-09.en.txt",
        "03_briefing-2024-09.en.ipynb")


def test_the_summary_holds_both_languages_under_one_name(project_copy):
    assert mf.summary_path("2024-06-20") == project_copy / "reports" / "2024-06-20" / "summary-2024-06-20.json"


def test_the_printed_page_lies_beside_the_page_it_was_printed_from(project_copy):
    for lang in ("zh", "en"):
        assert mf.pdf_path("2024-09", lang) == mf.briefing_path("2024-09", lang).with_suffix(".pdf")


def test_the_notice_links_the_page_from_the_folder_holding_the_index(project_copy):
    assert mf.index_path().parent / mf.page_link("2024-09", "en") == mf.briefing_path("2024-09", "en")
