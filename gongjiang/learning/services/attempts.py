"""The attempt engine: start an attempt (draw its paper), take its answers, submit and mark it.

- `start` draws the questions from the paper's pools (cached per process for a minute, keyed by the banks' counts:
  tens of thousands of workers starting one contest at 9:00 do not each read the banks) and writes the attempt.
  One active attempt per person: a partial unique index holds it even when two starts race.
- `answer` is the hot path: its actor is the attempt's signed ticket (learning.tickets), checked without reading
  anything; one statement writes the answer only while the attempt is active (INSERT … SELECT … WHERE EXISTS … ON
  CONFLICT DO UPDATE, the attempt's row share-locked on PostgreSQL), so a retried request overwrites rather than
  adds, and an answer racing the submission either lands before it (and is marked) or is refused after it.
- `submit` locks the attempt, marks every answer (rules.scoring) and writes the result once: submitting again
  returns the same result (idempotent), and an attempt left open past its deadline is submitted as it stands by
  the next reader or by the minute's timer (`close_expired`, counters.fold)."""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, statements
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Person

from ..choices import AttemptState, Purpose
from ..models import Answer, Attempt, Bank, Contest, Level, Mistake, Paper, Question
from ..rules import draw as draw_rules
from ..rules import scoring
from ..tickets import Ticket

GRACE = datetime.timedelta(seconds=3)  # an answer sent in the last moment, still on its way at the deadline
POOL_SECONDS = 60.0  # how long a process keeps a paper's pools
PRACTICE_PASS = 60  # percent, for attempts without a paper of their own
PRACTICE_PARTIAL = 50
MAX_PRACTICE_SECONDS = 3 * 3600


class ActiveAttemptError(DomainError):
    """The person has an attempt in progress (its id in `attempt_id`, for the page's link to it)."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__(_("You already have an attempt in progress: finish it first."), code="active",
                         field="attempt")
        self.attempt_id = attempt_id


# ---------------------------------------------------------------------------------------------
# start


_POOLS: dict[tuple[str, int], tuple[float, tuple[tuple[int, int], ...], list[list[int]]]] = {}


def _forget_pools() -> None:
    """Empty this process's pools (tests that change banks and start at once)."""
    _POOLS.clear()


def _pools(paper: Paper, rules: Sequence[dict[str, Any]]) -> list[list[int]]:
    """The ids of the current questions each rule may draw from (a fixed rule's own, checked to be current and in
    the paper's banks)."""
    key = (paper._meta.label, paper.pk)
    counts = tuple(Bank.objects.filter(pk__in=paper.banks.values("pk")).order_by("pk")
                   .values_list("pk", "question_count"))
    cached = _POOLS.get(key)
    if cached is not None and cached[1] == counts and time.monotonic() - cached[0] < POOL_SECONDS:
        return cached[2]
    bank_ids = [pk for pk, _n in counts]
    pools = []
    for rule in rules:
        found = Question.objects.filter(bank_id__in=bank_ids, current=True)
        if "questions" in rule:
            found = found.filter(pk__in=rule["questions"])
        else:
            if rule.get("kinds"):
                found = found.filter(kind__in=rule["kinds"])
            if rule.get("difficulty"):
                found = found.filter(difficulty__in=rule["difficulty"])
            for tag in rule.get("tags") or []:
                found = found.filter(tags__name=tag)
        pools.append(list(found.order_by("pk").values_list("pk", flat=True).distinct()))
    _POOLS[key] = (time.monotonic(), counts, pools)
    return pools


def _shapes(ids: Sequence[int]) -> dict[int, tuple[str, int, int]]:
    """{question id: (kind, options, blanks)} of the questions drawn."""
    return {pk: (kind, len(options or []), len(blanks or []))
            for pk, kind, options, blanks in Question.objects.filter(pk__in=ids)
            .values_list("pk", "kind", "options", "blanks")}


def _refuse_if_active(person: Person, now: datetime.datetime) -> None:
    """Refuse a second attempt; an active one past its deadline is submitted as it stands first."""
    active = Attempt.objects.filter(person=person, state=AttemptState.ACTIVE).first()
    if active is None:
        return
    if active.deadline + GRACE < now:
        _submit_locked(active.pk, now)
        return
    raise ActiveAttemptError(active.pk)


