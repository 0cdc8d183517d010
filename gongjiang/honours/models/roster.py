"""The roster of honour holders (荣誉获得者名册): each holder's status changes (`HolderEvent`) and the counters of
holders per union, year and honour (`HolderCount`) the statistics, the home panel and the roster's totals read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org

from ..choices import HolderStatus
from .types import Holder, HonourType


class HolderEvent(models.Model):
    """One change of a holder's status (调动, 退休, 去世, 撤销荣誉称号): the day it took effect, the new status, the
    reason, the decision's document number (文号) and the body that decided (a revocation needs all three), and who
    recorded it. The holder's record (荣誉履历) reads these rows; nothing is ever deleted."""

    holder = models.ForeignKey(Holder, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("date"))
    kind = models.CharField(_("new status"), max_length=10, choices=HolderStatus.choices)
    before = models.CharField(_("previous status"), max_length=10, choices=HolderStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    document = models.CharField(_("decision's document number"), max_length=60, blank=True)
    body = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("deciding body"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_via = "holder"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("holder status change")
        verbose_name_plural = _("holder status changes")
        ordering = ["holder", "on", "id"]

    def __str__(self) -> str:
        return f"{self.holder_id} · {self.kind} · {self.on}"

    @property
    def audit_org(self) -> Org:
        return self.holder.unit


class HolderCount(models.Model):
    """The holders of an honour conferred in a year whose unit lies in the subtree of `org` — regionally and through
    its industry union —: every title not revoked (`holders`), of them those alive (`alive`: not deceased) and those
    still active (`active`: in post), and apart the revoked titles (`revoked`: the public roster lists them, marked, so
its totals are holders + revoked). Kept by the roster's verbs (and by the conferral, `counters.add_holder`), so the
    statistics by city and industry and the home panel read a few rows, never count the holders; `counters.rebuild`
    recomputes them."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    honour_type = models.ForeignKey(HonourType, on_delete=models.CASCADE, related_name="+")
    holders = models.IntegerField(default=0)
    alive = models.IntegerField(default=0)
    active = models.IntegerField(default=0)
    revoked = models.IntegerField(default=0)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("holder counter")
        verbose_name_plural = _("holder counters")
        constraints = [models.UniqueConstraint(fields=["org", "year", "honour_type"], name="holder_count_once")]

    def __str__(self) -> str:
        return f"{self.org_id} · {self.year} · {self.honour_type_id}: {self.holders}"
