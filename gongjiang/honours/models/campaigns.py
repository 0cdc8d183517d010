"""Campaigns (评选批次) and their quotas allocated down the tree."""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, ancestors, path_step, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org

from ..rules import quotas
from .types import HonourType


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """view: organised inside the user's scopes or above them (a city sees the province's campaign it nominates
        to); any other action: organised inside the user's scopes with that right."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if action != "view" or scope.everything:
            return scope.apply(self, "org__")
        above = sorted({p for root in scope.paths for p in ancestors(root, path_step())})
        return self.filter(scope.q("org__") | Q(org__path__in=above)) if above else scope.apply(self, "org__")


class Campaign(models.Model):
    """One round of an honour (2026年山东省工人先锋号评选): the type, the organising union (the province for national
    and provincial honours — it recommends its national quota —, a city for its own), the year, the dates nominations
    are taken, the materials each nomination must carry, and the total quota with its reserves, which is the root of
    the campaign's allocations."""

    honour_type = models.ForeignKey(HonourType, on_delete=models.PROTECT, related_name="campaigns",
                                    verbose_name=_("honour type"))
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organising union"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("campaign title"), max_length=120)
    opens_on = models.DateField(_("nominations from"))
    submit_until = models.DateField(_("nominations until"))
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    conferred_at = models.DateTimeField(_("conferred at"), null=True, blank=True)

    scope_via = "org"  # and, for "view", the unions below it (CampaignQuerySet)
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("honours campaign")
        verbose_name_plural = _("honours campaigns")
        constraints = [models.UniqueConstraint(fields=["honour_type", "org", "year"], name="campaign_once_a_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("honours:campaign_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def is_open(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.submit_until

    def can_change(self, user: Actor) -> bool:
        return self.org.in_scope(user, "change")


class Allocation(models.Model):
    """A union's share of a campaign's quota (名额): how many it may nominate and how many of those places it keeps
    for non-public enterprises, front-line workers and women, given by the union above (`parent`; the root is the
    campaign's total). The counters beside it are kept by the nomination verbs for the union's whole reach, so the
    quota table and each submission's check read a few rows, never count nominations."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="allocations")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    quota = models.PositiveIntegerField(_("quota"))
    reserve_non_public = models.PositiveIntegerField(_("reserved for non-public enterprises"), default=0)
    reserve_front_line = models.PositiveIntegerField(_("reserved for front-line workers"), default=0)
    reserve_women = models.PositiveIntegerField(_("reserved for women"), default=0)
    nominated = models.PositiveIntegerField(_("nominated"), default=0)
    nominated_non_public = models.PositiveIntegerField(default=0)
    nominated_front_line = models.PositiveIntegerField(default=0)
    nominated_women = models.PositiveIntegerField(default=0)
    nominated_leader = models.PositiveIntegerField(default=0)
    # What the union has forwarded to the union above (推荐上报, within its quota and reserves; at the root: the
    # shortlist) and how many of its reach are shortlisted: kept by the review verbs like the counters above.
    forwarded = models.PositiveIntegerField(_("forwarded"), default=0)
    forwarded_non_public = models.PositiveIntegerField(default=0)
    forwarded_front_line = models.PositiveIntegerField(default=0)
    forwarded_women = models.PositiveIntegerField(default=0)
    forwarded_leader = models.PositiveIntegerField(default=0)
    shortlisted = models.PositiveIntegerField(_("shortlisted"), default=0)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("quota allocation")
        verbose_name_plural = _("quota allocations")
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="allocation_once"),
                       models.UniqueConstraint(fields=["campaign"], condition=Q(parent__isnull=True),
                                               name="allocation_one_root")]
        indexes = [models.Index(fields=["parent", "org"], name="allocation_children")]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.org_id}: {self.quota}"

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def share(self) -> quotas.Share:
        return quotas.Share(self.quota, {k: getattr(self, f"reserve_{k}") for k in quotas.RESERVES})

    @property
    def used(self) -> quotas.Used:
        return quotas.Used(self.nominated, {k: getattr(self, f"nominated_{k}") for k in quotas.KINDS})

    @property
    def forwarded_used(self) -> quotas.Used:
        return quotas.Used(self.forwarded, {k: getattr(self, f"forwarded_{k}") for k in quotas.KINDS})

    @property
    def left(self) -> int:
        return max(self.quota - self.nominated, 0)

    def can_allocate(self, user: Actor) -> bool:
        """The union's own cadres (and those above) split its allocation among the unions below it."""
        return self.org.in_scope(user, "change")

    def can_decide(self, user: Actor) -> bool:
        """The review at this level is the union's own: a cadre with a changing role on this very union (not one
        above it, who decides at their own level; a superuser anywhere)."""
        scope = scope_for(user, "change")
        return scope.roots is None or self.org.path in scope.paths
