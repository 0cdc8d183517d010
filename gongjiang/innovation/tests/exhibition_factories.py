"""Builders for the exhibition tests: on the factory province (`sd`, with the innovation people of 济钢), the
province's 6·18 exhibition open for entries (its first day ten days ahead), a second enterprise of Jinan — 济南重工,
with its union cadre and an engineer — and offers, needs and matches brought to any state through the verbs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.innovation import services
from gongjiang.innovation.choices import Category, ExpoState, MatchState, TransferMode
from gongjiang.innovation.models import Exhibition, Match, Need, Offer
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.models import Org, Person, User
from gongjiang.orgs.tests.factories import org, person, user

from .factories import Innovation

OFFER_TITLE = "转炉煤气余热发电技术"
OFFER_SUMMARY = "利用转炉煤气余热发电，吨钢回收电量提高30%，已在济钢三座转炉稳定运行两年。"
NEED_TITLE = "加热炉余热发电改造"
NEED_TEXT = "公司加热炉烟气温度高，余热未回收，希望引进余热发电技术降低能耗。"


@dataclass
class Expo:
    inn: Innovation
    exhibition: Exhibition
    partner: Org
    partner_cadre: User
    partner_person: Person

    @property
    def sd(self) -> Any:
        return self.inn.sd

    @property
    def organiser(self) -> User:
        return self.sd.province_admin

    def offer(self, title: str = OFFER_TITLE, **kw: Any) -> Offer:
        data: dict[str, Any] = {"summary": OFFER_SUMMARY, "category": Category.ENERGY, "mode": TransferMode.LICENCE,
                                "price": Decimal(800000), "contact": self.sd.worker_person, "authors": "李强、周明",
                                "org": self.sd.steel, **kw}
        return services.submit_offer(actor=self.sd.enterprise_cadre, exhibition=self.exhibition, title=title, **data)

    def need(self, title: str = NEED_TITLE, **kw: Any) -> Need:
        data: dict[str, Any] = {"description": NEED_TEXT, "category": Category.ENERGY, "budget": Decimal(1000000),
                                "contact": self.partner_person, "org": self.partner, **kw}
        return services.submit_need(actor=self.partner_cadre, exhibition=self.exhibition, title=title, **data)

    def pair(self) -> tuple[Offer, Need]:
        """An offer of 济钢 and a need of 济南重工, both accepted into the catalogue."""
        o = services.check_offer(actor=self.organiser, offer=self.offer(), accept=True)
        n = services.check_need(actor=self.organiser, need=self.need(), accept=True)
        return o, n

    def match(self, state: str = MatchState.MATCHED, value: Decimal = Decimal(650000)) -> Match:
        o, n = self.pair()
        m = services.confirm_match(actor=self.organiser, offer=o, need=n)
        today = timezone.localdate()
        if state == MatchState.CLOSED:
            return services.close_match(actor=self.sd.enterprise_cadre, match=m, reason="价格未谈拢")
        if state in (MatchState.MET, MatchState.SIGNED, MatchState.IMPLEMENTED):
            m = services.record_met(actor=self.partner_cadre, match=m, met_on=today)
        if state in (MatchState.SIGNED, MatchState.IMPLEMENTED):
            m = services.sign_match(actor=self.partner_cadre, match=m, contract_value=value, signed_on=today)
        if state == MatchState.IMPLEMENTED:
            m = services.record_implemented(actor=self.sd.enterprise_cadre, match=m, implemented_on=today,
                                            note="余热发电机组已并网运行")
        return m


def exhibition(sd: Any, *, state: str = ExpoState.OPEN, **kw: Any) -> Exhibition:
    today = timezone.localdate()
    start = today + datetime.timedelta(days=10)
    data: dict[str, Any] = {"organiser": sd.province, "name": f"第二十届6·18职工技术创新成果展洽会{start.year}",
                            "year": start.year, "starts_on": start, "ends_on": start + datetime.timedelta(days=1),
                            "venue": "山东国际会展中心", "registration_deadline": today + datetime.timedelta(days=5),
                            "tables": 2, **kw}
    e = services.create_exhibition(actor=sd.province_admin, **data)
    for nxt in ("open", "held", "closed")[: ("draft", "open", "held", "closed").index(state)]:
        e = services.advance_exhibition(actor=sd.province_admin, exhibition=e, state=nxt)
    return e


def expo(inn: Innovation, **kw: Any) -> Expo:
    sd = inn.sd
    partner = org(sd.town, "济南重工股份有限公司工会", OrgKind.GRASSROOTS)
    engineer = person(partner, "陈刚", mobile="13712340003")
    cadre = user("zhonggong_cadre", (partner, Role.STAFF))
    return Expo(inn, exhibition(sd, **kw), partner, cadre, engineer)
