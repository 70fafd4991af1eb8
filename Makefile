# Every target does its own set-up from a fresh clone with nothing but python3.
PYTHON ?= python3
VENV := .venv
# Another interpreter, in a venv of its own: `make test-py PY=python3.13` (or a path to one). The
# supported versions are listed in CONTRIBUTING.md; CI runs the default python3 only.
ifdef PY
PYTHON := $(PY)
VENV := .venv-$(notdir $(PY))
endif
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-py test-js docs bench clean

# Reinstalled when the compiled builders change (hatch_build.py compiles them at install).
$(STAMP): pyproject.toml hatch_build.py src/ipt_core/boundary/_fast_native.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

## Run the seed scenario (Nicola) end to end.
demo: $(STAMP)
	$(BIN)/python examples/nicola.py

## The whole test suite: the Python side, then the JavaScript and browser side.
test: test-py test-js

## The Python side: pytest, then mypy --strict, ruff and the strict docs build.
test-py: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --quiet --site-dir site

## The JavaScript side: ipt_core under Pyodide in Node, the browser example in headless Chromium,
## and the TypeScript types. Needs Node.js 20+ with npm, and Chromium at /usr/bin/chromium (or
## CHROMIUM=...): js/tools.sh installs them from Debian's packages when missing. Nothing is fetched
## at run time.
test-js: $(STAMP)
	bash js/tools.sh
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
	rm -rf src/ipt_core/boundary/_fast_native*.so .venv .venv-* .mypy_cache .ruff_cache .pytest_cache .hypothesis js/node_modules examples/browser/vendor
