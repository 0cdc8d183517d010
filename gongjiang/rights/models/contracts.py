"""Collective contracts (集体合同) and the 要约 campaigns of wage bargaining (工资集体协商要约行动)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org

from ..choices import ContractKind, ContractState, OfferState


class Contract(models.Model):
    """A collective contract of one kind, signed by a union (`org`: the enterprise's union, or a town or industry
    union for a regional or industry contract) with the employer side (`employer_party`), for a term, with its key
    clauses as data. It covers the enterprises of its `coverage` rows (the workers covered in each); it counts as in
    force from `starts_on` to `ends_on` (or to `terminated_on`) once signed. A renewal names the contract it follows."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union party"))
    kind = models.CharField(_("kind"), max_length=14, choices=ContractKind.choices)
    title = models.CharField(_("title"), max_length=120)
    employer_party = models.CharField(_("employer party"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=10, choices=ContractState.choices, default=ContractState.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_with = models.CharField(_("labour authority"), max_length=60, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    renews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal",
                                  verbose_name=_("renews"))
    covered_workers = models.PositiveIntegerField(_("workers covered"), default=0)
    min_wage = models.DecimalField(_("minimum wage in the contract (yuan/month)"), max_digits=9, decimal_places=2,
                                   null=True, blank=True)
    wage_increase = models.DecimalField(_("wage increase (%)"), max_digits=5, decimal_places=2, null=True,
                                        blank=True)
    weekly_hours = models.DecimalField(_("working hours per week"), max_digits=4, decimal_places=1, null=True,
                                       blank=True)
    women_items = models.JSONField(_("women's special protection items"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["state", "ends_on"], name="rights_contract_ends")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rights:contract_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org

    @property
    def in_force(self) -> bool:
        return self.state in (ContractState.SIGNED, ContractState.FILED)

    @property
    def last_day(self) -> datetime.date:
        """The last day in force: the end of the term, or the day it was terminated."""
        return min(self.ends_on, self.terminated_on) if self.terminated_on else self.ends_on


class Coverage(models.Model):
    """An enterprise a contract covers, with the workers covered there (one row for an enterprise's own contract;
    one per small firm for a regional or industry contract)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="coverage")
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    workers = models.PositiveIntegerField(_("workers covered"))

    scope_via = "contract"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("contract coverage")
        verbose_name_plural = _("contract coverage")
        constraints = [models.UniqueConstraint(fields=["contract", "enterprise"], name="rights_coverage_once")]

    def __str__(self) -> str:
        return f"{self.contract} · {self.enterprise.display_name}"

    @property
    def audit_org(self) -> Org:
        return self.contract.org


class BargainingCampaign(models.Model):
    """A union's 要约 campaign of a year (e.g. 2026年工资集体协商要约行动): offers to the enterprises below it."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("contract kind"), max_length=14, choices=ContractKind.choices,
                            default=ContractKind.WAGES)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("bargaining campaign")
        verbose_name_plural = _("bargaining campaigns")
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "kind"], name="rights_campaign_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rights:campaign_detail", args=[self.pk])

    @property
    def audit_org(self) -> Org:
        return self.org


class Offer(models.Model):
    """The union's offer (要约书) to bargain sent to one enterprise in a campaign, with the date of every step."""

    campaign = models.ForeignKey(BargainingCampaign, on_delete=models.CASCADE, related_name="offers")
    enterprise = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    state = models.CharField(_("state"), max_length=12, choices=OfferState.choices, default=OfferState.SENT)
    sent_on = models.DateField(_("sent on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    negotiated_on = models.DateField(_("negotiation began on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("contract"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_via = "enterprise"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("bargaining offer")
        verbose_name_plural = _("bargaining offers")
        ordering = ["campaign", "enterprise__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise"], name="rights_offer_once")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.enterprise.display_name}"

    @property
    def audit_org(self) -> Org:
        return self.enterprise
