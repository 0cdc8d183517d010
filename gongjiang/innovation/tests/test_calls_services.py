"""The achievement-call verbs as a specification: 山东省总工会 opens the provincial call with quotas for 济南 and 青岛,
济钢's union and the 青岛 enterprise's union submit, the reviewers are assigned by the rule with the conflicts
excluded (济钢's expert never sees 济钢's achievement), three experts score blind, a disputed achievement goes to a
second round, the call is ranked and awarded, the results go on notice, become final with certificates and the
figures, and the best is recommended to the national federation. Then every bad input of issue 10 §3."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from gongjiang.core.models import IssuedCertificate, Notification, PublicNotice
from gongjiang.innovation import queries, services
from gongjiang.innovation.choices import AchievementState, Award, CallLevel, CallState, Field, ReviewState
from gongjiang.innovation.models import Review
from gongjiang.innovation.rules import review_assignment as ar

from .call_factories import GOOD, provincial_call
from .factories import facts_agree, pdf, year_facts
from .test_services import refused

D = Decimal


@pytest.fixture
def calls(sd):
    return provincial_call(sd)


def _end_notice(call) -> None:
    PublicNotice.objects.filter(owner_id=call.pk, kind="innovation.call_results").update(
        starts_on=timezone.localdate() - datetime.timedelta(days=9),
        ends_on=timezone.localdate() - datetime.timedelta(days=1))


def test_a_call_goes_from_submission_to_final_results_and_a_national_recommendation(calls):
    sd = calls.sd
    steel = calls.submit(files=[pdf("申报书.pdf")])
    qd = calls.submit("智能巡检机器人", enterprise=sd.qd_enterprise)
    assert steel.number == f"CG{calls.call.year}-{steel.pk:06d}" and steel.city == sd.jinan and qd.city == sd.qingdao
    assert steel.files.get().name == "申报书.pdf"
    result = services.assign_reviewers(actor=sd.province_admin, call=calls.call)
    calls.call.refresh_from_db()
    assert calls.call.state == CallState.REVIEWING and not result.shortfalls
    steel_expert, qd_expert = calls.experts[0], calls.experts[1]
    reviewers = {a.pk: set(Review.objects.filter(achievement=a).values_list("expert_id", flat=True))
                 for a in (steel, qd)}
    assert len(reviewers[steel.pk]) == 3 and len(reviewers[qd.pk]) == 3
    # nobody reviews their own enterprise's achievement, nor one from their own city in a provincial call
    assert steel_expert.pk not in reviewers[steel.pk] and qd_expert.pk not in reviewers[qd.pk]
    assert Notification.objects.filter(verb="innovation.review.assigned").exists()
    calls.review_all()
    steel.refresh_from_db()
    assert steel.score == D("86.50") and steel.spread == D(0) and not steel.disputed
    services.rank_call(actor=sd.province_admin, call=calls.call)
    steel.refresh_from_db(), qd.refresh_from_db()
    assert (steel.rank, qd.rank) == (1, 1)  # a tie shares the place and the better prize
    assert steel.award == qd.award == Award.FIRST
    services.set_awards(actor=sd.province_admin, call=calls.call, awards={qd.pk: Award.SECOND},
                        reason="评审委员会全体会议决定")
    qd.refresh_from_db()
    assert qd.award == Award.SECOND and qd.award_reason == "评审委员会全体会议决定"
    services.publish_results(actor=sd.province_admin, call=calls.call, working_days=5)
    calls.call.refresh_from_db()
    assert calls.call.state == CallState.NOTICE
    with pytest.raises(Exception, match="public notice runs until"):
        services.finalise_call(actor=sd.province_admin, call=calls.call)
    _end_notice(calls.call)
    services.finalise_call(actor=sd.province_admin, call=calls.call)
    calls.call.refresh_from_db()
    assert calls.call.state == CallState.FINAL
    docs = IssuedCertificate.objects.filter(kind="innovation.achievement_award").order_by("serial")
    assert [d.holder_name for d in docs] == ["李强", sd.qd_person.name]
    assert calls.call.final_at is not None
    row = year_facts(sd.province, calls.call.year)
    assert (row["achievements"], row["awards_first"], row["awards_second"]) == (2, 1, 1)
    facts_agree()
    # a worker writing a proposal like a published prize-winner is shown it (title, enterprise, call and prize)
    found = queries.achievements.similar_achievements(sd.worker, "氧枪喷头长寿命改进", "")
    assert [f.title for f in found][:1] == ["转炉氧枪喷头长寿命技术"] and "First prize" in found[0].label
    assert found[0].url == ""  # a worker opens no achievement page
    services.recommend_achievement(actor=sd.province_admin, achievement=steel)
    steel.refresh_from_db()
    assert steel.national
    refused(lambda: services.recommend_achievement(actor=sd.province_admin, achievement=qd), "national")


def test_a_disputed_achievement_goes_to_a_second_round_whose_totals_replace_the_first(calls):
    sd = calls.sd
    a = calls.submit()
    services.assign_reviewers(actor=sd.province_admin, call=calls.call)
    rows = list(Review.objects.filter(achievement=a).select_related("expert__user"))
    for r, scores in zip(rows, (GOOD, GOOD, {"novelty": "10", "practicality": "10", "benefit": "5",
                                                "spread": "5"}), strict=True):
        services.submit_review(actor=r.expert.user, review=r, scores=scores, comment="意见：详见评审表。")
    a.refresh_from_db()
    assert a.disputed and a.spread > calls.call.spread_limit
    services.note_consensus(actor=sd.province_admin, achievement=a, text="合议：经济效益数据需复核。")
    opened = services.start_second_round(actor=sd.province_admin, call=calls.call, achievements=[a])
    assert opened == 3
    a.refresh_from_db()
    assert a.round == 2 and a.score is None
    refused(lambda: services.rank_call(actor=sd.province_admin, call=calls.call), "call")
    calls.review_all(round_=2)
    a.refresh_from_db()
    assert a.score == D("86.50") and not a.disputed


def test_a_pin_is_kept_with_its_reason_and_never_overrides_a_hard_conflict(calls):
    sd = calls.sd
    a = calls.submit()
    services.assign_reviewers(actor=sd.province_admin, call=calls.call)
    steel_expert = calls.experts[0]
    e = refused(lambda: services.pin_reviewer(actor=sd.province_admin, achievement=a, expert=steel_expert,
                                              reason="专业对口"), "expert")
    assert "works in the enterprise that submitted" in e.message
    outsider = next(x for x in calls.experts[2:] if not Review.objects.filter(achievement=a, expert=x).exists())
    refused(lambda: services.pin_reviewer(actor=sd.province_admin, achievement=a, expert=outsider, reason=" "),
            "reason")
    review = services.pin_reviewer(actor=sd.province_admin, achievement=a, expert=outsider, reason="专业对口")
    assert review.source == ar.PINNED
    assert Review.objects.filter(achievement=a, round=1).count() == 3  # an automatic place gave way
    services.assign_reviewers(actor=sd.province_admin, call=calls.call)  # a re-run keeps the pin
    assert Review.objects.filter(achievement=a, expert=outsider, source=ar.PINNED).exists()


def test_an_expert_declares_a_conflict_and_a_re_run_fills_the_place(calls):
    sd = calls.sd
    a = calls.submit()
    services.assign_reviewers(actor=sd.province_admin, call=calls.call)
    r = Review.objects.filter(achievement=a).select_related("expert__user").first()
    services.declare_conflict(actor=r.expert.user, call=calls.call, achievement=a, reason="与完成人系亲属关系")
    r.refresh_from_db()
    assert r.state == ReviewState.ABSTAINED
    services.assign_reviewers(actor=sd.province_admin, call=calls.call)
    active = Review.objects.filter(achievement=a, round=1).exclude(state=ReviewState.ABSTAINED)
    assert active.count() == 3 and r.expert_id not in set(active.values_list("expert_id", flat=True))


# ---------------------------------------------------------------------------------------------
# Bad input (issue 10): a clear message naming the field, nothing changed


def test_an_achievement_submitted_twice_to_one_call_is_refused(calls):
    calls.submit()
    e = refused(lambda: calls.submit("转炉氧枪喷头 长寿命技术"), "title")
    assert "already in the call" in e.message


def test_a_recommendation_over_the_quota_is_refused(sd):
    calls = provincial_call(sd)
    services.set_quotas(actor=sd.province_admin, call=calls.call, quotas={sd.jinan: 1, sd.qingdao: 2})
    calls.submit()
    e = refused(lambda: calls.submit("高炉煤气余压发电改进"), "enterprise")
    assert "used its quota of 1" in e.message
    refused(lambda: services.set_quotas(actor=sd.province_admin, call=calls.call, quotas={sd.jinan: 0}), "quotas")


def test_a_city_call_recommends_into_the_provincial_call_within_its_quota(sd):
    today = timezone.localdate()
    upper = provincial_call(sd)
    services.set_quotas(actor=sd.province_admin, call=upper.call, quotas={sd.jinan: 1, sd.qingdao: 1})
    city = services.create_call(actor=sd.jinan_cadre, org=sd.jinan, level=CallLevel.CITY, year=today.year,
                                title="济南市职工技术创新成果", submit_until=today + datetime.timedelta(days=5),
                                review_until=today + datetime.timedelta(days=20), recommend_to=upper.call)
    services.open_call(actor=sd.jinan_cadre, call=city)
    upper.call = city
    a = upper.submit()
    b = upper.submit("高炉煤气余压发电改进")
    for x in upper.experts:
        services.add_expert(actor=sd.jinan_cadre, org=sd.jinan, user=x.user, name=x.name,
                            specialities=x.specialities, enterprise=x.enterprise)
    services.assign_reviewers(actor=sd.jinan_cadre, call=city)
    upper.review_all()
    services.rank_call(actor=sd.jinan_cadre, call=city)
    services.publish_results(actor=sd.jinan_cadre, call=city, working_days=3)
    _end_notice(city)
    services.finalise_call(actor=sd.jinan_cadre, call=city)
    copy = services.recommend_achievement(actor=sd.jinan_cadre, achievement=a)
    assert copy.call.level == CallLevel.PROVINCE and copy.source == a and copy.enterprise == sd.steel
    assert [x.person for x in copy.authors.all()] == [sd.worker_person]
    e = refused(lambda: services.recommend_achievement(actor=sd.jinan_cadre, achievement=b), "enterprise")
    assert "quota" in e.message
    refused(lambda: services.recommend_achievement(actor=sd.jinan_cadre, achievement=a), "title")


def test_a_score_outside_a_criterion_s_range_is_refused_field_by_field(calls):
    a = calls.submit()
    services.assign_reviewers(actor=calls.sd.province_admin, call=calls.call)
    r = Review.objects.filter(achievement=a).select_related("expert__user").first()
    e = refused(lambda: services.submit_review(actor=r.expert.user, review=r, comment="意见：详见评审表。", scores={
        "novelty": "31", "practicality": "abc", "benefit": "10.3", "spread": ""}), "score_novelty")
    assert set(e.errors) == {"score_novelty", "score_practicality", "score_benefit", "score_spread"}
    assert "between 0 and 30" in e.errors["score_novelty"]
    refused(lambda: services.submit_review(actor=r.expert.user, review=r, scores=GOOD, comment="好"), "comment")


def test_a_review_after_the_deadline_or_by_another_expert_is_refused(calls):
    a = calls.submit()
    services.assign_reviewers(actor=calls.sd.province_admin, call=calls.call)
    r = Review.objects.filter(achievement=a).select_related("expert__user").first()
    other = next(x for x in calls.experts if x.pk != r.expert_id)
    refused(lambda: services.submit_review(actor=other.user, review=r, scores=GOOD, comment="意见：详见评审表。"),
            permission=True)
    type(calls.call).objects.filter(pk=calls.call.pk).update(
        review_until=timezone.localdate() - datetime.timedelta(days=1))
    e = refused(lambda: services.submit_review(actor=r.expert.user, review=r, scores=GOOD,
                                               comment="意见：详见评审表。"), "call")
    assert "Reviews closed" in e.message


def test_a_submission_after_the_deadline_out_of_scope_or_with_foreign_authors_is_refused(calls):
    sd = calls.sd
    refused(lambda: calls.submit(actor=sd.qingdao_cadre), permission=True)
    refused(lambda: calls.submit(authors=[sd.qd_person]), "authors")
    refused(lambda: calls.submit(summary="太短"), "summary")
    refused(lambda: calls.submit(field="nonsense"), "field")
    refused(lambda: calls.submit(benefit=D(-1)), "benefit")
    type(calls.call).objects.filter(pk=calls.call.pk).update(
        submit_until=timezone.localdate() - datetime.timedelta(days=1))
    e = refused(lambda: calls.submit(), "call")
    assert "Submissions closed" in e.message


def test_an_attachment_of_the_wrong_type_is_refused(calls):
    e = refused(lambda: calls.submit(files=[pdf("病毒.exe", b"MZ\x90\x00")]), "files")
    assert "only these file types" in e.message


def test_decisions_by_someone_outside_the_scope_are_refused(calls):
    sd = calls.sd
    a = calls.submit()
    for cadre in (sd.jinan_cadre, sd.enterprise_cadre):
        refused(lambda c=cadre: services.assign_reviewers(actor=c, call=calls.call), permission=True)
        refused(lambda c=cadre: services.return_achievement(actor=c, achievement=a, reason="材料不全"),
                permission=True)
    services.assign_reviewers(actor=sd.province_admin, call=calls.call)
    calls.review_all()
    refused(lambda: services.rank_call(actor=sd.jinan_cadre, call=calls.call), permission=True)
    refused(lambda: services.declare_conflict(actor=sd.worker, call=calls.call, achievement=a, reason="亲属"),
            permission=True)


def test_a_returned_achievement_frees_its_quota_and_leaves_the_figures(calls):
    sd = calls.sd
    a = calls.submit()
    calls.submit("高炉煤气余压发电改进")
    refused(lambda: calls.submit("第三项成果名称"), "enterprise")
    refused(lambda: services.return_achievement(actor=sd.province_admin, achievement=a, reason=""), "reason")
    services.return_achievement(actor=sd.province_admin, achievement=a, reason="缺少效益证明材料")
    a.refresh_from_db()
    assert a.state == AchievementState.RETURNED
    calls.submit("第三项成果名称")
    assert year_facts(sd.steel, calls.call.year)["achievements"] == 2
    facts_agree()


def test_a_call_s_rules_are_checked_when_it_is_created(sd):
    today = timezone.localdate()

    def make(**kw):
        data = {"org": sd.province, "level": CallLevel.PROVINCE, "year": today.year, "title": "成果征集",
                "submit_until": today + datetime.timedelta(days=3), "review_until": today + datetime.timedelta(days=9),
                **kw}
        return lambda: services.create_call(actor=sd.province_admin, **data)

    refused(make(level=CallLevel.CITY), "level")
    refused(make(submit_until=today - datetime.timedelta(days=1)), "submit_until")
    refused(make(review_until=today), "review_until")
    refused(make(criteria=[{"key": "a", "label": "A", "max": 80}, {"key": "b", "label": "B", "max": 30}]),
            "criteria")
    refused(make(award_levels=[D(60), D(30), D(20)]), "award_levels")
    refused(make(fields=["nonsense"]), "fields")
    refused(make(per_achievement=0), "per_achievement")
    refused(lambda: services.create_call(actor=sd.jinan_cadre, org=sd.province, level=CallLevel.PROVINCE,
                                         year=today.year, title="x", submit_until=today, review_until=today),
            permission=True)
    assert Field.PROCESS in Field.values


def test_a_project_ends_as_an_achievement_and_the_chain_shows_from_both_ends(inn, client):
    from django.urls import reverse

    from gongjiang.innovation.choices import Stage

    from .project_factories import bring, project

    calls = provincial_call(inn.sd)
    p = bring(inn, project(inn), Stage.APPRAISED)
    a = calls.submit(p.title, project=p)
    assert a.project == p and a.proposal == p.proposal
    client.force_login(inn.sd.enterprise_cadre)
    assert reverse("innovation:achievement_detail", args=[a.pk]) in client.get(
        reverse("innovation:project_detail", args=[p.pk])).content.decode()
    assert reverse("innovation:project_detail", args=[p.pk]) in client.get(
        reverse("innovation:achievement_detail", args=[a.pk])).content.decode()
    e = refused(lambda: calls.submit("另一个名称", project=p), "title")
    assert "already in the call" in e.message


def test_an_enterprise_offers_its_reviewed_achievement_at_the_exhibition_and_no_other(inn, client):
    from django.urls import reverse

    from .exhibition_factories import expo

    calls = provincial_call(inn.sd)
    own = calls.submit()
    other = calls.submit("智能巡检机器人", enterprise=inn.sd.qd_enterprise)
    ex = expo(inn)
    offer = ex.offer(achievement=own)
    assert offer.achievement == own and list(own.offers.all()) == [offer]
    e = refused(lambda: ex.offer("另一项成果", achievement=other), "achievement")
    assert "is not one of" in e.message
    client.force_login(inn.sd.enterprise_cadre)
    page = client.get(reverse("innovation:achievement_detail", args=[own.pk])).content.decode()
    assert reverse("innovation:offer_detail", args=[offer.pk]) in page  # the chain reaches the exhibition
    assert reverse("innovation:achievement_detail", args=[own.pk]) in client.get(
        reverse("innovation:offer_detail", args=[offer.pk])).content.decode()
