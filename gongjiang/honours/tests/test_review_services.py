"""The review (逐级审核), the shortlist's public notice (公示) and the conferral (授予) as specifications:
济钢 nominates teams; 历下区 (the county, 3 places, 1 kept for non-public enterprises) decides first, then 济南
(the city), then the province, which shortlists, publishes, decides the objections and confers. Every refusal:
its message, nothing changed (no honours row, no audit event)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from gongjiang.core import notices
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import IssuedCertificate, Notification
from gongjiang.honours import publicity, services
from gongjiang.honours.choices import NominationState
from gongjiang.honours.models import Allocation, Holder, Nomination

from .test_services import refused


def fresh(n: Nomination) -> Nomination:
    return Nomination.objects.select_related("at__org").get(pk=n.pk)


def submitted(hw, team=None, unit=None, actor=None) -> Nomination:
    n = hw.team_nomination(team=team, unit=unit, actor=actor)
    services.submit_nomination(actor=actor or hw.sd.enterprise_cadre, nomination=n)
    return fresh(n)


def up_to_the_province(hw, n: Nomination) -> Nomination:
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    services.forward_nomination(actor=hw.sd.jinan_cadre, nomination=n)
    return fresh(n)


def shortlisted(hw, n: Nomination | None = None) -> Nomination:
    n = up_to_the_province(hw, n or submitted(hw))
    services.forward_nomination(actor=hw.sd.province_admin, nomination=n)
    return fresh(n)


def counters(hw, org) -> tuple[int, int, int]:
    a = hw.share(org)
    return a.nominated, a.forwarded, a.shortlisted


# ---------------------------------------------------------------------------------------------
# Level by level


def test_a_submitted_nomination_waits_at_the_county_first(hw):
    n = submitted(hw)
    assert n.at == hw.share(hw.sd.lixia) and n.state == NominationState.SUBMITTED


def test_each_level_forwards_within_its_quota_up_to_the_shortlist(hw):
    n = submitted(hw)
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    n = fresh(n)
    assert n.at.org == hw.sd.jinan
    lixia = hw.share(hw.sd.lixia)
    assert (lixia.forwarded, lixia.forwarded_front_line, lixia.forwarded_non_public) == (1, 1, 0)
    services.forward_nomination(actor=hw.sd.jinan_cadre, nomination=n)
    assert fresh(n).at == hw.root()
    services.forward_nomination(actor=hw.sd.province_admin, nomination=n)
    n = fresh(n)
    assert n.state == NominationState.SHORTLISTED and n.at is None
    assert counters(hw, hw.sd.lixia) == (1, 1, 1)
    assert counters(hw, hw.sd.jinan) == (1, 1, 1)
    assert counters(hw, hw.sd.province) == (1, 1, 1)
    # the chain of decisions is the nomination's timeline; the unit heard of each step
    verbs = list(n_events(n))
    assert verbs[:4] == ["honours.nomination.shortlisted", "honours.nomination.forwarded",
                         "honours.nomination.forwarded", "honours.nomination.submitted"]
    heard = list(Notification.objects.filter(recipient=hw.sd.enterprise_cadre).values_list("verb", flat=True))
    assert heard.count("honours.nomination.forwarded") == 2 and "honours.nomination.shortlisted" in heard


def n_events(n):
    from gongjiang.core import audit

    return audit.timeline(n).values_list("verb", flat=True)


def test_a_cadre_of_another_level_cannot_decide(hw):
    n = submitted(hw)
    for who in (hw.sd.jinan_cadre, hw.sd.province_admin, hw.sd.enterprise_cadre, hw.sd.qingdao_cadre):
        e = refused(lambda w=who: services.forward_nomination(actor=w, nomination=n), permission=True)
        assert e.message == ("This nomination waits for the decision of 历下区总工会: only its cadres decide at this "
                             "level.")
    refused(lambda: services.return_nomination(actor=hw.sd.jinan_cadre, nomination=n, reason="材料不全"),
            permission=True)
    refused(lambda: services.reject_nomination(actor=hw.sd.jinan_cadre, nomination=n, reason="不符合条件"),
            permission=True)


def test_a_return_or_a_rejection_needs_a_reason(hw):
    n = submitted(hw)
    e = refused(lambda: services.return_nomination(actor=hw.sd.county_cadre, nomination=n, reason="  "), "reason")
    assert e.message == "Give the reason for returning the nomination."
    e = refused(lambda: services.reject_nomination(actor=hw.sd.county_cadre, nomination=n, reason=""), "reason")
    assert e.message == "Give the reason for not recommending the nomination."


def test_only_a_submitted_nomination_is_decided(hw):
    draft = hw.team_nomination()
    e = refused(lambda: services.forward_nomination(actor=hw.sd.county_cadre, nomination=draft), "state")
    assert e.message == "This nomination is Draft: only a submitted nomination waiting for a decision is decided."
    done = shortlisted(hw, submitted(hw, team=hw.sd.workshop))
    refused(lambda: services.reject_nomination(actor=hw.sd.province_admin, nomination=done, reason="x"), "state")


def keep_more_for_non_public(hw, n=2):
    """Submissions already fit every level's quota and reserves, so forwarding only meets a share changed since
    (here: 历下 now keeps 2 of its 3 places for non-public enterprises)."""
    Allocation.objects.filter(pk=hw.share(hw.sd.lixia).pk).update(reserve_non_public=n)


def test_forwarding_that_breaks_the_countys_non_public_reserve_is_refused_naming_it(hw):
    a, b = submitted(hw), submitted(hw, team=hw.sd.workshop)
    keep_more_for_non_public(hw)
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=a)
    e = refused(lambda: services.forward_nomination(actor=hw.sd.county_cadre, nomination=b), "quota")
    assert e.code == "quota"
    assert e.message == ("历下区总工会 keeps 2 of its 3 places for Non-public enterprises and has forwarded 1 others: "
                         "only such nominees can be forwarded now.")


def test_forwarding_over_the_quota_is_refused_with_the_numbers(hw):
    a, b = submitted(hw), submitted(hw, team=hw.sd.workshop)
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=a)
    Allocation.objects.filter(pk=hw.share(hw.sd.lixia).pk).update(quota=1, reserve_non_public=0,
                                                                  reserve_front_line=0)
    e = refused(lambda: services.forward_nomination(actor=hw.sd.county_cadre, nomination=b), "quota")
    assert e.message == "历下区总工会 has forwarded 1 of its quota of 1: no place is left to forward."


def test_a_return_from_the_county_goes_to_the_unit_which_corrects_and_submits_again(hw):
    n = submitted(hw)
    services.return_nomination(actor=hw.sd.county_cadre, nomination=n, reason="事迹材料缺少单位盖章")
    n = fresh(n)
    assert n.state == NominationState.RETURNED and n.at is None and n.reason == "事迹材料缺少单位盖章"
    assert counters(hw, hw.sd.lixia) == (0, 0, 0)  # its place is freed
    assert Notification.objects.filter(recipient=hw.sd.enterprise_cadre, verb="honours.nomination.returned").exists()
    services.update_nomination(actor=hw.sd.enterprise_cadre, nomination=n, deeds=n.deeds + "已补充盖章。",
                               front_line=True)
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    n = fresh(n)
    assert n.state == NominationState.SUBMITTED and n.at == hw.share(hw.sd.lixia)
    assert counters(hw, hw.sd.lixia) == (1, 0, 0)


def test_a_return_from_the_city_goes_one_step_down_to_the_county(hw):
    n = submitted(hw)
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    services.return_nomination(actor=hw.sd.jinan_cadre, nomination=n, reason="请县区补充考察意见")
    n = fresh(n)
    assert n.state == NominationState.SUBMITTED and n.at == hw.share(hw.sd.lixia)
    assert counters(hw, hw.sd.lixia) == (1, 0, 0)  # the county's forwarded place is back
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    assert fresh(n).reason == ""


def test_a_rejection_is_final_and_frees_the_places(hw):
    n = submitted(hw)
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    services.reject_nomination(actor=hw.sd.jinan_cadre, nomination=n, reason="近三年发生安全生产事故")
    n = fresh(n)
    assert n.state == NominationState.REJECTED and n.reason == "近三年发生安全生产事故" and n.at is None
    assert counters(hw, hw.sd.lixia) == (0, 0, 0) and counters(hw, hw.sd.jinan) == (0, 0, 0)
    refused(lambda: services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n), "state")


def test_a_forwarded_nomination_can_no_longer_be_withdrawn(hw):
    n = submitted(hw)
    services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
    e = refused(lambda: services.withdraw_nomination(actor=hw.sd.enterprise_cadre, nomination=n), "state")
    assert e.message == "This nomination has been forwarded by 历下区总工会 already: it can no longer be withdrawn."


def test_bulk_forwarding_is_all_or_nothing_and_names_each_refused_one(hw):
    rows = [submitted(hw), submitted(hw, team=hw.sd.workshop)]
    keep_more_for_non_public(hw)
    e = refused(lambda: services.forward_nominations(actor=hw.sd.county_cadre, nominations=rows), "nominations")
    assert e.message.startswith("Nothing was forwarded. 1 of the nominations chosen cannot be: "
                                "炼钢车间：历下区总工会 keeps")
    keep_more_for_non_public(hw, 1)
    done = services.forward_nominations(actor=hw.sd.county_cadre, nominations=rows)
    assert len(done) == 2 and counters(hw, hw.sd.lixia) == (2, 2, 0)
    refused(lambda: services.forward_nominations(actor=hw.sd.county_cadre, nominations=[]), "nominations")


def test_the_quota_check_of_a_forward_reads_a_constant_number_of_rows(hw, django_assert_max_num_queries):
    n = submitted(hw)
    with django_assert_max_num_queries(12):
        services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)


# ---------------------------------------------------------------------------------------------
# The public notice, its objections, the conferral


def objection(notice, subject="炼钢一班"):
    return notices.file_objection(notice=notice, name="王某", contact="13900000000", subject=subject,
                                  reason="该班组去年发生过安全事故，与事迹不符。", client="1.2.3.4")


def end_notice(notice):
    notice.starts_on = timezone.localdate() - datetime.timedelta(days=10)
    notice.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    notice.save(update_fields=["starts_on", "ends_on"])


def test_the_organiser_publishes_the_shortlist_with_names_units_and_deeds_only(hw):
    e = refused(lambda: services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer), "campaign")
    assert e.message == "Nothing is shortlisted yet: forward the nominations at your level first."
    n = shortlisted(hw)
    refused(lambda: services.publish_shortlist(actor=hw.sd.jinan_cadre, campaign=hw.pioneer), permission=True)
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer, working_days=5)
    items = list(publicity._items(notice))
    assert [(i.name, i.unit) for i in items] == [(n.name, n.unit.display_name)]
    assert items[0].detail.startswith("省工人先锋号：该班组全年安全生产无事故")
    refused(lambda: services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer), "campaign")
    late = up_to_the_province(hw, submitted(hw, team=hw.sd.workshop))
    e = refused(lambda: services.forward_nomination(actor=hw.sd.province_admin, nomination=late), "state")
    assert e.message == "The shortlist is on public notice already: nothing more can be shortlisted."


def test_conferral_waits_for_the_end_of_the_notice_and_every_objection(hw):
    refused(lambda: services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer), "notice")
    n = shortlisted(hw)
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer)
    o = objection(notice)
    e = refused(lambda: services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer), "notice")
    assert e.message.startswith("The public notice runs until ")
    end_notice(notice)
    e = refused(lambda: services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer), "notice")
    assert e.message == "1 objections to the notice are not decided yet: decide every objection first."
    services.decide_shortlist_objection(actor=hw.sd.province_admin, campaign=hw.pioneer, objection=o,
                                        outcome="dismissed", reply="经核实，事故发生在其他班组，异议不成立。")
    refused(lambda: services.confer_honours(actor=hw.sd.jinan_cadre, campaign=hw.pioneer), permission=True)
    done = services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer)
    assert [d.pk for d in done] == [n.pk] and fresh(n).state == NominationState.CONFERRED
    holder = Holder.objects.get(honour_type=hw.pioneer.honour_type, year=hw.pioneer.year)
    # on the roster with its facts (the collective is its own unit; the city above it), counted up both trees
    assert (holder.name, holder.org, holder.unit, holder.city) == (n.name, hw.sd.team, hw.sd.team, hw.sd.jinan)
    from gongjiang.honours import counters

    kept = counters.snapshot()
    assert kept[(hw.sd.province.pk, hw.pioneer.year, hw.pioneer.honour_type_id)][0] >= 1
    counters.rebuild()
    assert counters.snapshot() == kept
    doc = IssuedCertificate.objects.get(kind=publicity.HONOUR_CERTIFICATE, owner_id=n.pk)
    assert doc.holder_name == n.name and doc.title == "省工人先锋号" and doc.number.startswith("RY")
    assert Notification.objects.filter(recipient=hw.sd.enterprise_cadre, verb="honours.nomination.conferred").exists()
    e = refused(lambda: services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer), "campaign")
    assert e.message == "The honours of this campaign are conferred already."


def test_an_upheld_objection_takes_the_nomination_off(hw):
    n = shortlisted(hw)
    other = shortlisted(hw, submitted(hw, team=hw.sd.workshop))
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer)
    o = objection(notice)
    e = refused(lambda: services.decide_shortlist_objection(
        actor=hw.sd.province_admin, campaign=hw.pioneer, objection=o, outcome="upheld", reply="属实"), "nomination")
    assert e.message == "Choose the nomination the upheld objection concerns."
    refused(lambda: services.decide_shortlist_objection(
        actor=hw.sd.jinan_cadre, campaign=hw.pioneer, objection=o, outcome="upheld", reply="属实", nomination=n),
        permission=True)
    e = refused(lambda: services.decide_shortlist_objection(
        actor=hw.sd.province_admin, campaign=hw.pioneer, objection=o, outcome="upheld", reply="", nomination=n))
    assert e.message == "Write the reply given to the objector."
    services.decide_shortlist_objection(actor=hw.sd.province_admin, campaign=hw.pioneer, objection=o,
                                        outcome="upheld", reply="经核实，该班组2025年发生安全事故。", nomination=n)
    n = fresh(n)
    assert n.state == NominationState.NOT_CONFERRED and n.reason == "经核实，该班组2025年发生安全事故。"
    assert counters(hw, hw.sd.province)[2] == 1
    assert [i.name for i in publicity._items(notice)] == [other.name]
    end_notice(notice)
    done = services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer)
    assert [d.pk for d in done] == [other.pk] and fresh(n).state == NominationState.NOT_CONFERRED


@pytest.mark.parametrize("which", ["level", "reason", "reserve"])
def test_the_refusals_read_in_chinese(hw, which):
    n = submitted(hw)
    with translation.override("zh-hans"):
        if which == "level":
            with pytest.raises(PermissionDeniedError) as e:
                services.forward_nomination(actor=hw.sd.jinan_cadre, nomination=n)
            assert e.value.message == "该推荐正等待历下区总工会审核：只有该级工会的干部可以在这一级作出决定。"
        elif which == "reason":
            with pytest.raises(DomainError) as e:
                services.return_nomination(actor=hw.sd.county_cadre, nomination=n, reason="")
            assert e.value.message == "请填写退回的理由。"
        else:
            other = submitted(hw, team=hw.sd.workshop)
            keep_more_for_non_public(hw)
            services.forward_nomination(actor=hw.sd.county_cadre, nomination=n)
            with pytest.raises(DomainError) as e:
                services.forward_nomination(actor=hw.sd.county_cadre, nomination=other)
            assert e.value.message == ("历下区总工会的3个名额中为非公有制企业预留2个，已上报其他1个："
                                       "现在只能上报该类推荐对象。")


def test_an_objection_upheld_on_its_own_page_must_name_the_nomination_before_conferral(hw):
    n = shortlisted(hw)
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer)
    o = objection(notice)
    notices.decide_objection(actor=hw.sd.province_admin, objection=o, outcome="upheld", reply="经核实属实")
    end_notice(notice)
    e = refused(lambda: services.confer_honours(actor=hw.sd.province_admin, campaign=hw.pioneer), "notice")
    assert e.message == ("An objection was upheld without naming the nomination it concerns: name it on the "
                         "shortlist page first.")
    o.refresh_from_db()
    refused(lambda: services.decide_shortlist_objection(actor=hw.sd.province_admin, campaign=hw.pioneer,
                                                        objection=o, outcome="dismissed", reply="x"), "outcome")
    services.decide_shortlist_objection(actor=hw.sd.province_admin, campaign=hw.pioneer, objection=o,
                                        outcome="upheld", reply="", nomination=n)
    assert fresh(n).state == NominationState.NOT_CONFERRED and fresh(n).reason == "经核实属实"
