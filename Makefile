# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
MANAGE := $(UV) run --frozen python manage.py
DEMO_PASSWORD ?= praktijkleren-demo
export DEMO_PASSWORD

.PHONY: install run test lint setup-demo check messages bench

install:  ## Install uv if missing, then the locked dependencies into .venv
	@command -v uv >/dev/null 2>&1 || test -x "$(UV)" || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet
	@$(MANAGE) compilemessages --ignore=.venv -v0

setup-demo: install  ## Migrate, load the reference data and the demo region
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_reference
	$(MANAGE) seed_demo

run: setup-demo  ## The embedded portal on http://127.0.0.1:8000 (SQLite, tasks in-process)
	$(MANAGE) runserver 127.0.0.1:8000

test: install  ## The test suite, on PostgreSQL and Redis (DATABASE_URL / CELERY_BROKER_URL)
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=praktijkleren.settings.production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=example.nl $(UV) run --frozen python manage.py check --deploy --fail-level WARNING

messages:  ## Rebuild locale/nl: the Dutch source strings are their own translation (msgen)
	rm -f locale/nl/LC_MESSAGES/django.po
	$(MANAGE) makemessages -l nl --ignore=.venv --ignore=frontend --ignore=static
	msgen locale/nl/LC_MESSAGES/django.po -o locale/nl/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=.venv

bench: install
	$(UV) run --frozen python bench/run.py
