"""The demo's second open campaign: 省技术能手 of the year, for persons, its places shared out among the cities and
industry unions — the campaign the other apps' demos have suggestions for (推荐建议): the top three of the skills
competitions' provincial finals of this year and the last (the competitions demo), the first authors of the
innovation achievements awarded in a provincial call and the leaders and core members of the innovation projects
that reached appraisal or transfer (the innovation demo). No nomination is made: the suggestions page shows the
nominating unions whom to nominate, and a cadre nominates from there."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from gongjiang.orgs.models import Org, User

from . import services
from .choices import Material
from .models import Allocation, Campaign, HonourType
from .rules import quotas

CODE = "technical_expert"
TOTAL = 300
KEPT = 20  # kept by the province for its direct units (the province's enterprises whose achievements were awarded)


def load(admin: User, province: Org, below: list[Org], weights: list[int],
         log: Callable[[str], None] = lambda s: None) -> Campaign | None:
    honour = HonourType.objects.filter(code=CODE).first()
    if honour is None or not below:
        return None
    today = timezone.localdate()
    campaign = services.create_campaign(
        actor=admin, honour_type=honour, org=province, year=today.year, title=f"{today.year}年山东省技术能手评选",
        opens_on=today - datetime.timedelta(days=10), submit_until=today + datetime.timedelta(days=50), total=TOTAL,
        reserves={"front_line": quotas.front_line_floor(TOTAL, honour.front_line_share)},
        materials=[Material.FORM, Material.DEEDS],
        notes="重点推荐在职业技能竞赛中取得优异成绩、在技术创新中作出突出贡献的一线技术工人。")
    root = Allocation.objects.get(campaign=campaign, parent__isnull=True)
    shares = quotas.propose(quotas.Share(TOTAL - KEPT, {k: root.share.reserved(k) for k in quotas.RESERVES}),
                            weights)
    services.allocate_quotas(actor=admin, allocation=root, shares=dict(zip(below, shares, strict=True)))
    log(f"honours: {campaign.title}, {TOTAL} places shared among {len(below)} unions (the suggestions' campaign)")
    return campaign
