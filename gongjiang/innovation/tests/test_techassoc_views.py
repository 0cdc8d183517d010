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


def _refused(r) -> dict[str, list[str]]:
    """The errors of the refused form a page shows again (400), by field."""
    assert r.status_code == 400
    names = ("profile_form", "council_form", "seat_form", "dissolve_form", "join_form", "activity_form", "hold_form",
             "close_form")
    bound = [r.context[n] for n in names if n in r.context and r.context[n] is not None and r.context[n].is_bound]
    assert len(bound) == 1, bound
    return {k: [str(e) for e in v] for k, v in bound[0].errors.items()}


def test_a_join_refused_by_the_verb_is_shown_again_with_the_error_and_nothing_changes(client, ta: Tech):
    ta.join(association=ta.jinan, actor=ta.sd.jinan_cadre)  # 李强 is Jinan's member
    client.force_login(ta.sd.enterprise_cadre)
    url = reverse("innovation:techassoc_join", args=[ta.steel.pk])
    before = rows()
    r = client.post(url, {"name": "李强", "trade": "炼钢工", "speciality": "转炉冶炼", "joined_on": "2025-01-01"})
    errors = _refused(r)
    assert rows() == before
    message = " ".join(e for found in errors.values() for e in found)
    assert "济南市职工技术协会" in message and "transfer" in message
    page = r.content.decode()
    assert 'value="转炉冶炼"' in page and 'value="2025-01-01"' in page  # what was typed stays
    r = client.post(url, {"name": "李强", "trade": "炼钢工", "joined_on": "2099-01-01"})
    assert "joined_on" in _refused(r) and 'value="2099-01-01"' in r.content.decode()
    # the transfer box: recorded in both associations
    client.post(url, {"name": "李强", "trade": "炼钢工", "joined_on": "2025-01-01", "transfer": "on"})
    assert ta.steel.members.get(left_on__isnull=True).transferred_from.association == ta.jinan


def test_an_activity_with_a_negative_value_is_refused_naming_the_value(client, ta: Tech):
    client.force_login(ta.sd.enterprise_cadre)
    url = reverse("innovation:techassoc_activity_new", args=[ta.steel.pk])
    before = rows()
    data = {"kind": ActivityKind.SERVICE, "title": "诊断服务", "held_on": "2025-04-01", "unit": ta.sd.steel.pk,
            "participants": "5", "client": "某厂", "value_wan": "-1"}
    r = client.post(url, data)
    assert "value_wan" in _refused(r) and 'value="诊断服务"' in r.content.decode()
    data.update(value_wan="2.5", client="", unit=ta.sd.qd_enterprise.pk)
    _refused(client.post(url, data))
    assert rows() == before
    data.update(client="某厂", unit=ta.sd.workshop.pk, members="李强")
    r = client.post(url, data)
    assert any("李强" in e for e in _refused(r)["members"])  # not a member
    assert 'value="某厂"' in r.content.decode()
    ta.join()
    client.post(url, data)
    x = ta.steel.activities.get()
    assert x.value == 25000 and x.involved.count() == 1
    page = client.get(reverse("innovation:techassoc_activity", args=[ta.steel.pk, x.pk])).content.decode()
    assert 'id="close"' in page and "2.50" in page


def test_every_refused_form_is_shown_again_with_what_was_typed_and_the_error_on_its_field(client, ta: Tech):
    """Each form of the technical association pages (the profile, a new term, a seat, dissolving, a member joining,
    an activity, holding and closing it): refused by the form or by the verb, the page comes back (400) with every
    value typed in its place and the error on the field it names — nothing changed."""
    li = ta.join()
    ta.council(li)
    planned = ta.service(held_on=datetime.date.today() + datetime.timedelta(days=20))
    held = ta.service(title="焊接工艺咨询")
    client.force_login(ta.sd.enterprise_cadre)
    pk = ta.steel.pk
    cases = [  # (url, what is posted, the field named, a value typed that must come back)
        (reverse("innovation:techassoc_edit", args=[pk]),
         {"name": "", "founded_on": "2015-05-01", "registration_no": "鲁民社登字第0999号"}, "name",
         "鲁民社登字第0999号"),
        (reverse("innovation:techassoc_council", args=[pk]),
         {"number": "2", "starts_on": "2026-01-01", "ends_on": "2030-12-31", "chair": "无名氏"}, "chair", "无名氏"),
        (reverse("innovation:techassoc_seat", args=[pk]), {"name": "张无忌", "post": "director"}, "name", "张无忌"),
        (reverse("innovation:techassoc_dissolve", args=[pk]), {"dissolved_on": "2025-02-03", "reason": ""},
         "reason", "2025-02-03"),
        (reverse("innovation:techassoc_join", args=[pk]),
         {"name": "赵不在", "trade": "钳工", "speciality": "装配", "joined_on": "2025-01-01"}, "name", "赵不在"),
        (reverse("innovation:techassoc_activity_new", args=[pk]),
         {"kind": ActivityKind.EXCHANGE, "title": "技术交流会", "held_on": "", "unit": ta.sd.steel.pk,
          "participants": "5"}, "held_on", "技术交流会"),
        (reverse("innovation:techassoc_activity_hold", args=[pk, planned.pk]),
         {"held_on": "2025-03-04", "participants": "-3"}, "participants", "2025-03-04"),
        (reverse("innovation:techassoc_activity_close", args=[pk, held.pk]), {"outcome": " "}, "outcome", ""),
    ]
    before = rows()
    for url, data, field, typed in cases:
        r = client.post(url, data)
        assert field in _refused(r), url
        assert typed in r.content.decode(), url
        assert 'class="field has-error' in r.content.decode(), url
    assert rows() == before


def test_a_refused_honour_or_leaving_reopens_the_members_row_with_what_was_typed(client, ta: Tech):
    li = ta.join()
    client.force_login(ta.sd.enterprise_cadre)
    before = rows()
    r = client.post(reverse("innovation:techassoc_honour", args=[ta.steel.pk, li.pk]),
                    {"honour": Honour.CRAFTSMAN, "year": "1900", "conferred_by": "济南市总工会（测）",
                     "next": reverse("innovation:techassoc_members", args=[ta.steel.pk])})
    page = r.content.decode()
    assert r.status_code == 400 and rows() == before
    assert r.context["failed"]["errors"][0].startswith("Year awarded")
    assert 'value="1900"' in page and 'value="济南市总工会（测）"' in page
    assert f'value="{Honour.CRAFTSMAN}" selected' in page
    # the next submit still goes back to the list, not to the POST's own address
    assert f'name="next" value="{reverse("innovation:techassoc_members", args=[ta.steel.pk])}"' in page
    r = client.post(reverse("innovation:techassoc_leave", args=[ta.steel.pk, li.pk]),
                    {"left_on": "2020-01-01", "reason": "调离本企业"})
    assert r.status_code == 400 and rows() == before
    assert r.context["failed"]["errors"] and 'value="调离本企业"' in r.content.decode()
    assert 'value="2020-01-01"' in r.content.decode()


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
