"""The proposal verbs as a specification: 李强 (a worker of 济钢's steelmaking team) proposes, 济钢's union accepts
and routes, the valuators value, the union adopts with a locked forecast, implements, records the benefit with its
evidence, the finance officer signs it off, the reward is paid by the policy and split among the proposers, and the
proposal is archived — every step audited, told to the proposers and counted in the year's figures. Then every bad
input of the issue: a clear message naming the field, and nothing changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.innovation import counters, metrics, queries, services
from gongjiang.innovation.choices import AttachmentKind, Category, Opinion, State
from gongjiang.innovation.models import Assignment, Proposal, RewardPayment
from gongjiang.innovation.rules import attachments, similarity
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact

from .factories import PDF, facts_agree, pdf, year_facts

D = Decimal


def rows() -> dict[str, Any]:
    """Every innovation row, the audit trail and the inbox: what "nothing changed" compares."""
    found: dict[str, Any] = {m._meta.label: list(m.objects.order_by("pk").values())
                             for m in apps.get_app_config("innovation").get_models()}
    found["audit"] = AuditEvent.objects.count()
    found["inbox"] = Notification.objects.count()
    return found


def refused(call: Any, field: str | None = None, *, permission: bool = False) -> DomainError:
    before = rows()
    with pytest.raises(PermissionDeniedError if permission else DomainError) as e:
        call()
    if field is not None:
        assert field in e.value.errors, e.value.errors
    assert rows() == before, "a refused verb changed something"
    return e.value


def figures(org: Any) -> dict[str, Any]:
    """The proposals' figures of the fact store for this year (zeros left out)."""
    return {k: v for k, v in year_facts(org, timezone.localdate().year).items()
            if k.startswith("proposals_") or k in ("benefits_accounted", "benefit", "rewards")}


def test_a_proposal_goes_from_submission_to_the_archive(inn):
    sd = inn.sd
    p = inn.submit(co_proposers=[services.CoProposer("周明", 30)], files=[pdf()])
    assert (p.state, p.unit, p.enterprise, p.year) == (State.SUBMITTED, sd.team, sd.steel, timezone.localdate().year)
    assert p.number == f"JY{p.year}-{p.pk:06d}"
    assert [(c.person.name, c.share, c.is_lead) for c in p.contributors.all()] == [
        ("李强", 70, True), ("周明", 30, False)]
    assert p.attachments.get().name == "图纸.pdf"
    p = inn.bring(p, State.ARCHIVED)
    assert p.state == State.ARCHIVED and p.score == 86 and p.department == sd.workshop
    assert p.benefit.net == D(220000) and p.benefit.signed_off_by == inn.finance
    # the reward: 5 % of 22万 net = 11,000 yuan, second grade (≥ 10万), split 70/30 into the ledger
    assert (p.grade, p.reward) == (2, D("11000.00"))
    assert sorted((r.person.name, r.amount) for r in RewardPayment.objects.filter(proposal=p)) == [
        ("周明", D("3300.00")), ("李强", D("7700.00"))]
    verbs = list(AuditEvent.objects.filter(object_id=str(p.pk), verb__startswith="innovation.proposal").order_by("id")
                 .values_list("verb", flat=True))
    assert verbs == [f"innovation.proposal.{v}" for v in (
        "submitted", "accepted", "valuators_assigned", "evaluating", "valued", "adopted", "implementing",
        "accounted", "rewarded", "archived")]
    # both proposers heard of every step; each of their own part of the reward only
    for account in (sd.worker, inn.colleague_user):
        said = list(Notification.objects.filter(recipient=account).order_by("id").values_list("verb", flat=True))
        assert said == [f"innovation.proposal.{v}" for v in (
            "submitted", "accepted", "evaluating", "adopted", "implementing", "accounted", "rewarded", "archived")]
    mine = Notification.objects.get(recipient=sd.worker, verb="innovation.proposal.rewarded")
    assert "7,700.00" in mine.body or "7700.00" in mine.body
    assert "3300" not in mine.body
    assert Notification.objects.filter(recipient=inn.valuator, verb="innovation.assignment.created").exists()
    # the year's figures: kept by the verbs, up the tree and along the industry union, equal to a rebuild; the
    # submission itself is counted by the fold, and read before it
    year = timezone.localdate().year
    assert [figures(o).get("proposals_submitted") for o in (sd.team, sd.province)] == [None, None]
    for org in (sd.team, sd.steel, sd.lixia, sd.jinan, sd.province, sd.metallurgy):
        assert queries.year_figures(org, year).submitted == 1, org
    assert queries.year_figures(sd.qingdao, year).submitted == 0
    assert counters.fold() == 1 and counters.fold() == 0
    for org in (sd.team, sd.steel, sd.lixia, sd.jinan, sd.province, sd.metallurgy):
        assert queries.year_figures(org, year).submitted == 1, org
        assert figures(org) == {"proposals_submitted": 1, "proposals_adopted": 1, "benefits_accounted": 1,
                                "benefit": D("220000.00"), "proposals_rewarded": 1, "rewards": D("11000.00")}, org
    assert figures(sd.qingdao) == {}
    facts_agree()
    # each on the day of its event (today here): the day's and the month's rows hold them too
    today = timezone.localdate()
    for period, start in facts.starts(today).items():
        got = facts.values([sd.province.pk], [metrics.SUBMITTED, metrics.BENEFIT], period, start)
        assert got == {(sd.province.pk, metrics.SUBMITTED): 1, (sd.province.pk, metrics.BENEFIT): D(220000)}


