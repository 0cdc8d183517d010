"""The 6·18 exhibition's verbs as a specification: the province sets up its exhibition and opens it; 济钢's union
offers its 转炉煤气余热发电技术 and 济南重工's union enters its need for 加热炉余热发电改造; the organiser accepts both,
confirms the suggested match; 济南重工 asks for a meeting in a free slot and 济钢 accepts it; they meet, sign a
contract of 65万元 and implement it — every step in the audit, told to both unions, and the signed match in the
figures of both unions' reach (equal to a rebuild). Then every bad input: a clear message naming the field, and
nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from gongjiang.core.audit import timeline
from gongjiang.core.models import Notification
from gongjiang.innovation import services
from gongjiang.innovation.choices import EntryState, ExpoState, MatchOrigin, MatchState, MeetingState
from gongjiang.orgs.choices import Role
from gongjiang.orgs.tests.factories import user

from .exhibition_factories import exhibition
from .factories import facts_agree, year_facts
from .project_factories import project
from .test_services import refused

D = Decimal


def signed(org) -> tuple[int, Decimal]:
    f = year_facts(org, timezone.localdate().year)
    return f.get("matches_signed", 0), f.get("signed_value", D(0))


def test_an_offer_and_a_need_are_matched_met_signed_and_implemented(ex):
    sd, today = ex.sd, timezone.localdate()
    offer, need = ex.offer(), ex.need()
    assert (offer.state, need.state, offer.number) == (EntryState.SUBMITTED, EntryState.SUBMITTED,
                                                       f"GJ{ex.exhibition.year}-{offer.pk:05d}")
    offer = services.check_offer(actor=ex.organiser, offer=offer, accept=True)
    need = services.check_need(actor=ex.organiser, need=need, accept=True)
    m = services.confirm_match(actor=ex.organiser, offer=offer, need=need, note="余热发电对口")
    assert (m.state, m.origin) == (MatchState.MATCHED, MatchOrigin.SUGGESTED) and m.score > 0.3
    slot = ex.exhibition.slots()[0]
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=slot)
    assert (meeting.table, meeting.requested_by, meeting.state) == (1, "need", MeetingState.REQUESTED)
    meeting = services.accept_meeting(actor=sd.enterprise_cadre, meeting=meeting)
    assert meeting.state == MeetingState.ACCEPTED
    m = services.record_met(actor=ex.partner_cadre, match=m, met_on=today)
    m = services.sign_match(actor=sd.enterprise_cadre, match=m, contract_value=D("650000.00"), signed_on=today)
    m = services.record_implemented(actor=ex.partner_cadre, match=m, implemented_on=today, note="机组已并网运行")
    assert (m.state, m.contract_value, m.signed_on) == (MatchState.IMPLEMENTED, D(650000), today)
    verbs = list(timeline(m).values_list("verb", flat=True))
    for v in ("made", "meeting_requested", "meeting_accepted", "met", "signed", "implemented"):
        assert f"innovation.match.{v}" in verbs
    # both unions heard of every step; nobody else did
    for u in (sd.enterprise_cadre, ex.partner_cadre):
        assert Notification.objects.filter(recipient=u, verb__startswith="innovation.match.").count() == 6
    assert not Notification.objects.filter(recipient=sd.qingdao_cadre).exists()
    # the signed match counts once in each union's reach, the province counts it once
    for org in (sd.steel, ex.partner, sd.town, sd.lixia, sd.jinan, sd.province, sd.metallurgy):
        assert signed(org) == (1, D(650000)), org
    assert signed(sd.qingdao) == (0, D(0))
    facts_agree()


def test_either_union_asks_for_a_match_and_only_they_may(ex):
    offer, need = ex.pair()
    m = services.request_match(actor=ex.partner_cadre, offer=offer, need=need)
    assert m.origin == MatchOrigin.NEED_SIDE
    other = services.check_need(actor=ex.organiser, need=ex.need("轧机振动在线监测"), accept=True)
    assert services.request_match(actor=ex.sd.enterprise_cadre, offer=offer, need=other).origin == \
        MatchOrigin.OFFER_SIDE
    third = services.check_need(actor=ex.organiser, need=ex.need("除尘滤袋寿命提升"), accept=True)
    refused(lambda: services.request_match(actor=ex.sd.qingdao_cadre, offer=offer, need=third), "offer",
            permission=True)


# ---------------------------------------------------------------------------------------------
# Bad input


def test_an_offer_after_the_registration_deadline_is_refused(ex):
    e = ex.exhibition
    e.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    e.save(update_fields=["registration_deadline"])
    err = refused(lambda: ex.offer(), "exhibition")
    assert err.code == "deadline_passed" and "closed on" in err.message
    refused(lambda: ex.need(), "exhibition")


def test_an_offer_while_the_exhibition_is_not_open_is_refused(inn):
    from .exhibition_factories import expo

    draft = expo(inn, state=ExpoState.DRAFT)
    assert "open for entries" in refused(lambda: draft.offer(), "exhibition").message


def test_an_offer_or_need_outside_the_users_scope_is_refused(ex):
    sd = ex.sd
    refused(lambda: ex.offer(org=sd.qd_enterprise, contact=sd.qd_person), permission=True)
    refused(lambda: services.submit_need(actor=ex.partner_cadre, exhibition=ex.exhibition, org=sd.steel,
                                         title="借济钢的名义", description="借济钢的名义提交一项需求看看。",
                                         category="energy", contact=sd.worker_person), permission=True)
    # a city's exhibition takes no offer from another city, even from a cadre who may change there
    jinan_expo = exhibition(sd, organiser=sd.jinan, name="济南市职工技术创新成果展洽会")
    err = refused(lambda: services.submit_offer(
        actor=sd.province_admin, exhibition=jinan_expo, org=sd.qd_enterprise, title="港口自动化",
        summary="港口装卸自动化技术成果，已在青岛港应用。", category="efficiency", mode="transfer",
        contact=sd.qd_person), "org")
    assert "not within the reach" in err.message


def test_an_entry_names_each_bad_field(ex):
    err = refused(lambda: ex.offer(title=" ", summary="太短", category="x", mode="sale", price=D(-1),
                                   contact=ex.partner_person))
    assert set(err.errors) >= {"title", "summary", "category", "mode", "price", "contact"}
    refused(lambda: ex.need(solve_by=timezone.localdate() - datetime.timedelta(days=1)), "solve_by")
    refused(lambda: ex.need(budget=D("1.001")), "budget")
    p = project(ex.inn)  # a project of 济钢: no source for an offer of 济南重工
    refused(lambda: services.submit_offer(
        actor=ex.partner_cadre, exhibition=ex.exhibition, org=ex.partner, title="重工技术",
        summary="重工的一项成熟技术成果，可转让。", category="quality", mode="transfer", contact=ex.partner_person,
        project=p), "project")


def test_returning_an_entry_needs_a_reason_and_a_check_is_made_once(ex):
    offer = ex.offer()
    refused(lambda: services.check_offer(actor=ex.organiser, offer=offer, accept=False, reason=" "), "reason")
    services.check_offer(actor=ex.organiser, offer=offer, accept=False, reason="成果未经鉴定")
    offer.refresh_from_db()
    assert (offer.state, offer.return_reason) == (EntryState.RETURNED, "成果未经鉴定")
    refused(lambda: services.check_offer(actor=ex.organiser, offer=offer, accept=True), "state")
    another = ex.offer("另一项成果")
    refused(lambda: services.check_offer(actor=ex.sd.enterprise_cadre, offer=another, accept=True), permission=True)


def _corrected(ex, offer, **kw):
    data = {"title": "高炉煤气净化技术（已鉴定）", "summary": "高炉煤气干法除尘净化，2025年通过省级科技成果鉴定。",
            "category": "energy", "mode": "cooperation", "price": None, "authors": "李强",
            "contact": ex.sd.worker_person, **kw}
    return services.resubmit_offer(actor=kw.pop("actor", ex.sd.enterprise_cadre), offer=offer,
                                   **{k: v for k, v in data.items() if k != "actor"})


def test_a_returned_offer_is_corrected_and_submitted_again_by_its_union(ex):
    offer = ex.offer("高炉煤气净化技术")
    services.check_offer(actor=ex.organiser, offer=offer, accept=False, reason="成果未经鉴定")
    again = _corrected(ex, offer)
    again.refresh_from_db()
    assert (again.state, again.return_reason, again.checked_at) == (EntryState.SUBMITTED, "", None)
    assert (again.title, again.mode, again.price, again.authors) == ("高炉煤气净化技术（已鉴定）", "cooperation",
                                                                      None, "李强")
    event = next(e for e in timeline(again) if e.verb == "innovation.offer.resubmitted")
    assert event.note == "成果未经鉴定" and event.before["check"] == "returned"
    assert event.before["title"] == "高炉煤气净化技术" and event.after["transfer_mode"] == "cooperation"
    told = Notification.objects.filter(verb="innovation.offer.resubmitted")
    assert [n.recipient for n in told] == [ex.organiser] and "高炉煤气净化技术（已鉴定）" in told[0].title
    # checked again: into the catalogue this time
    services.check_offer(actor=ex.organiser, offer=again, accept=True)


def test_a_returned_need_is_corrected_after_the_deadline_while_the_exhibition_is_open(ex):
    need = ex.need("除尘滤袋寿命提升")
    services.check_need(actor=ex.organiser, need=need, accept=False, reason="需求描述不清")
    e = ex.exhibition
    e.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    e.save(update_fields=["registration_deadline"])
    again = services.resubmit_need(actor=ex.partner_cadre, need=need, title="除尘滤袋寿命提升",
                                   description="转炉二次除尘滤袋平均寿命仅8个月，希望延长到18个月以上。",
                                   category="energy", contact=ex.partner_person, budget=D(300000))
    assert again.state == EntryState.SUBMITTED and again.budget == D(300000)
    assert Notification.objects.filter(verb="innovation.need.resubmitted", recipient=ex.organiser).exists()


def test_only_a_returned_entry_of_ones_own_union_is_submitted_again(ex):
    offer = ex.offer("高炉煤气净化技术")
    with override("zh-hans"):
        err = refused(lambda: _corrected(ex, offer), "state")
    assert err.code == "wrong_state" and "退回" in err.message  # waiting for the check: not editable
    services.check_offer(actor=ex.organiser, offer=offer, accept=True)
    refused(lambda: _corrected(ex, offer), "state")  # in the catalogue: not editable either
    returned = ex.offer("另一项成果")
    services.check_offer(actor=ex.organiser, offer=returned, accept=False, reason="材料不全")
    refused(lambda: _corrected(ex, returned, actor=ex.partner_cadre), permission=True)  # another enterprise
    refused(lambda: _corrected(ex, returned, actor=ex.sd.qingdao_cadre), permission=True)
    refused(lambda: _corrected(ex, returned, actor=ex.sd.jinan_viewer), permission=True)
    err = refused(lambda: _corrected(ex, returned, title=" ", summary="短", contact=ex.partner_person))
    assert set(err.errors) >= {"title", "summary", "contact"}
    services.advance_exhibition(actor=ex.organiser, exhibition=ex.exhibition, state="held")
    refused(lambda: _corrected(ex, returned), "exhibition")  # no longer open for entries


def test_matches_need_two_accepted_entries_of_two_enterprises_once(ex):
    offer, need = ex.offer(), ex.need()
    assert "catalogue" in refused(lambda: services.confirm_match(actor=ex.organiser, offer=offer, need=need),
                                  "offer").message
    offer, need = ex.pair()
    own_need = services.check_need(actor=ex.organiser, accept=True, need=services.submit_need(
        actor=ex.sd.enterprise_cadre, exhibition=ex.exhibition, org=ex.sd.steel, title="济钢自己的需求",
        description="济钢自己的一项技术需求，看看能否匹配。", category="energy", contact=ex.sd.worker_person))
    refused(lambda: services.confirm_match(actor=ex.organiser, offer=offer, need=own_need), "need")
    services.confirm_match(actor=ex.organiser, offer=offer, need=need)
    assert "matched already" in refused(lambda: services.request_match(actor=ex.partner_cadre, offer=offer,
                                                                        need=need), "need").message


def _enterprise(ex, code: str, name: str):
    """Another enterprise of Jinan with its union cadre and a contact person."""
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.tests.factories import org, person

    e = org(ex.sd.town, f"{name}工会", OrgKind.GRASSROOTS, code)
    return e, user(f"cadre_{code}", (e, Role.STAFF)), person(e, f"{name}联系人")


def _accepted(ex, cadre, org, contact, kind: str, title: str):
    if kind == "offer":
        made = services.submit_offer(actor=cadre, exhibition=ex.exhibition, org=org, title=title,
                                     summary=f"{title}：成熟可靠，已在多家企业应用。", category="energy",
                                     mode="transfer", contact=contact)
        return services.check_offer(actor=ex.organiser, offer=made, accept=True)
    made = services.submit_need(actor=cadre, exhibition=ex.exhibition, org=org, title=title,
                                description=f"{title}：现场问题突出，急需解决。", category="energy", contact=contact)
    return services.check_need(actor=ex.organiser, need=made, accept=True)


def test_a_meeting_in_a_taken_slot_is_refused(ex):
    """Two tables. 济钢 × 济南重工 sit at table 2 in the first slot; then 机床 asks for a meeting with 甲 at table 2
    (taken), with 重工 and with 济钢 (each busy then), and in a free slot."""
    slot = ex.exhibition.slots()[0]
    services.request_meeting(actor=ex.partner_cadre, match=ex.match(), starts_at=slot, table=2)
    e3, cadre3, person3 = _enterprise(ex, "E0004", "济南机床集团")
    a, ca, pa = _enterprise(ex, "E0005", "甲公司")
    need3 = _accepted(ex, cadre3, e3, person3, "need", "机床车间余热利用")
    with_a = services.confirm_match(actor=ex.organiser, offer=_accepted(ex, ca, a, pa, "offer", "甲的余热利用技术"),
                                    need=need3)
    err = refused(lambda: services.request_meeting(actor=cadre3, match=with_a, starts_at=slot, table=2), "table")
    assert err.code == "slot_taken" and "Table 2 is taken" in err.message
    from_partner = _accepted(ex, ex.partner_cadre, ex.partner, ex.partner_person, "offer", "重型齿轮箱降噪技术")
    from_steel = _accepted(ex, ex.sd.enterprise_cadre, ex.sd.steel, ex.sd.worker_person, "offer", "高炉煤气净化技术")
    for offer, busy in ((from_partner, "济南重工"), (from_steel, "济南钢铁")):
        m = services.confirm_match(actor=ex.organiser, offer=offer, need=need3)
        err = refused(lambda m=m: services.request_meeting(actor=cadre3, match=m, starts_at=slot), "starts_at")
        assert err.code == "busy" and busy in err.message
    assert services.request_meeting(actor=cadre3, match=with_a, starts_at=slot).table == 1
    later = ex.exhibition.slots()[1]
    assert refused(lambda: services.request_meeting(actor=ca, match=with_a, starts_at=slot),
                   "starts_at").code == "busy"  # the same two, twice at once
    assert services.request_meeting(actor=ca, match=with_a, starts_at=later).table == 1


def test_an_accepted_meeting_is_cancelled_by_either_side_and_its_table_freed(ex):
    """Two tables, the first slot: 济钢 × 济南重工 accepted at table 1, another match at table 2 — the slot is full.
    济南重工 cancels with a reason: 济钢 (only) is told, the timeline says why, and the table is booked again."""
    slot = ex.exhibition.slots()[0]
    m = ex.match()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=slot)
    services.accept_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting)
    e3, cadre3, person3 = _enterprise(ex, "E0004", "济南机床集团")
    a, ca, pa = _enterprise(ex, "E0005", "甲公司")
    other = services.confirm_match(actor=ex.organiser, offer=_accepted(ex, ca, a, pa, "offer", "甲的余热利用技术"),
                                   need=_accepted(ex, cadre3, e3, person3, "need", "机床车间余热利用"))
    services.request_meeting(actor=cadre3, match=other, starts_at=slot)
    assert refused(lambda: services.request_meeting(actor=cadre3, match=other, starts_at=slot, table=1),
                   "starts_at").code == "busy"
    Notification.objects.all().delete()
    cancelled = services.cancel_meeting(actor=ex.partner_cadre, meeting=meeting, reason="设备检修，无法到场")
    assert (cancelled.state, cancelled.cancelled_by, cancelled.cancel_reason) == (
        MeetingState.CANCELLED, "need", "设备检修，无法到场")
    told = Notification.objects.filter(verb="innovation.match.meeting_cancelled")
    assert {n.recipient for n in told} == {ex.sd.enterprise_cadre}  # the other side, not the canceller
    assert "设备检修" in told[0].body
    event = next(e for e in timeline(m) if e.verb == "innovation.match.meeting_cancelled")
    assert event.note == "设备检修，无法到场" and event.after["table"] == 1
    # the table is free: the same two may book it again, or anyone else
    again = services.request_meeting(actor=ex.sd.enterprise_cadre, match=m, starts_at=slot, table=1)
    assert again.table == 1 and again.state == MeetingState.REQUESTED


def test_cancelling_a_meeting_needs_a_party_a_reason_and_an_accepted_meeting(ex):
    m = ex.match()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    err = refused(lambda: services.cancel_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting, reason="不去了"),
                  "meeting")
    assert err.code == "wrong_state"  # a request is declined, not cancelled
    services.accept_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting)
    refused(lambda: services.cancel_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting, reason=" "), "reason")
    _e3, third, _p3 = _enterprise(ex, "E0004", "济南机床集团")  # a union of neither side
    for outsider in (third, ex.sd.qingdao_cadre, ex.sd.jinan_viewer, ex.inn.colleague_user):
        refused(lambda who=outsider: services.cancel_meeting(actor=who, meeting=meeting, reason="不合适"),
                permission=True)
    services.cancel_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting, reason="时间冲突")
    with override("zh-hans"):
        err = refused(lambda: services.cancel_meeting(actor=ex.partner_cadre, meeting=meeting, reason="再取消一次"),
                      "meeting")
    assert err.code == "wrong_state" and "已取消" in err.message
    # a meeting that has begun is no longer cancelled
    later = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[1])
    services.accept_meeting(actor=ex.sd.enterprise_cadre, meeting=later)
    type(later).objects.filter(pk=later.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    assert refused(lambda: services.cancel_meeting(actor=ex.partner_cadre, meeting=later, reason="临时有事"),
                   "meeting").code == "past"


def test_no_slot_outside_the_grid_and_no_table_past_the_last(ex):
    m = ex.match()
    refused(lambda: services.request_meeting(actor=ex.partner_cadre, match=m,
                                             starts_at=ex.exhibition.slots()[0] + datetime.timedelta(minutes=7)),
            "starts_at")
    refused(lambda: services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0],
                                             table=3), "table")


def test_every_table_taken_is_refused(ex):
    slot = ex.exhibition.slots()[0]
    services.request_meeting(actor=ex.partner_cadre, match=ex.match(), starts_at=slot)
    (a, ca, pa), (b, cb, pb), (c, cc, pc), (d, _cd, pd) = [_enterprise(ex, f"E000{i}", name) for i, name in
                                                          enumerate(("甲公司", "乙公司", "丙公司", "丁公司"), 5)]
    first = services.confirm_match(actor=ex.organiser, offer=_accepted(ex, ca, a, pa, "offer", "甲的节能成果"),
                                   need=_accepted(ex, cb, b, pb, "need", "乙的节能需求"))
    services.request_meeting(actor=ca, match=first, starts_at=slot)
    second = services.confirm_match(actor=ex.organiser, offer=_accepted(ex, cc, c, pc, "offer", "丙的节能成果"),
                                    need=_accepted(ex, _cd, d, pd, "need", "丁的节能需求"))
    err = refused(lambda: services.request_meeting(actor=cc, match=second, starts_at=slot), "starts_at")
    assert err.code == "slot_taken" and "Every table" in err.message


def test_a_meeting_is_answered_by_the_other_side_once(ex):
    m = ex.match()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    assert refused(lambda: services.accept_meeting(actor=ex.partner_cadre, meeting=meeting), "meeting").code == \
        "own_request"
    refused(lambda: services.decline_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting, reason=""), "reason")
    services.decline_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting, reason="当天另有安排")
    refused(lambda: services.accept_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting), "meeting")
    # the declined slot is free again
    services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0], table=1)


@pytest.mark.parametrize("value", [None, D(-1), D(0), D("1.001")])
def test_a_signature_needs_a_positive_contract_value(ex, value):
    m = ex.match(MatchState.MET)
    err = refused(lambda: services.sign_match(actor=ex.partner_cadre, match=m, contract_value=value,
                                              signed_on=timezone.localdate()), "contract_value")
    assert "contract value" in err.message


def test_signing_before_meeting_is_a_step_skipped(ex):
    m = ex.match()
    err = refused(lambda: services.sign_match(actor=ex.partner_cadre, match=m, contract_value=D(100000),
                                              signed_on=timezone.localdate()), "state")
    assert err.code == "step_skipped" and "Met" in err.message
    with override("zh-hans"):
        err = refused(lambda: services.record_implemented(actor=ex.partner_cadre, match=m,
                                                          implemented_on=timezone.localdate(), note="已落地"), "state")
    assert "已对接" in err.message and "已签约" in err.message


def test_outcome_dates_and_reasons(ex):
    m = ex.match()
    refused(lambda: services.record_met(actor=ex.partner_cadre, match=m,
                                        met_on=timezone.localdate() + datetime.timedelta(days=1)), "met_on")
    refused(lambda: services.close_match(actor=ex.partner_cadre, match=m, reason=" "), "reason")
    m = services.record_met(actor=ex.partner_cadre, match=m, met_on=timezone.localdate())
    refused(lambda: services.sign_match(actor=ex.partner_cadre, match=m, contract_value=D(1),
                                        signed_on=timezone.localdate() - datetime.timedelta(days=3)), "signed_on")
    m = services.sign_match(actor=ex.partner_cadre, match=m, contract_value=D(1), signed_on=timezone.localdate())
    refused(lambda: services.close_match(actor=ex.partner_cadre, match=m, reason="后悔了"), "state")
    refused(lambda: services.record_implemented(actor=ex.partner_cadre, match=m, implemented_on=timezone.localdate(),
                                                note=""), "note")


def test_a_closed_match_changes_no_more_and_its_requests_are_declined(ex):
    m = ex.match()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    m = services.close_match(actor=ex.sd.enterprise_cadre, match=m, reason="价格未谈拢")
    meeting.refresh_from_db()
    assert (m.state, meeting.state) == (MatchState.CLOSED, MeetingState.DECLINED)
    assert refused(lambda: services.record_met(actor=ex.partner_cadre, match=m, met_on=timezone.localdate()),
                   "state").code == "closed"
    refused(lambda: services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[1]),
            "match")


def test_an_exhibition_is_set_up_right_and_moves_one_state_at_a_time(ex):
    sd, today = ex.sd, timezone.localdate()
    err = refused(lambda: services.create_exhibition(
        actor=sd.province_admin, organiser=sd.steel, name=" ", year=today.year, starts_on=today,
        ends_on=today - datetime.timedelta(days=1), venue="", registration_deadline=today + datetime.timedelta(days=3),
        slot_minutes=25, tables=0))
    assert set(err.errors) >= {"organiser", "name", "venue", "ends_on", "registration_deadline", "slot_minutes",
                               "tables"}
    refused(lambda: services.create_exhibition(
        actor=sd.enterprise_cadre, organiser=sd.jinan, name="济南展洽会", year=today.year, starts_on=today,
        ends_on=today, venue="济南", registration_deadline=today), permission=True)
    e = exhibition(sd, state=ExpoState.DRAFT, name="另一届")
    refused(lambda: services.advance_exhibition(actor=sd.province_admin, exhibition=e, state=ExpoState.HELD), "state")
    e = services.advance_exhibition(actor=sd.province_admin, exhibition=e, state=ExpoState.OPEN)
    assert e.state == ExpoState.OPEN
