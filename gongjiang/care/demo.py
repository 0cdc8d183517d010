"""The demo's needy-worker archive: local thresholds for the province and its cities, household files across the
province (about 1,500 at `demo` scale, 8,000 at `province` scale), approved over the last two years, yearly reviews,
some exits with their reasons, a few requests waiting in the queues; and the caseworker persona of 济钢工会.

Rows are written in bulk (the verbs' rules applied: the grade by rules.grading, one file per person, the members'
IDs encrypted with their hashes); one audit event per file; the fact store rebuilt for the app."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core import audit
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.ids import make_id_card, mask_id_card
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.demo import DEMO_PASSWORD, PROVINCE_CODE
from gongjiang.orgs.models import Org, Person, RoleGrant, User

from .choices import Cause, FileStatus, Health, Housing, Relation, RequestKind, RequestState, Schooling, Work
from .household import approving_union
from .models import CareRequest, CareSetting, HouseholdFile, Member
from .rules import grading

CASEWORKER = "caseworker"
CASEWORKER_ORG = "370102001001"  # 济钢工会, the enterprise union of the other personas
SIZES = {"tiny": 60, "demo": 1500, "province": 8000}
THRESHOLDS = {"37": Decimal("860"), "3701": Decimal("1012"), "3702": Decimal("1040")}
RELATIVES = ["王秀英", "刘建国", "张静", "陈磊", "杨丽", "赵强", "黄敏", "周杰", "吴芳", "徐波"]

__all__ = ["CASEWORKER", "DEMO_PASSWORD", "load", "wipe"]


def _member(rng: random.Random, relation: str, name: str, number: str, *, health: str, schooling: str,
            work: str, income: Decimal) -> dict[str, Any]:
    return {"relation": relation, "name": name, "id_encrypted": encrypt(number), "id_hash": lookup_hash(number),
            "id_masked": mask_id_card(number), "birth_date": datetime.date(int(number[6:10]), int(number[10:12]),
                                                                           int(number[12:14])),
            "gender": "F" if int(number[16]) % 2 == 0 else "M", "health": health, "schooling": schooling,
            "work": work, "monthly_income": income}


def _household(rng: random.Random, person: Person, n: int, region: str) -> tuple[list[dict[str, Any]], list[str]]:
    causes = rng.sample(Cause.values[:6], rng.choice((1, 1, 2, 2, 3)))
    ill = "illness" in causes or "disability" in causes
    worker_income = Decimal(rng.choice((0, 600, 900, 1200, 1500, 1800, 2200, 2600)))
    members = [_member(rng, Relation.SELF, person.name, person.id_number,
                       health=rng.choice((Health.SERIOUS, Health.CHRONIC)) if ill and rng.random() < 0.4
                       else Health.HEALTHY, schooling=Schooling.NONE,
                       work=Work.UNEMPLOYED if "unemployment" in causes else Work.EMPLOYED, income=worker_income)]
    if "single_parent" not in causes and rng.random() < 0.8:
        born = datetime.date(1975 + rng.randrange(20), 1 + rng.randrange(12), 1 + rng.randrange(28))
        members.append(_member(rng, Relation.SPOUSE, rng.choice(RELATIVES), make_id_card(region, born, n % 1000),
                               health=Health.SEVERELY_DISABLED if "disability" in causes else Health.HEALTHY,
                               schooling=Schooling.NONE, work=rng.choice((Work.EMPLOYED, Work.UNEMPLOYED)),
                               income=Decimal(rng.choice((0, 0, 800, 1500)))))
    for k in range(rng.choice((1, 1, 2)) if "schooling" in causes else rng.choice((0, 1))):
        born = datetime.date(2003 + rng.randrange(18), 1 + rng.randrange(12), 1 + rng.randrange(28))
        school = Schooling.UNIVERSITY if born.year < 2008 else Schooling.HIGH if born.year < 2011 else \
            Schooling.COMPULSORY
        members.append(_member(rng, Relation.CHILD, person.name[0] + rng.choice(("明", "雪", "浩", "雨", "晨")),
                               make_id_card(region, born, (n + 331 * (k + 1)) % 1000), health=Health.HEALTHY,
                               schooling=school, work=Work.STUDENT, income=Decimal(0)))
    return members, causes




def load(scale: str, log: Callable[[str], None] = print) -> dict[str, int]:
    rng = random.Random(1414)
    province = Org.objects.filter(code=PROVINCE_CODE).first() or Org.objects.filter(depth=1).first()
    if province is None:
        return {"files": 0, "members": 0, "exited": 0, "open": 0}
    size = SIZES.get(scale, SIZES["demo"])
    today = timezone.localdate()
    with transaction.atomic():
        for code, amount in THRESHOLDS.items():
            org = Org.objects.filter(code=code).first()
            if org is not None:
                CareSetting.objects.update_or_create(org=org, defaults={"monthly_minimum": amount})
        settings = {s.org.path: s.monthly_minimum for s in CareSetting.objects.select_related("org")}
        caseworker = _caseworker()
        people = list(Person.objects.filter(employer__path__startswith=province.path)
                      .select_related("employer").order_by("id")[7: 7 + size * 9: 9])
        unions: dict[int, Org | None] = {}
        approvers: dict[int, Org] = {}
        files: list[HouseholdFile] = []
        households: list[list[dict[str, Any]]] = []
        for n, person in enumerate(people):
            key = person.employer_id
            if key not in unions:
                unions[key] = person.employer.grassroots_union()
            union = unions[key]
            if union is None:
                continue
            region = (person.employer.region_code or "370102")[:6]
            members, causes = _household(rng, person, n, region if len(region) == 6 else "370102")
            line = next((v for p, v in sorted(settings.items(), key=lambda kv: -len(kv[0]))
                         if union.path.startswith(p)), None)
            result = grading.grade([grading.MemberFacts(m["relation"], m["health"], m["work"], m["monthly_income"])
                                    for m in members], causes, line)
            if not result.grade:
                continue
            entered = today - datetime.timedelta(days=rng.randrange(30, 730))
            if union.pk not in approvers:
                approvers[union.pk] = approving_union(union)
            f = HouseholdFile(person=person, union=union, approver=approvers[union.pk],
                              caseworker=caseworker if union.code == CASEWORKER_ORG else None,
                              housing=rng.choice(Housing.values), status=FileStatus.ACTIVE, grade=result.grade,
                              grade_reasons=list(result.reasons), entry_grade=result.grade, threshold=line,
                              entered_on=entered, next_review=entered + datetime.timedelta(days=365))
            f.causes = causes
            if entered < today - datetime.timedelta(days=365):  # reviewed once, a year after entry
                f.reviewed_on = entered + datetime.timedelta(days=365)
                f.next_review = f.reviewed_on + datetime.timedelta(days=365 if rng.random() < 0.9 else -400)
                if rng.random() < 0.12:
                    f.status, f.exited_on = FileStatus.EXITED, f.reviewed_on + datetime.timedelta(days=20)
                    f.exit_reason = rng.choice(("子女毕业就业，家庭收入高于当地标准", "本人病愈重新就业",
                                                "配偶就业，家庭人均收入超过困难标准"))
                    f.next_review = None
            files.append(f)
            households.append(members)
        HouseholdFile.objects.bulk_create(files, batch_size=2000)
        Member.objects.bulk_create([Member(file=f, **m) for f, ms in zip(files, households, strict=True)
                                    for m in ms], batch_size=2000)
        requests = []
        for f in files:
            requests.append(CareRequest(file=f, kind=RequestKind.FILING, state=RequestState.APPROVED))
            if f.status == FileStatus.EXITED:
                requests.append(CareRequest(file=f, kind=RequestKind.EXIT, state=RequestState.APPROVED,
                                            reason=f.exit_reason))
        active = [f for f in files if f.status == FileStatus.ACTIVE]
        waiting = active[::97]
        for i, f in enumerate(waiting):
            requests.append(CareRequest(file=f, kind=RequestKind.EXIT, reason="家庭收入已高于当地标准",
                                        state=RequestState.SUBMITTED if i % 2 else RequestState.CHECKED))
        CareRequest.objects.bulk_create(requests, batch_size=2000)
        audit.record_bulk(None, "care.file.filed", files, note="demo")
        facts.rebuild(["care"])
    exited = sum(1 for f in files if f.status == FileStatus.EXITED)
    log(f"  care: {len(files)} files")
    return {"files": len(files), "members": sum(len(m) for m in households), "exited": exited,
            "open": len(waiting)}


def _caseworker() -> User | None:
    org = Org.objects.filter(code=CASEWORKER_ORG, kind=OrgKind.GRASSROOTS).first()
    if org is None:
        return None
    user = User.objects.filter(username=CASEWORKER).first()
    if user is None:
        user = User(username=CASEWORKER, full_name="济钢工会帮扶干事")
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit.record(None, "orgs.account.created", user, after={"username": CASEWORKER}, org=org, note="demo")
    RoleGrant.objects.get_or_create(user=user, org=org, role=Role.STAFF)
    return user


def wipe() -> None:
    CareRequest.objects.all().delete()
    Member.objects.all().delete()
    HouseholdFile.objects.all().delete()
    CareSetting.objects.all().delete()
    User.objects.filter(username=CASEWORKER).delete()
    facts.rebuild(["care"])
