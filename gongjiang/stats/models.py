"""The statistics app keeps no figures (they are orgs.Fact rows the other apps' verbs keep); what it keeps is what a
cadre writes around them: the narrative of an annual report."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjiang.core.scoping import ScopedManager
from gongjiang.orgs.models import Org, User


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
