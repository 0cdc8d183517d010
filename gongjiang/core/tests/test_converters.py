"""Page URLs take ids that fit a 64-bit key; anything longer is a 404, never a 500."""

import re

import pytest
from django.test import Client
from django.urls import get_resolver

from gongjiang.core.converters import MAX_ID


def _id_routes() -> list[str]:
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, route)
            elif "<id:" in route:
                found.append(route)
    walk(get_resolver().url_patterns)
    return found


def test_every_page_route_with_an_id_is_declared_with_the_id_converter():
    routes = _id_routes()
    assert len(routes) > 50
    assert not [r for r in routes if "<int:" in r]


@pytest.mark.parametrize("huge", [MAX_ID + 1, 10**30])
def test_an_id_beyond_64_bits_is_a_404_on_every_page(db, sd, huge):
    client = Client()
    client.force_login(sd.province_admin)
    for route in _id_routes():
        url = "/" + re.sub(r"<id:\w+>", str(huge), re.sub(r"<str:\w+>", "x", route))
        for method in (client.get, client.post):
            assert method(url).status_code == 404, url
