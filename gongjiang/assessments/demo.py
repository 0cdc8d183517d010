"""The demo's assessments: the province's rubric and two years of its assessment of the 16 cities — the earlier
year ranked, published, with a veto (a serious safety accident zeroes one city), bonuses for national honours and
an appeal decided; the latest year under review (most sheets submitted, some confirmed, two still being filled) —
and Jinan's assessment of its counties by the province's rubric: the year before last published (one county vetoed),
the last year open for their self-assessment.

The cities' self-assessments are written as rows (the demo has no account per city); everything the assessing
unions do goes through the verbs, audited. The counted items start from the fact store's figures when the other
apps' demo data declared them."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.rubrics import scoring
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Org, User

from . import services
from .choices import Review, SheetState
from .models import Answer, Appeal, Campaign, Evidence, Rubric, Sheet
from .samples import city_rubric
from .services.common import _rescore

SEED = 2026
LEVELS = ["优", "优", "良", "良", "良", "中", "差"]


def _answers(rng: random.Random, rubric: rules.Rubric, stored: dict[str, Answer], veto: bool) -> list[Answer]:
    """A city's plausible self-assessment: levels mostly 优/良, counts around the rubric's caps unless the fact
    store gave the figure, a reporting lapse now and then, bonuses for a few."""
    changed = []
    for item in rubric.leaves():
        a = stored[item.key]
        if item.mode == rules.LEVELS:
            names = [n for n, _p in item.levels]
            a.value = names[min(LEVELS.index(rng.choice(LEVELS)), len(names) - 1)]
        elif item.mode == rules.YESNO:
            a.value = rng.random() < 0.85
        elif item.mode == rules.COUNT and not a.provenance:
            a.value = str((item.points / item.per_unit * Decimal(rng.uniform(0.4, 1.1))).quantize(Decimal(1)))
        elif item.mode == rules.DEDUCTION:
            a.value = str(rng.choice([0, 0, 0, 1, 2]))
        elif item.mode == rules.BONUS:
            a.value = str(rng.choice([0, 0, 0, 1, 2, 3]))
            if a.value != "0":
                a.note = "获全国五一劳动奖状1个" if item.key == "X1" else "全国职业技能大赛获奖"
        elif item.mode == rules.VETO:
            a.value = veto
            if veto:
                a.note = "辖区内某企业发生较大生产安全责任事故，造成3人死亡"
        changed.append(a)
    return changed


def _self_assess(rng: random.Random, campaign: Campaign, veto_org: Org | None, *, leave_open: int = 0) -> None:
    rubric = campaign.rubric.rules
    now = timezone.now()
    sheets = list(campaign.sheets.select_related("org", "campaign__rubric").order_by("org__path"))
    for n, sheet in enumerate(sheets):
        stored = {a.item: a for a in sheet.answers.all()}
        rows = _answers(rng, rubric, stored, veto_org is not None and sheet.org_id == veto_org.pk)
        for a in rows:
            a.value = scoring.encode(a.value) if not isinstance(a.value, bool) else a.value
        Answer.objects.bulk_update(rows, ["value", "note"])
        if n < len(sheets) - leave_open:
            sheet.state, sheet.submitted_at = SheetState.SUBMITTED, now
            sheet.save(update_fields=["state", "submitted_at"])
        _rescore(sheet)


def _review(admin: User, campaign: Campaign, *, confirm: int | None = None) -> None:
    """The assessing union reviews the submitted sheets: one adjustment with its reason per campaign, the rest
    accepted; the first `confirm` sheets (all: None) confirmed."""
    sheets = list(campaign.sheets.filter(state=SheetState.SUBMITTED).select_related("org").order_by("org__path"))
    for n, sheet in enumerate(sheets[:confirm] if confirm is not None else sheets):
        for a in sheet.answers.order_by("id"):
            if n == 1 and a.item == "B2":
                services.review_item(actor=admin, sheet=sheet, item=a.item, decision=Review.ADJUSTED, value="中",
                                     reason="竞赛覆盖面未达到规定比例，核减为“中”")
            else:
                services.review_item(actor=admin, sheet=sheet, item=a.item, decision=Review.ACCEPTED)
        services.confirm_sheet(actor=admin, sheet=sheet)


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    rng = random.Random(SEED)
    year = timezone.localdate().year
    with transaction.atomic():
        province = Org.objects.get(code=PROVINCE_CODE)
        admin = User.objects.get(username="province_admin")
        cities = list(Org.objects.filter(path__startswith=province.path, depth=province.depth + 1,
                                         kind=OrgKind.CITY, is_active=True).order_by("path"))
        metrics = [m.key for m in facts.metrics()]
        rubric = services.define_rubric(actor=admin, org=province, title="山东省市总工会经济技术工作考核细则",
                                        definition=city_rubric(metrics))
        earlier = services.open_campaign(actor=admin, rubric=rubric, org=province, year=year - 2,
                                         title=f"{year - 2}年度全省市总工会经济技术工作考核", assessed=cities)
        veto_city = cities[len(cities) // 2] if cities else None
        _self_assess(rng, earlier, veto_city)
        _review(admin, earlier)
        services.rank_campaign(actor=admin, campaign=earlier)
        services.publish_campaign(actor=admin, campaign=earlier)
        appealing = earlier.sheets.exclude(org=veto_city).order_by("-rank").select_related("org").first()
        if appealing is not None:
            appeal = Appeal.objects.create(sheet=appealing, reason="X2 国家级技能竞赛获奖证书已补充，请予认定",
                                           total_before=appealing.total)
            services.decide_appeal(actor=admin, appeal=appeal, outcome="upheld", reply="经核实，予以加分",
                                   adjustments={"X2": "2"})
        log(f"assessments: {year - 2} ranked and published, {veto_city.name if veto_city else '—'} vetoed")
        latest = services.open_campaign(actor=admin, rubric=rubric, org=province, year=year - 1,
                                        title=f"{year - 1}年度全省市总工会经济技术工作考核", assessed=cities)
        _self_assess(rng, latest, None, leave_open=len(cities) // 8)  # two of the 16 still filling in
        _review(admin, latest, confirm=max(1, len(cities) * 3 // 8))  # six confirmed, the others waiting
        jinan = Org.objects.filter(code="3701").first()
        jinan_cadre = User.objects.filter(username="jinan").first()
        counties = 0
        if jinan is not None and jinan_cadre is not None:
            below = list(Org.objects.filter(path__startswith=jinan.path, depth=jinan.depth + 1,
                                            kind=OrgKind.COUNTY, is_active=True).order_by("path"))
            if below:
                # the year before last: ranked and published, one county vetoed; the last year: open
                done = services.open_campaign(actor=jinan_cadre, rubric=rubric, org=jinan, year=year - 2,
                                              title=f"{year - 2}年度济南市县区总工会经济技术工作考核", assessed=below)
                _self_assess(rng, done, below[-1] if len(below) > 1 else None)
                _review(jinan_cadre, done)
                services.rank_campaign(actor=jinan_cadre, campaign=done)
                services.publish_campaign(actor=jinan_cadre, campaign=done)
                services.open_campaign(actor=jinan_cadre, rubric=rubric, org=jinan, year=year - 1,
                                       title=f"{year - 1}年度济南市县区总工会经济技术工作考核", assessed=below)
                counties = len(below)
        log(f"assessments: {year - 1} under review; Jinan assessed {counties} counties two years")
    return {"campaigns": Campaign.objects.count(), "sheets": Sheet.objects.count(),
            "vetoed": Sheet.objects.filter(vetoed=True).count()}


def wipe() -> None:
    Evidence.objects.all().delete()
    Appeal.objects.all().delete()
    Answer.objects.all().delete()
    Sheet.objects.all().delete()
    Campaign.objects.all().delete()
    for rubric in Rubric.objects.order_by("-version", "-id"):
        rubric.delete()
