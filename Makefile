# Every target does its own set-up from a fresh clone with nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-js docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

## Run the seed scenario (Nicola) end to end.
demo: $(STAMP)
	$(BIN)/python examples/nicola.py

## The whole test suite, then mypy --strict, ruff and the strict docs build.
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --quiet --site-dir site

## The JavaScript side: ipt_core under Pyodide in Node, the browser example in headless Chromium,
## and the TypeScript types. Needs Node.js 20+ with npm, and Chromium at /usr/bin/chromium (or
## CHROMIUM=...); .ci/run installs Chromium. Nothing is fetched at run time.
test-js: $(STAMP)
	cd js && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python js/prepare.py
	cd js && IPT_PYTHON=$(CURDIR)/$(BIN)/python npm test

## The documentation site, built strictly into site/.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --site-dir site

## Every benchmark, quick sizes (ratios against baselines measured in the same run).
bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis js/node_modules examples/browser/vendor
