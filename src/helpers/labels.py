"""One bilingual label table for every word a chart, table or page shows.

Charts and notebooks never spell a label themselves: they call ``label(key, lang)``. A missing key fails
loudly (KeyError) so a new chart cannot ship with a half-translated page.
"""

from __future__ import annotations

from typing import Literal

from helpers.towns import DISTRICT, TOWNS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # statuses (see helpers.forecast.attainment for the thresholds)
    "status.achieved": ("已完成", "achieved"),
    "status.on_track": ("按进度", "on track"),
    "status.at_risk": ("有风险", "at risk"),
    "status.off_track": ("滞后", "off track"),
    "status.missed": ("未完成", "missed"),
    "status.no_data": ("无数据", "no data"),
    # indicators of the industrial statistics
    "ind.total_output": ("规上工业总产值", "Above-scale industrial output"),
    "ind.hightech_output": ("高新技术产业产值", "High-tech industry output"),
    "ind.total_profit": ("规上工业利润", "Above-scale industrial profit"),
    "ind.hightech_profit": ("规上高新技术企业利润", "Profit of above-scale high-tech firms"),
    # units
    "unit.firms": ("家", "firms"),
    "unit.percent": ("%", "%"),
    "unit.items": ("个", "items"),
    "unit.people": ("名", "people"),
    "unit.teams": ("个", "teams"),
    "unit.100m_yuan": ("亿元", "100 m yuan"),
    "unit.10k_yuan": ("万元", "10 k yuan"),
    # page furniture
    "page.title": ("高新技术企业培育工作领导小组会议简报", "Briefing for the high-tech enterprise leading group"),
    "page.meeting": ("会议", "Meeting"),
    "page.as_of": ("数据截止", "Data cut-off"),
    "page.generated": ("生成时间", "Generated"),
    "page.sample_mark": ("示例数据 / sample data", "sample data / 示例数据"),
    "page.sample_note": (
        "本简报使用合成的示例数据,不代表海门区真实情况。",
        "This briefing uses synthetic sample data; it does not describe Haimen District's real situation.",
    ),
    "page.real_data": ("正式数据", "official data"),
    "page.source": ("来源", "Source"),
    "page.source_sample": ("示例数据(合成)", "synthetic sample data"),
    "page.source_register": ("高企证书登记(示例)", "certificate register (sample)"),
    "sec.summary": ("一、总体情况", "1. Summary"),
    "sec.headline": ("二、主要目标走势与预测", "2. Headline targets: history and forecast"),
    "sec.shares": ("三、比重变化原因", "3. Why the shares moved"),
    "sec.tasks": ("四、重点任务进度", "4. Task targets"),
    "sec.towns": ("五、各区镇情况", "5. Towns"),
    "sec.changes": ("六、与上次会议相比", "6. Since the last meeting"),
    "sec.track": ("七、预测回顾", "7. Track record"),
    "sec.quality": ("八、数据质量与来源", "8. Data quality and sources"),
    "sec.method": ("九、方法说明", "9. Method notes"),
    "col.target": ("目标", "Target"),
    "col.deadline": ("期限", "Deadline"),
    "col.latest": ("最新值", "Latest"),
    "col.latest_date": ("截至", "As of"),
    "col.forecast": ("预测", "Forecast"),
    "col.range80": ("80%区间", "80 % range"),
    "col.p_reach": ("达成概率", "Probability"),
    "col.status": ("状态", "Status"),
    "col.what_it_takes": ("需要做到", "What it would take"),
    "col.responsible": ("责任单位", "Responsible units"),
    "col.town": ("区镇", "Town"),
    "col.indicator": ("指标", "Indicator"),
    "axis.year": ("年份", "Year"),
    "axis.date": ("日期", "Date"),
    "chart.history": ("历史", "history"),
    "chart.forecast": ("预测", "forecast"),
    "chart.range80": ("80%区间", "80 % range"),
    "chart.range95": ("95%区间", "95 % range"),
    "chart.target": ("目标", "target"),
    "chart.deadline": ("期限", "deadline"),
    "chart.ytd_share_by_town": ("高新技术产业产值占比(累计,按区镇)", "High-tech output share, year to date, by town"),
    "town.district": ("全区", "District"),
    # short names of the headline targets, for badges
    "short.valid_firms": ("有效高企", "valid firms"),
    "short.output_share": ("产值占比", "output share"),
    "short.profit_share": ("利润占比", "profit share"),
    # data-quality checks (helpers.clean), shown in the briefing's data-quality section
    "check.duplicate_row": ("重复行", "duplicate row"),
    "check.revision": ("数据修订", "revised figure"),
    "check.conflicting_figures": ("同日不同值", "conflicting figures"),
    "check.credit_code_check": ("信用代码校验位错误", "credit code check failed"),
    "check.register_vs_reported": ("登记与报送不符", "register vs reported"),
    "check.text_in_number": ("数值单元格含文字", "text in a number cell"),
    "check.missing_value": ("缺失值", "missing value"),
    "check.total_vs_towns": ("合计与各区镇之和不符", "total vs sum of towns"),
    "check.renamed_firm": ("企业更名", "renamed firm"),
    "check.cert_no_format": ("证书编号格式", "certificate number format"),
    "severity.info": ("提示", "info"),
    "severity.warning": ("警告", "warning"),
}
for _code, (_zh, _en) in TOWNS.items():
    _LABELS[f"town.{_code}"] = (_zh, _en)
_LABELS[f"town.{DISTRICT}"] = _LABELS["town.district"]


def label(key: str, lang: Lang = "zh") -> str:
    """The label for ``key`` in ``lang``; KeyError for an unknown key or language."""
    zh, en = _LABELS[key]
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    raise KeyError(f"unknown language {lang!r}; expected one of {LANGS}")


def has_label(key: str) -> bool:
    return key in _LABELS


def label_or(key: str, fallback: str, lang: Lang = "zh") -> str:
    """The label for ``key``, or ``fallback`` for vocabularies that raw data may extend (e.g. new checks)."""
    return label(key, lang) if key in _LABELS else fallback


def town_label(code: str, lang: Lang = "zh") -> str:
    return label(f"town.{code}", lang)


def status_label(status: str, lang: Lang = "zh") -> str:
    return label(f"status.{status}", lang)


def unit_label(unit: str, lang: Lang = "zh") -> str:
    return label(f"unit.{unit}", lang)


def register(key: str, zh: str, en: str) -> None:
    """Add a label (used by modules that own a vocabulary, e.g. target names from the plan file)."""
    _LABELS[key] = (zh, en)
