"""Writes notebooks/01_clean_indicators.ipynb from the cells below (no outputs, project kernel).

`python tools/make_notebook_01.py` rewrites it; keeping the cells here makes the narrative a plain-text diff.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# 01 · 数据接收与质量检查 / Data intake and quality\n\n"
        "把新报表放进 `data/raw/<来源>/` 后打开本笔记本：它运行与 `gaoqi clean` 相同的代码，读取全部原始报表，"
        "校验结构性错误（有错则不写入任何数据），并展示数据质量发现。\n\n"
        "Open this after dropping new returns into `data/raw/<source>/`. It runs exactly what `gaoqi clean` runs: "
        "every return is read and validated; structural faults stop the run and nothing in `data/processed` changes; "
        "soft findings are listed below. See `docs/intake.md` for the forms and rules."),
    new_code_cell('raw_dir = ""\nprocessed_dir = ""\ncut_off = ""', metadata={"tags": ["parameters"]}),
    new_code_cell(
        "from pathlib import Path\n\n"
        "import pandas as pd\n"
        "import plotly.graph_objects as go\n\n"
        "from helpers import paths\n"
        "from helpers.charts import show\n"
        "from helpers.clean import clean\n"
        "from helpers.labels import label, town_label\n"
        "from helpers.processed import load\n"
        "from helpers.validate import InputErrors\n"
        "from helpers.vintage import as_of, latest\n\n"
        "RAW = Path(raw_dir) if raw_dir else paths.raw_dir()\n"
        "PROCESSED = Path(processed_dir) if processed_dir else paths.processed_dir()"),
    new_markdown_cell("## 1. 清洗与校验 / Clean and validate\n\n"
                      "结构性错误逐条列出（文件、工作表、行、列、值、应为、如何修正）。"
                      " Structural faults are listed one per line; fix them in the raw files and run again."),
    new_code_cell(
        "try:\n"
        "    report = clean(RAW, PROCESSED)\n"
        "except InputErrors as errors:\n"
        "    display(pd.DataFrame([vars(f) for f in errors.faults]))\n"
        "    raise\n"
        "print(\"\\n\".join(report.summary_lines()))"),
    new_code_cell(
        "data = load(PROCESSED)\n"
        "if cut_off:\n"
        "    data = as_of(data, pd.Timestamp(cut_off).date())\n"
        "print('synthetic sample data / 示例数据' if data.synthetic else 'official data / 正式数据',\n"
        "      '| as of', data.manifest.get('as_of', 'all releases'))"),
    new_markdown_cell("## 2. 数据质量 / Data quality\n\n"
                      "软性发现不阻止运行，会显示在简报中：重复行、修订、信用代码校验失败、登记与上报不符等。"
                      " Soft findings do not stop the run; the briefing shows them."),
    new_code_cell(
        "q = data.quality\n"
        "q.groupby(['severity', 'check']).size().rename('findings').reset_index()"),
    new_code_cell(
        "q.sort_values(['severity', 'known'], ascending=[False, True])"
        "[['check', 'severity', 'source_file', 'sheet', 'row', 'column', 'value', 'message', 'known']]"),
    new_markdown_cell("## 3. 覆盖情况 / Coverage of periods by town\n\n"
                      "每个区镇每年有数据的月份数（1-2月合并为一期，故全年最多11期）。"
                      " Returns per town and year (1-2月 counts once, so a full year has 11)."),
    new_code_cell(
        "ind = latest(data.industry, ['town', 'indicator', 'year', 'month'])\n"
        "coverage = (ind[ind['indicator'] == 'total_output']\n"
        "            .pivot_table(index='town', columns='year', values='month', aggfunc='count', fill_value=0))\n"
        "coverage.index = [town_label(t) for t in coverage.index]\n"
        "coverage"),
    new_code_cell(
        "tasks = latest(data.tasks, ['task_id', 'town', 'year', 'period_end'])\n"
        "tasks.pivot_table(index='task_id', columns=tasks['period_end'].dt.strftime('%Y-%m'), values='value',\n"
        "                  aggfunc='count', fill_value=0)"),
    new_markdown_cell("## 4. 一览 / A first look\n\n"
                      "全区高新技术产业产值占比（年初至各月累计）。比重是两个累计值之比，而不是月度比重的平均。"
                      " District high-tech output share, year to date: a ratio of two YTD sums."),
    new_code_cell(
        "district = ind.groupby(['indicator', 'year', 'month'])['value'].sum().unstack('indicator')\n"
        "share = (100 * district['hightech_output'] / district['total_output']).rename('share').reset_index()\n"
        "fig = go.Figure()\n"
        "for year, g in share.groupby('year'):\n"
        "    fig.add_scatter(x=g['month'], y=g['share'].round(1), mode='lines+markers', name=str(year))\n"
        "fig.update_layout(title=label('ind.hightech_output') + ' / ' + label('ind.total_output') + ' (%, YTD)',\n"
        "                  xaxis_title='month (2 = 1-2月)', yaxis_title='%', height=380)\n"
        "show(fig)"),
    new_code_cell(
        "certs = data.certificates\n"
        "per_batch = certs.groupby(certs['announced'].dt.date).size().rename('certificates').reset_index()\n"
        "fig = go.Figure(go.Bar(x=per_batch['announced'].astype(str), y=per_batch['certificates']))\n"
        "fig.update_layout(title='高企认定批次（公示日期）/ certificates per announced batch', height=340)\n"
        "show(fig)"),
    new_code_cell(
        "revisions = data.industry[data.industry['revision'] > 0]\n"
        "revisions[['town', 'indicator', 'year', 'month', 'value', 'revision', 'released', 'source_file']]"),
]
for i, cell in enumerate(cells):
    cell.id = f"nb01-{i:02d}"  # stable ids: regenerating gives the same file
nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "gaoqi-briefings", "display_name": "Python (gaoqi-briefings)", "language": "python"},
    "language_info": {"name": "python"},
})
nbformat.write(nb, Path(__file__).resolve().parents[1] / "notebooks" / "01_clean_indicators.ipynb")
