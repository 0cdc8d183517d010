"""The rights app's test data on the small 山东 province (`sd`): people on the steel works' roster, a small private
firm under the same town, a congress with delegates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.tests.factories import Province, id_number, org, person

from .. import services
from ..models import Congress, Contract

D = datetime.date
START, END = D(2025, 1, 1), D(2027, 12, 31)
TITLES = {"comprehensive": "综合", "wages": "工资专项", "women": "女职工专项", "safety": "安全生产专项"}


@dataclass
class Rights:
    sd: Province
    small: Org  # a private firm under the town, with no congress of its own
    people: list[Person]  # the steel works' roster (the worker of the team and nine more)

    def congress(self, delegates: int = 9, **kw: Any) -> Congress:
        data = {"form": "congress", "established_on": D(2024, 3, 1), "term_years": 3, **kw}
        c = services.record_congress(actor=self.sd.enterprise_cadre, org=self.sd.steel, **data)
        if delegates:
            services.elect_delegates(actor=self.sd.enterprise_cadre, congress=c, people=self.people[:delegates],
                                     elected_on=data["established_on"])
        return c

    def contract(self, kind: str = "wages", starts_on: datetime.date = START, ends_on: datetime.date = END,
                 sign: bool = True, **kw: Any) -> Contract:
        c = services.draft_contract(actor=self.sd.enterprise_cadre, org=self.sd.steel, kind=kind,
                                    title=kw.pop("title", f"济钢{TITLES[kind]}集体合同"),
                                    employer_party="济南钢铁集团有限公司",
                                    starts_on=starts_on, ends_on=ends_on, coverage=[(self.sd.steel, 3000)], **kw)
        if sign:
            c = services.sign_contract(actor=self.sd.enterprise_cadre, contract=c,
                                      signed_on=min(starts_on, datetime.date.today()))
        return c


def rights(sd: Province) -> Rights:
    small = org(sd.town, "济南小微科技有限公司工会", OrgKind.GRASSROOTS, ownership="private", employee_count=40)
    people = [sd.worker_person]
    for i in range(9):
        people.append(person(sd.workshop if i % 2 else sd.steel, f"职工{i}", is_front_line=i < 5,
                             is_migrant=i in (1, 2),
                             id_number=id_number("370102", female=i % 3 == 0)))
    return Rights(sd, small, people)
