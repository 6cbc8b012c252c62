"""Settings for the ICP workbench, read top to bottom.

Every value comes from an environment variable (or the git-ignored `.env` that `make` writes on a
first run) with a working default. The defaults are the embedded ones: SQLite and files under
`var/`, and a filesystem message broker so background jobs run without a Redis server. Setting
`DATABASE_URL` and `REDIS_URL` switches to PostgreSQL and Redis. All variables are listed in
`.env.example`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # real environment variables win over the file

VAR_DIR = Path(env("ICP_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core -----------------------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
_PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "insecure"}
if not DEBUG and (
    SECRET_KEY.lower() in _PLACEHOLDER_SECRETS
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when "
        "DJANGO_DEBUG is off."
    )
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production-0000000000"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "csp",
    "django_countries",  # its catalogue gives Chinese country names
    # ours
    "core",
    "accounts",
    "records",
    "reference",  # the versioned MOFCOM library: below screening, trade, audits and icp
    "icp",
    "screening",
    "trade",
    "audits",
    "providers",  # on top: service providers' customer checks; nothing imports it
    "chambers",  # on top: chambers of commerce and their members; nothing imports it
    "onboarding",  # on top: the getting-started path; nothing imports it
    "outreach",  # above chambers: a chamber's events and case library; nothing imports it
    "notices",  # on top: WeCom / DingTalk group robots for alerts; nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateNoStoreMiddleware",
    "accounts.middleware.OrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL bytes in parameters and oversized uploads get a clear 4xx before any view (core).
    "core.middleware.RequestGuardMiddleware",
    # A view that screens while a new list's index is being built answers 503, not 500.
    "screening.middleware.ScreeningNotReadyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.organisation",
                "core.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker share the file: wait for locks instead of failing, and
    # take the write lock at BEGIN so two writers never deadlock on an upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "icp:overview"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# One user from one client address: see accounts/security.py for why not the username alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# "A@X.com" and "a@x.com" are one account: they share their failures and their lock.
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
# The real client behind ICP_TRUSTED_PROXY_COUNT reverse proxies (0: no proxy).
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
ICP_TRUSTED_PROXY_COUNT = env.int("ICP_TRUSTED_PROXY_COUNT", default=0)
# Password-reset e-mails per hour, per address asked for and per client address.
ICP_PASSWORD_RESET_PER_ADDRESS = env.int("ICP_PASSWORD_RESET_PER_ADDRESS", default=3)
ICP_PASSWORD_RESET_PER_IP = env.int("ICP_PASSWORD_RESET_PER_IP", default=10)
# Look-ups of an anonymous report by its receipt code, per client address and hour.
ICP_INCIDENT_FOLLOW_PER_HOUR = env.int("ICP_INCIDENT_FOLLOW_PER_HOUR", default=20)
# Days an invitation link to join an organisation stays valid.
ICP_INVITATION_DAYS = env.int("ICP_INVITATION_DAYS", default=7)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind TLS (the production default) cookies are secure and plain HTTP is redirected. Set
# DJANGO_HTTPS=false only for a local trial of the production shape without a TLS proxy.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by docker-compose and load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Everything is served by the app itself: no script, style or font from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # style="width: N%" on progress bars
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]  # English dates as 2026-11-28 18:04

# --- Static and media files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: files are downloaded through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# S3-compatible object storage (AWS S3, MinIO, Alibaba OSS, Tencent COS ...) when a bucket is
# set, so several web and worker machines share the documents; see docs/operations.md.
S3_BUCKET = env("DJANGO_STORAGE_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("DJANGO_STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("DJANGO_STORAGE_S3_REGION", default="") or None,
            "access_key": env("DJANGO_STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("DJANGO_STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env("DJANGO_STORAGE_S3_PREFIX", default=""),
            "addressing_style": env("DJANGO_STORAGE_S3_ADDRESSING_STYLE", default="") or None,
            # Documents are never public: downloads go through permission-checked views.
            "default_acl": "private",
            "querystring_auth": True,
            # Never overwrite a stored object: an existing name gets a new suffix.
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# No upload larger than this is read at all: the body is streamed and abandoned at the cap.
ICP_MAX_UPLOAD_BYTES = env.int("ICP_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "core.uploads.MaxSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Background jobs ------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than any task's hard time limit: an unacknowledged job is redelivered only when
    # its worker has really died, never while it still runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
else:
    # No Redis server: kombu's filesystem transport is the broker, and `make run` starts a
    # worker beside the web server, so jobs still run in the background with a progress bar.
    _broker_dir = VAR_DIR / "celery-broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        # The exchange tables too (kombu's default is ./control in the working directory).
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# The job row (core.Job) is the result: Celery keeps none.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A new worker process loads the PDF fonts before it takes work (config/celery.py): about 1 s,
# more on a busy machine, against Celery's default of 4 s for a process to report it is alive.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 30
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 16 * 60
# A worker outlives a broker outage: it keeps reconnecting (forever, with backoff) instead of
# exiting, also when the broker is down at start. A web request gives up publishing quickly, and
# its job is marked failed with a retry button (core.jobs.job_dispatch) instead of a 500.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Running jobs stamp a heartbeat; the watchdog (beat, every minute) retries once a job whose
# heartbeat is older than JOB_STALLED_AFTER_SECONDS, then fails it.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=30)
JOB_STALLED_AFTER_SECONDS = env.int("JOB_STALLED_AFTER_SECONDS", default=5 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat copies these into django-celery-beat's tables on start (editable in the admin afterwards).
CELERY_BEAT_SCHEDULE = {
    # Retention index and reminders (notification centre + daily e-mail digest); idempotent.
    "records-daily": {
        "task": "records.daily",
        "schedule": crontab(hour=env.int("ICP_REMINDER_HOUR", default=7), minute=0),
    },
    "core-job-watchdog": {"task": "core.job_watchdog", "schedule": 60.0},
    # Sign each event log's head (records/services/eventlog.py): entries written since the last
    # seal are protected by the chain alone until the next one.
    "records-seal-event-log": {
        "task": "records.seal_event_log",
        "schedule": env.float("EVENT_LOG_SEAL_SECONDS", default=60 * 60),
    },
    # Log the changes made directly in the database, outside the application (PostgreSQL
    # triggers, records/services/capture.py); a no-op on SQLite.
    "records-reconcile-database-changes": {
        "task": "records.reconcile_database_changes",
        "schedule": env.float("DATABASE_CHANGES_RECONCILE_SECONDS", default=5 * 60),
    },
}

# --- Event log seal -------------------------------------------------------------------------
# The key that signs the event log's checkpoints (manage.py seal_event_log). Keep it out of the
# database (and ideally apart from its backups); empty = derived from DJANGO_SECRET_KEY.
EVENT_LOG_KEY = env("EVENT_LOG_KEY", default="")

# --- Caches and e-mail ----------------------------------------------------------------------

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ICP Workbench <noreply@localhost>")

# --- Forms, API -----------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Per API token (see accounts/api_throttling.py); a batch of up to 100 names is one request.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api_throttling.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": env("API_THROTTLE_RATE", default="300/minute")},
    "EXCEPTION_HANDLER": "accounts.api_exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICP Workbench API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {"format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Product --------------------------------------------------------------------------------

# Hosts a group robot address may name besides qyapi.weixin.qq.com and oapi.dingtalk.com, over
# http too: only for a local test server (tests, the demo). Empty in production.
NOTICES_WEBHOOK_TEST_HOSTS = env.list("NOTICES_WEBHOOK_TEST_HOSTS", default=[])

ICP_SITE_NAME = _("Export Control ICP Workbench")
# The address in links of e-mails (daily reminder digest).
# Unset, it follows the port `make run PORT=...` serves on (ICP_PORT).
ICP_SITE_URL = env(
    "ICP_SITE_URL", default=f"http://127.0.0.1:{env('ICP_PORT', default='8000')}"
).rstrip("/")
PAGE_SIZE = 25
