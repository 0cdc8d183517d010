"""The verbs of the org tree, people, membership, transfers and accounts, read as specifications with the
personas of the 山东 province (see factories.build_province)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.orgs import counters, services
from gongjiang.orgs.auth import AccountDisabled, UsernameOrPhoneBackend
from gongjiang.orgs.choices import MembershipStatus, OrgKind, Role, SkillGrade, TransferState
from gongjiang.orgs.models import (
    ApiToken,
    LoginAttempt,
    Membership,
    MembershipTransfer,
    Occupation,
    Org,
    Person,
    RoleGrant,
    SkillGradeRecord,
    User,
)
from gongjiang.orgs.tests.factories import credit_code, id_number, org, person

K = OrgKind
PASSWORD = "Gongjiang-2026"


def events(verb: str, obj=None):
    """The audit events of `verb` (about `obj`), newest first."""
    qs = AuditEvent.objects.filter(verb=verb).order_by("-id")
    if obj is None:
        return qs
    return qs.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))


def reload(*objs):
    for o in objs:
        o.refresh_from_db()


# =============================================================================================
# Orgs


def test_a_city_cadre_adds_an_enterprise_union_under_a_county(sd):
    code = credit_code(77)
    union = services.create_org(actor=sd.jinan_cadre, parent=sd.lixia, name=" 山东重工集团有限公司工会 ",
                                code="E0077", kind=K.GRASSROOTS, credit_code=code.lower(), industry="C")
    assert union.name == "山东重工集团有限公司工会"
    assert union.credit_code == code
    assert Org.objects.get_parent(union) == sd.lixia
    assert union.path.startswith(sd.lixia.path) and union.depth == sd.lixia.depth + 1
    event = events("orgs.org.created", union).get()
    assert event.actor == sd.jinan_cadre
    assert event.after["name"] == "山东重工集团有限公司工会" and event.org_path == union.path


def test_staff_may_add_units_in_their_subtree(sd):
    team = services.create_org(actor=sd.enterprise_cadre, parent=sd.workshop, name="炼钢二班", code="E0001-01-02",
                               kind=K.TEAM)
    assert team.industry_path == sd.metallurgy.path  # inherits the enterprise's industry affiliation


@pytest.mark.parametrize("parent, kind", [
    ("lixia", K.CITY), ("lixia", K.PROVINCE), ("town", K.COUNTY), ("steel", K.GRASSROOTS), ("team", K.TEAM),
    ("jinan", K.DEPARTMENT), ("workshop", K.GRASSROOTS),
])
def test_a_kind_that_cannot_sit_under_the_parent_is_refused(sd, parent, kind):
    count = Org.objects.count()
    with pytest.raises(DomainError) as e:
        services.create_org(actor=sd.province_admin, parent=getattr(sd, parent), name="新单位", code="NEW1",
                            kind=kind)
    assert "kind" in e.value.errors
    assert Org.objects.count() == count


@pytest.mark.parametrize("parent, kind", [
    ("province", K.CITY), ("province", K.GRASSROOTS), ("jinan", K.INDUSTRY), ("lixia", K.TOWN),
    ("metallurgy", K.GRASSROOTS), ("steel", K.DEPARTMENT), ("workshop", K.DEPARTMENT), ("steel", K.TEAM),
])
def test_a_kind_allowed_under_the_parent_is_accepted(sd, parent, kind):
    new = services.create_org(actor=sd.province_admin, parent=getattr(sd, parent), name="新单位", code="NEW1",
                              kind=kind)
    assert new.kind == kind


def test_a_wrong_credit_code_and_a_duplicate_code_are_named_together(sd):
    good = credit_code(78)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DomainError) as e:
        services.create_org(actor=sd.jinan_cadre, parent=sd.lixia, name="某公司工会", code=sd.steel.code,
                            kind=K.GRASSROOTS, credit_code=bad, region_code="3701", contact_phone="电话")
    assert set(e.value.errors) == {"code", "credit_code", "region_code", "contact_phone"}
    assert sd.steel.code in e.value.errors["code"]
    assert not Org.objects.filter(name="某公司工会").exists()


def test_a_credit_code_already_registered_is_refused(sd):
    with pytest.raises(DomainError) as e:
        services.create_org(actor=sd.jinan_cadre, parent=sd.lixia, name="某公司工会", code="E0099",
                            kind=K.GRASSROOTS, credit_code=sd.steel.credit_code)
    assert "credit_code" in e.value.errors


def test_an_empty_name_or_code_is_refused(sd):
    with pytest.raises(DomainError) as e:
        services.create_org(actor=sd.jinan_cadre, parent=sd.lixia, name="  ", code="", kind=K.GRASSROOTS)
    assert set(e.value.errors) == {"name", "code"}


def test_only_an_industry_union_can_be_the_affiliation(sd):
    with pytest.raises(DomainError) as e:
        services.create_org(actor=sd.jinan_cadre, parent=sd.lixia, name="某公司工会", code="E0099",
                            kind=K.GRASSROOTS, industry_union=sd.jinan)
    assert "industry_union" in e.value.errors


def test_no_units_are_added_under_a_deactivated_org(sd):
    services.deactivate_org(actor=sd.province_admin, org=sd.town, reason="撤并")
    with pytest.raises(DomainError):
        services.create_org(actor=sd.province_admin, parent=sd.town, name="新单位", code="NEW1", kind=K.GRASSROOTS)


def test_only_a_superuser_creates_a_root(sd):
    with pytest.raises(PermissionDeniedError):
        services.create_org(actor=sd.province_admin, parent=None, name="河北省总工会", code="13", kind=K.PROVINCE)
    root = User.objects.create_superuser("root", password=PASSWORD)
    hebei = services.create_org(actor=root, parent=None, name="河北省总工会", code="13", kind=K.PROVINCE)
    assert hebei.depth == 1


def test_update_org_records_only_what_changed(sd):
    services.update_org(actor=sd.enterprise_cadre, org=sd.steel, name="济钢集团工会", contact_phone="0531-88888888",
                        kind=K.GRASSROOTS)
    sd.steel.refresh_from_db()
    assert sd.steel.name == "济钢集团工会"
    event = events("orgs.org.updated", sd.steel).get()
    assert event.before == {"name": "济南钢铁集团有限公司工会", "contact_phone": ""}
    assert event.after == {"name": "济钢集团工会", "contact_phone": "0531-88888888"}
    services.update_org(actor=sd.enterprise_cadre, org=sd.steel, name="济钢集团工会")
    assert events("orgs.org.updated", sd.steel).count() == 1  # nothing changed, nothing recorded


def test_update_org_refuses_a_bad_value_and_changes_nothing(sd):
    with pytest.raises(DomainError) as e:
        services.update_org(actor=sd.enterprise_cadre, org=sd.steel, name="新名", credit_code="91350100M000100Y44")
    assert "credit_code" in e.value.errors
    sd.steel.refresh_from_db()
    assert sd.steel.name == "济南钢铁集团有限公司工会"


def test_update_org_cannot_touch_the_tree_or_the_counters(sd):
    for field in ("path", "depth", "industry_path", "person_count", "is_active"):
        with pytest.raises(TypeError):
            services.update_org(actor=sd.province_admin, org=sd.steel, **{field: "0"})


def test_a_kind_change_must_fit_the_parent_the_units_below_and_the_people(sd):
    with pytest.raises(DomainError) as e:  # a town union under a city
        services.update_org(actor=sd.province_admin, org=sd.lixia, kind=K.TOWN)
    assert "kind" in e.value.errors
    with pytest.raises(DomainError) as e:  # the workshop holds a team, and the steel union people
        services.update_org(actor=sd.province_admin, org=sd.steel, kind=K.TOWN)
    assert "kind" in e.value.errors
    empty = org(sd.lixia, "某空壳工会", K.GRASSROOTS)
    services.update_org(actor=sd.province_admin, org=empty, kind=K.INDUSTRY)
    empty.refresh_from_db()
    assert empty.kind == K.INDUSTRY
    services.update_org(actor=sd.province_admin, org=sd.team, kind=K.DEPARTMENT)  # still an employer
    with pytest.raises(DomainError):  # the team employs 李强
        services.update_org(actor=sd.province_admin, org=sd.team, kind=K.INDUSTRY)
    sd.team.refresh_from_db()
    assert sd.team.kind == K.DEPARTMENT


def test_changing_the_affiliation_re_paths_the_units_that_inherited_it(sd):
    power = org(sd.province, "山东省电力工会", K.INDUSTRY, "37-DL")
    services.update_org(actor=sd.province_admin, org=sd.steel, industry_union=power)
    for o in (sd.steel, sd.workshop, sd.team):
        o.refresh_from_db()
        assert o.industry_path == power.path
    services.update_org(actor=sd.province_admin, org=sd.steel, industry_union=None)
    for o in (sd.steel, sd.workshop, sd.team):
        o.refresh_from_db()
        assert o.industry_path == ""


def test_moving_an_enterprise_moves_its_subtree_and_keeps_the_counts(sd):
    old_team_path = sd.team.path
    moved = services.move_org(actor=sd.province_admin, org=sd.steel, new_parent=sd.qingdao)
    reload(sd.workshop, sd.team, sd.steel)
    assert Org.objects.get_parent(moved) == sd.qingdao
    assert sd.steel.path.startswith(sd.qingdao.path)
    assert sd.workshop.path.startswith(sd.steel.path) and sd.team.path.startswith(sd.workshop.path)
    assert sd.team.path != old_team_path
    assert sd.team.person_count == 1
    assert sd.worker_person in Person.objects.filter(employer__path__startswith=sd.qingdao.path)
    assert sd.team.industry_path == sd.metallurgy.path  # its own affiliation travels with it
    event = events("orgs.org.moved", sd.steel).get()
    assert event.before == {"parent": "解放路街道总工会"} and event.after == {"parent": "青岛市总工会"}
    assert "1" in event.note


def test_a_moved_enterprise_takes_its_history_and_imports_along(sd):
    """Audit events and import jobs keep a union's path as text: after a move, Qingdao sees the enterprise's
    history and imports, Jinan (which no longer holds it) does not."""
    from gongjiang.core import imports
    from gongjiang.core.models import ImportJob
    from gongjiang.orgs.imports import roster_import

    services.update_person(actor=sd.enterprise_cadre, person=sd.worker_person, mobile="13900000001")
    job = imports.new_job(roster_import, sd.workshop, filename="名册.xlsx", state=ImportJob.State.DONE)
    job.save()
    history = AuditEvent.objects.filter(org_path__startswith=sd.steel.path).count()
    assert history and AuditEvent.objects.for_user(sd.jinan_cadre).filter(verb="orgs.person.updated").exists()
    services.move_org(actor=sd.province_admin, org=sd.steel, new_parent=sd.qingdao)
    reload(sd.steel, sd.workshop)
    job.refresh_from_db()
    assert job.org_path == sd.workshop.path
    assert ImportJob.objects.for_user(sd.qingdao_cadre).filter(pk=job.pk).exists()
    assert not ImportJob.objects.for_user(sd.jinan_cadre).filter(pk=job.pk).exists()
    assert AuditEvent.objects.filter(org_path__startswith=sd.steel.path).count() >= history + 1
    assert AuditEvent.objects.for_user(sd.qingdao_cadre).filter(verb="orgs.person.updated").exists()
    assert not AuditEvent.objects.for_user(sd.jinan_cadre).filter(verb="orgs.person.updated").exists()


def test_a_move_under_an_affiliated_union_re_inherits_the_industry_path(sd):
    plain = org(sd.town, "某机械厂工会", K.GRASSROOTS)
    shop = org(plain, "机加车间", K.DEPARTMENT)
    services.move_org(actor=sd.province_admin, org=shop, new_parent=sd.steel)
    shop.refresh_from_db()
    assert shop.industry_path == sd.metallurgy.path
    services.move_org(actor=sd.province_admin, org=shop, new_parent=plain)
    shop.refresh_from_db()
    assert shop.industry_path == ""


def test_a_move_under_its_own_descendant_is_refused_and_nothing_changes(sd):
    paths = dict(Org.objects.values_list("pk", "path"))
    for target in (sd.lixia, sd.town, sd.workshop, sd.jinan):
        with pytest.raises(DomainError) as e:
            services.move_org(actor=sd.province_admin, org=sd.jinan, new_parent=target)
        assert "parent" in e.value.errors
    assert dict(Org.objects.values_list("pk", "path")) == paths
    assert not events("orgs.org.moved").exists()


def test_a_move_to_a_parent_of_the_wrong_kind_is_refused(sd):
    with pytest.raises(DomainError):
        services.move_org(actor=sd.province_admin, org=sd.lixia, new_parent=sd.qd_enterprise)
    sd.lixia.refresh_from_db()
    assert sd.lixia.path.startswith(sd.jinan.path)


def test_the_root_cannot_be_moved_and_a_deactivated_parent_is_refused(sd):
    with pytest.raises(DomainError):
        services.move_org(actor=sd.province_admin, org=sd.province, new_parent=sd.jinan)
    services.deactivate_org(actor=sd.province_admin, org=sd.qingdao)
    with pytest.raises(DomainError):
        services.move_org(actor=sd.province_admin, org=sd.steel, new_parent=Org.objects.get(pk=sd.qingdao.pk))


def test_a_department_with_people_does_not_leave_its_grassroots_union(sd):
    with pytest.raises(DomainError) as e:
        services.move_org(actor=sd.province_admin, org=sd.workshop, new_parent=sd.qd_enterprise)
    assert "parent" in e.value.errors
    sd.workshop.refresh_from_db()
    assert sd.workshop.path.startswith(sd.steel.path)
    empty = org(sd.steel, "空车间", K.DEPARTMENT)
    services.move_org(actor=sd.province_admin, org=empty, new_parent=sd.qd_enterprise)


def test_deactivating_an_org_deactivates_its_subtree_and_deletes_nothing(sd):
    count = Org.objects.count()
    services.deactivate_org(actor=sd.jinan_cadre, org=sd.lixia, reason="区划调整")
    assert Org.objects.count() == count
    assert not Org.objects.filter(path__startswith=sd.lixia.path, is_active=True).exists()
    assert Org.objects.get(pk=sd.jinan.pk).is_active
    event = events("orgs.org.deactivated", sd.lixia).get()
    assert (event.before, event.after, event.note) == ({"is_active": True}, {"is_active": False}, "区划调整")
    with pytest.raises(DomainError):
        services.deactivate_org(actor=sd.province_admin, org=sd.lixia)  # already
    with pytest.raises(DomainError):
        services.deactivate_org(actor=sd.province_admin, org=sd.province)  # the root


def test_reactivation_needs_an_active_parent(sd):
    services.deactivate_org(actor=sd.province_admin, org=sd.lixia)
    with pytest.raises(DomainError):
        services.reactivate_org(actor=sd.province_admin, org=Org.objects.get(pk=sd.steel.pk))
    services.reactivate_org(actor=sd.province_admin, org=sd.lixia)
    assert Org.objects.filter(path__startswith=sd.lixia.path, is_active=True).count() == 5
    assert events("orgs.org.reactivated", sd.lixia).exists()


def test_an_org_with_people_cannot_be_hard_deleted(sd):
    with pytest.raises(ProtectedError):
        Org.objects.get(pk=sd.team.pk).delete()
    with pytest.raises(ProtectedError):
        Org.objects.filter(pk=sd.steel.pk).delete()  # a descendant holds people
    assert Org.objects.filter(pk=sd.team.pk).exists()


# =============================================================================================
# People


def test_an_enterprise_cadre_registers_a_worker_who_joins_the_union(sd):
    number = id_number(birth=datetime.date(1985, 5, 20), seq=20, female=True)
    lathe = Occupation.objects.get(code="6-18-01-01")
    worker = services.create_person(actor=sd.enterprise_cadre, employer=sd.workshop, name="刘敏", id_number=number,
                                    mobile="139 0000 0011", ethnicity="汉族", trade=lathe,
                                    skill_grade=SkillGrade.GRADE4,
                                    membership={"member_since": datetime.date(2010, 1, 1), "card_no": "J001"})
    assert worker.gender == "F" and worker.birth_date == datetime.date(1985, 5, 20)
    assert worker.mobile == "13900000011"
    assert worker.id_masked == "*" * 14 + number[-4:]
    assert number not in worker.id_encrypted and worker.id_number == number
    assert worker.membership.union == sd.steel and worker.membership.status == MembershipStatus.ACTIVE
    assert worker.grade_records.get().grade == SkillGrade.GRADE4
    reload(sd.workshop, sd.steel)
    assert sd.workshop.person_count == 1 and sd.steel.member_count == 1
    assert events("orgs.person.created", worker).get().after["name"] == "刘敏"
    assert events("orgs.membership.joined", worker).exists()


def test_a_wrong_id_number_is_refused(sd):
    good = id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DomainError) as e:
        services.create_person(actor=sd.enterprise_cadre, employer=sd.steel, name="刘敏", id_number=bad)
    assert "id_number" in e.value.errors
    assert not Person.objects.filter(name="刘敏").exists()


def test_a_birth_date_and_gender_disagreeing_with_the_id_are_refused(sd):
    number = id_number(birth=datetime.date(1985, 5, 20), seq=20)  # a man
    with pytest.raises(DomainError) as e:
        services.create_person(actor=sd.enterprise_cadre, employer=sd.steel, name="刘敏", id_number=number,
                               birth_date=datetime.date(1985, 5, 21), gender="F")
    assert set(e.value.errors) == {"birth_date", "gender"}
    assert "1985-05-20" in e.value.errors["birth_date"]


def test_a_person_already_registered_is_refused(sd):
    with pytest.raises(DomainError) as e:
        services.create_person(actor=sd.province_admin, employer=sd.steel, name="李强",
                               id_number=sd.worker_person.id_number.lower())
    assert "id_number" in e.value.errors
    assert Person.objects.filter(name="李强").count() == 1


@pytest.mark.parametrize("employer", ["town", "lixia", "metallurgy"])
def test_people_are_employed_only_by_grassroots_unions_and_below(sd, employer):
    with pytest.raises(DomainError) as e:
        services.create_person(actor=sd.province_admin, employer=getattr(sd, employer), name="刘敏",
                               id_number=id_number())
    assert "employer" in e.value.errors


def test_bad_mobile_ethnicity_and_grade_are_named(sd):
    with pytest.raises(DomainError) as e:
        services.create_person(actor=sd.enterprise_cadre, employer=sd.steel, name="", id_number=id_number(),
                               mobile="12345", ethnicity="火星族", skill_grade=9)
    assert set(e.value.errors) == {"name", "mobile", "ethnicity", "skill_grade"}


def test_a_cadre_corrects_a_record_and_the_change_is_recorded(sd):
    li = sd.worker_person
    services.update_person(actor=sd.enterprise_cadre, person=li, mobile="13900000022", post="炉前工",
                           employer=sd.workshop)
    li.refresh_from_db()
    assert (li.mobile, li.post, li.employer) == ("13900000022", "炉前工", sd.workshop)
    reload(sd.team, sd.workshop)
    assert (sd.team.person_count, sd.workshop.person_count) == (0, 1)
    event = events("orgs.person.updated", li).get()
    assert event.before == {"mobile": "13912345678", "post": "", "employer": sd.team.pk}
    assert event.after == {"mobile": "13900000022", "post": "炉前工", "employer": sd.workshop.pk}


def test_correcting_the_id_number_re_derives_birth_date_and_gender(sd):
    li = sd.worker_person
    new = id_number(birth=datetime.date(1979, 1, 2), seq=30)
    services.update_person(actor=sd.enterprise_cadre, person=li, id_number=new)
    li.refresh_from_db()
    assert li.id_number == new and li.birth_date == datetime.date(1979, 1, 2)
    assert events("orgs.person.updated", li).get().after["id_masked"] == li.id_masked
    with pytest.raises(DomainError):  # another person's number
        services.update_person(actor=sd.province_admin, person=sd.qd_person, id_number=new)


def test_moving_a_worker_to_another_union_is_a_transfer_not_an_edit(sd):
    with pytest.raises(DomainError) as e:
        services.update_person(actor=sd.province_admin, person=sd.worker_person, employer=sd.qd_enterprise)
    assert "employer" in e.value.errors
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.employer == sd.team


def test_a_worker_corrects_their_own_phone_but_nothing_else(sd):
    li = sd.worker_person
    services.update_person(actor=sd.worker, person=li, mobile="13900000033", education="high")
    li.refresh_from_db()
    assert li.mobile == "13900000033"
    for field, value in [("name", "李四"), ("skill_grade", SkillGrade.GRADE1), ("employer", sd.workshop),
                         ("id_number", id_number())]:
        with pytest.raises(PermissionDeniedError):
            services.update_person(actor=sd.worker, person=li, **{field: value})
    with pytest.raises(PermissionDeniedError):
        services.update_person(actor=sd.worker, person=sd.qd_person, mobile="13900000044")
    li.refresh_from_db()
    assert li.name == "李强" and li.skill_grade == SkillGrade.NONE


def test_skill_grades_keep_their_history(sd):
    li = sd.worker_person
    services.record_skill_grade(actor=sd.enterprise_cadre, person=li, grade=SkillGrade.GRADE4,
                                certificate_no="S2020-1", certified_on=datetime.date(2020, 6, 1))
    services.record_skill_grade(actor=sd.enterprise_cadre, person=li, grade=SkillGrade.GRADE3,
                                certificate_no="S2023-7", certified_on=datetime.date(2023, 6, 1))
    li.refresh_from_db()
    assert li.skill_grade == SkillGrade.GRADE3
    assert list(li.grade_records.values_list("grade", flat=True)) == [SkillGrade.GRADE3, SkillGrade.GRADE4]
    event = events("orgs.person.grade_recorded", li).first()
    assert event.before == {"skill_grade": SkillGrade.GRADE4}
    assert event.after["certificate_no"] == "S2023-7" and event.after["certified_on"] == "2023-06-01"


def test_a_bad_grade_or_a_future_certificate_is_refused(sd):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for kw in ({"grade": 7}, {"grade": SkillGrade.NONE}, {"grade": 4, "certified_on": tomorrow}):
        with pytest.raises(DomainError):
            services.record_skill_grade(actor=sd.enterprise_cadre, person=sd.worker_person, **kw)
    assert not SkillGradeRecord.objects.exists()


def test_the_full_id_number_is_shown_to_administrators_and_the_person_only_and_audited(sd):
    number = sd.worker_person.id_number
    assert services.reveal_id_number(actor=sd.jinan_cadre, person=sd.worker_person) == number
    assert services.reveal_id_number(actor=sd.worker, person=sd.worker_person) == number
    for actor in (sd.enterprise_cadre, sd.county_cadre, sd.jinan_viewer, sd.qingdao_cadre):
        with pytest.raises(PermissionDeniedError):
            services.reveal_id_number(actor=actor, person=sd.worker_person)
    assert events("orgs.person.id_revealed", sd.worker_person).count() == 2


# =============================================================================================
# Membership


def test_joining_and_leaving_the_union_keeps_the_member_count(sd):
    li = sd.worker_person
    services.join_union(actor=sd.enterprise_cadre, person=li, member_since=datetime.date(2012, 3, 1))
    sd.steel.refresh_from_db()
    assert sd.steel.member_count == 1
    with pytest.raises(DomainError):
        services.join_union(actor=sd.enterprise_cadre, person=li)  # already a member
    with pytest.raises(DomainError) as e:
        services.change_membership_status(actor=sd.enterprise_cadre, person=li, status=MembershipStatus.LEFT)
    assert "reason" in e.value.errors
    services.change_membership_status(actor=sd.enterprise_cadre, person=li, status=MembershipStatus.LEFT,
                                      reason="本人申请退会")
    sd.steel.refresh_from_db()
    assert sd.steel.member_count == 0
    services.change_membership_status(actor=sd.enterprise_cadre, person=li, status=MembershipStatus.SUSPENDED,
                                      reason="停止会籍")
    sd.steel.refresh_from_db()
    assert sd.steel.member_count == 0
    services.join_union(actor=sd.enterprise_cadre, person=li, card_no="J9")  # re-admitted
    sd.steel.refresh_from_db()
    assert sd.steel.member_count == 1 and Membership.objects.get(person=li).member_since == datetime.date(2012, 3, 1)
    event = events("orgs.membership.status_changed", li).first()
    assert event.before == {"status": "left"} and event.after == {"status": "suspended"}


def test_membership_status_refusals(sd):
    li = sd.worker_person
    with pytest.raises(DomainError):  # not a member
        services.change_membership_status(actor=sd.enterprise_cadre, person=li, status="left", reason="x")
    services.join_union(actor=sd.enterprise_cadre, person=li)
    for status in (MembershipStatus.TRANSFERRED, MembershipStatus.ACTIVE, "expelled"):
        with pytest.raises(DomainError) as e:
            services.change_membership_status(actor=sd.enterprise_cadre, person=li, status=status, reason="x")
        assert "status" in e.value.errors


def test_members_join_their_own_employers_union_only(sd):
    li = sd.worker_person
    for union in (sd.qd_enterprise, sd.jinan):
        with pytest.raises(DomainError):
            services.join_union(actor=sd.province_admin, person=li, union=union)
    with pytest.raises(PermissionDeniedError):  # Qingdao cannot enrol a Jinan worker in its own union
        services.join_union(actor=sd.qingdao_cadre, person=li, union=sd.qd_enterprise)
    with pytest.raises(DomainError):
        services.join_union(actor=sd.enterprise_cadre, person=li,
                            member_since=timezone.localdate() + datetime.timedelta(days=1))
    assert not Membership.objects.exists()


# =============================================================================================
# Transfers (会籍转接)


@pytest.fixture
def member(sd):
    services.join_union(actor=sd.enterprise_cadre, person=sd.worker_person, member_since=datetime.date(2012, 3, 1))
    return sd.worker_person


def test_a_transfer_requested_by_the_origin_and_accepted_by_the_destination_moves_the_member(sd, member):
    transfer = services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise,
                                         reason="调动")
    assert transfer.state == TransferState.REQUESTED
    assert (transfer.from_union, transfer.to_union) == (sd.steel, sd.qd_enterprise)
    with pytest.raises(PermissionDeniedError):  # the origin cannot accept for the destination
        services.accept_transfer(actor=sd.jinan_cadre, transfer=transfer)
    services.accept_transfer(actor=sd.qingdao_cadre, transfer=transfer, note="欢迎")
    transfer.refresh_from_db()
    member.refresh_from_db()
    assert transfer.state == TransferState.ACCEPTED and transfer.decided_by == sd.qingdao_cadre
    assert member.employer == sd.qd_enterprise and member.membership.union == sd.qd_enterprise
    reload(sd.team, sd.steel, sd.qd_enterprise)
    assert (sd.team.person_count, sd.qd_enterprise.person_count) == (0, 2)
    assert (sd.steel.member_count, sd.qd_enterprise.member_count) == (0, 1)
    assert events("orgs.transfer.requested", transfer).exists()
    assert events("orgs.transfer.accepted", member).get().after == {"union": "青岛港集团有限公司工会"}
    with pytest.raises(DomainError):  # decided once
        services.refuse_transfer(actor=sd.qingdao_cadre, transfer=transfer, note="重复")


def test_a_refused_transfer_leaves_the_member_where_they_were(sd, member):
    transfer = services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    with pytest.raises(DomainError) as e:
        services.refuse_transfer(actor=sd.qingdao_cadre, transfer=transfer, note=" ")
    assert "decision_note" in e.value.errors
    services.refuse_transfer(actor=sd.qingdao_cadre, transfer=transfer, note="查无此人")
    transfer.refresh_from_db()
    member.refresh_from_db()
    assert transfer.state == TransferState.REFUSED and transfer.decision_note == "查无此人"
    assert member.employer == sd.team and member.membership.union == sd.steel
    assert events("orgs.transfer.refused", transfer).exists()
    # A new request is possible after a refusal.
    services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)


def test_the_origin_withdraws_a_transfer_the_destination_cannot(sd, member):
    transfer = services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    with pytest.raises(PermissionDeniedError):
        services.cancel_transfer(actor=sd.qingdao_cadre, transfer=transfer)
    services.cancel_transfer(actor=sd.enterprise_cadre, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED
    assert events("orgs.transfer.cancelled", transfer).exists()


def test_transfer_refusals(sd, member):
    with pytest.raises(DomainError):  # the member's own union, even another unit of it
        services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.workshop)
    with pytest.raises(DomainError):  # not a unit that employs people
        services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qingdao)
    with pytest.raises(PermissionDeniedError):  # the destination cannot pull a member
        services.request_transfer(actor=sd.qingdao_cadre, person=member, to_employer=sd.qd_enterprise)
    with pytest.raises(DomainError):  # not a member
        services.request_transfer(actor=sd.qingdao_cadre, person=sd.qd_person, to_employer=sd.steel)
    services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    with pytest.raises(DomainError):  # a second open transfer
        services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    assert MembershipTransfer.objects.count() == 1


def test_a_member_with_an_open_transfer_keeps_their_status_until_it_is_decided(sd, member):
    transfer = services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    with pytest.raises(DomainError):
        services.change_membership_status(actor=sd.enterprise_cadre, person=member, status="left", reason="退会")
    services.cancel_transfer(actor=sd.enterprise_cadre, transfer=transfer)
    services.change_membership_status(actor=sd.enterprise_cadre, person=member, status="left", reason="退会")
    sd.steel.refresh_from_db()
    assert sd.steel.member_count == 0


# =============================================================================================
# Roles and accounts


def test_an_admin_grants_roles_inside_their_subtree(sd):
    grant = services.grant_role(actor=sd.jinan_cadre, user=sd.qingdao_cadre, org=sd.lixia, role=Role.VIEWER)
    assert grant.granted_by == sd.jinan_cadre
    assert events("orgs.role.granted", grant).get().after == {"user": "qingdao_cadre", "role": "viewer",
                                                              "org": "历下区总工会"}
    services.grant_role(actor=sd.jinan_cadre, user=sd.county_cadre, org=sd.lixia, role=Role.ADMIN)
    with pytest.raises(DomainError):  # already held
        services.grant_role(actor=sd.jinan_cadre, user=sd.county_cadre, org=sd.lixia, role=Role.ADMIN)


def test_nobody_grants_outside_their_subtree_or_without_being_admin(sd):
    grants = RoleGrant.objects.count()
    refusals = [
        (sd.jinan_cadre, sd.qingdao, Role.VIEWER),  # beside
        (sd.jinan_cadre, sd.province, Role.VIEWER),  # above
        (sd.county_cadre, sd.town, Role.VIEWER),  # staff grant nothing
        (sd.enterprise_cadre, sd.team, Role.STAFF),
        (sd.jinan_viewer, sd.lixia, Role.VIEWER),
        (sd.worker, sd.team, Role.VIEWER),
        (sd.industry_cadre, sd.jinan, Role.VIEWER),
    ]
    for actor, target, role in refusals:
        # PermissionDeniedError naming an org the actor sees; an org out of their sight reads as a missing one.
        with pytest.raises(DomainError) as e:
            services.grant_role(actor=actor, user=sd.worker, org=target, role=role)
        assert isinstance(e.value, PermissionDeniedError) or e.value.code == "not_found"
    with pytest.raises(DomainError):
        services.grant_role(actor=sd.jinan_cadre, user=sd.worker, org=sd.lixia, role="owner")
    assert RoleGrant.objects.count() == grants


def test_revoking_a_role(sd):
    grant = RoleGrant.objects.get(user=sd.county_cadre)
    with pytest.raises(PermissionDeniedError):
        services.revoke_role(actor=sd.qingdao_cadre, grant=grant)
    own = RoleGrant.objects.get(user=sd.jinan_cadre)
    with pytest.raises(DomainError):
        services.revoke_role(actor=sd.jinan_cadre, grant=own)
    services.revoke_role(actor=sd.jinan_cadre, grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert events("orgs.role.revoked").get().before["user"] == "county_cadre"


def test_an_admin_opens_a_cadre_account(sd):
    user = services.create_cadre_account(actor=sd.jinan_cadre, username="lixia_admin", full_name="王主席",
                                         password="Strong-Pass-2026", org=sd.lixia, role=Role.ADMIN,
                                         phone="139-0000-0055")
    assert user.phone == "13900000055" and user.check_password("Strong-Pass-2026")
    assert list(user.grants.values_list("org", "role")) == [(sd.lixia.pk, Role.ADMIN)]
    assert events("orgs.account.created", user).exists()


@pytest.mark.parametrize("kw, field", [
    ({"username": "jinan_cadre"}, "username"),
    ({"username": " "}, "username"),
    ({"username": "王 主席"}, "username"),
    ({"phone": "13800000001"}, "phone"),  # the Jinan cadre's phone
    ({"phone": "12345"}, "phone"),
    ({"password": "123456789"}, "password"),
    ({"password": "short"}, "password"),
    ({"password": "password123"}, "password"),
])
def test_account_refusals_name_the_field_and_open_nothing(sd, kw, field):
    users = User.objects.count()
    data = {"username": "lixia_admin", "full_name": "王主席", "password": "Strong-Pass-2026", "org": sd.lixia,
            "role": Role.STAFF, **kw}
    with pytest.raises(DomainError) as e:
        services.create_cadre_account(actor=sd.jinan_cadre, **data)
    assert field in e.value.errors
    assert User.objects.count() == users


def test_an_account_is_opened_only_inside_the_admins_subtree(sd):
    users = User.objects.count()
    for actor, refusal in ((sd.qingdao_cadre, DomainError), (sd.county_cadre, PermissionDeniedError)):
        with pytest.raises(refusal):  # 历下区 is out of the Qingdao cadre's sight: refused as a missing org
            services.create_cadre_account(actor=actor, username="jinan_cadre", full_name="x",
                                          password="Strong-Pass-2026", org=sd.lixia, role=Role.VIEWER)
    assert User.objects.count() == users


def test_a_worker_account_is_linked_to_the_record(sd):
    liu = person(sd.steel, "刘敏", mobile="13900000066")
    user = services.create_worker_account(actor=sd.enterprise_cadre, person=liu, username="liumin",
                                          password="Strong-Pass-2026")
    assert user.person == liu and user.phone == "13900000066" and user.is_worker
    with pytest.raises(DomainError):
        services.create_worker_account(actor=sd.enterprise_cadre, person=liu, username="liumin2",
                                       password="Strong-Pass-2026")
    with pytest.raises(PermissionDeniedError):
        services.create_worker_account(actor=sd.qingdao_cadre, person=sd.worker_person, username="x",
                                       password="Strong-Pass-2026")


def test_changing_a_password(sd):
    with pytest.raises(DomainError) as e:
        services.change_password(actor=sd.worker, old_password="wrong", new_password="Strong-Pass-2026")
    assert "old_password" in e.value.errors
    with pytest.raises(DomainError) as e:
        services.change_password(actor=sd.worker, old_password=PASSWORD, new_password="123")
    assert "password" in e.value.errors
    services.change_password(actor=sd.worker, old_password=PASSWORD, new_password="Strong-Pass-2026")
    sd.worker.refresh_from_db()
    assert sd.worker.check_password("Strong-Pass-2026")
    assert events("orgs.account.password_changed", sd.worker).exists()


def test_an_admin_disables_and_enables_accounts_of_their_subtree(sd):
    services.set_account_active(actor=sd.jinan_cadre, user=sd.county_cadre, active=False)
    sd.county_cadre.refresh_from_db()
    assert not sd.county_cadre.is_active
    services.set_account_active(actor=sd.jinan_cadre, user=sd.county_cadre, active=True)
    assert events("orgs.account.deactivated", sd.county_cadre).exists()
    with pytest.raises(PermissionDeniedError):
        services.set_account_active(actor=sd.qingdao_cadre, user=sd.county_cadre, active=False)
    with pytest.raises(PermissionDeniedError):
        services.set_account_active(actor=sd.county_cadre, user=sd.enterprise_cadre, active=False)  # staff
    with pytest.raises(DomainError):
        services.set_account_active(actor=sd.jinan_cadre, user=sd.jinan_cadre, active=False)


# =============================================================================================
# API tokens


def test_a_token_key_is_shown_once_and_only_its_hash_is_kept(sd):
    token, key = services.issue_api_token(actor=sd.jinan_cadre, name="统计报表")
    assert key.startswith("gj_") and len(key) > 40
    token.refresh_from_db()
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    assert token.prefix == key[3:11] and token.is_active
    assert not ApiToken.objects.filter(key_hash=key).exists()
    _other, key2 = services.issue_api_token(actor=sd.jinan_cadre, name="备份")
    assert key2 != key
    with pytest.raises(DomainError):
        services.issue_api_token(actor=sd.jinan_cadre, name=" ")
    assert events("orgs.token.issued", token).get().after == {"name": "统计报表", "prefix": token.prefix}


def test_a_token_is_revoked_by_its_owner_only(sd):
    token, _key = services.issue_api_token(actor=sd.jinan_cadre, name="统计报表")
    with pytest.raises(PermissionDeniedError):
        services.revoke_api_token(actor=sd.province_admin, token=token)
    services.revoke_api_token(actor=sd.jinan_cadre, token=token)
    token.refresh_from_db()
    assert not token.is_active
    with pytest.raises(DomainError):
        services.revoke_api_token(actor=sd.jinan_cadre, token=token)
    assert events("orgs.token.revoked", token).exists()


# =============================================================================================
# Log-in and throttling (the address that guesses is locked out, not the account: test_login_throttle.py)


def login(username: str, password: str, address: str = "198.51.100.7"):
    return UsernameOrPhoneBackend().authenticate(RequestFactory().post("/login/", REMOTE_ADDR=address),
                                                 username=username, password=password)


def test_log_in_by_user_name_or_phone(sd):
    assert login("jinan_cadre", PASSWORD) == sd.jinan_cadre
    assert login(" 13800000001 ", PASSWORD) == sd.jinan_cadre
    assert login("jinan_cadre", "wrong") is None
    assert login("nobody", PASSWORD) is None


def test_five_failures_refuse_that_address_not_the_account_until_the_window_passes(sd, settings):
    settings.LOGIN_MAX_FAILURES = 5
    for _i in range(5):
        assert login("jinan_cadre", "wrong", "203.0.113.9") is None
    assert login("jinan_cadre", PASSWORD, "203.0.113.9") is None  # the right password is refused from there
    assert login("13800000001", PASSWORD, "203.0.113.9") is None
    assert login("jinan_cadre", PASSWORD, "198.51.100.7") == sd.jinan_cadre  # not from the owner's address
    # The window passes.
    LoginAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    assert login("jinan_cadre", PASSWORD, "203.0.113.9") == sd.jinan_cadre


def test_a_successful_log_in_resets_the_failure_count(sd):
    login("jinan_cadre", "wrong")
    login("jinan_cadre", "wrong")
    assert login("jinan_cadre", PASSWORD) == sd.jinan_cadre
    assert not LoginAttempt.objects.filter(succeeded=False).exists()


def test_a_disabled_account_cannot_log_in(sd):
    User.objects.filter(pk=sd.county_cadre.pk).update(is_active=False)
    with pytest.raises(AccountDisabled):  # told only with the right password
        login("county_cadre", PASSWORD)
    assert login("county_cadre", "wrong") is None


def test_recount_repairs_the_counters(sd, member):
    Org.objects.filter(pk__in=[sd.team.pk, sd.steel.pk]).update(person_count=99, member_count=99)
    counters.rebuild()
    reload(sd.team, sd.steel)
    assert (sd.team.person_count, sd.team.member_count) == (1, 0)
    assert (sd.steel.person_count, sd.steel.member_count) == (0, 1)



def test_a_transfer_into_a_unit_deactivated_meanwhile_cannot_be_accepted(sd, member):
    transfer = services.request_transfer(actor=sd.enterprise_cadre, person=member, to_employer=sd.qd_enterprise)
    services.deactivate_org(actor=sd.province_admin, org=sd.qd_enterprise, reason="企业注销")
    with pytest.raises(DomainError):
        services.accept_transfer(actor=sd.province_admin, transfer=transfer)
    member.refresh_from_db()
    assert member.employer == sd.team
    transfer.refresh_from_db()
    assert transfer.state == TransferState.REQUESTED


def test_an_older_certificate_recorded_late_does_not_lower_the_current_grade(sd):
    li = sd.worker_person
    services.record_skill_grade(actor=sd.enterprise_cadre, person=li, grade=SkillGrade.GRADE3,
                                certified_on=datetime.date(2023, 6, 1))
    services.record_skill_grade(actor=sd.enterprise_cadre, person=li, grade=SkillGrade.GRADE4,
                                certified_on=datetime.date(2019, 6, 1))
    li.refresh_from_db()
    assert li.skill_grade == SkillGrade.GRADE3
    assert li.grade_records.count() == 2
