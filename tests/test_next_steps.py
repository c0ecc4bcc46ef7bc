"""下一步工作建议: what each target not on track asks of whom, the roll-up by unit, the towns' 通报 and the matters for
the meeting — on the shipped sample as known at the 2024-09 cut-off, and on the fixtures' plan files."""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
from pathlib import Path

import pytest

from helpers.briefing import Briefing
from helpers.briefing.actions import actions, full_year_sum, town_report
from helpers.briefing.decisions import decisions, roll_up
from helpers.briefing.next_steps import next_steps, responsibility_of
from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.forecast.cohort import known_pipeline
from helpers.register import valid_firms
from helpers.targets import PlanError, load_plan
from helpers.vintage import as_of, certificates_known

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "tests" / "fixtures" / "plans"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def september(plan, sample_processed) -> Briefing:
    m = meeting(plan, "2024-09")
    data = as_of(sample_processed, m.cut_off)
    return Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=attain_all(data, plan, m, seed=0))


@pytest.fixture(scope="module")
def september_en(september) -> Briefing:
    return dataclasses.replace(september, lang="en")


def _act(b: Briefing, measure: str):
    return next(x for x in actions(b) if x.target.measure == measure)


# ------------------------------------------------------------------------------------------ quantities
def test_recognitions_needed_are_the_target_less_the_firms_still_valid_at_the_deadline(september):
    act = _act(september, "register_valid_stock")
    known = certificates_known(september.data.certificates, september.meeting.cut_off)
    still_valid = valid_firms(known, act.target.deadline)
    q = next(q for q in act.quantities if q.kind == "recognitions")
    assert q.value == act.target.target - still_valid > 0


def test_applications_needed_are_the_recognitions_at_the_observed_pass_rate_rounded_up(september):
    act = _act(september, "register_valid_stock")
    need = next(q for q in act.quantities if q.kind == "recognitions").value
    apps = next(q for q in act.quantities if q.kind == "applications")
    pipe = known_pipeline(september.data.tasks, september.meeting.cut_off, act.target.deadline.year)
    yearly = [r / n for r, n in zip(pipe.recognised, pipe.applied, strict=True)]  # the earlier years' observed pass rates
    assert apps.basis["rate"] == pipe.pass_rate and min(yearly) <= pipe.pass_rate <= max(yearly)
    assert apps.value == math.ceil(need / pipe.pass_rate) and apps.value > need


def test_output_to_add_brings_the_full_year_share_to_the_target(september):
    act = _act(september, "ytd_ratio")
    a, q = act.target, act.quantities[0]
    d = full_year_sum(september, q.basis["denominator_of"], a.deadline.year)[0] / 10_000  # 亿元
    n = a.forecast_point / 100 * d
    assert q.unit == "100m_yuan" and q.value > 0
    assert (n + q.value) / (d + q.value) == pytest.approx(a.target / 100)


def test_a_yearly_count_still_needs_the_target_less_the_count_done_in_whole_units(september):
    act = next(x for x in actions(september) if x.target.measure == "task_flow" and x.target.latest_value)
    q = act.quantities[0]
    assert q.kind == "remaining" and q.value == math.ceil(act.target.target - act.target.latest_value)
    assert q.value == int(q.value)


def test_the_page_names_for_each_target_not_on_track_its_lead_unit_and_a_quantity(september):
    s = next_steps(september)
    open_ = [a for a in september.attainments if a.status in ("at_risk", "off_track")]
    assert open_ and len(s.items) == len(open_)
    for a in open_:
        item = next(i for i in s.items if i.startswith(a.name("zh") + "（"))
        lead = september.plan.target(a.id).responsibility.lead or (_office(september),)
        assert f"由{lead[0].name_zh}牵头" in item and re.search(r"\d", item.split("）", 1)[1])


def _office(b: Briefing):
    from helpers.departments import load_registry

    return load_registry(b.plan.region.source).office_department


