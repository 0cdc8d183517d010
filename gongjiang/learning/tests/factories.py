"""Factories of the learning tests: a bank with questions of every kind, a challenge's level, a contest, a worker
with an account."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.learning.models import Bank, Challenge, Contest, Level, Question
from gongjiang.learning.rules.banks import fingerprint as banks_fingerprint


def question(bank: Bank, kind: str = "single", stem: str | None = None, **kw: Any) -> Question:
    n = Question.objects.count() + 1
    stem = stem or f"第{n}题：安全生产法规定的内容是什么？"
    defaults: dict[str, Any] = {
        "single": {"options": ["甲", "乙", "丙", "丁"], "answer": "B"},
        "multiple": {"options": ["甲", "乙", "丙", "丁", "戊"], "answer": "ACD"},
        "truefalse": {"answer": "T"},
        "fill": {"blanks": [["二氧化碳", "CO2"], ["氧气"]]},
    }[kind]
    defaults.update(kw)
    q = Question(bank=bank, kind=kind, stem=stem, score=defaults.pop("score", Decimal(1)),
                 fingerprint=banks_fingerprint(stem, defaults.get("options", [])), **defaults)
    q.save()
    q.family = q.pk
    q.save(update_fields=["family"])
    Bank.objects.filter(pk=bank.pk).update(question_count=Question.objects.filter(bank=bank, current=True).count())
    return q


def bank(org: Any, name: str = "安全生产题库", **counts: int) -> Bank:
    """A bank of `org` with `counts` questions of each kind (single=…, multiple=…, truefalse=…, fill=…)."""
    b = Bank.objects.create(org=org, name=name)
    for kind, n in (counts or {"single": 4, "multiple": 2, "truefalse": 2, "fill": 1}).items():
        for _i in range(n):
            question(b, kind)
    b.refresh_from_db()
    return b


def level(org: Any, banks: list[Bank], *, number: int = 1, draw: list[dict[str, Any]] | None = None,
          challenge: Challenge | None = None, **kw: Any) -> Level:
    challenge = challenge or Challenge.objects.create(org=org, title="安全知识闯关", opens_on=timezone.localdate(),
                                                      published=True)
    lv = Level.objects.create(challenge=challenge, number=number, title=f"第{number}关",
                              draw=draw or [{"count": 5}], **kw)
    lv.banks.set(banks)
    return lv


def contest(org: Any, banks: list[Bank], *, draw: list[dict[str, Any]] | None = None, **kw: Any) -> Contest:
    now = timezone.now()
    fields: dict[str, Any] = {"opens_at": now - datetime.timedelta(hours=1),
                              "closes_at": now + datetime.timedelta(hours=1), "published": True}
    fields.update(kw)
    c = Contest.objects.create(org=org, title="节能减排知识竞赛", draw=draw or [{"count": 5}], **fields)
    c.banks.set(banks)
    return c
