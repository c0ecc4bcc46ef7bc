"""The plan's targets file: every target of the plan is there, validated, and bad files are rejected clearly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from helpers.targets import PlanError, load_plan

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "raw" / "plan" / "haimen-2022-2024.yaml"

DOMAIN_IDS = {
    "valid_firms", "output_share", "profit_share", "pan_tech_growth", "tech_sme", "incubated", "projects",
    "talent_lead", "talent_prov", "talent_overseas", "ip_firms", "uir_projects", "fin_balance", "fin_firms",
    "carriers", "growth_firms", "hitech_ip", "rd_coverage",
}


def _write(tmp_path: Path, mutate) -> Path:
    doc = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    mutate(doc)
    out = tmp_path / "plan.yaml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return out


def test_plan_file_holds_every_target_of_the_domain_notes():
    assert {t.id for t in load_plan(PLAN).targets} == DOMAIN_IDS


def test_headline_targets_are_400_firms_48_and_54_percent_by_end_2024():
    plan = load_plan(PLAN)
    got = {t.id: (t.value, t.unit, t.deadline) for t in plan.headline}
    end = dt.date(2024, 12, 31)
    assert got == {"valid_firms": (400, "firms", end), "output_share": (48, "percent", end),
                   "profit_share": (54, "percent", end)}


def test_project_quotas_are_read_per_unit_and_sum_to_130():
    projects = load_plan(PLAN).target("projects")
    assert sum(projects.town_quota.values()) == 130
    assert projects.town_quota["hmgxq"] == projects.town_quota["scgy"] == 10
    assert any("130" in r.en and "130" in r.zh for r in projects.readings)


def test_uir_quotas_sum_to_140_and_haiyong_has_none():
    uir = load_plan(PLAN).target("uir_projects")
    assert sum(uir.town_quota.values()) == 140
    assert "haiyong" not in uir.town_quota


def test_loan_balance_must_exceed_rather_than_reach_8_5():
    fin = load_plan(PLAN).target("fin_balance")
    assert fin.direction == "more_than"
    assert not fin.reached(8.5) and fin.reached(8.51)


def test_every_target_names_its_responsible_units():
    assert all(t.responsible.strip() for t in load_plan(PLAN).targets)


def test_injected_advertising_text_is_not_in_the_plan_file():
    assert "体育" not in PLAN.read_text(encoding="utf-8")


def test_unknown_kind_is_rejected_naming_file_target_and_field(tmp_path):
    def mutate(doc):
        doc["targets"][4]["kind"] = "flowish"

    with pytest.raises(PlanError, match=r"plan\.yaml: target tech_sme: field 'kind' is 'flowish'"):
        load_plan(_write(tmp_path, mutate))


def test_quota_for_an_unknown_town_is_rejected(tmp_path):
    def mutate(doc):
        doc["targets"][6]["town_quota"]["atlantis"] = 5

    with pytest.raises(PlanError, match="unknown town 'atlantis'"):
        load_plan(_write(tmp_path, mutate))


def test_missing_value_is_rejected(tmp_path):
    def mutate(doc):
        del doc["targets"][0]["value"]

    with pytest.raises(PlanError, match="target valid_firms: field 'value' is missing"):
        load_plan(_write(tmp_path, mutate))


def test_duplicate_target_ids_are_rejected(tmp_path):
    def mutate(doc):
        doc["targets"][1]["id"] = "valid_firms"

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

    with pytest.raises(PlanError, match="target valid_firms: field 'readings' must be a list of"):
        load_plan(_write(tmp_path, mutate))
