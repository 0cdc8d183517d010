"""The demo's learning activity (DemoLoader "learning.activity", after the province's banks and the org tree): the
province's ten-level challenge 安全生产知识闯关 with workers climbing it, last month's finished province contest
百万职工节能减排百题知识竞赛 with 100,000 submitted attempts (at the demo scale) and their answers, a month of daily
practice, and the learner persona `xueyuan` (a front-line worker of 济钢 who has cleared three levels, failed the
fourth once, taken the contest and has wrong answers to practise). Then `counters.rebuild()`, so the standings,
the per-unit results and the daily figures (the fact store's, `facts.rebuild(["learning"])`) agree with the attempts.

Speed: the attempts, answers and wrong answers are generated in memory as plain tuples and written with
`core.bulk.insert_rows` (COPY on PostgreSQL, one executemany on SQLite); no model instances, no per-row service
call. A fixed seed makes every run identical. Every answer is generated as the page would store it (the displayed
letters through the attempt's option order, "T"/"F", or the blanks' texts) and the attempt's score is the sum of
the points `rules.scoring.mark` gives them (a wrong answer earns nothing: a wrong multiple choice always includes a
wrong option), so a review of any demo attempt agrees with its score."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from gongjiang.core.bulk import insert_rows, reserve_ids, reset_sequences
from gongjiang.orgs import facts
from gongjiang.orgs.demo import DEMO_PASSWORD, PROVINCE_CODE
from gongjiang.orgs.models import Fact, Org, Person, User

from .choices import AttemptState, Kind, Purpose
from .models import (
    Answer,
    Attempt,
    Bank,
    Challenge,
    Contest,
    Learner,
    Level,
    Mistake,
    OrgStanding,
    Question,
    Standing,
)
from .rules.scoring import LETTERS, SEP, Key, displayed, mark

LEARNER = "xueyuan"
LEARNER_PASSWORD = DEMO_PASSWORD
CHALLENGE_TITLE = "安全生产知识闯关"
CONTEST_TITLE = "百万职工节能减排百题知识竞赛"
SEED = 20261207
# (contest attempts, share of them whose answers are stored, challenge climbers, practice attempts) per scale
SCALES = {"tiny": (600, 1.0, 40, 120), "demo": (100_000, 0.2, 3_000, 6_000), "province": (100_000, 0.2, 6_000, 12_000)}
CONTEST_QUESTIONS = 20
CONTEST_LIMIT = 1200  # seconds
LEVELS = [  # (title, questions, pass mark %, time limit s, points, badge)
    ("安全常识", 5, 60, 300, 10, ""), ("个人防护", 5, 60, 300, 10, ""), ("用电安全", 6, 60, 360, 10, "用电能手"),
    ("消防安全", 6, 70, 360, 15, ""), ("危险化学品", 8, 70, 480, 15, ""), ("特种设备", 8, 70, 480, 15, "设备卫士"),
    ("有限空间", 10, 80, 600, 20, ""), ("应急救援", 10, 80, 600, 20, ""), ("事故案例", 12, 80, 720, 25, ""),
    ("安全法规", 15, 85, 900, 30, "安全标兵"),
]


class DemoError(RuntimeError):
    """The demo cannot be built on the database as it is (no province, no banks)."""


def loaded() -> bool:
    return Contest.objects.filter(title=CONTEST_TITLE).exists()


def wipe() -> None:
    """Delete the learning activity (attempts and all that is kept from them, the demo challenge and contest, the
    persona's account) before a reset."""
    for model in (Answer, Mistake, Standing, OrgStanding, Learner):
        model.objects.all()._raw_delete(model.objects.db)
    Attempt.objects.all()._raw_delete(Attempt.objects.db)
    facts.rebuild(["learning"])  # the attempts' figures go with them (the training's stay)
    Level.objects.filter(challenge__title=CHALLENGE_TITLE).delete()
    Challenge.objects.filter(title=CHALLENGE_TITLE).delete()
    Contest.objects.filter(title=CONTEST_TITLE).delete()
    User.objects.filter(username=LEARNER).delete()


# ---------------------------------------------------------------------------------------------
# Questions as the generator needs them


@dataclass(frozen=True)
class Q:
    id: int
    kind: str
    options: int
    answer: str
    blanks: tuple[tuple[str, ...], ...]
    score: Decimal
    difficulty: int

    def key(self) -> Key:
        return Key(self.kind, self.score, self.answer, self.blanks)


def _questions(banks: list[Bank]) -> list[Q]:
    found = []
    for pk, kind, options, answer, blanks, score, difficulty in (
            Question.objects.filter(bank__in=banks, current=True)
            .values_list("pk", "kind", "options", "answer", "blanks", "score", "difficulty").order_by("pk")):
        if kind == Kind.FILL and not blanks:
            continue
        if kind in (Kind.SINGLE, Kind.MULTIPLE) and (not options or not answer):
            continue
        found.append(Q(pk, kind, len(options or []), answer or "", tuple(tuple(b) for b in blanks or []),
                       Decimal(score), difficulty))
    return found


def _pick_banks(province: Org, words: tuple[str, ...]) -> list[Bank]:
    banks = list(Bank.objects.filter(org=province).order_by("pk"))
    chosen = [b for b in banks if any(w in b.name for w in words)]
    return chosen or banks


# ---------------------------------------------------------------------------------------------
# One attempt, as the page would have left it


@dataclass
class Made:
    paper: list[list[Any]]
    answers: list[tuple[int, str, Decimal, bool]]  # position, given, points, correct
    score: Decimal
    max_score: Decimal
    correct: int
    wrong: list[int]  # question ids answered wrong


def _answer(q: Q, order: str, right: bool, rng: random.Random) -> str:
    """The answer stored for `q` (displayed letters through `order`, "T"/"F", or the blanks' texts): the key when
    `right`, else a wrong one (which earns nothing)."""
    if q.kind == Kind.TRUE_FALSE:
        return q.answer if right else ("F" if q.answer == "T" else "T")
    if q.kind == Kind.FILL:
        if right:
            return SEP.join(b[0] for b in q.blanks)
        return SEP.join("不清楚" for _ in q.blanks)
    own = q.answer
    if not right:
        wrong_letters = [c for c in LETTERS[:q.options] if c not in own]
        if not wrong_letters:  # every option right: no wrong answer exists but leaving one out
            own = own[:-1] if len(own) > 1 else own
        elif q.kind == Kind.SINGLE:
            own = rng.choice(wrong_letters)
        else:
            own = "".join(sorted(set(own[: rng.randint(0, len(own))]) | {rng.choice(wrong_letters)}))
    return displayed(own, order)


def _attempt(questions: list[Q], skill: float, rng: random.Random, partial: int = 50, keep: bool = True) -> Made:
    """One attempt at `questions` by a worker of `skill`: the paper (option orders shuffled), and — when `keep` —
    every answer as stored with its points (`rules.scoring.mark`); otherwise only the score (the same draws)."""
    paper, answers, wrong = [], [], []
    score = max_score = Decimal(0)
    correct = 0
    for position, q in enumerate(questions):
        order = ""
        if q.options:
            letters = list(LETTERS[:q.options])
            rng.shuffle(letters)
            order = "".join(letters)
        paper.append([q.id, order])
        # the chance of a right answer: the learner's skill, less for a harder question
        right = rng.random() < max(0.05, min(0.98, skill - 0.07 * (q.difficulty - 3)))
        max_score += q.score
        if keep:
            given = _answer(q, order, right, rng)
            own = given if not order else "".join(sorted(order[LETTERS.index(c)] for c in given))
            m = mark(q.key(), own, partial)
            answers.append((position, given, m.points, m.correct))
            points, right = m.points, m.correct
        else:
            points = q.score if right else Decimal(0)
        score += points
        if right:
            correct += 1
        else:
            wrong.append(q.id)
    return Made(paper, answers, score, max_score, correct, wrong)


def _signature(answers: list[tuple[int, str, Decimal, bool]]) -> str:
    return hashlib.md5("|".join(a[1] for a in answers).encode(), usedforsecurity=False).hexdigest()


# ---------------------------------------------------------------------------------------------
# Writing


class Writer:
    """Collects attempts, their answers and the wrong answers as tuples and writes them in batches."""

    ATTEMPT_FIELDS = ["id", "person", "unit", "purpose", "level", "contest", "number", "paper", "started_at",
                      "deadline", "submitted_at", "state", "score", "max_score", "correct", "passed", "seconds",
                      "signature", "folded"]
    ANSWER_FIELDS = ["attempt", "position", "given", "saved_at", "points", "correct"]
    BATCH = 20_000

    def __init__(self, total: int) -> None:
        self.ids = iter(reserve_ids(Attempt, total))
        self.attempts: list[tuple[Any, ...]] = []
        self.answers: list[tuple[Any, ...]] = []
        self.mistakes: dict[tuple[int, int], list[Any]] = {}  # (person, question) -> [times, last_at]
        self.counts = {"attempts": 0, "answers": 0}

    def add(self, *, person: int, unit: int, purpose: str, made: Made, started: datetime.datetime, limit: int,
            seconds: int, pass_mark: int, number: int = 1, level: int | None = None, contest: int | None = None,
            keep_answers: bool = True) -> None:
        pk = next(self.ids)
        submitted = started + datetime.timedelta(seconds=seconds)
        passed = purpose == Purpose.PRACTICE or (made.max_score > 0 and made.score * 100 >= made.max_score * pass_mark)
        self.attempts.append((pk, person, unit, purpose, level, contest, number, json.dumps(made.paper), started,
                              started + datetime.timedelta(seconds=limit), submitted, AttemptState.SUBMITTED,
                              made.score, made.max_score, made.correct, passed, seconds, _signature(made.answers),
                              False))
        if keep_answers:
            self.answers.extend((pk, pos, given, submitted, points, right)
                                for pos, given, points, right in made.answers)
            for q in made.wrong:
                seen = self.mistakes.get((person, q))
                if seen is None:
                    self.mistakes[(person, q)] = [1, submitted]
                else:
                    seen[0] += 1
                    seen[1] = max(seen[1], submitted)
        if len(self.answers) >= self.BATCH * 10 or len(self.attempts) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.attempts:
            self.counts["attempts"] += insert_rows(Attempt, self.ATTEMPT_FIELDS, self.attempts)
            self.attempts = []
        if self.answers:
            self.counts["answers"] += insert_rows(Answer, self.ANSWER_FIELDS, self.answers)
            self.answers = []

    def finish(self) -> int:
        self.flush()
        rows = ((p, q, times, last, False) for (p, q), (times, last) in self.mistakes.items())
        made = insert_rows(Mistake, ["person", "question", "times", "last_at", "cleared"], rows)
        reset_sequences(Attempt, Answer, Mistake)
        return made


# ---------------------------------------------------------------------------------------------
# The loader


def _skill(rng: random.Random) -> float:
    """A worker's chance of a right answer to a question of middling difficulty (most between 0.55 and 0.9)."""
    return min(0.97, max(0.25, rng.betavariate(7, 2.6)))


def _peak_moment(rng: random.Random, first: datetime.datetime, days: int) -> datetime.datetime:
    """A start time in a contest of `days` days: a third on the first morning, the rest spread with the
    lunchtime and evening peaks of a working day."""
    if rng.random() < 0.3:
        return first + datetime.timedelta(seconds=int(abs(rng.gauss(0, 1500))))
    day = min(days - 1, int(rng.expovariate(1 / max(1.0, days / 4))))
    hour = rng.choice((9, 10, 12, 12, 13, 19, 20, 20, 21, 15))
    return first.replace(hour=0) + datetime.timedelta(days=day, hours=hour, seconds=rng.randint(0, 3599))


def load(scale: str = "demo", log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Build the learning activity over the demo province and its banks; returns what was made and the timings."""
    from . import counters

    contest_n, answer_share, climbers, practice_n = SCALES.get(scale, SCALES["demo"])
    rng = random.Random(SEED)
    province = Org.objects.filter(code=PROVINCE_CODE, depth=1).first()
    if province is None:
        raise DemoError("the demo province is not loaded (load the orgs demo first)")
    admin = User.objects.filter(username="province_admin").first()
    t0 = time.perf_counter()
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    with transaction.atomic():
        safety = _questions(_pick_banks(province, ("安全",)))
        energy = _questions(_pick_banks(province, ("节能", "环保", "减排")))
        if len(safety) < max(n for _, n, *_ in LEVELS) or len(energy) < CONTEST_QUESTIONS:
            raise DemoError("the province's banks hold too few questions for the demo challenge and contest")
        # the challenge: ten levels, each drawing from the safety banks, harder as it goes
        challenge = Challenge.objects.create(
            org=province, title=CHALLENGE_TITLE,
            description="全省职工安全生产知识闯关答题，逐关解锁，通关获得“安全标兵”徽章。",
            opens_on=today - datetime.timedelta(days=75), closes_on=today + datetime.timedelta(days=120),
            published=True, badge="安全标兵", created_by=admin)
        challenge_banks = _pick_banks(province, ("安全",))
        levels: list[Level] = []
        for number, (title, count, pass_mark, limit, points, badge) in enumerate(LEVELS, start=1):
            wanted = [1, 2, 3] if number <= 3 else ([2, 3, 4] if number <= 7 else [3, 4, 5])
            pool = [q for q in safety if q.difficulty in wanted]
            rule: dict[str, Any] = {"count": count, "difficulty": wanted} if len(pool) >= count * 2 else \
                {"count": count}
            level = Level.objects.create(challenge=challenge, number=number, title=title, points=points, badge=badge,
                                         draw=[rule], time_limit=limit, pass_mark=pass_mark, max_attempts=0)
            level.banks.set(challenge_banks)
            levels.append(level)
        # the contest: last month, from the 1st at 9:00 to the 20th at 18:00
        last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        opens = datetime.datetime.combine(last_month, datetime.time(9, 0), tz)
        closes = datetime.datetime.combine(last_month.replace(day=20), datetime.time(18, 0), tz)
        contest = Contest.objects.create(
            org=province, title=CONTEST_TITLE, description="全省职工节能减排知识竞赛，每人最多答题三次，取最好成绩，"
            "同分按用时排名。", opens_at=opens, closes_at=closes, published=True, results_published=True,
            prizes={"一等奖": 10, "二等奖": 30, "三等奖": 60, "优秀奖": 200}, draw=[{"count": CONTEST_QUESTIONS}],
            time_limit=CONTEST_LIMIT, pass_mark=60, max_attempts=3, partial=0, created_by=admin)
        contest.banks.set(_pick_banks(province, ("节能", "环保", "减排")))
        log(f"  challenge of {len(levels)} levels and the contest made ({time.perf_counter() - t0:.1f} s)")

        learner = _learner_person(province)  # the persona's attempts are their own (made below), nobody else's
        people = list(Person.objects.exclude(pk=learner[0]).order_by("pk").values_list("pk", "employer_id"))
        if not people:
            raise DemoError("the demo province has no people")
        writer = Writer(contest_n + climbers * 14 + practice_n + 60)

        # the persona first: three levels cleared, the fourth failed, the contest taken, a week of practice
        made_persona = _persona_attempts(writer, learner, levels, contest, safety, energy, rng, today, tz)

        # the contest: workers take one to three attempts (best score counts), better on later tries
        t = time.perf_counter()
        days = (closes.date() - opens.date()).days + 1
        made = 0
        sampler = rng.sample(people, min(len(people), max(1, int(contest_n / 2.2))))
        i = 0
        while made < contest_n:
            person, unit = sampler[i % len(sampler)]
            i += 1
            skill = _skill(rng)
            tries = min(3, contest_n - made, 1 + (rng.random() < 0.7) + (rng.random() < 0.6))
            start = min(_peak_moment(rng, opens, days), closes - datetime.timedelta(minutes=30))
            for number in range(1, tries + 1):
                drawn = rng.sample(energy, CONTEST_QUESTIONS)
                keep = rng.random() < answer_share
                attempt = _attempt(drawn, min(0.97, skill + 0.04 * (number - 1)), rng, contest.partial, keep)
                seconds = int(min(CONTEST_LIMIT - 5, max(95, rng.lognormvariate(math.log(430), 0.35)
                                                         * (1.15 - skill * 0.3))))
                writer.add(person=person, unit=unit, purpose=Purpose.CONTEST, made=attempt, started=start,
                           limit=CONTEST_LIMIT, seconds=seconds, pass_mark=contest.pass_mark, number=number,
                           contest=contest.pk, keep_answers=keep)
                made += 1
                start = min(closes - datetime.timedelta(minutes=30),
                            start + datetime.timedelta(hours=rng.randint(1, 72)))
        writer.flush()
        log(f"  {made:,} contest attempts written ({time.perf_counter() - t:.1f} s)")

        # the challenge: workers climbing it level by level over the last weeks
        t = time.perf_counter()
        level_attempts = 0
        opened = datetime.datetime.combine(challenge.opens_on, datetime.time(8, 0), tz)
        span = max(1, int((timezone.now() - opened).total_seconds()) - 7200)
        pools = {lv.pk: [q for q in safety if q.difficulty in (lv.draw[0].get("difficulty") or [1, 2, 3, 4, 5])]
                 for lv in levels}
        for person, unit in rng.sample(people, min(len(people), climbers)):
            skill = _skill(rng) + 0.05
            moment = opened + datetime.timedelta(seconds=rng.randint(0, span))
            for level, (_, count, pass_mark, limit, _, _) in zip(levels, LEVELS, strict=True):
                passed = False
                for number in range(1, 4):
                    attempt = _attempt(rng.sample(pools[level.pk], count), min(0.98, skill + 0.05 * number), rng,
                                       level.partial)
                    seconds = int(min(limit - 3, max(20, rng.gauss(limit * 0.45, limit * 0.15))))
                    if moment > timezone.now() - datetime.timedelta(seconds=limit):
                        break
                    writer.add(person=person, unit=unit, purpose=Purpose.LEVEL, made=attempt, started=moment,
                               limit=limit, seconds=seconds, pass_mark=pass_mark, number=number, level=level.pk)
                    level_attempts += 1
                    moment += datetime.timedelta(seconds=seconds + rng.randint(60, 36 * 3600))
                    passed = attempt.score * 100 >= attempt.max_score * pass_mark
                    if passed:
                        break
                if not passed or rng.random() < 0.12:  # stuck, or lost interest
                    break
        writer.flush()
        log(f"  {level_attempts:,} challenge attempts written ({time.perf_counter() - t:.1f} s)")

        # daily practice (每日一练): five questions, over the last thirty days
        t = time.perf_counter()
        practisers = rng.sample(people, min(len(people), max(1, practice_n // 4)))
        now = timezone.now()
        for _ in range(practice_n):
            person, unit = rng.choice(practisers)
            started = now - datetime.timedelta(days=rng.randint(0, 29), seconds=rng.randint(900, 14 * 3600))
            attempt = _attempt(rng.sample(safety + energy, 5), _skill(rng), rng)
            writer.add(person=person, unit=unit, purpose=Purpose.PRACTICE, made=attempt, started=started, limit=600,
                       seconds=rng.randint(40, 300), pass_mark=0)
        mistakes = writer.finish()
        log(f"  {practice_n:,} practice attempts and {mistakes:,} wrong-answer rows written "
            f"({time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        counters.rebuild()
        seconds_fold = time.perf_counter() - t
        log(f"  standings and daily figures rebuilt ({seconds_fold:.1f} s)")
        _persona_account(admin, learner)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Attempt, Answer, Mistake, Standing, OrgStanding, Fact):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {"levels": len(levels), "contest_attempts": made, "level_attempts": level_attempts,
            "practice": practice_n, "answers": writer.counts["answers"], "attempts": writer.counts["attempts"],
            "mistakes": mistakes, "persona_attempts": made_persona, "seconds_fold": seconds_fold,
            "seconds": time.perf_counter() - t0}


def _learner_person(province: Org) -> tuple[int, int]:
    """The persona's record: a front-line worker of 济钢 (or of any enterprise) without an account."""
    base = Person.objects.filter(employer__path__startswith=province.path, is_front_line=True, account__isnull=True)
    jigang = Org.objects.filter(code="370102001001").first()
    found = (base.filter(employer__path__startswith=jigang.path) if jigang else base).exclude(name="李强") \
        .order_by("pk").values_list("pk", "employer_id").first() or base.order_by("pk").values_list(
            "pk", "employer_id").first()
    if found is None:
        raise DemoError("the demo province has no front-line worker for the learner persona")
    return found


def _persona_attempts(writer: Writer, learner: tuple[int, int], levels: list[Level], contest: Contest,
                      safety: list[Q], energy: list[Q], rng: random.Random, today: datetime.date,
                      tz: Any) -> int:
    person, unit = learner
    made = 0
    moment = datetime.datetime.combine(today - datetime.timedelta(days=20), datetime.time(20, 0), tz)
    for level, (_, count, pass_mark, limit, _, _) in zip(levels[:4], LEVELS[:4], strict=True):
        skill = 0.97 if level.number <= 3 else 0.35  # clears three levels; the fourth is failed
        pool = [q for q in safety if q.difficulty in (level.draw[0].get("difficulty") or [1, 2, 3, 4, 5])]
        drawn = rng.sample(pool, count)
        attempt = _attempt(drawn, skill, rng, level.partial)
        while level.number <= 3 and attempt.score * 100 < attempt.max_score * pass_mark:
            attempt = _attempt(drawn, skill, rng, level.partial)
        while level.number > 3 and (attempt.score * 100 >= attempt.max_score * pass_mark or not attempt.wrong):
            attempt = _attempt(drawn, skill, rng, level.partial)
        writer.add(person=person, unit=unit, purpose=Purpose.LEVEL, made=attempt, started=moment, limit=limit,
                   seconds=int(limit * 0.5), pass_mark=pass_mark, level=level.pk)
        made += 1
        moment += datetime.timedelta(days=1, minutes=17)
    start = contest.opens_at + datetime.timedelta(minutes=3)
    attempt = _attempt(rng.sample(energy, CONTEST_QUESTIONS), 0.7, rng, contest.partial)
    writer.add(person=person, unit=unit, purpose=Purpose.CONTEST, made=attempt, started=start, limit=CONTEST_LIMIT,
               seconds=611, pass_mark=contest.pass_mark, contest=contest.pk)
    made += 1
    for day in range(1, 6):
        started = timezone.now() - datetime.timedelta(days=day, hours=2)
        writer.add(person=person, unit=unit, purpose=Purpose.PRACTICE, made=_attempt(rng.sample(safety, 5), 0.6, rng),
                   started=started, limit=600, seconds=150 + day * 7, pass_mark=0)
        made += 1
    return made


def _persona_account(admin: User | None, learner: tuple[int, int]) -> None:
    from gongjiang.orgs import services as org_services

    person = Person.objects.get(pk=learner[0])
    actor = admin or User.objects.filter(is_superuser=True).first()
    if actor is None:
        raise DemoError("no administrator to create the learner's account")
    org_services.create_worker_account(actor=actor, person=person, username=LEARNER, password=LEARNER_PASSWORD)
