"""Labour protection (issue 15 part 3): the unions' supervision checks of enterprises (劳动保护监督检查, 夏季高温检查
and 高温慰问, special checks) with the hazards found and their follow-up, and the 安康杯 competition (a union's year
of it, the enterprises and teams entered with their indicators, the evaluation and the awards within quotas)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org


class CheckKind(models.TextChoices):
    SUPERVISION = "supervision", _("Labour protection supervision check")
    HEAT = "heat", _("Summer heat check and visit")
    OCCUPATIONAL = "occupational", _("Occupational disease prevention check")
    OTHER = "other", _("Other check")


class Severity(models.TextChoices):
    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class AwardKind(models.TextChoices):
    """The 安康杯's awards: 优胜企业 and 优胜班组 for entries, 优秀组织单位 for the unions that organised it well."""

    ENTERPRISE = "enterprise", _("Winning enterprise")
    TEAM = "team", _("Winning team")
    ORGANISER = "organiser", _("Outstanding organising unit")


class SafetyCheck(models.Model):
    """A check of one enterprise by a union (`org`: the county union, the enterprise's own union…) on a day: who
    checked, what they found, the hazards to follow up. Closed once every hazard is closed."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("checking union"))
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    kind = models.CharField(_("kind"), max_length=14, choices=CheckKind.choices, default=CheckKind.SUPERVISION)
    checked_on = models.DateField(_("checked on"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "enterprise"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("labour protection check")
        verbose_name_plural = _("labour protection checks")
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["enterprise", "checked_on"], name="rights_check_ent_day")]

    def __str__(self) -> str:
        return f"{self.enterprise.display_name} · {self.get_kind_display()} · {self.checked_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("rights:check_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.enterprise

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Hazard(models.Model):
    """A hazard (隐患) found in a check, to be put right by its follow-up deadline; closed on a day with a note of the
    evidence (整改凭证: photos filed, a re-inspection…)."""

    safety_check = models.ForeignKey(SafetyCheck, on_delete=models.CASCADE, related_name="hazards")
    description = models.CharField(_("description"), max_length=300)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("follow-up deadline"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)

    scope_via = "safety_check"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["closed_on", "deadline"], name="rights_hazard_open")]

    def __str__(self) -> str:
        return self.description

    @property
    def audit_org(self) -> Org:
        return self.safety_check.enterprise

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def overdue(self, today: datetime.date | None = None) -> bool:
        return self.closed_on is None and self.deadline < (today or timezone.localdate())


class AnkangCampaign(models.Model):
    """A union's 安康杯 competition of a year: its scoring rubric (weights as data, core's rubric engine), the quotas
    of each award, and when it was last evaluated."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    rubric = models.JSONField(_("scoring rules"))
    quota_enterprises = models.PositiveSmallIntegerField(_("quota of winning enterprises"))
    quota_teams = models.PositiveSmallIntegerField(_("quota of winning teams"))
    quota_organisers = models.PositiveSmallIntegerField(_("quota of outstanding organising units"))
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("Ankang Cup competition")
        verbose_name_plural = _("Ankang Cup competitions")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="rights_ankang_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rights:ankang_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    def quota(self, kind: str) -> int:
        return {AwardKind.ENTERPRISE: self.quota_enterprises, AwardKind.TEAM: self.quota_teams,
                AwardKind.ORGANISER: self.quota_organisers}[AwardKind(kind)]


class AnkangEntry(models.Model):
    """An enterprise or a team (班组) entered in a year's 安康杯, with the year's indicators (None until recorded) and
    its result: score, place among its kind, disqualified, and every reason of the score."""

    campaign = models.ForeignKey(AnkangCampaign, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise or team"))
    is_team = models.BooleanField(_("team"), default=False)
    registered_on = models.DateField(_("registered on"))
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    accidents = models.PositiveIntegerField(_("accidents"), null=True, blank=True)
    serious_accidents = models.PositiveIntegerField(_("serious accidents"), null=True, blank=True)
    deaths = models.PositiveIntegerField(_("deaths"), null=True, blank=True)
    hazards_found = models.PositiveIntegerField(_("hazards found"), null=True, blank=True)
    hazards_fixed = models.PositiveIntegerField(_("hazards fixed"), null=True, blank=True)
    training_sessions = models.PositiveIntegerField(_("training sessions held"), null=True, blank=True)
    people_trained = models.PositiveIntegerField(_("people trained"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    place = models.PositiveIntegerField(_("place"), null=True, blank=True)
    disqualified = models.BooleanField(_("disqualified"), default=False)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    scope_via = "unit"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("Ankang Cup entry")
        verbose_name_plural = _("Ankang Cup entries")
        ordering = ["campaign", "is_team", "place", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="rights_ankang_entry_once")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.unit.display_name}"

    @property
    def audit_org(self) -> Org:
        return self.unit

    @property
    def recorded(self) -> bool:
        return self.workers is not None


class AnkangAward(models.Model):
    """An award of a year's 安康杯 to an entry's unit (优胜企业, 优胜班组) or to an organising union (优秀组织单位)."""

    campaign = models.ForeignKey(AnkangCampaign, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("award"), max_length=10, choices=AwardKind.choices)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("awarded unit"))
    entry = models.ForeignKey(AnkangEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="awards")
    conferred_on = models.DateField(_("conferred on"))

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("Ankang Cup award")
        verbose_name_plural = _("Ankang Cup awards")
        ordering = ["campaign", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind", "org"], name="rights_ankang_award_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.org.display_name}"

    @property
    def audit_org(self) -> Org:
        return self.org
