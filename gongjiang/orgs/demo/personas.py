"""The demo's personas: one account per role a visitor wants to try (the province administrator, city,
county, enterprise and industry-union cadres, a worker), made through the org services so they carry their
audit events, and a few membership transfers awaiting acceptance."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core import audit

from ..choices import MembershipStatus, Role
from ..models import Org, Person, RoleGrant, User
from .province import DEMO_NOTE, PROVINCE_CODE, SEED, K

DEMO_PASSWORD = "Gongjiang-2026"  # a demo: the same password for every persona, printed by demo_logins
WORKER_TEAM = "370102001001-02-01"  # 济钢 → 炼钢车间 → 炼钢一班, where the worker persona 李强 works


@dataclass(frozen=True)
class Persona:
    username: str
    role_label: Any
    org_code: str
    role: str  # a Role, or "" for the worker
    phone: str
    sees: Any


PERSONAS = [
    Persona("province_admin", _("Province administrator"), PROVINCE_CODE, Role.ADMIN, "13800000000",
            _("The whole province: every city, industry union, enterprise and person; manages all accounts")),
    Persona("jinan", _("Jinan city cadre"), "3701", Role.ADMIN, "13800000001",
            _("济南市总工会 and everything below it; manages Jinan's accounts")),
    Persona("qingdao", _("Qingdao city cadre"), "3702", Role.ADMIN, "13800000002",
            _("青岛市总工会 and everything below it; nothing of Jinan")),
    Persona("lixia", _("County cadre"), "370102", Role.STAFF, "13800000003",
            _("历下区总工会: its street unions, enterprises and people; may edit, not manage accounts")),
    Persona("jigang", _("Enterprise union cadre"), "370102001001", Role.STAFF, "13800000004",
            _("济南钢铁集团有限公司工会: its workshops, teams and workers")),
    Persona("yejin", _("Industry union cadre"), "37-YJ", Role.ADMIN, "13800000005",
            _("山东省冶金工会 and the enterprise unions affiliated to it, across all cities")),
    Persona("worker", _("Worker"), WORKER_TEAM, "", "13912345678",
            _("Only their own record (李强, 炼钢一班): correct contact details")),
]


# ---------------------------------------------------------------------------------------------
# Accounts and transfers


def create_personas() -> dict[str, User]:
    """One account per persona (password DEMO_PASSWORD), granted through the services where possible."""
    from .. import services

    orgs = {o.code: o for o in Org.objects.filter(code__in=[p.org_code for p in PERSONAS])}
    users: dict[str, User] = {}
    admin_persona = PERSONAS[0]
    admin = User(username=admin_persona.username, full_name="省总工会管理员", phone=admin_persona.phone)
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    RoleGrant.objects.create(user=admin, org=orgs[PROVINCE_CODE], role=Role.ADMIN)
    audit.record(None, "orgs.account.created", admin, after={"username": admin.username}, org=orgs[PROVINCE_CODE],
                 note=DEMO_NOTE)
    users[admin.username] = admin
    full_names = {"jinan": "济南市总工会干部", "qingdao": "青岛市总工会干部", "lixia": "历下区总工会干部",
                  "jigang": "济钢工会干部", "yejin": "冶金工会干部"}
    for p in PERSONAS[1:]:
        org = orgs.get(p.org_code)
        if org is None:
            continue
        if p.role:
            users[p.username] = services.create_cadre_account(
                actor=admin, username=p.username, full_name=full_names[p.username], password=DEMO_PASSWORD,
                org=org, role=p.role, phone=p.phone)
        else:
            person = Person.objects.filter(employer=org, name="李强").order_by("pk").first()
            if person is not None:
                actor = users.get("jigang", admin)
                users[p.username] = services.create_worker_account(actor=actor, person=person, username=p.username,
                                                                   password=DEMO_PASSWORD)
    return users


def create_transfers(admin: User, n: int) -> int:
    """A few transfers awaiting acceptance, made through the service (so they carry their audit events)."""
    from .. import services

    made = 0
    unions = list(Org.objects.filter(kind=K.GRASSROOTS, person_count__gt=0).order_by("path")
                  .values_list("pk", flat=True)[:200])
    rng = random.Random(SEED + 1)
    jigang = Org.objects.filter(code="370102001001").first()
    sources = [jigang.pk] if jigang is not None else []
    sources += rng.sample(unions, min(len(unions), n * 2))
    for src in sources:
        if made >= n:
            break
        person = (Person.objects.filter(membership__union_id=src, membership__status=MembershipStatus.ACTIVE)
                  .exclude(name="李强").order_by("pk").first())
        if person is None:
            continue
        dests = [u for u in unions if u != src]
        if not dests:
            break
        dest = Org.objects.get(pk=rng.choice(dests))
        services.request_transfer(actor=admin, person=person, to_employer=dest, reason="工作调动")
        made += 1
    return made
