"""Builders for the technical association tests: on the factory province (`sd`, with the innovation people of 济钢), the
associations of the province, Jinan, 济钢 and Qingdao founded by their unions' cadres through the verbs, and a 技协
officer appointed on Jinan's union (an account with no union role of its own)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongjiang.innovation import services
from gongjiang.innovation.choices import ActivityKind, Duty, Honour, Post
from gongjiang.innovation.models import Activity, Council, TechAssociation, TechMember
from gongjiang.orgs.models import Person, User
from gongjiang.orgs.tests.factories import person, user

from .factories import Innovation

D = Decimal
FOUNDED = datetime.date(2015, 5, 1)
JOINED = datetime.date(2024, 3, 1)
CONTRACT = D(120000)


@dataclass
class Tech:
    """The associations and the people of the technical association tests."""

    inn: Innovation
    province: TechAssociation
    jinan: TechAssociation
    steel: TechAssociation
    qingdao: TechAssociation
    officer: User  # 技协 officer of Jinan's association (appointed, no union role)
    welder: Person  # 王焊, a worker of 济钢's workshop

    @property
    def sd(self) -> Any:
        return self.inn.sd

    def join(self, who: Person | None = None, association: TechAssociation | None = None, *,
             actor: User | None = None, **kw: Any) -> TechMember:
        """李强 (or `who`) joins 济钢's association (or `association`) as a 炼钢工 with a 技术能手 title."""
        data: dict[str, Any] = {"trade": "炼钢工", "speciality": "转炉冶炼", "joined_on": JOINED,
                                "honours": [(Honour.TECH_EXPERT, 2022, "济南市总工会")], **kw}
        return services.join_association(actor=actor or self.sd.enterprise_cadre, association=association or self.steel,
                                         person=who or self.sd.worker_person, **data)

    def council(self, chair: TechMember, *, association: TechAssociation | None = None, number: int = 1,
                starts_on: datetime.date = datetime.date(2024, 6, 1),
                ends_on: datetime.date = datetime.date(2029, 5, 31)) -> Council:
        return services.start_council(actor=self.sd.enterprise_cadre, association=association or self.steel,
                                      number=number, starts_on=starts_on, ends_on=ends_on, chair=chair)

    def service(self, *, held_on: datetime.date = datetime.date(2025, 9, 10), value: Decimal | None = CONTRACT,
                **kw: Any) -> Activity:
        """A technical service contract of 济钢's association for a client enterprise."""
        data: dict[str, Any] = {"kind": ActivityKind.SERVICE, "title": "轧机主传动振动诊断服务", "held_on": held_on,
                                "unit": self.sd.steel, "client": "章丘锻压机械有限公司", "value": value,
                                "participants": 6, **kw}
        return services.record_activity(actor=self.sd.enterprise_cadre, association=self.steel, **data)


def tech(inn: Innovation) -> Tech:
    sd = inn.sd
    found = datetime.date(2012, 4, 28)
    province = services.found_association(actor=sd.province_admin, org=sd.province, name="山东省职工技术协会",
                                          founded_on=found, registration_no="鲁民社登字第0001号")
    jinan = services.found_association(actor=sd.jinan_cadre, org=sd.jinan, name="济南市职工技术协会",
                                       founded_on=FOUNDED, address="济南市历下区", contact="刘主任",
                                       phone="0531-86000000")
    steel = services.found_association(actor=sd.enterprise_cadre, org=sd.steel, name="济钢职工技术协会",
                                       founded_on=FOUNDED)
    qingdao = services.found_association(actor=sd.qingdao_cadre, org=sd.qingdao, name="青岛市职工技术协会",
                                         founded_on=FOUNDED)
    officer = user("ta_officer")
    officer.full_name = "技协干事 孙明"
    officer.save(update_fields=["full_name"])
    services.appoint(actor=sd.jinan_cadre, org=sd.jinan, user=officer, duty=Duty.TECHASSOC)
    welder = person(sd.workshop, "王焊", mobile="13912340002")
    return Tech(inn, province, jinan, steel, qingdao, officer, welder)


CHAIR = Post.CHAIR
