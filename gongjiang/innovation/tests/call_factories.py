"""Builders for the achievement-call tests: a provincial call of 山东省总工会 with quotas for 济南 and 青岛, an expert
pool (one at 济钢, one at the 青岛 enterprise, four from outside), and achievements submitted by the enterprises'
unions — all through the verbs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.innovation import services
from gongjiang.innovation.choices import CallLevel, Field
from gongjiang.innovation.models import Achievement, Call, Expert, Review
from gongjiang.orgs.tests.factories import person, user

SUMMARY = "针对转炉氧枪喷头寿命短的问题，改用铸造紫铜并优化冷却水道设计，寿命由80炉提高到150炉以上。"
INNOVATIONS = "一、喷头材质由锻造改为铸造紫铜；二、冷却水道采用双循环结构；三、形成可推广的更换工艺。"
GOOD = {"novelty": "27", "practicality": "26.5", "benefit": "17", "spread": "16"}


@dataclass
class Calls:
    sd: Any
    call: Call
    experts: list[Expert] = field(default_factory=list)

    def submit(self, title: str = "转炉氧枪喷头长寿命技术", *, enterprise: Any = None, actor: Any = None,
               authors: list[Any] | None = None, **kw: Any) -> Achievement:
        sd = self.sd
        enterprise = enterprise or sd.steel
        actor = actor or (sd.enterprise_cadre if enterprise == sd.steel else sd.qingdao_cadre)
        if authors is None:
            authors = [sd.worker_person] if enterprise == sd.steel else [sd.qd_person]
        data = {"field": Field.PROCESS, "summary": SUMMARY, "innovations": INNOVATIONS,
                "benefit": Decimal(1200000), **kw}
        return services.submit_achievement(actor=actor, call=self.call, enterprise=enterprise, title=title,
                                           authors=authors, **data)

    def review_all(self, scores: dict[str, str] | None = None, round_: int = 1) -> None:
        for r in Review.objects.filter(call=self.call, round=round_, state="assigned").select_related("expert__user"):
            services.submit_review(actor=r.expert.user, review=r, scores=scores or GOOD,
                                   comment="创新点突出，推广价值较高。")


def provincial_call(sd: Any, *, per_achievement: int = 3, quotas: bool = True, **kw: Any) -> Calls:
    today = timezone.localdate()
    call = services.create_call(
        actor=sd.province_admin, org=sd.province, level=CallLevel.PROVINCE, year=today.year,
        title=f"{today.year}年全省职工优秀技术创新成果", submit_until=today + datetime.timedelta(days=10),
        review_until=today + datetime.timedelta(days=30), per_achievement=per_achievement, national_quota=1, **kw)
    if quotas:
        services.set_quotas(actor=sd.province_admin, call=call, quotas={sd.jinan: 2, sd.qingdao: 2})
    services.open_call(actor=sd.province_admin, call=call)
    calls = Calls(sd, call)
    people = [(sd.steel, "济钢专家", person(sd.workshop, "王工", mobile="13912340011")),
              (sd.qd_enterprise, "青岛专家", None)]
    for i, (enterprise, name, who) in enumerate(people):
        calls.experts.append(services.add_expert(
            actor=sd.province_admin, org=sd.province, user=user(f"expert{i}"), name=name, person=who,
            enterprise=enterprise, specialities=[Field.PROCESS], max_load=10))
    for i in range(4):
        calls.experts.append(services.add_expert(
            actor=sd.province_admin, org=sd.province, user=user(f"outside{i}"), name=f"外部专家{i}",
            specialities=[Field.PROCESS, Field.EQUIPMENT], max_load=10))
    call.refresh_from_db()
    return calls


def recommended(sd: Any, upper: Calls | None = None) -> tuple[Calls, Achievement, Achievement]:
    """济南's city call taken to its final results — 济钢's 转炉氧枪喷头长寿命技术 by 李强 awarded, published on the
    public notice with its authors — and that prize-winner recommended into the provincial call, whose experts are
    then assigned: (the provincial call — `upper`, open, or a new one —, the city's published achievement, its
    provincial copy under blind review)."""
    from gongjiang.core.models import PublicNotice

    today = timezone.localdate()
    upper = upper or provincial_call(sd)
    city_call = services.create_call(actor=sd.jinan_cadre, org=sd.jinan, level=CallLevel.CITY, year=today.year,
                                     title="济南市职工技术创新成果", submit_until=today + datetime.timedelta(days=5),
                                     review_until=today + datetime.timedelta(days=20), recommend_to=upper.call)
    services.open_call(actor=sd.jinan_cadre, call=city_call)
    city = Calls(sd, city_call)
    for x in upper.experts:
        services.add_expert(actor=sd.jinan_cadre, org=sd.jinan, user=x.user, name=x.name,
                            specialities=x.specialities, enterprise=x.enterprise)
    published = city.submit()
    services.assign_reviewers(actor=sd.jinan_cadre, call=city_call)
    city.review_all()
    services.rank_call(actor=sd.jinan_cadre, call=city_call)
    services.publish_results(actor=sd.jinan_cadre, call=city_call, working_days=3)
    PublicNotice.objects.filter(owner_id=city_call.pk, kind="innovation.call_results").update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=1))
    services.finalise_call(actor=sd.jinan_cadre, call=city_call)
    copy = services.recommend_achievement(actor=sd.jinan_cadre, achievement=published)
    services.assign_reviewers(actor=sd.province_admin, call=upper.call)
    return upper, published, copy
