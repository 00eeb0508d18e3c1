# Every target creates the virtual environment (.venv) first when it is missing or stale.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test matrix lint typecheck unit build site-zensical check bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,zensical]'
	@touch $(STAMP)

## serve: set up, then serve the site with live reload at http://127.0.0.1:8000/
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

## test: set up, then run the whole suite (validation, lint, types, unit, browser tests)
test: $(STAMP)
	$(BIN)/k8skb validate
	$(BIN)/k8skb quiz lint
	$(MAKE) --no-print-directory lint typecheck unit

## matrix: the test suite on Python 3.11, 3.12 and 3.13 (each in its own environment, through nox)
matrix: $(STAMP)
	$(BIN)/nox

lint: $(STAMP)
	$(BIN)/ruff check src tests bench noxfile.py
	$(BIN)/ruff format --check src tests bench noxfile.py

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

## build: the static site in site/ (strict: any warning fails)
build: $(STAMP)
	$(BIN)/mkdocs build --strict

## site-zensical: the same site built by Zensical instead of MkDocs, in build/zensical/site
site-zensical: $(STAMP)
	rm -rf build/zensical
	$(BIN)/k8skb site generate build/zensical
	cd build/zensical && ../../$(BIN)/zensical-i18n build --strict
	$(BIN)/k8skb site finish build/zensical/site --no-search

## check: everything a maintainer runs before publishing
check: $(STAMP)
	$(BIN)/k8skb validate
	$(BIN)/k8skb quiz lint
	$(BIN)/mkdocs build --strict
	$(BIN)/k8skb links site --offline

bench: $(STAMP)
	$(BIN)/python bench/build.py
	$(BIN)/python bench/quiz.py
	$(BIN)/python bench/links.py

clean:
	rm -rf site build .nox .pytest_cache .mypy_cache .ruff_cache .hypothesis
