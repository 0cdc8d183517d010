"""Question banks (题库): a bank is owned by a union and shared with the unions below it; its questions are
versioned (an edit to a question already drawn into an attempt makes a new version, and the attempts keep the one
they were given) and de-duplicated (the same stem and options twice in one bank is refused: `fingerprint`)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Occupation, Org

from ..choices import Difficulty, Kind


class Bank(models.Model):
    """A question bank (题库) of a union: its name, the trade it serves (if one), whether the unions below it may use
    it in their own challenges and contests (`shared`, the default), and its counts kept by the services."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    name = models.CharField(_("bank name"), max_length=80)
    trade = models.ForeignKey(Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("trade"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    shared = models.BooleanField(_("shared with the unions below"), default=True)
    question_count = models.PositiveIntegerField(_("questions"), default=0)  # current versions, kept by services
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["org__path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="learning_bank_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:bank_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


class Tag(models.Model):
    """A knowledge point or topic (知识点) questions are tagged with and levels draw by; one vocabulary for all banks
    (安全生产, 节能减排, 劳动法…)."""

    name = models.CharField(_("knowledge point"), max_length=40, unique=True)

    scope_exempt = "reference data: the vocabulary of knowledge points, the same for everybody"

    class Meta:
        verbose_name = _("knowledge point")
        verbose_name_plural = _("knowledge points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One version of a question.

    - `options`: the choices' texts in their original order (A, B, C… at most six); empty for true/false and fill-in.
    - `answer`: the correct letters in order ("AC") for choice questions, "T" or "F" for true/false, and for fill-in a
      list of blanks, each a list of accepted variants ([["二氧化碳", "CO2"], ["氧气"]]) in `blanks`.
    - `weights`: Moodle's partial credit, one fraction per option (100, 50, -25…, percent), when the question came
      with them; empty means all or nothing (a multiple-choice answer missing a correct option and choosing no
      wrong one earns the paper's `partial` share of the score: 少选得分, rules.scoring).
    - `family`: the first version's id (its own for the first); `current` marks the version new attempts draw;
      `drawn` is set when a version is first drawn into an attempt: an edit after that makes a new version.
    - `fingerprint`: the hash of the normalised stem and options, unique among a bank's current questions."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("bank"))
    kind = models.CharField(_("question type"), max_length=10, choices=Kind.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.CharField(_("answer"), max_length=10, blank=True)
    blanks = models.JSONField(_("accepted answers per blank"), default=list, blank=True)
    weights = models.JSONField(_("partial credit per option (%)"), default=list, blank=True)
    feedback = models.JSONField(_("feedback per option"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices,
                                                  default=Difficulty.MEDIUM)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=Decimal(1))
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("knowledge points"))
    category = models.CharField(_("category"), max_length=200, blank=True)  # Moodle's $CATEGORY path, kept
    family = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    current = models.BooleanField(default=True)
    drawn = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "bank"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "fingerprint"], condition=Q(current=True),
                                    name="learning_question_once"),
            models.UniqueConstraint(fields=["family", "version"], name="learning_question_version"),
        ]
        indexes = [models.Index(fields=["bank", "current", "kind", "difficulty"], name="learning_question_draw")]

    def __str__(self) -> str:
        return self.stem[:40]

    @property
    def audit_org(self) -> Org:
        return self.bank.org
