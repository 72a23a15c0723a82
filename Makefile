# Build and test the report. GNU make; needs only python3.11 (with venv) and make.
# Every target sets up .venv from the pinned requirements.txt first (re-installs only
# when requirements.txt or pyproject.toml change), then uses the venv's interpreter.
#
#   make book       build the site into _build/html (chapters executed, cache on);
#                   make book ASSUMPTIONS=my.csv replaces rows of data/tco_assumptions.csv
#   make test       every test, in order, stopping at the first failure (CI: .ci/run)
#   make pdf        after make book: the whole report as one PDF, printed by headless chromium
#                   (no TeX) into _build/html/downloads/gtc2025-inference-claims.pdf
#   make serve      serve _build/html on http://127.0.0.1:$(PORT)/
#   make figures    export every figure to figures/ (SVG, PNG, CSV, Vega-Lite JSON)
#   make bench      time notebook execution vs clean / no-change / input-change builds
#                   (make bench BENCH_ARGS="--repeat 3": minimum of 3 runs per step),
#                   then the performance model's sweep speed (benchmarks/bench_perf.py)
#                   and the serving simulator's (benchmarks/bench_serving.py)
#   make anchor     ask NVIDIA's aiconfigurator for a sample of the calibration points
#                   (data/perf_anchor_aiconfigurator.csv); runs only if $(AIC_PYTHON) exists
#                   (a separate venv with aiconfigurator and the pinned frictionless, never .venv)
#   make clean      remove _build, figures and caches (keeps .venv)
#   make distclean  clean, and remove .venv

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON   ?= python3
VENV     ?= .venv
PY       := $(VENV)/bin/python
# jupyter-book 1.x has no `python -m jupyter_book`; this console script runs on $(PY).
JB       := $(VENV)/bin/jupyter-book
STAMP    := $(VENV)/.installed-requirements
HTML     := _build/html
CHROMIUM ?= /usr/bin/chromium
PORT     ?= 8000
BENCH_ARGS ?=
AIC_PYTHON ?= /tmp/aicvenv/bin/python
# Cost chapter: a CSV of rows that replace rows of data/tco_assumptions.csv (make book ASSUMPTIONS=my.csv).
ASSUMPTIONS ?=
ifneq ($(strip $(ASSUMPTIONS)),)
export ASSUMPTIONS := $(abspath $(ASSUMPTIONS))
endif
PIP      := $(PY) -m pip --disable-pip-version-check --no-input
export PYTHONHASHSEED := 0
export PIP_NO_INPUT := 1

.PHONY: help env book pdf test test-unit test-nbval test-strict test-site test-pdf chromium \
        serve figures bench anchor clean distclean

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))

# ---- environment ------------------------------------------------------------
$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements.txt
	$(PIP) install -e . --no-deps
	@touch $@

env: $(STAMP)

# ---- site ---------------------------------------------------------------------
book: env
	$(JB) build .

# Prints the built pages (make book first, or it runs here); see book/_ext/print_pdf.py.
pdf: env chromium
	@test -f $(HTML)/index.html || $(MAKE) --no-print-directory book
	$(PY) book/_ext/print_pdf.py --html $(HTML)

# ---- tests ----------------------------------------------------------------------
# (a) unit tests + doctests, (b) nbval over every chapter text notebook,
# (c) the strict build (warnings are errors, nitpicky; --all re-reads every page
#     so warnings of unchanged pages are not hidden by the saved environment;
#     executed outputs still come from the execution cache),
# (d) the browser test of the built site in headless chromium, (e) the PDF.
test: env chromium
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-nbval
	$(MAKE) --no-print-directory test-strict
	$(MAKE) --no-print-directory test-site
	$(MAKE) --no-print-directory test-pdf

test-unit: env
	$(PY) -m pytest -m "not site"

test-nbval: env
	$(PY) -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider book/

test-strict: env
	$(JB) build . -W -n --keep-going --all

test-site: env chromium
	$(PY) -m pytest -m "site and not pdf" tests/test_site.py

# (e) the whole report as one PDF (make pdf, ~20 s), and its test.
test-pdf: pdf
	$(PY) -m pytest -m pdf tests/test_site.py

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "chromium not found at $(CHROMIUM): installing Debian's chromium"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

# ---- other targets ----------------------------------------------------------------
serve: env
	@test -f $(HTML)/index.html || $(MAKE) --no-print-directory book
	$(PY) -m http.server --bind 127.0.0.1 --directory $(HTML) $(PORT)

figures: env
	$(PY) -m analysis figures --out figures

bench: env
	$(PY) benchmarks/bench_build.py $(BENCH_ARGS)
	$(PY) benchmarks/bench_perf.py
	$(PY) benchmarks/bench_serving.py

# aiconfigurator is not a requirement of the report: it lives in its own interpreter, which
# imports this repository's analysis package from the working directory.
anchor:
	@if [ -x "$(AIC_PYTHON)" ]; then \
	  PYTHONPATH=. "$(AIC_PYTHON)" benchmarks/aiconfigurator_anchor.py; \
	else \
	  echo "$(AIC_PYTHON) not found: anchor skipped (python3 -m venv /tmp/aicvenv &&" \
	       "/tmp/aicvenv/bin/pip install aiconfigurator==0.12.0 $$(grep '^frictionless==' requirements.txt))"; \
	fi

clean:
	rm -rf _build figures .pytest_cache .hypothesis book/_static/vendor
	find . -path ./$(VENV) -prune -o -type d \( -name __pycache__ -o -name .ipynb_checkpoints \) -print0 \
	  | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV)
