"""The honours verbs as specifications, with every bad input of issue 11 that this part covers: a clear message
naming the field, every reason at once, nothing changed (no honours row, no audit event, no file)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.honours import services
from gongjiang.honours.choices import Material, NominationState, Subject
from gongjiang.honours.models import Allocation, Holder, HonourType, Nomination
from gongjiang.honours.rules.quotas import Share
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Fact
from gongjiang.orgs.tests.factories import org, person

from .factories import DEEDS, colleague, pdf


def rows() -> dict[str, Any]:
    """Every honours row and the audit trail: what "nothing changed" compares."""
    found: dict[str, Any] = {m._meta.label: list(m.objects.order_by("pk").values())
                             for m in apps.get_app_config("honours").get_models()}
    found["audit"] = AuditEvent.objects.count()
    found["facts"] = list(Fact.objects.filter(metric__startswith="honours.").order_by("pk").values())  # the figures
    return found


def refused(call: Any, *fields: str, permission: bool = False) -> DomainError:
    before = rows()
    with pytest.raises(PermissionDeniedError if permission else DomainError) as e:
        call()
    for field in fields:
        assert field in e.value.errors, e.value.errors
    assert rows() == before, "a refused verb changed something"
    return e.value


def submit(hw, n, actor=None):
    return services.submit_nomination(actor=actor or hw.sd.enterprise_cadre, nomination=n)


# ---------------------------------------------------------------------------------------------
# Honour types


def test_the_standard_types_are_there_with_their_criteria(db):
    pioneer = HonourType.objects.get(code="province_pioneer")
    assert pioneer.name == "省工人先锋号" and pioneer.subject == Subject.COLLECTIVE and pioneer.front_line_share == 70
    national = HonourType.objects.get(code="national_model_worker")
    assert national.criteria.requires_any == {"province_model_worker", "national_may_day_medal"}
    assert HonourType.objects.count() >= 14


def test_the_province_defines_and_changes_an_honour_type(sd):
    t = services.define_honour_type(actor=sd.province_admin, code="city_model_worker", name="市劳动模范",
                                    level="city", subject="person", term_years=5, min_years=5,
                                    excludes=["city_model_worker"])
    assert t.criteria.excludes == {"city_model_worker"}
    services.change_honour_type(actor=sd.province_admin, honour_type=t, max_age=60)
    t.refresh_from_db()
    assert t.max_age == 60
    assert AuditEvent.objects.filter(verb="honours.type.changed").exists()


def test_bad_criteria_are_refused_with_every_reason(sd):
    e = refused(lambda: services.define_honour_type(
        actor=sd.province_admin, code="bad", name="坏类型", level="province", subject="person", min_age=90,
        max_age=20, requires_any=["nonexistent"], excludes=[]), "min_age", "max_age", "requires_any")
    assert "nonexistent" in e.message
    refused(lambda: services.define_honour_type(actor=sd.province_admin, code="省劳模", name="x", level="province",
                                                subject="person"), "code")
    refused(lambda: services.define_honour_type(actor=sd.province_admin, code="dup", name="省劳动模范",
                                                level="province", subject="person"), "name")
    refused(lambda: services.change_honour_type(actor=sd.province_admin,
                                                honour_type=HonourType.objects.get(code="gold_worker"),
                                                term_years=0), "term_years")


def test_only_the_federations_administrators_manage_types(sd):
    refused(lambda: services.define_honour_type(actor=sd.jinan_cadre, code="x", name="x", level="city",
                                                subject="person"), permission=True)


# ---------------------------------------------------------------------------------------------
# Campaigns and quotas


def test_the_front_line_reserve_covers_the_types_share(hw):
    today = timezone.localdate()
    e = refused(lambda: services.create_campaign(
        actor=hw.sd.province_admin, honour_type=HonourType.objects.get(code="innovative_team"), org=hw.sd.province,
        year=today.year, title="创新型班组", opens_on=today, submit_until=today, total=10,
        reserves={"front_line": 7}), "reserve_front_line")
    assert "8" in e.message  # 80 % of 10


def test_a_campaign_is_organised_at_its_level_and_once_a_year(hw):
    today = timezone.localdate()
    kw = dict(opens_on=today, submit_until=today, total=10, title="评选")
    refused(lambda: services.create_campaign(actor=hw.sd.jinan_cadre, org=hw.sd.jinan, year=today.year,
                                             honour_type=HonourType.objects.get(code="province_pioneer"), **kw),
            "honour_type")
    refused(lambda: services.create_campaign(actor=hw.sd.province_admin, org=hw.sd.province, year=today.year,
                                             honour_type=HonourType.objects.get(code="province_pioneer"),
                                             reserves={"front_line": 7}, **kw), "year")
    refused(lambda: services.create_campaign(actor=hw.sd.province_admin, org=hw.sd.province, year=today.year,
                                             honour_type=HonourType.objects.get(code="province_may_day_award"),
                                             submit_until=today - datetime.timedelta(days=1),
                                             **{k: v for k, v in kw.items() if k != "submit_until"}),
            "submit_until")
    c = services.create_campaign(actor=hw.sd.jinan_cadre, org=hw.sd.jinan, year=today.year,
                                 honour_type=HonourType.objects.get(code="city_pioneer"),
                                 reserves={"front_line": 7}, **kw)
    assert Allocation.objects.get(campaign=c).quota == 10


def test_the_province_shares_out_and_a_city_splits_its_share(hw):
    root, jinan = hw.root(), hw.share(hw.sd.jinan)
    assert (root.quota, jinan.quota, jinan.reserve_non_public) == (20, 8, 2)
    assert hw.share(hw.sd.lixia).parent == jinan


def test_a_split_over_the_parent_or_dropping_a_reserve_is_refused_with_every_reason(hw):
    jinan = hw.share(hw.sd.jinan)
    e = refused(lambda: services.allocate_quotas(actor=hw.sd.jinan_cadre, allocation=jinan, shares={
        hw.sd.lixia: Share(9, {"women": 10})}), "quota", "reserve_women")
    assert "9" in e.message
    e = refused(lambda: services.allocate_quotas(actor=hw.sd.jinan_cadre, allocation=jinan, shares={
        hw.sd.lixia: Share(7, {"front_line": 3})}), "reserve_non_public", "reserve_front_line")
    assert "非公" not in e.message  # English in tests; the kinds are named through gettext


def test_only_the_parents_cadres_share_out_its_quota(hw):
    refused(lambda: services.allocate_quotas(actor=hw.sd.county_cadre, allocation=hw.share(hw.sd.jinan), shares={
        hw.sd.lixia: Share(8)}), permission=True)  # 历下 may not raise its own share
    refused(lambda: services.allocate_quotas(actor=hw.sd.qingdao_cadre, allocation=hw.share(hw.sd.jinan), shares={
        hw.sd.lixia: Share(1)}), permission=True)


def test_shares_go_below_the_union_and_never_nest(hw):
    refused(lambda: services.allocate_quotas(actor=hw.sd.province_admin, allocation=hw.share(hw.sd.jinan),
                                             shares={hw.sd.qingdao: Share(1)}), "quota")
    refused(lambda: services.allocate_quotas(actor=hw.sd.province_admin, allocation=hw.root(), shares={
        hw.sd.jinan: Share(8, {"non_public": 2, "front_line": 6}), hw.sd.lixia: Share(1)}), "quota")


def test_a_share_cannot_fall_below_what_was_nominated_or_handed_down(hw):
    submit(hw, hw.team_nomination())
    refused(lambda: services.allocate_quotas(actor=hw.sd.province_admin, allocation=hw.root(), shares={
        hw.sd.jinan: Share(2, {"front_line": 2}), hw.sd.qingdao: Share(6, {"non_public": 1, "front_line": 4})}),
            "quota")  # Jinan gave 3 to 历下
    refused(lambda: services.allocate_quotas(actor=hw.sd.jinan_cadre, allocation=hw.share(hw.sd.jinan),
                                             shares={hw.sd.lixia: Share(0)}), "quota")


def test_a_reserve_raised_above_what_a_city_passed_down_is_refused(hw):
    """Jinan kept 5 of its 8 places and gave 历下 3 with 1 non-public: the province cannot now ask Jinan to keep 8
    non-public places (Jinan's own split could not carry them)."""
    e = refused(lambda: services.allocate_quotas(actor=hw.sd.province_admin, allocation=hw.root(), shares={
        hw.sd.jinan: Share(8, {"non_public": 8, "front_line": 6}), hw.sd.qingdao: Share(6, {"front_line": 4}),
        hw.sd.metallurgy: Share(4, {"front_line": 3})}), "reserve_non_public")
    assert "济南市总工会" in e.message


def test_a_new_share_takes_over_what_its_union_already_nominated(hw):
    qd_team = org(org(hw.sd.qd_enterprise, "装卸车间", OrgKind.DEPARTMENT), "装卸一队", OrgKind.TEAM)
    n = services.nominate(actor=hw.sd.qingdao_cadre, campaign=hw.pioneer, unit=hw.sd.qd_enterprise,
                          subject=Subject.COLLECTIVE, nominee_org=qd_team, front_line=True, deeds=DEEDS)
    services.add_nomination_files(actor=hw.sd.qingdao_cadre, nomination=n, kind=Material.FORM, uploads=[pdf()])
    services.add_nomination_files(actor=hw.sd.qingdao_cadre, nomination=n, kind=Material.DEEDS, uploads=[pdf()])
    submit(hw, n, hw.sd.qingdao_cadre)
    qd = hw.share(hw.sd.qingdao)
    assert qd.nominated == 1
    services.allocate_quotas(actor=hw.sd.qingdao_cadre, allocation=qd,
                             shares={hw.sd.qd_enterprise: Share(2, {"front_line": 1})})
    mine = hw.share(hw.sd.qd_enterprise)
    assert (mine.nominated, mine.nominated_front_line) == (1, 1)
    n.refresh_from_db()
    assert n.allocation == mine


# ---------------------------------------------------------------------------------------------
# Nominations


def test_an_enterprise_nominates_a_team_and_submits_it(hw):
    n = hw.team_nomination()
    assert n.state == NominationState.DRAFT and n.allocation == hw.share(hw.sd.lixia)
    submit(hw, n)
    n.refresh_from_db()
    assert n.state == NominationState.SUBMITTED and n.kinds == ["front_line"]
    counts = {a.org_id: (a.nominated, a.nominated_front_line) for a in Allocation.objects.filter(
        campaign=hw.pioneer)}
    assert counts[hw.sd.lixia.pk] == counts[hw.sd.jinan.pk] == counts[hw.sd.province.pk] == (1, 1)
    assert counts[hw.sd.qingdao.pk] == (0, 0)
    services.withdraw_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    assert set(Allocation.objects.filter(campaign=hw.pioneer).values_list("nominated", flat=True)) == {0}


def test_an_incomplete_nomination_cannot_be_submitted(hw):
    n = hw.team_nomination(complete=False)
    e = refused(lambda: submit(hw, n), "materials")
    assert e.code == "incomplete"
    assert "deeds" in e.message and "Nomination form" in e.message and "Account of deeds" in e.message


def test_a_nomination_over_the_quota_is_refused(hw):
    services.allocate_quotas(actor=hw.sd.jinan_cadre, allocation=hw.share(hw.sd.jinan),
                             shares={hw.sd.lixia: Share(1, {"front_line": 1})})
    submit(hw, hw.team_nomination())
    n = hw.team_nomination(team=hw.sd.workshop)  # 炼钢车间: a second collective of 济钢
    e = refused(lambda: submit(hw, n), "quota")
    assert e.code == "quota" and "历下区总工会" in e.message and "no place is left" in e.message


def test_a_nomination_breaking_the_non_public_reserve_is_refused_and_a_private_one_fits(hw):
    services.allocate_quotas(actor=hw.sd.jinan_cadre, allocation=hw.share(hw.sd.jinan),
                             shares={hw.sd.lixia: Share(2, {"non_public": 1, "front_line": 2})})
    submit(hw, hw.team_nomination())
    second = hw.team_nomination(team=hw.sd.workshop)
    e = refused(lambda: submit(hw, second), "quota")
    assert "Non-public enterprises" in e.message
    private = hw.team_nomination(team=hw.private_team, unit=hw.private, actor=hw.private_cadre)
    submit(hw, private, hw.private_cadre)
    private.refresh_from_db()
    assert set(private.kinds) == {"non_public", "front_line"}


def test_the_same_person_twice_in_one_campaign_is_refused(hw):
    hw.person_nomination()
    e = refused(lambda: services.nominate(actor=hw.sd.enterprise_cadre, campaign=hw.medal, unit=hw.sd.steel,
                                          subject=Subject.PERSON, person=hw.sd.worker_person, years_in_trade=3),
                "person")
    assert e.code == "duplicate" and "李强" in e.message
    hw.team_nomination(team=hw.sd.workshop, complete=False)
    refused(lambda: hw.team_nomination(team=hw.sd.workshop, complete=False), "nominee_org")  # a team too


def test_a_nominee_failing_the_criteria_gets_every_reason(hw):
    Holder.objects.create(honour_type=HonourType.objects.get(code="province_may_day_medal"), year=2020,
                          person=hw.sd.worker_person, name="李强", unit=hw.sd.team)
    n = hw.person_nomination(years=1, disciplinary_record=True)
    e = refused(lambda: submit(hw, n), "years_in_trade", "disciplinary_record", "held")
    assert e.code == "ineligible"
    assert "1 years in the trade" in e.message and "disciplinary record" in e.message
    assert "省五一劳动奖章" in e.message  # the honour that excludes it, by name


def test_a_revoked_honour_excludes_nobody(hw):
    Holder.objects.create(honour_type=HonourType.objects.get(code="province_may_day_medal"), year=2020,
                          person=hw.sd.worker_person, name="李强", unit=hw.sd.team, revoked=True)
    submit(hw, hw.person_nomination())


def test_a_leader_over_the_cap_is_refused(hw):
    """省五一劳动奖章 caps leaders at 15 %: one of the 10 places."""
    boss = colleague(hw, "赵总")
    submit(hw, hw.person_nomination(boss, leader=True))
    second = hw.person_nomination(colleague(hw, "钱副总"), leader=True)
    e = refused(lambda: submit(hw, second), "is_leader")
    assert "At most 1 leaders" in e.message
    submit(hw, hw.person_nomination(leader=False))  # a worker still fits


def test_a_person_from_outside_the_union_or_the_wrong_kind_of_nominee_is_refused(hw):
    refused(lambda: services.nominate(actor=hw.sd.enterprise_cadre, campaign=hw.medal, unit=hw.sd.steel,
                                      subject=Subject.PERSON, person=hw.sd.qd_person), "person")
    refused(lambda: services.nominate(actor=hw.sd.enterprise_cadre, campaign=hw.medal, unit=hw.sd.steel,
                                      subject=Subject.COLLECTIVE, nominee_org=hw.sd.team), "subject")
    refused(lambda: services.nominate(actor=hw.sd.enterprise_cadre, campaign=hw.pioneer, unit=hw.sd.steel,
                                      subject=Subject.COLLECTIVE, nominee_org=hw.sd.steel), "nominee_org")
    refused(lambda: services.nominate(actor=hw.sd.enterprise_cadre, campaign=hw.pioneer, unit=hw.sd.steel,
                                      subject=Subject.COLLECTIVE, name=""), "name")


def test_a_union_without_a_quota_or_after_the_deadline_cannot_nominate(hw):
    Allocation.objects.filter(campaign=hw.medal).update(quota=10)
    services.allocate_quotas(actor=hw.sd.province_admin, allocation=hw.root(hw.medal),
                             shares={hw.sd.qingdao: Share(2)})
    # 济钢 is under Jinan, which has no share of the medal: it still nominates under the province's remainder
    assert hw.person_nomination().allocation == hw.root(hw.medal)
    hw.medal.submit_until = timezone.localdate() - datetime.timedelta(days=1)
    hw.medal.save()
    e = refused(lambda: services.nominate(actor=hw.sd.enterprise_cadre, campaign=hw.medal, unit=hw.sd.steel,
                                          subject=Subject.PERSON, person=colleague(hw)), "campaign")
    assert e.code == "closed"


def test_an_industry_union_nominates_through_its_own_share(hw):
    steel_of_qd = org(hw.sd.qingdao, "青岛特钢工会", OrgKind.GRASSROOTS, industry_path=hw.sd.metallurgy.path,
                      industry_union=hw.sd.metallurgy)
    team = org(steel_of_qd, "轧钢班", OrgKind.TEAM, industry_path=hw.sd.metallurgy.path)
    services.allocate_quotas(actor=hw.sd.province_admin, allocation=hw.root(), shares={
        hw.sd.jinan: Share(8, {"non_public": 2, "front_line": 6}), hw.sd.metallurgy: Share(4, {"non_public": 1,
                                                                                               "front_line": 3})})
    n = services.nominate(actor=hw.sd.industry_cadre, campaign=hw.pioneer, unit=steel_of_qd,
                          subject=Subject.COLLECTIVE, nominee_org=team)
    assert n.allocation == hw.share(hw.sd.metallurgy)  # Qingdao has no share any more: the industry's counts


def test_a_wrong_file_is_refused_and_nothing_is_stored(hw, settings):
    import os

    n = hw.team_nomination(complete=False)
    exe = SimpleUploadedFile("事迹.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    e = refused(lambda: services.add_nomination_files(actor=hw.sd.enterprise_cadre, nomination=n,
                                                      kind=Material.DEEDS, uploads=[pdf(), exe]), "files")
    assert e.code == "file_type"
    big = SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    assert refused(lambda: services.add_nomination_files(actor=hw.sd.enterprise_cadre, nomination=n,
                                                         kind=Material.DEEDS, uploads=[big]), "files").code == \
        "file_size"
    refused(lambda: services.add_nomination_files(actor=hw.sd.enterprise_cadre, nomination=n, kind="video",
                                                  uploads=[pdf()]), "kind")
    stored = [f for _d, _s, files in os.walk(settings.MEDIA_ROOT) for f in files]
    assert stored == []


