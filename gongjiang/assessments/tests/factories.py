"""Test data of the assessments: the province's rubric (the sample: 100 points, base 10, bonuses up to 10, a veto),
a campaign assessing 济南 and 青岛 on the year's figures, and helpers walking a sheet through its flow."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gongjiang.assessments import services
from gongjiang.assessments.models import Campaign, Rubric, Sheet
from gongjiang.assessments.samples import city_rubric
from gongjiang.orgs import facts
from gongjiang.orgs.tests.factories import Province

METRICS = {
    "competitions.held": ("举办竞赛", "项"),
    "innovation.proposals_adopted": ("采纳合理化建议", "条"),
    "learning.learners": ("学习人数", "人"),
}


def ensure_metrics() -> dict[str, facts.Metric]:
    """The metrics the sample rubric names, registered for the test when the apps that own them did not (returns
    the ones added, to be taken off after)."""
    added = {}
    for key, (label, unit) in METRICS.items():
        if key not in facts._metrics:
            added[key] = facts.Metric(key, label, unit, f"测试：{label}")
            facts.register_metric(added[key])
    return added


FULL = {"A1": "优", "A2": "是", "B1": "12", "B2": "良", "C1": "100", "C2": "优", "D1": "1200", "E1": "1",
        "X1": "1", "X2": "0", "V1": "否"}


@dataclass
class Assessments:
    sd: Province
    rubric: Rubric
    campaign: Campaign
    year: int

    def sheet(self, org: Any) -> Sheet:
        return Sheet.objects.get(campaign=self.campaign, org=org)

    def fill(self, org: Any, **changes: str) -> Sheet:
        """The city's cadre answers every item (FULL, with `changes`) and submits."""
        actor = self.sd.jinan_cadre if org == self.sd.jinan else self.sd.qingdao_cadre
        values = {**FULL, **changes}
        answers = {k: {"value": v, "note": "说明" if k == "V1" else ""} for k, v in values.items()}
        sheet = services.save_answers(actor=actor, sheet=self.sheet(org), answers=answers)
        return services.submit_sheet(actor=actor, sheet=sheet)

    def confirm(self, org: Any) -> Sheet:
        sheet = self.sheet(org)
        for a in sheet.answers.all():
            services.review_item(actor=self.sd.province_admin, sheet=sheet, item=a.item, decision="accepted")
        return services.confirm_sheet(actor=self.sd.province_admin, sheet=sheet)


def assessments(sd: Province, *, figures: bool = True) -> Assessments:
    """The province's rubric (the sample, naming the figures the store declares) and its assessment of the two
    cities; with `figures`, the fact store first gets the cities' figures (济南 held 7 competitions and had 900
    learners, 青岛 held 3) — raw figures no app's source knows, so not in a world whose store is checked."""
    year = timezone.localdate().year
    if figures:
        day = datetime.date(year, 1, 5)
        facts.add(sd.steel, day, {"competitions.held": 7, "learning.learners": 900})
        facts.add(sd.qd_enterprise, day, {"competitions.held": 3})
    rubric = services.define_rubric(actor=sd.province_admin, org=sd.province, title="全省经济技术工作考核细则",
                                    definition=city_rubric(facts._metrics))
    campaign = services.open_campaign(actor=sd.province_admin, rubric=rubric, org=sd.province, year=year,
                                      title=f"{year}年度市总工会经济技术工作考核", assessed=[sd.jinan, sd.qingdao])
    return Assessments(sd, rubric, campaign, year)