# ------------------------------------------------------------------------------------------ who acts
def test_the_lead_unit_is_named_before_the_supporting_units(september):
    for act, item in zip(actions(september), next_steps(september).items, strict=True):
        if act.support:
            assert item.index(act.lead[0].name_zh + "牵头") < item.index(act.support[0].name_zh)


def test_the_plan_names_each_unit_one_way_in_both_languages(plan):
    names = {d.code: (d.name_zh, d.name_en) for t in plan.scored for d in t.responsibility.units}
    assert "区市场监督管理局" not in "".join(t.responsible for t in plan.scored)
    assert len({zh for zh, _ in names.values()}) == len(names) == len({en for _, en in names.values()})


def test_the_plan_text_form_reads_its_first_named_unit_as_lead(tmp_path):
    plan = load_plan(next((PLANS / "dongbin" / "plan").glob("dongbin-*.yaml")))
    t = next(t for t in plan.scored if t.responsible == "区科技局,各镇街")
    assert [d.name_zh for d in t.responsibility.lead] == ["区科技局"]
    assert [d.name_zh for d in t.responsibility.support] == ["各镇街"]


def test_a_lead_unit_the_region_does_not_know_is_an_error_naming_file_target_and_field(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "data" / "raw" / "plan", folder)
    path = folder / "haimen-2022-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("lead: [tzfw]", "lead: [区招商局]", 1), encoding="utf-8")
    with pytest.raises(PlanError, match=r"haimen-2022-2024\.yaml: target new_projects: field 'lead' names unknown "
                                        r"department '区招商局'"):
        load_plan(path)


# ------------------------------------------------------------------------------------------ roll-up and 通报
def test_the_roll_up_gives_each_open_target_to_its_lead_unit_only(september):
    acts = actions(september)
    rolls = roll_up(september.attainments, acts, responsibility_of(september))
    assert len({r.unit.code for r in rolls}) == len(rolls)
    for act in acts:
        holders = [r.unit for r in rolls if act in r.actions]
        assert holders == [act.lead[0]]


def test_the_towns_notice_names_the_units_behind_the_pace_of_their_quota(september):
    a, units, gaps = next(r for r in town_report(september) if september.plan.target(r[0].id).town_quota)
    bt = a.by_town.set_index("town")
    assert units == int(bt["target"].notna().sum())
    named = {g.town for g in gaps}
    for town, r in bt.dropna(subset=["target"]).iterrows():
        pace = next(g.expected / g.goal for g in gaps) if gaps else None
        assert (town in named) == (pace is not None and r["latest_value"] < math.floor(r["target"] * pace + 0.5))
    line = next(x for x in next_steps(september).towns if x.startswith(a.name("zh")))
    assert f"{units}个区镇中{len(gaps)}个" in line


# ------------------------------------------------------------------------------------------ matters for the meeting
def test_no_decision_is_raised_without_a_forecast_behind_it(september):
    bare = [dataclasses.replace(a, forecast_point=None, forecast_lo80=None, forecast_hi80=None, forecast_lo95=None,
                                forecast_hi95=None, p_reach=None, status="no_data", by_town=None)
            for a in september.attainments]
    b = dataclasses.replace(september, attainments=bare)
    assert actions(b) == [] and decisions(bare, [], town_report(b)) == []
    assert next_steps(b).decisions == [next_steps(b).decisions[0]] and "未提出" in next_steps(b).decisions[0]


def test_every_decision_carries_the_figures_it_rests_on(september):
    matters = september.summary_record()["next_steps"]["decisions"]
    assert {m["kind"] for m in matters} >= {"cannot_meet", "lever"}
    for m in matters:
        assert m["figures"] and (m["targets"] or m["towns"])
        assert all(v is not None for f in m["figures"] for v in f.values())


# ------------------------------------------------------------------------------------------ how it reads
def test_the_chinese_section_reads_as_a_briefing(september):
    html = september.next_steps_html()
    text = re.sub(r"<[^>]+>", "", html)
    assert not re.search(r"[A-Za-z]{2,}", text)
    assert not any(a.id in text for a in september.attainments)
    assert not re.search(r"\d{4}-\d{2}", text) and "2024年底" in text
    assert not re.search(r"\d+\.\d+(家|名|人|项|个(?!百分点))", text)  # whole firms, people, items
    assert "序时进度" in text


