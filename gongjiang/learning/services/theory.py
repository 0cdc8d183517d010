"""Verbs of the online theory exams of competition rounds (理论考试): the round's organiser sets the exam up for a
round the competitions app offers through `core.registry` (theory_rounds, theory_round), opens it, the round's
contestants take it (one attempt each, purpose THEORY), and at closing the organiser sends every submitted attempt's
score, scaled to 100, to the round (`registry.record_theory`: the competitions app's own theory verb, audited
there too). Contestants are named by their anonymous code or contestant number, never by name, as in the round."""

from __future__ import annotations

import datetime
import random
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, registry
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs.models import Org, User

from ..choices import AttemptState, Purpose, TheoryState
from ..models import Attempt, TheoryExam
from ..queries import contests as q
from ..rules import contests as contest_rules
from ..rules import draw as draw_rules
from .contests import _clean, _local

MIN_SECONDS = 60  # the least time a contestant starting late gets
PAPER_FIELDS = ["title", "opens_at", "closes_at", "draw", "time_limit", "partial", "shuffle"]


def _round(round_id: int) -> registry.TheoryRound:
    found = registry.theory_round(round_id)
    if found is None:
        raise DomainError(_("No competition round with a theory part has this number."), field="round_id",
                          code="not_found", status=404)
    return found


def _require_runner(actor: User, round_id: int) -> None:
    if not registry.can_run_theory(actor, round_id):
        raise PermissionDeniedError(_("Only the organiser of the round runs its theory exam."))


def _paper(org: Org, data: dict[str, Any], exam: TheoryExam | None = None) -> tuple[dict[str, Any], list[int]]:
    clean, banks = _clean(org, {**data, "max_attempts": 1, "pass_mark": 60, "prizes": {}}, exam, title_max=200)
    return {k: clean[k] for k in PAPER_FIELDS}, banks


def _shown(exam: TheoryExam) -> dict[str, Any]:
    return {"title": exam.title, "opens_at": exam.opens_at, "closes_at": exam.closes_at, "draw": exam.draw,
            "time_limit": exam.time_limit}


@verb
def create_theory_exam(*, actor: User, round_id: int, data: dict[str, Any]) -> TheoryExam:
    """Set up the online theory exam of a round (one per round) whose results are not final."""
    rnd = _round(round_id)
    _require_runner(actor, round_id)
    if not rnd.open:
        raise DomainError(_("The results of this round are final."), code="state")
    if TheoryExam.objects.filter(round_id=round_id).exists():
        raise DomainError(_("This round already has an online theory exam."), field="round_id", code="duplicate")
    org = Org.objects.get(pk=rnd.org_id)
    clean, banks = _paper(org, {"title": rnd.title, **data})
    exam = TheoryExam.objects.create(round_id=round_id, org=org, created_by=actor, max_attempts=1, **clean)
    exam.banks.set(banks)
    audit.record(actor, "learning.theory.created", exam, after={**_shown(exam), "banks": banks})
    return exam


def _locked(exam: TheoryExam) -> TheoryExam:
    return TheoryExam.objects.select_for_update(of=("self",)).select_related("org").get(pk=exam.pk)


@verb
def edit_theory_exam(*, actor: User, exam: TheoryExam, data: dict[str, Any]) -> TheoryExam:
    """Change the exam while it is being set up."""
    exam = _locked(exam)
    _require_runner(actor, exam.round_id)
    if exam.state != TheoryState.DRAFT:
        raise DomainError(_("The exam is open: it can no longer be changed."), code="state")
    before = _shown(exam)
    current = {name: getattr(exam, name) for name in PAPER_FIELDS}
    clean, banks = _paper(exam.org, {**current, "banks": list(exam.banks.values_list("pk", flat=True)), **data}, exam)
    for name, value in clean.items():
        setattr(exam, name, value)
    exam.save(update_fields=PAPER_FIELDS)
    exam.banks.set(banks)
    audit.record(actor, "learning.theory.changed", exam, before=before, after={**_shown(exam), "banks": banks})
    return exam


@verb
def open_theory_exam(*, actor: User, exam: TheoryExam) -> TheoryExam:
    """Open the exam to the round's contestants (within its window); the banks must still fill the rules."""
    exam = _locked(exam)
    _require_runner(actor, exam.round_id)
    if exam.state != TheoryState.DRAFT:
        raise DomainError(_("The exam is already open."), code="state")
    if exam.closes_at <= timezone.now():
        raise DomainError(_("The closing time has already passed."), field="closes_at")
    short = draw_rules.shortfall(exam.draw, q.pools(list(exam.banks.values_list("pk", flat=True)), exam.draw))
    if short:
        raise DomainError(short[0], field="draw")
    exam.state = TheoryState.OPEN
    exam.save(update_fields=["state"])
    audit.record(actor, "learning.theory.opened", exam, after=_shown(exam))
    return exam


