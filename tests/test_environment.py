"""The install files agree: environment.yml, pyproject.toml and the pinned locks describe one environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from helpers.nbhygiene import problems

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line.strip())
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_runtime_dependency_is_pinned_in_the_lock_within_its_range():
    pins = _pins(ROOT / "requirements" / "lock.txt")
    for dep in _pyproject()["project"]["dependencies"]:
        req = Requirement(dep)
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{name} is a dependency but not pinned in requirements/lock.txt"
        assert req.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {req.specifier}"


def test_every_dev_dependency_is_pinned_in_the_dev_lock():
    pins = _pins(ROOT / "requirements" / "dev-lock.txt")
    for dep in _pyproject()["project"]["optional-dependencies"]["dev"]:
        req = Requirement(dep)
        assert req.name.lower() in pins, f"{req.name} is a dev dependency but not pinned"
        assert req.specifier.contains(pins[req.name.lower()])


def test_every_bench_dependency_is_pinned_in_the_bench_lock_which_builds_on_the_dev_lock():
    lock = ROOT / "requirements" / "bench-lock.txt"
    pins = _pins(lock)
    assert "-r dev-lock.txt" in lock.read_text(encoding="utf-8").splitlines()
    for dep in _pyproject()["project"]["optional-dependencies"]["bench"]:
        req = Requirement(dep)
        assert req.name.lower() in pins, f"{req.name} is a bench dependency but not pinned in bench-lock.txt"
        assert req.specifier.contains(pins[req.name.lower()])


def test_environment_yml_asks_for_the_python_of_pyproject_and_installs_the_lock_and_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "gaoqi-briefings"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert SpecifierSet(_pyproject()["project"]["requires-python"]).contains(python.split("=")[1] + ".0")
    assert "pip" in env["dependencies"]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements/lock.txt" in pip_section and "-e ." in pip_section


def test_committed_notebooks_have_no_outputs_and_one_literal_parameters_cell():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    assert [p for nb in notebooks for p in problems(nb)] == []


def test_notebooks_are_numbered_in_order_of_use():
    names = [p.name for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    assert names[:3] == ["01_clean_indicators.ipynb", "02_forecast_targets.ipynb", "03_briefing.ipynb"]
