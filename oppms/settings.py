"""Settings for OPPMS, read from environment variables.

Every variable has a default that is safe for a first run on a laptop (SQLite under ``var/``,
a generated secret key kept out of git); production sets them explicitly, see README.md.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPPMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_date(name, default):
    value = os.environ.get(name, "")
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def first_run_secret_key():
    """A key generated once per checkout, so that a first run needs no configuration."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = first_run_secret_key()

# Deploy-grade defaults whenever DEBUG is off; each can be overridden for a special set-up.
# Behind a TLS-terminating proxy, set BEHIND_TLS_PROXY=true so that Django trusts the proxy's
# X-Forwarded-Proto header (and make sure the proxy always sets or strips that header), and
# login lockouts key on the client's address the proxies forward (oppms.proxy).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies, each appending to X-Forwarded-For, stand between the clients and us.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more.")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Sessions end after 8 hours without activity: each request pushes the expiry forward.
SESSION_COOKIE_AGE = 8 * 60 * 60
# Django's sessions in the database, each request's read kept while its row is unchanged.
SESSION_ENGINE = "oppms.sessions"
# The expiry slides with use: oppms.middleware.SessionMiddleware renews a session every few
# minutes while it is used (SESSION_RENEW_AFTER), without a database write per request.
SESSION_SAVE_EVERY_REQUEST = False

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "oppms.apps.OppmsAdminConfig",  # django.contrib.admin with oppms.admin_site's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "oppms",
    "institutions",
    "allies",
    "observance",
    "reports",
    "portal",
    "search",
]

MIDDLEWARE = [
    "oppms.middleware.RequestIdMiddleware",
    "oppms.unchanged.SnapshotPerRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oppms.middleware.SessionMiddleware",
    "oppms.language.LanguageMiddleware",
    "oppms.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "oppms.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oppms.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "oppms.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'oppms.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Persistent connections buy nothing on SQLite and keep files open across tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file per test process, not memory, for the test database: the tests that take the
    # database away and bring it back need a connection that can really close.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-oppms-{os.getpid()}.sqlite3")}
else:
    # Names our connections in pg_stat_activity, for whoever looks at the server's sessions.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("application_name", "oppms")
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost passes a threshold,
    # and the semiannual report's as-of-cut-off queries (correlated subqueries over history)
    # pass it while running in milliseconds; compiling them took longer than running them
    # (bench/report.py, 100x records: figures in 1.2 s with JIT, 0.6 s without). The app's
    # queries are all short ones, which JIT never speeds up.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address are refused before the password check.
    "axes.backends.AxesStandaloneBackend",
    "oppms.permissions.KeptPermissionsBackend",
]

# After 5 failed logins for one username from one address, that pair waits 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address, not the proxy's, behind BEHIND_TLS_PROXY; REMOTE_ADDR otherwise.
AXES_CLIENT_IP_CALLABLE = "oppms.proxy.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Guayaquil"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["oppms.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
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

# Uploaded files (minutes, letters, agreements) are never under static/ and have no public
# URL: views hand them out after checking the reader's permission.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/files/"
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# What a form adds to its file: its other fields and the multipart framing. A request body over
# UPLOAD_MAX_BYTES + UPLOAD_FORM_MARGIN_BYTES (21 MB) is refused unread with a 413
# (oppms.middleware.RequestBodyLimitMiddleware); the README's client_max_body_size matches it.
UPLOAD_FORM_MARGIN_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + UPLOAD_FORM_MARGIN_BYTES

# Django 6 will assume https for URLs typed without a scheme; adopt it now.
FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The earliest date a record can carry while the observatory's profile has no constitution
# date (observance/dates.py): by default 20/10/2008, when Ecuador's Constitution, which created
# the CPCCS that registers citizen observatories, was published. ISO format: 2008-10-20.
EARLIEST_RECORD_DATE = env_date("EARLIEST_RECORD_DATE", datetime.date(2008, 10, 20))

# LOTAIP deadlines: "calendar" counts every day; "business" skips weekends, Ecuador's
# holidays and the holidays an administrator adds.
LOTAIP_DAY_COUNTING = os.environ.get("LOTAIP_DAY_COUNTING", "calendar")
if LOTAIP_DAY_COUNTING not in {"calendar", "business"}:
    raise ImproperlyConfigured("LOTAIP_DAY_COUNTING must be 'calendar' or 'business'.")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oppms@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the application is reached at: the links of the e-mail digest and the calendar
# feed are built on it (send_reminders runs outside any request, so it cannot guess it).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
ADMINS = [("", address) for address in env_list("ADMINS", [])]

# Off: the library's escaping turns every cell into text (an XLSX's ids and dates too) and only
# strips a leading "="; our resources prefix an apostrophe to every text a spreadsheet would run
# as a formula (oppms.admin.OppmsResource.export_field), in every format.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Between an admin import's preview and its confirmation the spreadsheet waits in the media
# folder, not in the temporary folder of the machine that previewed it: the confirmation may
# reach another instance of the application (bench/load.py --instances 2).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SIMPLE_HISTORY_REVERT_DISABLED = False

# No cache. Several instances of the application may answer one user's requests in turn,
# sharing only PostgreSQL and the media folder: a cache in one process's memory (Django's
# default) would be missing or stale on the next. Nothing needs one today (sessions and
# django-axes' failed logins are in the database); a future need gets a shared cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Rendered template fragments, keyed by everything they show: the report's annex tables
    # (``{% cache %}`` with their rows and the language as keys; 300 rows, half the preview's
    # rendering, the same after most writes) and the sections a meeting logged leaves as they
    # were (allies, requests, evaluations, recommendations, processes: their figures, links and
    # language). Other content is another key: a process's copy is never stale, nor another
    # reader's, and another instance renders the same.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
# What each process keeps is never stale, because it is keyed on PostgreSQL's snapshot
# (oppms.unchanged). Off, every request computes and renders: bench/http_pages.py --fresh.
KEEP_WHILE_UNCHANGED = env_bool("KEEP_WHILE_UNCHANGED", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "oppms.middleware.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "formatter": "plain",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}

# No inline script or style anywhere: scripts and styles come from our own static files, or
# carry the per-response nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
