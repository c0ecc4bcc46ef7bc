"""Town aliases and the bilingual label table."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from helpers.forecast.tasks import PACE_STATES
from helpers.labels import label, pace_label, status_label, town_label
from helpers.towns import DISTRICT, TOWNS, town_code, town_name


@pytest.mark.parametrize("spelling", ["海门经济技术开发区", "海门开发区", "开发区", " 开发区 ", "开 发 区"])
def test_every_spelling_of_the_development_zone_maps_to_one_code(spelling):
    assert town_code(spelling) == "kfq"


def test_full_width_brackets_and_ideographic_spaces_are_folded():
    assert town_code("海门港新区（包场镇）\u3000") == "hmgxq"


def test_district_totals_have_their_own_code():
    assert town_code("全区合计") == DISTRICT


def test_unknown_spelling_is_none_not_a_new_town():
    assert town_code("月球镇") is None
    assert town_code("") is None


def test_plan_names_eleven_units():
    assert len(TOWNS) == 11


def test_labels_exist_in_both_languages_for_towns_and_statuses():
    assert town_label("haiyong", "zh") == "海永镇" and town_label("haiyong", "en") == "Haiyong"
    assert status_label("at_risk", "zh") == "存在风险" and status_label("at_risk", "en") == "at risk"


def test_missing_label_fails_loudly():
    with pytest.raises(KeyError):
        label("no.such.key")


@pytest.mark.parametrize("state", PACE_STATES)
def test_every_pace_state_has_a_clause_in_each_language(state):
    zh, en = pace_label(state, (2021, 2022), "zh"), pace_label(state, (2021, 2022), "en")
    assert zh and en and zh != en
    assert not re.search(r"[A-Za-z]", zh), zh  # the Chinese clause carries no English word
    assert not re.search(r"[\u4e00-\u9fff]", en), en  # and the English one no Chinese


def test_a_completion_curve_names_its_years_in_each_languages_way():
    assert pace_label("curve", (2021, 2022), "zh") == "按2021、2022年同期完成情况"
    assert pace_label("curve", (2021, 2022), "en") == "pace from the completion curves of 2021, 2022"


def test_an_unknown_pace_state_fails_loudly():
    with pytest.raises(KeyError):
        pace_label("completion curve of 2021", (), "zh")


def test_town_labels_follow_the_active_region_at_call_time(tmp_path, monkeypatch):
    import shutil

    plan_dir = tmp_path / "data" / "raw" / "plan"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "plans" / "dongbin" / "plan", plan_dir)
    monkeypatch.setenv("GAOQI_ROOT", str(tmp_path))
    assert town_label("gc", "zh") == town_name("gc", "zh") and town_label("gc", "en") == town_name("gc", "en")
    assert town_label(DISTRICT, "zh") == "全区"
    with pytest.raises(KeyError):
        town_label("haiyong", "zh")  # a unit of Haimen, not of this district


# ------------------------------------------------------------------ the region is data

def _region_file(tmp_path, text: str):
    from pathlib import Path

    path = Path(tmp_path) / "region-test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_haimen_region_file_holds_the_plans_eleven_units_in_order():
    from helpers.targets import load_plan

    region = load_plan().region
    assert region.codes[:2] == ("kfq", "ljxq") and region.codes[-1] == "haiyong"
    assert region.name_of("haiyong", "zh") == "海永镇" and region.name_of(DISTRICT, "en").startswith("Haimen")


def test_a_spelling_given_for_two_units_is_rejected_naming_both(tmp_path):
    from helpers.towns import RegionError, load_region

    path = _region_file(tmp_path, """
region: {id: x, name_zh: 某区, name_en: X}
units:
  - {code: a, name_zh: 甲镇, name_en: A, aliases: [甲]}
  - {code: b, name_zh: 乙镇, name_en: B, aliases: [甲]}
""")
    with pytest.raises(RegionError, match="spelling '甲' is given for both a and b"):
        load_region(path)


def test_a_unit_code_must_be_a_plain_lower_case_code(tmp_path):
    from helpers.towns import RegionError, load_region

    path = _region_file(tmp_path, """
region: {id: x, name_zh: 某区, name_en: X}
units:
  - {code: 甲, name_zh: 甲镇, name_en: A}
""")
    with pytest.raises(RegionError, match="unit #1: field 'code' is '甲'"):
        load_region(path)


def test_town_names_come_from_the_active_region():
    from helpers.towns import town_name

    assert town_name("kfq", "zh") == "开发区" and town_name("kfq", "en") == "Development Zone"


# ------------------------------------------------------------------ the active region follows the tree

DONGBIN = Path(__file__).resolve().parent / "fixtures" / "plans" / "dongbin" / "plan"
HAIMEN = Path(__file__).resolve().parents[1] / "data" / "raw" / "plan"


def _tree(root: Path, plan_folder: Path) -> Path:
    shutil.copytree(plan_folder, root / "data" / "raw" / "plan")  # copy2 keeps the files' modification times
    return root


def test_switching_gaoqi_root_between_two_trees_switches_the_region(tmp_path, monkeypatch):
    haimen, dongbin = _tree(tmp_path / "haimen", HAIMEN), _tree(tmp_path / "dongbin", DONGBIN)
    for _ in range(2):  # back and forth: neither tree's region may stick in the cache
        monkeypatch.setenv("GAOQI_ROOT", str(dongbin))
        assert list(TOWNS) == ["gc", "bh", "nl"] and town_code("开发区") is None and town_code("北湖") == "bh"
        monkeypatch.setenv("GAOQI_ROOT", str(haimen))
        assert len(TOWNS) == 11 and town_code("开发区") == "kfq" and town_code("北湖") is None


def test_editing_the_region_file_in_place_is_seen_at_the_next_lookup(tmp_path, monkeypatch):
    root = _tree(tmp_path / "dongbin", DONGBIN)
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    assert town_code("北湖街") is None
    region = root / "data" / "raw" / "plan" / "region-dongbin.yaml"
    before = region.stat().st_mtime_ns
    region.write_text(region.read_text(encoding="utf-8").replace("aliases: [北湖]", "aliases: [北湖, 北湖街]"),
                      encoding="utf-8")
    os.utime(region, ns=(before + 1_000_000_000, before + 1_000_000_000))
    assert town_code("北湖街") == "bh"


def test_a_region_file_outside_the_plan_folder_is_followed_when_it_changes(tmp_path, monkeypatch):
    root = _tree(tmp_path / "dongbin", DONGBIN)
    plan_folder = root / "data" / "raw" / "plan"
    shared = tmp_path / "regions" / "dongbin.yaml"
    shared.parent.mkdir()
    (plan_folder / "region-dongbin.yaml").rename(shared)
    plan = plan_folder / "dongbin-2025-2027.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("region: region-dongbin.yaml",
                                                             "region: ../../../../regions/dongbin.yaml"),
                    encoding="utf-8")
    monkeypatch.setenv("GAOQI_ROOT", str(root))
    assert town_code("南岭") == "nl"
    before = shared.stat().st_mtime_ns
    shared.write_text(shared.read_text(encoding="utf-8").replace("aliases: [南岭]", "aliases: [南岭, 岭南]"),
                      encoding="utf-8")
    os.utime(shared, ns=(before + 1_000_000_000, before + 1_000_000_000))
    assert town_code("岭南") == "nl"
