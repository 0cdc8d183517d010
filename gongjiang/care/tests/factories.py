"""The archive on the factory province: thresholds, a household of 李强 (济钢, approved by 历下区总工会) and of
王芳 (青岛港, approved by 青岛市总工会), and the steps of a request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from gongjiang.care import services
from gongjiang.care.models import CareRequest, HouseholdFile
from gongjiang.orgs.tests.factories import Province, id_number


def member(relation: str, name: str, number: str | None = None, income: Any = "0", **kw: Any) -> dict[str, Any]:
    return {"relation": relation, "name": name, "id_number": number or id_number(), "monthly_income": income,
            "health": kw.pop("health", "healthy"), "schooling": kw.pop("schooling", "none"),
            "work": kw.pop("work", "employed"), **kw}


@dataclass
class Care:
    sd: Province

    def household(self, person: Any = None, income: Any = "800", **extra: Any) -> list[dict[str, Any]]:
        """The worker, an ill spouse without work and a child at school: per capita below any threshold."""
        person = person or self.sd.worker_person
        return [member("self", person.name, person.id_number, income),
                member("spouse", "王秀英", id_number(female=True), "0", health="serious", work="unable"),
                member("child", "李明", id_number(birth=datetime.date(2010, 5, 1)), "0", schooling="high",
                       work="student"), *extra.get("more", [])]

    def file(self, person: Any = None, union: Any = None, members: list[dict[str, Any]] | None = None,
             actor: Any = None, causes: tuple[str, ...] = ("illness", "schooling")) -> CareRequest:
        person = person or self.sd.worker_person
        union = union or (self.sd.steel if person.pk == self.sd.worker_person.pk else self.sd.qd_enterprise)
        actor = actor or (self.sd.enterprise_cadre if union.pk == self.sd.steel.pk else self.sd.qingdao_cadre)
        return services.file_household(actor=actor, person=person, union=union, housing="rented",
                                       causes=list(causes), members=members or self.household(person))

    def checker(self, f: HouseholdFile) -> Any:
        return self.sd.enterprise_cadre if f.union_id == self.sd.steel.pk else self.sd.province_admin

    def approver(self, f: HouseholdFile) -> Any:
        return self.sd.county_cadre if f.approver_id == self.sd.lixia.pk else self.sd.qingdao_cadre

    def through(self, request: CareRequest) -> CareRequest:
        """Check and approve a request."""
        f = request.file
        request = services.check_request(actor=self.checker(f), request=request)
        return services.approve_request(actor=self.approver(f), request=request)

    def active(self, **kw: Any) -> HouseholdFile:
        request = self.through(self.file(**kw))
        return HouseholdFile.objects.get(pk=request.file_id)


def care(sd: Province) -> Care:
    services.set_threshold(actor=sd.province_admin, org=sd.province, monthly_minimum="860")
    services.set_threshold(actor=sd.jinan_cadre, org=sd.jinan, monthly_minimum="1012")
    return Care(sd)


WARMTH = {"kind": "by_grade", "amounts": {"deep": "1000", "relative": "600", "sudden": "800"}}


def programme(cw: Care, **kw: Any) -> Any:
    sd = cw.sd
    data = {"owner": sd.province, "name": "春节送温暖", "kind": "warmth", "eligibility_rule": {},
            "amount_rule": WARMTH, "starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2030, 12, 31),
            **kw}
    return services.create_programme(actor=sd.province_admin, **data)


def cycle(cw: Care, budget: str = "10000", **kw: Any) -> Any:
    return services.create_cycle(actor=cw.sd.province_admin, programme=programme(cw, **kw),
                                 name="2027年春节送温暖", year=2027, budget=budget)


def approved(cw: Care, budget: str = "10000") -> Any:
    """A province-wide cycle with 李强's and 王芳's households on its list, confirmed and approved."""
    cw.active()
    cw.active(person=cw.sd.qd_person)
    c = cycle(cw, budget)
    services.build_cycle(actor=cw.sd.province_admin, cycle=c)
    services.confirm_list(actor=cw.sd.province_admin, cycle=c)
    return services.approve_cycle(actor=second_admin(cw), cycle=c)


def second_admin(cw: Care) -> Any:
    from gongjiang.orgs.choices import Role
    from gongjiang.orgs.models import User
    from gongjiang.orgs.tests.factories import user

    found = User.objects.filter(username="province_admin2").first()
    return found or user("province_admin2", (cw.sd.province, Role.ADMIN))
