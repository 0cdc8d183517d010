"""Factories of the challenges' tests: a shared bank of the province (安全生产 questions of each kind), a bank of
Qingdao (not usable by Jinan), and a province challenge of two levels, published and open today."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from gongjiang.learning.models import Bank, Challenge, Level, Question, Tag

_n = itertools.count(1)
TITLES = ("安全常识", "操作规程", "应急处置")


def question(bank: Bank, kind: str = "single", *, answer: str = "A", options: list[str] | None = None,
             difficulty: int = 3, tags: tuple[str, ...] = (), blanks: list[list[str]] | None = None) -> Question:
    n = next(_n)
    if options is None:
        options = [f"选项{n}-{c}" for c in "ABCD"] if kind in ("single", "multiple") else []
    stem = f"第{n}题：安全生产知识（{kind}）"
    q = Question.objects.create(
        bank=bank, kind=kind, stem=stem, options=options, answer=answer if kind != "fill" else "",
        blanks=blanks or ([["二氧化碳", "CO2"]] if kind == "fill" else []), difficulty=difficulty,
        score=Decimal(1), explanation=f"解析{n}", fingerprint=hashlib.sha256(stem.encode()).hexdigest())
    q.family = q.pk
    q.save(update_fields=["family"])
    for name in tags:
        q.tags.add(Tag.objects.get_or_create(name=name)[0])
    bank.question_count += 1
    bank.save(update_fields=["question_count"])
    return q


def bank(org: Any, name: str, *, shared: bool = True, singles: int = 12, truefalse: int = 4) -> Bank:
    b = Bank.objects.create(org=org, name=name, shared=shared)
    for i in range(singles):
        question(b, "single", answer="ABCD"[i % 4], difficulty=1 + i % 3, tags=("安全生产",) if i % 2 else ())
    for i in range(truefalse):
        question(b, "truefalse", answer="TF"[i % 2])
    return b


@dataclass
class Challenges:
    sd: Any
    bank: Bank
    qd_bank: Bank
    challenge: Challenge
    level1: Level
    level2: Level

    @property
    def organiser(self) -> Any:
        return self.sd.province_admin


def level(challenge: Challenge, number: int, banks: list[Bank], draw: list[dict[str, Any]] | None = None,
          **kw: Any) -> Level:
    lv = Level.objects.create(challenge=challenge, number=number, title=TITLES[(number - 1) % len(TITLES)],
                              draw=draw or [{"count": 3, "kinds": ["single"]}], time_limit=300, pass_mark=60,
                              points=10 * number, **kw)
    lv.banks.set(banks)
    return lv


def challenges(sd: Any, *, published: bool = True) -> Challenges:
    province_bank = bank(sd.province, "安全生产题库")
    qd_bank = bank(sd.qingdao, "青岛港口题库", singles=4, truefalse=0)
    today = timezone.localdate()
    c = Challenge.objects.create(org=sd.province, title="安全生产闯关", opens_on=today - datetime.timedelta(days=1),
                                 closes_on=today + datetime.timedelta(days=30), published=published,
                                 badge="安全达人")
    l1 = level(c, 1, [province_bank], badge="安全新手")
    l2 = level(c, 2, [province_bank], [{"count": 2, "kinds": ["truefalse"]}, {"count": 2, "kinds": ["single"]}])
    return Challenges(sd, province_bank, qd_bank, c, l1, l2)


def right_answers(attempt: Any) -> list[str]:
    """The right answer at each position of an attempt, as the page sends it (the displayed letters through the
    attempt's option order, "T"/"F", or the first accepted text of each blank)."""
    from gongjiang.learning.rules.scoring import SEP, displayed

    questions = Question.objects.in_bulk([item[0] for item in attempt.paper])
    found = []
    for qid, order in attempt.paper:
        q = questions[qid]
        if q.kind == "fill":
            found.append(SEP.join(variants[0] for variants in q.blanks))
        elif q.kind == "truefalse":
            found.append(q.answer)
        else:
            found.append(displayed(q.answer, order))
    return found


def take(attempt: Any, actor: Any, *, right: int | None = None, seconds: int = 1) -> Any:
    """Answer an attempt through the engine (the first `right` positions right, the others wrong; all right by
    default) and submit it."""
    from gongjiang.learning import tickets
    from gongjiang.learning.queries.attempts import ticket
    from gongjiang.learning.services import attempts

    now = attempt.started_at + datetime.timedelta(seconds=seconds)  # answered at the attempt's own time
    sheet = tickets.read(ticket(attempt))
    for i, given in enumerate(right_answers(attempt)):
        if right is not None and i >= right:
            given = {"T": "F", "F": "T"}.get(given) or ("B" if given != "B" else "A")
        attempts.answer(actor=sheet, position=i, given=given, now=now)
    return attempts.submit(actor=actor, attempt=attempt, now=now)


@pytest.fixture
def chinese(_english_messages: Any) -> Any:
    """The challenges' tests read the Chinese messages and pages (the package's conftest switches to English)."""
    with translation.override("zh-hans"):
        yield

