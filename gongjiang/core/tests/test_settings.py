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
