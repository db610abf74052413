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

# Debian packages the tracer uses at run time: tesseract reads text off pictures.
DEB_PACKAGES := tesseract-ocr tesseract-ocr-ind
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

system-deps:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx ind; then \
		echo "installing $(DEB_PACKAGES) (apt-get)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(DEB_PACKAGES) \
			|| { echo "could not install $(DEB_PACKAGES): OCR will be off"; exit 1; }; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,sample]'
	touch $(STAMP)

node_modules/.installed-stamp: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

demo: system-deps $(STAMP) node_modules/.installed-stamp
	$(BIN)/tracer --db $(DB) ingest sample_data/corpus
	@echo
	@echo "tracer is serving the sample corpus. Try:"
	@echo "  http://$(HOST):$(PORT)/trace?post=$(SAMPLE_POST)"
	@echo "  http://$(HOST):$(PORT)/verify?post=$(SAMPLE_POST)"
	@echo "  http://$(HOST):$(PORT)/docs   (OpenAPI: /openapi.json)"
	@echo
	$(BIN)/tracer --db $(DB) serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check tracer api tests bench sample_data
	$(BIN)/mypy

test: system-deps lint node_modules/.installed-stamp
	$(BIN)/pytest

sample: $(STAMP)
	$(BIN)/python sample_data/generate.py

bench: $(STAMP)
	$(BIN)/python bench/run.py --posts 100000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
