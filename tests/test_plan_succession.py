"""One plan succeeds another: the bureau puts the next three-year plan (2025-2027) beside the ended one
(2022-2024) in data/raw/plan, where it becomes the active plan (the last plan file by name), and keeps its
returns and its reports/. The earlier plan's briefings are records of what was said then: they are never
overwritten by a meeting of the new plan with the same id, and its ad-hoc meetings do not break the new plan's
calendar; and what earlier meetings' briefings forecast is never answered from a cache computed under a plan file
since edited. Built on a copy of the project with the fixture plan tests/fixtures/plans/haimen-2025-2027."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project

NEW_PLAN = FIXTURES / "plans" / "haimen-2025-2027" / "haimen-2025-2027.yaml"
OLD_ID, NEW_ID = "haimen-hightech-2022-2024", "haimen-hightech-2025-2027"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    return root


def adopt_new_plan(root: Path, *, first: str = "2025-09") -> None:
    """The next plan beside the old one, its calendar starting at ``first``."""
    text = NEW_PLAN.read_text(encoding="utf-8").replace("first: 2025-09", f"first: {first}")
    (root / "data" / "raw" / "plan" / NEW_PLAN.name).write_text(text, encoding="utf-8")


def published_briefing(root: Path, meeting_id: str, plan_id: str) -> Path:
    """A briefing published in reports/<meeting>/ under ``plan_id`` (its summary and page)."""
    folder = root / "reports" / meeting_id
    folder.mkdir(parents=True)
    summary = {"schema_version": 1, "meeting": meeting_id, "plan": plan_id, "synthetic": True, "targets": []}
    (folder / f"summary-{meeting_id}.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / f"briefing-{meeting_id}.html").write_text("<html>said then</html>", encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def test_the_next_plan_beside_the_old_one_becomes_the_active_plan(project):
    from helpers.calendar import meetings
    from helpers.targets import load_plan

    adopt_new_plan(project)
    plan = load_plan()
    assert plan.id == NEW_ID
    assert [m.id for m in meetings(plan)][:2] == ["2025-09", "2026-03"]


def test_the_old_plans_final_review_is_not_overwritten_by_the_new_plans_meeting_of_the_same_id(project):
    from helpers.render import render_one
    from helpers.render.publish import OtherPlansBriefing

    folder = published_briefing(project, "2025-03", OLD_ID)
    before = snapshot(folder)
    adopt_new_plan(project, first="2025-03")
    with pytest.raises(OtherPlansBriefing, match=rf"2025-03.*{OLD_ID}.*{NEW_ID}") as caught:
        render_one("2025-03")
    assert caught.value.exit_code == 2
    assert snapshot(folder) == before


def test_rendering_every_meeting_of_the_new_plan_refuses_before_touching_the_old_plans_record(project):
    from helpers.render import render_meetings
    from helpers.render.publish import OtherPlansBriefing

    folder = published_briefing(project, "2025-03", OLD_ID)
    before = snapshot(folder)
    adopt_new_plan(project, first="2025-03")
    with pytest.raises(OtherPlansBriefing):
        render_meetings(None, jobs=1)
    assert snapshot(folder) == before
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["2025-03"]


def test_publishing_never_mixes_another_plans_briefing_into_a_published_folder(project, tmp_path):
    from helpers.render.publish import OtherPlansBriefing, publish

    folder = published_briefing(project, "2025-03", OLD_ID)
    before = snapshot(folder)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "summary-2025-03.json").write_text(json.dumps({"meeting": "2025-03", "plan": NEW_ID}), "utf-8")
    with pytest.raises(OtherPlansBriefing):
        publish(scratch, "2025-03")
    assert snapshot(folder) == before
    assert not scratch.exists()


def test_a_meeting_of_the_same_plan_is_re_rendered_in_place(project, tmp_path):
    from helpers.render.publish import publish

    published_briefing(project, "2025-09", NEW_ID)
    adopt_new_plan(project)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "summary-2025-09.json").write_text(json.dumps({"meeting": "2025-09", "plan": NEW_ID}), "utf-8")
    publish(scratch, "2025-09")
    summary = json.loads((project / "reports" / "2025-09" / "summary-2025-09.json").read_text("utf-8"))
    assert summary == {"meeting": "2025-09", "plan": NEW_ID}


def test_the_old_plans_ad_hoc_meetings_stay_on_record_but_are_not_meetings_of_the_new_plan(project):
    from helpers.calendar import ad_hoc_meeting, meetings, record_ad_hoc
    from helpers.targets import load_plan

    old = load_plan()
    record_ad_hoc(old, ad_hoc_meeting(old, "2024-06-20"))
    adopt_new_plan(project)
    new = load_plan()
    record_ad_hoc(new, ad_hoc_meeting(new, "2026-06-20"))
    assert [m.id for m in meetings(new) if m.ad_hoc] == ["2026-06-20"]
    old_again = load_plan(project / "data" / "raw" / "plan" / "haimen-2022-2024.yaml")
    assert [m.id for m in meetings(old_again) if m.ad_hoc] == ["2024-06-20"]


def test_an_ad_hoc_record_written_before_records_named_their_plan_is_read_by_the_plans_calendar(project):
    from helpers.calendar import meetings
    from helpers.targets import load_plan

    (project / "reports" / "ad-hoc-meetings.json").write_text(
        json.dumps([{"date": "2024-06-20", "cut_off": "2024-06-19"}]), encoding="utf-8")
    assert [m.id for m in meetings(load_plan()) if m.ad_hoc] == ["2024-06-20"]
    adopt_new_plan(project)
    assert [m.id for m in meetings(load_plan()) if m.ad_hoc] == []


def test_the_fixture_plan_differs_from_the_shipped_one_only_where_a_new_plan_would(project):
    """Guard for the fixture itself: same targets and towns, new period, new values for the headline firms."""
    from helpers.targets import load_plan

    old = load_plan()
    adopt_new_plan(project)
    new = load_plan()
    assert [t.id for t in new.scored] == [t.id for t in old.scored]
    assert (new.start.year, new.end.year) == (2025, 2027)
    assert new.scored[0].value == 500 and old.scored[0].value == 400




def earlier_forecast(meeting_id: str) -> list[dict]:
    """What the briefing of ``meeting_id`` forecast, as a later briefing recalls it (cached)."""
    from helpers.briefing import earlier_summary
    from helpers.calendar import meeting
    from helpers.processed import load
    from helpers.targets import load_plan

    plan = load_plan()
    return earlier_summary(load(), plan, meeting(plan, meeting_id))


def test_what_earlier_briefings_forecast_follows_a_target_edited_in_place_not_the_cache(cleaned_project):
    plan_file = cleaned_project / "data" / "raw" / "plan" / "haimen-2022-2024.yaml"
    assert earlier_forecast("2024-03")[0]["target"] == 400
    old = "    value: 400\n    unit: firms\n    deadline: 2024-12-31\n"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace(old, old.replace("400", "450"), 1), "utf-8")
    assert earlier_forecast("2024-03")[0]["target"] == 450


def test_what_earlier_briefings_forecast_is_reused_while_the_plan_is_unchanged(cleaned_project):
    first = earlier_forecast("2024-03")
    cache = cleaned_project / "data" / "processed" / "cache"
    cached = sorted(cache.iterdir())
    assert len(cached) == 1
    assert earlier_forecast("2024-03") == first and sorted(cache.iterdir()) == cached


def test_earlier_results_are_keyed_by_the_plan_file_and_its_region_file(cleaned_project):
    from helpers.briefing.earlier import results_digest
    from helpers.targets import load_plan

    before = results_digest(load_plan())
    region = cleaned_project / "data" / "raw" / "plan" / "region-haimen.yaml"
    region.write_text(region.read_text(encoding="utf-8") + "\n# a group's members edited\n", encoding="utf-8")
    assert results_digest(load_plan()) != before
