"""Rubrics (考核细则): owned by a union, versioned, frozen once a campaign used them."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.scoping import ScopedQuerySet, ancestors, path_step, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org


class AssessmentRubricQuerySet(ScopedQuerySet["Rubric"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """view: owned inside the user's scopes or by a union above them (a city assesses its counties with the
        province's rubric, and sees the rubric it is assessed by); any other action: owned inside the scopes."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if action != "view" or scope.everything:
            return scope.apply(self, "org__")
        above = sorted({p for root in scope.paths for p in ancestors(root, path_step())})
        return self.filter(scope.q("org__") | Q(org__path__in=above)) if above else scope.apply(self, "org__")


class Rubric(models.Model):
    """One version of a rubric (2026年度市总工会经济技术工作考核细则 v2): the owning union, the title, the JSON
    definition (rules.rubric) and its declared maximum. Frozen once a campaign used it — a change then makes the
    next version (`previous` the one it was made from), so every published result keeps the rubric it was scored by."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning union"))
    title = models.CharField(_("title"), max_length=120)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    definition = models.JSONField(_("definition"))
    maximum = models.DecimalField(_("maximum"), max_digits=7, decimal_places=2)
    frozen = models.BooleanField(_("frozen"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_via = "org"
    objects = AssessmentRubricQuerySet.as_manager()

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["org__path", "title", "-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:rubric_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def rules(self) -> rules.Rubric:
        """The parsed definition (it was validated when stored)."""
        cached: rules.Rubric | None = self.__dict__.get("_rules")
        if cached is None:
            cached = self.__dict__["_rules"] = rules.parse(self.definition)
        return cached

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")
