"""The archive's verbs as a specification: filing, the check by the enterprise union, the approval by the county
(or, without one, the city), returns, changes, exits, the yearly review, de-duplication across the province, the
threshold inherited down the tree; every bad input refused in Chinese with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from gongjiang.care import services
from gongjiang.care.household import duplicates, threshold_for
from gongjiang.care.models import CareRequest, CareSetting, HouseholdFile, Member
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.orgs import facts
from gongjiang.orgs.tests.factories import id_number

from .factories import member


def _state() -> tuple[int, ...]:
    return (HouseholdFile.objects.count(), Member.objects.count(), CareRequest.objects.count(),
            AuditEvent.objects.filter(verb__startswith="care.").count(),
            tuple(CareRequest.objects.order_by("pk").values_list("state", flat=True)))


def test_a_filing_is_checked_by_the_enterprise_union_and_approved_by_the_county(sd, cw):
    request = cw.file()
    f = request.file
    assert f.status == "filing" and f.approver == sd.lixia and f.union == sd.steel
    assert f.caseworker == sd.enterprise_cadre and f.members.count() == 3
    assert Notification.objects.filter(recipient=sd.enterprise_cadre, verb="care.request.submitted").exists()
    request = services.check_request(actor=sd.enterprise_cadre, request=request)
    assert request.state == "checked" and Notification.objects.filter(recipient=sd.county_cadre).exists()
    services.approve_request(actor=sd.county_cadre, request=request)
    f.refresh_from_db()
    today = timezone.localdate()
    assert f.status == "active" and f.entered_on == today and f.grade == "deep" and f.entry_grade == "deep"
    assert f.threshold == 1012 and f.next_review == today + datetime.timedelta(days=365)
    assert any("1012" in r for r in f.grade_reasons)
    assert facts.differences(["care"]) == {}
    year = facts.values([sd.province.pk, sd.steel.pk], ["care.entered", "care.entered_deep"], "Y",
                        today.replace(month=1, day=1))
    assert year[(sd.province.pk, "care.entered")] == 1 and year[(sd.steel.pk, "care.entered_deep")] == 1


def test_without_a_county_the_city_approves(sd, cw):
    request = cw.file(person=sd.qd_person)
    assert request.file.approver == sd.qingdao
    assert threshold_for(sd.qd_enterprise)[0] == 860  # Qingdao has none: the province's


def test_the_threshold_is_inherited_down_the_tree(sd, cw):
    assert threshold_for(sd.steel) == (1012, sd.jinan)
    services.set_threshold(actor=sd.jinan_cadre, org=sd.lixia, monthly_minimum="1100.5")
    assert threshold_for(sd.team)[0] == 1100.5 and threshold_for(sd.qingdao)[1] == sd.province


def test_a_file_approved_by_a_union_that_is_not_the_approving_level_is_refused(sd, cw):
    request = services.check_request(actor=sd.enterprise_cadre, request=cw.file())
    before = _state()
    for wrong in (sd.enterprise_cadre, sd.qingdao_cadre, sd.jinan_viewer):
        with translation.override("zh-hans"), pytest.raises(PermissionDeniedError) as e:
            services.approve_request(actor=wrong, request=request)
        assert "历下区总工会" in e.value.message and "审批" in e.value.message
    assert _state() == before


def test_the_approver_cannot_approve_before_the_check_and_is_told_whose_turn_it_is(sd, cw):
    request = cw.file()
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        services.approve_request(actor=sd.county_cadre, request=request)
    assert "济南钢铁集团有限公司工会" in e.value.message and e.value.code == "not_your_turn"
    with pytest.raises(PermissionDeniedError, match="checked by the enterprise union"):
        services.check_request(actor=sd.qingdao_cadre, request=request)
    services.check_request(actor=sd.county_cadre, request=request)  # a union above may check for it …
    with pytest.raises(PermissionDeniedError, match="another cadre"):  # … but not approve its own check
        services.approve_request(actor=sd.county_cadre, request=request)
    services.approve_request(actor=sd.jinan_cadre, request=request)


def test_a_member_already_in_another_file_is_refused_at_filing_naming_the_member(sd, cw):
    shared = id_number(female=True)
    cw.active(members=[*cw.household()[:1], member("spouse", "王秀英", shared, "0", health="serious")])
    before = _state()
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        cw.file(person=sd.qd_person, members=[member("self", sd.qd_person.name, sd.qd_person.id_number, "500"),
                                              member("parent", "王秀英", shared, "0")])
    assert "王秀英" in e.value.message and "济南钢铁集团有限公司工会" in e.value.message and e.value.code == "duplicate"
    assert shared not in e.value.message  # masked
    assert _state() == before


def test_the_same_worker_cannot_be_filed_twice(sd, cw):
    cw.file()
    with pytest.raises(DomainError, match="already in household file"):
        cw.file()


def test_a_flag_found_before_approval_is_shown_and_stops_the_approval(sd, cw):
    shared = id_number()
    first = cw.file(members=[*cw.household()[:1], member("child", "李明", shared, "0", work="student")])
    second = cw.file(person=sd.qd_person, members=[
        member("self", sd.qd_person.name, sd.qd_person.id_number, "300", work="unemployed")])
    # a race: the second filing gains the same child after its own check (written as a direct change)
    Member.objects.create(file=second.file, relation="child", name="李明", id_encrypted="x", id_hash=first.file
                          .members.get(name="李明").id_hash, id_masked="**************0000", gender="M",
                          birth_date=datetime.date(2010, 1, 1))
    second = services.check_request(actor=sd.province_admin, request=second)
    assert second.flags and second.flags[0]["name"] == "李明" and second.flags[0]["file"] == first.file_id
    with pytest.raises(DomainError, match="李明"):
        services.approve_request(actor=sd.qingdao_cadre, request=second)


def test_the_de_duplication_is_one_query_whatever_the_household(sd, cw):
    cw.file()
    hashes = [f"{i:064x}" for i in range(15)]
    with CaptureQueriesContext(connection) as ctx:
        duplicates(hashes)
    assert len(ctx.captured_queries) == 1 and " IN " in ctx.captured_queries[0]["sql"]


@pytest.mark.parametrize("bad, field, message", [
    ("abc", "monthly_income", "必须是"), ("-5", "monthly_income", "不能为负"),
])
def test_an_income_that_is_not_a_number_or_negative_is_refused(sd, cw, bad, field, message):
    members = cw.household()
    members[1]["monthly_income"] = bad
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        cw.file(members=members)
    assert f"members.1.{field}" in e.value.errors and "王秀英" in e.value.errors[f"members.1.{field}"]
    assert message in e.value.errors[f"members.1.{field}"]
    assert HouseholdFile.objects.count() == 0 and Member.objects.count() == 0


def test_a_malformed_id_is_refused(sd, cw):
    members = cw.household()
    members[2]["id_number"] = members[2]["id_number"][:-1] + ("0" if members[2]["id_number"][-1] != "0" else "1")
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        cw.file(members=members)
    assert "李明" in e.value.errors["members.2.id_number"] and "校验" in e.value.errors["members.2.id_number"]
    assert HouseholdFile.objects.count() == 0


def test_the_worker_row_must_be_the_worker(sd, cw):
    with pytest.raises(DomainError, match="not the worker's"):
        cw.file(members=[member("self", "李强", id_number(), "100")])


def test_a_returned_filing_is_corrected_and_filed_again(sd, cw):
    request = services.return_request(actor=sd.enterprise_cadre, request=cw.file(), reason="缺少收入证明")
    assert request.state == "returned" and request.return_reason == "缺少收入证明"
    with pytest.raises(DomainError, match="reason"):
        services.return_request(actor=sd.province_admin, request=cw.file(person=sd.qd_person), reason=" ")
    again = services.file_household(actor=sd.enterprise_cadre, person=sd.worker_person, union=sd.steel,
                                    housing="owned", causes=["illness"], members=cw.household(),
                                    file=request.file)
    assert again.file_id == request.file_id and again.kind == "filing" and request.file.members.count() == 3
    cw.through(again)
    assert HouseholdFile.objects.get(pk=request.file_id).status == "active"


def test_a_change_applies_on_approval_and_regrades(sd, cw):
    f = cw.active()
    household = cw.household(income="5000")
    household[1].update(health="healthy", work="employed", monthly_income="3000")
    request = services.request_change(actor=sd.enterprise_cadre, file=f, housing="owned", causes=["schooling"],
                                      members=household)
    with pytest.raises(DomainError, match="open request"):
        services.request_exit(actor=sd.enterprise_cadre, file=f, reason="x")
    f.refresh_from_db()
    assert f.grade == "deep"  # not yet applied
    cw.through(request)
    f.refresh_from_db()
    assert f.grade == "" and f.housing == "owned" and f.causes == ["schooling"]
    assert sorted(f.members.values_list("monthly_income", flat=True)) == [0, 3000, 5000]


def test_an_exit_keeps_its_reason_and_counts(sd, cw):
    f = cw.active()
    cw.through(services.request_exit(actor=sd.enterprise_cadre, file=f, reason="子女毕业就业"))
    f.refresh_from_db()
    assert f.status == "exited" and f.exit_reason == "子女毕业就业" and f.exited_on == timezone.localdate()
    assert facts.differences(["care"]) == {}
    # the household may be filed again once it has exited
    assert cw.file().file_id != f.pk


def test_the_yearly_review_regrades_and_sets_the_next_review(sd, cw):
    f = cw.active()
    services.set_threshold(actor=sd.jinan_cadre, org=sd.jinan, monthly_minimum="100")
    f = services.review_file(actor=sd.enterprise_cadre, file=f)
    assert f.grade == "sudden" and f.reviewed_on == timezone.localdate()
    with pytest.raises(DomainError, match="two years"):
        services.review_file(actor=sd.enterprise_cadre, file=f, next_review=timezone.localdate())
    assert AuditEvent.objects.filter(verb="care.file.reviewed").count() == 1


@pytest.mark.parametrize("value", ["abc", "-1", "0"])
def test_a_threshold_must_be_a_positive_number(sd, value):
    with pytest.raises(DomainError, match="positive number"):
        services.set_threshold(actor=sd.province_admin, org=sd.province, monthly_minimum=value)
    assert not CareSetting.objects.exists()


def test_the_threshold_is_set_by_a_federation_s_administrators_only(sd):
    with pytest.raises(PermissionDeniedError):
        services.set_threshold(actor=sd.county_cadre, org=sd.lixia, monthly_minimum="900")
    with pytest.raises(DomainError, match="province, city or county"):
        services.set_threshold(actor=sd.province_admin, org=sd.steel, monthly_minimum="900")
