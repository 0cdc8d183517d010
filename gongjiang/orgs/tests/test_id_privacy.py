"""A role that may not see ID numbers must not be able to rebuild them from what it does see.

The attack that worked on the old mask (3701**********1234 beside the birth date): the hidden digits were only
the two county digits, and trying the city's counties against the check character left one number. Here the
attacker is a cadre of each non-administrator kind (the county's staff, the enterprise's staff, the city's
viewer). It collects everything it is shown of 60 workers born in the counties of Jinan — the people list, each
person's page, the Excel export, the API's list and detail — keeps, per person, every character of the number
any output shows and the most precise birth information any output gives, and then tries every number those
facts allow, with the check character as a filter. Even told the worker's exact county of birth (which the
attacker can only guess from the unit), it must be left with many candidates for every worker.
"""

from __future__ import annotations

import datetime
import io
import random
import re
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from lxml import html
from openpyxl import load_workbook

from gongjiang.core.ids import id_check_char, parse_id_card
from gongjiang.orgs.models import Person
from gongjiang.orgs.tests import factories as of

JINAN_COUNTIES = ["370102", "370103", "370104", "370105", "370112", "370113", "370114", "370115", "370116",
                  "370117", "370124", "370126"]
# Fewer candidates than this, even for one worker, and a guess is too likely to be right.
ENOUGH = 20


@pytest.fixture
def workers(sd: Any) -> list[Person]:
    rng = random.Random(20261206)
    people = []
    for i in range(60):
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 35))
        number = of.id_number(rng.choice(JINAN_COUNTIES), birth, seq=rng.randrange(500) * 2)
        people.append(of.person(rng.choice([sd.steel, sd.workshop, sd.team]), f"职工{i:02d}", id_number=number))
    return people


class Known:
    """What the attacker has learnt of one person's number."""

    def __init__(self) -> None:
        self.chars: dict[int, str] = {}
        self.birth_date: datetime.date | None = None
        self.birth_year: int | None = None

    def mask(self, value: str) -> None:
        value = value.strip()
        if value.startswith("…"):
            value = "*" * 14 + value[1:]
        if len(value) == 18:
            self.chars.update({i: c for i, c in enumerate(value) if c != "*"})

    def birth(self, value: Any) -> None:
        text = str(value or "").strip()
        if m := re.search(r"(\d{4})-(\d{2})-(\d{2})", text):
            self.birth_date = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        elif m := re.search(r"(\d{4})", text):
            self.birth_year = int(m[1])


def _gather(user: Any, workers: list[Person], sd: Any) -> dict[int, Known]:
    """Everything `user` is shown of the workers: list page, person pages, export, API list and detail."""
    client = Client()
    client.force_login(user)
    known: dict[int, Known] = defaultdict(Known)
    by_name = {p.name: p.pk for p in workers}
    page = client.get("/people/", {"org": sd.steel.pk, "per_page": 200})
    assert page.status_code == 200
    for row in html.fromstring(page.content).iter("tr"):
        cells = [c.text_content().strip() for c in row.iter("td")]
        pk = next((by_name[c] for c in cells if c in by_name), None)
        for c in cells if pk else []:
            known[pk].mask(c)
            known[pk].birth(c if re.fullmatch(r"\d{4}-\d{2}-\d{2}", c) else "")
    export = client.get("/people/", {"org": sd.steel.pk, "export": "xlsx"})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content), read_only=True).active.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    for row in rows[1:]:
        if row[0] in by_name:
            k = known[by_name[row[0]]]
            k.mask(str(row[1]))
            k.birth(row[header.index(next(h for h in header if "出生" in h or "irth" in h))])
    for p in workers:
        doc = html.fromstring(client.get(f"/people/{p.pk}/").content)
        known[p.pk].mask(doc.get_element_by_id("person-id").text_content().split()[0])
        for dt in doc.iter("dt"):
            if "irth" in dt.text_content() or "出生" in dt.text_content():
                known[p.pk].birth(dt.getnext().text_content())
        detail = client.get(f"/api/v1/people/{p.pk}").json()
        known[p.pk].mask(detail["id_masked"])
        known[p.pk].birth(detail["birth_date"] or detail["birth_year"])
    listed = client.get("/api/v1/people", {"org": sd.steel.pk, "limit": 200}).json()["items"]
    for item in listed:
        if item["id"] in known:
            known[item["id"]].mask(item["id_masked"])
            known[item["id"]].birth(item["birth_date"] or item["birth_year"])
    return known


