"""Every assessments verb once, on the factory province: what tests/test_timelines.py adds to its world so that
each assessments audit verb is shown in Chinese words."""

from __future__ import annotations

import copy
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.assessments import services
from gongjiang.assessments.samples import city_rubric
from gongjiang.orgs import facts

from .factories import Assessments, assessments


def everything(sd: Any) -> Assessments:
    """Define, revise and version a rubric, open a campaign of Jinan and Qingdao, fill, attach, submit, review
    (accept, adjust, return), return, resubmit, confirm, rank, publish, appeal and decide."""
    aw = assessments(sd, figures=False)
    sample = city_rubric(facts._metrics)
    draft = services.define_rubric(actor=sd.province_admin, org=sd.province, title="草案", definition=sample)
    changed = copy.deepcopy(sample)
    changed["grades"] = {"excellent": 92, "good": 80, "pass": 60}
    services.revise_rubric(actor=sd.province_admin, rubric=draft, definition=changed)
    services.revise_rubric(actor=sd.province_admin, rubric=aw.rubric, definition=changed)  # frozen: a version
    services.refresh_figures(actor=sd.jinan_cadre, campaign=aw.campaign)
    services.add_evidence(actor=sd.jinan_cadre, sheet=aw.sheet(sd.jinan), item="A2", uploads=[
        SimpleUploadedFile("联席会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")])
    jinan = aw.fill(sd.jinan)
    services.review_item(actor=sd.province_admin, sheet=jinan, item="C2", decision="returned", reason="补充命名文件")
    services.return_sheet(actor=sd.province_admin, sheet=jinan)
    services.save_answers(actor=sd.jinan_cadre, sheet=jinan, answers={"C2": {"value": "良"}})
    services.submit_sheet(actor=sd.jinan_cadre, sheet=jinan)
    services.review_item(actor=sd.province_admin, sheet=jinan, item="A2", decision="adjusted", value="否",
                         reason="未见联席会议制度文件")
    aw.confirm(sd.jinan)
    aw.fill(sd.qingdao, V1="是")
    aw.confirm(sd.qingdao)
    services.rank_campaign(actor=sd.province_admin, campaign=aw.campaign)
    services.publish_campaign(actor=sd.province_admin, campaign=aw.campaign)
    appeal = services.file_appeal(actor=sd.jinan_cadre, sheet=jinan, reason="联席会议制度文件已补充")
    services.decide_appeal(actor=sd.province_admin, appeal=appeal, outcome="upheld", reply="经核实予以认可",
                           adjustments={"A2": "是"})
    return aw
