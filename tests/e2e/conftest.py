"""Browser journeys: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Screenshots go to tests/e2e/screenshots/ (git-ignored) so a person can look at every page a journey saw.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Gongjiang-2026"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def base_url() -> None:
    """Overrides pytest-playwright's fallback fixture, an instance method that pytest 9 warns about (and
    warnings are errors); the journeys build their URLs from `live_server.url`."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 860}}


@pytest.fixture
def shot(page, request):
    """shot("name") saves a full-page screenshot: <journey>-<test>-<step number>-<name>.png."""
    SHOTS.mkdir(exist_ok=True)
    counter = {"n": 0}
    journey = request.node.path.stem.removeprefix("test_")
    story = request.node.originalname.removeprefix("test_")[:48]

    def take(name: str, target=None, full_page: bool = True) -> Path:
        counter["n"] += 1
        path = SHOTS / f"{journey}-{story}-{counter['n']:02d}-{name}.png"
        if target is not None:
            target.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def province(transactional_db):
    """The small 山东 province of the unit tests, with persona accounts (password Gongjiang-2026)."""
    from gongjiang.orgs.tests.factories import build_province

    return build_province()


@pytest.fixture
def login(page, live_server):
    def do(username: str, password: str = PASSWORD, expect_ok: bool = True) -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        if expect_ok:
            page.wait_for_url(lambda url: "/login/" not in url)

    return do


@pytest.fixture
def logout(page):
    """Log out with the button of the top bar (a POST), landing on the log-in page."""
    def do() -> None:
        with page.expect_navigation():
            page.click("header form[action='/logout/'] button[type=submit]")
        page.wait_for_url("**/login/**")

    return do
