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
	# Compile the linker's loops (numba) once, here, rather than in the first ingest.
	$(BIN)/python -c "from tracer.linker import warm_up; warm_up()"
	touch $(STAMP)

# Debian packages: tesseract (with its Indonesian model) reads text off pictures, and
# chromium runs the browser tests (never `playwright install`). Installed with apt-get
# when missing, through sudo when not root. When they cannot be installed, OCR is off
# and the browser tests are skipped, unless TRACER_REQUIRE_BROWSER is set (CI): then
# this fails.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx ind; } \
		|| missing="$$missing tesseract-ocr tesseract-ocr-ind"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
		else SUDO=none; fi; \
		echo "installing$$missing (apt-get)"; \
		if [ "$$SUDO" != none ] && $$SUDO apt-get update -qq \
			&& $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; then :; \
		elif [ -n "$$TRACER_REQUIRE_BROWSER" ]; then \
			echo "error:$$missing could not be installed (needs root or sudo for apt-get);" \
				"TRACER_REQUIRE_BROWSER is set" >&2; \
			exit 1; \
		else \
			echo "warning:$$missing could not be installed (needs root or sudo for apt-get):" \
				"OCR may be off and the browser tests skipped" >&2; \
		fi; \
	fi

node_modules/.installed-stamp: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

demo: system-deps $(STAMP) node_modules/.installed-stamp
	$(BIN)/tracer --db $(DB) ingest sample_data/corpus
	@echo
	@echo "tracer is serving the sample corpus. Try:"
	@echo "  http://$(HOST):$(PORT)/   (overview: families, timeline, coverage; links to each cascade)"
	@echo "  http://$(HOST):$(PORT)/trace?post=$(SAMPLE_POST)"
	@echo "  http://$(HOST):$(PORT)/verify?post=$(SAMPLE_POST)"
	@echo "  http://$(HOST):$(PORT)/verify/card?post=$(SAMPLE_POST)   (a card to publish)"
	@echo "  http://$(HOST):$(PORT)/embed/trace?post=$(SAMPLE_POST)   (the embeddable cascade)"
	@echo "  http://$(HOST):$(PORT)/docs   (OpenAPI: /openapi.json)"
	@echo
	$(BIN)/tracer --db $(DB) serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check tracer api tests bench synthetic
	$(BIN)/mypy
	$(BIN)/lint-imports

test: system-deps lint node_modules/.installed-stamp
	$(BIN)/pytest

sample: $(STAMP)
	$(BIN)/python -m synthetic.sample_files.generate

bench: $(STAMP)
	$(BIN)/python -m bench.run --posts 100000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm $(DB).lock
