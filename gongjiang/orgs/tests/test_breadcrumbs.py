"""Breadcrumbs link only where the user may go: for each persona, every page that shows a trail (org pages and
forms, people lists and pages, roster imports, the overview, the transfer form) shows the unions above the
persona's scope as plain text, and every crumb that is a link opens with 200 — never Django's 404 page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongjiang.core.templatetags.crumbs import crumb_link
from gongjiang.orgs.models import Membership, Org, Person

NAV = re.compile(r'<nav class="breadcrumbs".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')
TEXT = re.compile(r'<span class="crumb-text">([^<]+)</span>')
UNIT_LINK = re.compile(r'<dt>[^<]*</dt><dd><a href="(/orgs/\d+/)">')  # the person page's 所在单位


def crumbs(html: str) -> tuple[list[str], list[str]]:
    """(the links, the plain-text crumbs) of the page's breadcrumbs."""
    nav = NAV.search(html)
    if nav is None:
        return [], []
    return HREF.findall(nav.group(0)), TEXT.findall(nav.group(0))


def pages_of(client, user) -> list[str]:
    """Every page the user can open that draws a trail of unions."""
    urls = [reverse("orgs:home")]
    for o in Org.objects.for_user(user):
        urls += [reverse("orgs:org_detail", args=[o.pk]), reverse("orgs:person_list") + f"?org={o.pk}",
                 reverse("core:import_list") + f"?org={o.pk}"]
        if o.can_change(user):
            urls += [reverse("orgs:org_edit", args=[o.pk]), reverse("orgs:org_create", args=[o.pk])]
    for p in Person.objects.for_user(user):
        urls.append(reverse("orgs:person_detail", args=[p.pk]))
        if p.can_change(user):
            urls += [reverse("orgs:person_edit", args=[p.pk]), reverse("orgs:transfer_request", args=[p.pk])]
    return urls


PERSONAS = {
    # persona: the unions above its scope that its trails name as plain text
    "jinan_cadre": {"省总工会"},
    "qingdao_cadre": {"省总工会"},
    "county_cadre": {"省总工会", "济南市总工会"},
    "enterprise_cadre": {"省总工会", "济南市总工会", "历下区总工会", "解放路街道总工会"},
    # The org pages follow the industry tree for it (山东省冶金工会 › 济钢 …); a worker's page shows where the unit
    # lies in its region, the regional unions as text.
    "industry_cadre": {"省总工会", "济南市总工会", "历下区总工会", "解放路街道总工会"},
}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_no_crumb_links_out_of_the_personas_scope_and_every_link_opens(client, sd, persona):
    user = getattr(sd, persona)
    Membership.objects.create(person=sd.worker_person, union=sd.steel)  # the transfer form needs a member
    client.force_login(user)
    seen_links: set[str] = set()
    seen_text: set[str] = set()
    pages = pages_of(client, user)
    assert pages
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        links, text = crumbs(html)
        seen_links.update(links)
        seen_text.update(text)
        seen_links.update(UNIT_LINK.findall(html))
    assert seen_links, "the personas' trails link to their own unions"
    for href in sorted(seen_links):
        pk = int(href.strip("/").split("/")[-1])
        assert Org.objects.get(pk=pk).can_open(user), href
        assert client.get(href).status_code == 200, href
    assert seen_text == PERSONAS[persona]


def test_a_worker_sees_their_units_as_plain_text(client, sd):
    client.force_login(sd.worker)
    for url in [reverse("orgs:my_record"), reverse("orgs:person_detail", args=[sd.worker_person.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        links, _text = crumbs(html)
        assert not links and not UNIT_LINK.findall(html), url
        assert "/orgs/" not in html, url  # no link to any union's page: a worker opens none
    assert client.get(reverse("orgs:org_detail", args=[sd.team.pk])).status_code == 404


def test_the_decision_is_the_orgs_own_and_fails_closed(sd):
    from django.contrib.auth.models import AnonymousUser

    assert crumb_link(sd.team, sd.enterprise_cadre) == reverse("orgs:org_detail", args=[sd.team.pk])
    assert crumb_link(sd.jinan, sd.enterprise_cadre) == ""  # above the cadre's union
    assert crumb_link(sd.steel, sd.industry_cadre) != ""  # affiliated to the industry union
    assert crumb_link(sd.town, sd.industry_cadre) == ""  # the enterprise's regional chain is not theirs
    assert crumb_link(sd.team, AnonymousUser()) == ""
    assert crumb_link(object(), sd.province_admin) == ""  # an object that cannot say: no link
