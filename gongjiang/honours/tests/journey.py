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
    from gongjiang.honours import imports
    from gongjiang.honours.models import Holder
    from gongjiang.orgs.tests.factories import xlsx_upload

    job = imports.start_nomination_import(
        actor=sd.enterprise_cadre, unit=sd.steel, campaign=hw.pioneer, upload=xlsx_upload(
            [c.header for c in imports.nomination_import.columns],
            [["集体", "", "", "质量攻关小组", "", "是", "", "", "无", DEEDS]], "推荐名单.xlsx"))
    assert job.state == "done", job.errors

    Holder.objects.create(honour_type=HonourType.objects.get(code="gold_worker"), year=2024,
                          person=sd.worker_person, name=sd.worker_person.name, unit=sd.team)
    return hw
