"""Builders for the review panels' tests: the factory province's 省工人先锋号 campaign (`factories.honours`) with
three nominations forwarded to the province through the review's verbs (a panel reads only what reached its level) —
济钢's 炼钢一班, the private enterprise's 装配一班 (both in Jinan: 历下 forwards them to Jinan, Jinan to the
province), and a team of 青岛港 —, a scoring panel of the province with three criteria and its members (experts on
the staff of the Qingdao federation, the worker 李强 of 济钢: conflicted with 济钢's nomination without declaring),
and a voting panel of Jinan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongjiang.honours import services
from gongjiang.honours.choices import Subject
from gongjiang.honours.models import Nomination, Panel, PanelMember
from gongjiang.orgs.models import User
from gongjiang.orgs.tests.factories import person, user

from .factories import DEEDS, Honours, pdf

CRITERIA = [{"name": "先进事迹", "weight": 40, "max": 40}, {"name": "创新成果", "weight": 35, "max": 50},
            {"name": "示范作用", "weight": 25, "max": 10}]
FULL = {"c1": 40, "c2": 50, "c3": 10}


@dataclass
class Panels:
    hw: Honours
    steel_n: Nomination  # 济钢 · 炼钢一班
    private_n: Nomination  # 历下精工 · 装配一班
    qingdao_n: Nomination  # 青岛港 · 装卸一班
    panel: Panel  # the province's scoring panel
    vote_panel: Panel  # Jinan's voting panel
    chair: User
    expert: User
    others: list[User]  # three more experts of the province's panel (not added yet)
    jinan_member: User  # a member of Jinan's panel only

    @property
    def sd(self) -> Any:
        return self.hw.sd

    def seat(self, who: User, panel: Panel | None = None) -> PanelMember:
        return PanelMember.objects.get(panel=panel or self.panel, user=who)


def submitted(hw: Honours, actor: User, unit: Any, team: Any = None, name: str = "") -> Nomination:
    n = services.nominate(actor=actor, campaign=hw.pioneer, unit=unit, subject=Subject.COLLECTIVE, nominee_org=team,
                          name=name, front_line=True, deeds=DEEDS)
    for kind, file_name in (("form", "推荐审批表.pdf"), ("deeds", "事迹材料.pdf")):
        services.add_nomination_files(actor=actor, nomination=n, kind=kind, uploads=[pdf(file_name)])
    return services.submit_nomination(actor=actor, nomination=n)


def deciders(hw: Honours) -> dict[int, User]:
    """A cadre of each union that decides in the factory province's review (by org id)."""
    sd = hw.sd
    return {sd.lixia.pk: sd.county_cadre, sd.jinan.pk: sd.jinan_cadre, sd.qingdao.pk: sd.qingdao_cadre,
            sd.metallurgy.pk: sd.industry_cadre, sd.province.pk: sd.province_admin}


def forwarded_to(hw: Honours, nomination: Nomination, org: Any) -> Nomination:
    """Forward a submitted nomination level by level (`forward_nomination`, by each level's cadre) until it waits
    at `org`'s level."""
    who = deciders(hw)
    nomination.refresh_from_db()
    while nomination.at is not None and nomination.at.org_id != org.pk:
        services.forward_nomination(actor=who[nomination.at.org_id], nomination=nomination)
        nomination.refresh_from_db()
    assert nomination.at is not None, "forwarded past the level"
    return nomination


def expert(employer: Any, username: str, name: str) -> User:
    account = user(username, person=person(employer, name))
    account.full_name = name
    account.save(update_fields=["full_name"])
    return account


def panels(hw: Honours) -> Panels:
    sd = hw.sd
    steel_n = submitted(hw, sd.enterprise_cadre, sd.steel, sd.team)
    private_n = submitted(hw, hw.private_cadre, hw.private, hw.private_team)
    qingdao_n = submitted(hw, sd.qingdao_cadre, sd.qd_enterprise, name="装卸一班")
    steel_n, private_n, qingdao_n = (forwarded_to(hw, n, sd.province) for n in (steel_n, private_n, qingdao_n))
    panel = services.create_panel(actor=sd.province_admin, campaign=hw.pioneer, allocation=hw.root(),
                                  name="省工人先锋号评审组", mode="score", criteria=CRITERIA)
    chair = expert(sd.qingdao, "chair_expert", "赵组长")
    one = expert(sd.qingdao, "expert_one", "钱专家")
    others = [expert(sd.qingdao, f"expert_{i}", n) for i, n in enumerate(("孙专家", "周专家", "吴专家"), 2)]
    services.add_panel_member(actor=sd.province_admin, panel=panel, user=chair, chair=True)
    services.add_panel_member(actor=sd.province_admin, panel=panel, user=one)
    vote_panel = services.create_panel(actor=sd.jinan_cadre, campaign=hw.pioneer, allocation=hw.share(sd.jinan),
                                       name="济南市评审组", mode="vote")
    jinan_member = expert(sd.steel, "jinan_expert", "郑专家")
    services.add_panel_member(actor=sd.jinan_cadre, panel=vote_panel, user=jinan_member, chair=True)
    return Panels(hw, steel_n, private_n, qingdao_n, panel, vote_panel, chair, one, others, jinan_member)


def _state(hw: Honours) -> Panels:
    """The panels' state for the permission matrix; its members become personas of `hw`."""
    pn = panels(hw)
    hw.panel_expert = pn.expert  # type: ignore[attr-defined]
    hw.jinan_member = pn.jinan_member  # type: ignore[attr-defined]
    return pn


def _panel_row(persona: str, make: Any) -> Any:
    def row(hw: Honours) -> tuple[str, dict[str, Any]]:
        return persona, make(_state(hw))
    return row


ADMIN = "province_admin"
# The permission matrix's rows of the panels' verbs (test_permission_matrix.MATRIX takes them in).
MATRIX_ROWS: dict[str, Any] = {
    "create_panel": _panel_row(ADMIN, lambda pn: {"campaign": pn.hw.pioneer, "allocation": pn.hw.root(),
                                                  "name": "第二评审组", "mode": "score", "criteria": CRITERIA}),
    "add_panel_member": _panel_row(ADMIN, lambda pn: {"panel": pn.panel, "user": pn.others[0]}),
    "remove_panel_member": _panel_row(ADMIN, lambda pn: {"member": pn.seat(pn.expert)}),
    "close_panel": _panel_row(ADMIN, lambda pn: {"panel": pn.panel}),
    "declare_panel_conflict": _panel_row("panel_expert", lambda pn: {"panel": pn.panel, "nomination": pn.steel_n,
                                                                     "reason": "本人亲属在该班组"}),
    "score_in_panel": _panel_row("panel_expert", lambda pn: {"panel": pn.panel, "nomination": pn.steel_n,
                                                             "points": FULL}),
    "vote_in_panel": _panel_row("jinan_member", lambda pn: {"panel": pn.vote_panel, "nomination": pn.private_n,
                                                            "choice": "yes"}),
}
