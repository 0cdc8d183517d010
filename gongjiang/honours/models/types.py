"""Honour types (荣誉类型) as data, and the roster of holders the eligibility rules read."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org, Person

from ..choices import HolderStatus, Level, Subject
from ..rules import eligibility


class HonourType(models.Model):
    """An honour a union confers or recommends for (全国劳动模范, 省五一劳动奖章, 工人先锋号…): its level, who receives
    it (a person, a collective, an organisation), its term (评选周期: every five years for 劳模, yearly for
    五一劳动奖章),
    and its eligibility criteria as data — evaluated by `rules.eligibility` — with the share of front-line workers
    its nominees must reach and the cap on leaders and managers among them (`rules.quotas`)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("honour name"), max_length=60, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    subject = models.CharField(_("conferred on"), max_length=10, choices=Subject.choices)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=1)
    front_line_share = models.PositiveSmallIntegerField(_("front-line workers' share (%)"), default=0)
    leader_share = models.PositiveSmallIntegerField(_("leaders' and managers' cap (%)"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_years = models.PositiveSmallIntegerField(_("minimum years in the trade"), default=0)
    clean_record = models.BooleanField(_("no disciplinary record"), default=True)
    requires_any = models.JSONField(_("requires one of"), default=list, blank=True)
    excludes = models.JSONField(_("excluded by"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_exempt = ("reference data: the federation's list of honours every union nominates to, read by everyone "
                    "signed in; only the administrators of the top of the tree change it (the verbs check)")

    class Meta:
        verbose_name = _("honour type")
        verbose_name_plural = _("honour types")
        ordering = ["level", "subject", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:type_edit", args=[self.pk])

    @property
    def criteria(self) -> eligibility.Criteria:
        return eligibility.Criteria(subject=self.subject, min_age=self.min_age, max_age=self.max_age,
                                    min_years=self.min_years, clean_record=self.clean_record,
                                    requires_any=frozenset(self.requires_any), excludes=frozenset(self.excludes))


class Holder(models.Model):
    """One honour held (荣誉获得者): the type, the year conferred, the person, collective or organisation and the
    union it belonged to then; revoked titles stay, marked. The roster the eligibility rules read (prior honours
    required or excluding); kept by the conferral (a later part of the honours) and loaded by the demo for the past
    years."""

    honour_type = models.ForeignKey(HonourType, on_delete=models.PROTECT, related_name="holders",
                                    verbose_name=_("honour type"))
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organisation"))
    name = models.CharField(_("holder"), max_length=120)
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    revoked = models.BooleanField(_("revoked"), default=False)
    # The roster's facts (荣誉获得者名册), kept when the honour is conferred (`queries.roster.holder_facts`); every one
    # has a default so that a conferral knowing only the fields above still makes a valid row. Status: see
    # HolderEvent (`revoked` stays the eligibility rules' flag, set with the status "revoked").
    status = models.CharField(_("status"), max_length=10, choices=HolderStatus.choices, default=HolderStatus.ACTIVE)
    # the day of the conferral (`confer_honours`), the day it counts on in the fact store (`figures`); holders
    # loaded for past years have none and count on the first day of their year
    conferred_on = models.DateField(_("date of conferral"), null=True, blank=True)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    front_line = models.BooleanField(_("front-line"), default=False)
    gender = models.CharField(_("gender"), max_length=1, blank=True, default="")
    # the year of birth only (the age band of the roster's filter): never the birth date, see docs/architecture.md
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    # the city federation and the (provincial) industry union above the unit when conferred: the roster's filters
    # and statistics read these indexed columns, not the unit's paths
    city = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("city"))
    industry = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("industry union"))

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("honour holder")
        verbose_name_plural = _("honour holders")
        indexes = [models.Index(fields=["person", "honour_type"], name="holder_person"),
                   models.Index(fields=["org", "honour_type"], name="holder_org"),
                   # the public roster: a type and a year (or all years), newest first, by city or industry
                   models.Index(fields=["honour_type", "-year", "-id"], name="holder_type_year"),
                   models.Index(fields=["-year", "-id"], name="holder_year"),
                   models.Index(fields=["city", "-year", "-id"], name="holder_city_year"),
                   models.Index(fields=["industry", "-year", "-id"], name="holder_industry_year")]

    def __str__(self) -> str:
        return f"{self.name} · {self.honour_type.name} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("honours:holder_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.unit

    @property
    def is_revoked(self) -> bool:
        return self.status == HolderStatus.REVOKED

    def can_record(self, user: Actor) -> bool:
        """Whether `user` may record a status change (moved, retired, deceased): the unit's union and those
        above it."""
        return self.unit.in_scope(user, "change")
