"""The demo's studios: about 900 劳模创新工作室, 高技能人才创新工作室, 职工创新工作室 and 创新型班组 hosted by the demo
province's enterprises with the most people — the lead a holder of a person's honour where the enterprise has one,
otherwise its most skilled worker, two to six members —, recognised by the province (省级, a few 国家级) or by their
city (市级), with their funding, the confirmed assessments of the last two years (mostly 合格, some 优秀, a few
不合格), this year's self-assessments of a sixth of them waiting for their assessing union, a dozen suspended after
two 不合格 in a row or for a serious fault and five of them revoked by a decision. Written in bulk (the verbs take a
few hundred milliseconds each); the registration is audited in bulk, the counters rebuilt from the rows."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.core import audit
from gongjiang.core.rubrics import rubric as engine
from gongjiang.core.rubrics import scoring
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Org, Person, User
from gongjiang.orgs.scoping import ancestors

from . import studio_rubrics
from .models import (
    Assessment,
    AssessmentScore,
    Holder,
    Rubric,
    Studio,
    StudioFunding,
    StudioMember,
    StudioStatusChange,
)
from .rules import studios as rules
from .studio_choices import AssessmentState, MemberRole, Result, StudioKind, StudioLevel, StudioStatus

SEED = 11
TARGET = 900
KINDS = [(StudioKind.MODEL_WORKER, 40), (StudioKind.SKILLED, 25), (StudioKind.WORKER, 25), (StudioKind.TEAM, 10)]
NAMES = {StudioKind.MODEL_WORKER: "{lead}劳模创新工作室", StudioKind.SKILLED: "{lead}技能大师创新工作室",
         StudioKind.WORKER: "{host}{field}职工创新工作室", StudioKind.TEAM: "{field}创新型班组"}
FIELDS = ("设备维修", "工艺改进", "节能降耗", "数控加工", "电气自动化", "质量检测", "焊接技术", "安全生产", "智能制造",
          "新材料应用")
SOURCES = ("省总工会创新补助资金", "市总工会创新补助资金", "企业配套资金")
# The points of each result profile for the six (or five) items, as shares of each item's maximum.
PROFILES = {Result.EXCELLENT: (0.88, 0.98), Result.PASS: (0.62, 0.84), Result.FAIL: (0.3, 0.55)}


def _answers(rng: random.Random, r: engine.Rubric, profile: str, veto: bool = False) -> dict[str, scoring.Answer]:
    """Answers of the profile: the 打分 items within its shares, now and then a national honour (a bonus) for an
    excellent studio or misused funds (a deduction) for a failing one; `veto`: the materials were falsified."""
    low, high = PROFILES[Result(profile)]
    out: dict[str, scoring.Answer] = {}
    for i in r.leaves():
        if i.mode == engine.POINTS:
            out[i.key] = (i.points * Decimal(str(round(rng.uniform(low, high), 2)))).quantize(Decimal("1"))
        elif i.mode == engine.BONUS:
            out[i.key] = Decimal(1 if profile == Result.EXCELLENT and rng.random() < 0.3 else 0)
        elif i.mode == engine.DEDUCTION:
            out[i.key] = Decimal(1 if profile == Result.FAIL and rng.random() < 0.3 else 0)
        elif i.mode == engine.VETO:
            out[i.key] = veto and i.key == "fraud"
    return out


def _candidates(province: Org) -> tuple[list[Org], dict[int, list[tuple[int, str, int]]]]:
    """The enterprises with at least three people, most people first, and each one's people (id, name, grade)."""
    enterprises = {o.path: o for o in Org.objects.filter(path__startswith=province.path, kind=OrgKind.GRASSROOTS,
                                                         is_active=True)}
    people: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for pk, name, grade, path in (Person.objects.filter(employer__path__startswith=province.path)
                                  .values_list("pk", "name", "skill_grade", "employer__path").order_by("pk")):
        for p in ancestors(path):
            if p in enterprises:
                people[enterprises[p].pk].append((pk, name, grade))
                break
    found = sorted((o for o in enterprises.values() if len(people[o.pk]) >= 3),
                   key=lambda o: (-len(people[o.pk]), o.path))
    return found, people


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, int]:
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = today.year
    province = Org.objects.get(code=PROVINCE_CODE)
    admin = User.objects.get(username="province_admin")
    studio_rubrics.load(Rubric)
    rubrics = {r.kind: r for r in Rubric.objects.all()}
    engines = {kind: r.rules for kind, r in rubrics.items()}
    enterprises, people = _candidates(province)
    jigang = next((o for o in enterprises if o.code == "370102001001"), None)
    chosen = enterprises[:TARGET // 2]
    if jigang is not None and jigang not in chosen:
        chosen.insert(0, jigang)
    cities = {o.path: o for o in Org.objects.filter(path__startswith=province.path, kind=OrgKind.CITY)}
    honoured = set(Holder.objects.filter(person__isnull=False).values_list("person_id", flat=True))

    studios: list[Studio] = []
    members: dict[int, list[tuple[int, str]]] = {}
    for host in chosen:
        crew = people[host.pk]
        per_host = 1 if len(studios) >= TARGET else (3 if len(crew) >= 12 else 2 if len(crew) >= 6 else 1)
        city = next((cities[p] for p in ancestors(host.path) if p in cities), None)
        taken: set[int] = set()
        for _n in range(per_host):
            if len(studios) >= TARGET:
                break
            free = [p for p in crew if p[0] not in taken]
            if len(free) < 3:
                break
            kind = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
            lead = next((p for p in free if p[0] in honoured), None) or max(free, key=lambda p: (
                p[2] == 1, -p[2] if p[2] else -9, p[0]))
            level = StudioLevel.CITY if city is not None and rng.random() < 0.65 else (
                StudioLevel.NATIONAL if rng.random() < 0.08 else StudioLevel.PROVINCE)
            if host is jigang and not studios:
                kind, level = StudioKind.MODEL_WORKER, StudioLevel.PROVINCE
            field = rng.choice(FIELDS)
            name = NAMES[kind].format(lead=lead[1], host=host.short_name or host.name.removesuffix("工会")[:10],
                                      field=field)
            if any(s.host_id == host.pk and s.name == name for s in studios[-4:]):
                name = f"{name}（{_n + 1}）"
            studio = Studio(name=name, kind=kind, lead_id=lead[0], host=host, city=city, level=level,
                            year=year - rng.randint(2, 8),
                            recognised_by=city if level == StudioLevel.CITY and city is not None else province,
                            specialty=field, created_by=admin)
            taken.add(lead[0])
            crew_of = [p for p in free if p[0] != lead[0]][: rng.randint(2, 6)]
            taken.update(p[0] for p in crew_of)
            roles = [MemberRole.CORE, MemberRole.MEMBER, MemberRole.APPRENTICE]
            members[len(studios)] = [(p[0], roles[min(i, 2)] if i < 2 else rng.choice(roles)) for i, p in
                                     enumerate(crew_of)]
            studios.append(studio)
    Studio.objects.bulk_create(studios, batch_size=1000)
    StudioMember.objects.bulk_create([
        StudioMember(studio=studios[i], person_id=pk, role=role, joined_on=datetime.date(studios[i].year, 3, 1))
        for i, rows in members.items() for pk, role in rows], batch_size=2000)
    StudioFunding.objects.bulk_create([
        StudioFunding(studio=s, year=y, amount=Decimal(rng.randint(20, 300)) / 10, source=rng.choice(SOURCES),
                      recorded_by=admin)
        for s in studios for y in (year - 2, year - 1) if s.year <= y and rng.random() < 0.6], batch_size=2000)
    audit.record_bulk(admin, "honours.studio.registered", studios, note="演示数据")
    log(f"honours: {len(studios)} studios with {sum(len(v) for v in members.values())} members")

    # Two years of confirmed assessments; a dozen fail both years (suspended, five of them then revoked).
    failing = set(rng.sample(range(len(studios)), min(12, len(studios) // 10)))
    if jigang is not None and studios and studios[0].host_id == jigang.pk:
        failing.discard(0)
    assessments: list[Assessment] = []
    scores: list[tuple[int, dict[str, scoring.Answer], scoring.Score]] = []
    vetoed = min(failing) if failing else None  # one failing studio falsified its materials last year
    for y in (year - 2, year - 1):
        for i, s in enumerate(studios):
            if s.year >= y:
                continue
            profile = Result.FAIL if i in failing else rng.choices(
                [Result.EXCELLENT, Result.PASS, Result.FAIL], [25, 68, 7])[0]
            if profile == Result.FAIL and i not in failing and y == year - 1:
                profile = Result.PASS  # a single fail last year only where it is not the second
            r = engines[s.kind]
            answers = _answers(rng, r, profile, veto=i == vetoed and y == year - 1)
            score = scoring.score(r, answers)
            result = rules.result(score, r)
            at = timezone.make_aware(datetime.datetime(y, 12, 20, 10))
            assessments.append(Assessment(
                studio=s, year=y, rubric=rubrics[s.kind], definition=rubrics[s.kind].definition,
                assessing_id=s.recognised_by_id, state=AssessmentState.CONFIRMED, self_total=score.total,
                total=score.total, result=result, apprentices=rng.randint(0, 6), self_by=admin, self_at=at,
                confirmed_by=admin, confirmed_at=at, counted={}))
            scores.append((len(assessments) - 1, answers, score))
            s.last_year, s.last_result = y, result
    # this year's self-assessments of a sixth of the studios, waiting for their assessing union
    for i, s in enumerate(studios):
        if i % 6 == 1 and i not in failing and s.year < year:
            answers = _answers(rng, engines[s.kind], Result.PASS)
            score = scoring.score(engines[s.kind], answers)
            assessments.append(Assessment(
                studio=s, year=year, rubric=rubrics[s.kind], definition=rubrics[s.kind].definition,
                assessing_id=s.recognised_by_id, state=AssessmentState.SELF, self_total=score.total,
                apprentices=rng.randint(0, 4), self_by=admin, self_at=timezone.now(), counted={}))
            scores.append((len(assessments) - 1, answers, score))
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    AssessmentScore.objects.bulk_create([
        AssessmentScore(assessment=assessments[a], key=key, self_answer=scoring.encode(answer),
                        self_points=score.items[key],
                        **({"answer": scoring.encode(answer), "points": score.items[key]}
                           if assessments[a].state == AssessmentState.CONFIRMED else {}))
        for a, answers, score in scores for key, answer in answers.items()], batch_size=5000)

    changes: list[StudioStatusChange] = []
    for n, i in enumerate(sorted(failing)):
        s = studios[i]
        if s.year >= year - 2:
            continue
        changes.append(StudioStatusChange(studio=s, on=datetime.date(year - 1, 12, 20), before=StudioStatus.ACTIVE,
                                          after=StudioStatus.SUSPENDED, decided_by_id=s.recognised_by_id, by=admin,
                                          reason=f"{year - 2}年、{year - 1}年连续两年年度考核不合格。"))
        s.status = StudioStatus.SUSPENDED
        if n % 2 == 0:
            changes.append(StudioStatusChange(
                studio=s, on=today - datetime.timedelta(days=30 + n), before=StudioStatus.SUSPENDED,
                after=StudioStatus.REVOKED, decided_by_id=s.recognised_by_id, by=admin,
                reason="连续两年考核不合格，限期整改后仍未达到要求。", decision=f"鲁工发〔{year}〕{20 + n}号"))
            s.status = StudioStatus.REVOKED
    for i in rng.sample([i for i in range(len(studios)) if i not in failing and i], min(3, len(studios) // 20)):
        s = studios[i]
        changes.append(StudioStatusChange(studio=s, on=today - datetime.timedelta(days=10 + i % 20),
                                          before=StudioStatus.ACTIVE, after=StudioStatus.SUSPENDED,
                                          decided_by_id=s.recognised_by_id, by=admin,
                                          reason="依托单位发生较大安全生产责任事故，暂停工作室资格，限期整改。"))
        s.status = StudioStatus.SUSPENDED
    StudioStatusChange.objects.bulk_create(changes)
    Studio.objects.bulk_update(studios, ["status", "last_year", "last_result"], batch_size=1000)
    rows = facts.rebuild(["honours"])  # the figures of the rows made in bulk (studio_counters.rows)
    log(f"honours: {len(assessments)} studio assessments, {len(changes)} status changes, {rows} figure rows")
    return {"studios": len(studios), "assessments": len(assessments),
            "suspended": sum(s.status == StudioStatus.SUSPENDED for s in studios),
            "revoked": sum(s.status == StudioStatus.REVOKED for s in studios)}


def wipe() -> None:
    from .models import AssessmentFile

    AssessmentFile.objects.all().delete()
    Studio.objects.all().delete()  # members, funding, assessments, scores and status changes go with it
    facts.rebuild(["honours"])


__all__: list[Any] = ["load", "wipe"]
