"""The demo's review panel (评审组): the province's scoring panel of the 工人先锋号 campaign — three criteria
(先进事迹 40, 创新创效 35, 示范带动 25) — with five experts (worker accounts of people outside Jinan, where the
nominations come from; log in as `pingshen1` … `pingshen5`, `pingshen1` chairs) who have scored part of the
submitted nominations, one of them having declared a conflict of interest. Written through the verbs."""

from __future__ import annotations

import random
from collections.abc import Callable

from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.demo.personas import DEMO_PASSWORD
from gongjiang.orgs.models import Org, Person, User

from . import services
from .models import Allocation, Campaign
from .queries import panels as reads

SEED = 11
CRITERIA = [{"name": "先进事迹", "weight": 40, "max": 40}, {"name": "创新创效", "weight": 35, "max": 35},
            {"name": "示范带动", "weight": 25, "max": 25}]
EXPERTS = 5


def _experts(admin: User) -> list[User]:
    """Five worker accounts of people of the province outside Jinan (made once; kept when the honours reload)."""
    from gongjiang.orgs import services as org_services

    found = list(User.objects.filter(username__startswith="pingshen").order_by("username"))
    if len(found) >= EXPERTS:
        return found[:EXPERTS]
    jinan = Org.objects.get(code="3701")
    province = Org.objects.get(code=PROVINCE_CODE)
    people = (Person.objects.filter(employer__path__startswith=province.path, account__isnull=True)
              .exclude(employer__path__startswith=jinan.path).order_by("id")[:EXPERTS])
    return [org_services.create_worker_account(actor=admin, person=p, username=f"pingshen{i}",
                                               password=DEMO_PASSWORD) for i, p in enumerate(people, 1)]


def load(campaign: Campaign, log: Callable[[str], None] = lambda s: None) -> int:
    """The panel with its members, their scores (each member a different part) and one declared conflict; the
    number of scores."""
    rng = random.Random(SEED)
    admin = User.objects.get(username="province_admin")
    root = Allocation.objects.get(campaign=campaign, parent__isnull=True)
    panel = services.create_panel(actor=admin, campaign=campaign, allocation=root, name="省工人先锋号评审组",
                                  mode="score", criteria=CRITERIA)
    experts = _experts(admin)
    for i, expert in enumerate(experts):
        services.add_panel_member(actor=admin, panel=panel, user=expert, chair=i == 0)
    nominations = list(reads.panel_nominations(panel).order_by("unit__path", "id"))
    if nominations:
        services.declare_panel_conflict(actor=experts[1], panel=panel, nomination=nominations[0],
                                        reason="本人曾在该单位工作")
    scored = 0
    for i, expert in enumerate(experts):
        share = len(nominations) * (i + 2) // (EXPERTS + 2)  # the chair has done least, the last most
        for n in nominations[:share]:
            if i == 1 and n == nominations[0]:
                continue  # the conflict
            points = {"c1": rng.randint(24, 40), "c2": rng.randint(18, 35), "c3": rng.randint(12, 25)}
            services.score_in_panel(actor=expert, panel=panel, nomination=n, points=points)
            scored += 1
    log(f"honours: a review panel of {len(experts)} experts with {scored} scores")
    return scored
