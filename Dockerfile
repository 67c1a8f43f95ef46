# syntax=docker/dockerfile:1
# The production image: gunicorn for the web, the same image for the Celery worker and beat.
#   docker compose build     (see docker-compose.yml and README.md)

# --- Front-end assets from npm (Bootstrap, Bootstrap Icons) -----------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

# --- Python dependencies in a virtualenv --------------------------------------------------------
FROM python:3.12-slim-bookworm AS python-deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY pyproject.toml ./
# Only the dependencies (the project runs from /app), so this layer is rebuilt only when
# pyproject.toml changes.
RUN python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"]))' > requirements.txt \
    && pip install -r requirements.txt

# --- The application, with compiled translations ------------------------------------------------
FROM python-deps AS app
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN if find . -path ./node_modules -prune -o -name '*.po' -print | grep -q .; then \
        DJANGO_SETTINGS_MODULE=supplychain_party.settings.base \
        python manage.py compilemessages --ignore=node_modules; \
    fi

# --- Runtime ----------------------------------------------------------------------------------
FROM python:3.12-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=supplychain_party.settings.production \
    DJANGO_MEDIA_ROOT=/app/media
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
COPY --from=python-deps /opt/venv /opt/venv
# The code belongs to root and is read-only for the app user; it writes only to staticfiles/
# (collectstatic at start, scripts/docker-entrypoint.sh) and media/ (a volume, created here so
# that a new named volume is owned by the app user).
COPY --from=app /app /app
COPY --from=assets /app/node_modules /app/node_modules
RUN mkdir -p /app/staticfiles /app/media && chown app:app /app/staticfiles /app/media
WORKDIR /app
USER app
EXPOSE 8000
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["web"]
