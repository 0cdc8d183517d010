"""What follows a published result: appeals against it (申诉), the grade promotions it earns and the prize
certificates (获奖证书), issued as core certificates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org

from ..choices import AppealState, Prize, PromotionState
from .registration import Entry


class Appeal(models.Model):
    """An objection to a published result (申诉), filed within the public-notice window; the arbitration
    decision may re-mark the entry, after which ranks, prizes and advancement are recomputed."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="appeals")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=AppealState.choices, default=AppealState.FILED)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(auto_now_add=True)

    scope_via = "entry"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_state_display()}"

    @property
    def audit_org(self) -> Org:
        return self.entry.round.organiser


class Promotion(models.Model):
    """A grade promotion earned by a result: proposed by the rules, approved by the organiser, then
    written into the person's grade history."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="promotion")
    current_grade = models.PositiveSmallIntegerField()
    proposed_grade = models.PositiveSmallIntegerField()
    title = models.CharField(pgettext_lazy("honour", "title"), max_length=40, blank=True)  # e.g. 山东省技术能手
    state = models.CharField(_("state"), max_length=10, choices=PromotionState.choices,
                             default=PromotionState.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    scope_via = "entry"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("grade promotion")
        verbose_name_plural = _("grade promotions")

    def __str__(self) -> str:
        return f"{self.entry.person.name} → {self.proposed_grade}"

    @property
    def audit_org(self) -> Org:
        return self.entry.round.organiser


class Certificate(models.Model):
    """A prize certificate (获奖证书): which entry won which prize, and the certificate issued for it — a core
    `IssuedCertificate` (number in the issuing union's series, verification token, revocation), so that the public
    verification page and numbering are the same for every app. Its number, token and dates are read through."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="certificate")
    document = models.OneToOneField("core.IssuedCertificate", on_delete=models.PROTECT, related_name="+")
    prize = models.CharField(_("prize"), max_length=10, choices=Prize.choices)

    scope_via = "entry"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    @property
    def audit_org(self) -> Org:
        return self.entry.round.organiser

    # What the certificate states lives in core: select_related("document") where several are shown.
    @property
    def number(self) -> str:
        return self.document.number

    @property
    def token(self) -> str:
        return self.document.token

    @property
    def issued_at(self) -> Any:
        return self.document.issued_at

    @property
    def revoked_at(self) -> Any:
        return self.document.revoked_at
