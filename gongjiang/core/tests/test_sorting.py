"""Sorting a list by its columns (core.pages.Sorting, Sort and the `{% sort_th %}` header), and the core lists that
use it: the imports and the public notices running now. For each list: ?sort=<column> and ?sort=-<column> list the
rows in that order (ties by id, in the column's direction), the header shows the order and links to the other
direction, a ?sort= naming no column shows the default order, and the number of queries depends neither on the
order nor on the number of rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import notices
from gongjiang.core.models import ImportJob, PublicNotice
from gongjiang.core.pages import Sorting, rank_of
from gongjiang.core.tests.sorting import check_column, check_unknown_sorts, get, headers, pks, queries_by_sort
from gongjiang.orgs.models import Org

# ---------------------------------------------------------------------------------------------
# The mechanism

SORTING = Sorting({"name": "name", "unit": ("path", "name"), "kind": "kind_rank", "active": "-is_active"},
                  default="-unit", first_descending=("unit",),
                  annotations={"kind_rank": rank_of("kind", ["province", "city", "county"])})


def sort_of(query: str = "") -> Any:
    return SORTING(RequestFactory().get(f"/orgs/?{query}"))


def test_a_column_orders_by_its_fields_and_the_primary_key_last_in_its_direction():
    assert sort_of("sort=name").order_by() == ["name", "pk"]
    assert sort_of("sort=-unit").order_by() == ["-path", "-name", "-pk"]
    assert sort_of("sort=-active").order_by() == ["is_active", "-pk"]  # a field sorted descending by the column
    assert sort_of().order_by() == ["-path", "-name", "-pk"]  # the default names a column
    assert Sorting({"name": "name"}, default=("-created", "-pk"))(RequestFactory().get("/")).order_by() == [
        "-created", "-pk"]  # a default of its own, ending with the primary key already


@pytest.mark.parametrize("value", ["", "bogus", "-bogus", "--name", "-", "pk", "name,path", " ", "kind_rank"])
def test_a_value_naming_no_column_is_the_default_order(value):
    sort = sort_of(f"sort={value}")
    assert (sort.key, sort.descending) == ("unit", True)


def test_the_header_links_to_the_other_direction_and_the_default_order_to_no_parameter():
    assert sort_of().link("unit") == "unit" and sort_of("sort=unit").link("unit") == ""
    assert sort_of().link("name") == "name" and sort_of("sort=name").link("name") == "-name"
    assert sort_of("sort=-name").link("name") == "name"
    assert sort_of("sort=name").link("unit") == ""  # its first click is descending: the default order
    assert (sort_of("sort=-name").value, sort_of("sort=unit").value, sort_of("sort=-unit").value) == ("-name", "unit",
                                                                                                      "")
    assert SORTING.knows("-name") and SORTING.knows("kind") and not SORTING.knows("kind_rank")
    assert not SORTING.knows("--name") and not SORTING.knows("")


def test_an_annotation_is_added_only_when_the_order_uses_it(sd):
    qs = Org.objects.filter(depth__lte=2)
    assert "kind_rank" not in str(sort_of("sort=name").apply(qs).query)
    by_kind = sort_of("sort=kind").apply(qs)
    assert "kind_rank" in by_kind.query.annotations
    assert [o.kind for o in by_kind] == ["province", "city", "city", "industry"]  # a value not listed comes last
    assert [o.kind for o in sort_of("sort=-kind").apply(qs)] == ["industry", "city", "city", "province"]


def test_the_header_tag_draws_the_order_and_keeps_the_other_parameters():
    request = RequestFactory().get("/orgs/", {"q": "工会", "page": "3", "sort": "-name", "per_page": "50"})
    template = Template('{% load gongjiang %}{% sort_th "name" "Name" class="num" %}{% sort_th "unit" "Unit" %}'
                        '{% sort_th "trade" "Trade" %}')
    html = template.render(Context({"request": request, "sort": SORTING(request)}))
    assert '<th class="num" aria-sort="descending"><a class="sort sorted" href="/orgs/?q=%E5%B7%A5%E4%BC%9A&amp;' \
           'sort=name&amp;per_page=50"' in html  # back to the first page, the search and the page size kept
    assert '<th><a class="sort" href="/orgs/?q=%E5%B7%A5%E4%BC%9A&amp;per_page=50"' in html  # the default order
    assert "<th>Trade</th>" in html  # not a column of the list: a plain header
    # a list shown again by a form's POST links to the list's own address
    html = template.render(Context({"request": RequestFactory().post("/orgs/7/assign/"), "sort": SORTING(request),
                                    "list_path": "/orgs/7/"}))
    assert 'href="/orgs/7/?sort=name"' in html
    assert "<th>Name</th>" in Template('{% load gongjiang %}{% sort_th "name" "Name" %}').render(
        Context({"request": request, "sort": None}))


# ---------------------------------------------------------------------------------------------
# The imports


@pytest.fixture
def jobs(sd: Any) -> list[ImportJob]:
    now = timezone.now()
    made = []
    for days, filename, unit, state, rows in ((3, "b名册.xlsx", sd.steel, ImportJob.State.DONE, 120),
                                               (1, "a名册.xlsx", sd.qd_enterprise, ImportJob.State.INVALID, 8),
                                               (2, "c名册.xlsx", sd.workshop, ImportJob.State.PENDING, 300),
                                               (4, "d名册.xlsx", sd.team, ImportJob.State.FAILED, 8)):
        job = ImportJob.objects.create(kind="roster", org_id=unit.pk, org_path=unit.path, org_name=unit.name,
                                       filename=filename, file=f"imports/{filename}", state=state, total_rows=rows,
                                       created_by=sd.province_admin)
        ImportJob.objects.filter(pk=job.pk).update(created_at=now - datetime.timedelta(days=days))
        made.append(job)
    return made


def test_the_imports_sort_by_each_column_the_latest_first(sd, jobs):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sd.province_admin)
    url = reverse("core:import_list")
    default = get(client, url)
    b, a, c, d = (j.pk for j in jobs)
    assert pks(default) == [a, c, b, d]
    assert headers(default)["Uploaded"] == ("uploaded", "descending")
    shown = ImportJob.objects.all()
    columns = {
        "file": ("File", list(shown.order_by("filename", "pk").values_list("pk", flat=True))),
        "unit": ("Unit", [b, c, d, a]),  # the tree's order: 济钢, its workshop, its team, then 青岛港
        "state": ("State", [c, a, b, d]),  # waiting … failed
        "rows": ("Rows", [a, d, b, c]),
        "uploaded": ("Uploaded", [d, b, c, a]),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="-uploaded")
    check_unknown_sorts(client, url, extra=("errors", "created_by__password"))
    # the list of one unit keeps its upload form and sorts the unit's jobs
    assert pks(get(client, url, {"org": sd.steel.pk, "sort": "-rows"})) == [c, b, d]
    before = queries_by_sort(client, url, list(columns))
    ImportJob.objects.create(kind="roster", org_id=sd.steel.pk, org_path=sd.steel.path, org_name=sd.steel.name,
                             filename="e.xlsx", file="imports/e.xlsx", created_by=sd.jinan_cadre)
    assert queries_by_sort(client, url, list(columns)) == before


# ---------------------------------------------------------------------------------------------
# The public notices running now


KIND = "tests.sorting_list"


@pytest.fixture
def running(sd: Any) -> list[PublicNotice]:
    notices.register_kind(KIND, title="先进个人名单")
    today = timezone.localdate()
    made = [notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=owner, org_path=sd.jinan.path,
                            publisher_name=publisher, title=title, ends_on=today + datetime.timedelta(days=days))
            for owner, publisher, title, days in ((sd.steel, "济南市总工会", "B 先进个人推荐名单", 5),
                                                  (sd.workshop, "历下区总工会", "A 劳动模范推荐名单", 2),
                                                  (sd.team, "济南市总工会", "C 工人先锋号推荐名单", 9))]
    yield made
    notices.registry._KINDS.pop(KIND, None)


def test_the_public_notices_sort_by_each_column_the_soonest_end_first(sd, running):
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("core:public_notices")
    b, a, c = (n.pk for n in running)
    default = get(visitor, url)
    assert pks(default) == [a, b, c]
    shown = PublicNotice.objects.all()
    columns = {
        "until": ("Notice until", [a, b, c]),
        "title": ("Notice", list(shown.order_by("title", "pk").values_list("pk", flat=True))),
        "publisher": ("Published by", list(shown.order_by("publisher_name", "pk").values_list("pk", flat=True))),
    }
    for key, (label, ascending) in columns.items():
        check_column(visitor, url, key, label, ascending, default="until")
    check_unknown_sorts(visitor, url, extra=("owner_id", "published_by__password"))
    before = queries_by_sort(visitor, url, list(columns))
    notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.jinan, org_path=sd.jinan.path,
                    publisher_name="济南市总工会", title="D 名单", ends_on=timezone.localdate())
    assert queries_by_sort(visitor, url, list(columns)) == before
