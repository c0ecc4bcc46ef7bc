"""Which published figures a briefing shows as context is decided by data: the region file names the regions
(``public_context``, spelled as data/raw/public/public_figures.csv spells them) whose real figures are the
district's context. Another district's page never shows Haimen's figures as its own; a district naming none shows
no published-figure chart at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.briefing import Briefing, annex
from helpers.calendar import meeting
from helpers.forecast import attain_all
from helpers.targets import load_plan
from helpers.towns import RegionError, load_region
from helpers.vintage import as_of

ROOT = Path(__file__).resolve().parents[1]
DONGBIN = ROOT / "tests" / "fixtures" / "plans" / "dongbin"
N = 100


def _shown_regions(b: Briefing) -> list[str]:
    """The regions of every published figure the method notes list under their charts (zh: region first)."""
    _, charts_ = annex.public_context(b)
    return sorted({line.split(" ")[0] for p in charts_ for line in p.sources})


def _dongbin_briefing(root: Path, public_context: str) -> Briefing:
    """Dongbin (a fictional district whose plan has an output share, as Haimen's) with the real published-figures
    file beside it and ``public_context`` written into its region file."""
    raw = root / "data" / "raw"
    shutil.copytree(DONGBIN / "plan", raw / "plan")
    shutil.copytree(DONGBIN / "returns", raw / "returns")
    shutil.copytree(ROOT / "data" / "raw" / "public", raw / "public")
    region = raw / "plan" / "region-dongbin.yaml"
    text = region.read_text(encoding="utf-8").replace("public_context: []", f"public_context: {public_context}")
    region.write_text(text, encoding="utf-8")
    from helpers.clean import build

    data = build(raw)[0]
    plan = load_plan()
    m = meeting(plan, "2025-10")
    d = as_of(data, m.cut_off)
    return Briefing(plan=plan, meeting=m, lang="zh", data=d, attainments=attain_all(d, plan, m, n_sims=N))


def test_haimens_page_shows_itself_its_city_a_district_of_the_city_and_its_province(sample_processed):
    plan = load_plan()
    m = meeting(plan, "2025-03")
    data = as_of(sample_processed, m.cut_off)
    b = Briefing(plan=plan, meeting=m, lang="zh", data=data, attainments=attain_all(data, plan, m, n_sims=N))
    # 启东市 published one share by 2025-02-28: one point makes no series, but it is a district of Haimen's city
    # (the region file's public_ranking), and a district's own published figure is shown, as Haimen's are
    assert _shown_regions(b) == sorted(["海门区", "南通市", "崇川区", "启东市", "江苏省"])


def _haimen_2024_09(sample_processed, lang: str = "zh") -> Briefing:
    plan = load_plan()
    m = meeting(plan, "2024-09")
    data = as_of(sample_processed, m.cut_off)
    return Briefing(plan=plan, meeting=m, lang=lang, data=data, attainments=attain_all(data, plan, m, n_sims=N))


def test_the_districts_own_single_published_share_is_shown_and_ranked_among_its_citys_districts(sample_processed):
    _, charts_ = annex.public_context(_haimen_2024_09(sample_processed))
    output = charts_[0]

    assert any(line.startswith("海门区 2022年全年：47%（预计）") for line in output.sources)
    assert output.ranking == ["2022年全年：海门区47%（预计），在南通市有公开数据的2个县（市、区）中居第2位（崇川区61.51%）。"]


def test_each_published_figure_names_its_authority_or_is_flagged_as_a_copy(sample_processed):
    _, charts_ = annex.public_context(_haimen_2024_09(sample_processed))
    sources = [line for p in charts_ for line in p.sources]

    assert "海门区 2022年全年：47%（预计），发布机关：海门区人民政府 — https://www.haimen.gov.cn/" in " ".join(sources)
    copies = [line for line in sources if "gcs66.com" in line or "hongheiku.com" in line]
    assert copies and all("（转载网站，未找到发布机关原文）" in line and "发布机关" not in line.split("（转载")[0]
                          for line in copies)


def test_a_district_whose_region_file_names_no_public_context_shows_no_published_figure(tmp_path, monkeypatch):
    monkeypatch.setenv("GAOQI_ROOT", str(tmp_path))
    b = _dongbin_briefing(tmp_path, "[]")
    assert b.plan.region.public_context == ()
    assert annex.public_context(b)[1] == []  # the real file holds Haimen's output share: none of it is shown


def test_a_district_shows_only_the_published_figures_of_the_regions_it_names(tmp_path, monkeypatch):
    monkeypatch.setenv("GAOQI_ROOT", str(tmp_path))
    b = _dongbin_briefing(tmp_path, "[南通市, 江苏省]")
    assert _shown_regions(b) == ["南通市", "江苏省"]


def test_a_public_context_that_is_not_a_list_of_region_names_is_refused_naming_the_file_and_field(tmp_path):
    region = tmp_path / "region-x.yaml"
    text = (DONGBIN / "plan" / "region-dongbin.yaml").read_text(encoding="utf-8")
    region.write_text(text.replace("public_context: []", "public_context: 南通市"), encoding="utf-8")
    with pytest.raises(RegionError, match=r"region-x.yaml: field 'public_context' is '南通市'; expected a list"):
        load_region(region)
