"""Every honours verb once, on the factory province: what tests/test_timelines.py adds to its world so that each
honours audit verb is shown in Chinese words, and what tests/test_scoping_kernel.py adds so that every honours model
has Jinan's rows to hide from Qingdao."""

from __future__ import annotations

from typing import Any

from gongjiang.honours import services
from gongjiang.honours.models import HonourType

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
    from gongjiang.honours.models import Holder

    Holder.objects.create(honour_type=HonourType.objects.get(code="gold_worker"), year=2024,
                          person=sd.worker_person, name=sd.worker_person.name, unit=sd.team)
    _panels(hw, team)
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
