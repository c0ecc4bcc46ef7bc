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
