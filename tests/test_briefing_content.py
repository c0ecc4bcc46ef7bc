"""What the briefing says: escaped raw text, formatted numbers, and no look-ahead in its results."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from helpers.briefing import Briefing, fmt_p, fmt_range, fmt_value, table_html
from helpers.calendar import meeting
from helpers.datewords import chart_day_text
from helpers.forecast import attain_all
from helpers.processed import ProcessedData
from helpers.targets import load_plan
from helpers.vintage import as_of


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def processed(sample_processed) -> ProcessedData:
    return sample_processed


def _briefing(plan, data: ProcessedData, lang="zh") -> Briefing:
    return Briefing(plan=plan, meeting=meeting(plan, "2024-09"), lang=lang, data=data, attainments=[])


def test_script_in_a_firm_name_reaches_the_page_as_text(plan, processed):
    evil = "<script>alert('x')</script>有限公司"
    quality = pd.DataFrame([{"check": "renamed_firm", "severity": "info", "source_file": "a<b>.xlsx", "sheet": "证书",
                             "row": 3, "column": "企业名称", "value": evil, "message": f"renamed from {evil}",
                             "known": pd.Timestamp("2024-01-01")}])
    page = _briefing(plan, processed.replace(quality=quality)).quality_html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;有限公司" in page
    assert "a&lt;b&gt;.xlsx" in page


def test_table_cells_are_escaped_unless_marked_as_built_html():
    out = table_html(["h<1>"], [["<b>x</b>", "<span>ok</span>"]], raw=(1,))
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<span>ok</span>" in out and "h&lt;1&gt;" in out


@pytest.mark.parametrize("value,unit,lang,expected", [
    (38.4948, "percent", "zh", "38.5%"), (396.0, "firms", "zh", "396家"), (1234.0, "firms", "en", "1,234 firms"),
    (9.2049, "100m_yuan", "zh", "9.2亿元"), (8.5, "100m_yuan", "zh", "8.5亿元"), (48.0, "percent", "zh", "48%"), (None, "firms", "zh", "—"), (float("nan"), "percent", "en", "—"),
])
def test_values_are_formatted_with_their_units(value, unit, lang, expected):
    assert fmt_value(value, unit, lang) == expected


@pytest.mark.parametrize("value,unit,expected", [
    (1.0, "teams", "1 team"), (1.2, "people", "1 person"), (1.0, "firms", "1 firm"), (2.0, "teams", "2 teams"),
    (1.0, "percent", "1%"),
])
def test_english_figures_of_one_take_the_singular(value, unit, expected):
    assert fmt_value(value, unit, "en") == expected


def test_sentences_tables_and_the_notice_print_a_figure_alike():
    from helpers.forecast.scoring import amount
    from helpers.notice import _num

    for value, unit in [(9.2049, "100m_yuan"), (48.04, "percent"), (1234.0, "firms"), (1.0, "teams")]:
        for lang in ("zh", "en"):
            assert getattr(amount(value, unit), lang) == fmt_value(value, unit, lang) == _num(value, unit, lang)


def test_ranges_and_probabilities_are_formatted():
    assert fmt_range(37.71, 38.52, "percent") == "37.7–38.5%"
    assert fmt_p(0.625) == "62%" and fmt_p(None) == "—"


@pytest.mark.parametrize("p,expected", [
    (0.3965, "39.6%"), (0.395, "39.5%"), (0.3999, "39.9%"), (0.7985, "79.8%"),  # below a threshold: stays below
    (0.4, "40%"), (0.802, "80%"), (0.478, "48%"), (0.0005, "0%"),              # elsewhere: a whole percentage
])
def test_a_probability_is_never_printed_on_the_other_side_of_a_status_threshold(p, expected):
    # "40%" beside "off track" (< 40 %) read as a wrong status; the notice prints it the same way
    from helpers.notice import _pct

    assert fmt_p(p) == _pct(p) == expected


@pytest.mark.parametrize("lo,hi,unit,lang,expected", [
    (391.2, 406.8, "firms", "en", "391–407 firms"), (391.2, 406.8, "firms", "zh", "391–407家"),
    (1.0, 3.0, "teams", "en", "1–3 teams"), (9.2, 10.5, "100m_yuan", "zh", "9.20–10.50亿元"),
    (float("nan"), 3.0, "firms", "en", "—"),
])
def test_a_range_says_its_unit_once(lo, hi, unit, lang, expected):
    assert fmt_range(lo, hi, unit, lang) == expected


def _poison(data: ProcessedData, cut_off: dt.date) -> ProcessedData:
    """Every figure released after ``cut_off`` multiplied by 10, plus a flood of late certificates."""
    day = pd.Timestamp(cut_off)
    industry = data.industry.copy()
    industry.loc[industry["released"] > day, "value"] *= 10
    tasks = data.tasks.copy()
    tasks.loc[tasks["released"] > day, "value"] *= 10
    late = data.certificates.sample(200, replace=True, random_state=1).copy()
    late["firm_id"] = [f"poison-{i}" for i in range(len(late))]
    late["issue_date"] = day + pd.Timedelta(days=10)
    late["announced"] = day + pd.Timedelta(days=10)
    late["revoked"] = pd.NaT
    certificates = pd.concat([data.certificates, late], ignore_index=True)
    return data.replace(industry=industry, tasks=tasks, certificates=certificates)


@pytest.mark.parametrize("meeting_id", ["2023-09", "2024-03", "2024-09"])
def test_poisoning_everything_released_after_the_cut_off_changes_no_result(plan, processed, meeting_id):
    m = meeting(plan, meeting_id)
    clean_results = [a.summary() for a in attain_all(as_of(processed, m.cut_off), plan, m)]
    poisoned = _poison(processed, m.cut_off)
    poisoned_results = [a.summary() for a in attain_all(as_of(poisoned, m.cut_off), plan, m)]
    assert poisoned_results == clean_results


def test_poison_does_change_a_later_meetings_results(plan, processed):
    early, later = meeting(plan, "2024-03"), meeting(plan, "2024-09")
    before = {a.id: a.latest_value for a in attain_all(as_of(processed, later.cut_off), plan, later)}
    after = {a.id: a.latest_value for a in attain_all(as_of(_poison(processed, early.cut_off), later.cut_off),
                                                        plan, later)}
    watched = [t.id for t in plan.scored if t.measure == "register_valid_stock" or t.numerator == "hightech_output"]
    assert any(after[i] != before[i] for i in watched)


def test_share_decomposition_chart_names_the_periods_it_compares(plan, processed):
    from helpers import charts

    m = meeting(plan, "2024-09")
    share = attain_all(as_of(processed, m.cut_off), plan, m, n_sims=200)[1]
    fig = charts.decomposition_chart(share.details["decomposition"], name=share.name_zh, lang="zh",
                                     cut_off=m.cut_off, source="s")
    assert "2024年1—7月累计对比2023年同期" in fig.layout.title.subtitle.text


def test_sections_choose_targets_by_what_they_measure_not_by_id(plan, processed):
    import dataclasses

    from helpers.briefing import sections

    m = meeting(plan, "2024-09")
    data = as_of(processed, m.cut_off)
    atts = attain_all(data, plan, m, n_sims=200)
    new_id, targets = {}, []  # every scored target (components too) under a label the code cannot know
    for i, t in enumerate(plan.targets):
        comps = tuple(dataclasses.replace(c, id=f"renamed-{i}.{j}", parent=f"renamed-{i}")
                      for j, c in enumerate(t.components))
        new_id |= {t.id: f"renamed-{i}"} | {c.id: n.id for c, n in zip(t.components, comps, strict=True)}
        targets.append(dataclasses.replace(t, id=f"renamed-{i}", components=comps))
    renamed_plan = dataclasses.replace(plan, targets=tuple(targets))
    renamed = [dataclasses.replace(a, id=new_id[a.id], parent=new_id.get(a.parent)) for a in atts]
    assert {a.id for a in renamed} == {t.id for t in renamed_plan.scored}
    original = Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=atts)
    other = Briefing(plan=renamed_plan, meeting=m, lang="zh", data=data, attainments=renamed)
    table, _ = sections.town_headline(other)
    assert table is not None and len(table.rows) == 11
    assert table.header == sections.town_headline(original)[0].header
    assert len(sections.share_stories(other)) == len(sections.share_stories(original)) == 2
    assert len(sections.headline_figures(other)) == len(sections.headline_figures(original)) == 4


@pytest.fixture(scope="module")
def stock_2024_09(plan, processed):
    m = meeting(plan, "2024-09")
    stock = next(a for a in attain_all(as_of(processed, m.cut_off), plan, m, n_sims=200)
                 if a.measure == "register_valid_stock")
    return m, stock


@pytest.mark.parametrize("lang,word", [("zh", "目标"), ("en", "target")])
def test_the_fan_chart_keeps_its_target_line_label_beside_the_foot_line(stock_2024_09, lang, word):
    from helpers import charts

    m, a = stock_2024_09
    fig = charts.fan_chart(a, lang=lang, cut_off=m.cut_off, source="s")
    texts = [x.text for x in fig.layout.annotations]
    assert any(word in t for t in texts), texts
    assert any(chart_day_text(m.cut_off, lang) in t for t in texts), texts  # the foot line is still there too


@pytest.mark.parametrize("lang,word", [("zh", "目标"), ("en", "target")])
def test_the_track_record_chart_keeps_its_target_line_label(stock_2024_09, lang, word):
    from helpers import charts

    m, a = stock_2024_09
    track = pd.DataFrame({"meeting": ["2024-03"], "forecast_point": [a.target], "lo80": [a.target - 5],
                          "hi80": [a.target + 5], "outcome": [None]})
    fig = charts.track_record_chart(track, a, lang=lang, cut_off=m.cut_off, source="s")
    texts = [x.text for x in fig.layout.annotations]
    assert word in texts and any(chart_day_text(m.cut_off, lang) in t for t in texts), texts


# ------------------------------------------------------------------ the data-quality section


def _quality_briefing(plan, processed, lang="zh") -> Briefing:
    from helpers.completeness import for_meeting

    m = meeting(plan, "2024-09")
    return Briefing(plan=plan, meeting=m, lang=lang, data=as_of(processed, m.cut_off), attainments=[],
                    completeness=for_meeting(plan, m, processed))


def test_figures_set_aside_are_one_counted_line_per_reason_not_findings(plan, processed):
    from helpers.briefing import sections

    b = _quality_briefing(plan, processed)
    q = sections.quality(b, limit=1000)
    set_aside = b.data.quality[b.data.quality["check"] == "set_aside"]
    assert len(set_aside) > 0
    assert len(q["set_aside"]) == set_aside["message_key"].nunique()
    serial = set_aside[set_aside["message_key"] == "intake.set_aside.serial"]
    figures = int(pd.to_numeric(serial["value"]).sum())
    assert f"序号列的 {figures} 个数字未入库：仅为行号（共{len(serial)}处）" in q["set_aside"]
    listed = {row[0] for row in q["findings"].rows}
    assert "未入库（已说明）" not in listed and "set_aside" not in listed
    assert len(q["findings"].rows) == len(b.data.quality) - len(set_aside)


def test_the_chinese_quality_table_shows_the_chinese_messages_warnings_first(plan, processed):
    from helpers.briefing import sections

    q = sections.quality(_quality_briefing(plan, processed), limit=1000)
    messages = [row[6] for row in q["findings"].rows]
    assert any(m.startswith("统一社会信用代码校验位错误") for m in messages)
    assert all(not re.search(r"[A-Za-z]{4,}", re.sub(r"\(GB [^)]*\)", "", str(m))) for m in messages), messages
    severities = [row[0] for row in q["counts"].rows]
    assert severities and q["counts"].rows[0][1] == "警告"


def test_the_quality_section_says_which_returns_are_due_and_missing(plan, processed):
    b = _quality_briefing(plan, processed)
    page = b.quality_html()
    assert "数据截至日前应有的报表" in page
    for line in b.completeness.lines("zh"):
        assert line in page
    assert b.summary_record()["completeness"] == b.completeness.summary()


def test_a_return_missing_at_the_cut_off_is_named_in_the_section(plan, processed):
    tasks = processed.tasks
    last = pd.Timestamp(2024, 6, 30)  # the half-year whose return is due before the 2024-09 cut-off
    town = sorted(t for t in tasks.loc[tasks["period_end"] == last, "town"].unique() if t != "district")[0]
    gap = processed.replace(tasks=tasks[~((tasks["period_end"] == last) & (tasks["town"] == town))])
    page = _quality_briefing(plan, gap).quality_html()
    from helpers.labels import town_label

    assert town_label(town, "zh") in page and "尚未报送" in page


def test_a_missed_target_without_a_responsible_unit_has_no_empty_parentheses(plan, processed):
    from helpers.briefing import sections

    final = meeting(plan, "2025-03")
    attainments = attain_all(as_of(processed, final.cut_off), plan, final, seed=0)
    c = Briefing(plan=plan, meeting=final, lang="zh", data=processed, attainments=attainments)
    lines = sections.risks(c)
    unassigned = [a for a in attainments if a.status == "missed" and not a.responsible]
    assigned = [a for a in attainments if a.status == "missed" and a.responsible]
    assert unassigned and assigned  # the sample's final review misses both kinds
    assert not any("责任单位：）" in line for line in lines)
    assert all(f"（责任单位：{a.responsible}）" in "".join(lines) for a in assigned)


def test_before_the_years_first_return_the_towns_chart_shows_where_towns_are_heading_not_zeros(plan, processed):
    from helpers.briefing import sections

    m = meeting(plan, "2024-03")  # cut-off 2024-02-29: no task return of 2024 yet, every town's count so far is 0
    data = as_of(processed, m.cut_off)
    atts = attain_all(data, plan, m, n_sims=200)
    matrix = sections.town_matrix(Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=atts))
    flows = [a for a in atts if a.measure == "task_flow" and a.by_town is not None and len(a.by_town)
             and a.name("zh") in matrix.columns]
    assert flows and all((a.by_town["latest_value"] == 0).all() for a in flows)
    for a in flows:
        bt = a.by_town.set_index("town")
        expected = 100 * bt["forecast"] / bt["target"]
        got = matrix[a.name("zh")].reindex(expected.index)
        assert (got > 0).any()
        pd.testing.assert_series_equal(got, expected, check_names=False)


def test_the_towns_heatmap_wraps_a_long_chinese_target_name_evenly():
    from helpers import charts

    matrix = pd.DataFrame({"拥有知识产权的泛科技型企业": [100.0], "产学研项目": [80.0]}, index=["kfq"])
    fig = charts.town_heatmap(matrix, lang="zh", cut_off=dt.date(2024, 8, 31), source="s")
    assert list(fig.data[0].x) == ["拥有知识产权的<br>泛科技型企业", "产学研项目"]


def test_method_notes_of_a_plan_without_readings_have_no_empty_readings_heading():
    from helpers.briefing.markup import Table, render

    def method(readings):
        return render("method.html.j2", m={"table": Table(["a"], [["1"]]), "status_rule": "rule",
                                            "readings_title": "Readings", "readings": readings, "bench": []})

    assert "Readings" not in method([])
    assert "<h3>Readings</h3>" in method([("the plan", "read as a count")])


def test_the_town_ranking_caps_each_goal_as_its_header_says():
    from helpers.briefing import sections

    matrix = pd.DataFrame({"a": [300.0, 90.0], "b": [50.0, 100.0]}, index=["kfq", "hy"])
    c = type("C", (), {"lang": "zh", "meeting": type("M", (), {"final_review": False})(), "attainments": []})()
    table = sections.town_ranking(c, matrix)
    assert "超过150%按150%计" in table.header[2]
    assert [r[2] for r in table.rows] == ["100%", "95%"]  # (150 + 50) / 2, not (300 + 50) / 2


def test_published_figures_about_periods_after_the_cut_off_are_left_out(plan, processed):
    from helpers.briefing import annex

    m = meeting(plan, "2023-09")
    data = as_of(processed, m.cut_off)
    b = Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=attain_all(data, plan, m, n_sims=100))
    _, charts_ = annex.public_context(b)
    sources = [line for p in charts_ for line in p.sources]
    years = {int(y) for line in sources for y in re.findall(r"(20\d\d)年", line.split(" — ")[0])}
    assert sources and max(years) <= 2023
    assert not any("2023年全年" in line for line in sources)  # 2023 had not ended by 2023-08-31
    assert all("2023年8月31日" in p.figure.layout.title.text + str(p.figure.layout.annotations) for p in charts_)


def test_world_scores_of_earlier_models_are_quoted_as_such(monkeypatch):
    from helpers.briefing import bench
    from helpers.forecast.priors import MODEL_REVISION

    scores = {"all": {"n": 10, "brier": 0.1, "uncertainty": 0.2, "bands": []}}
    caveat = bench.say("worlds.bench.earlier_models", "zh")
    monkeypatch.setattr(bench, "benchmark_result", lambda name: {"scores": scores, "n_worlds": 1,
                                                                 "model_revision": MODEL_REVISION - 1})
    assert bench.worlds_notes("zh")[0] == caveat
    monkeypatch.setattr(bench, "benchmark_result", lambda name: {"scores": scores, "n_worlds": 1,
                                                                 "model_revision": MODEL_REVISION})
    assert caveat not in bench.worlds_notes("zh")