def _window(contest: Contest, now: datetime.datetime) -> None:
    if not contest.published:
        raise DomainError(_("This contest is not open."), code="closed", field="contest")
    if now < contest.opens_at:
        raise DomainError(_("The contest opens at %(at)s; come back then.")
                          % {"at": timezone.localtime(contest.opens_at).strftime("%Y-%m-%d %H:%M")},
                          code="closed", field="contest")
    if now >= contest.closes_at:
        raise DomainError(_("The contest closed at %(at)s.")
                          % {"at": timezone.localtime(contest.closes_at).strftime("%Y-%m-%d %H:%M")},
                          code="closed", field="contest")


@verb(atomic=False)
def start(*, actor: Actor, person: Person, purpose: str, level: Level | None = None, contest: Contest | None = None,
          questions: Sequence[int] | None = None, time_limit: int | None = None,
          now: datetime.datetime | None = None) -> Attempt:
    """Start an attempt of `person` (see the module's docstring), by the worker's own account only. Callers check
    first who may take it (a level unlocked, a contest's tree, a theory exam's candidates); here: one active attempt,
    a contest's window, the attempts allowed, the banks holding enough questions."""
    if getattr(actor, "person_id", None) != person.pk:
        raise PermissionDeniedError(_("Only the worker takes their own attempt."), code="forbidden")
    now = now or timezone.now()
    paper: Paper | None = level if purpose == Purpose.LEVEL else contest if purpose == Purpose.CONTEST else None
    if purpose in (Purpose.LEVEL, Purpose.CONTEST) and paper is None:
        raise DomainError(_("Say what the attempt is for."), field="purpose")
    if purpose not in Purpose.values:
        raise DomainError(_("Unknown purpose."), field="purpose")
    _refuse_if_active(person, now)
    if contest is not None and purpose == Purpose.CONTEST:
        _window(contest, now)
    rng = random.Random(secrets.randbits(64))
    if paper is not None:
        rules = list(paper.draw or [])
        errors = draw_rules.check(rules)
        if errors:
            raise DomainError(errors[0], field="draw", code="short")
        if paper.max_attempts:
            taken = Attempt.objects.filter(person=person, purpose=purpose, level=level, contest=contest).count()
            if taken >= paper.max_attempts:
                raise DomainError(_("You have used all %(n)d attempts allowed.") % {"n": paper.max_attempts},
                                  code="used_up", field="attempt")
        pools = _pools(paper, rules)
        short = draw_rules.shortfall(rules, pools)
        if short:
            raise DomainError(short[0], code="short", field="draw")
        ids = draw_rules.draw(rules, pools, rng, shuffle=paper.shuffle)
        shuffle, seconds = paper.shuffle, paper.time_limit
    else:
        ids = list(dict.fromkeys(questions or []))
        if not ids:
            raise DomainError(_("There are no questions to practise."), code="short", field="questions")
        shuffle, seconds = True, min(int(time_limit or 600), MAX_PRACTICE_SECONDS)
    shapes = _shapes(ids)
    missing = [q for q in ids if q not in shapes]
    if missing:
        raise DomainError(_("Question %(n)s does not exist.") % {"n": missing[0]}, field="questions")
    paper_rows = [[q, draw_rules.order(shapes[q][1], rng, shuffle) if shapes[q][0] in ("single", "multiple")
                   else ""] for q in ids]
    number = 1
    if paper is not None:
        number = Attempt.objects.filter(person=person, purpose=purpose, level=level, contest=contest).count() + 1
    attempt = Attempt(person=person, unit_id=person.employer_id, purpose=purpose, level=level, contest=contest,
                      number=number, paper=paper_rows, started_at=now,
                      deadline=now + datetime.timedelta(seconds=seconds))
    try:
        with transaction.atomic():
            attempt.save()
            Question.objects.filter(pk__in=ids, drawn=False).update(drawn=True)  # edits make new versions now
            if purpose == Purpose.THEORY:
                audit.record(actor, "learning.attempt.started", attempt)
    except IntegrityError:  # another start of the same person won the race (learning_one_active)
        active = Attempt.objects.filter(person=person, state=AttemptState.ACTIVE).first()
        raise ActiveAttemptError(active.pk if active else 0) from None
    return attempt


