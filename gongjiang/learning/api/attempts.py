"""The attempt endpoints (added to the learning router): a worker's own attempt as shown (the questions, the answers
so far and the time left; never the key before submission), one answer with the attempt's signed ticket (the ticket
the entering endpoints return), and the submission, which gives the result and the review. Another worker's attempt
is a 404; a refused answer is a 400 naming its field (codes `position`, `given`, `ticket`) or a 409 when the attempt
is over (codes `late`, `submitted`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from gongjiang.core.api import ERRORS
from gongjiang.core.errors import DomainError

from .. import services
from ..models import Attempt
from ..queries import attempts as queries
from ..tickets import read

router = Router(tags=["learning"])


class ShownOut(Schema):
    position: int = Field(description="0-based; answers name it.")
    kind: str
    stem: str
    options: list[str] = Field(description="In the order shown: the letters A, B, … are given by this order.")
    blanks: int
    given: str = Field(description="The answer saved so far (letters as shown, T/F, or the blanks joined by \\u001f).")


class ReviewedOut(ShownOut):
    right: str
    right_blanks: list[str]
    explanation: str
    points: Decimal | None
    score: Decimal
    correct: bool | None


class AttemptOut(Schema):
    id: int
    purpose: str
    state: str
    started_at: datetime.datetime
    deadline: datetime.datetime
    seconds_left: int
    ticket: str | None = Field(description="While the attempt runs: send it with each answer.")
    questions: list[ShownOut]
    score: Decimal | None
    max_score: Decimal | None
    correct: int | None
    passed: bool | None
    seconds: int | None
    review: list[ReviewedOut]


class AnswerIn(Schema):
    ticket: str
    position: int
    given: str = Field("", max_length=1000)


class SavedOut(Schema):
    ok: bool


def _own(request: HttpRequest, attempt_id: int) -> Attempt:
    person_id = getattr(request.auth, "person_id", None)  # type: ignore[attr-defined]
    attempt = Attempt.objects.filter(pk=attempt_id, person_id=person_id).first() if person_id else None
    if attempt is None:
        raise Http404
    return attempt


def _out(attempt: Attempt) -> dict[str, Any]:
    now = timezone.now()
    data: dict[str, Any] = {
        "id": attempt.pk, "purpose": attempt.purpose, "state": attempt.state, "started_at": attempt.started_at,
        "deadline": attempt.deadline, "seconds_left": max(0, int((attempt.deadline - now).total_seconds())),
        "ticket": None, "questions": [], "score": None, "max_score": None, "correct": None, "passed": None,
        "seconds": None, "review": []}
    if attempt.active:
        shown, ticket = queries.sheet(attempt)
        data.update(ticket=ticket, questions=[vars(s) for s in shown])
    else:
        data.update(score=attempt.score, max_score=attempt.max_score, correct=attempt.correct, passed=attempt.passed,
                    seconds=attempt.seconds,
                    review=[{**vars(r), "right_blanks": list(r.right_blanks)} for r in queries.review(attempt)])
    return data


@router.get("/learning/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS}, summary="My attempt")
def attempt_detail(request: HttpRequest, attempt_id: int) -> Any:
    """The worker's own attempt: while it runs, the questions as shown with the answers so far and the ticket; once
    submitted (an attempt past its time limit is submitted as it stands first), the result and the review."""
    attempt = _own(request, attempt_id)
    if attempt.active and attempt.deadline + services.attempts.GRACE < timezone.now():
        attempt = services.submit(actor=request.auth, attempt=attempt)  # type: ignore[attr-defined]
    return _out(attempt)


@router.post("/learning/attempts/{attempt_id}/answers", response={200: SavedOut, **ERRORS}, summary="Answer")
def attempt_answer(request: HttpRequest, attempt_id: int, data: AnswerIn) -> Any:
    """Saves the answer at `position` (a later one replaces it). The ticket must be this attempt's."""
    attempt = _own(request, attempt_id)
    ticket = read(data.ticket)
    if ticket.attempt_id != attempt.pk:
        raise DomainError(_wrong_ticket(), field="ticket", code="ticket")
    services.answer(actor=ticket, position=data.position, given=data.given)
    return {"ok": True}


def _wrong_ticket() -> str:
    from django.utils.translation import gettext as _

    return _("This answer sheet is not valid any more: reload the page.")


@router.post("/learning/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS}, summary="Submit")
def attempt_submit(request: HttpRequest, attempt_id: int) -> Any:
    """交卷: marks the attempt once; submitting again returns the same result."""
    attempt = _own(request, attempt_id)
    return _out(services.submit(actor=request.auth, attempt=attempt))  # type: ignore[attr-defined]
