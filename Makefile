# Every set-up step lives in scripts/; these targets are the front door (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The suite runs against real PostgreSQL and Redis (settings/test.py).
DATABASE_URL ?= postgres://party:party@127.0.0.1:5432/party
export DATABASE_URL
PYTEST_ARGS ?=
# make test runs pytest on two workers (pytest-xdist): each has its own test database and
# Celery queue, and the demo and the fault tests each stay on one worker (tests/conftest.py).
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2

.PHONY: help setup services demo test check lint format migrate messages bench soak

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

setup: ## Create .venv (Python 3.12), install Python and npm dependencies (idempotent)
	@scripts/setup.sh

services: ## Install/start PostgreSQL and Redis for the tests if needed, create role and database
	@scripts/services.sh

demo: ## Run the demo on SQLite with demo data and logins, no PostgreSQL/Redis (PORT=8000)
	@scripts/demo.sh

check: setup services ## Lint (ruff), Django system checks, no missing migrations
	$(PY) -m ruff check .
	DJANGO_SETTINGS_MODULE=supplychain_party.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=supplychain_party.settings.test $(MANAGE) makemigrations --check --dry-run

test: check ## Everything: set-up, services, checks, then the whole pytest suite (PYTEST_ARGS=...)
	@scripts/browser.sh
	@rc=0; $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; fi; \
	exit $$rc

lint: setup ## ruff check (the same lint as make test)
	$(PY) -m ruff check .

format: setup ## Apply ruff's fixes and ruff format to the code (rewrites files)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

migrate: setup ## Apply migrations to the local (SQLite) database
	$(MANAGE) migrate

messages: setup ## Update and compile the translations (zh_Hans, en)
	@scripts/messages.sh

BENCH_FACTOR ?= 1
BENCH_SMALL_FACTOR ?= 0.1
bench: ## Key pages under load on gunicorn, queries at 2 sizes: bench/results.md (BENCH_FACTOR=1)
	@BENCH_FACTOR=$(BENCH_FACTOR) BENCH_SMALL_FACTOR=$(BENCH_SMALL_FACTOR) scripts/bench.sh

SOAK_SECONDS ?= 180
soak: setup services ## gunicorn under mixed reads and writes, then nothing lost (SOAK_SECONDS=180)
	SOAK_SECONDS=$(SOAK_SECONDS) $(PY) -m pytest tests/faults/test_soak.py -p no:cacheprovider -s $(PYTEST_ARGS)