def test_submissions_are_counted_by_the_fold_and_read_before_it(inn):
    sd, year = inn.sd, timezone.localdate().year
    for _ in range(3):
        inn.submit()
    reach = (sd.team, sd.steel, sd.jinan, sd.province, sd.metallurgy, sd.qingdao)

    def read() -> list[int]:
        return [queries.year_figures(o, year).submitted for o in reach]

    assert read() == [3, 3, 3, 3, 3, 0] and not Fact.objects.exists()  # no row locked by a submission
    assert counters.fold(limit=2) == 2
    assert read() == [3, 3, 3, 3, 3, 0]  # two in the rows, one still read from the proposals
    assert counters.fold() == 1 and counters.fold() == 0 and not Proposal.objects.filter(folded=False).exists()
    assert read() == [3, 3, 3, 3, 3, 0]
    assert year_facts(sd.province, year)["proposals_submitted"] == 3
    facts_agree()


def test_a_proposal_not_accepted_or_not_adopted_needs_a_reason(inn):
    p = inn.submit()
    refused(lambda: services.reject_proposal(actor=inn.sd.enterprise_cadre, proposal=p, reason="  "), "reason")
    services.reject_proposal(actor=inn.sd.enterprise_cadre, proposal=p, reason="与第12号建议重复")
    p.refresh_from_db()
    assert p.state == State.REJECTED and p.reason == "与第12号建议重复"
    note = Notification.objects.get(recipient=inn.sd.worker, verb="innovation.proposal.declined")
    assert "与第12号建议重复" in note.body
    q = inn.bring(inn.submit("皮带输送机托辊更换工具"), State.REJECTED)
    assert q.state == State.REJECTED and figures(inn.sd.steel).get("adopted", 0) == 0


def test_the_policy_nearest_to_the_unit_applies(inn):
    sd = inn.sd
    services.set_reward_policy(actor=sd.jinan_cadre, org=sd.jinan, share_percent=D(10), cap=D(15000),
                               point_value=D(50), first_benefit=D(1000000), second_benefit=D(200000),
                               third_benefit=D(20000), first_score=90, second_score=80, third_score=70,
                               first_points=30, second_points=20, third_points=10, encouragement_points=2)
    p = inn.bring(inn.submit(), State.REWARDED)
    assert (p.grade, p.reward) == (2, D("15000.00"))  # 10 % of 22万 = 22,000, capped at 15,000; 二等 from 20万
    soft = inn.bring(inn.submit("安全帽佩戴检查看板", category=Category.SAFETY), State.REWARDED, forecast=D(0),
                     gross=D(0), cost=D(0))
    assert (soft.grade, soft.reward) == (2, D("1000.00"))  # score 86: 二等, 20 points × 50 yuan


