"""Writes notebooks 03 and 04 from the cell lists below (run after editing; the .ipynb files are committed).

Keeping the cells here makes reviewing a notebook's narrative a plain-text diff.
`python tools/notebooks.py` rewrites both.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

BRIEFING = [
    ("md", "# 03 领导小组会议简报 / Leading-group briefing\n\n"
           "This notebook *is* the briefing: `gaoqi render --meeting 2024-09` runs it with papermill and exports "
           "the outputs (code hidden) to `reports/<meeting>/`. Open it in JupyterLab to explore one meeting; "
           "change the parameters below and run all. All logic lives in `helpers.briefing`.", ["remove_cell"]),
    ("code", 'meeting = "2024-09"  # meeting id YYYY-MM (March or September)\n'
             'lang = "zh"  # zh or en\n'
             'processed_dir = ""  # empty: data/processed\n'
             'output_dir = ""  # empty: write no files (interactive use)\n'
             "seed = 0  # seed of the simulations: same inputs and seed, same numbers", ["parameters"]),
    ("code", "import warnings\n\n"
             "from helpers import charts\n"
             "from helpers.briefing import Briefing, show_html\n\n"
             'warnings.filterwarnings("ignore", category=FutureWarning)\n'
             "b = Briefing.build(meeting, lang=lang, processed_dir=processed_dir or None, seed=seed)", []),
    ("code", "show_html(b.header_html())", []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.summary\')}</h2>")\nshow_html(b.summary_html())', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.headline\')}</h2>")\n'
             "for fig in b.headline_figures():\n    charts.show(fig)", []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.shares\')}</h2>")\nb.show_shares()', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.tasks\')}</h2>")\nb.show_tasks()', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.towns\')}</h2>")\nb.show_towns()', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.changes\')}</h2>")\nshow_html(b.changes_html())', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.track\')}</h2>")\nb.show_track_record()', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.quality\')}</h2>")\nshow_html(b.quality_html())', []),
    ("code", 'show_html(f"<h2>{b.t(\'sec.method\')}</h2>")\nb.show_method()', []),
    ("code", "if output_dir:\n    b.write_outputs(output_dir)", ["remove_cell"]),
]

EXPLORE = [
    ("md", "# 04 数据探索 / Explore the processed data\n\n"
           "Slice the cleaned returns by town, indicator and period. Set the parameters and run all; "
           "every chart is interactive (hover, zoom, click the legend). With `cut_off` set you see only what was "
           "known on that day. Run `gaoqi clean` (or notebook 01) first.", []),
    ("code", 'towns = ""  # comma-separated town codes, empty for all (kfq, ljxq, hmgxq, scgy, sanxing, ...)\n'
             'indicator = "hightech_output"  # total_output, hightech_output, total_profit, hightech_profit\n'
             "start_year = 2019\n"
             "flows = False  # True: monthly flows derived from the YTD figures\n"
             'cut_off = ""  # YYYY-MM-DD: data as known that day; empty: everything\n'
             'processed_dir = ""  # empty: data/processed\n'
             'lang = "zh"', ["parameters"]),
    ("code", "import datetime as dt\n\n"
             "from helpers import charts, explore\n"
             "from helpers.labels import label\n"
             "from helpers.processed import load\n\n"
             "data = load(processed_dir or None)\n"
             "as_of = dt.date.fromisoformat(cut_off) if cut_off else None\n"
             'town_list = [t.strip() for t in towns.split(",") if t.strip()] or None\n'
             'source = label("page.source_sample", lang) if data.synthetic else label("page.real_data", lang)', []),
    ("md", "## 指标按区镇 / An indicator by town", []),
    ("code", "view = explore.industry_view(data, towns=town_list, indicators=[indicator], start_year=start_year,\n"
             "                              flows=flows, cut_off=as_of)\n"
             'view["date"] = view["year"].astype(str) + "-" + view["month"].astype(str).str.zfill(2)\n'
             "charts.show(charts.explore_lines(view, x=\"date\", y=\"value\", colour=\"town\",\n"
             '                                 title=label(f"ind.{indicator}", lang), unit=label("unit.10k_yuan", lang),\n'
             "                                 lang=lang, source=source, cut_off=as_of))\n"
             'view.pivot_table(index=["year", "month"], columns="town", values="value").tail(12)', []),
    ("md", "## 高新技术产业产值占比 / High-tech output share by town", []),
    ("code", 'shares = explore.share_view(data, "hightech_output", "total_output", cut_off=as_of)\n'
             "if town_list:\n"
             '    shares = shares[shares["town"].isin(town_list)]\n'
             "charts.show(charts.explore_lines(shares, x=\"date\", y=\"share\", colour=\"town\",\n"
             '                                 title=label("chart.ytd_share_by_town", lang),\n'
             '                                 unit="%", lang=lang, source=source, cut_off=as_of))', []),
    ("md", "## 任务进度 / Task returns", []),
    ("code", "tasks = explore.tasks_view(data, towns=town_list, cut_off=as_of)\n"
             'tasks.pivot_table(index=["task_id", "town"], columns="period_end", values="value").round(1)', []),
]


def build(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook()
    for kind, src, tags in cells:
        cell = new_markdown_cell(src) if kind == "md" else new_code_cell(src)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "gaoqi-briefings", "display_name": "Python (gaoqi-briefings)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


NOTEBOOKS = {"03_briefing.ipynb": BRIEFING, "04_explore.ipynb": EXPLORE}

if __name__ == "__main__":
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(cells), folder / name)
        print(f"wrote {folder / name}")
