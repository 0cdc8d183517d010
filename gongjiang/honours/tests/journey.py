"""Every honours verb once, on the factory province: what tests/test_timelines.py adds to its world so that each
honours audit verb is shown in Chinese words, and what tests/test_scoping_kernel.py adds so that every honours model
has Jinan's rows to hide from Qingdao."""

from __future__ import annotations

from typing import Any

from gongjiang.honours import services

from .factories import DEEDS, Honours, honours


def everything(sd: Any) -> Honours:
    """Run every honours verb (the factory opens two campaigns and shares out their quotas); returns the
    `Honours`."""
    hw = honours(sd)
    t = services.define_honour_type(actor=sd.province_admin, code="city_model_worker", name="市劳动模范",
                                    level="city", subject="person", term_years=5, min_years=5,
                                    requires_any=["province_may_day_medal"], excludes=["city_model_worker"])
    services.change_honour_type(actor=sd.province_admin, honour_type=t, max_age=60, subject="person",
                                excludes=["city_model_worker", "province_model_worker"])
    team = hw.team_nomination(complete=False)
    services.update_nomination(actor=sd.enterprise_cadre, nomination=team, deeds=DEEDS, front_line=True)
    team = hw.team_nomination(team=hw.sd.workshop)
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=team)
    services.withdraw_nomination(actor=sd.enterprise_cadre, nomination=team)
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=team)
    medal = hw.person_nomination()
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=medal)
    _review(hw, team, medal)
    _panels(hw, team)
    from django.utils import timezone

    from gongjiang.honours import imports
    from gongjiang.orgs.tests.factories import xlsx_upload

    job = imports.start_nomination_import(
        actor=sd.enterprise_cadre, unit=sd.steel, campaign=hw.pioneer, upload=xlsx_upload(
            [c.header for c in imports.nomination_import.columns],
            [["集体", "", "", "质量攻关小组", "", "是", "", "", "无", DEEDS]], "推荐名单.xlsx"))
    assert job.state == "done", job.errors

    from .factories import holder

    gold = holder("gold_worker", person=sd.worker_person, year=2024)
    services.record_holder_status(actor=sd.enterprise_cadre, holder=gold, status="moved", on=timezone.localdate(),
                                  reason="调往炼钢二班")
    pioneer = holder("province_pioneer", org_=sd.team, year=2023)
    services.revoke_honour(actor=sd.province_admin, holder=pioneer, reason="发生安全生产责任事故",
                           document="鲁工发〔2026〕5号", body=sd.province)
    services.record_holder_export(actor=sd.jinan_cadre, org=sd.jinan, rows=2)
    from .studio_factories import everything as studios_everything

    studios_everything(sd)  # 济钢's studios: registered, assessed twice, suspended, revoked
    return hw


def _review(hw: Honours, workshop: Any, medal: Any) -> None:
    """The review's verbs: returns (to the unit, to the county), a rejection, forwards up to the shortlist, two
    public notices with an objection each (one upheld, one dismissed), a notice ended and a conferral."""
    import datetime

    from django.utils import timezone

    from gongjiang.core import notices

    sd = hw.sd
    services.return_nomination(actor=sd.county_cadre, nomination=workshop, reason="材料缺少盖章")
    services.update_nomination(actor=sd.enterprise_cadre, nomination=workshop, deeds=DEEDS + "已补充。",
                               front_line=True)
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=workshop)
    services.forward_nomination(actor=sd.county_cadre, nomination=workshop)
    services.return_nomination(actor=sd.jinan_cadre, nomination=workshop, reason="请补充考察意见")
    services.forward_nominations(actor=sd.county_cadre, nominations=[workshop])
    services.forward_nomination(actor=sd.jinan_cadre, nomination=workshop)
    services.forward_nomination(actor=sd.province_admin, nomination=workshop)
    draft = hw.team_nomination(team=hw.private_team, unit=hw.private, actor=hw.private_cadre)
    services.submit_nomination(actor=hw.private_cadre, nomination=draft)
    services.reject_nomination(actor=sd.county_cadre, nomination=draft, reason="不符合推荐条件")
    services.forward_nomination(actor=sd.province_admin, nomination=medal)  # the medal's share is the total's
    for campaign, nominee, outcome in ((hw.medal, medal, "upheld"), (hw.pioneer, None, "dismissed")):
        notice = services.publish_shortlist(actor=sd.province_admin, campaign=campaign)
        objection = notices.file_objection(notice=notice, name="王某", contact="13900000000", subject="推荐对象",
                                           reason="事迹与实际不符", client=f"journey-{campaign.pk}")
        services.decide_shortlist_objection(actor=sd.province_admin, campaign=campaign, objection=objection,
                                            outcome=outcome, reply="经核实答复如下", nomination=nominee)
    notice = notices.notice_of("honours.shortlist", hw.pioneer)
    notice.starts_on = timezone.localdate() - datetime.timedelta(days=10)
    notice.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    notice.save(update_fields=["starts_on", "ends_on"])
    services.confer_honours(actor=sd.province_admin, campaign=hw.pioneer)
    return hw


def _panels(hw: Honours, nomination: Any) -> None:
    """Every review panel verb once: a scoring panel of the province and a voting one of Jinan."""
    from .panel_factories import CRITERIA, FULL, expert

    sd = hw.sd
    one = expert(sd.province, "honours_expert1", "评审专家甲")
    two = expert(sd.province, "honours_expert2", "评审专家乙")
    panel = services.create_panel(actor=sd.province_admin, campaign=hw.pioneer, allocation=hw.root(),
                                  name="省工人先锋号评审组", mode="score", criteria=CRITERIA)
    services.add_panel_member(actor=sd.province_admin, panel=panel, user=one, chair=True)
    seat = services.add_panel_member(actor=sd.province_admin, panel=panel, user=two)
    services.score_in_panel(actor=two, panel=panel, nomination=nomination, points=FULL)
    services.remove_panel_member(actor=sd.province_admin, member=seat)
    services.declare_panel_conflict(actor=one, panel=panel, nomination=nomination, reason="本人亲属在该车间")
    services.close_panel(actor=sd.province_admin, panel=panel)
    votes = services.create_panel(actor=sd.jinan_cadre, campaign=hw.pioneer, allocation=hw.share(sd.jinan),
                                  name="济南市评审组", mode="vote")
    jinan = expert(sd.lixia, "honours_expert3", "评审专家丙")
    services.add_panel_member(actor=sd.jinan_cadre, panel=votes, user=jinan)
    services.vote_in_panel(actor=jinan, panel=votes, nomination=nomination, choice="yes")
