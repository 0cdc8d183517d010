"""Production settings: `check --deploy` is clean, the development secrets are refused, and every page —
the OpenAPI page included — carries a strict Content-Security-Policy for our own static files.

Settings are read once per process, so the production cases run `manage.py` in a subprocess with the
environment an operator sets (and without the test-suite marker GONGJIANG_TESTING)."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from gongjiang.core.middleware import POLICY

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGJIANG_", "DJANGO_", "SECURE_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        GONGJIANG_DATA_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="gongjiang.sdgh.example.cn",
        CSRF_TRUSTED_ORIGINS="https://gongjiang.sdgh.example.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        GONGJIANG_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongjiang.settings",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    proc = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_check_deploy_would_notice_a_weakened_setting(tmp_path):
    """The check above can fail: switching the HTTPS redirect off is reported."""
    proc = manage(production_env(tmp_path, SECURE_SSL_REDIRECT="0"), "check", "--deploy", "--fail-level", "WARNING")
    assert proc.returncode != 0
    assert "security.W008" in proc.stdout + proc.stderr


@pytest.mark.parametrize(("overrides", "message"), [
    ({"SECRET_KEY": None}, "SECRET_KEY must be set in production"),
    ({"GONGJIANG_DATA_KEY": None}, "GONGJIANG_DATA_KEY must be set in production"),
    ({"GONGJIANG_DATA_KEY": settings.DEV_DATA_KEY}, "GONGJIANG_DATA_KEY must be set in production"),
    ({"SECRET_KEY": settings.DEV_SECRET_KEY}, "SECRET_KEY must be set in production"),
    ({"GONGJIANG_DATA_KEY": "not-a-key"}, "is not a Fernet key"),
])
def test_production_refuses_to_start_with_a_development_or_broken_secret(tmp_path, overrides, message):
    proc = manage(production_env(tmp_path, **overrides), "check")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and message in proc.stderr
    assert "Generate" in proc.stderr  # the message says how to make a proper key


def test_production_accepts_several_data_keys_for_rotation(tmp_path):
    keys = ",".join(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() for _ in range(2))
    proc = manage(production_env(tmp_path, GONGJIANG_DATA_KEY=keys), "check")
    assert proc.returncode == 0, proc.stderr


def test_production_security_values(tmp_path):
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(["
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
            " s.X_FRAME_OPTIONS, s.SECURE_PROXY_SSL_HEADER, s.STORAGES['staticfiles']['BACKEND']]))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=production_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    cookie, csrf, redirect, hsts, frames, proxy, storage = __import__("json").loads(proc.stdout)
    assert cookie and csrf and redirect and hsts >= 31536000 and frames == "DENY"
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert storage.endswith("ManifestStaticFilesStorage")


@pytest.mark.django_db
def test_every_page_has_the_strict_policy_including_the_api_docs(client):
    for url in ("/login/", "/api/v1/docs", "/api/docs"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Security-Policy"] == POLICY
        assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self';" in POLICY and "unsafe-eval" not in POLICY
    html = client.get("/api/docs").content.decode()
    # Swagger UI comes from ninja's bundled static files, not from a CDN, and no script is inline.
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith(settings.STATIC_URL) for src in sources)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)
    assert "cdn" not in html.lower()


def test_debug_is_off_when_the_environment_does_not_set_it(tmp_path):
    """Forgetting DEBUG in production's environment must not leave the site in debug mode: it defaults to off
    (`make demo` and the test suite turn on what they need themselves)."""
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=production_env(tmp_path, DEBUG=None),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "True"]


def test_without_debug_and_secrets_the_process_refuses_to_start(tmp_path):
    """No DEBUG, no SECRET_KEY: production mode, so the development key is refused (with how to go on)."""
    proc = manage(production_env(tmp_path, DEBUG=None, SECRET_KEY=None), "check")
    assert proc.returncode != 0
    assert "SECRET_KEY must be set in production" in proc.stderr and "DEBUG=1" in proc.stderr


# The demo (`make demo`) runs with production settings — DEBUG off, granian, whitenoise, collected static files —
# but over plain http://127.0.0.1, which GONGJIANG_HTTPS=0 allows.

def demo_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    return production_env(tmp_path, GONGJIANG_HTTPS="0", ALLOWED_HOSTS="127.0.0.1,localhost", CSRF_TRUSTED_ORIGINS=None,
                          STATIC_ROOT=str(tmp_path / "static"), **overrides)


SECURITY_VALUES = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(["
                   "s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
                   " s.SECURE_HSTS_SECONDS, s.STORAGES['staticfiles']['BACKEND'], s.MIDDLEWARE[:2]]))")


@pytest.mark.parametrize("https", [None, "1"])
def test_production_defaults_to_https_only_cookies(tmp_path, https):
    """Unset (or 1), GONGJIANG_HTTPS keeps every HTTPS protection; whitenoise serves compressed, hashed files."""
    proc = subprocess.run([sys.executable, "-c", SECURITY_VALUES], cwd=BASE_DIR, capture_output=True, text=True,
                          env=production_env(tmp_path, GONGJIANG_HTTPS=https), timeout=60)
    assert proc.returncode == 0, proc.stderr
    debug, cookie, csrf, redirect, hsts, storage, middleware = __import__("json").loads(proc.stdout)
    assert not debug and cookie and csrf and redirect and hsts >= 31536000
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert middleware == ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]


def test_the_demo_over_plain_http_has_cookies_without_the_secure_flag(tmp_path):
    """GONGJIANG_HTTPS=0 with DEBUG off: cookies a browser sends back over http://, no redirect to https, no HSTS;
    everything else is production (DEBUG off, hashed static files)."""
    proc = subprocess.run([sys.executable, "-c", SECURITY_VALUES], cwd=BASE_DIR, capture_output=True, text=True,
                          env=demo_env(tmp_path), timeout=60)
    assert proc.returncode == 0, proc.stderr
    debug, cookie, csrf, redirect, hsts, storage, _ = __import__("json").loads(proc.stdout)
    assert not debug and not cookie and not csrf and not redirect and hsts == 0
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_check_deploy_reports_a_site_without_https(tmp_path):
    """The demo's setting is not for production: `check --deploy` names each HTTPS protection it switches off."""
    proc = manage(demo_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):  # HSTS, redirect, cookies
        assert warning in output, output