def test_valuators_are_assigned_in_bulk_and_handed_over(inn):
    sd = inn.sd
    a, b = inn.submit(), inn.submit("皮带输送机托辊更换工具")
    for p in (a, b):
        services.accept_proposal(actor=sd.enterprise_cadre, proposal=p)
    made = services.assign_valuators(actor=sd.enterprise_cadre, proposals=[a, b],
                                     valuators=[inn.valuator, inn.second_valuator])
    assert len(made) == 4 and set(Proposal.objects.values_list("state", flat=True)) == {State.EVALUATING}
    again = services.assign_valuators(actor=sd.enterprise_cadre, proposals=[a], valuators=[inn.valuator])
    assert again == []  # nobody is assigned twice
    services.submit_valuation(actor=inn.second_valuator, assignment=Assignment.objects.get(
        proposal=a, valuator=inn.second_valuator), opinion=Opinion.ADOPT, score=90)
    n = services.hand_over_valuations(actor=sd.enterprise_cadre, org=sd.steel, leaving=inn.second_valuator,
                                      successor=inn.valuator)
    assert n == 1  # b's open assignment; a's valuation stays the leaver's
    assert Assignment.objects.filter(valuator=inn.second_valuator, active=True).count() == 1
    assert Assignment.objects.filter(proposal=b, valuator=inn.valuator, active=True).count() == 1


# ---------------------------------------------------------------------------------------------
# Bad input: a clear message naming the field, nothing changed


def test_a_reward_without_accounted_benefit_is_refused(inn):
    p = inn.bring(inn.submit(), State.IMPLEMENTING)
    e = refused(lambda: services.pay_reward(actor=inn.sd.enterprise_cadre, proposal=p), "benefit")
    assert "has not been accounted" in e.message


def test_a_locked_forecast_is_revised_only_by_a_finance_officer(inn):
    p = inn.bring(inn.submit(), State.ADOPTED)
    e = refused(lambda: services.revise_forecast(actor=inn.sd.enterprise_cadre, proposal=p, forecast=D(500000),
                                                 forecast_soft="", reason="重新测算"), "forecast", permission=True)
    assert "finance officer" in e.message
    refused(lambda: services.revise_forecast(actor=inn.finance, proposal=p, forecast=D(500000), forecast_soft="",
                                             reason=""), "reason")
    services.revise_forecast(actor=inn.finance, proposal=p, forecast=D(500000), forecast_soft="", reason="重新测算")
    p.benefit.refresh_from_db()
    assert p.benefit.forecast == D(500000)


def test_a_signed_off_benefit_cannot_be_recorded_again(inn):
    p = inn.bring(inn.submit(), State.ACCOUNTED)
    refused(lambda: services.record_benefit(actor=inn.sd.enterprise_cadre, proposal=p, gross=D(9000000), cost=D(0)),
            "gross")


def test_a_benefit_needs_its_evidence(inn):
    p = inn.bring(inn.submit(), State.IMPLEMENTING)
    refused(lambda: services.record_benefit(actor=inn.sd.enterprise_cadre, proposal=p, gross=D(1000), cost=D(0)),
            "evidence")
    refused(lambda: services.sign_off_benefit(actor=inn.finance, proposal=p), "gross")
    refused(lambda: services.sign_off_benefit(actor=inn.sd.enterprise_cadre, proposal=p), "benefit", permission=True)


@pytest.mark.parametrize(("name", "data", "code"), [
    ("病毒.exe", b"MZ\x90\x00" * 10, "file_type"),
    ("伪装.pdf", b"MZ\x90\x00" * 10, "file_type"),
    ("扫描件.pdf", PDF + b"\x00" * (attachments.MAX_BYTES + 1), "file_size"),
])
def test_a_file_of_the_wrong_type_or_too_large_is_refused(inn, name, data, code):
    p = inn.submit()
    upload = SimpleUploadedFile(name, data)
    e = refused(lambda: services.add_attachments(actor=inn.sd.worker, proposal=p, files=[pdf(), upload]), "files")
    assert e.code == code and name in e.message
    # the same at submission: no proposal is made
    refused(lambda: inn.submit("另一条建议", files=[SimpleUploadedFile(name, data)]), "files")


