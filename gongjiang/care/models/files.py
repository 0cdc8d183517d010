"""A household file (困难职工档案) and its members."""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import Cause, FileStatus, Grade, Health, Housing, Relation, Schooling, Work

ACTIVE_STATUSES = (FileStatus.FILING, FileStatus.ACTIVE)


class CareQuerySet(ScopedQuerySet[Any]):
    """The archive's reach: the file's union and the unions above it along the regional tree only — an industry
    union to which the enterprise is affiliated does not see its needy workers (the most sensitive data)."""

    union_field = "union__"

    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        if user is None or not user.is_authenticated:
            return self.none()
        return scope_for(user, action).apply(self, self.union_field, industry=False)


class FileQuerySet(CareQuerySet):
    pass


class HouseholdFile(models.Model):
    """One needy worker's household file: the worker, the enterprise (grassroots) union that keeps it and the county
    or city union that approves it, the caseworker, housing, causes, status, the computed grade with its reasons and
    the next yearly review. Written only through the requests' verbs (services.files)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker"))
    union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise union"))
    approver = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("approving union"))
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("caseworker"))
    housing = models.CharField(_("housing"), max_length=12, choices=Housing.choices)
    # The causes as ",illness,schooling,": one portable LIKE filters by a cause on SQLite and PostgreSQL alike.
    causes_text = models.CharField(_("causes of hardship"), max_length=120)
    note = models.CharField(_("note"), max_length=400, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=FileStatus.choices, default=FileStatus.FILING)
    grade = models.CharField(_("hardship grade"), max_length=8, choices=Grade.choices, blank=True)
    grade_reasons = models.JSONField(_("reasons of the grade"), default=list)
    entry_grade = models.CharField(_("grade on entry"), max_length=8, choices=Grade.choices, blank=True)
    threshold = models.DecimalField(_("threshold applied"), max_digits=8, decimal_places=2, null=True, blank=True)
    entered_on = models.DateField(_("entered the archive on"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason of the exit"), max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "union"  # regionally only (CareQuerySet)
    objects = FileQuerySet.as_manager()

    class Meta:
        verbose_name = _("household file")
        verbose_name_plural = _("household files")
        ordering = ["-id"]
        indexes = [models.Index(fields=["union", "status"], name="care_file_union_status"),
                   models.Index(fields=["status", "next_review"], name="care_file_review")]

    def __str__(self) -> str:
        return _("Household file no. %(no)s") % {"no": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("care:file_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.union

    @property
    def causes(self) -> list[str]:
        return [c for c in self.causes_text.split(",") if c]

    @causes.setter
    def causes(self, values: list[str]) -> None:
        self.causes_text = "," + ",".join(c for c in Cause.values if c in values) + ","

    def cause_labels(self) -> list[str]:
        return [str(Cause(c).label) for c in self.causes if c in Cause.values]

    def is_due(self, day: datetime.date) -> bool:
        return self.status == FileStatus.ACTIVE and self.next_review is not None and self.next_review <= day

    def can_change(self, user: Actor) -> bool:
        """Staff and administrators of the enterprise union or of a union above it along the regional tree."""
        return scope_for(user, "change").covers_regionally(self.union.path)

    def can_see_ids(self, user: Actor) -> bool:
        """Who may see clear ID numbers (docs/care.md): the file's caseworker, and the staff and administrators of
        the enterprise union itself. A union above (county, city, province) sees the file with the numbers
        masked, like every viewer: it checks and approves by name, grade and the de-duplication flags."""
        from gongjiang.orgs.models import RoleGrant

        if not user.is_authenticated:
            return False
        if user.pk == self.caseworker_id:
            return True
        return RoleGrant.objects.filter(user_id=user.pk, org_id=self.union_id, org__is_active=True,
                                        role__in=("admin", "staff")).exists()


class MemberQuerySet(CareQuerySet):
    union_field = "file__union__"


class Member(models.Model):
    """A member of the household (the worker included, relation "self"): the ID number encrypted with its keyed
    hash (orgs.Person's scheme), so the de-duplication finds the same person in another file across the province
    by one indexed look-up; health, schooling, work and the member's monthly income (元)."""

    file = models.ForeignKey(HouseholdFile, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    name = models.CharField(_("member's name"), max_length=40)
    id_encrypted = models.TextField(editable=False)
    id_hash = models.CharField(max_length=64, editable=False)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=1)
    birth_date = models.DateField(_("birth date"))
    health = models.CharField(_("health"), max_length=20, choices=Health.choices, default=Health.HEALTHY)
    schooling = models.CharField(_("schooling"), max_length=12, choices=Schooling.choices, default=Schooling.NONE)
    work = models.CharField(_("work"), max_length=12, choices=Work.choices, default=Work.EMPLOYED)
    monthly_income = models.DecimalField(_("monthly income"), max_digits=10, decimal_places=2, default=0)

    scope_via = "file__union"
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["file", "id"]
        indexes = [models.Index(fields=["id_hash"], name="care_member_id_hash")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_org(self) -> Org:
        return self.file.union

    @property
    def id_number(self) -> str:
        """The clear number: only for `HouseholdFile.can_see_ids`; showing it is audited by the views."""
        from gongjiang.core.crypto import decrypt

        return decrypt(self.id_encrypted)
