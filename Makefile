# Two commands do everything on a fresh machine (Python 3.11+ and make):
#   make        build the package from its inputs, validate it, print a summary
#   make test   run the whole test suite
# Each sets up .venv from requirements.lock (pinned versions) first; make test also sets up
# .venv-tools from requirements-tools.lock (reuse, cffconvert, uv: their pins conflict with .venv's).
# `make lock` resolves the lock files from pyproject.toml; `make test-pythons` runs the suite on
# the other Pythons CI covers.

PYTHON ?= python3
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo -n)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml src/article_data/_version.py | cksum | cut -d' ' -f1)
TOOLS_VENV  := .venv-tools
TOOLS_STAMP := $(TOOLS_VENV)/.installed-$(shell cat requirements-tools.lock | cksum | cut -d' ' -f1)

V2_PYTHON   ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python) python3.12)
V2_VENV     := .venv-v2
V2_STAMP    := $(V2_VENV)/.installed-$(shell cat requirements-v2.lock | cksum | cut -d' ' -f1)
NPM_DIR     := tests/npm

.PHONY: all build validate summary test check tools v2tools npm bench release lock test-pythons clean browser
.DEFAULT_GOAL := all

all: build validate summary

$(STAMP): requirements.lock pyproject.toml src/article_data/_version.py
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# reuse (licence of every file) and cffconvert (CITATION.cff), used by the tests.
$(TOOLS_STAMP): requirements-tools.lock
	rm -rf $(TOOLS_VENV)
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-tools.lock
	@for tool in reuse cffconvert uv; do test -x $(TOOLS_VENV)/bin/$$tool || { \
	  echo "requirements-tools.lock installed no $$tool (expected $(TOOLS_VENV)/bin/$$tool); restore the lock from git, or add $$tool to the tools group in pyproject.toml" >&2; exit 1; }; done
	touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)

# check-datapackage (the Data Package v2 checker; it needs Python >= 3.12), pinned in requirements-v2.lock.
$(V2_STAMP): requirements-v2.lock
	rm -rf $(V2_VENV)
	$(V2_PYTHON) -m venv $(V2_VENV)
	$(V2_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-v2.lock
	touch $(V2_STAMP)

v2tools: $(V2_STAMP)

# The npm `datapackage` library (pinned by tests/npm/package-lock.json) for tests/test_ecosystem.py.
npm:
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --silent

build: $(STAMP)
	$(BIN)/python -m article_data_build

validate: $(STAMP)
	$(BIN)/frictionless validate datapackage.json
	sha256sum --quiet -c SHA256SUMS
	$(BIN)/article-data validate

summary: $(STAMP)
	$(BIN)/article-data info

test: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/python -m pytest -n 2

# The unit tests alone (everything not marked slow), in parallel: the fast loop while changing code.
check: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -n 2 -q

# Keep the current package in releases/ and write dist/ (wheel, sdist, package zip, SHA256SUMS);
# run it after `make` and `make test`, once the version and CHANGELOG are final. Reproducible.
release: $(STAMP)
	$(BIN)/python -m article_data_build
	$(BIN)/python -m article_data_build.release --dist dist

bench: $(STAMP)
	$(BIN)/python -m article_data_bench

# Debian's Chromium for the page's browser tests and scripts/screenshot.py (they skip without it).
browser:
	@test -x /usr/bin/chromium || { \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Re-resolve every lock file from pyproject.toml's dependencies, extras and dependency groups
# (after changing any of them; not part of the build). uv keeps each pin the lock already has
# unless the declared ranges exclude it; --upgrade-package NAME (in UV_FLAGS) moves one on.
UV        := $(TOOLS_VENV)/bin/uv
UV_FLAGS  ?=
LOCK_DIR  ?= .
LOCK_ARGS := --universal --no-emit-package pip --custom-compile-command "make lock" --quiet $(UV_FLAGS)
lock: $(TOOLS_STAMP)
	$(UV) pip compile pyproject.toml --all-extras --group pyproject.toml:test --python-version 3.11 $(LOCK_ARGS) -o $(LOCK_DIR)/requirements.lock
	$(UV) pip compile --group pyproject.toml:tools --python-version 3.11 $(LOCK_ARGS) -o $(LOCK_DIR)/requirements-tools.lock
	$(UV) pip compile --group pyproject.toml:v2 --python-version 3.12 $(LOCK_ARGS) -o $(LOCK_DIR)/requirements-v2.lock

# The whole suite on each other Python the classifiers in pyproject.toml name (CI runs it after
# `make test`), each in a venv of its own (.venv-3.12, ...), from pyenv or the PATH.
OTHER_PYTHONS = $(shell $(PYTHON) scripts/pythons.py --other)
test-pythons:
	@for version in $(OTHER_PYTHONS); do \
	  python=$$($(PYTHON) scripts/pythons.py --find $$version) || exit 1; \
	  $(MAKE) --no-print-directory test PYTHON=$$python VENV=.venv-$$version || exit 1; \
	done

clean:
	rm -rf $(VENV) .venv-3.* $(TOOLS_VENV) $(V2_VENV) $(NPM_DIR)/node_modules .build dist .pytest_cache .mypy_cache .hypothesis
