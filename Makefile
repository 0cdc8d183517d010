# Gongjiang entry points: make demo | make test | make lint | make bench | make e2e
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# granian processes and threads for the demo: SQLite has one writer at a time, and many threads per process only
# queue on its lock (granian's WSGI default is hundreds per worker); see docs/deploy.md.
WORKERS ?= 2
THREADS ?= 1
SCALE ?= demo
# The suite runs on every core (pytest-xdist; each worker has its own test database).
XDIST ?= -n auto --dist loadfile
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo serve test test-sqlite test-postgres e2e lint bench install install-dev install-system install-runtime clean messages

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed

# Debian packages the server needs: Pango for WeasyPrint's PDFs (tickets, certificates), a CJK font.
install-runtime:
	@need=""; \
	ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need="$$need libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	fc-list 2>/dev/null | grep -qi "noto.*cjk" || need="$$need fonts-noto-cjk"; \
	if [ -n "$$need" ]; then \
	  echo "Installing Debian packages:$$need"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

# Debian packages the suite needs: Chromium with a CJK font for the browser journeys, PostgreSQL 15.
install-system: install-runtime
	@need=""; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	fc-list 2>/dev/null | grep -qi "noto.*cjk" || need="$$need fonts-noto-cjk"; \
	test -x /usr/lib/postgresql/15/bin/initdb || need="$$need postgresql-15"; \
	command -v xgettext >/dev/null 2>&1 || need="$$need gettext"; \
	if [ -n "$$need" ]; then \
	  echo "Installing Debian packages:$$need"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

var/env:
	@mkdir -p var
	@$(PYTHON) -c "import secrets,base64; print('SECRET_KEY=' + secrets.token_urlsafe(50)); print('GONGJIANG_DATA_KEY=' + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())" > $@
	@echo "Generated var/env (secret key and personal-data key for this demo)."

# The demo runs as production does (DEBUG off, granian, whitenoise, the secrets of var/env), except that it is
# reached over plain http://$(HOST): GONGJIANG_HTTPS=0 keeps cookies usable without TLS (no HSTS, no redirect).
# ALLOWED_HOSTS: add more in var/env (e.g. this machine's address with HOST=0.0.0.0).
DEMO_ENV = set -a; DEBUG=0; GONGJIANG_HTTPS=0; ALLOWED_HOSTS=127.0.0.1,localhost,$(HOST); source var/env; set +a;

# make demo: install, migrate SQLite under var/, load the demo province once, serve with a task worker.
# make demo RESET=1 rebuilds the database.
demo: $(VENV)/.installed install-runtime var/env
	@if [ "$(RESET)" = "1" ]; then rm -f var/gongjiang.sqlite3 var/gongjiang.sqlite3-wal var/gongjiang.sqlite3-shm var/.demo-loaded; rm -rf var/media; fi
	@$(DEMO_ENV) \
	$(PY) manage.py migrate --noinput -v0 && \
	if [ ! -f var/.demo-loaded ]; then $(PY) manage.py load_demo --scale $(SCALE) && touch var/.demo-loaded; fi && \
	$(PY) manage.py demo_logins && \
	$(MAKE) --no-print-directory serve

# make serve: granian (WSGI, like production; whitenoise serves the files collected into var/static, compressed,
# under hashed names), a task worker and the minute's timer of docs/deploy.md §4 (fold_innovation). Ctrl-C (or
# TERM, HUP) stops them all. granian runs in a session of its own and the trap sends its main process TERM: when the terminal's SIGINT also reached granian's worker processes directly,
# one of them hung until killed. granian stops its workers itself (and kills one still busy after 10 s).
serve: var/env var/static/staticfiles.json
	@$(DEMO_ENV) \
	$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	(while sleep 60; do $(PY) manage.py fold_innovation >/dev/null; $(PY) manage.py fold_learning >/dev/null; done) & timer=$$!; \
	setsid $(VENV)/bin/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
	  --blocking-threads $(THREADS) --workers-kill-timeout 10 --log-level warning \
	  gongjiang.wsgi:application & server=$$!; \
	trap 'trap - HUP INT TERM EXIT; kill -TERM $$server $$worker $$timer 2>/dev/null; wait' HUP INT TERM EXIT; \
	echo "Serving http://$(HOST):$(PORT)/ with granian ($(WORKERS) workers, $(THREADS) thread each; DEBUG off)" \
	  "with a task worker and the fold every minute; Ctrl-C stops them all"; \
	wait $$server

# collectstatic compresses every file again on each run (half a minute): only when a static file or the installed
# packages (their static files: django-ninja's API docs) changed.
var/static/staticfiles.json: $(shell find gongjiang -path '*/static/*' -type f) $(VENV)/.installed var/env
	@echo "Collecting the static files into var/static (hashed names, gzip and brotli copies) …"
	@$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0

# make test: the whole suite on SQLite, then every test that uses the database again on a throwaway PostgreSQL 15
# (a test that uses none runs the same code on either: conftest.py, --database-tests-only), then the browser journeys.
test: $(VENV)/.installed install-system
	@set -e; \
	$(MAKE) --no-print-directory lint; \
	eval "$$(tools/pgcluster.sh start)"; \
	trap 'tools/pgcluster.sh stop "$$PGCLUSTER_DIR"' EXIT; \
	echo "== pytest on SQLite =="; \
	$(PY) -m pytest -q $(XDIST) -m "not e2e" gongjiang tests --ignore=tests/e2e; \
	echo "== pytest on PostgreSQL ($$DATABASE_URL_PG): the tests that use the database =="; \
	DATABASE_URL="$$DATABASE_URL_PG" $(PY) -m pytest -q $(XDIST) -m "not e2e" --database-tests-only gongjiang tests --ignore=tests/e2e; \
	echo "== browser journeys (Chromium) =="; \
	$(PY) -m pytest -q tests/e2e

test-sqlite: $(VENV)/.installed
	$(PY) -m pytest -q $(XDIST) -m "not e2e" gongjiang tests --ignore=tests/e2e

e2e: $(VENV)/.installed install-system
	$(PY) -m pytest -q tests/e2e

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) tools/merge_translations.py --check
	DEBUG=1 $(VENV)/bin/mypy  # what it checks, and how strictly: pyproject.toml, [tool.mypy]

bench: $(VENV)/.installed install-system
	@set -e; \
	eval "$$(tools/pgcluster.sh start)"; \
	trap 'tools/pgcluster.sh stop "$$PGCLUSTER_DIR"' EXIT; \
	BENCH_PG_URL="$$DATABASE_URL_PG" $(PY) -m bench

# Refresh the zh_Hans catalogue from the sources and the gongjiang/locale/zh/*.json fragments.
messages: $(VENV)/.installed
	$(PY) tools/merge_translations.py

clean:
	rm -rf var $(VENV) tests/e2e/screenshots
