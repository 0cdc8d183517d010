"""Shared fixtures: `sd` is a small 山东 province with one account per persona (see factories)."""

from __future__ import annotations

import pytest


@pytest.fixture
def sd(db):
    from gongjiang.orgs.tests.factories import build_province

    return build_province()
