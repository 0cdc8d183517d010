"""The roster of holders as specifications: the facts a conferral stores, recording a status change and revoking a
title (every refusal: a clear message naming the field, nothing changed), the eligibility after a revocation, the
counters kept by the verbs equal to a rebuild, the notification of the holder."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.honours import counters, services
from gongjiang.honours.choices import HolderStatus
from gongjiang.honours.models import HolderCount, HolderEvent
from gongjiang.honours.queries import roster

from .factories import holder
from .test_services import refused, submit

TODAY = timezone.localdate()


def count(org, honour_type):
    row = HolderCount.objects.filter(org=org, honour_type=honour_type).first()
    return (row.holders, row.alive, row.active) if row else (0, 0, 0)


def test_a_conferral_stores_the_city_the_industry_union_gender_and_year_of_birth_only(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    assert h.city == sd.jinan and h.industry == sd.metallurgy  # 济钢's team is affiliated to 省冶金工会
    assert h.gender == sd.worker_person.gender and h.birth_year == sd.worker_person.birth_date.year
    assert h.front_line and h.status == HolderStatus.ACTIVE
    assert not hasattr(h, "birth_date")  # never the date: the year is the age band's source
    team = holder("province_pioneer", org_=sd.team)
    assert team.gender == "" and team.birth_year is None and team.city == sd.jinan


def test_a_conferral_counts_the_holder_in_every_union_above_regionally_and_by_industry(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    for union in (sd.province, sd.jinan, sd.lixia, sd.town, sd.steel, sd.team, sd.metallurgy):
        assert count(union, h.honour_type) == (1, 1, 1), union
    assert count(sd.qingdao, h.honour_type) == (0, 0, 0)


def test_the_facts_from_a_nomination(hw):
    n = hw.person_nomination()
    facts = roster.facts_from_nomination(n)
    assert facts["unit"] == hw.sd.team and facts["city_id"] == hw.sd.jinan.pk and facts["birth_year"]


def test_the_enterprise_records_a_retirement_audited_counted_and_told(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    event = services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="retired", on=TODAY,
                                          reason="到龄退休")
    h.refresh_from_db()
    assert h.status == "retired" and h.status_on == TODAY and not h.revoked
    assert event.before == "active" and event.recorded_by == sd.enterprise_cadre
    assert count(sd.jinan, h.honour_type) == (1, 1, 0)
    assert AuditEvent.objects.filter(verb="honours.holder.status").count() == 1
    assert Notification.objects.filter(recipient=sd.worker, verb="honours.holder.retired").exists()
    services.record_holder_status(actor=sd.jinan_cadre, holder=h, status="deceased", on=TODAY)
    assert count(sd.jinan, h.honour_type) == (1, 0, 0)
    assert counters.snapshot() == _rebuilt()


def _rebuilt():
    kept = counters.snapshot()
    counters.rebuild()
    found = counters.snapshot()
    assert kept == found
    return found


@pytest.mark.parametrize(("status", "on", "field", "words"), [
    ("retired", TODAY + datetime.timedelta(days=1), "on", "future"),
    ("retired", datetime.date(2019, 12, 31), "on", "before 2020"),
    ("revoked", TODAY, "status", "revoked with the decision"),
    ("bogus", TODAY, "status", "cannot become"),
    ("active", TODAY, "status", "cannot become"),
])
def test_a_bad_status_change_is_refused_and_nothing_changes(sd, status, on, field, words):
    h = holder("province_may_day_medal", person=sd.worker_person)
    e = refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status=status, on=on),
                field)
    assert words in e.message


def test_no_date_and_a_date_before_the_last_change_are_refused(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="retired", on=None),
            "on")
    services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="moved", on=TODAY)
    e = refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="retired",
                                                      on=TODAY - datetime.timedelta(days=3)), "on")
    assert "previous change" in e.message
    e = refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="retired",
                                                      on=TODAY, document="号" * 61), "document")


def test_a_retired_holder_is_not_back_in_post_and_a_collective_does_not_retire(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="retired", on=TODAY)
    e = refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="moved",
                                                      on=TODAY), "status")
    assert "Retired" in e.message and "Moved" in e.message
    team = holder("province_pioneer", org_=sd.team)
    refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=team, status="retired",
                                                  on=TODAY), "status")


def test_the_province_revokes_a_provincial_title_which_stays_marked_and_counts_no_more(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    event = services.revoke_honour(actor=sd.province_admin, holder=h, reason="申报材料弄虚作假",
                                   document="鲁工发〔2026〕12号", body=sd.province)
    h.refresh_from_db()
    assert h.status == "revoked" and h.revoked and event.body == sd.province and event.document
    assert count(sd.province, h.honour_type) == (0, 0, 0)
    assert AuditEvent.objects.filter(verb="honours.holder.revoked").count() == 1
    assert Notification.objects.filter(recipient=sd.worker, verb="honours.holder.revoked").exists()
    assert [x.pk for x in roster.honours_of_person(sd.province_admin, sd.worker_person)] == [h.pk]  # in history
    refused(lambda: services.record_holder_status(actor=sd.enterprise_cadre, holder=h, status="retired",
                                                  on=TODAY), "status")
    refused(lambda: services.revoke_honour(actor=sd.province_admin, holder=h, reason="再次撤销测试",
                                           document="x", body=sd.province), "status")
    assert counters.snapshot() == _rebuilt()


def test_a_revocation_without_reason_decision_or_body_is_refused_with_every_reason(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    e = refused(lambda: services.revoke_honour(actor=sd.province_admin, holder=h, reason=" ", document="",
                                               body=None), "reason", "document", "body")
    assert "reason" in e.message and "document number" in e.message and "union" in e.message
    with translation.override("zh-hans"):
        e = refused(lambda: services.revoke_honour(actor=sd.province_admin, holder=h, reason="", document="",
                                                   body=None), "reason")
    assert "撤销" in e.message and "文号" in e.message


def test_a_revocation_by_a_union_that_did_not_confer_is_refused(sd):
    h = holder("province_may_day_medal", person=sd.worker_person)
    e = refused(lambda: services.revoke_honour(actor=sd.province_admin, holder=h, reason="申报材料弄虚作假",
                                               document="鲁工发〔2026〕12号", body=sd.jinan), "body")
    assert "山东省总工会" in e.message
    # the city cannot revoke a provincial honour, even with the province named as the body
    refused(lambda: services.revoke_honour(actor=sd.jinan_cadre, holder=h, reason="申报材料弄虚作假",
                                           document="济工发〔2026〕1号", body=sd.province), permission=True)


def test_the_city_revokes_its_own_city_honour(sd):
    team = holder("city_pioneer", org_=sd.team)
    services.revoke_honour(actor=sd.jinan_cadre, holder=team, reason="发生重大安全责任事故",
                           document="济工发〔2026〕8号", body=sd.jinan)
    team.refresh_from_db()
    assert team.status == "revoked"
    assert [b.pk for b in roster.revoking_bodies(team)] == [sd.jinan.pk]


def test_a_revoked_title_is_no_longer_a_prior_honour(hw):
    h = holder("province_may_day_medal", person=hw.sd.worker_person)
    n = hw.person_nomination()
    with pytest.raises(DomainError) as e:
        submit(hw, n)
    assert e.value.code == "ineligible"
    services.revoke_honour(actor=hw.sd.province_admin, holder=h, reason="申报材料弄虚作假",
                           document="鲁工发〔2026〕12号", body=hw.sd.province)
    submit(hw, n)


def test_the_export_is_audited_and_refused_to_a_viewer(sd):
    services.record_holder_export(actor=sd.jinan_cadre, org=sd.jinan, rows=3)
    assert AuditEvent.objects.filter(verb="honours.holder.exported").count() == 1
    with pytest.raises(PermissionDeniedError):
        services.record_holder_export(actor=sd.jinan_viewer, org=sd.jinan, rows=3)


def test_the_counters_kept_by_many_changes_equal_a_rebuild(sd):
    from gongjiang.orgs.tests.factories import person

    people = [person(sd.team, f"工人{i}") for i in range(6)] + [person(sd.qd_enterprise, "青岛工人")]
    hs = [holder(code, person=p, year=2018 + i % 3) for i, (p, code) in enumerate(
        zip(people, ["gold_worker", "technical_expert"] * 4, strict=False))]
    hs.append(holder("province_pioneer", org_=sd.team))
    services.record_holder_status(actor=sd.enterprise_cadre, holder=hs[0], status="moved", on=TODAY)
    services.record_holder_status(actor=sd.enterprise_cadre, holder=hs[0], status="active", on=TODAY)
    services.record_holder_status(actor=sd.enterprise_cadre, holder=hs[1], status="retired", on=TODAY)
    services.record_holder_status(actor=sd.enterprise_cadre, holder=hs[1], status="deceased", on=TODAY)
    services.revoke_honour(actor=sd.province_admin, holder=hs[2], reason="申报材料弄虚作假",
                           document="鲁工发〔2026〕1号", body=sd.province)
    services.revoke_honour(actor=sd.province_admin, holder=hs[-1], reason="发生安全责任事故",
                           document="鲁工发〔2026〕2号", body=sd.province)
    assert HolderEvent.objects.count() == 6
    assert counters.snapshot() == _rebuilt()

