# gaoqi-briefings: the two commands of the README are `make report` and `make test`.
# Both bootstrap `.venv` from the pinned locks in requirements/ when it is missing or stale.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
KERNEL := gaoqi-briefings

.PHONY: report test lint lab clean sample data bench snapshot help

help:
	@echo "make report   render every meeting's briefing from data/raw into reports/"
	@echo "make test     lint and run the whole test suite"
	@echo "make lab      open JupyterLab on notebooks/ with the project's kernel"
	@echo "make data     clean data/raw into data/processed"
	@echo "make sample   regenerate the synthetic sample inputs in data/raw/sample"
	@echo "make bench    run the benchmark scripts in bench/"
	@echo "make snapshot re-record the sample's outputs after a DELIBERATE change of behaviour (tests/fixtures)"
	@echo "make clean    remove generated files (reports, processed data, caches)"

# Runtime environment: pinned libraries, the package itself, and the notebooks' kernel.
$(VENV)/.runtime: requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (gaoqi-briefings)" >/dev/null
	touch $@

# Development environment: the runtime plus test and lint tools.
$(VENV)/.dev: $(VENV)/.runtime requirements/dev-lock.txt
	$(BIN)/python -m pip install --quiet -r requirements/dev-lock.txt
	$(BIN)/nbstripout --install >/dev/null 2>&1 || true
	touch $@

report: $(VENV)/.runtime
	$(BIN)/gaoqi render --all

data: $(VENV)/.runtime
	$(BIN)/gaoqi clean

sample: $(VENV)/.runtime
	$(BIN)/gaoqi sample

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench notebooks
	$(BIN)/python -m helpers.nbhygiene notebooks

test: lint
	$(BIN)/python -m pytest

# The proof that a change of the house changes no output (tests/test_render_snapshot.py) compares the sample's
# rendered pages, JSON and workbooks with tests/fixtures/render-snapshot.json. Re-record it only after a deliberate
# change of behaviour, and commit it with that change; never to make a refactoring pass.
snapshot: $(VENV)/.runtime
	$(BIN)/python -m helpers.snapshot --refresh

lab: $(VENV)/.runtime
	$(BIN)/jupyter lab --notebook-dir=notebooks --MultiKernelManager.default_kernel_name=$(KERNEL)

# Benchmark environment: the dev tools plus the packages that carry the annual benchmark's public data sets, and
# Debian's Penn World Table 9.1 (r-cran-pwt9, read without running R) for its revision-5 blind set.
$(VENV)/.bench: $(VENV)/.dev requirements/bench-lock.txt
	$(BIN)/python -m pip install --quiet -r requirements/bench-lock.txt
	touch $@

PWT9 := /usr/lib/R/site-library/pwt9/data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(PWT9):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends r-cran-pwt9

bench: $(VENV)/.bench $(PWT9)
	$(BIN)/python bench/render.py
	$(BIN)/python bench/annual/run.py --jobs 2
	$(BIN)/python bench/annual/feasibility.py  # what issue 12's goals allow (protocol, after revision 7)
	$(BIN)/python bench/worlds.py --family random --worlds 100 --first-seed 7000 --jobs 2  # issue 22's reported seeds
	$(BIN)/python bench/worlds.py --family stress --worlds 100 --first-seed 8000 --jobs 2  # (protocol: bench/worlds.md)
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/clean.py
	$(BIN)/python bench/auto.py

clean:
	find reports -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	find data/processed -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build src/*.egg-info
