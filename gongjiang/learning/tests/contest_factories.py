"""Test builders for the contests part on the factory province (`sd`): a shared bank of the province with single
choice questions (answer A), a contest of the province (published, open now unless told otherwise), standings and
attempts written as the fold and the engine would leave them (for the ranking and report tests that need no
answering), and a competition round with registered contestants (the theory exam's round)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.learning.choices import AttemptState, BoardKind, Purpose
from gongjiang.learning.models import Attempt, Bank, Contest, OrgStanding, Question, Standing, Tag
from gongjiang.orgs.models import Org, Person

_seq = itertools.count(1)


def bank(org: Org, name: str = "", n: int = 12, shared: bool = True, tag: str = "") -> Bank:
    b = Bank.objects.create(org=org, name=name or f"安全生产题库{next(_seq)}", shared=shared, question_count=n)
    found = Tag.objects.get_or_create(name=tag)[0] if tag else None
    for _i in range(n):
        k = next(_seq)
        q = Question.objects.create(bank=b, kind="single", stem=f"第{k}题：安全帽的作用是？",
                                    options=["防护头部", "装饰", "遮阳", "挡雨"], answer="A",
                                    explanation="防护头部", fingerprint=f"fp{k}", score=Decimal(5))
        Question.objects.filter(pk=q.pk).update(family=q.pk)
        if found is not None:
            q.tags.add(found)
    return b


def paper_data(b: Bank, **kw: Any) -> dict[str, Any]:
    now = timezone.now()
    data = {"title": "安全生产知识竞赛", "description": "", "opens_at": now - datetime.timedelta(hours=1),
            "closes_at": now + datetime.timedelta(days=1), "banks": [b.pk], "draw": [{"count": 5}],
            "time_limit": 600, "pass_mark": 60, "max_attempts": 2, "partial": 50, "shuffle": True,
            "prizes": {"一等奖": 1, "二等奖": 2}}
    data.update(kw)
    return data


def contest(sd: Any, b: Bank | None = None, *, publish: bool = True, org: Org | None = None, **kw: Any) -> Contest:
    from gongjiang.learning.services import contests as services

    org = org or sd.province
    b = b or bank(org)
    c = services.create_contest(actor=sd.province_admin, org=org, data=paper_data(b, **kw))
    if publish:
        c = services.publish_contest(actor=sd.province_admin, contest=c)
    return c


def standing(c: Contest, person: Person, score: str, seconds: int, reached: datetime.datetime | None = None,
             unit: Org | None = None) -> Standing:
    return Standing.objects.create(kind=BoardKind.CONTEST, board=c.pk, person=person, unit=unit or person.employer,
                                   score=Decimal(score), seconds=seconds, attempts=1,
                                   reached_at=reached or timezone.now())


def org_standing(c: Contest, org: Org, takers: int, attempts: int, score_sum: str) -> OrgStanding:
    return OrgStanding.objects.create(kind=BoardKind.CONTEST, board=c.pk, org=org, takers=takers,
                                      attempts=attempts, score_sum=Decimal(score_sum))


def done_attempt(c: Contest, person: Person, *, score: str = "25", seconds: int = 300, signature: str = "",
                 started: datetime.datetime | None = None, number: int = 1) -> Attempt:
    """A submitted attempt as the engine leaves it (for the report's tests: no answering needed)."""
    started = started or timezone.now() - datetime.timedelta(minutes=10)
    return Attempt.objects.create(
        person=person, unit=person.employer, purpose=Purpose.CONTEST, contest=c, number=number, paper=[],
        started_at=started, deadline=started + datetime.timedelta(seconds=c.time_limit),
        submitted_at=started + datetime.timedelta(seconds=seconds), state=AttemptState.SUBMITTED,
        score=Decimal(score), max_score=Decimal(25), seconds=seconds, signature=signature, folded=True)


def workers(unit: Org, n: int, prefix: str = "职工") -> list[Person]:
    from gongjiang.orgs.tests import factories as of

    return [of.person(unit, f"{prefix}{next(_seq)}")
            for _ in range(n)]
