"""Writes notebooks/03_briefing.ipynb from the cell list below (run once after editing; the .ipynb is committed).

Keeping the cells here makes reviewing the briefing's narrative a plain-text diff.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    ("md", "# 03 领导小组会议简报 / Leading-group briefing\n\n"
           "This notebook *is* the briefing: `gaoqi render --meeting 2024-09` runs it with papermill and exports "
           "the outputs (code hidden) to `reports/<meeting>/`. Open it in JupyterLab to explore one meeting; "
           "change the parameters below and run all. All logic lives in `helpers.briefing`.", ["remove_cell"]),
    ("code", 'meeting = "2024-09"  # meeting id YYYY-MM (March or September)\n'
             'lang = "zh"  # zh or en\n'
             'processed_dir = ""  # "" = data/processed\n'
             'output_dir = ""  # "" = write no files (interactive use)\n'
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


def build() -> nbformat.NotebookNode:
    nb = new_notebook()
    for kind, src, tags in CELLS:
        cell = new_markdown_cell(src) if kind == "md" else new_code_cell(src)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "gaoqi-briefings", "display_name": "Python (gaoqi-briefings)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "notebooks" / "03_briefing.ipynb"
    nbformat.write(build(), out)
    print(f"wrote {out}")
