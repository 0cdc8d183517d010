"""Gongjiang settings: one file, driven by the environment.

DEBUG is off unless the environment turns it on (`DEBUG=1`: the development tools do); with it off (production,
and `make demo`, which runs granian + whitenoise like production) the process refuses to start with the development
secret or data key. HTTPS-only cookies, HSTS and the SSL redirect are on with DEBUG off unless GONGJIANG_HTTPS=0
(only the demo on http://127.0.0.1 sets it). The test suite (TESTING) runs with DEBUG off but over plain HTTP.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGJIANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEV_SECRET_KEY = "dev-only-insecure-key-change-me-0000000000000000000000000000000"
# A Fernet key (urlsafe base64 of 32 bytes) used only in development and tests.
DEV_DATA_KEY = "ZGV2LW9ubHktZ29uZ2ppYW5nLWRhdGEta2V5LTAwMDA="

DEBUG = env_bool("DEBUG", False)  # a forgotten variable must not leave production in debug mode
# The site is reached over HTTPS (nginx in front): secure cookies, HSTS, SSL redirect. GONGJIANG_HTTPS=0 only for a
# server on plain http://127.0.0.1 (`make demo`), where secure cookies would never come back and log-in would fail.
GONGJIANG_HTTPS = env_bool("GONGJIANG_HTTPS", True)
TESTING = "pytest" in sys.modules or env_bool("GONGJIANG_TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# Key for personal data (ID-card numbers): Fernet key for encryption; the keyed hash for look-up
# is derived from it. Several keys may be given, comma-separated, newest first (key rotation).
GONGJIANG_DATA_KEY = os.environ.get("GONGJIANG_DATA_KEY", DEV_DATA_KEY)


def check_data_keys(keys: str) -> None:
    """Each comma-separated data key must be a Fernet key: urlsafe base64 of 32 random bytes."""
    import base64
    import binascii

    for i, key in enumerate(k.strip() for k in keys.split(",") if k.strip()):
        try:
            ok = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise ImproperlyConfigured(
                f"GONGJIANG_DATA_KEY: key number {i + 1} is not a Fernet key (urlsafe base64 of 32 bytes). Generate"
                " one with: python3 -c \"import base64,secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32))"
                ".decode())\"")


check_data_keys(GONGJIANG_DATA_KEY)
if not DEBUG and not TESTING:
    # Production refuses the development defaults: anyone who read this file could forge sessions or
    # decrypt ID numbers with them.
    if SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (DEBUG is off); the development default is public. Generate one"
            " with: python3 -c \"import secrets; print(secrets.token_urlsafe(50))\" (for development, set DEBUG=1)")
    if DEV_DATA_KEY in (k.strip() for k in GONGJIANG_DATA_KEY.split(",")):
        raise ImproperlyConfigured(
            "GONGJIANG_DATA_KEY must be set in production (DEBUG is off); the development default is public and"
            " must not encrypt real ID numbers. Generate one with: python3 -c \"import base64,secrets;"
            " print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())\" (for development, set DEBUG=1)")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "gongjiang.core",
    "gongjiang.orgs",
    "gongjiang.competitions",
    "gongjiang.innovation",
    "gongjiang.honours",
    "gongjiang.learning",
    "gongjiang.assessments",
    "gongjiang.care",
    "gongjiang.stats",
    "gongjiang.rights",
]
if TESTING and env_bool("GONGJIANG_EXAMPLE_APP", True):
    # A small app that plugs in through the registries alone (tests/example_app, tests/test_adding_an_app.py).
    INSTALLED_APPS.append("tests.example_app")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (collectstatic), compressed, cached for ever under hashed names.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongjiang.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongjiang.orgs.middleware.ScopeMiddleware",
]

ROOT_URLCONF = "gongjiang.urls"
WSGI_APPLICATION = "gongjiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongjiang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongjiang.orgs.context_processors.scope",
                "gongjiang.core.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongjiang.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work together; IMMEDIATE avoids upgrade deadlocks.
    # case_sensitive_like lets `path LIKE 'prefix%'` (every subtree filter) use the path index, as on
    # PostgreSQL with varchar_pattern_ops; the price is that icontains is case-sensitive on SQLite.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA cache_size=-64000; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else DATABASES["default"]["CONN_MAX_AGE"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = ["gongjiang.orgs.auth.UsernameOrPhoneBackend"]
LOGIN_URL = "orgs:login"
LOGIN_REDIRECT_URL = "orgs:home"
LOGOUT_REDIRECT_URL = "orgs:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create hundreds of users; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name", "phone", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongjiang.orgs.passwords.NotCurrentPasswordValidator"},
]
# Log-in throttling (orgs/throttle.py): failures within LOGIN_LOCKOUT_MINUTES lock out the ADDRESS, not the
# account: LOGIN_MAX_FAILURES on one account from one address; LOGIN_CLIENT_MAX_FAILURES from one address on any
# accounts; past LOGIN_ACCOUNT_MAX_FAILURES on one account from all addresses, only addresses it logged in from
# before. LOGIN_TRUSTED_PROXIES: how many proxies (nginx: 1) append the client to X-Forwarded-For; 0 = REMOTE_ADDR.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_CLIENT_MAX_FAILURES = int(os.environ.get("LOGIN_CLIENT_MAX_FAILURES", "20"))
LOGIN_ACCOUNT_MAX_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_MAX_FAILURES", "50"))
LOGIN_TRUSTED_PROXIES = int(os.environ.get("LOGIN_TRUSTED_PROXIES", "0"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: the session ends 8 hours after the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gongjiang" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Numbers grouped by thousands in Chinese too (50,000; 1,200,000.00 元): Django's zh_Hans format has no separator,
# so `intcomma` and `core.history.number` would print 1200000 (gongjiang/core/formats/zh_Hans/formats.py).
FORMAT_MODULE_PATH = ["gongjiang.core.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "gongjiang" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"  # hashed names, .gz and .br copies
    },
}
# Without DEBUG whitenoise serves what collectstatic put in STATIC_ROOT; in development and tests it looks the
# files up in the apps' static folders on each request (nothing collected; manifest names 404 under live_server).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# collectstatic compresses each file twice (gzip, brotli); the source maps of the vendored bundles (5 MB, fetched
# only by a browser's developer tools) would take most of its time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Imports
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))
# Rows of data an import reads at most (a sheet declaring or holding more is refused before it is read).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security (production values; `manage.py check --deploy` is clean with DEBUG off)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The test client and the browser journeys' live server speak plain HTTP; so does the demo (GONGJIANG_HTTPS=0).
if not DEBUG and not TESTING and GONGJIANG_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Notifications (core/notifications.py): the channels relaying each message beyond the inbox, by dotted path
# (comma-separated in the environment; empty = the inbox only). Development and tests log them; production relays
# them by SMS (to the account's mobile number) and WeChat, each idle until its gateway URL is set. A gateway gets
# one JSON POST per message with `Authorization: Bearer <KEY>`; *_TEMPLATE is its default template id, *_TEMPLATES
# maps verbs or verb prefixes to others ("competitions.round.published=T2,competitions.=T1").
NOTIFICATION_CHANNELS = [p.strip() for p in os.environ.get(
    "NOTIFICATION_CHANNELS",
    "gongjiang.core.notifications.ConsoleChannel" if (DEBUG or TESTING)
    else "gongjiang.core.notifications.SmsChannel,gongjiang.core.notifications.WechatTemplateChannel",
).split(",") if p.strip()]


def _notification_gateway(prefix: str) -> dict[str, object]:
    pairs = (p.split("=", 1) for p in os.environ.get(f"{prefix}_TEMPLATES", "").split(",") if "=" in p)
    return {"url": os.environ.get(f"{prefix}_URL", ""), "key": os.environ.get(f"{prefix}_KEY", ""),
            "template": os.environ.get(f"{prefix}_TEMPLATE", ""),
            "templates": {k.strip(): v.strip() for k, v in pairs},
            "timeout": float(os.environ.get("NOTIFICATION_HTTP_TIMEOUT", "10"))}


NOTIFICATION_SMS = _notification_gateway("NOTIFICATION_SMS")
NOTIFICATION_WECHAT = _notification_gateway("NOTIFICATION_WECHAT")

NINJA_PAGINATION_PER_PAGE = 50
PAGE_SIZE = 50
