"""The demo's honours: holders of the past years (省劳模, 五一劳动奖章, 工人先锋号 … of the demo province's people and
teams, so that the eligibility rules have prior honours to read), and the campaign in progress — 2026年山东省工人先锋号
with 500 places, 100 reserved for non-public enterprises and the front-line share of the type, shared out among the
cities and industry unions in proportion to their members, Jinan's share split among its counties — with
nominations of teams by enterprises of Jinan, some submitted, some still drafts; and 省技术能手 of the year, open, for
which the competitions' and innovation's demos have suggestions (`demo_suggestions`). Written through the verbs (the
campaign, the quotas, the nominations: audited, counters kept), the holders in bulk."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongjiang.core.errors import DomainError
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Org, Person, User

from . import demo_panels, demo_roster, demo_studios, demo_suggestions, services
from .choices import Material, Subject
from .models import Allocation, Campaign, Holder, HonourType, Nomination, NominationFile
from .rules import quotas

SEED = 1
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DEEDS = ("该班组全年安全生产无事故，开展技术攻关{n}项，完成合理化建议{m}条，创造经济效益{v}万元，"
         "班组职工技能等级普遍提升，是一支技术过硬、作风优良的先进集体。")
PERSON_HONOURS = ("province_model_worker", "province_may_day_medal", "gold_worker", "technical_expert")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _holders(rng: random.Random, province: Org, year: int) -> int:
    """Ten years of holders: people of the province's enterprises (a few hundred) and teams (工人先锋号)."""
    types = {t.code: t for t in HonourType.objects.all()}
    rows: list[Holder] = []
    people = list(Person.objects.filter(employer__path__startswith=province.path).select_related("employer")
                  .order_by("id")[:4000:10])
    for p in people:
        code = rng.choice(PERSON_HONOURS)
        if code in types:
            rows.append(Holder(honour_type=types[code], year=year - 1 - rng.randrange(10), person=p, name=p.name,
                               unit=p.employer))
    teams = list(Org.objects.filter(path__startswith=province.path, kind=OrgKind.TEAM).order_by("path")[:3000:15])
    for t in teams:
        if "province_pioneer" in types:
            rows.append(Holder(honour_type=types["province_pioneer"], year=year - 1 - rng.randrange(10), org=t,
                               name=t.name, unit=t))
    Holder.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _weights(orgs: list[Org]) -> list[int]:
    return [o.tree_members or o.tree_people for o in orgs]


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        province = Org.objects.get(code=PROVINCE_CODE)
        admin = User.objects.get(username="province_admin")
        _holders(rng, province, today.year)
        roster = demo_roster.load(rng, province, today.year)  # every honour, the facts, statuses, counters
        holders = roster["holders"]
        log(f"honours: {holders} holders of past years ({roster['revoked']} revoked, {roster['retired']} retired)")
        pioneer = HonourType.objects.get(code="province_pioneer")
        total = 500
        campaign = services.create_campaign(
            actor=admin, honour_type=pioneer, org=province, year=today.year,
            title=f"{today.year}年山东省工人先锋号评选", opens_on=today - datetime.timedelta(days=20),
            submit_until=today + datetime.timedelta(days=40), total=total,
            reserves={"non_public": 100, "front_line": quotas.front_line_floor(total, pioneer.front_line_share)},
            materials=[Material.FORM, Material.DEEDS],
            notes="各市、省产业工会按分配名额推荐，非公有制企业班组名额单列。")
        root = Allocation.objects.get(campaign=campaign, parent__isnull=True)
        below = [o for o in Org.objects.filter(path__startswith=province.path, depth=province.depth + 1,
                                               is_active=True).order_by("path")
                 if o.kind in (OrgKind.CITY, OrgKind.INDUSTRY)]
        # the province keeps a few places for its own direct units
        shares = quotas.propose(quotas.Share(total - 10, {k: root.share.reserved(k) for k in quotas.RESERVES}),
                                _weights(below))
        services.allocate_quotas(actor=admin, allocation=root, shares=dict(zip(below, shares, strict=True)))
        demo_suggestions.load(admin, province, below, _weights(below), log)  # 省技术能手: what the other apps suggest
        jinan = Org.objects.get(code="3701")
        jinan_user = User.objects.filter(username="jinan").first() or admin
        city = Allocation.objects.get(campaign=campaign, org=jinan)
        counties = list(Org.objects.filter(path__startswith=jinan.path, depth=jinan.depth + 1, is_active=True,
                                           kind=OrgKind.COUNTY).order_by("path"))
        split = quotas.propose(quotas.Share(city.quota - 2, {k: city.share.reserved(k) for k in quotas.RESERVES}),
                               _weights(counties))
        services.allocate_quotas(actor=jinan_user, allocation=city, shares=dict(zip(counties, split, strict=True)))
        nominations = _nominations(rng, campaign, jinan)
        from . import demo_review

        demo_review.load(log=log)  # decisions at every level, a second campaign's shortlist on notice
        demo_panels.load(campaign, log)  # the province's review panel (评审组)
        log(f"honours: a campaign with {Allocation.objects.filter(campaign=campaign).count()} quota shares")
        studios = demo_studios.load(log=log)
        facts.rebuild(["honours"])  # the holders and studios written in bulk above, without the verbs
    return {"types": HonourType.objects.count(), "holders": holders,
            "allocations": Allocation.objects.filter(campaign=campaign).count(), "nominations": nominations,
            "studios": studios["studios"]}