# ---------------------------------------------------------------------------------------------
# answer


_ANSWER_SQL: dict[str, str] = {}


def _answer_sql() -> str:
    sql = _ANSWER_SQL.get(connection.vendor)
    if sql is None:
        lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
        a, t = Attempt._meta.db_table, Answer._meta.db_table
        sql = (f"INSERT INTO {t} (attempt_id, position, given, saved_at) SELECT %s, %s, %s, %s "
               f"WHERE EXISTS (SELECT 1 FROM {a} WHERE id = %s AND state = %s{lock}) "
               f"ON CONFLICT (attempt_id, position) DO UPDATE SET given = excluded.given, saved_at = excluded.saved_at "
               f"RETURNING id")
        _ANSWER_SQL[connection.vendor] = sql
    return sql


_ANSWER_TYPES = ("bigint", "int", "text", "timestamptz", "bigint", "text")


@verb(atomic=False)
def answer(*, actor: Ticket, position: int, given: str, now: datetime.datetime | None = None) -> None:
    """Store the answer `given` at `position` (0-based) of the ticket's attempt, as the page shows it (displayed
    letters, "T"/"F", the blanks' texts joined by scoring.SEP); a later answer at the same position replaces it.
    One statement, atomic by itself (see the module's docstring); refused: a position not in the attempt, an answer
    its question cannot take, after the deadline, once submitted."""
    if not isinstance(actor, Ticket):
        raise PermissionDeniedError(_("Answers are sent with the attempt's answer sheet."), code="ticket")
    code = actor.code(position)
    try:
        value = scoring.check_given(code, given)
    except scoring.AnswerError as e:
        raise DomainError(str(e), field="given", code="given") from None
    now = now or timezone.now()
    if now.timestamp() > actor.deadline + GRACE.total_seconds():
        raise DomainError(_("Time is up: the answer came after the attempt's time limit."), code="late",
                          field="given", status=409)
    with connection.cursor() as cursor:
        statements.execute(cursor, "learning_answer", _answer_sql(), _ANSWER_TYPES,
                           [actor.attempt_id, position, value, now, actor.attempt_id, AttemptState.ACTIVE.value])
        row = cursor.fetchone()
    if row is None:
        raise DomainError(_("This attempt has been submitted; answers can no longer be changed."),
                          code="submitted", field="given", status=409)


# ---------------------------------------------------------------------------------------------
# submit


_KEYS: dict[int, scoring.Key] = {}  # a drawn question's key never changes (an edit makes a new version)
_KEYS_MAX = 50000


def _keys(ids: Sequence[int]) -> dict[int, scoring.Key]:
    missing = [q for q in ids if q not in _KEYS]
    if missing:
        if len(_KEYS) > _KEYS_MAX:
            _KEYS.clear()
        for q in Question.objects.filter(pk__in=missing).only("pk", "kind", "score", "answer", "blanks", "weights"):
            _KEYS[q.pk] = scoring.Key(q.kind, q.score, q.answer, tuple(tuple(b) for b in q.blanks or ()),
                                      tuple(q.weights or ()))
    return {q: _KEYS[q] for q in ids if q in _KEYS}


def _paper_of(attempt: Attempt) -> tuple[int, int]:
    """(pass mark %, partial credit %) of the attempt."""
    paper = attempt.level if attempt.level_id else attempt.contest if attempt.contest_id else None
    if paper is None:
        return PRACTICE_PASS, PRACTICE_PARTIAL
    return paper.pass_mark, paper.partial


