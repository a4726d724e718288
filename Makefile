# Service Strategy Playbook — `make help` lists the targets.
# `make report` and `make test` work on a fresh clone: they create .venv when absent.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The report notebooks, NN_<slug>.ipynb (nbval runs each on its defaults; scratch notebooks are left out).
NOTEBOOKS := $(wildcard notebooks/[0-9][0-9]_*.ipynb)
PYTEST := $(BIN)/python -m pytest

.DEFAULT_GOAL := help
.PHONY: help install report test test-fast lint format lab bench bench-big clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(STAMP) ## Create .venv (when absent) and install the project with its dev tools

report: $(STAMP) ## Render every demo client into reports/<client>/index.html
	$(BIN)/playbook render --all --workers 2

test: $(STAMP) ## Run every test: unit, CLI, end-to-end renders and nbval over notebooks/
	$(PYTEST) tests $(NOTEBOOKS) --nbval-lax --nbval-current-env

test-fast: $(STAMP) ## Run the fast tests only (skips notebooks and renders: -m "not slow")
	$(PYTEST) tests -m "not slow"

lint: $(STAMP) ## Check the code (ruff, ruff format), the content (schema) and the import layers
	$(BIN)/ruff check playbook tests benchmarks
	$(BIN)/ruff format --check playbook tests benchmarks
	$(BIN)/python -m playbook.content
	$(BIN)/lint-imports

format: $(STAMP) ## Format the code with ruff (pre-commit does this on commit)
	$(BIN)/ruff format playbook tests benchmarks

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP) ## Benchmark the render engine (vs papermill/nbconvert, re-render, workers, kernels, figures) and the deck
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_deck.py

bench-big: $(STAMP) ## Benchmark item 5: a 10M-order client rendered (wall time, peak memory of all processes) and diagnosed
	$(BIN)/python benchmarks/bench_big.py

clean: ## Remove rendered reports and caches (keeps .venv)
	rm -rf reports .pytest_cache .ruff_cache
