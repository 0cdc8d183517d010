"""Builders for the honours tests: the factory province (`sd`) with a 省工人先锋号 campaign (the province's 20 places,
4 of them for non-public enterprises), Jinan's share split to 历下区, a private enterprise in 历下 with a team, and a
省五一劳动奖章 campaign for persons; nominations brought to a state through the verbs themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjiang.honours import services
from gongjiang.honours.choices import Material, Subject
from gongjiang.honours.models import Allocation, Campaign, HonourType, Nomination
from gongjiang.honours.rules.quotas import Share
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import Org, User
from gongjiang.orgs.tests.factories import org, person, user

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DEEDS = "该班组全年安全生产无事故，开展技术攻关五项，完成合理化建议三十条，创造经济效益一百二十万元。"


def pdf(name: str = "推荐审批表.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@dataclass
class Honours:
    """`sd` and the honours of its tree."""

    sd: Any
    pioneer: Campaign
    medal: Campaign
    private: Org  # a private enterprise in 历下 (非公)
    private_team: Org
    private_cadre: User

    def root(self, campaign: Campaign | None = None) -> Allocation:
        return Allocation.objects.get(campaign=campaign or self.pioneer, parent__isnull=True)

    def share(self, org: Org, campaign: Campaign | None = None) -> Allocation:
        return Allocation.objects.get(campaign=campaign or self.pioneer, org=org)

    def team_nomination(self, team: Org | None = None, unit: Org | None = None, actor: User | None = None,
                        complete: bool = True) -> Nomination:
        team = team or self.sd.team
        unit = unit or self.sd.steel
        actor = actor or self.sd.enterprise_cadre
        n = services.nominate(actor=actor, campaign=self.pioneer, unit=unit, subject=Subject.COLLECTIVE,
                              nominee_org=team, front_line=True, deeds=DEEDS if complete else "")
        if complete:
            services.add_nomination_files(actor=actor, nomination=n, kind=Material.FORM, uploads=[pdf()])
            services.add_nomination_files(actor=actor, nomination=n, kind=Material.DEEDS,
                                          uploads=[pdf("事迹材料.pdf")])
        return n

    def person_nomination(self, who: Any = None, *, years: int = 8, leader: bool = False, **kw: Any) -> Nomination:
        n = services.nominate(actor=self.sd.enterprise_cadre, campaign=self.medal, unit=self.sd.steel,
                              subject=Subject.PERSON, person=who or self.sd.worker_person, years_in_trade=years,
                              is_leader=leader, deeds=DEEDS, **kw)
        services.add_nomination_files(actor=self.sd.enterprise_cadre, nomination=n, kind=Material.FORM,
                                      uploads=[pdf()])
        return n


def honours(sd: Any) -> Honours:
    today = timezone.localdate()
    admin = sd.province_admin
    private = org(sd.town, "历下精工机械有限公司工会", OrgKind.GRASSROOTS, ownership="private", employee_count=300)
    private_team = org(org(private, "装配车间", OrgKind.DEPARTMENT), "装配一班", OrgKind.TEAM)
    private_cadre = user("private_cadre", (private, Role.STAFF))
    pioneer = services.create_campaign(
        actor=admin, honour_type=HonourType.objects.get(code="province_pioneer"), org=sd.province, year=today.year,
        title="省工人先锋号评选", opens_on=today - datetime.timedelta(days=5),
        submit_until=today + datetime.timedelta(days=30), total=20, reserves={"non_public": 4, "front_line": 14},
        materials=[Material.FORM, Material.DEEDS])
    root = Allocation.objects.get(campaign=pioneer, parent__isnull=True)
    services.allocate_quotas(actor=admin, allocation=root, shares={
        sd.jinan: Share(8, {"non_public": 2, "front_line": 6}), sd.qingdao: Share(6, {"non_public": 1,
                                                                                       "front_line": 4}),
        sd.metallurgy: Share(4, {"non_public": 1, "front_line": 3})})
    services.allocate_quotas(actor=sd.jinan_cadre, allocation=Allocation.objects.get(campaign=pioneer, org=sd.jinan),
                             shares={sd.lixia: Share(3, {"non_public": 1, "front_line": 3})})
    medal = services.create_campaign(
        actor=admin, honour_type=HonourType.objects.get(code="province_may_day_medal"), org=sd.province,
        year=today.year, title="省五一劳动奖章评选", opens_on=today - datetime.timedelta(days=5),
        submit_until=today + datetime.timedelta(days=30), total=10, reserves={"front_line": 4},
        materials=[Material.FORM])
    return Honours(sd, pioneer, medal, private, private_team, private_cadre)


def colleague(h: Honours, name: str = "周明", **kw: Any) -> Any:
    return person(h.sd.team, name, **kw)


def holder(code: str, *, unit: Org | None = None, person: Any = None, org_: Org | None = None, year: int = 2020,
           name: str = "") -> Any:
    """A holder made as the conferral makes one: the row with the roster's facts (`queries.roster.holder_facts`),
    then counted (`counters.add_holder`, and its conferral in the fact store: `figures.holders_conferred`)."""
    from gongjiang.honours import counters, figures
    from gongjiang.honours.models import Holder
    from gongjiang.honours.queries.roster import holder_facts

    unit = unit or (person.employer if person is not None else org_)
    assert unit is not None
    h = Holder.objects.create(honour_type=HonourType.objects.get(code=code), year=year, person=person, org=org_,
                              name=name or (person.name if person is not None else org_.name if org_ else ""),
                              unit=unit, **holder_facts(unit, person, front_line=bool(person is None)))
    counters.add_holder(h)
    figures.holders_conferred([h])
    return h
