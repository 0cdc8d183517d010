"""The honours pages: who sees what (out of scope is a 404), the forms with their refusals on the fields (nothing
changed), the quota table in a constant number of queries, the materials served only through the scope."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.honours import services
from gongjiang.honours.models import Allocation, Campaign, HonourType, Nomination
from gongjiang.honours.rules.quotas import Share
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import id_number, org

from .factories import DEEDS, pdf
from .test_services import rows


def test_every_cadre_reads_the_honour_types_and_only_the_province_changes_them(client, hw):
    client.force_login(hw.sd.jinan_cadre)
    page = client.get(reverse("honours:type_list"))
    assert page.status_code == 200 and "省工人先锋号" in page.content.decode()
    assert client.get(reverse("honours:type_create")).status_code == 403
    client.force_login(hw.sd.province_admin)
    assert client.get(reverse("honours:type_create")).status_code == 200
    before = rows()
    bad = client.post(reverse("honours:type_create"), {"code": "x", "name": "新荣誉", "level": "province",
                                                        "subject": "person", "term_years": 1, "front_line_share": 0,
                                                        "min_years": 0, "min_age": 50, "max_age": 30})
    assert bad.status_code == 400 and "The maximum age is below the minimum age." in bad.content.decode()
    assert rows() == before
    t = HonourType.objects.get(code="gold_worker")
    ok = client.post(reverse("honours:type_edit", args=[t.pk]), {
        "code": "ignored", "name": t.name, "level": t.level, "subject": t.subject, "term_years": 2,
        "front_line_share": 80, "leader_share": 0, "max_age": 55, "min_years": 5, "clean_record": "on",
        "excludes": ["gold_worker"]})
    assert ok.status_code == 302
    t.refresh_from_db()
    assert (t.code, t.term_years) == ("gold_worker", 2)


def test_the_campaigns_are_seen_below_their_organiser(client, hw):
    for who in (hw.sd.province_admin, hw.sd.jinan_cadre, hw.sd.qingdao_cadre, hw.sd.enterprise_cadre):
        client.force_login(who)
        assert client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk])).status_code == 200
    client.force_login(hw.sd.worker)
    assert client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("honours:campaign_list")).status_code == 302


def test_the_province_opens_a_campaign_from_the_page_and_a_bad_one_names_its_field(client, hw):
    client.force_login(hw.sd.province_admin)
    url = reverse("honours:campaign_create") + f"?org={hw.sd.province.pk}"
    assert client.get(url).status_code == 200
    data = {"honour_type": HonourType.objects.get(code="province_may_day_award").pk, "title": "省五一劳动奖状评选",
            "year": hw.pioneer.year, "opens_on": hw.pioneer.opens_on, "submit_until": hw.pioneer.submit_until,
            "total": 5, "reserve_non_public": 6, "reserve_front_line": 0, "reserve_women": 0, "materials": ["form"]}
    before = rows()
    bad = client.post(url, data)
    assert bad.status_code == 400 and "more than its quota" in bad.content.decode()
    assert rows() == before
    ok = client.post(url, {**data, "reserve_non_public": 1})
    assert ok.status_code == 302
    client.force_login(hw.sd.jinan_cadre)
    assert client.get(reverse("honours:campaign_create") + f"?org={hw.sd.province.pk}").status_code == 404
    assert client.get(reverse("honours:campaign_create") + f"?org={hw.sd.jinan.pk}").status_code == 200  # its own


def test_the_quota_table_shows_allocated_reserved_and_nominated_per_union(client, hw):
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=hw.team_nomination())
    client.force_login(hw.sd.province_admin)
    page = client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk]))
    table = [r.allocation if hasattr(r, "allocation") else r for r in page.context["rows"]]
    assert [(a.org.name, a.quota, a.reserve_non_public, a.nominated) for a in table] == [
        ("济南市总工会", 8, 2, 1), ("青岛市总工会", 6, 1, 0), ("山东省冶金工会", 4, 1, 0)]
    client.force_login(hw.sd.jinan_cadre)
    page = client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk]))
    assert page.context["allocation"].org == hw.sd.jinan
    assert [(a.org.name, a.quota, a.nominated) for a in page.context["rows"]] == [("历下区总工会", 3, 1)]
    exported = client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk]) + "?export=xlsx")
    assert exported.status_code == 200 and exported.content[:4] == b"PK\x03\x04"
    client.force_login(hw.sd.qingdao_cadre)
    assert client.get(reverse("honours:campaign_detail", args=[hw.pioneer.pk]) + f"?org={hw.sd.jinan.pk}"
                      ).status_code == 404


def test_the_quota_table_costs_the_same_queries_for_3_or_30_unions(client, hw):
    client.force_login(hw.sd.province_admin)
    url = reverse("honours:campaign_detail", args=[hw.pioneer.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    cities = [org(hw.sd.province, f"第{i}市总工会", OrgKind.CITY) for i in range(27)]
    root = hw.root()
    shares = {hw.sd.jinan: Share(8, {"non_public": 2, "front_line": 6}), **{c: Share(0) for c in cities[:0]}}
    Allocation.objects.bulk_create([Allocation(campaign=hw.pioneer, org=c, parent=root, quota=0) for c in cities])
    assert shares
    with CaptureQueriesContext(connection) as big:
        page = client.get(url)
    assert len(page.context["rows"]) == 30
    assert len(big) == len(small), [q["sql"] for q in big]


def test_a_city_splits_its_quota_on_the_page_and_a_bad_split_changes_nothing(client, hw):
    jinan = hw.share(hw.sd.jinan)
    url = reverse("honours:campaign_allocate", args=[hw.pioneer.pk, jinan.pk])
    client.force_login(hw.sd.county_cadre)
    assert client.get(url).status_code == 404  # 历下 may not open Jinan's split
    client.force_login(hw.sd.jinan_cadre)
    assert client.get(url).status_code == 200
    lixia = hw.sd.lixia.pk
    before = rows()
    bad = client.post(url, {f"q{lixia}": 9, f"r{lixia}_non_public": 2, f"r{lixia}_front_line": 6})
    assert bad.status_code == 400 and "more than the 8 to share" in bad.content.decode()
    assert rows() == before
    ok = client.post(url, {f"q{lixia}": 5, f"r{lixia}_non_public": 2, f"r{lixia}_front_line": 5})
    assert ok.status_code == 302
    assert hw.share(hw.sd.lixia).quota == 5


def test_an_enterprise_nominates_a_team_attaches_materials_and_submits(client, hw):
    client.force_login(hw.sd.enterprise_cadre)
    url = reverse("honours:nomination_create", args=[hw.pioneer.pk]) + f"?unit={hw.sd.steel.pk}"
    assert client.get(url).status_code == 200
    made = client.post(url, {"nominee_org": hw.sd.team.pk, "front_line": "on", "deeds": DEEDS})
    assert made.status_code == 302
    n = Nomination.objects.get()
    page = reverse("honours:nomination_detail", args=[n.pk])
    refused = client.post(reverse("honours:nomination_submit", args=[n.pk]), follow=True)
    assert "The nomination is incomplete" in refused.content.decode()
    bad = client.post(page, {"step": "files", "kind": "form", "files": [pdf("x.exe", b"MZ" + b"\0" * 40)]})
    assert bad.status_code == 400 and "only these file types are accepted" in bad.content.decode()
    for kind in ("form", "deeds"):
        assert client.post(page, {"step": "files", "kind": kind, "files": [pdf()]}).status_code == 302
    client.post(reverse("honours:nomination_submit", args=[n.pk]))
    n.refresh_from_db()
    assert n.state == "submitted"
    f = n.files.first()
    assert client.get(f.get_absolute_url()).status_code == 200
    client.force_login(hw.sd.qingdao_cadre)
    assert client.get(f.get_absolute_url()).status_code == 404
    assert client.get(page).status_code == 404


def test_a_person_is_found_by_id_number_in_the_unions_roster(client, hw):
    client.force_login(hw.sd.enterprise_cadre)
    url = reverse("honours:nomination_create", args=[hw.medal.pk]) + f"?unit={hw.sd.steel.pk}"
    before = rows()
    bad = client.post(url, {"id_number": "370102198503070000", "years_in_trade": 8, "deeds": DEEDS})
    assert bad.status_code == 400 and "check" in bad.content.decode().lower()
    unknown = client.post(url, {"id_number": id_number(), "years_in_trade": 8, "deeds": DEEDS})
    assert "No one with this ID number" in unknown.content.decode()
    assert rows() == before
    ok = client.post(url, {"id_number": hw.sd.worker_person.id_number, "person_name": "李强", "years_in_trade": 8,
                           "deeds": DEEDS})
    assert ok.status_code == 302
    again = client.post(url, {"id_number": hw.sd.worker_person.id_number, "years_in_trade": 8, "deeds": DEEDS})
    assert again.status_code == 400 and "already nominated" in again.content.decode()


def test_the_menu_shows_honours_to_cadres(client, hw):
    client.force_login(hw.sd.jinan_cadre)
    page = client.get(reverse("honours:campaign_list")).content.decode()
    assert reverse("honours:type_list") in page and Campaign.objects.first().title in page
