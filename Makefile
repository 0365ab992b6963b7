# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
# uv from PATH, else where `pip install --user` puts it (often not on PATH).
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
# The portal needs only the runtime dependencies; tests and lint need the dev group too
# (pytest, Playwright, ruff, mypy, djLint, import-linter, pre-commit). `uv run` installs what its
# flags ask for and removes nothing, so `make run` leaves an earlier `make test`'s tools alone.
RUN := $(UV) run --frozen --no-dev
DEV_RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py
RUNSERVER := $(MANAGE) runserver 127.0.0.1:8000
DEMO_PASSWORD ?= praktijkleren-demo
export DEMO_PASSWORD

.PHONY: uv install install-dev run serve worker beat test lint setup-demo messages bench

uv:  ## Install uv if missing
	@command -v uv >/dev/null 2>&1 || test -x "$(UV)" || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

install: uv  ## The locked runtime dependencies into .venv (no test or browser tooling)
	@$(UV) sync --frozen --no-dev --inexact --quiet
	@$(MANAGE) compilemessages --ignore=.venv -v0

install-dev: uv  ## The locked runtime and dev dependencies into .venv
	@$(UV) sync --frozen --quiet
	@$(MANAGE) compilemessages --ignore=.venv -v0

setup-demo: install  ## Migrate, load the reference data and the demo region
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_reference
	$(MANAGE) seed_demo

run: setup-demo  ## The embedded portal on http://127.0.0.1:8000 (SQLite, tasks in-process)
	$(RUNSERVER)

serve: install  ## The development server on http://127.0.0.1:8000, on DATABASE_URL as it is
	$(RUNSERVER)

worker: install  ## A Celery worker on CELERY_BROKER_URL: delivers the e-mail notifications
	$(RUN) celery -A praktijkleren worker -l info

beat: install  ## Celery beat: re-queues notifications that stayed pending
	$(RUN) celery -A praktijkleren beat -l info

test: install-dev  ## The test suite, on PostgreSQL and Redis (DATABASE_URL / CELERY_BROKER_URL)
	$(DEV_RUN) pytest --create-db

lint: install-dev  ## Python, templates, types, import contracts, migrations, deploy settings
	$(DEV_RUN) ruff check .
	$(DEV_RUN) ruff format --check .
	$(DEV_RUN) djlint . --lint
	$(DEV_RUN) mypy
	$(DEV_RUN) lint-imports
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=praktijkleren.settings.production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=example.nl BSN_ENCRYPTION_KEYS=$$(python3 -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') BSN_INDEX_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(32))') $(MANAGE) check --deploy --fail-level WARNING

messages: install  ## Rebuild locale/nl: the Dutch source strings are their own translation (msgen)
	rm -f locale/nl/LC_MESSAGES/django.po
	$(MANAGE) makemessages -l nl --ignore=.venv --ignore=frontend --ignore=static
	msgen locale/nl/LC_MESSAGES/django.po -o locale/nl/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=.venv

bench: install
	$(RUN) python bench/run.py
