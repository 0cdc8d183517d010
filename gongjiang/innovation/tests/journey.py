"""Every innovation verb once, on the factory province: what tests/test_timelines.py adds to its world so that each
innovation audit verb is shown in Chinese words (and what other cross-app tests may reuse)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongjiang.innovation import services
from gongjiang.innovation.choices import Duty, Opinion, State
from gongjiang.innovation.models import Appointment, Assignment

from .factories import innovation, pdf

D = Decimal


def everything(sd: Any) -> Any:
    """Run every innovation verb; returns the `Innovation` personas."""
    inn = innovation(sd)
    cadre = sd.enterprise_cadre
    services.set_reward_policy(actor=cadre, org=sd.steel, share_percent=D(5), cap=D(50000), point_value=D(100),
                               first_benefit=D(500000), second_benefit=D(100000), third_benefit=D(10000),
                               first_score=90, second_score=80, third_score=70, first_points=20, second_points=10,
                               third_points=5, encouragement_points=1)
    done = inn.bring(inn.submit(co_proposers=[services.CoProposer("周明", 30)], files=[pdf()]), State.ARCHIVED)
    assert done.state == State.ARCHIVED
    adopted = inn.bring(inn.submit("皮带输送机托辊快速更换工具"), State.ADOPTED)
    services.revise_forecast(actor=inn.finance, proposal=adopted, forecast=D(80000), forecast_soft="",
                             reason="按全年产量重新测算")
    declined = inn.submit("食堂排队取餐流程优化")
    services.reject_proposal(actor=cadre, proposal=declined, reason="不属于技术革新范围")
    inn.bring(inn.submit("焊接烟尘收集装置改进"), State.REJECTED)
    open_ = inn.bring(inn.submit("行车钢丝绳自动润滑装置"), State.EVALUATING)
    services.hand_over_valuations(actor=cadre, org=sd.steel, leaving=inn.valuator, successor=inn.second_valuator)
    services.submit_valuation(actor=inn.second_valuator, assignment=Assignment.objects.get(
        proposal=open_, active=True), opinion=Opinion.REJECT, score=55, comment="需进一步论证")
    services.add_attachments(actor=sd.worker, proposal=open_, files=[pdf("现场照片.pdf")])
    made = services.appoint(actor=sd.jinan_cadre, org=sd.steel, user=sd.county_cadre, duty=Duty.FINANCE)
    services.end_appointment(actor=sd.jinan_cadre, appointment=made)
    assert Appointment.objects.filter(active=False).exists()
    from gongjiang.core.imports import start_import

    from .test_imports import good_rows, register

    job = start_import(actor=cadre, kind="innovation_proposals", target=sd.steel,
                       upload=register(inn, *good_rows(inn)))
    assert job.state == "done", job.errors
    projects(inn, adopted)
    technical_associations(inn)
    calls(inn)
    exhibition(inn)
    return inn


def projects(inn: Any, adopted: Any) -> None:
    """Every innovation project verb once: a project from an adopted proposal taken to 推广转化 with its milestones,
    members, subsidy, spending and files, and another one stopped."""
    from django.utils import timezone

    from gongjiang.innovation.choices import ProjectRole, Stage

    from .project_factories import bring, project

    cadre, today = inn.sd.enterprise_cadre, timezone.localdate()
    p = project(inn, proposal=adopted, title="皮带输送机托辊快速更换攻关")
    services.set_project_progress(actor=cadre, project=p, progress=20)
    m = services.add_milestone(actor=cadre, project=p, title="完成现场调研", due=today)
    services.complete_milestone(actor=cadre, milestone=m, done_on=today)
    member = services.set_project_member(actor=cadre, project=p, person=inn.colleague, role=ProjectRole.CORE)
    services.set_project_funding(actor=cadre, project=p, requested=D(30000), granted=D(35000), reason="检测费用增加")
    services.add_spending(actor=cadre, project=p, spent_on=today, amount=D(12000), purpose="样机材料采购")
    services.add_project_files(actor=cadre, project=p, files=[pdf("立项报告.pdf")])
    services.remove_project_member(actor=cadre, member=member)
    bring(inn, p, Stage.TRANSFERRED)
    bring(inn, project(inn, title="焊接烟尘治理攻关"), Stage.STOPPED)


def technical_associations(inn: Any) -> None:
    """Every technical association verb once: the associations founded (techassoc_factories), a profile corrected,
    members with honours, a council and its next term with seats, activities held and a contract closed, a transfer,
    a member leaving, and an association dissolved."""
    import datetime

    from gongjiang.innovation.choices import ActivityKind, Honour, Post

    from .techassoc_factories import tech

    ta = tech(inn)
    sd, cadre, today = inn.sd, inn.sd.enterprise_cadre, datetime.date.today()
    services.update_association(actor=ta.officer, association=ta.steel, name="济钢职工技术协会",
                                founded_on=datetime.date(2015, 5, 1), address="济南市历城区工业北路")
    li = ta.join()
    welder = ta.join(ta.welder, trade="电焊工")
    colleague = ta.join(inn.colleague, trade="钳工")
    h = services.add_honour(actor=cadre, member=welder, honour=Honour.GOLD_WORKER, year=2023,
                            conferred_by="山东省总工会")
    services.remove_honour(actor=cadre, honour=h)
    first = ta.council(li, starts_on=datetime.date(2019, 6, 1), ends_on=datetime.date(2024, 5, 31))
    seat = services.set_seat(actor=cadre, council=first, member=welder, post=Post.DIRECTOR)
    services.remove_seat(actor=cadre, seat=seat)
    current = ta.council(li, number=2, starts_on=datetime.date(2024, 6, 1), ends_on=datetime.date(2029, 5, 31))
    services.set_seat(actor=cadre, council=current, member=welder, post=Post.SECRETARY)
    ta.service(members=[li, welder])
    planned = services.record_activity(actor=ta.officer, association=ta.steel, kind=ActivityKind.DRILL,
                                       title="电焊工岗位练兵", held_on=today + datetime.timedelta(days=10),
                                       unit=sd.workshop)
    services.hold_activity(actor=ta.officer, activity=planned, held_on=today, participants=36)
    services.close_activity(actor=cadre, activity=ta.service(title="焊接工艺技术咨询", kind=ActivityKind.CONSULTING),
                            outcome="焊接一次合格率提高到99%")
    services.transfer_member(actor=sd.jinan_cadre, member=colleague, to=ta.jinan, transferred_on=today)
    services.leave_association(actor=ta.officer, member=ta.jinan.members.get(left_on__isnull=True), left_on=today,
                               reason="退休")
    services.dissolve_association(actor=sd.qingdao_cadre, association=ta.qingdao, dissolved_on=today,
                                  reason="并入青岛市科技工作者协会")


def calls(inn: Any) -> None:
    """Every achievement-call verb once: a provincial call with quotas, an expert added and one enlisted, two
    achievements (one returned, a third submitted), experts assigned, one pinned, a conflict declared, the reviews
    with one achievement disputed, its consensus note and second round, ranking, an award changed, the notice and
    its end, the final results and a national recommendation; and 济南's prize-winner recommended into a second
    provincial call and named for its blind reviewers."""
    import datetime

    from django.utils import timezone

    from gongjiang.core.models import PublicNotice
    from gongjiang.innovation.choices import Award, Field
    from gongjiang.innovation.models import Review

    from .call_factories import GOOD, provincial_call

    sd = inn.sd
    c = provincial_call(sd)
    admin = sd.province_admin
    services.enlist_expert(actor=admin, org=sd.province, name="赵建国", username="zhao_jianguo", new_account=True,
                           specialities=[Field.PROCESS])
    wrong = c.submit("食堂节能灶改造")
    services.return_achievement(actor=admin, achievement=wrong, reason="不属于本次征集的领域")
    a = c.submit()
    b = c.submit("智能巡检机器人", enterprise=sd.qd_enterprise)
    services.assign_reviewers(actor=admin, call=c.call)
    r = Review.objects.filter(achievement=b).select_related("expert__user").first()
    services.declare_conflict(actor=r.expert.user, call=c.call, achievement=b, reason="与完成人曾在同一班组")
    services.assign_reviewers(actor=admin, call=c.call)
    taken = set(Review.objects.filter(achievement=a).values_list("expert_id", flat=True))
    free = next(e for e in c.experts[2:] if e.pk not in taken)
    services.pin_reviewer(actor=admin, achievement=a, expert=free, reason="工艺专业对口")
    low = {"novelty": "8", "practicality": "8", "benefit": "5", "spread": "5"}
    for i, review in enumerate(Review.objects.filter(call=c.call, state="assigned").select_related("expert__user")
                               .order_by("achievement_id", "pk")):
        scores = low if review.achievement_id == b.pk and i % 3 == 0 else GOOD
        services.submit_review(actor=review.expert.user, review=review, scores=scores, comment="意见见评审表。")
    b.refresh_from_db()
    assert b.disputed
    services.note_consensus(actor=admin, achievement=b, text="合议：效益数据经复核属实。")
    services.start_second_round(actor=admin, call=c.call, achievements=[b])
    c.review_all(round_=2)
    services.rank_call(actor=admin, call=c.call)
    services.set_awards(actor=admin, call=c.call, awards={b.pk: Award.THIRD}, reason="评审委员会决定")
    services.publish_results(actor=admin, call=c.call, working_days=3)
    today = timezone.localdate()
    PublicNotice.objects.filter(owner_id=c.call.pk, kind="innovation.call_results").update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=1))
    services.finalise_call(actor=admin, call=c.call)
    services.recommend_achievement(actor=admin, achievement=a)
    # 济南's prize-winner recommended into a second provincial call, named for its blind reviewers by 济钢's union
    from .call_factories import Calls, recommended

    second = services.create_call(actor=admin, org=sd.province, level=c.call.level, year=c.call.year,
                                  title=f"{c.call.title}（第二批）", submit_until=c.call.submit_until,
                                  review_until=c.call.review_until)
    services.open_call(actor=admin, call=second)
    _upper, _published, copy = recommended(sd, Calls(sd, second, c.experts))
    services.set_review_title(actor=sd.enterprise_cadre, achievement=copy, review_title="一种冶金喷头延寿装置")


def exhibition(inn: Any) -> None:
    """Every exhibition verb once: the province's exhibition set up and opened, an offer and a need returned (and
    corrected and submitted again), others accepted, a match confirmed and taken to 落地 through a declined, a
    cancelled and an accepted meeting, another asked for by a union and closed without agreement."""
    from django.utils import timezone

    from gongjiang.innovation.choices import MatchState

    from .exhibition_factories import expo

    ex = expo(inn)
    today, cadre = timezone.localdate(), inn.sd.enterprise_cadre
    returned = services.check_offer(actor=ex.organiser, offer=ex.offer("高炉煤气净化技术"), accept=False,
                                    reason="成果未经鉴定")
    services.resubmit_offer(actor=cadre, offer=returned, title="高炉煤气净化技术（已鉴定）",
                            summary="高炉煤气干法除尘净化，2025年通过省级科技成果鉴定。", category=returned.category,
                            mode="cooperation", contact=returned.contact, price=None, authors="李强")
    need = services.check_need(actor=ex.organiser, need=ex.need("除尘滤袋寿命提升"), accept=False,
                               reason="需求描述不清")
    services.resubmit_need(actor=ex.partner_cadre, need=need, title=need.title,
                           description="转炉二次除尘滤袋平均寿命仅8个月，希望延长到18个月以上。",
                           category=need.category, contact=need.contact, budget=None, solve_by=need.solve_by)
    m = ex.match(MatchState.MATCHED)
    declined = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    services.decline_meeting(actor=cadre, meeting=declined, reason="当天另有安排")
    cancelled = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[2])
    services.accept_meeting(actor=cadre, meeting=cancelled)
    services.cancel_meeting(actor=ex.partner_cadre, meeting=cancelled, reason="设备检修，改约时间")
    accepted = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[1])
    services.accept_meeting(actor=cadre, meeting=accepted)
    m = services.record_met(actor=cadre, match=m, met_on=today)
    m = services.sign_match(actor=cadre, match=m, contract_value=D(650000), signed_on=today)
    services.record_implemented(actor=ex.partner_cadre, match=m, implemented_on=today, note="机组已并网运行")
    other = services.check_need(actor=ex.organiser, accept=True, need=ex.need("轧机振动在线监测"))
    asked = services.request_match(actor=cadre, offer=m.offer, need=other)
    services.close_match(actor=ex.partner_cadre, match=asked, reason="需求方技术路线调整")
