# Two entry points (see README): `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= tracer.db
HOST ?= 127.0.0.1
PORT ?= 8000
SAMPLE_POST := banten-ig-20240127

.PHONY: demo test lint sample bench clean system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,sample]'
	touch $(STAMP)

# Debian's chromium for the browser tests (never `playwright install`): installed with
# apt-get when missing, through sudo when not root. When it cannot be installed, the
# browser tests are skipped, unless TRACER_REQUIRE_BROWSER is set (CI): then it fails.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
		else SUDO=none; fi; \
		if [ "$$SUDO" != none ] && $$SUDO apt-get update -qq \
			&& $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; then :; \
		elif [ -n "$$TRACER_REQUIRE_BROWSER" ]; then \
			echo "error: chromium is missing and could not be installed (needs root or sudo" \
				"for apt-get install chromium); TRACER_REQUIRE_BROWSER is set" >&2; \
			exit 1; \
		else \
			echo "warning: chromium is missing and could not be installed (needs root or" \
				"sudo for apt-get install chromium): the browser tests will be skipped" >&2; \
		fi; \
	}
	@command -v chromium >/dev/null 2>&1 && echo "chromium: $$(command -v chromium)" || true

node_modules/.installed-stamp: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

demo: $(STAMP) node_modules/.installed-stamp
	$(BIN)/tracer --db $(DB) ingest sample_data/corpus
	@echo
	@echo "tracer is serving the sample corpus. Try:"
	@echo "  http://$(HOST):$(PORT)/   (overview: families, timeline, coverage; links to each cascade)"
	@echo "  http://$(HOST):$(PORT)/trace?post=$(SAMPLE_POST)"
	@echo "  http://$(HOST):$(PORT)/verify?post=$(SAMPLE_POST)"
	@echo "  http://$(HOST):$(PORT)/docs   (OpenAPI: /openapi.json)"
	@echo
	$(BIN)/tracer --db $(DB) serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check tracer api tests bench sample_data
	$(BIN)/mypy

test: lint node_modules/.installed-stamp system-deps
	$(BIN)/pytest

sample: $(STAMP)
	$(BIN)/python sample_data/generate.py

bench: $(STAMP)
	$(BIN)/python bench/run.py --posts 100000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
