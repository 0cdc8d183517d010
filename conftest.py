"""Shared fixtures: `sd` is a small 山东 province with one account per persona (see factories)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files and error reports go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def sd(db):
    from gongjiang.orgs.tests.factories import build_province

    return build_province()
