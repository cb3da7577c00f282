# The two commands of the README: `make demo` and `make test`. Both set up `.venv` first.
# `make test-fast` is the quick tier for the edit-test loop: the tests not marked slow.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers; the suite is green and deterministic under xdist.
WORKERS ?= 2

.PHONY: setup demo test test-fast lint typecheck unit bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 'setuptools>=77,<81'
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/ordercheck demo

lint: setup
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q -n $(WORKERS)

test: lint typecheck unit

test-fast: setup
	$(BIN)/pytest -q -n $(WORKERS) -m "not slow"

bench: setup
	$(BIN)/python benchmarks/validate_throughput.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
