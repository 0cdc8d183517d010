"""The rights pages as the county rights officer uses them: the rates with drill-down and the enterprises lacking a
congress, recording a congress and a session through the forms (a refusal shown beside its field, nothing changed),
a contract signed, filed and then flagged as expiring, the expiring list in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from gongjiang.rights import services
from gongjiang.rights.models import Congress, Contract, Session

from .factories import rights

D = datetime.date


@pytest.fixture
def rw(sd):
    return rights(sd)


def test_rates_drill_down_and_the_enterprises_to_follow_up(rw, sd, client):
    rw.congress()
    rw.contract()
    client.force_login(sd.county_cadre)
    page = client.get(reverse("rights:rates") + f"?org={sd.lixia.pk}&year=2026").content.decode()
    assert "解放路街道总工会" in page or sd.town.display_name in page
    own = client.get(reverse("rights:rates") + f"?org={sd.town.pk}&year=2026")
    assert own.status_code == 200
    gaps = client.get(reverse("rights:lacking") + f"?org={sd.lixia.pk}&year=2026&item=congress").content.decode()
    assert rw.small.name in gaps and sd.steel.name not in gaps
    gaps = client.get(reverse("rights:lacking") + f"?org={sd.lixia.pk}&year=2026&item=women").content.decode()
    assert rw.small.name in gaps and sd.steel.name in gaps
    export = client.get(reverse("rights:rates") + f"?org={sd.lixia.pk}&year=2026&export=xlsx")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_a_county_officer_records_a_congress_and_a_quorum_is_enforced(rw, sd, client):
    client.force_login(sd.county_cadre)
    r = client.post(reverse("rights:congress_new", args=[rw.small.pk]),
                    {"form": "assembly", "established_on": "2025-04-01", "term_years": 3})
    congress = Congress.objects.get(org=rw.small)
    assert r.status_code == 302 and r["Location"] == congress.get_absolute_url()
    c = rw.congress()  # the steel works', nine delegates
    r = client.post(reverse("rights:session_new", args=[c.pk]), {"held_on": "2025-03-01", "present": 5,
                                                                 "kind": "regular"})
    assert r.status_code == 400 and "two thirds" in r.content.decode()
    assert not Session.objects.exists()
    r = client.post(reverse("rights:session_new", args=[c.pk]), {"held_on": "2025-03-01", "present": 8,
                                                                 "kind": "regular"})
    assert r.status_code == 302 and Session.objects.get().present == 8
    page = client.get(c.get_absolute_url()).content.decode()
    assert "李强" in page


def test_a_delegate_from_another_enterprise_cannot_be_chosen(rw, sd, client):
    c = rw.congress(delegates=0)
    client.force_login(sd.enterprise_cadre)
    r = client.post(reverse("rights:delegates_add", args=[c.pk]), {"people": [sd.qd_person.pk],
                                                                   "elected_on": "2024-03-01"})
    assert r.status_code == 400 and not c.delegates.exists()


def test_a_wage_contract_signed_filed_and_flagged_as_expiring(rw, sd, client):
    today = datetime.date.today()
    client.force_login(sd.enterprise_cadre)
    r = client.post(reverse("rights:contract_new", args=[sd.steel.pk]), {
        "kind": "wages", "title": "济钢工资专项集体合同", "employer_party": "济南钢铁集团有限公司",
        "starts_on": (today - datetime.timedelta(days=700)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=30)).isoformat(), "workers": 3000, "wage_increase": "5"})
    contract = Contract.objects.get()
    assert r.status_code == 302 and contract.state == "draft"
    bad = client.post(reverse("rights:contract_new", args=[sd.steel.pk]), {
        "kind": "wages", "title": "重叠", "employer_party": "济钢", "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=300)).isoformat(), "workers": 10})
    assert bad.status_code == 400 and Contract.objects.count() == 1
    client.post(reverse("rights:contract_action", args=[contract.pk, "sign"]),
                {"on": (today - datetime.timedelta(days=700)).isoformat()})
    client.post(reverse("rights:contract_action", args=[contract.pk, "file"]),
                {"on": (today - datetime.timedelta(days=690)).isoformat(), "filed_with": "济南市人社局"})
    assert Contract.objects.get().state == "filed"
    client.force_login(sd.county_cadre)
    listing = client.get(reverse("rights:expiring")).content.decode()
    assert "济钢工资专项集体合同" in listing
    assert "expiring-note" in client.get(contract.get_absolute_url()).content.decode()


def test_the_expiring_list_costs_the_same_for_many_contracts(rw, sd, client, django_assert_max_num_queries):
    today = datetime.date.today()
    for kind in ("wages", "women", "safety", "comprehensive"):
        rw.contract(kind=kind, starts_on=today - datetime.timedelta(days=300),
                    ends_on=today + datetime.timedelta(days=20))
    client.force_login(sd.county_cadre)
    client.get(reverse("rights:expiring"))
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("rights:expiring")).status_code == 200
    n = len(few.captured_queries)
    for kind in ("wages", "women", "safety"):  # regional contracts of the town, covering the small firm
        c = services.draft_contract(actor=sd.county_cadre, org=sd.town, kind=kind, title=f"区域合同{kind}",
                                    employer_party="街道企业协会", starts_on=today - datetime.timedelta(days=300),
                                    ends_on=today + datetime.timedelta(days=10), coverage=[(rw.small, 30)])
        services.sign_contract(actor=sd.county_cadre, contract=c, signed_on=today - datetime.timedelta(days=300))
    with django_assert_max_num_queries(n):
        page = client.get(reverse("rights:expiring")).content.decode()
    assert "区域合同women" in page and Contract.objects.count() == 7


def test_the_to_do_of_the_county_union(rw, sd):
    from gongjiang.core import registry

    rw.congress()
    items = [i for i in registry.todo_items(sd.county_cadre) if i.app == "rights"]
    assert any("1" in i.label and "lacking" in i.url for i in items)
