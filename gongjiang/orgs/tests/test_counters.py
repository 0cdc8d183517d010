"""The pre-aggregated counters (counters.py): after every verb they equal a rebuild from the rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from gongjiang.orgs import counters, services
from gongjiang.orgs.choices import MembershipStatus, OrgKind
from gongjiang.orgs.models import Org
from gongjiang.orgs.tests.factories import id_number

FIELDS = ("path", "is_active", *counters.OWN, *counters.TREE)


def snapshot() -> dict[int, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in Org.objects.order_by("pk").values_list("pk", *FIELDS)}


def assert_counters_true() -> None:
    """The stored counters equal what a rebuild from the rows gives (and the rebuild changes nothing)."""
    kept = snapshot()
    assert counters.rebuild() == 0, "a rebuild had to repair counters"
    assert snapshot() == kept


def test_the_factory_province_starts_consistent(sd):
    assert_counters_true()
    sd.province.refresh_from_db()
    assert sd.province.tree_orgs == Org.objects.count()
    assert sd.province.tree_people == sum(Org.objects.values_list("person_count", flat=True)) > 0


def test_creating_people_and_members_updates_the_chain(sd):
    before = Org.objects.get(pk=sd.province.pk)
    services.create_person(actor=sd.enterprise_cadre, employer=sd.team, name="王五", id_number=id_number(),
                           is_front_line=True, is_migrant=True,
                           membership={"member_since": datetime.date(2020, 1, 1)})
    assert_counters_true()
    after = Org.objects.get(pk=sd.province.pk)
    assert (after.tree_people, after.tree_members) == (before.tree_people + 1, before.tree_members + 1)
    assert (after.tree_front_line, after.tree_migrant) == (before.tree_front_line + 1, before.tree_migrant + 1)
    team = Org.objects.get(pk=sd.team.pk)
    assert (team.person_count, team.front_line_count, team.migrant_count) == (team.tree_people, 1 + (
        team.tree_front_line - 1), team.tree_migrant)


def test_editing_flags_and_employer_membership_status_and_transfers_keep_counters_true(sd):
    person = services.create_person(actor=sd.enterprise_cadre, employer=sd.team, name="赵六", id_number=id_number(),
                                    membership={"member_since": datetime.date(2019, 5, 1)})
    services.update_person(actor=sd.enterprise_cadre, person=person, is_front_line=True, is_migrant=True)
    assert_counters_true()
    services.update_person(actor=sd.enterprise_cadre, person=person, employer=sd.workshop)
    assert_counters_true()
    services.change_membership_status(actor=sd.enterprise_cadre, person=person, status=MembershipStatus.LEFT,
                                      reason="退休")
    assert_counters_true()
    services.change_membership_status(actor=sd.enterprise_cadre, person=person, status=MembershipStatus.ACTIVE,
                                      reason="复会")
    transfer = services.request_transfer(actor=sd.enterprise_cadre, person=person, to_employer=sd.qd_enterprise)
    services.accept_transfer(actor=sd.qingdao_cadre, transfer=transfer)
    assert_counters_true()
    qingdao = Org.objects.get(pk=sd.qingdao.pk)
    assert qingdao.tree_people >= 1 and qingdao.tree_members >= 1 and qingdao.tree_front_line >= 1


def test_adding_moving_deactivating_and_reactivating_units_keep_counters_true(sd):
    province = Org.objects.get(pk=sd.province.pk)
    unit = services.create_org(actor=sd.county_cadre, parent=sd.town, name="历下新企业工会", code="T-NEW-1",
                               kind=OrgKind.GRASSROOTS)
    assert_counters_true()
    assert Org.objects.get(pk=sd.province.pk).tree_orgs == province.tree_orgs + 1
    services.create_person(actor=sd.county_cadre, employer=unit, name="钱七", id_number=id_number(),
                           membership={})
    services.move_org(actor=sd.province_admin, org=unit, new_parent=sd.qingdao)
    assert_counters_true()
    jinan, qingdao = Org.objects.get(pk=sd.jinan.pk), Org.objects.get(pk=sd.qingdao.pk)
    assert qingdao.tree_people >= 1
    services.deactivate_org(actor=sd.province_admin, org=sd.jinan, reason="测试")
    assert_counters_true()
    assert Org.objects.get(pk=sd.province.pk).tree_active == province.tree_active + 1 - jinan.tree_orgs
    assert Org.objects.get(pk=sd.jinan.pk).tree_people == jinan.tree_people  # people stay counted
    services.reactivate_org(actor=sd.province_admin, org=sd.jinan)
    assert_counters_true()
    assert Org.objects.get(pk=sd.province.pk).tree_active == province.tree_active + 1


def test_a_roster_import_keeps_counters_true(sd):
    from gongjiang.core.models import ImportJob
    from gongjiang.orgs.tests.test_roster_import import row, run

    job = run(sd.enterprise_cadre, sd.steel, [
        row("孙八", joined="2020-01-01", unit=sd.workshop.code),
        row("周九", unit=sd.team.code),
        row("李强", sd.worker_person.id_number, unit=sd.workshop.code),  # a known person moves unit
    ])
    assert job.state == ImportJob.State.DONE, job.errors
    assert_counters_true()


@pytest.mark.parametrize("field", ["person_count", "tree_people", "tree_active", "tree_migrant"])
def test_rebuild_repairs_a_damaged_counter(sd, field):
    kept = snapshot()
    Org.objects.filter(pk=sd.jinan.pk).update(**{field: 777})
    assert counters.rebuild() == 1
    assert snapshot() == kept


def units_by_kind_counted(org: Org) -> dict[str, int]:
    """What the overview showed before the kind counters: one GROUP BY over the active units `org` reaches."""
    from django.db.models import Count

    from gongjiang.orgs import queries

    rows = Org.objects.filter(queries.reach_q(org), is_active=True).order_by().values_list("kind").annotate(
        n=Count("id"))
    return {kind: n for kind, n in rows}


def assert_units_by_kind_true(*orgs: Org) -> None:
    from gongjiang.orgs import queries

    for org in orgs:
        org = Org.objects.get(pk=org.pk)
        found = {k: n for k, n in queries.units_by_kind(org, covers_everything=org.covers_everything()).items() if n}
        assert found == units_by_kind_counted(org), org.name


def test_units_by_kind_follow_every_tree_change(sd):
    """The active units of each kind per subtree (read by the overview) stay what a GROUP BY over the units gives,
    for every scope — an industry union reaching its affiliates outside its subtree too — through additions, kind
    changes, moves, deactivation and reactivation."""
    everyone = (sd.province, sd.jinan, sd.qingdao, sd.lixia, sd.town, sd.metallurgy, sd.steel, sd.workshop)
    assert_units_by_kind_true(*everyone)
    assert Org.objects.get(pk=sd.province.pk).tree_grassroots == 2
    empty = services.create_org(actor=sd.province_admin, parent=sd.province, name="空的工会", code="T-K-1",
                                kind=OrgKind.GRASSROOTS)
    dept = services.create_org(actor=sd.enterprise_cadre, parent=sd.steel, name="新车间", code="T-K-2",
                               kind=OrgKind.DEPARTMENT)
    assert_counters_true()
    assert_units_by_kind_true(*everyone)
    services.update_org(actor=sd.province_admin, org=empty, kind=OrgKind.INDUSTRY)
    services.update_org(actor=sd.province_admin, org=dept, kind=OrgKind.TEAM)
    assert_counters_true()
    assert_units_by_kind_true(*everyone, empty)
    province = Org.objects.get(pk=sd.province.pk)
    assert (province.tree_industry, province.tree_grassroots, province.tree_team) == (2, 2, 2)
    services.move_org(actor=sd.province_admin, org=sd.steel, new_parent=sd.qingdao)
    assert_counters_true()
    assert_units_by_kind_true(*everyone)
    services.deactivate_org(actor=sd.province_admin, org=sd.qingdao, reason="测试")
    assert_counters_true()
    assert_units_by_kind_true(*everyone)
    assert Org.objects.get(pk=sd.province.pk).tree_team == 0
    services.update_org(actor=sd.province_admin, org=dept, kind=OrgKind.DEPARTMENT)  # inactive: counts nothing
    assert_counters_true()
    services.reactivate_org(actor=sd.province_admin, org=sd.qingdao)
    assert_counters_true()
    assert_units_by_kind_true(*everyone)
    assert Org.objects.get(pk=sd.qingdao.pk).tree_department == 2


def test_rebuild_repairs_a_damaged_kind_counter(sd):
    kept = snapshot()
    Org.objects.filter(pk=sd.jinan.pk).update(tree_grassroots=9, tree_city=0)
    assert counters.rebuild() == 1
    assert snapshot() == kept
