# Production image: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango, and HarfBuzz's subsetter to embed fonts fast (the CJK font is bundled
# in static/pdf/fonts, see docs/pdf.md); gettext compiles the catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime lock only (every package pinned with its hashes): no test or development tools.
COPY requirements.txt .
RUN pip install --upgrade "pip>=25" && pip install --require-hashes -r requirements.txt
COPY . .

# Build-time only values so that settings load; the real ones come from the environment.
RUN DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=build DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
    sh -c "python manage.py compilemessages --ignore=.venv -v0 && python manage.py collectstatic --noinput -v0"

RUN useradd --system --uid 1000 icp && mkdir -p /app/var && chown -R icp /app/var
USER icp
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
