"""Render re-cleans only when the returns changed: `gaoqi clean` alone makes data/processed current."""

from __future__ import annotations

from helpers.clean import clean
from helpers.render import processed_is_current


def _cleaned(project_copy):
    raw, processed = project_copy / "data" / "raw", project_copy / "data" / "processed"
    clean(raw, processed)
    return raw, processed


def test_freshly_cleaned_data_is_current(project_copy):
    assert processed_is_current(*_cleaned(project_copy))


def test_missing_processed_data_is_not_current(project_copy):
    assert not processed_is_current(project_copy / "data" / "raw", project_copy / "data" / "processed")


def test_a_changed_return_makes_it_stale(project_copy):
    raw, processed = _cleaned(project_copy)
    victim = next((raw / "sample").glob("*.csv"))
    victim.write_bytes(victim.read_bytes() + b"\n")
    assert not processed_is_current(raw, processed)


def test_a_new_return_makes_it_stale(project_copy):
    raw, processed = _cleaned(project_copy)
    (raw / "bureau").mkdir()
    (raw / "bureau" / "new.csv").write_text("区镇\n", encoding="utf-8")
    assert not processed_is_current(raw, processed)


def test_editing_the_plan_file_needs_no_new_clean(project_copy):
    raw, processed = _cleaned(project_copy)
    plan = next((raw / "plan").glob("*.yaml"))
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# note\n", encoding="utf-8")
    assert processed_is_current(raw, processed)
