# Safeguard: the only entry points a person needs.
#   make demo   install everything, build the demo world on SQLite, serve http://127.0.0.1:8000
#   make test   install everything, run the whole suite on SQLite and (when a server answers) PostgreSQL
#   make bench  the benchmarks (PostgreSQL), figures into docs/benchmarks.md
#   make load   the load test over HTTP: gunicorn + PostgreSQL on the bench world (DEMO=1: the demo on SQLite)
#   make lint   ruff and mypy

# The distribution's Python 3.11 where there is one (Debian's /usr/bin/python3.11, the interpreter docs/deploy.md
# installs, linked statically): this project's pages cost about 7% less CPU on it than on a Python 3.11 compiled
# with a shared library and without --enable-optimizations (pyenv's default). Any python3.11 otherwise.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3.11)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STATIC_VENDOR := src/safeguard/web/static/vendor
PG_URL ?= postgres://postgres@127.0.0.1:5432/safeguard
SEED ?= 2026
DEMO_NOMINALS ?= 1500
# manage.py runs production settings unless told otherwise: the demo names its own.
DEMO_ENV := DJANGO_SETTINGS_MODULE=safeguard.settings.demo
LOAD_ARGS ?=

.PHONY: install demo demo-world test test-sqlite test-postgres browser-deps bench load lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# GDS Transport is for gov.uk only: its files are not copied, and scripts/vendor_css.py takes the font (and the
# root-relative /assets/ URLs) out of the precompiled stylesheets, so no page asks for a file that is not there.
$(STATIC_VENDOR)/.installed: node_modules/.installed $(VENV)/.installed scripts/vendor_css.py
	rm -rf $(STATIC_VENDOR)
	mkdir -p $(STATIC_VENDOR)/govuk $(STATIC_VENDOR)/moj $(STATIC_VENDOR)/htmx $(STATIC_VENDOR)/axe $(STATIC_VENDOR)/autocomplete
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css $(STATIC_VENDOR)/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC_VENDOR)/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC_VENDOR)/govuk/assets
	rm -rf $(STATIC_VENDOR)/govuk/assets/fonts
	cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css $(STATIC_VENDOR)/moj/
	cp -r node_modules/@ministryofjustice/frontend/moj/assets $(STATIC_VENDOR)/moj/assets
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC_VENDOR)/htmx/
	cp node_modules/axe-core/axe.min.js $(STATIC_VENDOR)/axe/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js $(STATIC_VENDOR)/autocomplete/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css $(STATIC_VENDOR)/autocomplete/
	$(PY) scripts/vendor_css.py
	touch $@

## install: the virtual environment and the front-end assets (safe to run again)
install: $(VENV)/.installed $(STATIC_VENDOR)/.installed

## demo: a fictional force area on SQLite, served at http://127.0.0.1:8000
demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	$(DEMO_ENV) $(PY) manage.py generate_world --seed $(SEED) --nominals $(DEMO_NOMINALS) --if-empty
	$(DEMO_ENV) $(PY) manage.py match_people --if-untrained
	$(DEMO_ENV) $(PY) manage.py demo_sign_ins
	@# The worker runs the jobs started from a page (accepting an allocation batch, the pack's files) beside the server.
	$(DEMO_ENV) $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

browser-deps:
	@test -x /usr/bin/chromium || (echo "Installing Debian chromium for the browser tests" && \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## test: the whole suite on SQLite, then on PostgreSQL when DATABASE_URL is set or a server answers
test: install browser-deps
	$(PY) -m ruff check src tests bench
	PYTHONPATH=src $(PY) -m mypy
	bash scripts/run-tests.sh

## bench: the benchmarks on the national world (bench/run.py sets its own settings; prints the machine)
bench: install
	$(PY) bench/run.py --database-url $(PG_URL)

## load: locust against gunicorn + PostgreSQL on 127.0.0.1, the bench world (built once), 10 minutes,
## then the ceiling; figures into docs/benchmarks.md. DEMO=1: the demo world on SQLite, 20 users.
load: install
ifdef DEMO
	$(PY) bench/load/run_load.py --demo --seed $(SEED) --nominals $(DEMO_NOMINALS) $(LOAD_ARGS)
else
	$(PY) bench/load/run_load.py --database-url $(PG_URL) --seed $(SEED) $(LOAD_ARGS)
endif

lint: install
	$(PY) -m ruff check src tests bench
	PYTHONPATH=src $(PY) -m mypy

clean:
	rm -rf $(VENV) node_modules $(STATIC_VENDOR) var safeguard.sqlite3*
