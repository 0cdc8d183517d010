"""Sortable columns of the organisation lists (core.pages.Sorting): the membership transfers (each tab), the accounts,
the units directly under an org and the org search results. For each: ?sort=<column> and ?sort=-<column> list the
rows in that order (ties by id, in the column's direction), the header shows the order and links to the other
direction, a ?sort= naming no column shows the default order, the export follows the order shown, and the number of
queries depends neither on the order nor on the number of rows.

Pages are read in English (Accept-Language: en)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.core.tests.sorting import check_column, check_unknown_sorts, get, headers, pks, queries_by_sort
from gongjiang.orgs import services
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import MembershipTransfer, Org, User
from gongjiang.orgs.tests.factories import id_number, org, person


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def by(rows: list[Any], key: Callable[[Any], Any]) -> list[int]:
    """The pks of `rows` by `key`, ties by pk (numbers, dates, paths: the same in Python and in the database)."""
    return [r.pk for r in sorted(rows, key=lambda r: (key(r), r.pk))]


def db_order(qs: QuerySet[Any], *fields: str) -> list[int]:
    """The pks in the database's own order of `fields` (text: the database's collation decides), ties by pk."""
    return list(qs.order_by(*fields, "pk").values_list("pk", flat=True))


def exported(response: Any, column: int = 0) -> list[Any]:
    sheet = load_workbook(BytesIO(response.content)).active
    return [row[column] for row in list(sheet.iter_rows(values_only=True))[1:]]


# ---------------------------------------------------------------------------------------------
# Membership transfers


@pytest.fixture
def transfers(sd: Any) -> dict[str, MembershipTransfer]:
    """Five members asked to move, requested on other days: two between 济钢 and 青岛港 still open, one accepted,
    one refused, and one from 青岛港 to 济钢's team still open."""
    made = {}
    now = timezone.now()
    for days, name, employer, destination, actor in (
            (4, "赵钢", sd.team, sd.qd_enterprise, sd.enterprise_cadre),
            (1, "钱铁", sd.workshop, sd.qd_enterprise, sd.enterprise_cadre),
            (3, "孙港", sd.qd_enterprise, sd.team, sd.qingdao_cadre),
            (2, "李炉", sd.steel, sd.qd_enterprise, sd.enterprise_cadre),
            (5, "周钳", sd.team, sd.qd_enterprise, sd.enterprise_cadre)):
        member = services.create_person(actor=actor, employer=employer, name=name, id_number=id_number(),
                                        membership={"card_no": f"C-{days}"})
        t = services.request_transfer(actor=actor, person=member, to_employer=destination, reason="工作调动")
        MembershipTransfer.objects.filter(pk=t.pk).update(requested_at=now - datetime.timedelta(days=days))
        made[name] = t
    services.accept_transfer(actor=sd.qingdao_cadre, transfer=made["李炉"])
    services.refuse_transfer(actor=sd.qingdao_cadre, transfer=made["周钳"], note="岗位已满")
    MembershipTransfer.objects.filter(pk=made["李炉"].pk).update(decided_at=now - datetime.timedelta(hours=1))
    return made


@pytest.mark.parametrize("tab", ["incoming", "outgoing"])
def test_the_open_transfers_sort_by_each_column(client, sd, transfers, tab):
    client.force_login(sd.province_admin)
    url = reverse("orgs:transfer_list")
    params = {"tab": tab}
    default = get(client, url, params)
    rows = list(default.context["rows"])
    assert {t.person.name for t in rows} == {"赵钢", "钱铁", "孙港"}
    assert pks(default) == by(rows, lambda t: -t.requested_at.timestamp())  # the latest request first
    shown = MembershipTransfer.objects.filter(pk__in=[t.pk for t in rows])
    columns = {
        "worker": ("Worker", db_order(shown, "person__name")),
        "from": ("From", by(rows, lambda t: t.from_union.path)),
        "to": ("To", by(rows, lambda t: t.to_employer.path)),
        "requested": ("Requested on", by(rows, lambda t: t.requested_at)),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="-requested", params=params)
    assert "Outcome" not in headers(default)
    check_unknown_sorts(client, url, params, extra=("decided", "person__id_hash"))
    # the search keeps the order
    assert pks(get(client, url, {**params, "q": "赵钢", "sort": "to"})) == [transfers["赵钢"].pk]
    before = queries_by_sort(client, url, list(columns), params)
    for name in ("吴锻", "郑焊"):
        member = services.create_person(actor=sd.enterprise_cadre, employer=sd.team, name=name, id_number=id_number(),
                                        membership={"card_no": name})
        services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    assert queries_by_sort(client, url, list(columns), params) == before


def test_the_transfer_history_sorts_by_each_column_the_latest_decision_first(client, sd, transfers):
    client.force_login(sd.province_admin)
    url = reverse("orgs:transfer_list")
    params = {"tab": "history"}
    default = get(client, url, params)
    assert pks(default) == [transfers["周钳"].pk, transfers["李炉"].pk]
    assert headers(default)["Outcome"] == ("decided", "descending")
    rows = list(default.context["rows"])
    columns = {
        "worker": ("Worker", db_order(MembershipTransfer.objects.filter(pk__in=pks(default)), "person__name")),
        "decided": ("Outcome", [transfers["李炉"].pk, transfers["周钳"].pk]),
        "from": ("From", by(rows, lambda t: t.from_union.path)),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="-decided", params=params)
    # a tab's order does not carry into another tab that has no such column
    assert pks(get(client, url, {"tab": "incoming", "sort": "decided"})) == pks(get(client, url, {"tab": "incoming"}))


# ---------------------------------------------------------------------------------------------
# Accounts