def test_a_decision_outside_the_scope_is_refused(inn):
    p = inn.bring(inn.submit(), State.EVALUATING)
    Assignment.objects.filter(proposal=p).update(valued_at=timezone.now(), score=80, opinion=Opinion.ADOPT)
    for actor in (inn.sd.qingdao_cadre, inn.sd.jinan_viewer, inn.sd.worker):
        e = refused(lambda a=actor: services.adopt_proposal(actor=a, proposal=p, forecast=D(1000)), permission=True)
        assert e.status == 403


def test_a_skipped_stage_is_refused_naming_what_is_missing(inn):
    p = inn.submit()
    e = refused(lambda: services.adopt_proposal(actor=inn.sd.enterprise_cadre, proposal=p, forecast=D(1000)),
                "state")
    assert "Accepted" in e.message and "Under evaluation" in e.message
    refused(lambda: services.start_implementation(actor=inn.sd.enterprise_cadre, proposal=p), "state")
    refused(lambda: services.archive_proposal(actor=inn.sd.enterprise_cadre, proposal=p), "state")
    services.accept_proposal(actor=inn.sd.enterprise_cadre, proposal=p)
    services.assign_valuators(actor=inn.sd.enterprise_cadre, proposals=[p], valuators=[inn.valuator])
    refused(lambda: services.adopt_proposal(actor=inn.sd.enterprise_cadre, proposal=p, forecast=D(1000)), "state")


def test_bad_submissions_name_their_field(inn):
    refused(lambda: inn.submit(" "), "title")
    refused(lambda: inn.submit("标题", problem="太短"), "problem")
    refused(lambda: inn.submit("标题", category="weather"), "category")
    refused(lambda: inn.submit(co_proposers=[services.CoProposer("不存在", 10)]), "co_proposers")
    refused(lambda: inn.submit(co_proposers=[services.CoProposer("周明", 100)]), "co_proposers")
    refused(lambda: inn.submit(co_proposers=[services.CoProposer("李强", 10)]), "co_proposers")
    refused(lambda: services.submit_proposal(actor=inn.sd.enterprise_cadre, title="干部代提",
                                             problem="问题描述足够长的文字", solution="建议描述足够长的文字",
                                             category=Category.COST), permission=True)


def test_bad_valuations_and_assignments(inn):
    p = inn.bring(inn.submit(), State.EVALUATING)
    a = Assignment.objects.get(proposal=p)
    refused(lambda: services.submit_valuation(actor=inn.valuator, assignment=a, opinion=Opinion.ADOPT, score=101),
            "score")
    refused(lambda: services.submit_valuation(actor=inn.valuator, assignment=a, opinion=Opinion.REJECT, score=20),
            "comment")
    refused(lambda: services.submit_valuation(actor=inn.second_valuator, assignment=a, opinion=Opinion.ADOPT,
                                              score=80), permission=True)
    refused(lambda: services.assign_valuators(actor=inn.sd.enterprise_cadre, proposals=[p],
                                              valuators=[inn.sd.jinan_viewer]), "valuators")
    refused(lambda: services.adopt_proposal(actor=inn.sd.enterprise_cadre, proposal=p, forecast=D(1000)), "state")


def test_a_bad_policy_is_refused(inn):
    sd = inn.sd
    good = dict(share_percent=D(5), cap=None, point_value=D(100), first_benefit=D(500000), second_benefit=D(100000),
                third_benefit=D(10000), first_score=90, second_score=80, third_score=70, first_points=20,
                second_points=10, third_points=5, encouragement_points=1)
    refused(lambda: services.set_reward_policy(actor=sd.enterprise_cadre, org=sd.steel,
                                               **{**good, "second_benefit": D(900000)}), "first_benefit")
    refused(lambda: services.set_reward_policy(actor=sd.enterprise_cadre, org=sd.steel,
                                               **{**good, "share_percent": D(150)}), "share_percent")
    refused(lambda: services.set_reward_policy(actor=sd.qingdao_cadre, org=sd.steel, **good), permission=True)
    policy = services.set_reward_policy(actor=sd.enterprise_cadre, org=sd.steel, **good)
    assert policy.cap is None and queries.policy_for(sd.team).share_percent == D(5)


# ---------------------------------------------------------------------------------------------
# Similar proposals


