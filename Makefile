# Two commands on a fresh machine: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint fmt worker beat bench ci install native lock messages messages-update migrate seed system-deps backup restore image-check

# The locks pin every package with its hashes; requirements.txt is production's (the Dockerfile),
# requirements-dev.txt adds the test and development tools.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# pip before 24 rejects a hashed lock whose packages ask for extras (weasyprint's fonttools[woff]).
	$(BIN)/pip install --quiet --upgrade 'pip>=25'
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# Recompile the locks after changing requirements.in or requirements-dev.in.
LOCK := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
  --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: install
	$(LOCK) requirements.in --output-file requirements.txt
	$(LOCK) requirements-dev.in --output-file requirements-dev.txt
	$(LOCK) requirements-native.in --output-file requirements-native.txt

# A local settings file for development: debug on, a random secret key. Never committed.
.env:
	printf 'DJANGO_DEBUG=true\nDJANGO_SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

# The screening engine's scorer and normaliser compiled with mypyc (scripts/build_native.py),
# rebuilt whenever their source changes; the engine refuses a compiled module older than it.
NATIVE_SOURCES := screening/engine/score.py screening/engine/normalise.py screening/engine/native.py \
  scripts/build_native.py
screening/engine/native.json: $(NATIVE_SOURCES) $(BIN)/.installed
	$(BIN)/python scripts/build_native.py

native: screening/engine/native.json

install: $(BIN)/.installed .env native

# System packages the project needs (gettext; for tests also Chromium and poppler-utils).
system-deps:
	bash scripts/system-deps.sh $(SYSTEM_DEPS)

messages: install
	@SYSTEM_DEPS=gettext bash scripts/system-deps.sh gettext
	$(MANAGE) compilemessages --ignore=.venv --verbosity 0

# Collect new strings into the Chinese catalogue (locked: several people may run it at once).
messages-update: install
	flock locale/zh_Hans/LC_MESSAGES/django.lock $(MANAGE) makemessages -l zh_Hans --no-obsolete \
	  --ignore='.venv/*' --ignore='tests/*' --ignore='var/*' --ignore='bench/*'

# After migrating, sign each event log's head (a broken chain is reported, not sealed, and does
# not stop the demo); beat seals again every hour (records.seal_event_log).
migrate: install
	$(MANAGE) migrate --noinput
	-$(MANAGE) seal_event_log

seed: migrate
	$(MANAGE) seed_demo

run: messages seed
	-@$(MANAGE) seal_event_log
	$(MANAGE) screening_index_build --verbosity 0
	@$(MANAGE) demo_banner --port $(PORT)
	ICP_PORT=$(PORT) $(BIN)/honcho start -f Procfile.dev

worker: install
	$(BIN)/celery -A config worker -l info -Q default,documents

beat: install
	$(BIN)/celery -A config beat -l info

test: messages
	bash scripts/system-deps.sh gettext chromium poppler-utils fonts-noto-cjk libharfbuzz-subset0
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The production image's Python layer without a Docker daemon (see scripts/image_check.sh).
image-check:
	bash scripts/image_check.sh

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Database (portable JSON) + every stored file, with SHA-256 manifest, into var/backups/.
backup: install
	$(MANAGE) backup

# make restore BACKUP=var/backups/icp-backup-....tar.gz [RESTORE_ARGS=--replace]
restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/icp-backup-<time>.tar.gz [RESTORE_ARGS=--replace]"; exit 2; }
	$(MANAGE) restore "$(BACKUP)" $(RESTORE_ARGS)

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

ci:
	bash .ci/run
