"""Each notebook runs top to bottom with its default parameters, as an analyst would run it in JupyterLab."""

from __future__ import annotations

import pytest

from helpers.render import KERNEL


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_clean_indicators", "02_forecast_targets", "03_briefing", "04_explore"])
def test_notebook_runs_with_its_defaults(project_copy, name):
    import papermill as pm

    from helpers.render import ensure_processed

    if name != "01_clean_indicators":
        ensure_processed()
    out = project_copy / f"{name}.out.ipynb"
    pm.execute_notebook(str(project_copy / "notebooks" / f"{name}.ipynb"), str(out), kernel_name=KERNEL,
                        progress_bar=False, cwd=str(project_copy / "notebooks"),
                        extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    assert out.exists()
    if name == "01_clean_indicators":
        assert (project_copy / "data" / "processed" / "manifest.json").exists()


@pytest.mark.slow
def test_explore_notebook_takes_a_typed_cut_off_and_town_names_and_dates_its_charts(project_copy):
    """An analyst writes the cut-off as 2024/8/31 and the towns by name; the charts' foot lines carry the day."""
    import papermill as pm

    from helpers.render import ensure_processed

    ensure_processed()
    out = pm.execute_notebook(str(project_copy / "notebooks" / "04_explore.ipynb"), str(project_copy / "04.out.ipynb"),
                              parameters={"cut_off": "2024/8/31", "towns": "海门港新区, 开发区"}, kernel_name=KERNEL,
                              progress_bar=False, cwd=str(project_copy / "notebooks"),
                              extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    figures = [o["data"]["application/vnd.plotly.v1+json"] for cell in out.cells for o in cell.get("outputs", [])
               if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(figures) == 2
    for fig in figures:
        assert len(fig["data"]) == 2  # one line per town asked for
        assert any("2024年8月31日" in a["text"] for a in fig["layout"]["annotations"])
