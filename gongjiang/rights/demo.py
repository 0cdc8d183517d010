"""The demo's democratic management and collective contracts, on the demo province's enterprises: a congress for
most of them (nearly every public one, about half of the non-public ones, small private firms of 历下 covered by a
regional congress), sessions and delegates from the roster, items made public, comprehensive, wage, women's and
safety contracts (a realistic share of them expiring within 90 days, a few older ones renewed), and 历下区's 要约
campaign of this year in progress; the county rights-officer persona.

Twenty thousand enterprises: the rows are written in bulk with one audit event per congress and contract
(`audit.record_bulk`), and the fact store rebuilt for the app once; the persona's own steps go through the verbs."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction

from gongjiang.core import audit
from gongjiang.orgs import facts
from gongjiang.orgs.choices import Gender, OrgKind, Role
from gongjiang.orgs.demo import DEMO_PASSWORD, PROVINCE_CODE
from gongjiang.orgs.models import Org, Person, RoleGrant, User

from . import services
from .choices import Channel, ContractKind, ContractState, OpennessTopic
from .models import BargainingCampaign, BoardSeat, Congress, Contract, Coverage, Delegate, Offer, OpennessItem, Session
from .rules import requirements

SEED = 2026
OFFICER = "lixia_rights"  # the county rights-officer persona
NOTE = "演示数据"
COUNTY = "370102"
TOPICS = list(OpennessTopic.values)
CHANNELS = list(Channel.values)
WOMEN = ["pregnancy", "maternity", "nursing", "screening", "menstrual", "harassment"]
SUBJECTS = ["薪酬调整", "安全生产", "福利费使用", "招聘录用"]


def wipe() -> None:
    from . import demo_protection

    demo_protection.wipe()
    Offer.objects.all().delete()
    BargainingCampaign.objects.all().delete()
    Contract.objects.filter(renews__isnull=False).delete()
    Coverage.objects.all().delete()
    Contract.objects.all().delete()
    BoardSeat.objects.all().delete()
    OpennessItem.objects.all().delete()
    Congress.objects.all().delete()
    User.objects.filter(username=OFFICER).delete()
    facts.rebuild(["rights"])


def _chance(ownership: str, employees: int) -> float:
    if ownership in ("state", "collective", "institution", "government"):
        return 0.96
    if requirements.non_public(ownership):
        return 0.75 if employees >= 100 else 0.4
    return 0.8


@transaction.atomic
def load(log: Callable[[str], None] = lambda s: None) -> dict[str, int]:
    rng = random.Random(SEED)
    today = datetime.date.today()
    year = today.year
    province = Org.objects.get(code=PROVINCE_CODE)
    enterprises = list(Org.objects.filter(path__startswith=province.path, kind=OrgKind.GRASSROOTS, is_active=True)
                       .only("pk", "path", "name", "ownership", "employee_count", "person_count", "industry_path")
                       .order_by("path"))
    roster: dict[int, list[tuple[int, bool, bool, bool]]] = {}
    by_path = {e.path: e.pk for e in enterprises}
    for pk, path, front, gender, migrant in (Person.objects.filter(employer__path__startswith=province.path)
                                             .values_list("pk", "employer__path", "is_front_line", "gender",
                                                          "is_migrant").order_by("pk")):
        ent = next((by_path[path[:k]] for k in range(4, len(path) + 1, 4) if path[:k] in by_path), None)
        if ent is not None and len(roster.setdefault(ent, [])) < 40:
            roster[ent].append((pk, front, gender == Gender.FEMALE, migrant))
    county_path = _county_path(COUNTY)
    small_private: list[Org] = []
    congresses: list[Congress] = []
    covered: list[list[Org]] = []
    for e in enterprises:
        if requirements.non_public(e.ownership) and e.employee_count < 100 and e.path.startswith(county_path):
            small_private.append(e)
            continue
        if rng.random() >= _chance(e.ownership, e.employee_count):
            continue
        start = datetime.date(year - rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28))
        start = min(start, today)
        term = rng.choice((3, 3, 5))
        form = "assembly" if e.employee_count < 100 else "congress"
        congresses.append(Congress(org=e, form=form, term=rng.randint(1, 6), established_on=start,
                                   ends_on=_end(start, term), note=NOTE))
        covered.append([e])
    county = Org.objects.filter(code=COUNTY).first()
    town = Org.objects.filter(path__startswith=county.path, kind=OrgKind.TOWN).order_by("path").first() if county \
        else None
    if town is not None and small_private:
        members = [e for e in small_private if e.path.startswith(town.path)][:30]
        if members:
            start = datetime.date(year - 1, 4, 15)
            congresses.append(Congress(org=town, form="regional", term=1, established_on=start,
                                       ends_on=_end(start, 3), note=NOTE))
            covered.append(members)
    Congress.objects.bulk_create(congresses, batch_size=2000)
    through = Congress.enterprises.through
    pairs = zip(congresses, covered, strict=True)
    through.objects.bulk_create([through(congress_id=c.pk, org_id=e.pk) for c, es in pairs
                                 for e in es], batch_size=5000)
    delegates, sessions = [], []
    for c, es in zip(congresses, covered, strict=True):
        people = [p for e in es for p in roster.get(e.pk, [])][:30]
        for pk, front, woman, migrant in people:
            delegates.append(Delegate(congress=c, person_id=pk, is_front_line=front, is_woman=woman,
                                      is_migrant=migrant, elected_on=c.established_on))
        n = len(people) or 1
        for i, y in enumerate(range(c.established_on.year, min(c.ends_on.year, year) + 1)):
            held = datetime.date(y, 3, rng.randint(1, 28))
            if c.established_on <= held <= min(c.ends_on, today) and people:
                sessions.append(Session(congress=c, number=i + 1, held_on=held, delegates=n,
                                        present=max(-(-n * 2 // 3), n - rng.randint(0, max(0, n // 4)))))
    Delegate.objects.bulk_create(delegates, batch_size=5000)
    Session.objects.bulk_create(sessions, batch_size=5000)
    log(f"  {len(congresses)} congresses, {len(delegates)} delegates, {len(sessions)} sessions")
    items = []
    for e in enterprises:
        if rng.random() < (0.55 if requirements.non_public(e.ownership) else 0.9):
            for y in (year - 1, year):
                for _i in range(rng.randint(1, 2)):
                    day = datetime.date(y, rng.randint(1, 12 if y < year else today.month), rng.randint(1, 28))
                    items.append(OpennessItem(enterprise=e, topic=rng.choice(TOPICS), channel=rng.choice(CHANNELS),
                                              title=f"{y}年度{rng.choice(SUBJECTS)}公开",
                                              published_on=min(day, today)))
    OpennessItem.objects.bulk_create(items, batch_size=5000)
    seats = []
    for e in enterprises:
        req = requirements.required(e.ownership, e.employee_count)
        people = roster.get(e.pk, [])
        if req.director and people and rng.random() < 0.8:
            seats.append(BoardSeat(enterprise=e, person_id=people[0][0], seat="director",
                                   elected_on=datetime.date(year - 1, 6, 1)))
        if req.supervisor and len(people) > 1 and rng.random() < 0.8:
            seats.append(BoardSeat(enterprise=e, person_id=people[1][0], seat="supervisor",
                                   elected_on=datetime.date(year - 1, 6, 1)))
    BoardSeat.objects.bulk_create(seats, batch_size=5000)
    contracts, coverage_of = _contracts(rng, enterprises, today)
    Contract.objects.bulk_create(contracts, batch_size=2000)
    Coverage.objects.bulk_create([Coverage(contract=c, enterprise=e, workers=w) for c, (e, w)
                                  in zip(contracts, coverage_of, strict=True)], batch_size=5000)
    renewals = _renewals(rng, contracts, coverage_of, today)
    log(f"  {len(items)} items made public, {len(seats)} board seats, {len(contracts) + renewals} contracts")
    audit.record_bulk(None, "rights.congress.recorded", congresses, note=NOTE)
    audit.record_bulk(None, "rights.contract.signed", contracts, note=NOTE)
    officer = _officer(county)
    offers = _campaign(rng, officer, county, today) if county is not None and officer is not None else 0
    from . import demo_protection

    protection = demo_protection.load(rng, enterprises, county, officer, today)  # part 3: checks, the 安康杯
    log(f"  {protection['checks']} labour protection checks, {protection['ankang_entries']} Ankang Cup entries")
    facts.rebuild(["rights"])
    return {"congresses": len(congresses), "contracts": len(contracts) + renewals, "offers": offers, **protection}


def _county_path(code: str) -> str:
    county = Org.objects.filter(code=code).only("path").first()
    return county.path if county is not None else "-"


def _end(start: datetime.date, years: int) -> datetime.date:
    from .rules.congress import term_end

    return term_end(start, years)


KINDS = [(ContractKind.COMPREHENSIVE, 0.85, 0.5), (ContractKind.WAGES, 0.8, 0.45), (ContractKind.WOMEN, 0.7, 0.3),
         (ContractKind.SAFETY, 0.4, 0.15)]  # (kind, public share, non-public share)


def _contracts(rng: random.Random, enterprises: list[Org], today: datetime.date) -> tuple[list[Contract], list[Any]]:
    contracts: list[Contract] = []
    coverage: list[Any] = []
    for e in enterprises:
        non_public = requirements.non_public(e.ownership)
        workers = max(e.employee_count, e.person_count, 5)
        for kind, public_share, private_share in KINDS:
            if rng.random() >= (private_share if non_public else public_share):
                continue
            # most in force, some expiring within the next 90 days (renewal due), a few just expired
            roll = rng.random()
            if roll < 0.12:
                ends = today + datetime.timedelta(days=rng.randint(0, 89))
            elif roll < 0.2:
                ends = today - datetime.timedelta(days=rng.randint(1, 200))
            else:
                ends = today + datetime.timedelta(days=rng.randint(90, 900))
            starts = _end(ends + datetime.timedelta(days=1), -rng.choice((1, 2, 3))) + datetime.timedelta(days=1)
            signed = min(starts, today)
            filed = rng.random() < 0.85
            contracts.append(Contract(
                org=e, kind=kind, title=f"{e.name.removesuffix('工会')}{kind.label}",
                employer_party=e.name.removesuffix("工会"), starts_on=starts, ends_on=ends,
                state=ContractState.FILED if filed else ContractState.SIGNED, signed_on=signed,
                filed_on=signed + datetime.timedelta(days=rng.randint(2, 10)) if filed else None,
                filed_with="人力资源和社会保障局" if filed else "", covered_workers=workers,
                min_wage=(rng.choice((2200, 2400, 2600, 2800))
                          if kind in (ContractKind.COMPREHENSIVE, ContractKind.WAGES) else None),
                wage_increase=rng.choice((3, 4, 5, 6)) if kind == ContractKind.WAGES else None,
                weekly_hours=40 if kind == ContractKind.COMPREHENSIVE else None,
                women_items=rng.sample(WOMEN, 3) if kind == ContractKind.WOMEN else []))
            coverage.append((e, workers))
    return contracts, coverage


def _renewals(rng: random.Random, contracts: list[Contract], coverage: list[Any], today: datetime.date) -> int:
    """Some contracts that ended lately were renewed: the renewal starts the day after."""
    made = []
    for c, (e, w) in zip(contracts, coverage, strict=True):
        if c.ends_on < today and rng.random() < 0.5:
            starts = c.ends_on + datetime.timedelta(days=1)
            made.append((Contract(org=e, kind=c.kind, title=c.title + "（续签）", employer_party=c.employer_party,
                                  starts_on=starts, ends_on=_end(starts, 3), state=ContractState.SIGNED,
                                  signed_on=min(starts, today), covered_workers=w, renews=c, min_wage=c.min_wage,
                                  wage_increase=c.wage_increase, weekly_hours=c.weekly_hours,
                                  women_items=c.women_items), e, w))
    Contract.objects.bulk_create([m[0] for m in made], batch_size=2000)
    Coverage.objects.bulk_create([Coverage(contract=c, enterprise=e, workers=w) for c, e, w in made], batch_size=5000)
    return len(made)


def _officer(county: Org | None) -> User | None:
    if county is None:
        return None
    user = User(username=OFFICER, full_name="历下区总工会民主管理部干部", phone="13800000017")
    user.set_password(DEMO_PASSWORD)
    user.save()
    RoleGrant.objects.create(user=user, org=county, role=Role.STAFF)
    audit.record(None, "orgs.account.created", user, after={"username": user.username}, org=county, note=NOTE)
    return user


def _campaign(rng: random.Random, officer: User, county: Org, today: datetime.date) -> int:
    """历下区's 要约 campaign of this year, through the verbs: offers to the enterprises without a wage contract in
    force, some answered, negotiating, signed or refused."""
    campaign = services.open_bargaining_campaign(actor=officer, org=county, year=today.year,
                                                 title=f"{today.year}年历下区工资集体协商要约行动")
    from . import queries

    targets = list(queries.lacking(county, today.year, ContractKind.WAGES)[:40])
    if not targets:
        return 0
    sent_on = max(today - datetime.timedelta(days=60), datetime.date(today.year, 1, 2))
    offers = services.send_offers(actor=officer, campaign=campaign, enterprises=targets, sent_on=sent_on)
    for offer in offers:
        roll = rng.random()
        day = sent_on
        steps = (["answered", "negotiating", "signed"] if roll < 0.25 else ["answered", "negotiating"] if roll < 0.5
                 else ["answered"] if roll < 0.7 else ["refused"] if roll < 0.8 else [])
        for step in steps:
            day = min(day + datetime.timedelta(days=rng.randint(3, 15)), today)
            offer = services.advance_offer(actor=officer, offer=offer, step=step, on=day)
    return len(offers)
