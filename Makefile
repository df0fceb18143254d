# Newsroom — everything a new user or CI needs, from a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)

.DEFAULT_GOAL := help
# bash: `make serve` waits for whichever of gunicorn and the Celery worker stops first.
SHELL := /bin/bash
.PHONY: help install migrate demo superuser serve test lint format check bench clean system-deps \
	backup restore bench-faults

help:
	@echo "make demo   - install, migrate, load demo content and serve http://127.0.0.1:8000/"
	@echo "make test   - run the whole test suite (SQLite, or DATABASE_URL when set)"
	@echo "make serve  - gunicorn with production settings (needs SECRET_KEY, ALLOWED_HOSTS; HTTPS only, see docs/deployment.md)"
	@echo "             and, with CELERY_BROKER_URL, a Celery worker with beat beside it (docs/operations.md)"
	@echo "make lint   - ruff check and format check; make bench - benchmarks"
	@echo "make bench-faults - load with an editor, PostgreSQL and Redis restarts (~4 min; needs PostgreSQL binaries, redis-server)"
	@echo "make backup - database and media into var/backups/newsroom-<UTC time>.tar (its path last)"
	@echo "make restore BACKUP=<archive> [FORCE=1] - restore it into DATABASE_URL (docs/operations.md)"

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# WeasyPrint (PDF downloads) needs Pango from the system: installed here when root.
install: system-deps $(STAMP)

# Debian packages WeasyPrint needs to render the PDF downloads (Pango, HarfBuzz, fonts:
# DejaVu for Latin, Greek, Cyrillic; Noto for Arabic, Hebrew, Devanagari, CJK and emoji).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "System packages already installed."; \
	elif [ "$$(id -u)" -ne 0 ]; then echo "WARNING: missing" $$missing "(PDF downloads need them): run as root: sudo make system-deps"; \
	else apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $$missing; fi

migrate: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py ensure_superuser
	@echo "Serving http://127.0.0.1:8000/ (admin at http://127.0.0.1:8000/admin/); Ctrl-C stops."
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

superuser: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py ensure_superuser

serve: install
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	@# With a broker (CELERY_BROKER_URL, or beside REDIS_URL's cache), a Celery worker and
	@# the periodic scheduler (beat) run beside gunicorn and stop with it
	@# (docs/operations.md); without one, tasks run in the web processes.
	@if [ -z "$$CELERY_BROKER_URL$$REDIS_URL" ]; then \
		exec $(VENV)/bin/gunicorn --config newsroom/gunicorn.conf.py; \
	fi; \
	$(VENV)/bin/celery -A newsroom worker --beat -Q celery,webhooks --loglevel=INFO $(CELERY_WORKER_ARGS) & worker=$$!; \
	$(VENV)/bin/gunicorn --config newsroom/gunicorn.conf.py & web=$$!; \
	trap 'kill $$web $$worker 2>/dev/null' INT TERM; \
	wait -n $$web $$worker; status=$$?; \
	if ! kill -0 $$worker 2>/dev/null && kill -0 $$web 2>/dev/null; then \
		echo "The Celery worker stopped (exit $$status): stopping gunicorn too, so that a supervisor restarts both." >&2; \
		status=1; \
	fi; \
	kill $$web $$worker 2>/dev/null; wait; exit $$status

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# wrk (Debian package) loads the servers; without it bench/run.py falls back to a slower
# Python client, which caps the hello baseline. BENCH_ARGS e.g. "--duration 5 --sizes 10000"
# or "--modes default --pages list,detail" (all options: docs/performance.md).
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk \
			|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }; \
		else echo "wrk is missing: 'sudo apt-get install wrk' for real numbers (using a Python client)."; fi; }
	$(PY) bench/run.py $(BENCH_ARGS)

# Load and faults (docs/performance.md): its own PostgreSQL cluster and Redis on free
# loopback ports, restarted during 64-connection loads. FAULTS_ARGS e.g. "--duration 20".
bench-faults: install
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk \
			|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }; \
		else echo "wrk is missing: 'sudo apt-get install wrk'"; exit 1; fi; }
	$(PY) bench/faults.py $(FAULTS_ARGS)

# docs/operations.md. The archive's path is the last line printed. BACKUP_ARGS e.g.
# "--output-dir /srv/backups --keep 14".
backup: install
	@$(PY) manage.py backup_newsroom $(BACKUP_ARGS)

# Refuses a database that holds content unless FORCE=1 (which replaces it).
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/newsroom-….tar [FORCE=1]"; exit 2; }
	$(PY) manage.py restore_newsroom "$(BACKUP)" $(if $(filter 1 yes true,$(FORCE)),--force)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
