"""The local threshold (当地城市居民最低生活保障标准) an org sets for its subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org


class CareSetting(models.Model):
    """An org's monthly per-capita minimum living standard (元/人·月), the line the hardship grade is measured
    against; a union without one inherits the nearest one above it (a county takes its city's)."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="+", verbose_name=_("union"))
    monthly_minimum = models.DecimalField(_("monthly per-capita minimum living standard"), max_digits=8,
                                          decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_via = "org"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("local threshold")
        verbose_name_plural = _("local thresholds")

    def __str__(self) -> str:
        return f"{self.org.display_name} {self.monthly_minimum}"

    @property
    def audit_org(self) -> Org:
        return self.org
