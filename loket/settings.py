"""Loket settings: one module, every deploy-specific value from the environment.

See `.env.example` for every variable with its default. Defaults are safe for a laptop:
SQLite in ./var, DEBUG off, no outgoing mail.
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LOKET_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment; a local install gets one generated once into var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "loket.core",
    "loket.people",
    "loket.catalog",
    "loket.tickets",
    "loket.sla",
    "loket.surveys",
    "loket.knowledge",
    "loket.mail",
    "loket.webhooks",
    "loket.api",
    "loket.portal",
    "loket.desk",
    "loket.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loket.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "loket.urls"
WSGI_APPLICATION = "loket.wsgi.application"

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
                "loket.core.context_processors.house_style",
                "loket.desk.context_processors.desk_link",
            ],
        },
    },
]

# Database: SQLite in ./var unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'loket.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Dutch by default, English when asked.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

# House style: an organisation's own NL Design System tokens replace the Utrecht ones. Point
# LOKET_THEME_DIR at a directory with a design-tokens.css (served as static/theme/...), and set
# LOKET_THEME_CLASS to the class its tokens are scoped to (e.g. "denhaag-theme").
LOKET_THEME_DIR = os.environ.get("LOKET_THEME_DIR", "")
LOKET_THEME_CLASS = os.environ.get("LOKET_THEME_CLASS", "utrecht-theme")
LOKET_ORGANISATION_NAME = os.environ.get("LOKET_ORGANISATION_NAME", "")
if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,99}", LOKET_THEME_CLASS):
    raise ImproperlyConfigured(f"LOKET_THEME_CLASS={LOKET_THEME_CLASS!r} is not a CSS class name.")
if LOKET_THEME_DIR:
    _theme_dir = Path(LOKET_THEME_DIR).resolve()
    if not (_theme_dir / "design-tokens.css").is_file():
        raise ImproperlyConfigured(f"LOKET_THEME_DIR={_theme_dir} has no design-tokens.css.")
    STATICFILES_DIRS.append(("theme", _theme_dir))
    LOKET_THEME_TOKENS = "theme/design-tokens.css"
else:
    LOKET_THEME_TOKENS = "vendor/utrecht/design-tokens.css"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Behind a TLS-terminating proxy in production: HTTPS=true turns on the secure settings.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_PROXY", HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# E-mail: SMTP when EMAIL_HOST is set; otherwise (the demo, a laptop) every message is written
# as a file to var/mail/, where it can be read.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Loket <loket@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Attachments: validated on size and type before they are stored.
LOKET_ATTACHMENT_MAX_BYTES = int(os.environ.get("LOKET_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
LOKET_ATTACHMENT_EXTENSIONS = env_list(
    "LOKET_ATTACHMENT_EXTENSIONS",
    "pdf,png,jpg,jpeg,gif,txt,csv,docx,xlsx,pptx,odt,ods,odp,eml,msg,zip",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Departments whose tickets are confidential by default when they are first created (HR).
LOKET_CONFIDENTIAL_DEPARTMENTS = env_list("LOKET_CONFIDENTIAL_DEPARTMENTS", "HRM")

# Webhooks: seconds to wait for a receiver before the delivery counts as failed (and is retried).
LOKET_WEBHOOK_TIMEOUT = float(os.environ.get("LOKET_WEBHOOK_TIMEOUT", "10"))

# Celery (production background work): Redis as broker and result store. Without it, run
# `loket worker` (the same jobs in-process).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# SLA: a clock is "at risk" once this share of the resolution norm is used (percent, 1-99).
LOKET_SLA_AT_RISK_PERCENT = min(99, max(1, int(os.environ.get("LOKET_SLA_AT_RISK_PERCENT", "75"))))

# Gereed melden: the requester may reopen a resolved ticket for this many days; after that it is
# closed by the worker (accepted).
LOKET_REOPEN_DAYS = int(os.environ.get("LOKET_REOPEN_DAYS", "14"))

# Inbound e-mail (loket/mail): the largest message taken in, mail from unknown senders ("create"
# a ticket marked as such, or "reject"), a reply to a gereed or closed ticket ("reopen" within the
# reopen period, else a new one; or always "new"), messages per sender per hour, and Loket's own
# addresses (mail from them is never taken in: no loops).
LOKET_MAIL_MAX_BYTES = int(os.environ.get("LOKET_MAIL_MAX_BYTES", str(25 * 1024 * 1024)))
LOKET_MAIL_UNKNOWN_SENDERS = os.environ.get("LOKET_MAIL_UNKNOWN_SENDERS", "create")
LOKET_MAIL_REPLY_TO_CLOSED = os.environ.get("LOKET_MAIL_REPLY_TO_CLOSED", "reopen")
LOKET_MAIL_RATE_LIMIT = int(os.environ.get("LOKET_MAIL_RATE_LIMIT", "30"))
LOKET_MAIL_ADDRESSES = env_list("LOKET_MAIL_ADDRESSES", "")
# Outbound mail: the address links in notifications point at, and the domain of Message-IDs
# (default: the domain of DEFAULT_FROM_EMAIL).
LOKET_BASE_URL = os.environ.get("LOKET_BASE_URL", "http://127.0.0.1:8000")
LOKET_MAIL_DOMAIN = os.environ.get("LOKET_MAIL_DOMAIN", "")
if LOKET_MAIL_UNKNOWN_SENDERS not in ("create", "reject"):
    raise ImproperlyConfigured("LOKET_MAIL_UNKNOWN_SENDERS must be 'create' or 'reject'.")
if LOKET_MAIL_REPLY_TO_CLOSED not in ("reopen", "new"):
    raise ImproperlyConfigured("LOKET_MAIL_REPLY_TO_CLOSED must be 'reopen' or 'new'.")
