# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST_ARGS ?=
# Test processes (pytest-xdist); each takes whole files, so a module's fixtures are built once.
TEST_WORKERS ?= 2
PYTHON ?= python3

.PHONY: run test setup setup-test lint worker load faults bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

setup: $(VENV)/.installed

setup-test: setup node_modules/.installed
	@scripts/system_packages.sh test

## The portal with demo data at http://127.0.0.1:8000 (SQLite and in-process tasks unless configured).
run: setup
	@scripts/system_packages.sh || true
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## The whole test suite (PostgreSQL at 127.0.0.1:5432 when it answers, or DATABASE_URL).
test: setup-test
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

## A Celery worker and beat, for a broker set in CELERY_BROKER_URL.
worker: setup
	$(VENV)/bin/celery -A safeguarding worker -B -l info

## Reliability scripts (each prints JSON; loopback only). Not part of `make test`: they take minutes.
load: setup
	$(PY) tests/bench/load.py --users 50 --seconds 60

faults: setup
	$(PY) tests/bench/faults.py

bench: setup
	$(PY) tests/bench/bench_datasets_upload.py
	$(PY) tests/bench/bench_upload_worst_case.py
	$(PY) tests/bench/bench_dashboards.py
	$(PY) tests/bench/bench_report.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 var staticfiles
