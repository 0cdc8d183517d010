"""Shared fixtures: `sd` is a small 山东 province with one account per persona (see factories)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request with another Accept-Language (a test of the English
    fallback) leaves its language active in the thread, and a later test's stored texts (an audit row's object
    name) would be in English."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files and error reports go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def sd(db):
    from gongjiang.orgs.tests.factories import build_province

    return build_province()