def _submit_locked(attempt_id: int, now: datetime.datetime, actor: Actor | None = None) -> Attempt:
    """Mark and close the attempt in one transaction, its row locked first (an answer in flight waits or is
    refused); an attempt already closed is returned as it is."""
    with transaction.atomic():
        attempt = (Attempt.objects.select_for_update(of=("self",)).select_related("level", "contest")
                   .filter(pk=attempt_id).first())
        if attempt is None:
            raise DomainError(_("No such attempt."), code="missing", field="attempt", status=404)
        if attempt.state != AttemptState.ACTIVE:
            return attempt
        late = now > attempt.deadline + GRACE
        ids = [q for q, _o in attempt.paper]
        keys = _keys(ids)
        given = {a.position: a for a in Answer.objects.filter(attempt=attempt)}
        pass_mark, partial = _paper_of(attempt)
        score = full = Decimal(0)
        right = 0
        wrong_ids: list[int] = []
        right_ids: list[int] = []
        trail = []
        for position, (q, order) in enumerate(attempt.paper):
            key = keys[q]
            full += key.score
            row = given.get(position)
            own = ""
            if row is not None:
                own = row.given if key.kind in ("fill", "truefalse") else scoring.original(row.given, order)
                mark = scoring.mark(key, own, partial)
                row.points, row.correct = mark.points, mark.correct
                score += mark.points
                right += mark.correct
            (right_ids if row is not None and row.correct else wrong_ids).append(q)
            trail.append(f"{q}:{own}")
        Answer.objects.bulk_update(given.values(), ["points", "correct"])
        attempt.score, attempt.max_score, attempt.correct = score, full, right
        attempt.passed = bool(full) and score * 100 >= full * pass_mark
        end = min(now, attempt.deadline)
        attempt.seconds = max(0, int((end - attempt.started_at).total_seconds()))
        attempt.signature = hashlib.blake2b("|".join(sorted(trail)).encode(), digest_size=16).hexdigest()
        attempt.state = AttemptState.EXPIRED if late else AttemptState.SUBMITTED
        attempt.submitted_at = now
        attempt.save(update_fields=["score", "max_score", "correct", "passed", "seconds", "signature", "state",
                                    "submitted_at"])
        _note_mistakes(attempt, wrong_ids, right_ids, now)
        if attempt.purpose == Purpose.THEORY and actor is not None:
            audit.record(actor, "learning.attempt.submitted", attempt)
    return attempt


_MISTAKE_SQL = ("INSERT INTO {t} (person_id, question_id, times, last_at, cleared) VALUES {values} "
                "ON CONFLICT (person_id, question_id) DO UPDATE SET times = {t}.times + 1, last_at = excluded.last_at, "
                "cleared = excluded.cleared")


def _note_mistakes(attempt: Attempt, wrong: list[int], right: list[int], now: datetime.datetime) -> None:
    """The wrong-answer notebook: each question answered wrong (or left blank, in a practice of one's mistakes not)
    counted once more; in a practice of one's mistakes, those answered right are cleared."""
    if attempt.purpose == Purpose.MISTAKES and right:
        Mistake.objects.filter(person_id=attempt.person_id, question_id__in=right).update(cleared=True)
    if not wrong:
        return
    values = ", ".join(["(%s, %s, 1, %s, %s)"] * len(wrong))
    params: list[Any] = []
    for q in wrong:
        params += [attempt.person_id, q, now, False]
    with connection.cursor() as cursor:
        cursor.execute(_MISTAKE_SQL.format(t=Mistake._meta.db_table, values=values), params)


@verb(atomic=False)
def submit(*, actor: Actor, attempt: Attempt, now: datetime.datetime | None = None) -> Attempt:
    """Submit (交卷) the attempt: the person's own account (or the bearer of its ticket) only. Idempotent: an attempt
    already submitted is returned as it stands, never marked twice. Atomic in `_submit_locked`."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None or person_id != attempt.person_id:
        raise PermissionDeniedError(_("This is not your attempt."), code="forbidden")
    return _submit_locked(attempt.pk, now or timezone.now(), actor)


@verb(atomic=False)
def close_expired(*, actor: Actor, now: datetime.datetime | None = None, limit: int = 5000) -> int:
    """Submit, as they stand, the active attempts past their deadline (the minute's timer; its actor is
    tickets.CLOCK); returns how many. Each in its own transaction (`_submit_locked`)."""
    now = now or timezone.now()
    ids = list(Attempt.objects.filter(state=AttemptState.ACTIVE, deadline__lt=now - GRACE)
               .order_by("deadline").values_list("pk", flat=True)[:limit])
    for pk in ids:
        _submit_locked(pk, now)
    return len(ids)


