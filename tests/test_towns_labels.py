"""Town aliases and the bilingual label table."""

from __future__ import annotations

import pytest

from helpers.labels import label, status_label, town_label
from helpers.towns import DISTRICT, TOWNS, town_code


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
    assert status_label("at_risk", "zh") == "有风险" and status_label("at_risk", "en") == "at risk"


def test_missing_label_fails_loudly():
    with pytest.raises(KeyError):
        label("no.such.key")
