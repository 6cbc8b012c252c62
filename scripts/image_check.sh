#!/usr/bin/env bash
# The production image's Python layer, built where no Docker daemon runs: a fresh virtualenv
# holding only the runtime lock (requirements.txt, with hashes, as the Dockerfile installs it),
# then the Dockerfile's build step (compilemessages, collectstatic) with production settings,
# Django's deployment checks, every app module imported, the Dockerfile's native stage (the
# screening engine compiled, then loaded by the runtime), and gunicorn serving /healthz.
# It fails if a test or development tool is installed, or if the code needs one at runtime.
# The system packages (Pango, HarfBuzz, the PostgreSQL client) are the Dockerfile's apt step,
# which this script does not reproduce.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== runtime virtualenv from requirements.txt only"
"$PYTHON" -m venv "$work/venv"
# pip warns about every local index location it cannot read on this kind of machine.
quiet() { "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }; }
quiet "$work/venv/bin/pip" install --quiet --upgrade "pip>=25"
quiet "$work/venv/bin/pip" install --quiet --require-hashes -r requirements.txt
py="$work/venv/bin/python"

echo "== no test or development tool in the runtime"
"$py" - <<'EOF'
import importlib.util

dev_only = ["pytest", "playwright", "moto", "factory", "ruff", "mypy", "importlinter", "piptools"]
present = [name for name in dev_only if importlib.util.find_spec(name) is not None]
assert not present, f"development tools in the runtime lock: {present}"
EOF

export DJANGO_SETTINGS_MODULE=config.settings DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,build
DJANGO_SECRET_KEY=$("$py" -c 'import secrets; print(secrets.token_urlsafe(60))')
export DJANGO_SECRET_KEY
export ICP_VAR_DIR="$work/var" DATABASE_URL="sqlite:///$work/var/image-check.sqlite3"
unset REDIS_URL

echo "== the Dockerfile's build step"
"$py" manage.py compilemessages --ignore=.venv -v0
"$py" manage.py collectstatic --noinput -v0

echo "== deployment checks and every module importable"
"$py" manage.py check --deploy --fail-level WARNING
"$py" - <<'EOF'
import importlib
import pkgutil

import django

django.setup()
from django.apps import apps
from django.conf import settings

skipped = ("tests", "migrations", "management")
for config in apps.get_app_configs():
    if config.path.startswith(str(settings.BASE_DIR)) is False or "/.venv/" in config.path:
        continue
    module = importlib.import_module(config.name)
    for info in pkgutil.walk_packages(module.__path__, prefix=f"{config.name}."):
        if not any(part in skipped for part in info.name.split(".")):
            importlib.import_module(info.name)
print("every app module imports with the runtime lock only")
EOF

echo "== the Dockerfile's native stage: the engine compiled, loaded by the runtime"
# The stage's own inputs only (its COPY lines), in a virtualenv of its own (the runtime lock
# and mypy); the compiled modules then load in the runtime virtualenv, without mypy or gcc.
mkdir -p "$work/native/screening" "$work/native/scripts"
cp screening/__init__.py "$work/native/screening/"
cp -r screening/engine "$work/native/screening/"
rm -f "$work/native/screening/engine/"*.so "$work/native/screening/engine/native.json"
cp scripts/build_native.py "$work/native/scripts/"
"$PYTHON" -m venv "$work/native-venv"
quiet "$work/native-venv/bin/pip" install --quiet --upgrade "pip>=25"
quiet "$work/native-venv/bin/pip" install --quiet --require-hashes -r requirements.txt \
  -r requirements-native.txt
(cd "$work/native" && "$work/native-venv/bin/python" scripts/build_native.py)
(cd "$work/native" && "$py" -c '
from screening.engine import native
assert native.NATIVE_MODULES == list(native.COMPILED), native.NATIVE_MODULES
print("compiled engine modules load:", ", ".join(native.NATIVE_MODULES))
')

echo "== gunicorn serves /healthz"
"$py" manage.py migrate -v0
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/venv/bin/gunicorn" config.wsgi -c config/gunicorn.py --bind "127.0.0.1:$port" --workers 1 \
  >"$work/gunicorn.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  if "$py" -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2).status != 200)" 2>/dev/null; then
    echo "image check passed"
    exit 0
  fi
  sleep 1
done
cat "$work/gunicorn.log"
echo "gunicorn did not answer /healthz" >&2
exit 1
