"""The rights pages' markup: an enterprise's roster counts the people of its workshops and teams too (the org's
subtree), as the coverage rate's denominator does — not only the people employed by the union's own node; and every
class the templates use is one the style sheets define (an undefined class — `facts`, `warning` — left the
contract's terms as a bare list and the warnings unmarked)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .factories import rights

APP = Path(__file__).resolve().parents[1]
HOOKS = {"board"}  # classes that only name an element (styled inline)


def test_the_enterprise_record_and_the_lacking_list_count_the_whole_roster(sd, client):
    rw = rights(sd)  # 济钢: five people on the works itself, four in the workshop, 李强 in the team
    sd.steel.refresh_from_db()
    assert sd.steel.person_count == 5 and sd.steel.tree_people == len(rw.people) == 10
    client.force_login(sd.county_cadre)
    record = client.get(reverse("rights:enterprise", args=[sd.steel.pk])).content.decode()
    assert re.search(r"people on the roster\s+10\b", record), record[:3000]
    page = client.get(reverse("rights:lacking") + f"?org={sd.lixia.pk}&item=congress").content.decode()
    row = re.search(rf"<tr><td><a href=\"/rights/enterprises/{sd.steel.pk}/\">.*?</tr>", page, re.S)
    assert row is not None
    assert re.findall(r"<td>(\d+)</td>", row.group(0)) == ["3200", "10"]  # employees declared, people on the roster


def test_every_class_of_the_templates_is_styled():
    css = "".join(p.read_text() for p in Path(settings.BASE_DIR, "gongjiang").rglob("*.css"))
    defined = set(re.findall(r"\.([A-Za-z][\w-]*)", css))
    used = {c for t in (APP / "templates").rglob("*.html")
            for attr in re.findall(r'class="([^"{]*)"', t.read_text()) for c in attr.split()}
    assert used, "no template read"
    assert used - defined - HOOKS == set()
