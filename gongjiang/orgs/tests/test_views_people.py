"""The people pages as a specification: who sees whom, who may change and reveal what, how cadres find a
worker, and that every form refuses bad input without changing anything."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.core.models import AuditEvent
from gongjiang.orgs import counters, services
from gongjiang.orgs.choices import MembershipStatus
from gongjiang.orgs.models import Membership, Occupation, Org, Person, SkillGradeRecord, User
from gongjiang.orgs.tests.factories import id_number, org, person

PASSWORD = "Gongjiang-2026"


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def detail(p: Person) -> str:
    return reverse("orgs:person_detail", args=[p.pk])


# ---------------------------------------------------------------------------------------------
# Permission matrix


@pytest.mark.parametrize("persona, status", [
    (None, 302),  # anonymous: to the log-in page
    ("qingdao_cadre", 404),  # another city: the 济南 worker does not exist for them
    ("jinan_viewer", 200),
    ("jinan_cadre", 200),
    ("county_cadre", 200),
    ("enterprise_cadre", 200),
    ("industry_cadre", 200),  # 济钢 is affiliated to the 冶金 industry union
    ("worker", 200),  # their own record
])
def test_who_sees_a_jinan_workers_page(client, sd, persona, status):
    if persona:
        client.force_login(getattr(sd, persona))
    assert client.get(detail(sd.worker_person)).status_code == status


def test_a_worker_cannot_see_other_people(client, sd):
    colleague = person(sd.team, "王五")
    client.force_login(sd.worker)
    assert client.get(detail(colleague)).status_code == 404
    assert client.get(detail(sd.qd_person)).status_code == 404
    response = client.get(reverse("orgs:person_list"))
    assert [p.pk for p in response.context["page"].object_list] == [sd.worker_person.pk]


def test_the_list_shows_only_the_scope_and_refuses_an_org_outside_it(client, sd):
    client.force_login(sd.qingdao_cadre)
    names = [p.name for p in client.get(reverse("orgs:person_list")).context["page"].object_list]
    assert names == ["王芳"]
    assert client.get(reverse("orgs:person_list"), {"org": sd.jinan.pk}).status_code == 404
    assert client.get(reverse("orgs:person_list")).context["page"].paginator.count == 1


@pytest.mark.parametrize("persona, status", [
    (None, 302), ("qingdao_cadre", 404), ("jinan_viewer", 403), ("worker", 403), ("enterprise_cadre", 200),
    ("jinan_cadre", 200),
])
def test_who_may_open_the_edit_form(client, sd, persona, status):
    if persona:
        client.force_login(getattr(sd, persona))
    assert client.get(reverse("orgs:person_edit", args=[sd.worker_person.pk])).status_code == status


def test_a_viewer_cannot_edit_and_nothing_changes(client, sd):
    client.force_login(sd.jinan_viewer)
    response = client.post(reverse("orgs:person_edit", args=[sd.worker_person.pk]), {"name": "改名", "mobile": ""})
    assert response.status_code == 403
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.name == "李强"


# ---------------------------------------------------------------------------------------------
# Revealing the full ID number


def test_a_city_admin_reveals_the_full_id_and_it_is_audited(client, sd):
    client.force_login(sd.jinan_cadre)
    page = client.get(detail(sd.worker_person)).content.decode()
    assert reverse("orgs:person_reveal_id", args=[sd.worker_person.pk]) in page
    number = sd.worker_person.id_number
    assert number not in page  # masked until asked for
    response = client.post(reverse("orgs:person_reveal_id", args=[sd.worker_person.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert number in response.content.decode()
    event = AuditEvent.objects.get(verb="orgs.person.id_revealed")
    assert event.actor == sd.jinan_cadre and event.object_id == str(sd.worker_person.pk)


@pytest.mark.parametrize("persona", ["jinan_viewer", "enterprise_cadre", "county_cadre"])
def test_viewers_and_staff_cannot_reveal_ids(client, sd, persona):
    client.force_login(getattr(sd, persona))
    page = client.get(detail(sd.worker_person)).content.decode()
    assert reverse("orgs:person_reveal_id", args=[sd.worker_person.pk]) not in page
    assert sd.worker_person.id_masked in page
    response = client.post(reverse("orgs:person_reveal_id", args=[sd.worker_person.pk]))
    assert response.status_code == 403
    assert sd.worker_person.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="orgs.person.id_revealed").exists()


def test_another_citys_admin_cannot_reveal(client, sd):
    client.force_login(sd.qingdao_cadre)
    assert client.post(reverse("orgs:person_reveal_id", args=[sd.worker_person.pk])).status_code == 404
    assert not AuditEvent.objects.filter(verb="orgs.person.id_revealed").exists()


# ---------------------------------------------------------------------------------------------
# Finding people


def test_search_by_id_number_finds_the_person_through_the_hash(client, sd, monkeypatch):
    number = sd.worker_person.id_number
    other = person(sd.team, "王五")

    def no_decrypt(token):
        raise AssertionError("the search must not decrypt ID numbers")

    monkeypatch.setattr("gongjiang.core.crypto.decrypt", no_decrypt)
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:person_list"), {"q": f" {number.lower()} "})
    found = [p.pk for p in response.context["page"].object_list]
    assert found == [sd.worker_person.pk]
    assert other.pk not in found
    rows = client.get(reverse("orgs:person_list"), {"q": number}, HTTP_HX_REQUEST="true").content.decode()
    body = rows[rows.index("<tbody>"):rows.index("</tbody>")]  # (the typed number stays in the list's own links)
    assert sd.worker_person.id_masked in body and number not in body  # the rows show masked numbers only


def test_a_malformed_id_number_in_the_search_is_explained(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:person_list"), {"q": wrong_check_digit(sd.worker_person.id_number)})
    assert "q" in response.context["form"].errors
    assert list(response.context["page"].object_list) == []


def test_filters_by_trade_grade_flags_and_membership(client, sd):
    lathe = Occupation.objects.get(code="6-18-01-01")
    turner = person(sd.team, "赵车工", trade=lathe, skill_grade=4, is_migrant=True)
    Membership.objects.create(person=turner, union=sd.steel)
    client.force_login(sd.jinan_cadre)

    def names(**params):
        return {p.name for p in client.get(reverse("orgs:person_list"), params).context["page"].object_list}

    assert names(trade="6-18-01-01") == {"赵车工"}
    assert names(trade=lathe.name) == {"赵车工"}
    assert names(grade="4") == {"赵车工"}
    assert names(migrant="1") == {"赵车工"}
    assert names(front_line="1") == {"李强"}
    assert names(membership="active") == {"赵车工"}
    assert names(membership="none") == {"李强"}
    assert names(q="李") == {"李强"}
    assert names(q="12345678") == {"李强"}  # the end of the mobile number


def test_the_unfiltered_list_uses_the_pre_aggregated_count(client, sd):
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("orgs:person_list"))
    assert response.context["page"].paginator.count == 2
    # (the header's unread-message badge is a capped COUNT of one's own inbox, not of people)
    assert not any("COUNT(" in q["sql"].upper() and "core_notification" not in q["sql"]
                   for q in queries.captured_queries)
    # With a filter a normal count is made.
    response = client.get(reverse("orgs:person_list"), {"q": "王"})
    assert response.context["page"].paginator.count == 1


def test_the_list_uses_a_constant_number_of_queries(client, sd, django_assert_max_num_queries):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:person_list")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    lathe = Occupation.objects.get(code="6-18-01-01")
    for i in range(30):
        p = person(sd.team if i % 2 else sd.workshop, f"职工{i}", trade=lathe, mobile=f"1390000{i:04d}")
        if i % 3:
            Membership.objects.create(person=p, union=sd.steel)
    counters.rebuild()  # the factory writes rows directly; the services keep these counters in real use
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 31
    with django_assert_max_num_queries(len(before.captured_queries) + 1):  # + the COUNT of a filtered list
        client.get(url, {"trade": "6-18-01-01"})


def test_the_list_pages_through_many_people(client, sd, settings):
    settings.PAGE_SIZE = 5
    for i in range(7):
        person(sd.workshop, f"职工{i}")
    counters.rebuild()
    client.force_login(sd.jinan_cadre)
    first = client.get(reverse("orgs:person_list"))
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("orgs:person_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 3


def test_an_htmx_filter_returns_only_the_rows(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:person_list"), {"q": "李"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "orgs/_person_rows.html"


# ---------------------------------------------------------------------------------------------
# Export


def export_rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_a_viewer_exports_masked_ids(client, sd):
    client.force_login(sd.jinan_viewer)
    rows = export_rows(client.get(reverse("orgs:person_list"), {"export": "xlsx"}))
    assert rows[0][:2] == ["姓名", "身份证号"]
    assert [r[0] for r in rows[1:]] == ["李强"]
    assert rows[1][1] == sd.worker_person.id_masked
    assert rows[1][4] != "13912345678"  # phone masked too
    assert not AuditEvent.objects.filter(verb="orgs.person.exported").exists()


def test_an_admin_exports_full_ids_of_the_filtered_rows_and_it_is_audited(client, sd):
    person(sd.team, "王五")
    client.force_login(sd.jinan_cadre)
    rows = export_rows(client.get(reverse("orgs:person_list"), {"export": "xlsx", "q": "李"}))
    assert [r[0] for r in rows[1:]] == ["李强"]
    assert rows[1][1] == sd.worker_person.id_number
    assert AuditEvent.objects.filter(verb="orgs.person.exported", actor=sd.jinan_cadre).exists()


# ---------------------------------------------------------------------------------------------
# Create and edit


def person_post(**over) -> dict:
    data = {"name": "孙丽", "id_number": id_number(female=True), "gender": "", "birth_date": "",
            "mobile": "13700001111", "ethnicity": "汉族", "education": "bachelor", "political_status": "masses",
            "post": "炼钢工", "trade": "6-18-01-01", "skill_grade": "4", "is_front_line": "on",
            "employment_start": "2015-07-01", "join": "on", "member_since": "2015-09-01", "card_no": "JG-0001"}
    data.update(over)
    return data


def test_an_enterprise_cadre_registers_a_member_in_a_team(client, sd):
    client.force_login(sd.enterprise_cadre)
    data = person_post()
    response = client.post(reverse("orgs:person_create") + f"?org={sd.team.pk}", data)
    p = Person.objects.get(name="孙丽")
    assert response.status_code == 302 and response["Location"] == detail(p)
    assert p.employer == sd.team and p.gender == "F" and p.trade.code == "6-18-01-01" and p.skill_grade == 4
    assert p.membership.union == sd.steel and p.membership.card_no == "JG-0001"
    assert Org.objects.get(pk=sd.steel.pk).member_count == 1
    assert Org.objects.get(pk=sd.team.pk).person_count == 2


@pytest.mark.parametrize("field, value", [
    ("id_number", "wrong"),
    ("id_number", "check-digit"),
    ("birth_date", "1970-01-01"),
    ("mobile", "12345"),
    ("ethnicity", "火星族"),
    ("trade", "没有这个工种"),
])
def test_bad_input_when_registering_is_shown_on_the_field_and_nothing_is_saved(client, sd, field, value):
    data = person_post()
    if value == "check-digit":
        value = wrong_check_digit(data["id_number"])
    data[field] = value
    client.force_login(sd.enterprise_cadre)
    response = client.post(reverse("orgs:person_create") + f"?org={sd.team.pk}", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Person.objects.filter(name="孙丽").exists()
    assert Org.objects.get(pk=sd.team.pk).person_count == 1


def test_registering_a_known_id_number_twice_is_refused(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("orgs:person_create") + f"?org={sd.team.pk}",
                           person_post(id_number=sd.qd_person.id_number))
    assert "id_number" in response.context["form"].errors
    assert Person.objects.count() == 2


@pytest.mark.parametrize("persona, org_attr, status", [
    ("jinan_viewer", "team", 403), ("qingdao_cadre", "team", 404), ("jinan_cadre", "lixia", 404),
])
def test_who_may_register_where(client, sd, persona, org_attr, status):
    client.force_login(getattr(sd, persona))
    url = reverse("orgs:person_create") + f"?org={getattr(sd, org_attr).pk}"
    assert client.post(url, person_post()).status_code == status
    assert not Person.objects.filter(name="孙丽").exists()


def edit_post(p: Person, **over) -> dict:
    data = {"name": p.name, "id_number": "", "gender": p.gender, "birth_date": p.birth_date.isoformat(),
            "mobile": p.mobile, "ethnicity": p.ethnicity, "education": p.education,
            "political_status": p.political_status, "employer": p.employer_id, "post": p.post, "trade": "",
            "is_front_line": "on" if p.is_front_line else "", "employment_start": ""}
    data.update(over)
    return data


def test_a_cadre_corrects_a_record_and_moves_the_worker_inside_the_union(client, sd):
    client.force_login(sd.enterprise_cadre)
    p = sd.worker_person
    response = client.post(reverse("orgs:person_edit", args=[p.pk]),
                           edit_post(p, mobile="13911112222", employer=sd.workshop.pk, post="班长"))
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.mobile, p.employer_id, p.post) == ("13911112222", sd.workshop.pk, "班长")
    assert AuditEvent.objects.filter(verb="orgs.person.updated", object_id=str(p.pk)).exists()


@pytest.mark.parametrize("field, value", [
    ("mobile", "1391234"), ("ethnicity", "火星族"), ("gender", "F"), ("id_number", "370102"),
])
def test_bad_input_when_editing_changes_nothing(client, sd, field, value):
    client.force_login(sd.enterprise_cadre)
    p = sd.worker_person
    before = Person.objects.filter(pk=p.pk).values().get()
    response = client.post(reverse("orgs:person_edit", args=[p.pk]), edit_post(p, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Person.objects.filter(pk=p.pk).values().get() == before


def test_the_edit_form_neither_shows_nor_takes_a_birth_date(client, sd):
    """The birth date follows the ID number; the staff who correct a record may not see the number, so the form
    does not show them its birth date, and a posted one is ignored (it could be tried until one is accepted)."""
    client.force_login(sd.enterprise_cadre)
    p = sd.worker_person
    page = client.get(reverse("orgs:person_edit", args=[p.pk]))
    assert "birth_date" not in page.context["form"].fields
    assert p.birth_date.isoformat() not in page.content.decode()
    before = Person.objects.filter(pk=p.pk).values("birth_date").get()
    response = client.post(reverse("orgs:person_edit", args=[p.pk]), edit_post(p, birth_date="1970-01-01"))
    assert response.status_code == 302
    assert Person.objects.filter(pk=p.pk).values("birth_date").get() == before


def test_the_edit_form_offers_only_units_of_the_same_union(client, sd):
    client.force_login(sd.province_admin)
    response = client.get(reverse("orgs:person_edit", args=[sd.worker_person.pk]))
    offered = set(response.context["form"].fields["employer"].queryset)
    assert offered == {sd.steel, sd.workshop, sd.team}


# ---------------------------------------------------------------------------------------------
# Skill grades, membership, accounts


def test_a_skill_grade_is_recorded_with_its_certificate(client, sd):
    client.force_login(sd.enterprise_cadre)
    response = client.post(reverse("orgs:person_grade", args=[sd.worker_person.pk]),
                           {"grade": "3", "certificate_no": "Z-2024-001", "certified_on": "2024-05-10", "trade": ""})
    assert response.status_code == 302
    record = SkillGradeRecord.objects.get(person=sd.worker_person)
    assert (record.grade, record.certificate_no, record.certified_on) == (3, "Z-2024-001", datetime.date(2024, 5, 10))
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.skill_grade == 3
    page = client.get(detail(sd.worker_person)).content.decode()
    assert "Z-2024-001" in page


def test_a_future_certificate_date_is_refused(client, sd):
    client.force_login(sd.enterprise_cadre)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("orgs:person_grade", args=[sd.worker_person.pk]),
                           {"grade": "3", "certificate_no": "", "certified_on": future})
    assert "certified_on" in response.context["form"].errors
    assert not SkillGradeRecord.objects.exists()


def test_joining_and_leaving_the_union_with_a_reason(client, sd):
    client.force_login(sd.enterprise_cadre)
    url = reverse("orgs:person_membership", args=[sd.worker_person.pk])
    assert client.post(url, {"member_since": "2020-01-01", "card_no": "A1"}).status_code == 302
    m = Membership.objects.get(person=sd.worker_person)
    assert m.union == sd.steel and m.status == MembershipStatus.ACTIVE
    assert Org.objects.get(pk=sd.steel.pk).member_count == 1
    # Leaving needs a reason; without one nothing changes.
    response = client.post(url, {"status": "left", "reason": ""})
    assert "reason" in response.context["form"].errors
    assert Membership.objects.get(pk=m.pk).status == MembershipStatus.ACTIVE
    assert client.post(url, {"status": "left", "reason": "调离本市"}).status_code == 302
    assert Membership.objects.get(pk=m.pk).status == MembershipStatus.LEFT
    assert Org.objects.get(pk=sd.steel.pk).member_count == 0


def test_a_worker_account_is_opened_for_a_person(client, sd):
    p = person(sd.team, "王五", mobile="13600001234")
    client.force_login(sd.enterprise_cadre)
    url = reverse("orgs:person_account", args=[p.pk])
    response = client.post(url, {"username": "wangwu", "password": "short", "password2": "short"})
    assert "password" in response.context["form"].errors
    response = client.post(url, {"username": "worker", "password": PASSWORD, "password2": PASSWORD})
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(person=p).exists()
    response = client.post(url, {"username": "wangwu", "password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    account = User.objects.get(person=p)
    assert account.username == "wangwu" and account.check_password(PASSWORD)


def test_the_detail_page_shows_membership_grades_transfers_and_timeline(client, sd):
    services.join_union(actor=sd.enterprise_cadre, person=sd.worker_person, card_no="CARD-77")
    other_union = org(sd.town, "济南重汽工会", "grassroots", "E0009")
    services.request_transfer(actor=sd.enterprise_cadre, person=sd.worker_person, to_employer=other_union,
                              reason="调动")
    client.force_login(sd.jinan_cadre)
    response = client.get(detail(sd.worker_person))
    page = response.content.decode()
    assert "CARD-77" in page and "济南重汽工会" in page
    assert response.context["open_transfer"] is not None
    verbs = [e.verb for e in response.context["timeline"]]
    assert "orgs.membership.joined" in verbs and "orgs.transfer.requested" in verbs
