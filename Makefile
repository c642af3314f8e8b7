# The two commands a newcomer needs: `make demo` and `make test`. Both create and use .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export VENV

.PHONY: help venv node redis demo test unit lint typecheck cov docs docs-serve build bench clean

help:
	@echo "make demo   - tour the library against a real OpenID Provider on 127.0.0.1"
	@echo "make test   - lint, type-check, all tests with coverage, docs build, package build"
	@echo "make unit   - unit tests only (fast, no Node.js)"
	@echo "make bench  - benchmarks (not part of the pass/fail run)"

# .venv is (re)created when its interpreter is not the one $(PYTHON) names (another version,
# another installation, a broken link) or when an earlier creation or install did not finish;
# it is reinstalled when pyproject.toml or requirements-dev.txt changed. $(VENV)/.installed,
# written last, records the interpreter the install was made with.
PY_ID := import sys; print(sys.implementation.name, "%d.%d.%d" % sys.version_info[:3], sys.base_prefix)

venv:
	@test -n "$(strip $(VENV))" || { echo "make: VENV must not be empty" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	  echo "make: PYTHON=$(PYTHON) is not Python 3.10 or later; run e.g. make PYTHON=python3.12 ..." >&2; \
	  exit 1; }
	@set -e; want="$$($(PYTHON) -c '$(PY_ID)')"; \
	have="$$($(PY) -c '$(PY_ID)' 2>/dev/null || true)"; \
	if [ "$$have" != "$$want" ] || [ ! -f $(VENV)/.installed ]; then \
	  if [ ! -e $(VENV) ] && [ ! -L $(VENV) ]; then \
	    echo "creating $(VENV) with $(PYTHON) ($$want)"; \
	  elif [ "$$have" != "$$want" ]; then \
	    echo "$(VENV) runs $${have:-no working python}, not $(PYTHON) ($$want): recreating it"; \
	  else \
	    echo "$(VENV) was not completely installed: recreating it"; \
	  fi; \
	  $(PYTHON) -m venv --clear $(VENV); \
	fi; \
	if [ "$$(cat $(VENV)/.installed 2>/dev/null)" != "$$want" ] \
	    || [ pyproject.toml -nt $(VENV)/.installed ] || [ requirements-dev.txt -nt $(VENV)/.installed ]; then \
	  echo "installing the project and its development tools into $(VENV)"; \
	  $(PY) -m pip install -q --upgrade pip; \
	  $(PY) -m pip install -q -e ".[all]" -r requirements-dev.txt; \
	  echo "$$want" > $(VENV)/.installed; \
	fi

node: venv
	./scripts/ensure-node.sh

redis:
	./scripts/ensure-redis.sh

demo: venv node
	$(PY) scripts/demo.py

lint: venv
	$(PY) -m ruff check src tests scripts benchmarks
	$(PY) -m ruff format --check src

typecheck: venv
	$(PY) -m mypy

# The whole suite on httpx, then the integration suite once more on httpx2 (the [httpx2]
# extra, Python 3.11+), so every request to the real provider goes through both stacks.
cov: venv node
	$(PY) -m pytest --cov=py_identity_model --cov-report=
	@if $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	  echo "integration suite again, on httpx2"; \
	  PYIDM_TEST_HTTP_STACK=httpx2 $(PY) -m pytest tests/integration -q \
	    --cov=py_identity_model --cov-append --cov-report=term --cov-report=xml; \
	else \
	  echo "Python 3.10: httpx2 needs 3.11, so the integration suite runs on httpx only"; \
	  $(PY) -m coverage report && $(PY) -m coverage xml; \
	fi

docs: venv
	$(PY) -m mkdocs build --strict --site-dir site

build: venv
	rm -rf dist
	$(PY) -m build --outdir dist . >/dev/null
	$(PY) -m twine check --strict dist/*

# The checks run two at a time (the machine CI uses has two cores): the coverage run, the
# longest, in one slot; lint, mypy, the docs and package builds and test-min in the other.
# --output-sync keeps each check's output together.
test: venv node redis
	@$(MAKE) --no-print-directory -j2 --output-sync=target cov lint typecheck docs build test-min
	@echo "All checks passed."

unit: venv
	$(PY) -m pytest tests/unit

bench: venv node
	$(PY) -m pytest benchmarks --benchmark-only --benchmark-columns=median,iqr,ops -p no:randomly

docs-serve: venv
	$(PY) -m mkdocs serve

clean:
	rm -rf dist site .coverage coverage.xml htmlcov .mypy_cache .ruff_cache

# The unit tests on the declared minimum versions of the runtime dependencies, in .venv-min
# (constraints-min.txt; see scripts/test-min-deps.sh).
.PHONY: test-min
test-min:
	PYTHON="$(PYTHON)" bash scripts/test-min-deps.sh