@verb
def start_theory(*, actor: User, exam: TheoryExam, now: datetime.datetime | None = None) -> Attempt:
    """A contestant of the round starts the exam: open, within the window, once."""
    from . import attempts as engine

    now = now or timezone.now()
    person = getattr(actor, "person", None)
    code = _round(exam.round_id).code_of(person.pk) if person is not None else None
    if person is None or code is None:
        raise PermissionDeniedError(_("Only the contestants of the round take its theory exam."))
    if exam.state != TheoryState.OPEN:
        raise DomainError(_("The theory exam is not open."), code="closed")
    if now < exam.opens_at:
        raise DomainError(_("The exam has not started yet: it opens at %(at)s.") % {"at": _local(exam.opens_at)},
                          code="closed")
    if now >= exam.closes_at:
        raise DomainError(_("The exam ended at %(at)s.") % {"at": _local(exam.closes_at)}, code="closed")
    if Attempt.objects.filter(theory_exam=exam, person=person).exists():
        raise DomainError(_("You have already taken this exam."), code="used_up")
    pools = q.pools(list(exam.banks.values_list("pk", flat=True)), exam.draw)
    short = draw_rules.shortfall(exam.draw, pools)
    if short:
        raise DomainError(short[0], code="short")
    left = int((exam.closes_at - now).total_seconds())
    if left < MIN_SECONDS:
        raise DomainError(_("The exam ends in less than a minute: it can no longer be started."), code="closed")
    questions = draw_rules.draw(exam.draw, pools, random.Random(secrets.randbits(64)), exam.shuffle)
    # The engine audits the start (learning.attempt.started: who, when); the time ends with the exam at the latest.
    attempt = engine.start(actor=actor, person=person, purpose=Purpose.THEORY, questions=questions,
                           time_limit=min(exam.time_limit, left), now=now)
    Attempt.objects.filter(pk=attempt.pk).update(theory_exam=exam)
    attempt.theory_exam = exam
    return attempt


@verb
def close_theory_exam(*, actor: User, exam: TheoryExam, now: datetime.datetime | None = None) -> int:
    """Close the exam and send the scores: before its end only when nobody is still writing; after it, attempts
    still open are submitted as they stand. Each submitted attempt's score, scaled to 100, goes to the round as its
    theory score; the audit keeps who started and submitted when (by code)."""
    from . import attempts as engine

    now = now or timezone.now()
    exam = _locked(exam)
    _require_runner(actor, exam.round_id)
    if exam.state != TheoryState.OPEN:
        raise DomainError(_("Only an open exam can be closed."), code="state")
    active = Attempt.objects.filter(theory_exam=exam, state=AttemptState.ACTIVE)
    if now < exam.closes_at and active.exists():
        raise DomainError(_("%(n)d contestants are still writing: close the exam after %(at)s.") % {
            "n": active.count(), "at": _local(exam.closes_at)}, code="running")
    engine.close_expired(actor=actor, now=now)  # every attempt ends with the exam at the latest
    still = Attempt.objects.filter(theory_exam=exam, state=AttemptState.ACTIVE)
    if still.exists():  # the last seconds' grace for answers still on their way
        raise DomainError(_("%(n)d contestants are still writing: close the exam after %(at)s.") % {
            "n": still.count(), "at": _local(exam.closes_at)}, code="running")
    rnd = _round(exam.round_id)
    codes = {c.person_id: c.code for c in rnd.candidates}
    done = list(Attempt.objects.filter(theory_exam=exam, state__in=q.DONE).order_by("started_at"))
    scores = {a.person_id: contest_rules.hundredths(a.score, a.max_score) for a in done if a.person_id in codes}
    sent = registry.record_theory(exam.round_id, scores, actor, _("Online theory exam %(exam)s") % {
        "exam": exam.title}) if scores else 0
    exam.state, exam.sent_at, exam.sent_by = TheoryState.SENT, now, actor
    exam.closes_at = min(exam.closes_at, now)
    exam.save(update_fields=["state", "sent_at", "sent_by", "closes_at"])
    # Who started and submitted when, by attempt (never by code: the audit shows the attempt's person).
    audit.record(actor, "learning.theory.sent", exam, after={"sent": sent, "attempts": [
        {"attempt": a.pk, "started_at": a.started_at, "submitted_at": a.submitted_at} for a in done]})
    return sent
