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
from gongjiang.core.errors import DomainError
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

__all__ = ["AID_OFFICER", "CASEWORKER", "DEMO_PASSWORD", "load", "wipe"]


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
        paid = aid(province, rng, today)
    exited = sum(1 for f in files if f.status == FileStatus.EXITED)
    log(f"  care: {len(files)} files, {paid['cycles']} aid cycles paid, {paid['offers']} job offers")
    return {"files": len(files), "members": sum(len(m) for m in households), "exited": exited,
            "open": len(waiting), **paid}


AID_OFFICER = "aid_officer"
BANKS = ("中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "齐鲁银行")


def _aid_officer(province: Org) -> User:
    """The province's aid centre officer (省总帮扶中心): approves the cycles the province administrator confirms."""
    user = User.objects.filter(username=AID_OFFICER).first()
    if user is None:
        user = User(username=AID_OFFICER, full_name="省总帮扶中心")
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit.record(None, "orgs.account.created", user, after={"username": AID_OFFICER}, org=province,
                     note="demo")
    RoleGrant.objects.get_or_create(user=user, org=province, role=Role.STAFF)
    return user


def _pay(cycle: Any, admin: User, rng: random.Random, day: datetime.date) -> None:
    """Bank batches per city (two transfers returned as failed, paid again in cash), cash for households without an
    account, then the cycle closed as reconciled — all through the verbs."""
    from . import services
    from .models import Budget, Entitlement

    cities = [b.org for b in Budget.objects.filter(cycle=cycle).select_related("org") if b.org.kind == OrgKind.CITY]
    failed = 0
    for city in cities:
        try:
            batch = services.make_bank_batch(actor=admin, cycle=cycle, org=city)
        except DomainError:  # a city without a household with a bank account
            continue
        rows = []
        for p in batch.payments.all():
            bad = failed < 2 and rng.random() < 0.01
            failed += bad
            rows.append({"reference": p.reference, "result": "失败" if bad else "成功", "paid_on": day,
                         "note": "账户已销户" if bad else ""})
        services.export_batch(actor=admin, batch=batch)
        services.reconcile_batch(actor=admin, batch=batch, rows=rows)
    for e in Entitlement.objects.filter(cycle=cycle, state="listed").exclude(payment__state="paid").select_related(
            "file__person", "file__union"):
        services.record_payment(actor=admin, cycle=cycle, file=e.file, method=rng.choice(("cash", "in_kind")),
                                signed_by=e.file.person.name, paid_on=day, signature_note="签收表已存档")
    services.close_cycle(actor=admin, cycle=cycle)


def _cycle(programme: Any, name: str, year: int, admin: User, officer: User, rng: random.Random,
           day: datetime.date, remove: int = 0) -> Any:
    from . import services
    from .models import Entitlement
    from .services.aid import _candidates as candidates

    cycle = services.create_cycle(actor=admin, programme=programme, name=name, year=year, budget="0")
    wanted = candidates(cycle, day)
    need: dict[int, Decimal] = {}
    paths = dict(Org.objects.filter(pk__in={r[1] for r in wanted}).values_list("pk", "path"))
    cities = list(Org.objects.filter(kind=OrgKind.CITY, path__startswith=programme.owner.path))
    for _pk, union_id, _grade, value, _reasons in wanted:
        city = next((c for c in cities if paths[union_id].startswith(c.path)), None)
        if city is not None:
            need[city.pk] = need.get(city.pk, Decimal(0)) + value
    total = sum(need.values(), Decimal(0))
    services.set_budget(actor=admin, cycle=cycle, org=programme.owner, amount=str(total + 5000 * len(need) + 20000))
    for city in cities:
        if city.pk in need:
            services.set_budget(actor=admin, cycle=cycle, org=city, amount=str(need[city.pk] + 5000))
    services.build_cycle(actor=admin, cycle=cycle)
    for e in Entitlement.objects.filter(cycle=cycle).select_related("union")[:remove]:
        services.remove_entitlement(actor=admin, entitlement=e, org=programme.owner, reason="已享受同类救助")
    services.confirm_list(actor=admin, cycle=cycle)
    services.approve_cycle(actor=officer, cycle=cycle)
    _pay(cycle, admin, rng, day)
    return cycle


def aid(province: Org, rng: random.Random, today: datetime.date) -> dict[str, int]:
    """Two Spring Festival 送温暖 cycles and one 金秋助学 cycle of the province, paid and reconciled; a 医疗救助
    programme paying a share of the cost; job offers with matches and outcomes."""
    from . import services
    from .models import JobMatch, PayeeAccount

    admin = User.objects.filter(username="province_admin").first()
    if admin is None:
        return {"cycles": 0, "offers": 0}
    officer = _aid_officer(province)
    accounts = []
    for pk, name in HouseholdFile.objects.filter(status=FileStatus.ACTIVE).values_list("pk", "person__name"):
        if rng.random() < 0.98:
            number = "62" + "".join(rng.choice("0123456789") for _ in range(17))
            accounts.append(PayeeAccount(file_id=pk, holder=name, bank_name=rng.choice(BANKS),
                                         number_encrypted=encrypt(number), number_masked="*" * 15 + number[-4:]))
    PayeeAccount.objects.bulk_create(accounts, batch_size=2000)
    year = today.year
    warmth = services.create_programme(
        actor=admin, owner=province, name="春节送温暖", kind="warmth",
        eligibility_rule={"grades": ["deep", "relative"]},
        amount_rule={"kind": "by_grade", "amounts": {"deep": "1000", "relative": "600"}, "monotone": True},
        starts_on=datetime.date(year - 1, 1, 1), ends_on=datetime.date(year + 2, 12, 31))
    school = services.create_programme(
        actor=admin, owner=province, name="金秋助学", kind="schooling", eligibility_rule={"university_child": True},
        amount_rule={"kind": "fixed", "amount": "3000"}, starts_on=datetime.date(year, 7, 1),
        ends_on=datetime.date(year + 2, 9, 30))
    services.create_programme(
        actor=admin, owner=province, name="困难职工医疗救助", kind="medical",
        eligibility_rule={"grades": ["deep", "relative", "sudden"], "causes": ["illness", "disability"]},
        amount_rule={"kind": "by_cost", "share": "0.6", "cap": "5000"}, starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year + 2, 12, 31))
    spring = [d for d in (datetime.date(year - 1, 1, 20), datetime.date(year, 2, 5)) if d <= today]
    n = 0
    for day in spring:
        _cycle(warmth, f"{day.year}年春节送温暖", day.year, admin, officer, rng, day, remove=2)
        n += 1
    autumn = datetime.date(year, 8, 25) if datetime.date(year, 8, 25) <= today else datetime.date(year - 1, 8, 25)
    _cycle(school, f"{autumn.year}年金秋助学", autumn.year, admin, officer, rng, autumn)
    n += 1
    offers = 0
    for code, kind, employer, title, places in (("370102", "job", "历下区物业服务中心", "物业维修工", 4),
                                                 ("3701", "training", "济南市技师学院", "电工技能培训", 10),
                                                 ("3702", "job", "青岛港集团", "装卸工", 6)):
        org = Org.objects.filter(code=code).first()
        if org is None:
            continue
        offer = services.create_job_offer(actor=admin, org=org, kind=kind, employer=employer, title=title,
                                          places=places)
        services.match_offer(actor=admin, offer=offer)
        offers += 1
        for i, match in enumerate(JobMatch.objects.filter(offer=offer).select_related("union")):
            if i % 3 != 2:
                services.record_outcome(actor=admin, match=match, outcome=(
                    "declined" if i % 5 == 4 else "trained" if kind == "training" else "employed"),
                    day=today - datetime.timedelta(days=10 + i))
    return {"cycles": n, "offers": offers}


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
    from .models import Budget, Cycle, Entitlement, JobMatch, JobOffer, PayeeAccount, Payment, PaymentBatch, Programme

    for model in (JobMatch, JobOffer, Payment, PaymentBatch, Entitlement, Budget, Cycle, Programme, PayeeAccount):
        model.objects.all().delete()
    User.objects.filter(username=AID_OFFICER).delete()
    CareRequest.objects.all().delete()
    Member.objects.all().delete()
    HouseholdFile.objects.all().delete()
    CareSetting.objects.all().delete()
    User.objects.filter(username=CASEWORKER).delete()
    facts.rebuild(["care"])
