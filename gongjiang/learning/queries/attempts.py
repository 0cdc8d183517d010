"""What an attempt's page reads: the paper as shown (never the key while the attempt runs), the ticket to answer
with, the review after submission."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..choices import AttemptState
from ..models import Answer, Attempt, Question
from ..rules import scoring
from ..tickets import issue


@dataclass(frozen=True)
class Shown:
    """One position of an attempt as the page shows it: the options in their displayed order (texts only), the
    number of blanks, the answer given so far (displayed letters, "T"/"F", or the blanks' texts)."""

    position: int
    question_id: int
    kind: str
    stem: str
    options: list[str]
    blanks: int
    given: str
    code: str

    @property
    def given_blanks(self) -> list[str]:
        texts = self.given.split(scoring.SEP) if self.given else []
        return texts + [""] * (self.blanks - len(texts))

    @property
    def lettered(self) -> list[tuple[str, str]]:
        return list(zip(scoring.LETTERS, self.options, strict=False))


@dataclass(frozen=True)
class Reviewed(Shown):
    """A position after submission: the right answer as displayed, the explanation, the points and whether right."""

    right: str = ""
    right_blanks: tuple[str, ...] = ()
    explanation: str = ""
    points: Decimal | None = None
    score: Decimal = Decimal(0)
    correct: bool | None = None


def _questions(attempt: Attempt) -> dict[int, Question]:
    return Question.objects.in_bulk([q for q, _o in attempt.paper])


def _shown_options(question: Question, order: str) -> list[str]:
    if not order:
        return list(question.options or [])
    return [question.options[scoring.LETTERS.index(c)] for c in order]


def _code(question: Question) -> str:
    return scoring.code(question.kind, len(question.options or []), len(question.blanks or []))


def paper(attempt: Attempt, questions: dict[int, Question] | None = None) -> list[Shown]:
    """The attempt's questions in order, as shown, with the answers given so far."""
    questions = questions if questions is not None else _questions(attempt)
    given = dict(Answer.objects.filter(attempt=attempt).values_list("position", "given"))
    return [Shown(i, q, questions[q].kind, questions[q].stem, _shown_options(questions[q], order),
                  len(questions[q].blanks or []), given.get(i, ""), _code(questions[q]))
            for i, (q, order) in enumerate(attempt.paper)]


def ticket(attempt: Attempt, questions: dict[int, Question] | None = None) -> str:
    """The signed ticket the attempt's page answers with (learning.tickets)."""
    questions = questions if questions is not None else _questions(attempt)
    return issue(attempt.pk, attempt.person_id, attempt.deadline, [_code(questions[q]) for q, _o in attempt.paper])


def sheet(attempt: Attempt) -> tuple[list[Shown], str]:
    """What the page of an attempt in progress shows and answers with: the paper and the ticket (the questions read
    once)."""
    questions = _questions(attempt)
    return paper(attempt, questions), ticket(attempt, questions)


def review(attempt: Attempt) -> list[Reviewed]:
    """The submitted attempt position by position with the right answers; empty while it runs (the key never
    reaches the page before the end)."""
    if attempt.state == AttemptState.ACTIVE:
        return []
    questions = _questions(attempt)
    rows = {a.position: a for a in Answer.objects.filter(attempt=attempt)}
    out = []
    for i, (q, order) in enumerate(attempt.paper):
        question, row = questions[q], rows.get(i)
        right = "" if question.kind == "fill" else (
            question.answer if question.kind == "truefalse" else scoring.displayed(question.answer, order))
        out.append(Reviewed(i, q, question.kind, question.stem, _shown_options(question, order),
                            len(question.blanks or []), row.given if row else "", _code(question), right=right,
                            right_blanks=tuple("／".join(b) for b in question.blanks or ()),
                            explanation=question.explanation, points=row.points if row else None,
                            score=question.score, correct=row.correct if row else False))
    return out


def active_attempt(person_id: int) -> Attempt | None:
    return Attempt.objects.filter(person_id=person_id, state=AttemptState.ACTIVE).first()
