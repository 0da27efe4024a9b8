# Two commands for a new user: `make demo` (run the portal) and `make test` (run the tests).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: install install-dev demo dev clean-data test test-clock lint bench bench-more clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: install

## Install, start PostgreSQL and Redis (embedded ones when none answer), create and migrate the
## database, load the Aichi demo (first run only), serve with gunicorn beside a worker and beat.
demo: install
	$(PY) scripts/demo.py

## The same with Django's runserver and DEBUG on, for development.
dev: install
	$(PY) scripts/demo.py --dev

## Stop the embedded servers and delete their data (.data/): the next demo starts afresh.
clean-data: install
	$(PY) scripts/services.py stop
	rm -rf .data

## Install what the tests need and run the whole suite (browser tests run when chromium is present)
## against the machine's PostgreSQL and Redis, or embedded ones (scripts/services.py).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/services.py run -- $(PY) -m pytest $(PYTEST_ARGS)

## The tests that depend on the date, run as if today were the first day of a fiscal year and a
## day in January (the processes the suite starts, a worker and gunicorn, keep the real clock).
CLOCK_DAYS ?= 2027-04-01 2028-01-15
test-clock: install
	for day in $(CLOCK_DAYS); do \
		echo "== the suite on $$day"; \
		PORTAL_TEST_TODAY=$$day $(PY) scripts/services.py run -- $(PY) -m pytest -q -m "not worker and not browser and not fuzz and not embedded" $(PYTEST_ARGS) || exit 1; \
	done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## The run at 100,000 contracts takes about three minutes more than the 10 of `make bench`:
## BENCH_RUN_SIZES=200:5000,600:5000,1788:5000,1788:20000,1788:100000 make bench
BENCH_RUN_SIZES ?= 200:5000,600:5000,1788:5000,1788:20000
## Issue #15's ratios, each side measured in the same run (wrk from Debian's packages):
## pages and APIs against a bare Django view, training applications against a bare lock-and-
## insert, the apportionment against the code it replaced, the fiscal-year run against COPY.
bench: install
	command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) -m bench.http
	$(PY) -m bench.training
	$(PY) -m bench.apportionment
	$(PY) -m bench.run --sizes $(BENCH_RUN_SIZES)

## The figures of earlier issues (provisioning, catalogue queries, reconciliation, surveys, outlook).
bench-more: install
	$(PY) -m bench.provisioning
	$(PY) -m bench.catalog
	$(PY) -m bench.invoicing
	$(PY) -m bench.reconciliation
	$(PY) -m bench.surveys
	$(PY) -m bench.outlook

clean:
	rm -rf $(VENV)
