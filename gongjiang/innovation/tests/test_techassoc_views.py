"""The technical association pages as a cadre and an officer use them: the network as an indented tree with each
association's members and activities, founding an association, an association's page with its figures of this year
and last (its own and with the associations below), its council, its members and activities with their filters,
sorting and Excel exports — each list and page in a constant number of queries —, bad input on a form shown as a
message naming the field with nothing changed, the menu, the officer's landing and the search."""

from __future__ import annotations

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.core import registry
from gongjiang.innovation.choices import ActivityKind, Honour
from gongjiang.innovation.models import TechAssociation

from .techassoc_factories import Tech
from .test_services import rows


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, data or {})
        assert r.status_code == 200, url
    return len(ctx.captured_queries)


def _sheet(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_network_is_a_tree_and_exports(client, ta: Tech):
    client.force_login(ta.sd.province_admin)
    page = client.get(reverse("innovation:techassoc_list")).content.decode()
    assert page.index("山东省职工技术协会") < page.index("济南市职工技术协会") < page.index("济钢职工技术协会")
    assert "lvl-2" in page  # 济钢 sits two levels below the province
    sheet = _sheet(client.get(reverse("innovation:techassoc_list"), {"export": "xlsx"}))
    assert [r[1] for r in sheet[1:]] == ["山东省职工技术协会", "济南市职工技术协会", "济钢职工技术协会",
                                         "青岛市职工技术协会"]
    client.force_login(ta.sd.qingdao_cadre)
    page = client.get(reverse("innovation:techassoc_list"), {"q": "济"}).content.decode()
    assert "济钢职工技术协会" not in page


def test_a_county_cadre_founds_the_county_association(client, ta: Tech):
    client.force_login(ta.sd.county_cadre)
    r = client.get(reverse("innovation:techassoc_found"), {"org": ta.sd.lixia.pk})
    assert r.status_code == 200 and "历下区职工技术协会" in r.content.decode()
    before = rows()
    r = client.post(reverse("innovation:techassoc_found"), {"org": ta.sd.lixia.pk, "name": "",
                                                            "founded_on": "2019-03-01"})
    assert r.status_code == 400 and rows() == before
    r = client.post(reverse("innovation:techassoc_found"), {"org": ta.sd.lixia.pk, "name": "历下区职工技术协会",
                                                            "founded_on": "2019-03-01"})
    a = TechAssociation.objects.get(org=ta.sd.lixia)
    assert r.status_code == 302 and r["Location"] == a.get_absolute_url()
    page = client.get(a.get_absolute_url()).content.decode()
    assert "济南市职工技术协会" in page and "济钢职工技术协会" in page  # under Jinan's, above 济钢's


def test_an_associations_page_shows_figures_council_and_exports_them(client, ta: Tech):
    li = ta.join()
    ta.council(li)
    ta.service(held_on=datetime.date(datetime.date.today().year, 1, 2))
    client.force_login(ta.sd.jinan_cadre)
    page = client.get(reverse("innovation:techassoc_detail", args=[ta.steel.pk])).content.decode()
    assert "李强" in page and 'id="council-form"' in page and "12.00" in page
    sheet = _sheet(client.get(reverse("innovation:techassoc_detail", args=[ta.steel.pk]), {"export": "xlsx"}))
    assert sheet[0][0] == "Figures of" and any(r[-1] == 12 for r in sheet[1:])


def test_the_members_list_filters_sorts_and_exports(client, ta: Tech):
    ta.join()
    ta.join(ta.welder, trade="焊工", honours=[(Honour.GOLD_WORKER, 2023, "山东省总工会")])
    client.force_login(ta.officer)
    url = reverse("innovation:techassoc_members", args=[ta.steel.pk])
    page = client.get(url, {"honour": Honour.GOLD_WORKER}).content.decode()
    assert "王焊" in page and "李强" not in page
    sheet = _sheet(client.get(url, {"export": "xlsx", "sort": "name"}))
    assert [r[0] for r in sheet[1:]] == sorted(["王焊", "李强"]) and "Gold-medal worker（2023）" in sheet[
        [r[0] for r in sheet].index("王焊")][4]


def test_a_join_refused_by_the_verb_is_a_message_naming_the_field_and_nothing_changes(client, ta: Tech):
    ta.join(association=ta.jinan, actor=ta.sd.jinan_cadre)  # 李强 is Jinan's member
    client.force_login(ta.sd.enterprise_cadre)
    url = reverse("innovation:techassoc_join", args=[ta.steel.pk])
    before = rows()
    r = client.post(url, {"name": "李强", "trade": "炼钢工", "joined_on": "2025-01-01"})
    assert r.status_code == 302 and rows() == before
    follow = client.get(r["Location"])
    errors = [str(m) for m in follow.context["messages"] if m.level_tag == "error"]
    assert errors and "济南市职工技术协会" in errors[0] and "transfer" in errors[0]
    r = client.post(url, {"name": "李强", "trade": "炼钢工", "joined_on": "2099-01-01"})
    follow = client.get(r["Location"])
    assert next(str(m) for m in follow.context["messages"]).startswith("Joined on")
    # the transfer box: recorded in both associations
    client.post(url, {"name": "李强", "trade": "炼钢工", "joined_on": "2025-01-01", "transfer": "on"})
    assert ta.steel.members.get(left_on__isnull=True).transferred_from.association == ta.jinan


def test_an_activity_with_a_negative_value_is_refused_naming_the_value(client, ta: Tech):
    client.force_login(ta.sd.enterprise_cadre)
    url = reverse("innovation:techassoc_activity_new", args=[ta.steel.pk])
    before = rows()
    data = {"kind": ActivityKind.SERVICE, "title": "诊断服务", "held_on": "2025-04-01", "unit": ta.sd.steel.pk,
            "participants": "5", "client": "某厂", "value_wan": "-1"}
    follow = client.get(client.post(url, data)["Location"])
    assert "contract value" in next(str(m) for m in follow.context["messages"]).lower()
    data.update(value_wan="2.5", client="", unit=ta.sd.qd_enterprise.pk)
    follow = client.get(client.post(url, data)["Location"])
    assert rows() == before
    data.update(client="某厂", unit=ta.sd.workshop.pk, members="李强")
    follow = client.get(client.post(url, data)["Location"])
    assert "李强" in next(str(m) for m in follow.context["messages"])  # not a member
    ta.join()
    client.post(url, data)
    x = ta.steel.activities.get()
    assert x.value == 25000 and x.involved.count() == 1
    page = client.get(reverse("innovation:techassoc_activity", args=[ta.steel.pk, x.pk])).content.decode()
    assert 'id="close"' in page and "2.50" in page


def test_the_lists_and_pages_cost_a_constant_number_of_queries(client, ta: Tech):
    ta.council(ta.join())
    ta.service()
    client.force_login(ta.sd.enterprise_cadre)
    urls = [reverse("innovation:techassoc_list"), reverse("innovation:techassoc_detail", args=[ta.steel.pk]),
            reverse("innovation:techassoc_members", args=[ta.steel.pk]),
            reverse("innovation:techassoc_activities", args=[ta.steel.pk])]
    few = [_queries(client, u) for u in urls]
    for i in range(6):
        from gongjiang.orgs.tests.factories import person

        w = person(ta.sd.team, f"工人{i}")
        m = ta.join(w, honours=[(Honour.TECH_EXPERT, 2020, ""), (Honour.CRAFTSMAN, 2021, "")])
        ta.service(members=[m], title=f"服务{i}")
    ta.council(m, number=2, starts_on=datetime.date(2025, 1, 1))
    assert [_queries(client, u) for u in urls] == few


def test_the_menu_the_officers_landing_and_the_search(client, ta: Tech):
    def menu(user):
        return [i["url_name"] for s in registry.navigation(user, "") for i in s["items"]]

    assert "innovation:techassoc_list" in menu(ta.sd.county_cadre)
    assert "innovation:techassoc_list" in menu(ta.officer)
    assert "innovation:techassoc_list" not in menu(ta.sd.worker)
    client.force_login(ta.officer)
    assert client.get("/")["Location"].endswith(reverse("innovation:techassoc_list"))
    found = registry.search(ta.officer, "济钢")
    assert "innovation_techassoc" in [g["key"] for g in found]