def candidates(k: Known, region: str) -> list[str]:
    """Every valid number that agrees with what is known, for a worker born in `region`."""
    if k.birth_date:
        days = [k.birth_date]
    else:
        assert k.birth_year, "the attacker learnt nothing of the birth"
        start = datetime.date(k.birth_year, 1, 1)
        days = [start + datetime.timedelta(days=i) for i in range(366)
                if (start + datetime.timedelta(days=i)).year == k.birth_year]
    shown_seq = "".join(k.chars.get(i, "") for i in (14, 15, 16))
    sequences = [int(shown_seq)] if len(shown_seq) == 3 else range(1000)
    found = []
    for day in days:
        for seq in sequences:
            first17 = f"{region}{day:%Y%m%d}{seq:03d}"
            if any(first17[i] != c for i, c in k.chars.items() if i < 17):
                continue
            number = first17 + id_check_char(first17)
            if 17 in k.chars and number[17] != k.chars[17]:
                continue
            found.append(number)
    return found


@pytest.mark.parametrize("attacker", ["county_cadre", "enterprise_cadre", "jinan_viewer"])
def test_what_a_role_without_id_rights_sees_never_rebuilds_a_number(sd, workers, attacker):
    known = _gather(getattr(sd, attacker), workers, sd)
    assert set(known) == {p.pk for p in workers}
    fewest = None
    for p in workers:
        number = p.id_number
        k = known[p.pk]
        assert k.chars, "the mask was found"
        found = candidates(k, number[:6])  # told the very county of birth
        assert number in found  # the attack is sound: the truth is among its candidates
        fewest = len(found) if fewest is None else min(fewest, len(found))
        assert len(found) >= ENOUGH, (p.name, k.chars, k.birth_date, k.birth_year, len(found))
    assert fewest is not None and fewest >= ENOUGH


def test_the_same_attack_rebuilds_numbers_from_the_old_mask_and_a_birth_date():
    """The detector: the first four and the last four characters with the birth date leave one number."""
    number = of.id_number("370112", datetime.date(1983, 7, 14), seq=246)
    k = Known()
    k.mask(number[:4] + "*" * 10 + number[-4:])
    k.birth("1983-07-14")
    found = [n for region in JINAN_COUNTIES for n in candidates(k, region)]
    assert found == [number] or len(found) <= 2
    assert parse_id_card(number).number in found


def test_an_administrator_still_sees_the_birth_date_and_may_reveal_the_number(client, sd, workers):
    client.force_login(sd.jinan_cadre)
    p = workers[0]
    detail = client.get(f"/api/v1/people/{p.pk}").json()
    assert detail["birth_date"] == p.birth_date.isoformat() and detail["can_see_id"] is True
    assert client.post(f"/api/v1/people/{p.pk}/reveal-id").json()["id_number"] == p.id_number


def test_a_correction_cannot_be_used_to_try_birth_dates(client, sd, workers):
    """Sending the right birth date and a wrong one must get the same answer from someone who may not see the
    number (or the right one could be found by trying the 365 days of the year shown), on the page and in the
    API; the page's message never names the registered date."""
    p = workers[0]
    api = Client()
    api.force_login(sd.enterprise_cadre)
    right = api.patch(f"/api/v1/people/{p.pk}", {"birth_date": p.birth_date.isoformat()},
                      content_type="application/json")
    wrong = api.patch(f"/api/v1/people/{p.pk}", {"birth_date": "1970-01-01"}, content_type="application/json")
    assert right.status_code == wrong.status_code == 400
    assert right.json() == wrong.json()
    assert p.birth_date.isoformat() not in wrong.content.decode()
    # the administrator, who may see the number anyway, may send the date it holds
    admin = Client()
    admin.force_login(sd.jinan_cadre)
    assert admin.patch(f"/api/v1/people/{p.pk}", {"birth_date": p.birth_date.isoformat()},
                       content_type="application/json").status_code == 200