def test_the_accounts_sort_by_each_column(client, sd):
    now = timezone.now()
    accounts = User.objects.exclude(username="province_admin")
    for i, account in enumerate(accounts.order_by("pk")):
        account.full_name = f"干部{'丙甲乙丁戊己庚辛'[i]}"
        account.last_login = None if i % 3 == 0 else now - datetime.timedelta(days=i)
        account.is_active = i != 4
        account.save(update_fields=["full_name", "last_login", "is_active"])
    client.force_login(sd.province_admin)  # the province admin's own log-in is the latest
    url = reverse("orgs:account_list")
    default = get(client, url)
    rows = list(default.context["rows"])
    assert len(rows) == User.objects.count() and pks(default) == db_order(User.objects.all(), "username")
    shown = User.objects.all()
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    columns = {
        "username": ("User name", db_order(shown, "username")),
        "name": ("Full name", db_order(shown, "full_name")),
        "status": ("Status", by(rows, lambda a: not a.is_active)),
        # never used first, then the oldest log-in; the other way round, never used after every used account
        "login": ("Last log-in", by(rows, lambda a: (a.last_login is not None, a.last_login or epoch))),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="username")
    newest = get(client, url, {"sort": "-login"})
    assert newest.context["rows"][0].username == "province_admin"
    assert [a.last_login for a in newest.context["rows"]][-3:] == [None] * 3
    assert headers(default)["Last log-in"] == ("-login", "")  # the latest first on the first click
    check_unknown_sorts(client, url, extra=("password", "-password", "last_login", "grants__org__path"))
    # the filters, the order and the export go together
    disabled_first = get(client, url, {"sort": "-status", "kind": "cadre"})
    assert not disabled_first.context["rows"][0].is_active
    export = get(client, url, {"sort": "-name", "status": "active", "export": "xlsx"})
    page = get(client, url, {"sort": "-name", "status": "active"})
    assert exported(export) == [a.username for a in page.context["rows"]]
    before = queries_by_sort(client, url, list(columns))
    newcomer = User.objects.create_user(username="zz_new", password="Gongjiang-2026")
    newcomer.grants.create(org=sd.town, role=Role.STAFF)
    assert queries_by_sort(client, url, list(columns)) == before


# ---------------------------------------------------------------------------------------------
# The units directly under an org, and the search results


def test_the_units_under_an_org_sort_by_each_column(client, sd):
    for i in range(3):
        person(sd.qd_enterprise, f"青岛职工{i}")
    org(sd.province, "山东省交通运输工会", OrgKind.INDUSTRY, "37-JT")
    client.force_login(sd.province_admin)
    url = reverse("orgs:org_detail", args=[sd.province.pk])
    default = get(client, url)
    rows = list(default.context["page"].object_list)
    assert len(rows) == 4 and pks(default) == by(rows, lambda o: o.path)  # the tree's order
    children = Org.objects.filter(pk__in=[o.pk for o in rows])
    columns = {
        "name": ("Unit name", db_order(children, "name")),
        "code": ("Unit code", db_order(children, "code")),
        "units": ("Units", by(rows, lambda o: o.sub_orgs)),
        "people": ("Registered workers", by(rows, lambda o: o.sub_people)),
        "members": ("Members", by(rows, lambda o: o.sub_members)),
    }
    assert [o.sub_people for o in rows] != [0] * 4 and [o.sub_orgs for o in rows] != [1] * 4
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending)
    assert headers(default)["Registered workers"] == ("-people", "")  # the largest first on the first click
    check_unknown_sorts(client, url, extra=("path", "person_count", "credit_code"))
    # the affiliates' table of an industry union has no sort links (its own pagination)
    union = get(client, reverse("orgs:org_detail", args=[sd.metallurgy.pk]))
    assert headers(union) == {}
    # the sort links refresh the list's region only (htmx)
    html = get(client, url, {"sort": "-people"}).content.decode()
    region = html.split('<div class="list-region">', 1)[1]
    assert 'hx-target="closest .list-region"' in region and 'aria-sort="descending"' in region
    before = queries_by_sort(client, url, list(columns))
    org(sd.province, "山东省建设工会", OrgKind.INDUSTRY, "37-JS")
    person(sd.steel, "新职工")
    assert queries_by_sort(client, url, list(columns)) == before


def test_the_org_search_results_sort_by_each_column_and_export_in_that_order(client, sd):
    person(sd.qd_enterprise, "青岛职工")
    client.force_login(sd.province_admin)
    url = reverse("orgs:org_tree")
    params = {"q": "工会"}
    default = get(client, url, params)
    rows = list(default.context["page"].object_list)
    assert len(rows) == 8 and pks(default) == by(rows, lambda o: o.path)  # where they belong: the tree's order
    assert headers(default)["Belongs to"] == ("-parent", "ascending")
    found = Org.objects.filter(pk__in=[o.pk for o in rows])
    columns = {
        "name": ("Unit name", db_order(found, "name")),
        "parent": ("Belongs to", pks(default)),
        "code": ("Unit code", db_order(found, "code")),
        "people": ("Workers of the unit itself", by(rows, lambda o: o.person_count)),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="parent", params=params)
    check_unknown_sorts(client, url, params, extra=("tree_people",))
    for sort in ("-name", "code", "-people"):
        page = get(client, url, {**params, "sort": sort})
        export = get(client, url, {**params, "sort": sort, "export": "xlsx"})
        assert exported(export) == [o.name for o in page.context["page"].object_list], sort
    before = queries_by_sort(client, url, list(columns), params)
    org(sd.lixia, "甸柳庄街道总工会", OrgKind.TOWN, "370102002")
    assert queries_by_sort(client, url, list(columns), params) == before
