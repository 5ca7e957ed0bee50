"""All configuration, read from the environment (documented in docker/.env.example).

Unset, everything falls back to the embedded mode: a SQLite file under data/, a Celery broker on
the filesystem, local file storage. Production sets DATABASE_URL, CELERY_BROKER_URL and S3 storage.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_secret, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("REELEARN_DATA_DIR") or BASE_DIR / "data")

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret(
    "DJANGO_SECRET_KEY", required=not DEBUG, fallback="insecure-development-key-" + "x" * 32
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_url("REELEARN_SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))

INSTALLED_APPS = [
    "reelearn.accounts",
    "reelearn.core",
    "reelearn.schools",
    "lessons",
    "reelearn.quizzes",
    "reelearn.classroom",
    "reelearn.curriculum",
    "reelearn.packs",
    "reelearn.api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales: adds "sync from" to each locale
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "reelearn.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lessons.middleware.AnonymousPageCacheMiddleware",
    "lessons.middleware.PageRouteMiddleware",  # page URLs routed by one query (lessons.routes)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reelearn.core.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "reelearn.accounts.middleware.AuthenticationMiddleware",  # Django's (old sessions renamed)
    "allauth.account.middleware.AccountMiddleware",
    "reelearn.accounts.mfa.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reelearn.core.middleware.DatabaseUnavailableMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a sign-in refused by the lock-out into its answer (reelearn.accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reelearn.urls"
WSGI_APPLICATION = "reelearn.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
WAGTAILADMIN_LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "reelearn.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", "", schemes=("postgres", "postgresql", "postgis", "sqlite"))
# A streaming replica of DATABASE_URL that teacher reports read from (reelearn/core/dbrouter.py).
REPLICA_DATABASE_URL = env_url(
    "REELEARN_REPLICA_DATABASE_URL", "", schemes=("postgres", "postgresql", "postgis")
)
if DATABASE_URL:
    DATABASES = {
        alias: dj_database_url.parse(
            url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
        )
        for alias, url in (("default", DATABASE_URL), ("replica", REPLICA_DATABASE_URL))
        if url
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "reelearn.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis"))
if REPLICA_DATABASE_URL and not IS_POSTGRES:
    raise ImproperlyConfigured("REELEARN_REPLICA_DATABASE_URL needs a PostgreSQL DATABASE_URL")
# PgBouncer in transaction mode between Django and PostgreSQL (docker/compose.yaml): each
# transaction may run on another server session, so nothing may outlive one. Connections to
# PgBouncer stay persistent (DATABASE_CONN_MAX_AGE): between transactions they hold no server.
PGBOUNCER = env_bool("REELEARN_PGBOUNCER", False)
# Parameters bound by the server, and a statement run five times on a connection is prepared:
# PostgreSQL stops planning the same autosave, start and submit statements again and again.
# Off by default behind PgBouncer, whose transaction mode (before 1.21) cannot keep them.
PREPARED_STATEMENTS = IS_POSTGRES and env_bool("DATABASE_PREPARED_STATEMENTS", not PGBOUNCER)
QUIET_HEALTH_CHECK = IS_POSTGRES and env_bool("DATABASE_QUIET_HEALTH_CHECK", False)
for _database in DATABASES.values() if IS_POSTGRES else ():
    if QUIET_HEALTH_CHECK and _database["ENGINE"] == "django.db.backends.postgresql":
        # Opt-in: Django's backend with a health check that skips its round trip on a quiet
        # socket (it overrides an undocumented Django method; tests/core/test_db_backend.py).
        _database["ENGINE"] = "reelearn.core.db.postgresql"
    # iterator() would hold a cursor open between fetches, in a session PgBouncer hands on.
    _database["DISABLE_SERVER_SIDE_CURSORS"] = PGBOUNCER
    _database.setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
        if PREPARED_STATEMENTS
        else {"prepare_threshold": None}
    )
if "replica" in DATABASES:
    # Tests run against one database: the replica alias reads it too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["reelearn.core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.append("reelearn.core.dbrouter.ReadYourWritesMiddleware")
# After a write, a user's reports are read from the primary for this long (replication lag).
REPLICA_PRIMARY_SECONDS = env_int("REELEARN_REPLICA_PRIMARY_SECONDS", 10, minimum=0)

# --- Cache ----------------------------------------------------------------------------------
REDIS_CACHE_URL = env_url("REDIS_CACHE_URL", "", schemes=("redis", "rediss"))
if REDIS_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "reelearn",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Sessions are read from the shared cache (written through to the database): a signed-in page
# saves a query. Only a cache all processes share: a per-process one would keep a session that
# another process ended.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_CACHE_URL
    else "django.contrib.sessions.backends.db"
)

# API tokens' users are cached (reelearn.api.authentication) only in a cache all processes share.
API_TOKEN_CACHE_SECONDS = env_int(
    "REELEARN_API_TOKEN_CACHE_SECONDS", 300 if REDIS_CACHE_URL else 0, minimum=0
)

# --- Passwords and sign-in ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Accounts: django-allauth (adults), login cards (pupils), django-axes (lock-out) ----------
AUTHENTICATION_BACKENDS = [
    "reelearn.accounts.backends.LockoutBackend",  # first: refuses a locked-out pair
    # Django's and allauth's, reading a session's user by a prepared statement.
    "reelearn.accounts.backends.ModelBackend",
    "reelearn.accounts.backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "reelearn.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "reelearn.accounts.adapter.SocialAccountAdapter"
MFA_ADAPTER = "reelearn.accounts.mfa.MFAAdapter"
ACCOUNT_FORMS = {
    "login": "reelearn.accounts.forms.SignInForm",
    "signup": "reelearn.accounts.forms.TeacherSignUpForm",
}
# Pupils sign in with the username on their card; adults with their email (or username).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Pupils have no email, so a confirmed email cannot be a condition of signing in; sign-up sends
# the confirmation, and an unconfirmed address proves nothing (no school domain match).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "REElearn: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env_bool("DJANGO_BEHIND_TLS", not DEBUG) else "http"
# Shared classroom computers: a session ends with the browser unless the person stays active.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Sign-ins are limited by django-axes per account and address, never per address alone:
    # a class of thirty signs in from one school address within a minute.
    "login": None,
    "login_failed": None,
    "signup": f"{env_int('REELEARN_SIGN_UPS_PER_HOUR', 10, minimum=1)}/h/ip",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never join an account by an unproved address
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS: dict = {}


def _oauth_secret(name: str) -> str:
    """An OAuth client secret as the provider issued it (any length), required with its id."""
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when its client id is")
    return value


# Google and Microsoft sign-in for adults: each is on when its client id and secret are set.
if env_str("REELEARN_GOOGLE_CLIENT_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.google")
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [
            {
                "client_id": env_str("REELEARN_GOOGLE_CLIENT_ID"),
                "secret": _oauth_secret("REELEARN_GOOGLE_CLIENT_SECRET"),
            }
        ],
        "SCOPE": ["profile", "email"],
        "EMAIL_AUTHENTICATION": False,
    }
if env_str("REELEARN_MICROSOFT_CLIENT_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.microsoft")
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": env_str("REELEARN_MICROSOFT_CLIENT_ID"),
                "secret": _oauth_secret("REELEARN_MICROSOFT_CLIENT_SECRET"),
                "settings": {"tenant": env_str("REELEARN_MICROSOFT_TENANT", "organizations")},
            }
        ],
    }
# Two-factor (TOTP and recovery codes): offered to every adult; required of editors and school
# admins when on (default: on unless DJANGO_DEBUG; `make run` turns it off).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "REElearn"
REELEARN_REQUIRE_STAFF_2FA = env_bool("REELEARN_REQUIRE_STAFF_2FA", not DEBUG)

# Lock-out (django-axes; reelearn/accounts/lockout.py): failures count per account and client
# address. REELEARN_SIGN_IN_MAX_FAILURES failures lock the pair for SIGN_IN_LOCKOUT_SECONDS,
# doubling with each further lock in a day up to SIGN_IN_MAX_LOCK_SECONDS.
SIGN_IN_MAX_FAILURES = env_int("REELEARN_SIGN_IN_MAX_FAILURES", 5, minimum=1)
SIGN_IN_LOCKOUT_SECONDS = env_int("REELEARN_SIGN_IN_LOCKOUT_SECONDS", 60, minimum=1)
SIGN_IN_MAX_LOCK_SECONDS = env_int("REELEARN_SIGN_IN_MAX_LOCK_SECONDS", 900, minimum=1)
# An address failing against this many accounts in ten minutes has each further wrong password
# answered this much later (a right one never waits).
REELEARN_SPRAY_ACCOUNTS = env_int("REELEARN_SPRAY_ACCOUNTS", 30, minimum=2)
REELEARN_SPRAY_DELAY_SECONDS = env_int("REELEARN_SPRAY_DELAY_SECONDS", 2, minimum=0)
# The reverse proxies in front of REElearn (addresses or networks, comma-separated). Only the
# X-Forwarded-For hops they appended are believed (reelearn/core/clientip.py).
REELEARN_TRUSTED_PROXIES = env_list("REELEARN_TRUSTED_PROXIES", [])
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "reelearn.accounts.lockout.username"
AXES_FAILURE_LIMIT = "reelearn.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "reelearn.accounts.lockout.cool_off"
AXES_LOCKOUT_CALLABLE = "reelearn.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "reelearn.core.clientip.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True  # no record of pupils' successful sign-ins
AXES_SENSITIVE_PARAMETERS = ["password", "code", "login", "username"]
AXES_VERBOSE = False

# API tokens: one per device; unused for this many days, a token stops working.
REELEARN_API_TOKEN_IDLE_DAYS = env_int("REELEARN_API_TOKEN_IDLE_DAYS", 30, minimum=1)
REELEARN_API_TOKEN_TOUCH_SECONDS = 3600

# --- Internationalisation -------------------------------------------------------------------
# English is the source; the others are the languages of the mining regions the report is
# about (Kachin State, Yunnan) and of the clay deposits of Latin America. English keeps
# unprefixed URLs, so every old link, login card and QR code still works; the others are
# prefixed (/my/curriculum/...). Adding a language: README, "Languages".
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("my", "မြန်မာဘာသာ"),  # Burmese, Unicode only (Zawgyi is refused on save)
    ("kac", "Jinghpaw"),  # Jinghpaw (Kachin): written in Latin script
    ("zh-hans", "简体中文"),
    ("es", "Español"),
    ("pt", "Português"),
]
# Each language is offered under its own name (a Burmese reader looks for မြန်မာ, not
# "Burmese"); Django has no data for Jinghpaw, so it is registered here.
LANG_INFO.setdefault(
    "kac", {"bidi": False, "code": "kac", "name": "Jingpho", "name_local": "Jinghpaw"}
)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# wagtail-localize's background work (syncing a subtree, a locale) runs on our Celery.
WAGTAILLOCALIZE_JOBS = {"BACKEND": "reelearn.core.localize_jobs.CeleryJobBackend"}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("REELEARN_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("REELEARN_MEDIA_ROOT") or DATA_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env_url("AWS_S3_ENDPOINT_URL", "", schemes=("http", "https")) or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 300, minimum=30)
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------
BEHIND_TLS = env_bool("DJANGO_BEHIND_TLS", not DEBUG)
if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = BEHIND_TLS
SESSION_COOKIE_SECURE = BEHIND_TLS
CSRF_COOKIE_SECURE = BEHIND_TLS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if BEHIND_TLS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = BEHIND_TLS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", BEHIND_TLS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("REELEARN_SESSION_SECONDS", 60 * 60 * 12, minimum=60)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "REElearn <noreply@reelearn.invalid>")

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "REElearn"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "english",
    }
}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "docx", "odt", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar: the admin's CSP blocks them and editors' email hashes stay private.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# The benches' own views (/bench/ping, /api/v1/bench/floor/): bench/ sets it, service never.
REELEARN_BENCH = env_bool("REELEARN_BENCH", False)
# Facts reviewed longer ago than this show as "needs review" to editors.
REELEARN_FACT_REVIEW_DAYS = env_int("REELEARN_FACT_REVIEW_DAYS", 365, minimum=1)

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "reelearn.api.authentication.CachedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "reelearn.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "reelearn.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("REELEARN_API_ANON_RATE", "120/min"),
        "user": env_str("REELEARN_API_USER_RATE", "1200/min"),
        "token": "10/min",
        "join": "20/min",
    },
    "EXCEPTION_HANDLER": "reelearn.api.exceptions.exception_handler",
    # Throttles key on REMOTE_ADDR unless a known number of proxies sits in front.
    "NUM_PROXIES": env_int("REELEARN_NUM_PROXIES", 0, minimum=0),
    "DEFAULT_SCHEMA_CLASS": "reelearn.api.schema.ReelearnAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "REElearn API",
    "DESCRIPTION": "Classes, pupils, assignments, quizzes and packs for REElearn.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["reelearn.api.schema.only_api_v1"],
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    "",
    schemes=("redis", "rediss", "amqp", "filesystem", "sqla+sqlite", "memory"),
)
if not CELERY_BROKER_URL:
    # Embedded mode: a broker that needs no server. Folders live under data/.
    # kombu writes its control (broadcast) tables to ./control unless told otherwise.
    _broker_dir = DATA_DIR / "broker"
    for sub in ("out", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),  # used with store_processed only
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240, minimum=5)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    "accounts-prune-sign-in-failures": {
        "task": "accounts.prune_sign_in_failures",
        "schedule": 3600.0,
    },
}
CELERY_TIMEZONE = TIME_ZONE

# --- Privacy --------------------------------------------------------------------------------
# Classes untouched for this many months are archived by a periodic task (0 switches it off).
REELEARN_CLASS_RETENTION_MONTHS = env_int("REELEARN_CLASS_RETENTION_MONTHS", 12, minimum=0)

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_LEVEL must be a logging level, got {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # django-axes logs every failure with the username at INFO/WARNING: counted, not logged.
        "axes": {"level": "ERROR"},
        # Request lines carry usernames in URLs of teacher screens: keep them out of logs.
        "django.request": {"level": "ERROR"},
    },
}
if CELERY_BROKER_URL == "filesystem://":
    # The filesystem transport has no host; kombu warns about it on every connection.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

WAGTAILIMAGES_IMAGE_MODEL = "lessons.CurriculumImage"

# --- Classroom (owned by reelearn/classroom) --------------------------------------------------
# Joining a class with a code: wrong codes per client address before a lock-out, and its length.
REELEARN_JOIN_MAX_FAILURES = env_int("REELEARN_JOIN_MAX_FAILURES", 10, minimum=1)
# A class code stops working this many days after it was made (0: never expires).
REELEARN_JOIN_CODE_DAYS = env_int("REELEARN_JOIN_CODE_DAYS", 60, minimum=0)
# Pupils added in one go (one name per line).
REELEARN_BULK_PUPILS_MAX = env_int("REELEARN_BULK_PUPILS_MAX", 60, minimum=1)
# One OpenAPI enum for the four age tiers (class default tier, assignment tier).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "TierEnum": "reelearn.api.classroom.serializers.TIERS",
}
CELERY_BEAT_SCHEDULE["classes-archive-stale"] = {
    "task": "reelearn.classroom.tasks.classes_archive_stale_task",
    "schedule": 60 * 60 * 24,
}

# --- Quizzes (owned by reelearn/quizzes) ------------------------------------------------------
# Seconds after a time limit during which a save or submit still counts (network latency).
QUIZZES_DEADLINE_GRACE_SECONDS = env_int("REELEARN_QUIZ_GRACE_SECONDS", 5, minimum=0)
CELERY_BEAT_SCHEDULE["quizzes-close-expired-attempts"] = {
    "task": "reelearn.quizzes.tasks.attempts_close_expired_task",
    "schedule": env_int("REELEARN_QUIZ_SWEEP_SECONDS", 60, minimum=10),
}

# --- Packs (owned by reelearn/packs) ----------------------------------------------------------
# Attempts (worker claims) before a pack build is given up as FAILED with its error recorded.
PACKS_MAX_ATTEMPTS = env_int("REELEARN_PACKS_MAX_ATTEMPTS", 4, minimum=1)
# First retry delay after a transient error; doubles each retry (capped at 10 minutes).
PACKS_RETRY_BACKOFF_SECONDS = env_int("REELEARN_PACKS_RETRY_BACKOFF_SECONDS", 15, minimum=1)
# A pack BUILDING (or QUEUED) longer than this is presumed lost with its worker and re-queued
# by packs_requeue_stuck_task. Longer than the hard task time limit, so a live build never is.
PACKS_STUCK_SECONDS = env_int(
    "REELEARN_PACKS_STUCK_SECONDS", CELERY_TASK_TIME_LIMIT + 60, minimum=1
)
PACKS_SWEEP_SECONDS = env_int("REELEARN_PACKS_SWEEP_SECONDS", 60, minimum=5)
# Noto Sans (and Noto Sans Myanmar) from Debian's fonts-noto-core, embedded in every PDF.
PACKS_FONT_DIR = env_str("REELEARN_PACKS_FONT_DIR") or "/usr/share/fonts/truetype/noto"
# Set behind nginx to hand local pack files to it (an `internal` location aliasing MEDIA_ROOT),
# e.g. "/protected-media/". Unset: Django streams the file. S3 storage: a presigned redirect.
PACKS_X_ACCEL_REDIRECT_PREFIX = env_str("REELEARN_PACKS_X_ACCEL_REDIRECT_PREFIX")
CELERY_BEAT_SCHEDULE["packs-requeue-stuck"] = {
    "task": "reelearn.packs.tasks.packs_requeue_stuck_task",
    "schedule": float(PACKS_SWEEP_SECONDS),
}
# Every published module-tier's student pack (A4, each language it is published in) is queued
# for building when the module-tier or one of its lessons is published, so a visitor's first
# click downloads at once. Off only in tests (speed), where a test turns it on.
PACKS_BUILD_ON_PUBLISH = env_bool("REELEARN_PACKS_BUILD_ON_PUBLISH", True)

# --- Frontend cache (CDN) ---------------------------------------------------------------------
# With a CDN in front, a page's URLs (in every language), the pages that show it and its public
# pack downloads are purged on publish, unpublish, move and privacy change, by Celery after
# commit (reelearn/core/cdn.py), through Wagtail's frontend-cache backends. Unset: no purges.
CDN = env_str("REELEARN_CDN").lower()


def _env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when REELEARN_CDN is {CDN!r}")
    return value


_frontend_cache = "wagtail.contrib.frontend_cache.backends."
if CDN == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": _frontend_cache + "CloudflareBackend",
            "ZONEID": _env_required("REELEARN_CDN_CLOUDFLARE_ZONE_ID"),
            "BEARER_TOKEN": _env_required("REELEARN_CDN_CLOUDFLARE_TOKEN"),
        }
    }
elif CDN == "cloudfront":
    # Credentials: boto3's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a role).
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": _frontend_cache + "CloudfrontBackend",
            "DISTRIBUTION_ID": _env_required("REELEARN_CDN_CLOUDFRONT_DISTRIBUTION_ID"),
        }
    }
elif CDN == "http":
    # A cache that takes PURGE requests (Varnish, nginx's cache_purge, a test's stand-in).
    _env_required("REELEARN_CDN_PURGE_URL")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": _frontend_cache + "HTTPBackend",
            "LOCATION": env_url("REELEARN_CDN_PURGE_URL", schemes=("http", "https")),
        }
    }
elif CDN:
    raise ImproperlyConfigured(
        f"REELEARN_CDN must be cloudflare, cloudfront, http or empty; got {CDN!r}"
    )
else:
    WAGTAILFRONTENDCACHE = {}
if WAGTAILFRONTENDCACHE and env_list("REELEARN_CDN_HOSTNAMES"):
    WAGTAILFRONTENDCACHE["default"]["HOSTNAMES"] = env_list("REELEARN_CDN_HOSTNAMES")
# Every language's URL is named by the page's own translation (reelearn/core/cdn.py), so
# Wagtail must not rewrite each URL into every language prefix as well.
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []
