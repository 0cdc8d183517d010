"""The roster's pages and endpoints: a cadre's roster of their subtree with its filters and export (no ID number,
birth date or phone; audited), the statistics from the counters, a holder's record where a status is recorded and a
title revoked (refusals on the form, nothing changed), the honours on the person and org pages, the home panel, the
public roster (no login; never an ID number, a birth date, a gender or another status than revoked), each in a
constant number of queries."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.core.models import AuditEvent
from gongjiang.honours import services
from gongjiang.honours.models import Holder, HonourType
from gongjiang.orgs.tests.factories import person
from gongjiang.orgs.tests.test_api import Api, assert_error

from .factories import holder
from .test_services import rows

TODAY = timezone.localdate()


@pytest.fixture
def held(sd):
    """李强 of 济钢 (省五一劳动奖章 2020), 济钢's team (省工人先锋号 2021), 王芳 of Qingdao (省金牌职工 2022)."""
    return {"medal": holder("province_may_day_medal", person=sd.worker_person, year=2020),
            "team": holder("province_pioneer", org_=sd.team, year=2021),
            "qd": holder("gold_worker", person=sd.qd_person, year=2022)}


def test_a_city_cadre_sees_the_holders_of_the_city_only_and_filters_them(client, sd, held):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("honours:roster"))
    assert page.status_code == 200
    names = [h.name for h in page.context["page"].object_list]
    assert sorted(names) == sorted([held["medal"].name, held["team"].name])  # not Qingdao's
    medal = HonourType.objects.get(code="province_may_day_medal")
    for query, expected in [({"type": medal.pk}, [held["medal"].pk]), ({"year": 2021}, [held["team"].pk]),
                            ({"gender": sd.worker_person.gender}, [held["medal"].pk]),
                            ({"status": "revoked"}, []), ({"front_line": "1", "type": medal.pk}, [held["medal"].pk]),
                            ({"industry": sd.metallurgy.pk}, [held["team"].pk, held["medal"].pk]),
                            ({"city": sd.qingdao.pk}, [])]:
        found = client.get(reverse("honours:roster"), query).context["page"].object_list
        assert [h.pk for h in found] == expected, query


def test_a_worker_and_a_visitor_do_not_reach_the_roster(client, sd, held):
    assert client.get(reverse("honours:roster")).status_code == 302
    client.force_login(sd.worker)
    assert client.get(reverse("honours:roster")).status_code == 403
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("honours:holder_detail", args=[held["medal"].pk])).status_code == 404


def test_the_export_has_no_id_number_or_birth_date_and_is_audited(client, sd, held):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("honours:roster"), {"org": sd.jinan.pk, "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    p = sd.worker_person
    assert p.name in cells and p.id_number not in cells and p.id_masked not in cells
    assert p.birth_date.isoformat() not in cells and p.mobile not in cells
    assert AuditEvent.objects.filter(verb="honours.holder.exported").count() == 1
    client.force_login(sd.jinan_viewer)
    assert client.get(reverse("honours:roster"), {"org": sd.jinan.pk, "export": "xlsx"}).status_code == 403


def test_the_roster_keeps_a_constant_number_of_queries(client, sd, held):
    client.force_login(sd.jinan_cadre)
    url = reverse("honours:roster")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        holder("technical_expert", person=person(sd.team, f"工人{i}"), year=2015 + i % 10)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 32
    assert len(big) == len(small), [q["sql"] for q in big]


def test_the_statistics_by_city_and_industry_read_the_counters(client, sd, held):
    client.force_login(sd.province_admin)
    page = client.get(reverse("honours:roster_stats"), {"org": sd.province.pk})
    assert page.status_code == 200
    cities = {o.code: c for o, c in page.context["cities"]}
    assert cities["3701"] == {"holders": 2, "alive": 2, "active": 2} and cities["3702"]["holders"] == 1
    assert dict((o.code, c["holders"]) for o, c in page.context["industries"]) == {"37-YJ": 2}
    assert page.context["chart"]["cities"]["holders"] == [2, 1]
    url = reverse("honours:roster_stats")
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"org": sd.province.pk, "year": 2020})
    for i in range(20):
        holder("technical_expert", person=person(sd.qd_enterprise, f"工人{i}"), year=2020)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url, {"org": sd.province.pk, "year": 2020}).context["cities"][1][1]["holders"] == 20
    assert len(big) == len(small)


def test_a_cadre_records_a_retirement_and_a_bad_date_is_refused_on_the_form(client, sd, held):
    client.force_login(sd.enterprise_cadre)
    url = reverse("honours:holder_status", args=[held["medal"].pk])
    before = rows()
    bad = client.post(url, {"status": "retired", "on": "2019-01-01"})
    assert bad.status_code == 400 and "before 2020" in bad.content.decode()
    assert rows() == before
    ok = client.post(url, {"status": "retired", "on": TODAY.isoformat(), "reason": "到龄退休"})
    assert ok.status_code == 302
    page = client.get(reverse("honours:holder_detail", args=[held["medal"].pk]))
    assert "到龄退休" in page.content.decode() and page.context["holder"].status == "retired"


def test_the_province_revokes_a_title_on_its_page_and_a_city_is_not_offered_it(client, sd, held):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("honours:holder_detail", args=[held["medal"].pk]))
    assert not page.context["can_revoke"] and page.context["can_record"]
    url = reverse("honours:holder_revoke", args=[held["medal"].pk])
    before = rows()
    assert client.post(url, {"reason": "申报材料弄虚作假", "document": "x", "body": sd.province.pk}).status_code \
        in (400, 403)
    client.force_login(sd.province_admin)
    bad = client.post(url, {"reason": "", "document": "", "body": sd.province.pk})
    assert bad.status_code == 400 and rows() == before
    ok = client.post(url, {"reason": "申报材料弄虚作假", "document": "鲁工发〔2026〕12号", "body": sd.province.pk})
    assert ok.status_code == 302
    page = client.get(reverse("honours:holder_detail", args=[held["medal"].pk]))
    assert "鲁工发〔2026〕12号" in page.content.decode() and not page.context["can_revoke"]


def test_the_person_and_org_pages_show_their_honours(client, sd, held):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:person_detail", args=[sd.worker_person.pk])).content.decode()
    assert 'id="honours"' in page and "省五一劳动奖章" in page
    page = client.get(reverse("orgs:org_detail", args=[sd.team.pk])).content.decode()
    assert 'id="honours"' in page and "省工人先锋号" in page
    client.force_login(sd.worker)  # the worker's own record
    page = client.get(reverse("orgs:my_record")).content.decode()
    assert "省五一劳动奖章" in page


def test_the_home_panel_shows_the_holders_by_honour(client, sd, held):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:home"))
    panel = next(p for p in page.context["panels"] if p["key"] == "honours")
    assert {r["name"]: r["holders"] for r in panel["rows"]} == {"省五一劳动奖章": 1, "省工人先锋号": 1}
    assert 'id="honours-holders"' in page.content.decode()


def _never_private(text: str, sd) -> None:
    p = sd.worker_person
    for secret in (p.id_number, p.id_masked, p.id_number[-4:] + '"', p.birth_date.isoformat(),
                   p.birth_date.strftime("%Y年%m月%d日"), p.birth_date.strftime("%Y%m%d"), p.mobile):
        assert secret not in text, secret
    assert "retired" not in text.lower() and "退休" not in text and "gender" not in text.lower()


def test_the_public_roster_shows_name_unit_honour_year_and_revocation_only(client, sd, held):
    services.record_holder_status(actor=sd.enterprise_cadre, holder=held["medal"], status="retired", on=TODAY)
    services.revoke_honour(actor=sd.province_admin, holder=held["team"], reason="发生安全责任事故",
                           document="鲁工发〔2026〕3号", body=sd.province)
    client.logout()
    page = client.get(reverse("honours:public_roster"))
    assert page.status_code == 200
    html = page.content.decode()
    assert sd.worker_person.name in html and "Title revoked" in html and "省工人先锋号" in html
    _never_private(html, sd)
    data = Api().get("/honours/public/roster").json()
    assert {tuple(sorted(r)) for r in data["items"]} == {("honour", "name", "revoked", "unit", "year")}
    assert [r["revoked"] for r in data["items"] if r["honour"] == "省工人先锋号"] == [True]
    import json

    _never_private(json.dumps(data, ensure_ascii=False), sd)


def test_the_public_roster_ignores_the_private_filters(client, sd, held):
    """A filter by gender or age band would pin each name to them: the public page ignores them."""
    client.logout()
    all_rows = client.get(reverse("honours:public_roster")).context["rows"]
    other = "F" if sd.worker_person.gender == "M" else "M"
    assert client.get(reverse("honours:public_roster"), {"gender": other, "age": "u35"}).context["rows"] == all_rows
    assert len(Api().get("/honours/public/roster", gender=other, age="56_").json()["items"]) == 3


def test_the_public_roster_keeps_a_constant_number_of_queries(client, sd, held):
    client.logout()
    url = reverse("honours:public_roster")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(20):
        holder("technical_expert", person=person(sd.team, f"工人{i}"))
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)


def test_the_api_lists_filters_and_changes_within_the_scopes(sd, held):
    jinan = Api(sd.jinan_cadre)
    listed = jinan.get("/honours/roster").json()
    assert {h["id"] for h in listed["items"]} == {held["medal"].pk, held["team"].pk}
    assert "birth_year" not in listed["items"][0] and "birth_date" not in listed["items"][0]
    assert [h["id"] for h in jinan.get("/honours/roster", year=2020).json()["items"]] == [held["medal"].pk]
    assert Api(sd.qingdao_cadre).get(f"/honours/holders/{held['medal'].pk}").status_code == 404
    before = rows()
    assert_error(jinan.post(f"/honours/holders/{held['medal'].pk}/status", {"status": "retired", "on": "2019-01-01"}),
                 400, "invalid", "on")
    assert_error(Api(sd.province_admin).post(f"/honours/holders/{held['medal'].pk}/revoke", {}), 400, "invalid",
                 "reason")
    assert_error(jinan.post(f"/honours/holders/{held['medal'].pk}/revoke",
                            {"reason": "申报材料弄虚作假", "document": "1号", "body_id": sd.province.pk}), 403)
    assert rows() == before
    done = jinan.post(f"/honours/holders/{held['medal'].pk}/status", {"status": "retired", "on": TODAY.isoformat()})
    assert done.status_code == 200 and done.json()["status"] == "retired" and len(done.json()["events"]) == 1
    revoked = Api(sd.province_admin).post(f"/honours/holders/{held['medal'].pk}/revoke", {
        "reason": "申报材料弄虚作假", "document": "鲁工发〔2026〕12号", "body_id": sd.province.pk})
    assert revoked.status_code == 200 and revoked.json()["events"][-1]["document"] == "鲁工发〔2026〕12号"


def test_the_api_roster_keeps_a_constant_number_of_queries(sd, held):
    api = Api(sd.jinan_cadre)
    api.get("/honours/roster")
    with CaptureQueriesContext(connection) as small:
        api.get("/honours/roster")
    for i in range(20):
        holder("technical_expert", person=person(sd.team, f"工人{i}"))
    with CaptureQueriesContext(connection) as big:
        assert len(api.get("/honours/roster").json()["items"]) == 22
    assert len(big) == len(small)


def test_the_totals_read_from_the_counters_are_the_rows_counted(sd, held):
    from gongjiang.honours.queries import roster

    services.revoke_honour(actor=sd.province_admin, holder=held["team"], reason="发生安全责任事故",
                           document="鲁工发〔2026〕3号", body=sd.province)
    medal = HonourType.objects.get(code="province_may_day_medal")
    for params, org in [({}, None), ({"type": medal.pk}, None), ({"year": 2021}, None), ({"city": sd.jinan.pk}, None),
                        ({"industry": sd.metallurgy.pk, "year": 2021}, None), ({}, sd.jinan),
                        ({"year": 2022}, sd.qingdao), ({"city": sd.qingdao.pk, "type": medal.pk}, None)]:
        filters = roster.Filters.parse(params)
        total = roster.counted_total(filters, org)
        assert total is not None
        assert total == (roster.roster_for(sd.province_admin, filters, org).count() if org else
                         roster.public_roster(filters).count()), params
    assert roster.counted_total(roster.Filters.parse({"gender": "M"})) is None
    assert roster.counted_total(roster.Filters.parse({"city": sd.jinan.pk}), sd.jinan) is None


def test_the_public_roster_pages_by_keyset_through_every_holder_once(client, sd, held):
    """?after= / ?before= cursors (year.id): paging forward then back lists every holder once, in the roster's
    order, the filters kept; a malformed cursor shows the first page; a deep page costs what the first does."""
    from gongjiang.honours.queries import roster as reads
    from gongjiang.honours.views.roster import PER_PAGE

    for i in range(PER_PAGE + 7):
        holder("technical_expert", person=person(sd.team, f"技工{i}"), year=2015 + i % 9)
    client.logout()
    url = reverse("honours:public_roster")
    everyone = [r["id"] for r in reads.public_roster(reads.Filters())]
    first = client.get(url)
    assert first.context["total"] == len(everyone) and not first.context["prev_url"]
    seen = [r["name"] for r in first.context["rows"]]
    second = client.get(url + first.context["next_url"])
    assert not second.context["next_url"] and second.context["prev_url"] and second.context["first_url"] == "?"
    seen += [r["name"] for r in second.context["rows"]]
    names = dict(Holder.objects.values_list("id", "name"))
    assert seen == [names[pk] for pk in everyone]  # each once, in order
    back = client.get(url + second.context["prev_url"])
    assert [r["name"] for r in back.context["rows"]] == [r["name"] for r in first.context["rows"]]
    assert not back.context["prev_url"] and back.context["next_url"] == first.context["next_url"]
    assert client.get(url, {"after": "x.1"}).context["rows"] == first.context["rows"]
    # the filters are kept in the links
    typed = HonourType.objects.get(code="technical_expert")
    filtered = client.get(url, {"type": typed.pk})
    assert f"type={typed.pk}" in filtered.context["next_url"]
    assert all(r["honour"] == typed.name for r in client.get(url + filtered.context["next_url"]).context["rows"])
    with CaptureQueriesContext(connection) as deep:
        client.get(url + first.context["next_url"])
    with CaptureQueriesContext(connection) as top:
        client.get(url)
    assert len(deep) == len(top)


def test_the_statistics_cross_city_and_industry_union_for_one_honour_or_year(client, sd, held):
    """Jinan's holders in the metallurgy union, Qingdao's in none: a cross table for a chosen honour or year (titles
    revoked left out); without either, the page asks for one and counts nothing over the holders."""
    gold = HonourType.objects.get(code="gold_worker")
    holder("gold_worker", person=person(sd.team, "马力"), year=2022)
    revoked = holder("gold_worker", person=person(sd.team, "牛犇"), year=2022)
    services.revoke_honour(actor=sd.province_admin, holder=revoked, reason="申报材料弄虚作假",
                           document="鲁工发〔2026〕5号", body=sd.province)
    client.force_login(sd.province_admin)
    url = reverse("honours:roster_stats")
    plain = client.get(url, {"org": sd.province.pk})
    assert plain.context["cross"] is None and 'id="city-by-industry"' in plain.content.decode()
    cross = client.get(url, {"org": sd.province.pk, "type": gold.pk}).context["cross"]
    assert [i.code if i else None for i in cross.industries] == ["37-YJ", None]
    assert [(c.code if c else None, cells, total) for c, cells, total in cross.cities] == [
        ("3701", [1, 0], 1), ("3702", [0, 1], 1)]
    assert cross.totals == [1, 1] and cross.total == 2
    by_year = client.get(url, {"org": sd.province.pk, "year": 2021})
    assert by_year.context["cross"].total == 1 and 'id="cross-table"' in by_year.content.decode()
    client.force_login(sd.jinan_cadre)  # Jinan's page: Jinan's holders only
    mine = client.get(url, {"org": sd.jinan.pk, "type": gold.pk}).context["cross"]
    assert [(c.code, total) for c, _cells, total in mine.cities] == [("3701", 1)]
