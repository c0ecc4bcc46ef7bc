"""The plan's targets file: every target of the plan is there by what it measures, validated, bad files rejected.

Targets are found by their measure and series (what they track), never by id: ids are free labels.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers.targets import MEASURES, PlanError, load_plan

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "plan" / "haimen-2022-2024.yaml"
END = dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN)


def by_series(plan, series: str):
    """The scored target reading ``series`` (the one way tests find a target)."""
    found = [t for t in plan.scored if series in t.series]
    assert len(found) == 1, (series, [t.id for t in found])
    return found[0]


def _write(tmp_path: Path, mutate) -> Path:
    doc = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    mutate(doc)
    shutil.copy(PLAN.parent / "region-haimen.yaml", tmp_path / "region-haimen.yaml")
    out = tmp_path / "plan.yaml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return out


def _target(doc, series: str) -> dict:
    return next(t for t in doc["targets"] if t.get("series") == series)


# ---------------------------------------------------------------------------------------------- the plan's content

def test_every_target_of_the_domain_notes_is_scored_by_what_it_measures(plan):
    measured = {(t.measure, t.series) for t in plan.scored}
    task_series = {
        ("town_growth", "pan_tech_firms"), ("task_flow", "tech_sme"), ("task_cumulative", "incubated"),
        ("task_flow", "projects"), ("task_flow", "talent_lead"), ("task_flow", "talent_prov"),
        ("task_flow", "talent_overseas"), ("task_stock", "ip_firms"), ("task_flow", "uir_projects"),
        ("task_stock", "fin_balance"), ("task_flow", "fin_firms"), ("task_flow", "carriers"),
        ("task_flow", "carriers_specialised"), ("milestone", "incubation_chain_links"),
        ("task_cumulative", "growth_firms_eaglet"), ("task_cumulative", "growth_firms_gazelle"),
        ("task_cumulative", "growth_firms_unicorn"), ("task_flow", "growth_firms"),
        ("coverage", "patent_apply_coverage"), ("coverage", "patent_grant_coverage"), ("coverage", "hitech_ip"),
        ("coverage", "rd_filing"), ("coverage", "rd_ledger"), ("coverage", "rd_deduction"),
        ("coverage", "pan_tech_invention_coverage"), ("milestone", "cultivation_tiers"), ("task_flow", "joint_service"),
    }
    assert {(m, (s,)) for m, s in task_series} <= measured
    assert ("coverage", ("rd_filing", "rd_ledger", "rd_deduction")) in measured
    assert sum(t.measure == "register_valid_stock" for t in plan.scored) == 1
    assert {(t.numerator, t.denominator) for t in plan.scored if t.measure == "ytd_ratio"} == {
        ("hightech_output", "total_output"), ("hightech_profit", "total_profit")}
    assert len(plan.scored) == 31


def test_every_measure_is_one_of_the_catalogue(plan):
    assert {t.measure for t in plan.scored} <= set(MEASURES)


def test_headline_targets_are_400_firms_48_and_54_percent_by_end_2024(plan):
    got = sorted((t.measure, t.value, t.unit, t.deadline) for t in plan.scored if t.headline)
    assert got == [("register_valid_stock", 400, "firms", END), ("ytd_ratio", 48, "percent", END),
                   ("ytd_ratio", 54, "percent", END)]


def test_target_ids_are_labels_distinct_from_the_series_they_read(plan):
    series = {s for t in plan.scored for s in t.series} | {t.numerator for t in plan.scored if t.numerator}
    assert not {t.id for t in plan.scored} & series


def test_no_target_id_is_spelled_in_the_code_or_the_notebooks(plan):
    ids = {t.id for t in (*plan.targets, *plan.scored)}
    pattern = re.compile("|".join(rf"[\"']{re.escape(i)}[\"']" for i in ids))
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    hits = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        hits += [f"{f.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not hits


def test_project_quotas_are_read_per_unit_the_central_towns_each_8_and_sum_to_130(plan):
    projects = by_series(plan, "projects")
    assert sum(projects.town_quota.values()) == 130
    assert projects.town_quota["hmgxq"] == projects.town_quota["scgy"] == 10
    assert {c for c, v in projects.town_quota.items() if v == 8} == {"sanxing", "changle", "yuelai", "sijia",
                                                                     "zhengyu", "yudong"}
    assert any("130" in r.en and "130" in r.zh for r in projects.readings)


def test_the_central_towns_reading_is_recorded_with_the_region(plan):
    group = plan.region.group("中心镇")
    assert group is not None and group.members == ("changle", "yuelai", "sijia", "zhengyu", "yudong")
    assert any(what == "中心镇" and "常乐" in r.zh for what, r in plan.all_readings())


def test_uir_quotas_sum_to_140_haiyong_has_none_and_the_typo_is_recorded(plan):
    uir = by_series(plan, "uir_projects")
    assert sum(uir.town_quota.values()) == 140 and uir.town_quota["kfq"] == 35
    assert "haiyong" not in uir.town_quota
    assert any("产开发区" in r.zh for r in uir.readings)
    assert any("each unit" in r.en for r in uir.readings)


def test_the_education_bureau_reading_is_recorded_and_the_plan_spelling_used(plan):
    assert any("区教育局" in r.zh and "区教体局" in r.zh for r in plan.readings)
    assert not any("区教育局" in t.responsible for t in plan.scored)


def test_loan_balance_must_exceed_rather_than_reach_8_5(plan):
    fin = by_series(plan, "fin_balance")
    assert fin.direction == "more_than"
    assert not fin.reached(8.5) and fin.reached(8.51)


def test_reached_is_one_rule_for_numbers_and_arrays(plan):
    import numpy as np

    fin = by_series(plan, "fin_balance")
    assert fin.reached(np.array([8.5, 8.6])).tolist() == [False, True]
    assert by_series(plan, "tech_sme").reached(np.array([399, 400])).tolist() == [False, True]


def test_headline_targets_name_no_responsible_unit_as_the_plan_and_say_so(plan):
    headline = [t for t in plan.scored if t.headline]
    assert all(t.responsible == "" for t in headline)
    assert any("no responsible unit" in r.en for t in plan.targets for r in t.readings)
    assert "区统计局" not in PLAN.read_text(encoding="utf-8")


def test_every_task_target_names_its_responsible_units(plan):
    assert all(t.responsible.strip() for t in plan.scored if not t.headline)


def test_pan_tech_growth_records_both_readings_of_average_yearly_growth(plan):
    growth = by_series(plan, "pan_tech_firms")
    assert growth.measure == "town_growth" and growth.deadline == END and growth.value == 20
    text = " ".join(r.en for r in growth.readings)
    assert "compound average" in text and "every single year" in text


def test_growth_firms_are_scored_by_kind_and_by_the_yearly_minimum(plan):
    parent = next(t for t in plan.targets if t.components)
    kinds = {c.series[0]: (c.value, c.measure, c.deadline) for c in parent.components}
    assert kinds == {"growth_firms_eaglet": (40, "task_cumulative", END),
                     "growth_firms_gazelle": (10, "task_cumulative", END),
                     "growth_firms_unicorn": (2, "task_cumulative", END),
                     "growth_firms": (12, "task_flow", None)}
    assert all(c.id.startswith(parent.id + ".") and c.parent == parent.id for c in parent.components)
    assert parent not in plan.scored and plan.target(parent.components[0].id) == parent.components[0]


def test_specialised_carriers_and_the_incubation_chain_are_targets_of_their_own(plan):
    assert by_series(plan, "carriers_specialised").value == 1
    chain = by_series(plan, "incubation_chain_links")
    assert (chain.measure, chain.value, chain.stages, chain.deadline) == ("milestone", 1, 3, END)


def test_patent_coverage_targets_are_yearly_applications_and_grants_by_2024(plan):
    apply, grant = by_series(plan, "patent_apply_coverage"), by_series(plan, "patent_grant_coverage")
    assert (apply.period, apply.value) == ("yearly", 100)
    assert (grant.deadline, grant.value) == (END, 100)


def test_injected_advertising_text_is_not_in_the_plan_file():
    assert "体育" not in PLAN.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- bad files

def test_unknown_measure_is_rejected_naming_file_target_and_field(tmp_path):
    def mutate(doc):
        _target(doc, "tech_sme")["measure"] = "flowish"

    with pytest.raises(PlanError, match=r"plan\.yaml: target tech_smes_registered: field 'measure' is 'flowish'"):
        load_plan(_write(tmp_path, mutate))


def test_a_task_target_without_its_series_is_rejected(tmp_path):
    def mutate(doc):
        del _target(doc, "tech_sme")["series"]

    with pytest.raises(PlanError, match="a task_flow target needs field 'series'"):
        load_plan(_write(tmp_path, mutate))


def test_quota_for_an_unknown_town_is_rejected(tmp_path):
    def mutate(doc):
        _target(doc, "projects")["town_quota"]["atlantis"] = 5

    with pytest.raises(PlanError, match="unknown town 'atlantis'"):
        load_plan(_write(tmp_path, mutate))


def test_missing_value_is_rejected(tmp_path):
    def mutate(doc):
        del doc["targets"][0]["value"]

    with pytest.raises(PlanError, match="target hightech_firms: field 'value' is missing"):
        load_plan(_write(tmp_path, mutate))


def test_duplicate_target_ids_are_rejected(tmp_path):
    def mutate(doc):
        doc["targets"][1]["id"] = doc["targets"][0]["id"]

    with pytest.raises(PlanError, match="duplicate id"):
        load_plan(_write(tmp_path, mutate))


def test_target_without_deadline_or_yearly_period_is_rejected(tmp_path):
    def mutate(doc):
        doc["targets"][0].pop("deadline")

    with pytest.raises(PlanError, match="either 'deadline'"):
        load_plan(_write(tmp_path, mutate))


def test_readings_must_be_given_in_both_languages(tmp_path):
    def mutate(doc):
        doc["targets"][0]["readings"] = ["only one language"]

    with pytest.raises(PlanError, match="target hightech_firms: field 'readings' must be a list of"):
        load_plan(_write(tmp_path, mutate))


def test_a_plan_without_its_region_file_is_rejected(tmp_path):
    def mutate(doc):
        doc["plan"]["region"] = "region-nowhere.yaml"

    with pytest.raises(PlanError, match="region-nowhere.yaml: region file not found"):
        load_plan(_write(tmp_path, mutate))


# ---------------------------------------------------------------------------------------------- short names

def test_headline_targets_carry_short_names_for_the_index_and_others_fall_back_to_their_full_name(plan):
    shorts = {t.short("zh"): t.short("en") for t in plan.targets if t.headline}
    assert shorts == {"有效高企": "Valid high-tech firms", "高新产值占比": "High-tech output share",
                      "高企利润占比": "High-tech profit share"}
    other = next(t for t in plan.scored if not t.headline)
    assert (other.short("zh"), other.short("en")) == (other.name_zh, other.name_en)


def test_a_short_name_longer_than_the_full_name_is_rejected(tmp_path):
    def mutate(doc):
        doc["targets"][0]["short_zh"] = doc["targets"][0]["name_zh"] + "(简称)"

    with pytest.raises(PlanError, match=r"target hightech_firms: field 'short_zh' is .*longer than the full name"):
        load_plan(_write(tmp_path, mutate))


def test_a_short_name_must_be_text(tmp_path):
    def mutate(doc):
        doc["targets"][0]["short_en"] = ["Valid"]

    with pytest.raises(PlanError, match=r"target hightech_firms: field 'short_en' is \['Valid'\]; expected a short"):
        load_plan(_write(tmp_path, mutate))


def test_components_do_not_inherit_their_parents_short_name(tmp_path):
    def mutate(doc):
        parent = next(t for t in doc["targets"] if t.get("components"))
        parent["short_zh"] = "成长企业"
        parent["components"][0]["short_zh"] = "雏鹰"

    parent = next(t for t in load_plan(_write(tmp_path, mutate)).targets if t.components)
    assert parent.short("zh") == "成长企业"
    assert [c.short("zh") for c in parent.components][:2] == ["雏鹰", parent.components[1].name_zh]


def test_broken_yaml_in_the_plan_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("plan:\n  id: x\ntargets: [\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"plan\.yaml line \d+: not valid YAML"):
        load_plan(path)


def test_a_misspelt_target_field_is_rejected_rather_than_ignored(tmp_path):
    def mutate(doc):
        target = _target(doc, "projects")
        target["town_qouta"] = target.pop("town_quota")

    with pytest.raises(PlanError, match=r"target new_projects: unknown field\(s\) \['town_qouta'\]; expected fields "
                                        r"among \[.*'town_quota'"):
        load_plan(_write(tmp_path, mutate))


def test_a_town_quota_on_a_target_not_scored_by_unit_is_rejected(tmp_path):
    def mutate(doc):
        _target(doc, "incubated")["town_quota"] = {"kfq": 10}

    with pytest.raises(PlanError, match=r"target firms_incubated: field 'town_quota' is given for a task_cumulative "
                                        r"target; only a task_flow target is scored by unit"):
        load_plan(_write(tmp_path, mutate))


def test_meeting_months_that_are_not_numbers_are_rejected_naming_the_field(tmp_path):
    def mutate(doc):
        doc["plan"]["meetings"]["months"] = ["Mar", "Sep"]

    with pytest.raises(PlanError, match=r"plan\.yaml: plan\.meetings: field 'months' is \['Mar', 'Sep'\]; expected a "
                                        r"list of month numbers 1-12"):
        load_plan(_write(tmp_path, mutate))


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("first", "2023-13", r"field 'first' is '2023-13'; expected a month YYYY-MM"),
    ("last", "March 2025", r"field 'last' is 'March 2025'; expected a month YYYY-MM"),
    ("first", "2025-09", r"'first' \(2025-09\) is after 'last' \(2025-03\)"),
])
def test_first_and_last_meetings_must_be_months_in_order(tmp_path, key, value, expected):
    def mutate(doc):
        doc["plan"]["meetings"][key] = value

    with pytest.raises(PlanError, match=r"plan\.yaml: plan\.meetings: " + expected):
        load_plan(_write(tmp_path, mutate))


def test_a_plan_that_ends_before_it_starts_is_rejected(tmp_path):
    def mutate(doc):
        doc["plan"]["start"] = dt.date(2025, 1, 1)

    with pytest.raises(PlanError, match=r"plan\.yaml: plan: field 'start' \(2025-01-01\) is after 'end' \(2024-12-31\)"):
        load_plan(_write(tmp_path, mutate))


def test_a_plan_head_that_is_not_a_mapping_is_rejected(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("plan: haimen\ntargets: []\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"plan\.yaml: plan: is 'haimen'; expected a mapping of fields"):
        load_plan(path)


def test_an_impossible_date_is_refused_with_its_line_and_value(tmp_path):
    path = _write(tmp_path, lambda doc: None)
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip() == "deadline: 2024-12-31")
    lines[n] = lines[n].replace("2024-12-31", "2024-02-30")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PlanError, match=rf"plan\.yaml line {n + 1}: '2024-02-30' is not a valid value .*expected e\.g\. "
                                        r"a real date YYYY-MM-DD"):
        load_plan(path)
