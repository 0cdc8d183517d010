# Gongjiang entry points: make demo | make test | make lint | make bench | make e2e
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
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

# make demo: install, migrate SQLite under var/, load the demo province once, serve with a task worker.
# make demo RESET=1 rebuilds the database. The demo runs with DEBUG=1 (settings default to off): runserver
# serves the static files itself and the site works over plain HTTP; var/env may override it.
demo: $(VENV)/.installed install-runtime var/env
	@if [ "$(RESET)" = "1" ]; then rm -f var/gongjiang.sqlite3 var/gongjiang.sqlite3-wal var/gongjiang.sqlite3-shm var/.demo-loaded; rm -rf var/media; fi
	@set -a; DEBUG=1; source var/env; set +a; \
	$(PY) manage.py migrate --noinput -v0 && \
	if [ ! -f var/.demo-loaded ]; then $(PY) manage.py load_demo --scale $(SCALE) && touch var/.demo-loaded; fi && \
	$(PY) manage.py demo_logins && \
	$(MAKE) --no-print-directory serve

serve:
	@set -a; DEBUG=1; source var/env; set +a; \
	$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the task worker)"; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# make test: the whole suite on SQLite, again on a throwaway PostgreSQL 15, then the browser journeys.
test: $(VENV)/.installed install-system
	@set -e; \
	$(MAKE) --no-print-directory lint; \
	eval "$$(tools/pgcluster.sh start)"; \
	trap 'tools/pgcluster.sh stop "$$PGCLUSTER_DIR"' EXIT; \
	echo "== pytest on SQLite =="; \
	$(PY) -m pytest -q $(XDIST) -m "not e2e" gongjiang tests --ignore=tests/e2e; \
	echo "== pytest on PostgreSQL ($$DATABASE_URL_PG) =="; \
	DATABASE_URL="$$DATABASE_URL_PG" $(PY) -m pytest -q $(XDIST) -m "not e2e" gongjiang tests --ignore=tests/e2e; \
	echo "== browser journeys (Chromium) =="; \
	$(PY) -m pytest -q tests/e2e

test-sqlite: $(VENV)/.installed
	$(PY) -m pytest -q $(XDIST) -m "not e2e" gongjiang tests --ignore=tests/e2e

e2e: $(VENV)/.installed install-system
	$(PY) -m pytest -q tests/e2e

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) tools/merge_translations.py --check

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