def test_a_submitted_nomination_is_not_changed(hw):
    n = hw.team_nomination()
    submit(hw, n)
    refused(lambda: services.update_nomination(actor=hw.sd.enterprise_cadre, nomination=n, deeds=DEEDS), "state")
    refused(lambda: services.add_nomination_files(actor=hw.sd.enterprise_cadre, nomination=n, kind=Material.PHOTO,
                                                  uploads=[pdf()]), "state")
    refused(lambda: submit(hw, n), "state")


def test_the_counters_equal_the_submitted_nominations(hw):
    """What the verbs keep on the allocations equals a count of the rows (the quota table reads the counters)."""
    a = hw.team_nomination()
    submit(hw, a)
    b = hw.team_nomination(team=hw.private_team, unit=hw.private, actor=hw.private_cadre)
    submit(hw, b, hw.private_cadre)
    services.withdraw_nomination(actor=hw.sd.enterprise_cadre, nomination=a)
    for alloc in Allocation.objects.filter(campaign=hw.pioneer).select_related("org"):
        under = Nomination.objects.filter(campaign=hw.pioneer, state=NominationState.SUBMITTED,
                                          allocation__org__path__startswith=alloc.org.path)
        assert alloc.nominated == under.count(), alloc.org.name
        assert alloc.nominated_non_public == sum("non_public" in n.kinds for n in under)


def test_a_person_of_the_roster_counts_as_front_line_and_woman(hw):
    woman = person(hw.sd.team, "孙丽", is_front_line=True,
                   id_number=__import__("gongjiang.orgs.tests.factories", fromlist=["id_number"]).id_number(
                       female=True))
    n = hw.person_nomination(woman)
    submit(hw, n)
    n.refresh_from_db()
    assert set(n.kinds) == {"front_line", "women"}
