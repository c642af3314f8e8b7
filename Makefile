# The two commands a newcomer needs: `make demo` and `make test`. Both create and use .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export VENV

.PHONY: help venv node demo test unit lint typecheck cov docs docs-serve build bench clean

help:
	@echo "make demo   - tour the library against a real OpenID Provider on 127.0.0.1"
	@echo "make test   - lint, type-check, all tests with coverage, docs build, package build"
	@echo "make unit   - unit tests only (fast, no Node.js)"
	@echo "make bench  - benchmarks (not part of the pass/fail run)"

$(VENV)/.installed: pyproject.toml requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[all]" -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

node: venv
	./scripts/ensure-node.sh

demo: venv node
	$(PY) scripts/demo.py

lint: venv
	$(PY) -m ruff check src tests scripts benchmarks
	$(PY) -m ruff format --check src

typecheck: venv
	$(PY) -m mypy

cov: venv node
	$(PY) -m pytest --cov=py_identity_model --cov-report=term --cov-report=xml

docs: venv
	$(PY) -m mkdocs build --strict --site-dir site

build: venv
	rm -rf dist
	$(PY) -m build --outdir dist . >/dev/null
	$(PY) -m twine check --strict dist/*

test: lint typecheck cov docs build
	@echo "All checks passed."

unit: venv
	$(PY) -m pytest tests/unit

bench: venv node
	$(PY) -m pytest benchmarks --benchmark-only --benchmark-columns=median,iqr,ops -p no:randomly

docs-serve: venv
	$(PY) -m mkdocs serve

clean:
	rm -rf dist site .coverage coverage.xml htmlcov .mypy_cache .ruff_cache
