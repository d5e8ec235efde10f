# Axion Lab. `make demo` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXTRAS ?= dev
PYTEST_ARGS ?=

.PHONY: demo test lint format lab bench notebooks clean help

help:
	@echo "make demo   run the curated notebooks as reports into reports/ (offline)"
	@echo "make test   run the whole test suite (unit, integration, notebooks)"
	@echo "make lint   ruff + mypy"
	@echo "make lab    open JupyterLab on notebooks/"
	@echo "make bench  run the benchmarks"
	@echo "make notebooks  refresh the nbval reference outputs after a sandbox change"

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Need $(PYTHON) (Python 3.11+) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -c constraints.txt -e ".[$(EXTRAS)]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (axion-lab)" >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/axion-lab demo --output reports

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check axion_lab tests benchmarks
	$(VENV)/bin/ruff format --check axion_lab tests benchmarks
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix axion_lab tests benchmarks
	$(VENV)/bin/ruff format axion_lab tests benchmarks

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

notebooks: $(STAMP)
	$(PY) -m axion_lab.reports.maintenance

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
