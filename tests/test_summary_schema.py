"""The summary JSON record of a target carries every documented field, JSON-ready, with no NaN."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from helpers.forecast.attainment import Attainment, status_from

DOC = Path(__file__).resolve().parents[1] / "docs" / "summary-schema.md"


def _documented_target_fields() -> set[str]:
    text = DOC.read_text(encoding="utf-8").split("Each `targets` record:")[1]
    fields = set()
    for cell in re.findall(r"^\| ([a-z_0-9, ]+) \|", text, flags=re.M):
        fields |= {f.strip() for f in cell.split(",") if f.strip() and f.strip() != "field"}
    return fields


def _attainment(**over) -> Attainment:
    base = dict(id="valid_firms", name_zh="有效高新技术企业数", name_en="Valid high-tech enterprises", kind="stock",
                unit="firms", target=400.0, direction="at_least", deadline=dt.date(2024, 12, 31),
                latest_value=351.0, latest_date=dt.date(2023, 12, 31), forecast_point=393.0, forecast_lo80=380.0,
                forecast_hi80=405.0, forecast_lo95=372.0, forecast_hi95=412.0, p_reach=0.31, status="off_track")
    base.update(over)
    return Attainment(**base)


def test_record_has_every_documented_field():
    record = _attainment().summary()
    assert _documented_target_fields() <= set(record)


def test_record_is_plain_json_with_iso_dates():
    record = json.loads(json.dumps(_attainment().summary()))
    assert record["deadline"] == "2024-12-31" and record["latest_date"] == "2023-12-31"
    assert record["name"] == "有效高新技术企业数"


def test_nan_becomes_null():
    record = _attainment(forecast_point=float("nan")).summary()
    assert record["forecast_point"] is None
    assert "NaN" not in json.dumps(record)


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status 'great'"):
        _attainment(status="great")


@pytest.mark.parametrize("p,passed,reached,expected", [
    (0.95, False, None, "on_track"), (0.8, False, None, "on_track"), (0.79, False, None, "at_risk"),
    (0.4, False, None, "at_risk"), (0.39, False, None, "off_track"), (None, False, None, "no_data"),
    (0.1, True, True, "achieved"), (0.9, True, False, "missed"),
])
def test_status_thresholds(p, passed, reached, expected):
    assert status_from(p, passed, reached) == expected


def test_completeness_record_has_every_documented_field():
    from helpers.completeness import CompletenessReport

    text = DOC.read_text(encoding="utf-8").split("The `completeness` record")[1].split("Each `targets` record:")[0]
    documented = set()
    for cell in re.findall(r"^\| ([a-z_0-9, ]+) \|", text, flags=re.M):
        documented |= {f.strip() for f in cell.split(",") if f.strip() and f.strip() != "field"}
    record = CompletenessReport("2024-09", dt.date(2024, 8, 31), ()).summary()
    assert documented and documented == set(record)


def _documented_values(field: str) -> set[str]:
    """The values the schema's row for ``field`` lists, separated by slashes."""
    text = DOC.read_text(encoding="utf-8").split("Each `targets` record:")[1]
    row = re.search(rf"^\| {field} \| str \| (.*) \|$", text, flags=re.M)
    assert row, f"no row for {field}"
    return set(re.findall(r"[a-z0-9_]+", row.group(1).split(":")[-1]))


def test_every_kind_a_measure_gives_a_target_is_documented():
    from helpers.targets import MEASURES

    assert set(MEASURES.values()) <= _documented_values("kind")


def test_a_target_that_is_no_component_has_a_null_parent_and_a_component_names_its_parent():
    assert _attainment().summary()["parent"] is None
    assert _attainment(id="growth.eaglet", parent="growth").summary()["parent"] == "growth"


@pytest.mark.parametrize("status", ["achieved", "missed"])
def test_a_target_judged_on_its_outcome_has_no_forecast_or_probability(status):
    record = _attainment(status=status, latest_value=396.0, latest_date=dt.date(2024, 12, 31), forecast_point=396.0,
                         forecast_lo80=396.0, forecast_hi80=396.0, p_reach=0.0).summary()
    assert [record[k] for k in ("forecast_point", "forecast_lo80", "forecast_hi80", "forecast_lo95",
                                "forecast_hi95", "p_reach")] == [None] * 6
    assert record["latest_value"] == 396.0 and record["status"] == status


def test_a_target_not_yet_judged_keeps_its_forecast_and_probability():
    record = _attainment(status="at_risk", p_reach=0.55).summary()
    assert record["forecast_point"] == 393.0 and record["p_reach"] == 0.55
