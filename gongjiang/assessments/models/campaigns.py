"""Campaigns (考核批次), their sheets (one per assessed union), the answers per item, evidence and appeals."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.files import StoredFile, stored_name
from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org

from ..choices import CampaignState, Outcome, Review, SheetState
from .rubrics import Rubric


class AssessmentCampaignQuerySet(ScopedQuerySet["Campaign"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """view: run by a union inside the user's scopes, or assessing a union inside them (the assessed union sees
        the campaign of its own sheet); any other action: run inside the scopes."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if action != "view" or scope.everything:
            return scope.apply(self, "org__")
        own = Sheet.objects.filter(scope.q("org__")).values("campaign_id")
        return self.filter(scope.q("org__") | Q(pk__in=own))


class Campaign(models.Model):
    """One assessment (2026年度全省经济技术工作考核): the rubric version it scores by, the year whose figures it reads,
    the assessing union, and — through its sheets — the assessed unions below it. Open while the unions assess
    themselves and the assessing union reviews; ranked once every sheet is confirmed; then published."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("rubric"))
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessing union"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    self_until = models.DateField(_("self-assessment until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope_via = "org"  # and, for "view", the assessed unions (AssessmentCampaignQuerySet)
    objects = AssessmentCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "title"], name="assessment_campaign_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:campaign_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def assesses(self, user: Actor, action: str = "change") -> bool:
        """Whether `user` acts for the assessing union (or above it)."""
        return self.org.in_scope(user, action)


class AssessmentSheetQuerySet(ScopedQuerySet["Sheet"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """The sheets of unions inside the user's scopes (their own self-assessment) and the sheets of campaigns run
        inside them (what they review)."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if scope.everything:
            return self.all()
        return self.filter(scope.q("org__") | scope.q("campaign__org__"))


class Sheet(models.Model):
    """One assessed union's sheet in a campaign: its state (self-assessment → submitted → returned or confirmed),
    and the result kept from its answers by the verbs — total and its parts, vetoed, grade, stars and their expiry,
    rank — every figure recomputable from the answers and the rubric (rules.scoring)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sheets")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed union"))
    state = models.CharField(_("state"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, default=0)
    regular = models.DecimalField(_("points of the items"), max_digits=7, decimal_places=2, default=0)
    deducted = models.DecimalField(_("deducted"), max_digits=7, decimal_places=2, default=0)
    bonus = models.DecimalField(_("bonus"), max_digits=7, decimal_places=2, default=0)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    stars_until = models.DateField(_("star grade valid until"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    scope_via = "org"  # and the campaign's union (AssessmentSheetQuerySet)
    objects = AssessmentSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment sheet")
        verbose_name_plural = _("assessment sheets")
        ordering = ["campaign", "org__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="assessment_sheet_once")]

    def __str__(self) -> str:
        return f"{self.campaign.title} · {self.org.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:sheet_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def is_own(self, user: Actor) -> bool:
        """Whether `user` acts for the assessed union itself (not for the assessing union above it)."""
        return self.org.in_scope(user, "change") and not self.campaign.assesses(user)

    def can_fill(self, user: Actor) -> bool:
        """The assessed union's own cadres fill it while it is theirs to fill."""
        return (self.state in (SheetState.DRAFT, SheetState.RETURNED)
                and self.campaign.state == CampaignState.OPEN and self.is_own(user))

    def can_review(self, user: Actor) -> bool:
        return self.state == SheetState.SUBMITTED and self.campaign.assesses(user)


def _evidence_to(instance: Evidence, filename: str) -> str:
    return stored_name("assessments", filename)


class Answer(models.Model):
    """The answer to one leaf item of a sheet: what the assessed union gave (`value`, with its note; for a figure
    read from the fact store, `provenance`: metric, its label, the period, the figure read and whether it was changed
    by hand), the assessing union's decision (accepted, adjusted to `reviewed` with its reason, returned) and the
    points it gives."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(_("item"), max_length=40)
    value = models.JSONField(_("value"), null=True, blank=True)
    note = models.TextField(_("explanation"), blank=True)
    provenance = models.JSONField(_("source of the figure"), default=dict, blank=True)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    reviewed = models.JSONField(_("value after review"), null=True, blank=True)
    review_reason = models.TextField(_("reason"), blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, default=0)

    scope_via = "sheet"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="assessment_answer_once")]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.item}"

    @property
    def audit_org(self) -> Org:
        return self.sheet.org

    @property
    def effective(self) -> Any:
        """The value the score uses: the reviewed one once adjusted, else the union's own."""
        return self.reviewed if self.review == Review.ADJUSTED else self.value


class Evidence(StoredFile):
    """A file proving an answer (a photo, a scanned document): checked and stored by core.files, served only through
    the sheet's scoped download view."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_to, max_length=200)

    scope_via = "answer"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("assessments:evidence", args=[self.answer.sheet_id, self.pk])

    @property
    def audit_org(self) -> Org:
        return self.answer.sheet.org


class Appeal(models.Model):
    """An assessed union's appeal (申诉) against its published result, and the assessing union's recorded outcome:
    upheld (with the items changed and the totals before and after) or dismissed, with the reply."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reply = models.TextField(_("reply"), blank=True)
    total_before = models.DecimalField(_("total before"), max_digits=7, decimal_places=2, null=True, blank=True)
    total_after = models.DecimalField(_("total after"), max_digits=7, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope_via = "sheet"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.pk}"

    @property
    def audit_org(self) -> Org:
        return self.sheet.org
