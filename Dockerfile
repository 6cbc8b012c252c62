# Production image: one image for web (gunicorn), worker and beat (celery).

# Build stage: the screening engine's scorer and normaliser compiled with mypyc
# (scripts/build_native.py), with a C compiler and mypy that the runtime image holds neither of.
FROM python:3.11-slim-bookworm AS native
ENV PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt requirements-native.txt ./
RUN pip install --upgrade "pip>=25" \
 && pip install --require-hashes -r requirements.txt -r requirements-native.txt
COPY screening/__init__.py screening/
COPY screening/engine screening/engine
COPY scripts/build_native.py scripts/
RUN python scripts/build_native.py

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango, and HarfBuzz's subsetter to embed fonts fast (the CJK font is bundled
# in static/pdf/fonts, see docs/pdf.md); gettext compiles the catalogues.
# `manage.py backup` / `restore` run pg_dump / pg_restore: the client must be at least as new as
# the server (PostgreSQL 16 in docker-compose.yml), so it comes from the PostgreSQL project's
# repository (bookworm ships 15).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      libharfbuzz-subset0 gettext ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime lock only (every package pinned with its hashes): no test or development tools.
COPY requirements.txt .
RUN pip install --upgrade "pip>=25" && pip install --require-hashes -r requirements.txt
COPY . .
# The compiled modules and the record of the source they were built from (see above).
COPY --from=native /app/screening/engine/*.so /app/screening/engine/native.json screening/engine/

# Build-time only values so that settings load; the real ones come from the environment.
RUN DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=build DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
    sh -c "python manage.py compilemessages --ignore=.venv -v0 && python manage.py collectstatic --noinput -v0"

RUN useradd --system --uid 1000 icp && mkdir -p /app/var && chown -R icp /app/var
USER icp
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
