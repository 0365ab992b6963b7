# syntax=docker/dockerfile:1
# One image for the whole stack: web (gunicorn), worker and beat (celery), migrate (one-shot).
# Dependencies come from uv.lock (`uv sync --frozen --no-dev`); static files are collected and
# message catalogues compiled at build time; the container runs as an unprivileged user and
# cannot write to the application code. See docker-compose.yml.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: install the locked dependencies into /app/.venv, compile messages, collect static ---
FROM ${PYTHON_IMAGE} AS build

ARG UV_VERSION=0.13.8
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev

ENV PATH="/app/.venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=praktijkleren.settings.production
# Throw-away keys: these commands need settings, no secret. The real keys come from .env.
RUN export SECRET_KEY=build-only-not-a-secret \
           BSN_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM= \
           BSN_INDEX_KEY=build-only-not-a-secret-index-key \
    && if find . -path ./.venv -prune -o -name '*.po' -print | grep -q .; then \
           python manage.py compilemessages --ignore=.venv; \
       fi \
    && python manage.py collectstatic --no-input -v0

# --- runtime: the interpreter, the virtualenv and the code; no compilers, no uv, no root ---
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=praktijkleren.settings.production

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app
# Owned by root, readable by all: the app user cannot change its own code.
COPY --from=build /app /app

USER app:app
EXPOSE 8000
CMD ["gunicorn", "praktijkleren.wsgi", "--config", "gunicorn.conf.py"]