def test_a_worker_sees_similar_proposals_of_their_enterprise_without_names_and_links(inn):
    sd = inn.sd
    first = inn.submit("转炉氧枪喷头改进延长使用寿命")
    found = queries.similar(sd.worker, "改进转炉氧枪喷头", "")
    assert [s.pk for s in found] == [first.pk] and found[0].url  # his own: a link
    found = queries.similar(inn.colleague_user, "改进转炉氧枪喷头", "")
    assert [s.pk for s in found] == [first.pk] and found[0].url == ""  # a colleague's: the title, not the page
    assert queries.similar(sd.qingdao_cadre, "改进转炉氧枪喷头", "") == []  # another city: nothing
    assert [s.pk for s in queries.similar(sd.jinan_cadre, "转炉氧枪喷头", "")] == [first.pk]


def test_evidence_is_added_by_the_union_not_by_the_proposer(inn):
    p = inn.bring(inn.submit(), State.IMPLEMENTING)
    refused(lambda: services.add_attachments(actor=inn.sd.worker, proposal=p, files=[pdf()],
                                             kind=AttachmentKind.EVIDENCE), permission=True)
    services.add_attachments(actor=inn.sd.enterprise_cadre, proposal=p, files=[pdf()], kind=AttachmentKind.EVIDENCE)


def test_similar_proposals_are_found_through_the_title_index_whatever_wrote_them(inn):
    """The look-up reads the title index (ProposalGram), not the titles: a proposal is found because the fold (for a
    worker's submission) or the writer indexed its title, or because it is not folded yet (then read as it is); a
    folded one without index rows (written behind the services' back) is not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.innovation.models import ProposalGram, index_titles

    sd = inn.sd
    first = inn.submit("转炉氧枪喷头改进延长使用寿命")
    assert not ProposalGram.objects.filter(proposal=first).exists()  # the submission writes no index rows
    assert [s.pk for s in queries.similar(sd.jinan_cadre, "转炉氧枪喷头", "")] == [first.pk]  # not folded yet
    assert counters.fold() == 1
    assert ProposalGram.objects.filter(proposal=first).count() == len(similarity.title_codes(first.title))
    ProposalGram.objects.filter(proposal=first).delete()
    assert queries.similar(sd.jinan_cadre, "转炉氧枪喷头", "") == []
    index_titles([(first.pk, first.enterprise_id, first.title)])
    with CaptureQueriesContext(connection) as ctx:
        assert [s.pk for s in queries.similar(sd.jinan_cadre, "转炉氧枪喷头", "")] == [first.pk]
    assert len(ctx) <= 8 and not any("title" in q["sql"] and "LIKE" in q["sql"] for q in ctx.captured_queries)
    # the whole province (a pool of everything: the rarest bigrams), the industry union (its affiliates), a county
    # and the enterprise's own cadre each find it; another city does not
    for user in (sd.province_admin, sd.industry_cadre, sd.county_cadre, sd.enterprise_cadre):
        assert [s.pk for s in queries.similar(user, "转炉氧枪喷头", "")] == [first.pk], user
    assert queries.similar(sd.qingdao_cadre, "转炉氧枪喷头", "") == []
    with CaptureQueriesContext(connection) as ctx:  # a worker's record is read once per look-up
        assert [s.pk for s in queries.similar(sd.worker, "转炉氧枪喷头", "")] == [first.pk]
    assert sum('FROM "orgs_person"' in q["sql"] for q in ctx.captured_queries) == 1


def test_the_migration_indexes_the_titles_of_the_proposals_already_there(inn):
    import importlib

    from gongjiang.innovation.models import ProposalGram

    first, second = inn.submit("转炉氧枪喷头改进延长使用寿命"), inn.submit("皮带输送机托辊快速更换工具")
    counters.fold()
    kept = set(ProposalGram.objects.values_list("gram", "proposal_id", "enterprise_id"))
    ProposalGram.objects.all().delete()
    importlib.import_module("gongjiang.innovation.migrations.0002_proposal_grams").fill(apps, None)
    assert set(ProposalGram.objects.values_list("gram", "proposal_id", "enterprise_id")) == kept
    assert {p for _g, p, _e in kept} == {first.pk, second.pk}
