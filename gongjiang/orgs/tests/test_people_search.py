"""One people search everywhere (issue 8, "Pages" 8): what a cadre types into any box that finds a worker — the
people list (page and API `q`), the header's site search, the transfers list, the accounts list — finds the same
people: a part of the name, the last four characters of the ID number (the part every list shows), the end of
the mobile number, or a whole ID or mobile number (exactly). Always inside the user's scope; a name part, which no
index serves, is bounded: one read answers a search for one person, and a broad one stops counting at the cap."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.orgs import queries, services
from gongjiang.orgs.models import Person
from gongjiang.orgs.queries.people import people_q, search_problem
from gongjiang.orgs.tests.factories import id_number, person

from .test_api import Api, assert_error


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


@pytest.fixture
def people(sd):
    """王建国 (given name 建国) and 李建华 in 炼钢车间; 李强 (13912345678) is the worker of 炼钢一班."""
    return {
        "wang": person(sd.workshop, "王建国", mobile="13700001234", id_number=id_number(seq=120)),
        "li": person(sd.workshop, "李建华", mobile="13600009999"),
    }


def names(response) -> set[str]:
    return {p.name for p in response.context["page"].object_list}


def list_names(client, q: str, **params) -> set[str]:
    return names(client.get(reverse("orgs:person_list"), {"q": q, **params}))


# ---------------------------------------------------------------------------------------------
# The search itself


def test_what_each_kind_of_text_matches(sd, people):
    li = sd.worker_person
    wang = people["wang"]

    def found(q: str) -> set[str]:
        return set(Person.objects.filter(people_q(q)).values_list("name", flat=True))

    assert found("建") == {"王建国", "李建华"}  # a name part, anywhere in the name
    assert found("建国") == {"王建国"}  # the given name alone: a prefix search missed it
    assert found("王建国") == {"王建国"}
    assert found(li.id_masked[-4:]) == {"李强"}  # the last four of the ID number
    assert found("5678") == {"李强"}  # the end of the mobile number
    assert found("12345678") == {"李强"}
    assert found("13912345678") == {"李强"}  # a whole mobile number, exactly
    assert found("139 1234 5678") == {"李强"}  # as people type it
    assert found(wang.id_number) == {"王建国"}  # a whole ID number, through the keyed hash
    assert found(f" {wang.id_number.lower()} ") == {"王建国"}
    assert found(wrong_check(wang.id_number)) == set()
    assert found("") == set() and found("12") == set() and found("   ") == set()


def test_a_text_that_cannot_find_anyone_says_why(sd):
    assert search_problem(wrong_check(sd.worker_person.id_number))  # the check character is wrong
    assert search_problem("370102199003")  # 12 digits: neither (part of) a mobile nor a whole ID number
    assert search_problem("12")
    assert search_problem("建国") == "" and search_problem("1234") == "" and search_problem("13912345678") == ""


def test_the_search_on_a_relation_and_on_an_account(sd, people):
    from gongjiang.orgs.models import User

    assert queries.people_q("建国", "person__") is not None
    u = User.objects.create_user(username="wjg", password="x" * 12, full_name="王建国", phone="13700001234")
    mine = User.objects.filter(queries.people_q("1234", name="full_name", mobile="phone", ids=False))
    assert list(mine) == [u]
    assert not User.objects.filter(queries.people_q(people["wang"].id_number, name="full_name", mobile="phone",
                                                    ids=False)).exists()


# ---------------------------------------------------------------------------------------------
# The people list


def test_the_people_list_finds_a_part_of_the_name_and_the_last_four_it_shows(client, sd, people):
    client.force_login(sd.jinan_cadre)
    assert list_names(client, "建国") == {"王建国"}
    assert list_names(client, "建") == {"王建国", "李建华"}
    last4 = sd.worker_person.id_masked[-4:]
    response = client.get(reverse("orgs:person_list"), {"q": last4})
    assert names(response) == {"李强"} and not response.context["form"].errors  # no "身份证号码应为18位"
    assert list_names(client, "9999") == {"李建华"}  # the end of the mobile
    assert list_names(client, people["wang"].id_number) == {"王建国"}  # exactly, by the hash
    assert list_names(client, "建", org=sd.team.pk) == set()  # inside the chosen unit only


def test_the_people_list_searches_only_the_users_scope(client, sd, people):
    client.force_login(sd.qingdao_cadre)
    assert list_names(client, "建") == set()
    assert list_names(client, sd.worker_person.id_masked[-4:]) == set()
    assert list_names(client, "王") == {"王芳"}


def test_an_unusable_search_is_explained_beside_the_box(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:person_list"), {"q": wrong_check(sd.worker_person.id_number)})
    assert "q" in response.context["form"].errors and names(response) == set()
    response = client.get(reverse("orgs:person_list"), {"q": "12"})
    assert "q" in response.context["form"].errors


def test_a_search_for_one_person_is_one_read_without_a_count(client, sd, people):
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("orgs:person_list"), {"q": "建国"})
    assert names(response) == {"王建国"} and response.context["page"].paginator.count == 1
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "orgs_person"' in q["sql"]]
    assert len(reads) == 1 and "COUNT(" not in reads[0].upper()


def test_a_broad_search_stops_counting_at_the_cap(client, sd, monkeypatch, settings):
    from gongjiang.orgs.views import people as views

    for i in range(9):
        person(sd.workshop, f"张{i}")
    settings.PAGE_SIZE = 2
    monkeypatch.setattr(views, "SEARCH_PROBE", 3)
    monkeypatch.setattr(queries, "COUNT_CAP", 5)
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("orgs:person_list"), {"q": "张"})
    assert response.context["count_capped"] is True and response.context["page"].paginator.count == 5
    assert "5" in response.content.decode()  # "more than 5 workers match"
    monkeypatch.setattr(queries, "COUNT_CAP", 50)
    response = client.get(reverse("orgs:person_list"), {"q": "张"})
    assert response.context["count_capped"] is False and response.context["page"].paginator.count == 9
    # A page past the first matches read is read from the database, in the same order.
    shown = []
    for n in (1, 2, 3, 4, 5):
        shown += [p.name for p in client.get(reverse("orgs:person_list"), {"q": "张", "page": n})
                  .context["page"].object_list]
    assert sorted(shown) == sorted(f"张{i}" for i in range(9)) and len(shown) == 9


def test_the_unit_column_names_the_units_up_to_the_union_without_a_query_per_row(client, sd, people,
                                                                               django_assert_max_num_queries):
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:person_list")
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "济南钢铁集团有限公司工会 › 炼钢车间" in html  # 李强 of 炼钢一班
    assert '<td class="nowrap"><a href="' in html  # a three-character name keeps to one line
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.tests.factories import org

    for i in range(6):
        team = org(sd.workshop, f"炼钢{i + 2}班", OrgKind.TEAM, industry_path=sd.metallurgy.path)
        person(team, f"钢工{i}")
    from gongjiang.orgs import counters

    counters.rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "炼钢5班" in html


# ---------------------------------------------------------------------------------------------
# The API, the header's search, the transfers list, the accounts list


def test_the_api_q_is_the_same_search_and_id_number_stays_exact(sd, people):
    api = Api(sd.jinan_cadre)
    assert {p["name"] for p in api.get("/people", q="建国").json()["items"]} == {"王建国"}
    assert {p["name"] for p in api.get("/people", q=sd.worker_person.id_masked[-4:]).json()["items"]} == {"李强"}
    assert {p["name"] for p in api.get("/people", q="9999").json()["items"]} == {"李建华"}
    assert {p["name"] for p in api.get("/people", id_number=people["wang"].id_number).json()["items"]} == {"王建国"}
    assert {p["name"] for p in api.get("/people", name="建").json()["items"]} == set()  # `name`: the beginning
    assert_error(api.get("/people", q=wrong_check(people["wang"].id_number)), 400, field="q")
    assert_error(api.get("/people", q="12"), 400, field="q")
    assert Api(sd.qingdao_cadre).get("/people", q="建国").json()["items"] == []


def test_the_header_search_finds_by_the_last_four_and_a_name_part(client, sd, people):
    client.force_login(sd.jinan_cadre)
    for q, name in [(sd.worker_person.id_masked[-4:], "李强"), ("建国", "王建国"), ("9999", "李建华")]:
        html = client.get(reverse("core:search"), {"q": q}).content.decode()
        assert name in html, q


def test_the_transfers_list_finds_a_workers_transfer(client, sd, people):
    services.join_union(actor=sd.province_admin, person=people["wang"], member_since=datetime.date(2020, 1, 1))
    services.join_union(actor=sd.province_admin, person=people["li"], member_since=datetime.date(2020, 1, 1))
    for p in people.values():
        services.request_transfer(actor=sd.province_admin, person=p, to_employer=sd.qd_enterprise)
    client.force_login(sd.qingdao_cadre)
    url = reverse("orgs:transfer_list")

    def workers(q: str) -> set[str]:
        return {t.person.name for t in client.get(url, {"tab": "incoming", "q": q}).context["rows"]}

    assert workers("") == {"王建国", "李建华"}
    assert workers("建国") == {"王建国"}
    assert workers(people["li"].id_masked[-4:]) == {"李建华"}
    assert workers("1234") == {"王建国"}  # the end of 王建国's mobile


def test_the_accounts_list_finds_an_account_by_the_same_search(client, sd, people):
    services.create_worker_account(actor=sd.jinan_cadre, person=people["wang"], username="wjg",
                                   password="Gongjiang-2026x")
    client.force_login(sd.jinan_cadre)
    url = reverse("orgs:account_list")

    def usernames(q: str) -> set[str]:
        return {a.username for a in client.get(url, {"q": q}).context["rows"]}

    assert "wjg" in usernames("建国")
    assert "wjg" in usernames(people["wang"].id_masked[-4:])  # the last four of the worker's ID number
    assert usernames("0001") == {"jinan_cadre"}  # the end of the cadre's mobile (13800000001)
    assert "wjg" not in usernames("建华")
