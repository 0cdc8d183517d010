"""Attempts and what is kept from them.

The hot path is the answer: tens of thousands of workers answering at once. An attempt's paper (the questions drawn
and each one's option order) is written once at its start; each answer is one row (`Answer`, unique per attempt and
position, so a retried request overwrites rather than adds), written by one statement and checked against the
attempt's signed ticket (services.attempts) instead of reading anything; the score is computed at submission, once
(the state changes from active under a row lock). Leaderboards and the per-unit results are
pre-aggregated (`Standing`, `OrgStanding`) by the fold (learning.counters), and the daily figures kept in the fact
store (orgs/facts.py, `learning.*` metrics), never counted per request."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org, Person

from ..choices import AttemptState, BoardKind, Purpose
from .banks import Question
from .papers import Contest, Level


class Attempt(models.Model):
    """One attempt (一次作答) of a worker at a level, a contest, a practice or a theory exam.

    - `unit`: the worker's employer at the start (the per-unit results and the leaderboards by org count here).
    - `paper`: [[question id, option order], …] in the order shown; the option order is the original letters in the
      order displayed ("CADB": the first option shown is the question's C), "" for questions without options.
    - `deadline`: the server's end of the attempt (started_at + the time limit); an answer after it is refused and
      an attempt still active after it is submitted as it stands by the next reader (`services.attempts.close`).
    - `score`, `max_score`: points; `correct`: questions fully right; `seconds`: time taken, for the ranking.
    - `signature`: the hash of the answers given, position by position (the suspicious-pattern report groups equal
      ones); `folded`: counted into the standings and figures (learning.counters.fold)."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("learner"))
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts")
    contest = models.ForeignKey(Contest, null=True, blank=True, on_delete=models.PROTECT, related_name="attempts")
    theory_exam = models.ForeignKey("learning.TheoryExam", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="attempts")  # purpose THEORY: the round's exam (contests part)
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    paper = models.JSONField(default=list)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AttemptState.choices, default=AttemptState.ACTIVE)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=1, default=Decimal(0))
    max_score = models.DecimalField(_("full marks"), max_digits=7, decimal_places=1, default=Decimal(0))
    correct = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    passed = models.BooleanField(_("passed"), default=False)
    seconds = models.PositiveIntegerField(_("time taken (s)"), default=0)
    signature = models.CharField(max_length=32, blank=True)
    folded = models.BooleanField(default=False)

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="active"), name="learning_one_active"),
        ]
        indexes = [
            models.Index(fields=["person", "purpose", "level"], name="learning_attempt_person"),
            models.Index(fields=["contest", "state"], name="learning_attempt_contest"),
            models.Index(fields=["folded"], condition=Q(folded=False), name="learning_attempt_unfolded"),
            models.Index(fields=["deadline"], condition=Q(state="active"), name="learning_attempt_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"

    @property
    def audit_org(self) -> Org:
        return self.unit

    @property
    def active(self) -> bool:
        return self.state == AttemptState.ACTIVE


class Answer(models.Model):
    """The answer given at one position of an attempt, as shown (the displayed letters "AC", "T"/"F", or the blanks'
    texts joined by a unit separator), overwritten by a later answer at the same position until submission; `points`
    and `correct` are set at submission."""

    id = models.BigAutoField(primary_key=True)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    given = models.CharField(max_length=500)
    saved_at = models.DateTimeField()
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)

    scope_via = "attempt"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="learning_answer_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"


class Mistake(models.Model):
    """A question a worker answered wrong (错题本): how often, when last, and whether a later practice cleared it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    times = models.PositiveIntegerField(_("times wrong"), default=1)
    last_at = models.DateTimeField(_("last wrong"))
    cleared = models.BooleanField(_("cleared"), default=False)

    scope_via = "person__employer"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("wrong answer")
        verbose_name_plural = _("wrong answers")
        ordering = ["person", "-last_at"]
        constraints = [models.UniqueConstraint(fields=["person", "question"], name="learning_mistake_once")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.question_id}"


class Learner(models.Model):
    """A worker who has taken an attempt (学员): when first, and the points and badges earned, kept by the fold."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+", primary_key=True)
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    first_at = models.DateTimeField()
    points = models.PositiveIntegerField(_("points"), default=0)
    badges = models.JSONField(_("badges"), default=list, blank=True)

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self) -> str:
        return str(self.person_id)


class Standing(models.Model):
    """A worker's line on a leaderboard (`kind` and `board`: a challenge's or a contest's id): for a contest the best
    score and the time it took, for a challenge the points earned and the levels cleared, with the attempts taken;
    kept by the fold, so a leaderboard reads the top rows of one index."""

    kind = models.CharField(max_length=10, choices=BoardKind.choices)
    board = models.PositiveBigIntegerField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal(0))
    seconds = models.PositiveIntegerField(default=0)
    levels = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    reached_at = models.DateTimeField()  # when the standing's score was reached (the last tie-break)

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [models.UniqueConstraint(fields=["kind", "board", "person"], name="learning_standing_once")]
        indexes = [models.Index("kind", "board", models.F("score").desc(), "seconds", "reached_at",
                                name="learning_standing_rank"),
                   # a challenge's board: levels cleared first, then points (queries.challenges)
                   models.Index("kind", "board", models.F("levels").desc(), models.F("score").desc(), "seconds",
                                "reached_at", name="learning_standing_levels")]

    def __str__(self) -> str:
        return f"{self.kind} {self.board} · {self.person_id}"


class OrgStanding(models.Model):
    """A union's line on a leaderboard by org: over its whole reach (itself, its subtree, an industry union's
    affiliated units), the workers who took part (`takers`), those who passed a contest or cleared every level of a
    challenge (`finishers`), the attempts and the sum of the takers' standings (the mean is score_sum / takers);
    the participation rate is takers over the org's members (orgs counters). Kept by the fold."""

    kind = models.CharField(max_length=10, choices=BoardKind.choices)
    board = models.PositiveBigIntegerField()
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    takers = models.PositiveIntegerField(default=0)
    finishers = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    score_sum = models.DecimalField(max_digits=14, decimal_places=1, default=Decimal(0))

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("standing by org")
        verbose_name_plural = _("standings by org")
        constraints = [models.UniqueConstraint(fields=["kind", "board", "org"], name="learning_org_standing_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.board} · {self.org_id}"
