"""Innovation projects (攻关课题): the project with its stage decisions, milestones, members, spending and files.

Scoping: a project is reached through the org that holds it (`org`: an enterprise's union, the department hosting a
studio, or a team): that org's unions and every union above them see it (regionally and along the industry tree);
its members see their own. Everything hanging off a project is scoped through it."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import Holder, ProjectRole, Stage
from ..rules import projects as rules
from .proposals import Proposal, StoredFile, stored_name


class ProjectQuerySet(ScopedQuerySet["Project"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """Projects whose org lies in the user's scope for `action`; for "view" also those the user (a worker) is a
        member of."""
        if user is None or not user.is_authenticated:
            return self.none()
        also = None
        person_id = getattr(user, "person_id", None)
        if action == "view" and person_id:
            also = Q(pk__in=ProjectMember.objects.filter(person_id=person_id).values("project_id"))
        return scope_for(user, action).apply(self, "org__", also=also)


class Project(models.Model):
    """An innovation project (攻关课题) held by an enterprise, a studio (劳模创新工作室) or a team. It moves through the
    seven stages one decision at a time (rules.projects), each decision with a reason in its timeline
    (`StageDecision`) and the audit; it has milestones, a progress in percent, members with roles (one leader), the
    innovation subsidy requested and granted (创新补助资金, yuan) and what was spent of it, and files per stage. It may
    start from an adopted proposal (`proposal`); the achievement it ends as belongs to the achievement calls (part 3
    of issue 10), which will point here."""

    title = models.CharField(_("project title"), max_length=120)
    problem = models.TextField(_("problem to solve"))
    goal = models.TextField(_("goal"), blank=True)
    holder = models.CharField(_("held by"), max_length=12, choices=Holder.choices)
    studio_name = models.CharField(_("studio"), max_length=80, blank=True)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("holding unit"))
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="projects",
                                 verbose_name=_("started from proposal"))
    stage = models.CharField(_("project stage"), max_length=12, choices=Stage.choices, default=Stage.FINDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    year = models.PositiveSmallIntegerField(_("year"))
    requested = models.DecimalField(_("subsidy requested (yuan)"), max_digits=14, decimal_places=2,
                                    default=Decimal(0))
    granted = models.DecimalField(_("subsidy granted (yuan)"), max_digits=14, decimal_places=2, null=True,
                                  blank=True)
    grant_reason = models.TextField(_("reason for the grant"), blank=True)
    spent = models.DecimalField(_("spent (yuan)"), max_digits=14, decimal_places=2, default=Decimal(0))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"  # and, for "view", the members' own (ProjectQuerySet)
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation project")
        verbose_name_plural = _("innovation projects")
        indexes = [
            models.Index(fields=["org", "stage"], name="project_org_stage"),
            models.Index(fields=["year", "stage"], name="project_year_stage"),
            models.Index(fields=["-created_at", "-id"], name="project_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("innovation:project_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def number(self) -> str:
        """The project's number: KT2026-000012 (课题)."""
        return f"KT{self.year}-{self.pk:06d}"

    @property
    def remaining(self) -> Decimal | None:
        """What is left of the grant (None before a grant)."""
        return None if self.granted is None else self.granted - self.spent

    @property
    def is_stopped(self) -> bool:
        return self.stage == Stage.STOPPED

    @property
    def next_stage(self) -> str | None:
        return rules.next_stage(self.stage)

    # -- permission questions (views and templates show forms by them; the verbs check again)

    def can_change(self, user: Actor) -> bool:
        """A cadre of a union whose scope holds the project's org, while the project is not stopped."""
        return not self.is_stopped and self.org.in_scope(user, "change")

    def can_advance(self, user: Actor) -> bool:
        return self.next_stage is not None and self.can_change(user)

    def can_stop(self, user: Actor) -> bool:
        return rules.allowed(self.stage, Stage.STOPPED) and self.can_change(user)


class StageDecision(models.Model):
    """A decision on a project's stage (the project's timeline of stages): from which stage to which, why, by whom,
    when. Registering the project is its first decision (from nothing to 问题查找). The year's figures count these."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    from_stage = models.CharField(_("from project stage"), max_length=12, choices=Stage.choices, blank=True)
    stage = models.CharField(_("project stage"), max_length=12, choices=Stage.choices)
    reason = models.TextField(_("reason"), blank=True)  # blank only for the registration
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"))

    scope_via = "project"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("stage decision")
        verbose_name_plural = _("stage decisions")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_stage_display()}"


class Milestone(models.Model):
    """A milestone of a project (节点): what should be done by when, and when it was done."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=120)
    due = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    scope_via = "project"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["due"], name="milestone_open_due", condition=Q(done_on__isnull=True))]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_org(self) -> Org:
        return self.project.org


class ProjectMember(models.Model):
    """A worker on a project team, with a role: the leader (负责人, exactly one per project), core members (骨干),
    members. Members are people of the tree working in the project's enterprise."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=8, choices=ProjectRole.choices)

    scope_via = "project"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering = ["project", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="project_member_uniq"),
            models.UniqueConstraint(fields=["project"], condition=Q(role="leader"), name="project_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class Spending(models.Model):
    """What was spent of a project's subsidy: the date, the amount (yuan) and the purpose."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("spending date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("spending purpose"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_via = "project"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["spent_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.amount}"


def _project_upload_to(instance: ProjectFile, filename: str) -> str:
    return stored_name(f"innovation/projects/{instance.project.year}", filename)


class ProjectFile(StoredFile):
    """A file of a project, filed under the stage it documents (the problem survey, the approval, test reports, the
    appraisal…). Checked like a proposal's files (rules.attachments), stored under a random name, served only
    through the scoped download view."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    stage = models.CharField(_("project stage"), max_length=12, choices=Stage.choices)
    file = models.FileField(upload_to=_project_upload_to, max_length=200)

    scope_via = "project"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("project file")
        verbose_name_plural = _("project files")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("innovation:project_file", args=[self.project_id, self.pk])
