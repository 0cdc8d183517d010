"""The demo's review, all through the verbs: in the year's 工人先锋号 campaign, 历下区 forwards some of its
enterprises' nominations to 济南, returns one to its unit and does not recommend another; 济南 forwards all but one
to the province, which shortlists the first (the others wait for the province's review panel), and one waits at 济南
— so every stage shows. A second, smaller campaign (省创新型班组,
opened two months ago and closing today) went through the whole review: its shortlist of 济钢's teams is on public
notice and a member of the public has filed an objection the province has not decided yet."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjiang.core import notices
from gongjiang.core.errors import DomainError
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from . import services
from .choices import Material, NominationState, Subject
from .models import Allocation, Campaign, HonourType, Nomination
from .rules import quotas

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DEEDS = ("该班组围绕设备自主维护开展技术创新，近三年取得实用新型专利{n}项，完成“五小”成果{m}项，"
         "年创效益{v}万元，班组成员中高级工以上占比超过八成。")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _pioneer_stages(campaign: Campaign, lixia_user: User, jinan_user: User, admin: User) -> dict[str, int]:
    """The stages of the 工人先锋号 campaign: decisions at 历下区, then 济南, then the province."""
    done = {"forwarded": 0, "returned": 0, "rejected": 0, "shortlisted": 0}
    lixia = Allocation.objects.filter(campaign=campaign, org__code="370102").first()
    if lixia is None:
        return done
    waiting = list(Nomination.objects.filter(campaign=campaign, state=NominationState.SUBMITTED, at=lixia)
                   .order_by("id")[:8])
    if len(waiting) < 4:
        return done
    services.return_nomination(actor=lixia_user, nomination=waiting[0],
                               reason="推荐审批表缺少企业党组织意见，请补充后重新上报。")
    services.reject_nomination(actor=lixia_user, nomination=waiting[1],
                               reason="该班组所在企业本年度发生一般安全生产事故，不符合推荐条件。")
    done["returned"] = done["rejected"] = 1
    forwarded = []
    for n in waiting[2:5]:
        try:
            forwarded.append(services.forward_nomination(actor=lixia_user, nomination=n))
        except DomainError:  # the county's places or reserves: it stays waiting at the county
            continue
    done["forwarded"] = len(forwarded)
    # 济南 forwards all but the last to the province (its review panel scores them), which shortlists the first
    at_province = []
    for n in forwarded[:-1] if len(forwarded) > 1 else forwarded:
        try:
            at_province.append(services.forward_nomination(actor=jinan_user, nomination=n))
        except DomainError:
            continue
    if at_province:
        services.forward_nomination(actor=admin, nomination=at_province[0])
        done["shortlisted"] = 1
    return done


def _innovative_teams(admin: User, jinan_user: User, lixia_user: User, jigang_user: User) -> Campaign | None:
    """省创新型班组: 20 places (16 for front-line collectives), 8 to 济南, 4 of them to 历下区; 济钢 nominates three
    of its teams, each level forwards them, the province shortlists them and puts the list on notice; an objection
    waits for the province's decision."""
    honour = HonourType.objects.filter(code="innovative_team").first()
    province = Org.objects.filter(depth=1).order_by("path").first()
    jinan, lixia = Org.objects.filter(code="3701").first(), Org.objects.filter(code="370102").first()
    jigang = Org.objects.filter(code="370102001001").first()
    if not (honour and province and jinan and lixia and jigang):
        return None
    today = timezone.localdate()
    campaign = services.create_campaign(
        actor=admin, honour_type=honour, org=province, year=today.year, title=f"{today.year}年山东省创新型班组评选",
        opens_on=today - datetime.timedelta(days=60), submit_until=today, total=20,
        reserves={"front_line": quotas.front_line_floor(20, honour.front_line_share)},
        materials=[Material.FORM], notes="重点推荐在技术创新、“五小”活动中成效突出的一线班组。")
    root = Allocation.objects.get(campaign=campaign, parent__isnull=True)
    services.allocate_quotas(actor=admin, allocation=root, shares={jinan: quotas.Share(8, {"front_line": 8})})
    city = Allocation.objects.get(campaign=campaign, org=jinan)
    services.allocate_quotas(actor=jinan_user, allocation=city, shares={lixia: quotas.Share(4, {"front_line": 4})})
    teams = list(Org.objects.filter(path__startswith=jigang.path, kind=OrgKind.TEAM, is_active=True)
                 .order_by("path")[:3])
    for i, team in enumerate(teams):
        n = services.nominate(actor=jigang_user, campaign=campaign, unit=jigang, subject=Subject.COLLECTIVE,
                              nominee_org=team, front_line=True, deeds=DEEDS.format(n=2 + i, m=8 + 3 * i,
                                                                                    v=60 + 25 * i))
        services.add_nomination_files(actor=jigang_user, nomination=n, kind=Material.FORM,
                                      uploads=[SimpleUploadedFile("推荐审批表.pdf", PDF,
                                                                  content_type="application/pdf")])
        services.submit_nomination(actor=jigang_user, nomination=n)
        for who in (lixia_user, jinan_user, admin):
            services.forward_nomination(actor=who, nomination=n)
    if teams:
        notice = services.publish_shortlist(actor=admin, campaign=campaign, working_days=5)
        notices.file_objection(notice=notice, name="张建国", contact="13905310000", subject=teams[0].name,
                               reason="据了解该班组申报的一项“五小”成果系外单位完成，请予以核实。",
                               client="demo-public")
    return campaign


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Called from demo.load inside its transaction, after the 工人先锋号 campaign and its nominations."""
    admin = _user("province_admin")
    jinan_user, lixia_user, jigang_user = _user("jinan"), _user("lixia"), _user("jigang")
    if admin is None or jinan_user is None or lixia_user is None or jigang_user is None:
        return {}
    pioneer = Campaign.objects.filter(honour_type__code="province_pioneer").order_by("-year", "-id").first()
    stages = _pioneer_stages(pioneer, lixia_user, jinan_user, admin) if pioneer else {}
    teams = _innovative_teams(admin, jinan_user, lixia_user, jigang_user)
    log(f"honours: the review — {stages}; a shortlist on public notice: {teams}")
    return {"stages": stages, "on_notice": teams.pk if teams else None}