def test_the_english_section_has_the_same_structure_in_english(september, september_en):
    zh, en = next_steps(september), next_steps(september_en)
    assert len(zh.items) == len(en.items) and len(zh.decisions) == len(en.decisions)
    assert len(zh.rollup.rows) == len(en.rollup.rows)
    assert not CJK.search(en.intro + en.title + en.rollup_title + en.towns_title + en.decisions_title)
    assert not [r[0] for r in en.rollup.rows if CJK.search(r[0])]


def test_the_xlsx_appendix_has_a_next_steps_sheet_with_a_row_per_action(september, tmp_path):
    import openpyxl

    from helpers.briefing.outputs import write_xlsx

    path = tmp_path / "briefing-2024-09.xlsx"
    write_xlsx(september, path)
    ws = openpyxl.load_workbook(path)["下一步工作建议"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][4] == "牵头单位" and len(rows) - 1 == len(actions(september))
    assert all(r[4] for r in rows[1:])


def test_a_yearly_target_missed_with_a_plan_year_left_asks_for_the_next_years_target(september):
    import datetime as dt

    from helpers.briefing.actions import action, needs_action

    a = next(a for a in september.attainments if september.plan.target(a.id).period == "yearly"
             and september.plan.target(a.id).town_quota)
    last_year = dataclasses.replace(a, status="missed", deadline=dt.date(2023, 12, 31), latest_value=a.target - 11,
                                    latest_date=dt.date(2023, 12, 31), p_reach=None)
    assert needs_action(september, last_year)
    act = action(september, last_year)
    q = act.quantities[0]
    assert (q.kind, q.value, q.basis["year"], q.basis["missed_by"]) == ("next_year", a.target, 2024, 11)
    assert act.towns == ()


@pytest.fixture(scope="module")
def final_review(plan, sample_processed) -> Briefing:
    m = meeting(plan, "2025-03")
    data = as_of(sample_processed, m.cut_off)
    return Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=attain_all(data, plan, m, seed=0))


def test_at_the_final_review_every_missed_target_is_a_matter_for_the_meeting_not_an_action(final_review):
    missed = [a for a in final_review.attainments if a.status == "missed"]
    matters = final_review.summary_record()["next_steps"]["decisions"]
    assert missed and actions(final_review) == []
    assert next(m for m in matters if m["kind"] == "missed")["targets"] == [a.id for a in missed]
    assert "未完成" in next_steps(final_review).intro


def test_the_next_steps_record_has_every_documented_field_and_no_other(september):
    doc = (ROOT / "docs" / "summary-schema.md").read_text(encoding="utf-8")
    block = doc.split("The `next_steps` record")[1].split("The `completeness` record")[0]
    documented = {c for c in re.findall(r"^\| ([a-z_]+) \|", block, flags=re.M) if c != "field"}
    assert documented == set(september.summary_record()["next_steps"])


def test_a_coverage_of_the_valid_firms_says_how_many_firms_still_fall_short(september):
    act = next(x for x in actions(september) if september.plan.target(x.target.id).population)
    a = act.target
    q = next(q for q in act.quantities if q.kind == "firms_short")
    known = certificates_known(september.data.certificates, september.meeting.cut_off)
    firms = valid_firms(known, a.latest_date)
    assert q.basis["firms"] == firms and q.value == round(firms * (100 - a.latest_value) / 100) > 0


def test_a_population_on_a_target_that_is_no_coverage_rate_is_refused(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "data" / "raw" / "plan", folder)
    path = folder / "haimen-2022-2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    series: projects\n", "    series: projects\n    population: register_valid_stock\n"),
                    encoding="utf-8")
    with pytest.raises(PlanError, match=r"target new_projects: field 'population'.*coverage target only"):
        load_plan(path)
