"""The organisation pages, as a cadre uses them: browsing the tree, searching, the org page, adding,
editing, moving, deactivating and exporting units — each only inside the cadre's own subtree."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.core.models import AuditEvent
from gongjiang.orgs import services
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org
from gongjiang.orgs.tests.factories import credit_code, org, person

HTMX = {"HX-Request": "true"}
EN = {"Accept-Language": "en"}


def as_user(client, user):
    client.force_login(user)
    return client


def fresh(o: Org) -> Org:
    return Org.objects.get(pk=o.pk)


def unit_data(**kw):
    data = {"kind": OrgKind.GRASSROOTS, "name": "历下区新华书店工会", "short_name": "", "code": "E0100",
            "region_code": "370102", "credit_code": "", "industry": "F", "ownership": "state",
            "employee_count": "120", "address": "", "contact_name": "", "contact_phone": "", "industry_union": ""}
    data.update(kw)
    return data


def bad_check_character(code: str) -> str:
    return code[:17] + ("A" if code[17] != "A" else "B")


# ---------------------------------------------------------------------------------------------
# Permission matrix: anonymous / other subtree / own subtree / right role


def test_anonymous_visitors_are_sent_to_log_in_from_every_org_page(client, sd):
    pk = sd.steel.pk
    for name, args in [("org_tree", []), ("org_detail", [pk]), ("org_children", [pk]), ("org_create", [pk]),
                       ("org_edit", [pk]), ("org_move", [pk]), ("org_deactivate", [pk])]:
        response = client.get(reverse(f"orgs:{name}", args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("orgs:login")), name
    response = client.post(reverse("orgs:org_reactivate", args=[pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("orgs:login"))


def test_a_qingdao_cadre_cannot_see_or_change_jinan_units(client, sd):
    as_user(client, sd.qingdao_cadre)
    for o in (sd.jinan, sd.lixia, sd.steel, sd.team):
        assert client.get(reverse("orgs:org_detail", args=[o.pk])).status_code == 404
        assert client.get(reverse("orgs:org_children", args=[o.pk]), headers=HTMX).status_code == 404
    for name in ("org_create", "org_edit", "org_move", "org_deactivate"):
        assert client.get(reverse(f"orgs:{name}", args=[sd.steel.pk])).status_code == 404, name
    before = Org.objects.count()
    assert client.post(reverse("orgs:org_create", args=[sd.town.pk]), unit_data()).status_code == 404
    assert client.post(reverse("orgs:org_edit", args=[sd.steel.pk]),
                       unit_data(code=sd.steel.code, name="改名")).status_code == 404
    assert client.post(reverse("orgs:org_move", args=[sd.steel.pk]), {"parent": sd.qingdao.pk}).status_code == 404
    assert client.post(reverse("orgs:org_deactivate", args=[sd.steel.pk]), {"reason": "x"}).status_code == 404
    assert Org.objects.count() == before
    steel = fresh(sd.steel)
    assert steel.name == "济南钢铁集团有限公司工会" and steel.is_active and steel.path == sd.steel.path
    # Searching the whole tree finds only Qingdao's units.
    response = client.get(reverse("orgs:org_tree"), {"q": "工会"})
    names = {o.name for o in response.context["page"].object_list}
    assert names == {"青岛市总工会", "青岛港集团有限公司工会"}
    # Moving a Qingdao unit under a Jinan unit is refused: Jinan is not a parent they may choose.
    response = client.post(reverse("orgs:org_move", args=[sd.qd_enterprise.pk]), {"parent": sd.town.pk})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert fresh(sd.qd_enterprise).path == sd.qd_enterprise.path


def test_a_jinan_viewer_reads_but_cannot_change(client, sd):
    as_user(client, sd.jinan_viewer)
    response = client.get(reverse("orgs:org_detail", args=[sd.steel.pk]))
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert reverse("orgs:org_edit", args=[sd.steel.pk]).encode() not in response.content
    assert client.get(reverse("orgs:org_children", args=[sd.jinan.pk]), headers=HTMX).status_code == 200
    for name in ("org_create", "org_edit", "org_move", "org_deactivate"):
        assert client.get(reverse(f"orgs:{name}", args=[sd.steel.pk])).status_code == 403, name
    assert client.post(reverse("orgs:org_edit", args=[sd.steel.pk]),
                       unit_data(code=sd.steel.code, name="改名")).status_code == 403
    assert client.post(reverse("orgs:org_deactivate", args=[sd.steel.pk]), {"reason": "关停"}).status_code == 403
    assert client.post(reverse("orgs:org_create", args=[sd.town.pk]), unit_data()).status_code == 403
    steel = fresh(sd.steel)
    assert steel.name == "济南钢铁集团有限公司工会" and steel.is_active
    assert not Org.objects.filter(code="E0100").exists()


def test_a_county_cadre_adds_edits_moves_deactivates_and_reactivates_in_their_county(client, sd):
    as_user(client, sd.county_cadre)
    page = client.get(reverse("orgs:org_detail", args=[sd.town.pk]))
    assert page.context["can_change"] is True
    assert reverse("orgs:org_create", args=[sd.town.pk]).encode() in page.content

    response = client.post(reverse("orgs:org_create", args=[sd.town.pk]), unit_data(credit_code=credit_code(77)))
    new = Org.objects.get(code="E0100")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:org_detail", args=[new.pk])
    assert Org.objects.get_parent(new) == sd.town and new.kind == OrgKind.GRASSROOTS and new.employee_count == 120
    assert AuditEvent.objects.filter(verb="orgs.org.created", object_id=str(new.pk)).exists()

    response = client.post(reverse("orgs:org_edit", args=[new.pk]),
                           unit_data(credit_code=new.credit_code, ownership="private", address="泉城路1号"))
    assert response.status_code == 302
    new = fresh(new)
    assert new.ownership == "private" and new.address == "泉城路1号"

    response = client.post(reverse("orgs:org_move", args=[sd.team.pk]), {"parent": sd.steel.pk})
    assert response.status_code == 302
    assert Org.objects.get_parent(fresh(sd.team)) == sd.steel

    response = client.post(reverse("orgs:org_deactivate", args=[sd.workshop.pk]), {"reason": "车间撤并"})
    assert response.status_code == 302
    assert not fresh(sd.workshop).is_active
    event = AuditEvent.objects.get(verb="orgs.org.deactivated", object_id=str(sd.workshop.pk))
    assert event.note == "车间撤并"

    response = client.post(reverse("orgs:org_reactivate", args=[sd.workshop.pk]))
    assert response.status_code == 302 and fresh(sd.workshop).is_active


def test_a_county_cadre_cannot_add_above_their_county(client, sd):
    as_user(client, sd.county_cadre)
    assert client.get(reverse("orgs:org_detail", args=[sd.jinan.pk])).status_code == 404
    assert client.post(reverse("orgs:org_create", args=[sd.jinan.pk]),
                       unit_data(kind=OrgKind.COUNTY, code="370103")).status_code == 404
    assert not Org.objects.filter(code="370103").exists()


def test_an_industry_cadre_sees_the_affiliated_steel_union_through_the_industry_tree(client, sd):
    as_user(client, sd.industry_cadre)
    tree = client.get(reverse("orgs:org_tree"))
    assert [o.pk for o in tree.context["roots"]] == [sd.metallurgy.pk]
    assert tree.context["roots"][0].sub_people == 0  # its regional subtree is the union alone

    children = client.get(reverse("orgs:org_children", args=[sd.metallurgy.pk]), headers=HTMX)
    assert [o.pk for o in children.context["affiliates"]] == [sd.steel.pk]
    assert children.context["affiliates"][0].sub_people == 1  # 李强 in 炼钢一班
    assert "济南钢铁集团有限公司工会" in children.content.decode()

    page = client.get(reverse("orgs:org_detail", args=[sd.steel.pk]))
    assert page.status_code == 200
    assert [o.pk for o in page.context["trail"]] == [sd.metallurgy.pk, sd.steel.pk]
    assert page.context["figures"]["people"] == 1

    union = client.get(reverse("orgs:org_detail", args=[sd.metallurgy.pk]))
    assert [o.pk for o in union.context["affiliates"].object_list] == [sd.steel.pk]
    figures = union.context["industry_figures"]
    assert (figures["units"], figures["active"], figures["people"], figures["members"]) == (3, 3, 1, 0)

    assert client.get(reverse("orgs:org_detail", args=[sd.town.pk])).status_code == 404
    assert client.get(reverse("orgs:org_detail", args=[sd.jinan.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Tree, search and org page


def test_the_tree_starts_at_the_scope_root_with_subtree_figures(client, sd):
    services.join_union(actor=sd.enterprise_cadre, person=sd.worker_person)
    as_user(client, sd.jinan_cadre)
    tree = client.get(reverse("orgs:org_tree"))
    assert tree.status_code == 200
    (root,) = tree.context["roots"]
    assert root.pk == sd.jinan.pk
    assert (root.sub_orgs, root.sub_people, root.sub_members) == (6, 1, 1)

    children = client.get(reverse("orgs:org_children", args=[sd.town.pk]), headers=HTMX)
    (steel,) = children.context["children"]
    assert (steel.sub_orgs, steel.sub_people, steel.sub_members) == (3, 1, 1)
    # "active only" sums the rows instead of reading the counters: the same figures here
    active = client.get(reverse("orgs:org_children", args=[sd.town.pk]), {"inactive": "hide"}, headers=HTMX)
    (steel,) = active.context["children"]
    assert (steel.sub_orgs, steel.sub_people, steel.sub_members) == (3, 1, 1)
    assert f'hx-get="{reverse("orgs:org_children", args=[sd.steel.pk])}"'.encode() in children.content


def test_deactivated_units_are_dimmed_and_can_be_hidden(client, sd):
    services.deactivate_org(actor=sd.province_admin, org=sd.workshop, reason="撤并")
    as_user(client, sd.county_cadre)
    shown = client.get(reverse("orgs:org_children", args=[sd.steel.pk]), headers=HTMX)
    assert [o.pk for o in shown.context["children"]] == [sd.workshop.pk]
    assert b'class="inactive"' in shown.content
    hidden = client.get(reverse("orgs:org_children", args=[sd.steel.pk]), {"inactive": "hide"}, headers=HTMX)
    assert hidden.context["children"] == []
    steel_figures = client.get(reverse("orgs:org_children", args=[sd.town.pk]), {"inactive": "hide"}, headers=HTMX)
    assert steel_figures.context["children"][0].sub_people == 0  # 李强's team is deactivated


def test_search_finds_units_by_name_code_and_credit_code_with_their_path(client, sd):
    as_user(client, sd.jinan_cadre)
    for q in ("钢铁", "E0001", "e0001", sd.steel.credit_code):
        response = client.get(reverse("orgs:org_tree"), {"q": q}, headers=HTMX)
        assert response.status_code == 200
        pks = [o.pk for o in response.context["page"].object_list]
        assert sd.steel.pk in pks, q
    response = client.get(reverse("orgs:org_tree"), {"q": "炼钢一班"})
    (team,) = response.context["page"].object_list
    assert [a.name for a in team.trail] == ["济南市总工会", "历下区总工会", "解放路街道总工会",
                                            "济南钢铁集团有限公司工会", "炼钢车间"]
    assert "山东省总工会" not in [a.name for a in team.trail]  # above the cadre's scope


def test_a_province_admin_searches_the_whole_province(client, sd):
    as_user(client, sd.province_admin)
    response = client.get(reverse("orgs:org_tree"), {"q": "总工会"})
    assert {o.name for o in response.context["page"].object_list} == {
        "山东省总工会", "济南市总工会", "青岛市总工会", "历下区总工会", "解放路街道总工会"}
    response = client.get(reverse("orgs:org_tree"), {"q": "冶金"})
    assert [o.pk for o in response.context["page"].object_list] == [sd.metallurgy.pk]


def test_the_org_page_shows_properties_children_links_and_a_readable_timeline(client, sd):
    services.update_org(actor=sd.province_admin, org=sd.steel, ownership="private", employee_count=3300)
    as_user(client, sd.county_cadre)
    response = client.get(reverse("orgs:org_detail", args=[sd.steel.pk]), headers=EN)
    assert response.status_code == 200
    assert [o.pk for o in response.context["trail"]] == [sd.lixia.pk, sd.town.pk, sd.steel.pk]
    assert [o.pk for o in response.context["page"].object_list] == [sd.workshop.pk]
    html = response.content.decode()
    assert reverse("orgs:person_list") + f"?org={sd.steel.pk}" in html
    assert reverse("core:import_list") + f"?org={sd.steel.pk}" in html
    assert "山东省冶金工会" in html
    (event,) = response.context["events"]
    assert event.verb_label == "Organisation edited"
    assert ("Ownership", "State-owned", "Private") in event.changes
    assert ("Number of employees", "3,200", "3,300") in event.changes  # figures grouped


# ---------------------------------------------------------------------------------------------
# Bad input: a clear field error, nothing changed


@pytest.fixture
def county(client, sd):
    return as_user(client, sd.county_cadre)


def assert_nothing_created(before_orgs: int, before_events: int) -> None:
    assert Org.objects.count() == before_orgs
    assert AuditEvent.objects.count() == before_events


def test_a_wrong_credit_code_check_character_is_refused_on_the_field(county, sd):
    counts = Org.objects.count(), AuditEvent.objects.count()
    response = county.post(reverse("orgs:org_create", args=[sd.town.pk]),
                           unit_data(credit_code=bad_check_character(credit_code(78))))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["credit_code"]
    assert b'class="error"' in response.content
    assert_nothing_created(*counts)


def test_a_duplicate_code_is_refused_on_the_field(county, sd):
    counts = Org.objects.count(), AuditEvent.objects.count()
    response = county.post(reverse("orgs:org_create", args=[sd.town.pk]), unit_data(code="E0001"))
    assert response.status_code == 200
    assert "E0001" in response.context["form"].errors["code"][0]
    assert_nothing_created(*counts)
    response = county.post(reverse("orgs:org_edit", args=[sd.workshop.pk]),
                           unit_data(kind=OrgKind.DEPARTMENT, name="炼钢车间", code="E0001"))
    assert "code" in response.context["form"].errors
    assert fresh(sd.workshop).code == "E0001-01"


def test_a_kind_not_allowed_under_the_parent_is_refused_on_the_field(county, sd):
    counts = Org.objects.count(), AuditEvent.objects.count()
    form = county.get(reverse("orgs:org_create", args=[sd.town.pk])).context["form"]
    assert [k for k, _label in form.fields["kind"].widget.choices] == [OrgKind.GRASSROOTS]
    response = county.post(reverse("orgs:org_create", args=[sd.town.pk]), unit_data(kind=OrgKind.CITY))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["kind"]
    assert_nothing_created(*counts)


def test_a_move_under_its_own_descendant_is_refused_on_the_field(county, sd):
    counts = Org.objects.count(), AuditEvent.objects.count()
    response = county.post(reverse("orgs:org_move", args=[sd.steel.pk]), {"parent": sd.workshop.pk})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    assert fresh(sd.steel).path == sd.steel.path and fresh(sd.team).path == sd.team.path
    assert_nothing_created(*counts)


def test_move_candidates_offer_only_other_allowed_parents_outside_the_subtree(county, sd):
    other_workshop = org(sd.steel, "轧钢车间", OrgKind.DEPARTMENT, "E0001-02")
    response = county.get(reverse("orgs:org_move", args=[sd.team.pk]), {"q": "E0001"}, headers=HTMX)
    assert [c.pk for c in response.context["candidates"]] == [sd.steel.pk, other_workshop.pk]
    assert response.context["candidates"][0].trail == [sd.lixia, sd.town]
    response = county.get(reverse("orgs:org_move", args=[sd.workshop.pk]), {"q": "E0001"}, headers=HTMX)
    assert [c.pk for c in response.context["candidates"]] == [other_workshop.pk]


def test_deactivation_needs_a_reason_and_says_what_is_affected(county, sd):
    page = county.get(reverse("orgs:org_deactivate", args=[sd.steel.pk]))
    assert page.context["affected"] == {"units": 3, "people": 1, "members": 0}
    response = county.post(reverse("orgs:org_deactivate", args=[sd.steel.pk]), {"reason": "  "})
    assert list(response.context["form"].errors) == ["reason"]
    assert fresh(sd.steel).is_active


# ---------------------------------------------------------------------------------------------
# Constant query counts


def add_children(parent: Org, n: int, people: bool = True) -> None:
    for i in range(n):
        kind = OrgKind.GRASSROOTS if parent.kind == OrgKind.TOWN else OrgKind.DEPARTMENT
        child = org(parent, f"新增单位{i:03d}", kind)
        if people:
            person(child, f"职工{i:03d}")


def test_the_children_fragment_keeps_a_constant_number_of_queries(client, sd, django_assert_max_num_queries):
    as_user(client, sd.jinan_cadre)
    url = reverse("orgs:org_children", args=[sd.steel.pk])
    with django_assert_max_num_queries(10):
        assert client.get(url, headers=HTMX).status_code == 200
    add_children(fresh(sd.steel), 50)
    with django_assert_max_num_queries(10):
        response = client.get(url, headers=HTMX)
    assert len(response.context["children"]) == 51
    assert response.context["children"][-1].sub_people == 1


def test_a_large_tree_still_loads_in_constant_queries_and_chunks(client, sd, django_assert_max_num_queries):
    add_children(fresh(sd.town), 120, people=False)
    as_user(client, sd.jinan_cadre)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:org_children", args=[sd.town.pk]), headers=HTMX)
    assert len(response.context["children"]) == 100 and response.context["more"]
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:org_children", args=[sd.town.pk]), {"offset": 100}, headers=HTMX)
    assert len(response.context["children"]) == 21 and not response.context["more"]
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orgs:org_tree")).status_code == 200


def test_search_keeps_a_constant_number_of_queries(client, sd, django_assert_max_num_queries):
    """(The navigation asks once whether the user is also a judge, and the header counts the unread messages: one
    query each on every full page.)"""
    as_user(client, sd.jinan_cadre)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("orgs:org_tree"), {"q": "工会"}).status_code == 200
    add_children(fresh(sd.steel), 50)
    add_children(fresh(sd.town), 50, people=False)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orgs:org_tree"), {"q": "单位"})
    assert response.context["page"].paginator.count == 100
    assert all(o.trail for o in response.context["page"].object_list)


def test_the_org_page_keeps_a_constant_number_of_queries(client, sd, django_assert_max_num_queries):
    as_user(client, sd.county_cadre)
    url = reverse("orgs:org_detail", args=[sd.steel.pk])
    with django_assert_max_num_queries(15):  # 14 + the honours panel (the org's own titles, one query)
        assert client.get(url).status_code == 200
    add_children(fresh(sd.steel), 50)
    for i in range(5):
        services.update_org(actor=sd.province_admin, org=fresh(sd.steel), employee_count=4000 + i)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.context["figures"]["people"] == 51


def test_an_industry_union_page_keeps_a_constant_number_of_queries(client, sd, django_assert_max_num_queries):
    as_user(client, sd.industry_cadre)
    url = reverse("orgs:org_detail", args=[sd.metallurgy.pk])
    with django_assert_max_num_queries(17):  # 15 + the header's unread-message count + the honours panel
        assert client.get(url).status_code == 200
    town = fresh(sd.town)
    for i in range(50):
        enterprise = org(town, f"冶金企业{i:02d}工会", OrgKind.GRASSROOTS, industry_union=sd.metallurgy,
                         industry_path=sd.metallurgy.path)
        person(enterprise, f"职工{i:02d}")
    with django_assert_max_num_queries(17):
        response = client.get(url)
    assert response.context["affiliates"].paginator.count == 51
    assert response.context["industry_figures"]["people"] == 51


# ---------------------------------------------------------------------------------------------
# 导出Excel


def read_xlsx(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_tree_export_lists_every_unit_in_scope_with_formulas_escaped(client, sd):
    org(sd.town, "=HYPERLINK(\"http://evil\")", OrgKind.GRASSROOTS, "E0999", contact_name="+86 张", address="@home")
    as_user(client, sd.county_cadre)
    rows = read_xlsx(client.get(reverse("orgs:org_tree"), {"export": "xlsx"}))
    names = [r[0] for r in rows[1:]]
    assert names == ["历下区总工会", "解放路街道总工会", "济南钢铁集团有限公司工会", "炼钢车间", "炼钢一班",
                     "'=HYPERLINK(\"http://evil\")"]
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for r in rows for v in r)
    steel = rows[3]
    assert steel[4] == "历下区总工会 › 解放路街道总工会"
    assert steel[-3:] == (3, 1, 0)
    evil = rows[-1]
    assert "'+86 张" in evil and "'@home" in evil


def test_the_search_export_lists_all_matches_not_only_the_first_page(client, sd, settings):
    settings.PAGE_SIZE = 2
    as_user(client, sd.jinan_cadre)
    rows = read_xlsx(client.get(reverse("orgs:org_tree"), {"q": "E0001", "export": "xlsx"}))
    assert [r[2] for r in rows[1:]] == ["E0001", "E0001-01", "E0001-01-01"]


def test_the_org_page_exports_its_subtree(client, sd):
    as_user(client, sd.industry_cadre)
    rows = read_xlsx(client.get(reverse("orgs:org_detail", args=[sd.steel.pk]), {"export": "xlsx"}))
    assert [r[0] for r in rows[1:]] == ["济南钢铁集团有限公司工会", "炼钢车间", "炼钢一班"]
    assert rows[1][13] == "山东省冶金工会"