TEAM_NAMES = ("设备维修班", "质量检验班", "生产调度班", "安全环保班", "技术攻关小组", "客户服务班组")


def _nominations(rng: random.Random, campaign: Campaign, jinan: Org) -> int:
    """Enterprises of Jinan nominate their teams (济钢 two of its own, the others a team by name): most complete and
    submitted — until a county's share is used up —, every fourth one still a draft without its account of deeds."""
    admin = User.objects.get(username="province_admin")
    held = set(Holder.objects.filter(org__isnull=False).values_list("org_id", flat=True))
    enterprises = list(Org.objects.filter(path__startswith=jinan.path, kind=OrgKind.GRASSROOTS, is_active=True)
                       .order_by("path")[:40])
    made = 0
    for enterprise in enterprises:
        actor = (User.objects.filter(username="jigang").first() if enterprise.code == "370102001001" else None) or admin
        teams = [t for t in Org.objects.filter(path__startswith=enterprise.path, kind=OrgKind.TEAM).order_by("path")
                 if t.pk not in held][:2]
        nominees: list[tuple[Org | None, str]] = [(t, t.name) for t in teams] or [(None, rng.choice(TEAM_NAMES))]
        for team, name in nominees:
            made += 1
            complete = made % 4 != 0
            n = services.nominate(actor=actor, campaign=campaign, unit=enterprise, subject=Subject.COLLECTIVE,
                                  nominee_org=team, name=name, front_line=True,
                                  deeds=DEEDS.format(n=rng.randint(2, 9), m=rng.randint(10, 60),
                                                     v=rng.randint(20, 300)) if complete else "")
            services.add_nomination_files(actor=actor, nomination=n, kind=Material.FORM,
                                          uploads=[_pdf("推荐审批表.pdf")])
            if not complete:
                continue
            services.add_nomination_files(actor=actor, nomination=n, kind=Material.DEEDS,
                                          uploads=[_pdf("先进事迹材料.pdf")])
            try:
                services.submit_nomination(actor=actor, nomination=n)
            except DomainError:  # the county's share is used up: the nomination stays a draft
                pass
    return made


def wipe() -> None:
    _wipe_review()
    demo_studios.wipe()
    NominationFile.objects.all().delete()
    Nomination.objects.all().delete()
    Allocation.objects.all().delete()
    Campaign.objects.all().delete()
    demo_roster.wipe()
    Holder.objects.all().delete()
    facts.rebuild(["honours"])


def _wipe_review() -> None:
    """The shortlists' public notices (with their objections), the honours' certificates and the review's
    notifications (their recipients' accounts go with the orgs' wipe)."""
    from gongjiang.core.models import IssuedCertificate, Notification, Objection, ObjectionNote, PublicNotice

    from .publicity import HONOUR_CERTIFICATE, SHORTLIST_NOTICE

    ObjectionNote.objects.filter(objection__notice__kind=SHORTLIST_NOTICE).delete()
    Objection.objects.filter(notice__kind=SHORTLIST_NOTICE).delete()  # protected: an objection outlives nothing
    PublicNotice.objects.filter(kind=SHORTLIST_NOTICE).delete()
    IssuedCertificate.objects.filter(kind=HONOUR_CERTIFICATE).delete()
    Notification.objects.filter(verb__startswith="honours.").delete()  # the review's messages to the unions
