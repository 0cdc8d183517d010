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


def exhibition(inn: Any) -> None:
    """Every exhibition verb once: the province's exhibition set up and opened, an offer and a need returned, others
    accepted, a match confirmed and taken to 落地 through a declined and an accepted meeting, another asked for
    by a union and closed without agreement."""
    from django.utils import timezone

    from gongjiang.innovation.choices import MatchState

    from .exhibition_factories import expo

    ex = expo(inn)
    today, cadre = timezone.localdate(), inn.sd.enterprise_cadre
    services.check_offer(actor=ex.organiser, offer=ex.offer("高炉煤气净化技术"), accept=False, reason="成果未经鉴定")
    services.check_need(actor=ex.organiser, need=ex.need("除尘滤袋寿命提升"), accept=False, reason="需求描述不清")
    m = ex.match(MatchState.MATCHED)
    declined = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    services.decline_meeting(actor=cadre, meeting=declined, reason="当天另有安排")
    accepted = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[1])
    services.accept_meeting(actor=cadre, meeting=accepted)
    m = services.record_met(actor=cadre, match=m, met_on=today)
    m = services.sign_match(actor=cadre, match=m, contract_value=D(650000), signed_on=today)
    services.record_implemented(actor=ex.partner_cadre, match=m, implemented_on=today, note="机组已并网运行")
    other = services.check_need(actor=ex.organiser, accept=True, need=ex.need("轧机振动在线监测"))
    asked = services.request_match(actor=cadre, offer=m.offer, need=other)
    services.close_match(actor=ex.partner_cadre, match=asked, reason="需求方技术路线调整")
