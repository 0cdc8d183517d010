"""The statistics app keeps no figures of its own (they are orgs.Fact rows the other apps' verbs keep); what it keeps
is what cadres write around them: the narrative of an annual report, and the data requests (报表) an upper union sends
down with the lower unions' returns."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager, ScopedQuerySet, scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Period, User

from .choices import RequestState, ReturnState


class Narrative(models.Model):
    """A union's own words in its annual report of economic and technical work for one year: the overview
    (`section` "") or the text beside one area of work (`section` an app's key: "competitions", "innovation"…).
    Written by the union's cadres (services.reports.save_narrative), printed in the report's PDF."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    section = models.CharField(_("section"), max_length=40, blank=True)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [models.UniqueConstraint(fields=["org", "year", "section"], name="stats_narrative_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.section or '—'}"

    @property
    def audit_org(self) -> Org:
        return self.org


class DataRequestQuerySet(ScopedQuerySet["DataRequest"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """view: issued by a union inside the user's scopes, or addressed to one (the lower union sees the request
        of its own return); any other action: issued inside the scopes."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if action != "view" or scope.everything:
            return scope.apply(self, "org__")
        own = DataReturn.objects.filter(scope.q("org__")).values("request_id")
        return self.filter(scope.q("org__") | Q(pk__in=own))


class DataRequest(models.Model):
    """A data request (报表任务) of an upper union: a form of indicators for one period (a year, a month or a day of
    the fact store) that each addressed lower union fills or confirms by `due` — prefilled with the platform's own
    figures where an indicator is a metric of the fact store. Collecting until closed; its completeness (who has
    reported, on time) is DHIS2's reporting rate.

    `indicators` is the form, in order: [{"key", "label", "unit", "places", "negative", "metric"}] — `metric` the
    fact-store key an indicator is prefilled from ("" for a figure only the lower union knows), `places` the decimals
    allowed, `negative` whether a figure below zero can be true (a change, a balance)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("requesting union"))
    title = models.CharField(_("title"), max_length=120)
    period = models.CharField(_("kind of period"), max_length=1, choices=Period.choices)
    start = models.DateField(_("first day of the period"))
    due = models.DateField(_("report by"))
    note = models.TextField(_("instructions"), blank=True)
    indicators = models.JSONField(_("indicators"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope_via = "org"  # and, for "view", the addressed unions (DataRequestQuerySet)
    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "title"], name="stats_request_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stats:request_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    def requests(self, user: Actor, action: str = "change") -> bool:
        """Whether `user` acts for the requesting union (or a union above it)."""
        return self.org.in_scope(user, action)


class DataReturnQuerySet(ScopedQuerySet["DataReturn"]):
    def for_user(self, user: Actor | None, action: str = "view") -> Self:
        """The returns of unions inside the user's scopes (their own) and of requests issued inside them."""
        if user is None or not user.is_authenticated:
            return self.none()
        scope = scope_for(user, action)
        if scope.everything:
            return self.all()
        return self.filter(scope.q("org__") | scope.q("request__org__"))


class DataReturn(models.Model):
    """One lower union's return (填报) to a data request: its figures per indicator (`values`, decimal strings,
    first the platform's figures), the platform's figures when it reported (`platform`, kept beside for the
    comparison), its state and when and by whom it was reported; a return sent back for correction keeps the
    reason."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="returns")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting union"))
    state = models.CharField(_("state"), max_length=10, choices=ReturnState.choices, default=ReturnState.PENDING)
    values = models.JSONField(_("figures"), default=dict, blank=True)
    platform = models.JSONField(_("platform figures"), default=dict, blank=True)
    reason = models.TextField(_("reason for the return"), blank=True)
    submitted_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"  # and the request's union (DataReturnQuerySet)
    objects = DataReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("data return")
        verbose_name_plural = _("data returns")
        ordering = ["request", "org__path"]
        constraints = [models.UniqueConstraint(fields=["request", "org"], name="stats_return_once")]
        indexes = [models.Index(fields=["org", "state"], name="stats_return_waiting")]

    def __str__(self) -> str:
        return f"{self.request.title} · {self.org.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("stats:return_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def reported(self) -> bool:
        return self.state == ReturnState.SUBMITTED

    @property
    def on_time(self) -> bool:
        """Reported on or before the due day (in the platform's time zone)."""
        return self.reported and self.submitted_at is not None and (
            timezone.localdate(self.submitted_at) <= self.request.due)

    def is_own(self, user: Actor) -> bool:
        """Whether `user` acts for the reporting union itself (not for the requesting union above it)."""
        return self.org.in_scope(user, "change") and not self.request.requests(user)

    def can_fill(self, user: Actor) -> bool:
        return self.request.is_open and self.state != ReturnState.SUBMITTED and self.is_own(user)
