"""Studios (劳模创新工作室, 高技能人才创新工作室, 职工创新工作室, 创新型班组): the registry with members and funding,
the status with its history (在册 → 暂停 → 取消资格), the rubric of the yearly assessment (年度考核) as data, each
year's assessment with its points per item, evidence and files, and the yearly counters per union."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongjiang.core.files import StoredFile, stored_name
from gongjiang.core.rubrics import rubric as engine
from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..studio_choices import AssessmentState, MemberRole, Result, StudioKind, StudioLevel, StudioStatus


class Rubric(models.Model):
    """The form of a kind of studio's yearly assessment: its `definition` in the rubric engine's JSON
    (gongjiang.core.rubrics: 打分 items, deductions, a capped bonus, vetoes, the grades 优秀 and 合格), checked by the
    engine on every save. One per kind, installed by the migrations."""

    kind = models.CharField(_("studio kind"), max_length=10, choices=StudioKind.choices, unique=True)
    name = models.CharField(_("rubric"), max_length=80)
    definition = models.JSONField(_("definition"), default=dict)

    scope_exempt = "reference data: the federation's assessment forms, read by everyone signed in"

    class Meta:
        verbose_name = _("assessment rubric")
        verbose_name_plural = _("assessment rubrics")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Only a definition the engine can score by, with the grades 优秀 and 合格, is kept (RubricError with every
        problem otherwise)."""
        if not engine.parse(self.definition).grades:
            raise engine.RubricError([gettext("A studio's rubric gives the grades 优秀 and 合格.")])
        super().save(*args, **kwargs)

    @property
    def rules(self) -> engine.Rubric:
        return engine.parse(self.definition)