def test_whitenoise_is_the_second_middleware_in_the_test_settings_too():
    assert settings.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert settings.WHITENOISE_USE_FINDERS and settings.WHITENOISE_AUTOREFRESH  # nothing collected in tests


DEMO_REQUESTS = """
import json, re, django
django.setup()
from django.test import Client
from django.utils.translation import gettext
client = Client(SERVER_NAME="127.0.0.1")
out = {}
login = client.get("/login/")
out["login"] = [login.status_code, login.cookies["csrftoken"]["secure"]]
css = re.search(r'href="(/static/gongjiang/app[.][0-9a-f]+[.]css)"', login.content.decode()).group(1)
static = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
out["static"] = [css, static.status_code, static.headers.get("Cache-Control"), static.headers.get("Content-Encoding")]
static.close()
missing = client.get("/no-such-page/")
out["missing"] = [missing.status_code, missing.content.decode()]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """What `make demo` does before granian starts: collectstatic into STATIC_ROOT with the demo's settings (once:
    compressing every file takes a while)."""
    tmp_path = tmp_path_factory.mktemp("demo")
    env = demo_env(tmp_path)
    proc = manage(env, "collectstatic", "--noinput", "-v0")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    return tmp_path, env


def test_the_demo_serves_collected_static_files_and_its_own_error_pages(collected):
    """Requests through Django's handler with the demo's settings: pages link hashed static names, whitenoise serves
    them compressed and cached for ever, the CSRF cookie works over http://, and a missing page is the project's
    404, not the debug page."""
    _, env = collected
    assert manage(env, "migrate", "--noinput", "-v0").returncode == 0
    proc = subprocess.run([sys.executable, "-c", DEMO_REQUESTS], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = __import__("json").loads(proc.stdout)
    assert out["login"] == [200, ""]
    _, status, cache, encoding = out["static"]
    assert status == 200 and "immutable" in cache and "max-age=315360000" in cache and encoding == "gzip"
    status, html = out["missing"]
    assert status == 404
    assert "该页面不存在" in html and "Traceback" not in html and "URLconf" not in html


def test_every_static_name_in_the_templates_is_collected(collected):
    """With manifest storage (production, the demo) a {% static %} name that does not exist is a 500 on every page
    that uses it; the tests' plain storage would not notice, so check the names against collectstatic's manifest."""
    tmp_path, _ = collected
    manifest = __import__("json").loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    used = set()
    for template in (BASE_DIR / "gongjiang").rglob("templates/**/*.html"):
        used.update(re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", template.read_text(encoding="utf-8")))
    assert used, "no {% static %} found: the pattern is wrong"
    assert sorted(used - set(manifest)) == []


def test_the_500_page_is_the_projects_own_in_chinese(rf):
    """Rendered without a request context (Django's server_error view): no user, no database, no URL reversing."""
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("zh-hans"):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in html and "工匠" in html and 'href="/"' in html
    assert "Server Error (500)" not in html