class Studio(models.Model):
    """A studio or innovative team recognised (命名) by a union: its kind, name, the lead (领办人: a model worker or a
    skilled worker of the roster), the host enterprise (依托单位), the level and year it was recognised and the
    recognising union (which assesses it every year and alone suspends or revokes it), the status with its history,
    and the last confirmed assessment (kept here so the registry filters on it). Revoked studios stay, marked.
    `city` is the host's city (the registry's filter), set at registration."""

    name = models.CharField(_("studio name"), max_length=120)
    kind = models.CharField(_("studio kind"), max_length=10, choices=StudioKind.choices)
    lead = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead"))
    host = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("host enterprise"))
    city = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("city"))
    level = models.CharField(_("level"), max_length=10, choices=StudioLevel.choices)
    year = models.PositiveSmallIntegerField(_("year recognised"))
    recognised_by = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("recognising union"))
    specialty = models.CharField(_("field of work"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StudioStatus.choices, default=StudioStatus.ACTIVE)
    last_year = models.PositiveSmallIntegerField(_("last assessed"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=10, choices=Result.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "host"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["-year", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["host", "name"], name="studio_name_per_host")]
        indexes = [models.Index(fields=["status", "level", "kind"], name="studio_filters"),
                   models.Index(fields=["city", "level"], name="studio_city")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:studio_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.host

    @property
    def revoked(self) -> bool:
        return self.status == StudioStatus.REVOKED

    def can_change(self, user: Actor) -> bool:
        """The host union's cadres (and those above) keep the members, the funding and the self-assessment."""
        return not self.revoked and self.host.in_scope(user, "change")

    def can_decide(self, user: Actor) -> bool:
        """The recognising union (or one above it) assesses, suspends, reinstates and revokes."""
        return self.recognised_by.in_scope(user, "change")


class StudioMember(models.Model):
    """A member of a studio (成员) with a role: core member, member, apprentice (徒弟). The lead is the studio's."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined the studio on"))

    scope_via = "studio"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["studio", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["studio", "person"], name="studio_member_once")]

    def __str__(self) -> str:
        return f"{self.studio_id} · {self.person_id}"

    @property
    def audit_org(self) -> Org:
        return self.studio.host


class StudioFunding(models.Model):
    """Money given to a studio in a year (创新资金/经费), in 万元, with its source (省总工会补助, 企业配套…)."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="funding")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=80)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_via = "studio"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("studio funding")
        verbose_name_plural = _("studio funding")
        ordering = ["studio", "-year", "id"]

    def __str__(self) -> str:
        return f"{self.studio_id} · {self.year}: {self.amount}"

    @property
    def audit_org(self) -> Org:
        return self.studio.host


class StudioStatusChange(models.Model):
    """One change of a studio's status: when, from what to what, the reason, the decision (文件) and the deciding
    union, who recorded it. The studio's page lists them; revocation is one of them."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="status_changes")
    on = models.DateField(_("date"))
    before = models.CharField(_("from"), max_length=10, choices=StudioStatus.choices)
    after = models.CharField(_("to"), max_length=10, choices=StudioStatus.choices)
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision document"), max_length=120, blank=True)
    decided_by = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding body"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("recorded by"))
    at = models.DateTimeField(auto_now_add=True)

    scope_via = "studio"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("studio status change")
        verbose_name_plural = _("studio status changes")
        ordering = ["studio", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.studio_id}: {self.before} → {self.after}"

    @property
    def audit_org(self) -> Org:
        return self.studio.host


class Assessment(models.Model):
    """A studio's assessment for a year: filled by the host union (self-assessment, with evidence per item and the
    counted evidence drawn from the other apps when it was filled), then confirmed — each item kept or adjusted with
    a reason — by the assessing union (the recognising union), which gives the total and the result. `definition`
    is the rubric's as it was when the assessment was filled (a later change of the rubric leaves it as it was)."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    definition = models.JSONField(_("definition"), default=dict)
    assessing = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessing union"))
    state = models.CharField(_("state"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.SELF)
    self_total = models.DecimalField(_("self-assessed total"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("assessed total"), max_digits=7, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("assessment result"), max_length=10, choices=Result.choices, blank=True)
    counted = models.JSONField(_("counted evidence"), default=dict, blank=True)
    apprentices = models.PositiveIntegerField(_("apprentices trained"), default=0)
    summary = models.TextField(_("summary of the year"), blank=True)
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    self_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    scope_via = "studio__host"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("studio assessment")
        verbose_name_plural = _("studio assessments")
        ordering = ["studio", "-year"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="assessment_once_a_year")]
        indexes = [models.Index(fields=["state", "assessing"], name="assessment_waiting")]

    def __str__(self) -> str:
        return f"{self.studio_id} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("honours:assessment_detail", args=[self.studio_id, self.year])

    @property
    def audit_org(self) -> Org:
        return self.studio.host

    @property
    def confirmed(self) -> bool:
        return self.state == AssessmentState.CONFIRMED

    @property
    def rules(self) -> engine.Rubric:
        return engine.parse(self.definition)


class AssessmentScore(models.Model):
    """The answer to one item of the rubric (`key`): the host union's (`self_answer`, with its note of evidence) and
    the assessing union's (`answer`; a change from the self-assessment carries `reason`) — points given (打分), yes or
    no (a veto), a count (a deduction, a bonus), as the engine stores them — and the points each gives (a
    deduction's as points taken off)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    key = models.CharField(_("item"), max_length=30)
    self_answer = models.JSONField(_("self-assessment"), null=True, blank=True)
    self_points = models.DecimalField(_("self-assessed points"), max_digits=6, decimal_places=2)
    note = models.TextField(_("evidence"), blank=True)
    answer = models.JSONField(_("assessment"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason for the adjustment"), blank=True)

    scope_via = "assessment__studio__host"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="assessment_item_once")]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.key}"

    @property
    def audit_org(self) -> Org:
        return self.assessment.studio.host

    @property
    def adjusted(self) -> bool:
        return self.answer is not None and self.answer != self.self_answer


def _upload_to(instance: AssessmentFile, filename: str) -> str:
    return stored_name(f"honours/studios/{instance.assessment.studio_id}", filename)


class AssessmentFile(StoredFile):
    """Evidence of an assessment's item (a certificate, a photo, a report), checked and stored by `core.files`,
    served only through the assessment's scoped download view."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(_("item"), max_length=30)
    file = models.FileField(upload_to=_upload_to, max_length=200)

    scope_via = "assessment__studio__host"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment evidence file")
        verbose_name_plural = _("assessment evidence files")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("honours:assessment_file", args=[self.assessment.studio_id, self.assessment_id, self.pk])

    @property
    def audit_org(self) -> Org:
        return self.assessment.studio.host

